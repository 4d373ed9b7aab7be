package passteam

import (
	"encoding/json"
	"fmt"
	"strings"
)

// MethodInfo describes one operation, as the library's method table (passteam_methods_json) does.
type MethodInfo struct {
	Name       string      `json:"name"`  // wire name: "getcard"
	Snake      string      `json:"snake"` // "get_card"
	Camel      string      `json:"camel"` // "getCard"; the Go method is the same with a capital
	Kind       string      `json:"kind"`  // "oapi", "rest" or "scenario"
	Verb       string      `json:"verb"`
	Path       string      `json:"path"`
	Params     []ParamInfo `json:"params"`
	OneOf      [][]string  `json:"one_of"`
	Idempotent bool        `json:"idempotent"` // safe to resend: retried on transport errors
	Deprecated bool        `json:"deprecated"`
	Auth       bool        `json:"auth"`
	Summary    string      `json:"summary"`
}

// ParamInfo describes one parameter of an operation.
type ParamInfo struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Type     string `json:"type"`
}

// Methods returns the library's table of operations: every name Client.Call accepts.
func Methods() ([]MethodInfo, error) {
	var out []MethodInfo
	if err := json.Unmarshal(nativeMethodsJSON(), &out); err != nil {
		return nil, fmt.Errorf("passteam: the library's method table is not readable: %w", err)
	}
	return out, nil
}

// goName is the Client method that runs an operation: its camelCase name with a capital
// ("getCard" -> "GetCard"). A test checks that every operation of Methods() has one.
func goName(camel string) string {
	if camel == "" {
		return ""
	}
	return strings.ToUpper(camel[:1]) + camel[1:]
}

// configKeys returns the names of the config keys the library accepts, from its schema
// (passteam_config_schema_json), in the library's order.
func configKeys() ([]string, error) {
	var schema struct {
		Keys []struct {
			Name string `json:"name"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(nativeConfigSchemaJSON(), &schema); err != nil {
		return nil, fmt.Errorf("passteam: the library's config schema is not readable: %w", err)
	}
	names := make([]string, len(schema.Keys))
	for i, k := range schema.Keys {
		names[i] = k.Name
	}
	return names, nil
}

// Version returns the linked library's version, e.g. "0.1.0".
func Version() string {
	return nativeVersion()
}

// ABIVersion returns the linked library's C ABI version as (major, minor).
func ABIVersion() (major, minor int) {
	v := nativeABIVersion()
	return int(v >> 16), int(v & 0xffff)
}

// debugPanic makes the library panic on purpose and returns the error it reports (test support:
// it proves that a panic in the library comes back as ErrInternal, never as a crash).
func debugPanic() error {
	status, doc := nativeDebugPanic()
	if status == int(StatusOK) {
		return nil
	}
	return parseError(status, doc)
}
