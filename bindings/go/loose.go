package passteam

// Tolerance for PHP's loose JSON. Passteam's backend is PHP, which mixes numbers and numeric strings
// freely: a cardCode may come as 123456 or "123456", a cardsCount as 60 or "60", an empty list as {}.
// The typed results keep Go's plain types (string, int) and decode strictly first, which is what the
// server sends almost always and costs nothing extra; only when that fails on a type mismatch is the
// document decoded again with every scalar coerced to its field's kind. A reply whose operation
// succeeded must not become an error because a field was a number instead of text.

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

var unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

// decodeLoose decodes data into v (a pointer), coercing scalars where PHP mixes their types.
func decodeLoose(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var typeErr *json.UnmarshalTypeError
	if err == nil || !errors.As(err, &typeErr) {
		return err
	}
	var tree any
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	if decoder.Decode(&tree) != nil {
		return err
	}
	fixed, merr := json.Marshal(coerce(tree, reflect.TypeOf(v).Elem()))
	if merr != nil {
		return err
	}
	target := reflect.New(reflect.TypeOf(v).Elem())
	if err2 := json.Unmarshal(fixed, target.Interface()); err2 != nil {
		return err // the strict error says best what did not fit
	}
	reflect.ValueOf(v).Elem().Set(target.Elem())
	return nil
}

// coerce returns node (a tree decoded with UseNumber) reshaped towards the Go type t.
func coerce(node any, t reflect.Type) any {
	if node == nil {
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || t.Implements(unmarshalerType) {
		return node // the type reads its own loose forms (Values, Flag, TemplateRef, CheckResult)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if s, ok := node.(string); ok && strings.TrimSpace(s) == "" {
			return nil // "" for an absent page number
		}
		if b, ok := node.(bool); ok && !b {
			return nil
		}
		return coerce(node, t.Elem())
	case reflect.String:
		switch x := node.(type) {
		case json.Number:
			return x.String()
		case bool:
			return strconv.FormatBool(x)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		switch x := node.(type) {
		case string:
			text := strings.TrimSpace(x)
			if text == "" {
				return 0
			}
			if f, err := strconv.ParseFloat(text, 64); err == nil {
				if t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64 || f == float64(int64(f)) {
					return json.Number(text)
				}
			}
		case bool:
			if x {
				return 1
			}
			return 0
		}
	case reflect.Bool:
		switch x := node.(type) {
		case json.Number:
			return x.String() != "0"
		case string:
			return x == "1" || strings.EqualFold(x, "true")
		}
	case reflect.Slice:
		if m, ok := node.(map[string]any); ok && len(m) == 0 {
			return []any{} // PHP's {} for an empty list
		}
		if items, ok := node.([]any); ok {
			for i := range items {
				items[i] = coerce(items[i], t.Elem())
			}
		}
	case reflect.Struct:
		if m, ok := node.(map[string]any); ok {
			coerceFields(m, t)
		}
	}
	return node
}

// coerceFields reshapes the members of an object towards the fields of struct type t.
func coerceFields(m map[string]any, t reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if name == "-" || !field.IsExported() {
			continue
		}
		if name == "" {
			name = field.Name
		}
		for key, value := range m {
			if key == name || strings.EqualFold(key, name) {
				m[key] = coerce(value, field.Type)
			}
		}
	}
}
