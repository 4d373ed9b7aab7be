package passteam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Values are a card's variables. In results the keys are "%NAME%" and the values text; in
// parameters a key may be written with or without the % signs ("PHONE" or "%PHONE%").
type Values map[string]string

// Get returns a variable's value; name may be written with or without the % signs.
func (v Values) Get(name string) string {
	return v[VarName(name)]
}

// VarName returns a variable's name as results key it: "PHONE" and "%PHONE%" give "%PHONE%".
func VarName(name string) string {
	return "%" + strings.Trim(name, "%") + "%"
}

// UnmarshalJSON reads an object of scalars. It also accepts what a PHP server writes for an empty
// map ([]) and non-string scalars (numbers, booleans become their JSON text, null becomes ""),
// because the server's values are typed by the template while the spec promises only text.
func (v *Values) UnmarshalJSON(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	if bytes.Equal(trimmed, []byte("null")) || bytes.Equal(trimmed, []byte("[]")) {
		*v = Values{}
		return nil
	}
	// Fast path: the documented shape, an object of strings.
	var plain map[string]string
	if json.Unmarshal(trimmed, &plain) == nil {
		*v = plain
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return fmt.Errorf("passteam: values must be an object: %w", err)
	}
	out := make(Values, len(raw))
	for key, item := range raw {
		text, err := scalarText(item)
		if err != nil {
			return fmt.Errorf("passteam: values[%s]: %w", key, err)
		}
		out[key] = text
	}
	*v = out
	return nil
}

// scalarText turns a JSON scalar into text: strings unquoted, null empty, others as written.
func scalarText(item json.RawMessage) (string, error) {
	item = bytes.TrimSpace(item)
	switch {
	case len(item) == 0 || bytes.Equal(item, []byte("null")):
		return "", nil
	case item[0] == '"':
		var s string
		err := json.Unmarshal(item, &s)
		return s, err
	case item[0] == '{' || item[0] == '[':
		return "", fmt.Errorf("expected a scalar, got %s", item)
	default:
		return string(item), nil
	}
}

// Flag is a yes/no field that the API writes as true/false or 0/1 (voided, installedGPay, ...).
type Flag bool

// UnmarshalJSON accepts true, false, 0, 1, their quoted forms, "" and null (false).
func (f *Flag) UnmarshalJSON(data []byte) error {
	// Fast path without allocating: the forms the API writes.
	switch string(data) {
	case "true", "1":
		*f = true
		return nil
	case "false", "0", "null":
		*f = false
		return nil
	}
	text, err := scalarText(data)
	if err != nil {
		return err
	}
	switch strings.ToLower(text) {
	case "true", "1":
		*f = true
	case "false", "0", "":
		*f = false
	default:
		return fmt.Errorf("passteam: %s is not a flag (true/false/0/1)", data)
	}
	return nil
}
