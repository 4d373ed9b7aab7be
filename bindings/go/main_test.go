package passteam

import (
	"fmt"
	"os"
	"testing"
)

// sb is the sandbox every test talks to: one per test binary, started by TestMain.
var sb *sandbox

// TestMain starts `passteam sandbox` (path in PASSTEAM_CLI, default the release build of this
// repository), runs the tests against it, and stops it.
func TestMain(m *testing.M) {
	var err error
	sb, err = startSandbox()
	if err != nil {
		fmt.Fprintln(os.Stderr, "passteam tests: cannot start the sandbox:", err)
		os.Exit(2)
	}
	code := m.Run()
	sb.stop()
	os.Exit(code)
}
