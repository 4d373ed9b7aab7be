package passteam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

var allSentinels = []*Error{
	ErrInvalidArgument, ErrInvalidJSON, ErrValidation, ErrTransport, ErrTimeout, ErrAuth,
	ErrNotFound, ErrConflict, ErrRateLimited, ErrAPI, ErrProtocol, ErrInternal,
}

// checkError asserts that err is exactly the want sentinel's kind (errors.Is matches it and no
// other sentinel), that errors.As yields the details, and returns them.
func checkError(t *testing.T, err error, want *Error) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s", want.Name)
	}
	for _, s := range allSentinels {
		if got := errors.Is(err, s); got != (s == want) {
			t.Errorf("errors.Is(%v, %s) = %v", err, s.Name, got)
		}
	}
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("errors.As(%T) failed", err)
	}
	if perr.Status != want.Status || perr.Name != want.Status.String() || perr.Name != nativeStatusName(int(want.Status)) {
		t.Errorf("status %d %q; want %d %q", perr.Status, perr.Name, want.Status, want.Name)
	}
	if perr.Message == "" || !strings.Contains(perr.Error(), perr.Name) {
		t.Errorf("Error() = %q", perr.Error())
	}
	return perr
}

func TestErrorPerStatus(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	fast := func(cfg *Config) { cfg.MaxAttempts = 1 }

	t.Run("invalid argument", func(t *testing.T) {
		_, err := c.Call(ctx, "nosuchmethod", nil)
		checkError(t, err, ErrInvalidArgument)
		_, err = c.Call(ctx, "get\x00card", nil)
		checkError(t, err, ErrInvalidArgument)
		_, err = New(Config{Token: sb.Token, BaseURL: sb.BaseURL, BodyEncoding: "xml"})
		checkError(t, err, ErrInvalidArgument)
	})

	t.Run("invalid json", func(t *testing.T) {
		_, err := c.Call(ctx, "getcard", json.RawMessage("not json"))
		checkError(t, err, ErrInvalidJSON)
		_, err = c.Call(ctx, "getcard", []int{1, 2})
		checkError(t, err, ErrInvalidJSON)
		// A Go value that has no JSON form fails before the library is called.
		_, err = c.Call(ctx, "getcard", map[string]any{"cardId": make(chan int)})
		checkError(t, err, ErrInvalidJSON)
		var unsupported *json.UnsupportedTypeError
		if !errors.As(err, &unsupported) {
			t.Errorf("the marshal error is not wrapped: %v", err)
		}
	})

	t.Run("validation", func(t *testing.T) {
		_, err := c.GetCard(ctx, CardLookup{})
		checkError(t, err, ErrValidation)
		_, err = c.CreateCard(ctx, NewCard{})
		perr := checkError(t, err, ErrValidation)
		if perr.Field() != "templateId" {
			t.Errorf("Field() = %q, details %v", perr.Field(), perr.Details)
		}
		// Card variables that do not fit the template: every one listed, nothing sent.
		_, err = c.CreateCard(ctx, NewCard{
			TemplateID: loyaltyTemplate,
			Values:     Values{"PHONE": "8 916 123", "LEVL": "Gold", "CLIENT_NAME": "Anna"},
		})
		perr = checkError(t, err, ErrValidation)
		problems := perr.Problems()
		if len(problems) != 2 {
			t.Fatalf("Problems() = %+v", problems)
		}
		byField := map[string]Problem{}
		for _, p := range problems {
			byField[p.Field] = p
		}
		if byField["%PHONE%"].Value != "8 916 123" || byField["%PHONE%"].Problem == "" {
			t.Errorf("phone problem %+v", byField["%PHONE%"])
		}
		if s := byField["%LEVL%"].Suggestions; len(s) != 1 || s[0] != "%LEVEL%" {
			t.Errorf("suggestions %v", s)
		}
		if (&Error{}).Problems() != nil {
			t.Error("an error without problems has none")
		}
	})

	t.Run("transport: closed port", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		closed := newClient(t, fast, func(cfg *Config) { cfg.BaseURL = "http://" + addr })
		_, err = closed.GetCard(ctx, CardLookup{CardID: unknownCardID})
		perr := checkError(t, err, ErrTransport)
		if !perr.Retryable || perr.HTTPStatus != 0 {
			t.Errorf("retryable %v, http %d", perr.Retryable, perr.HTTPStatus)
		}
	})

	t.Run("transport: dropped createcard has an unknown outcome", func(t *testing.T) {
		sb.fault(t, map[string]any{"method": "createcard", "kind": "drop", "times": 1})
		_, err := c.CreateCard(ctx, NewCard{TemplateID: loyaltyTemplate, Values: Values{"PHONE": newPhone()}})
		perr := checkError(t, err, ErrTransport)
		if perr.Outcome != OutcomeUnknown {
			t.Errorf("Outcome = %q; want %q", perr.Outcome, OutcomeUnknown)
		}
	})

	t.Run("timeout: the client's timeout", func(t *testing.T) {
		short := newClient(t, fast, func(cfg *Config) { cfg.Timeout = 300 * time.Millisecond })
		sb.fault(t, map[string]any{"method": "getcard", "kind": "delay", "delay_ms": 2000, "times": 1})
		start := time.Now()
		_, err := short.GetCard(ctx, CardLookup{CardID: unknownCardID})
		checkError(t, err, ErrTimeout)
		if errors.Is(err, context.DeadlineExceeded) {
			t.Error("a timeout of the client's own config must not claim to be a context deadline")
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Errorf("took %v with a 300ms timeout", d)
		}
	})

	t.Run("auth", func(t *testing.T) {
		wrong := newClient(t, func(cfg *Config) { cfg.Token = "wrong-token" })
		_, err := wrong.GetListTemplates(ctx)
		perr := checkError(t, err, ErrAuth)
		if perr.HTTPStatus != 401 && perr.HTTPStatus != 403 {
			t.Errorf("HTTPStatus = %d", perr.HTTPStatus)
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := c.GetCard(ctx, CardLookup{CardID: unknownCardID})
		perr := checkError(t, err, ErrNotFound)
		if perr.HTTPStatus != 404 || perr.APICode != 404 || perr.Retryable {
			t.Errorf("http %d, api %d, retryable %v", perr.HTTPStatus, perr.APICode, perr.Retryable)
		}
	})

	t.Run("conflict", func(t *testing.T) {
		phone := newPhone()
		first, err := c.CreateCard(ctx, NewCard{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateCard(ctx, NewCard{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone}})
		perr := checkError(t, err, ErrConflict)
		if !slices.Equal(perr.CardIDs(), []string{first.CardID}) {
			t.Errorf("CardIDs() = %v; want [%s]", perr.CardIDs(), first.CardID)
		}
		if perr.HTTPStatus != 409 || !strings.Contains(perr.Message, "duplicated") {
			t.Errorf("http %d, message %q", perr.HTTPStatus, perr.Message)
		}
		// errors.As works through wrapping, as callers usually wrap.
		var again *Error
		if !errors.As(fmt.Errorf("issuing: %w", err), &again) || again.CardIDs()[0] != first.CardID {
			t.Error("errors.As through a wrapper lost the details")
		}
	})

	t.Run("rate limited by the server", func(t *testing.T) {
		sb.control(t, "POST", "/_sandbox/quota", map[string]any{"per_hour": 0}, nil)
		t.Cleanup(func() { sb.control(t, "POST", "/_sandbox/quota", map[string]any{"per_hour": nil}, nil) })
		_, err := newClient(t, fast).GetListTemplates(ctx)
		perr := checkError(t, err, ErrRateLimited)
		if perr.HTTPStatus != 429 {
			t.Errorf("HTTPStatus = %d", perr.HTTPStatus)
		}
	})

	t.Run("rate limited by the client's budget", func(t *testing.T) {
		budget := newClient(t, func(cfg *Config) { cfg.QuotaPerHour = 1 })
		if _, err := budget.GetListTemplates(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := budget.GetListTemplates(ctx)
		perr := checkError(t, err, ErrRateLimited)
		if perr.RetryAfter <= 0 || perr.HTTPStatus != 0 {
			t.Errorf("RetryAfter = %v, http %d", perr.RetryAfter, perr.HTTPStatus)
		}
	})

	t.Run("api", func(t *testing.T) {
		_, err := c.CreateCard(ctx, NewCard{TemplateID: loyaltyTemplate, Values: Values{"CLIENT_NAME": "No Phone"}})
		perr := checkError(t, err, ErrAPI)
		if perr.HTTPStatus != 500 || !strings.Contains(perr.Message, "unique and must be set") {
			t.Errorf("http %d, message %q", perr.HTTPStatus, perr.Message)
		}
	})

	t.Run("protocol", func(t *testing.T) {
		sb.fault(t, map[string]any{"method": "getcard", "kind": "garbage", "times": 1})
		_, err := newClient(t, fast).GetCard(ctx, CardLookup{CardID: unknownCardID})
		checkError(t, err, ErrProtocol)
	})

	t.Run("internal", func(t *testing.T) {
		checkError(t, debugPanic(), ErrInternal)
		// The library is still fine after the panic.
		if _, err := c.GetListTemplates(ctx); err != nil {
			t.Fatalf("after a panic: %v", err)
		}
	})
}

func TestErrorValues(t *testing.T) {
	if !errors.Is(ErrClosed, ErrInvalidArgument) || errors.Is(ErrInvalidArgument, ErrClosed) {
		t.Error("ErrClosed must be an ErrInvalidArgument, not the reverse")
	}
	if ErrConflict.Error() != "passteam: PASSTEAM_ERR_CONFLICT" {
		t.Errorf("sentinel text = %q", ErrConflict.Error())
	}
	// Two errors of one status are not each other: only the sentinels match by status.
	a := &Error{Status: StatusNotFound, Name: "PASSTEAM_ERR_NOT_FOUND", Message: "a"}
	b := &Error{Status: StatusNotFound, Name: "PASSTEAM_ERR_NOT_FOUND", Message: "b"}
	if errors.Is(a, b) || !errors.Is(a, ErrNotFound) {
		t.Error("errors.Is must compare statuses with sentinels only")
	}
	// An unreadable error object still gives the status the C function returned.
	e := parseError(8, []byte("garbage"))
	if !errors.Is(e, ErrConflict) || !strings.Contains(e.Message, "garbage") {
		t.Errorf("parseError(garbage) = %v", e)
	}
	e = parseError(9, []byte(`{"status":9,"name":"PASSTEAM_ERR_RATE_LIMITED","message":"m","http_status":null,`+
		`"api_code":null,"retryable":true,"details":{"cardIds":["x"]},"outcome":"unknown","retry_after_ms":1500}`))
	if e.RetryAfter != 1500*time.Millisecond || e.Outcome != OutcomeUnknown || !e.Retryable ||
		e.HTTPStatus != 0 || !slices.Equal(e.CardIDs(), []string{"x"}) {
		t.Errorf("parseError = %+v", e)
	}
}

func TestStatusNamesMatchTheLibrary(t *testing.T) {
	for status, name := range statusNames {
		if got := nativeStatusName(int(status)); got != name || status.String() != name {
			t.Errorf("status %d: library %q, Go %q", status, got, name)
		}
	}
	if got := Status(42).String(); !strings.Contains(got, "UNKNOWN") || nativeStatusName(42) != "PASSTEAM_ERR_UNKNOWN" {
		t.Errorf("unknown status: %q", got)
	}
}
