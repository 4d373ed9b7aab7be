package passteam

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// helperMethods are the Client's exported methods that are not one API operation each.
var helperMethods = []string{"Call", "Cards", "Close", "Diagnose", "CallBatch",
	"OutboxFlush", "OutboxStats", "OutboxList", "OutboxRetry", "OutboxDiscard"}

// The Go surface follows the library's method table: one Client method per operation, named after
// the operation's camelCase name, taking a context first, deprecated where the table says so.
func TestMethodsMatchTheLibrary(t *testing.T) {
	methods, err := Methods()
	if err != nil {
		t.Fatal(err)
	}
	docs := clientMethodDocs(t)
	clientType := reflect.TypeOf(&Client{})
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	operations := map[string]bool{}
	for _, m := range methods {
		goName := goName(m.Camel)
		operations[goName] = true
		method, ok := clientType.MethodByName(goName)
		if !ok {
			t.Errorf("%s: Client has no method %s", m.Name, goName)
			continue
		}
		if method.Type.NumIn() < 2 || method.Type.In(1) != ctxType {
			t.Errorf("%s: the first parameter is not a context.Context", goName)
		}
		if deprecated := strings.Contains(docs[goName], "Deprecated:"); deprecated != m.Deprecated {
			t.Errorf("%s: doc says deprecated=%v, the library %v", goName, deprecated, m.Deprecated)
		}
	}
	// And nothing else: every exported method is an operation or a known helper.
	for i := range clientType.NumMethod() {
		name := clientType.Method(i).Name
		if !slices.Contains(helperMethods, name) && !operations[name] {
			t.Errorf("Client.%s is neither an operation of the library nor a known helper", name)
		}
	}
}

// clientMethodDocs reads the doc comments of the Client's methods from this package's source.
func clientMethodDocs(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if ok && fn.Recv != nil && fn.Doc != nil {
				docs[fn.Name.Name] = fn.Doc.Text()
			}
		}
	}
	return docs
}

func TestMethodTableFields(t *testing.T) {
	methods, err := Methods()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(methods, func(m MethodInfo) bool { return m.Name == "createcard" })
	if i < 0 {
		t.Fatal("no createcard")
	}
	m := methods[i]
	if m.Kind != "oapi" || m.Verb != "POST" || m.Path != "/oapi/v1/createcard" || m.Idempotent || !m.Auth || m.Summary == "" {
		t.Errorf("createcard = %+v", m)
	}
	if !slices.ContainsFunc(m.Params, func(p ParamInfo) bool { return p.Name == "templateId" && p.Required }) {
		t.Errorf("createcard params = %+v", m.Params)
	}
}

func TestABIAndVersion(t *testing.T) {
	major, minor := ABIVersion()
	if major != ABIMajor || minor < 0 {
		t.Errorf("ABIVersion() = %d.%d; want major %d", major, minor, ABIMajor)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(Version()) {
		t.Errorf("Version() = %q", Version())
	}
	if err := checkABI(uint32(ABIMajor<<16 | 999)); err != nil {
		t.Errorf("a newer minor must be accepted: %v", err)
	}
	for _, v := range []uint32{0, 2 << 16, (ABIMajor + 1) << 16} {
		err := checkABI(v)
		perr := checkError(t, err, ErrInvalidArgument)
		if !strings.Contains(perr.Message, "major") {
			t.Errorf("checkABI(%#x): %v", v, err)
		}
	}
}
