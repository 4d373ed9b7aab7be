package passteam

import (
	"encoding/json"
	"fmt"
	"time"
)

// OutcomeUnknown is Error.Outcome when a non-idempotent request (createcard, distribute, sendpush,
// createproduct) may have been applied although the call failed: the library never resends it,
// so look the object up before trying again.
const OutcomeUnknown = "unknown"

// Error is every failure the library reports. Compare it with the sentinels using errors.Is
// (errors.Is(err, passteam.ErrConflict)) and read the details with errors.As:
//
//	var perr *passteam.Error
//	if errors.As(err, &perr) { fmt.Println(perr.CardIDs()) }
type Error struct {
	// Status is the library's code; Name is its C name ("PASSTEAM_ERR_CONFLICT").
	Status Status
	Name   string
	// HTTPStatus is the reply's HTTP status, 0 when no reply came.
	HTTPStatus int
	// APICode is the envelope's "code", 0 when no envelope came.
	APICode int
	// Message is for people: the server's text for API errors, the library's otherwise.
	Message string
	// Details holds structured facts: "cardIds" for a conflict, "field" for a validation error,
	// "method", "attempts".
	Details map[string]any
	// Retryable tells whether the same call may succeed later.
	Retryable bool
	// Outcome is OutcomeUnknown when the request may have been applied, "" otherwise.
	Outcome string
	// RetryAfter is how long to wait when the client-side request budget is spent; 0 otherwise.
	RetryAfter time.Duration
	// OutboxID is the outbox entry of a queued call (Status StatusQueued); 0 otherwise.
	OutboxID int64

	// sentinel marks the package's Err* values: errors.Is matches any error of their status.
	sentinel bool
	// cause is what errors.Unwrap returns: context.DeadlineExceeded for a timeout that a
	// context's deadline set.
	cause error
}

func newSentinel(status Status) *Error {
	return &Error{Status: status, Name: status.String(), sentinel: true}
}

// Sentinels, one per status: errors.Is(err, ErrNotFound) is true for every *Error of that status.
var (
	ErrInvalidArgument = newSentinel(StatusInvalidArgument)
	ErrInvalidJSON     = newSentinel(StatusInvalidJSON)
	ErrValidation      = newSentinel(StatusValidation)
	ErrTransport       = newSentinel(StatusTransport)
	ErrTimeout         = newSentinel(StatusTimeout)
	ErrAuth            = newSentinel(StatusAuth)
	ErrNotFound        = newSentinel(StatusNotFound)
	ErrConflict        = newSentinel(StatusConflict)
	ErrRateLimited     = newSentinel(StatusRateLimited)
	ErrAPI             = newSentinel(StatusAPI)
	ErrProtocol        = newSentinel(StatusProtocol)
	ErrInternal        = newSentinel(StatusInternal)
	// ErrQueued is not a failure: Passteam could not be reached, and the call was stored durably
	// in the outbox (Config.OutboxPath); it will be sent later, once, in order. Error.OutboxID
	// names the entry. Test it first: if errors.Is(err, passteam.ErrQueued) { /* sale done */ }.
	ErrQueued = newSentinel(StatusQueued)
)

// ErrClosed is returned by calls on a closed Client. It is also an ErrInvalidArgument.
var ErrClosed = &Error{
	Status:  StatusInvalidArgument,
	Name:    StatusInvalidArgument.String(),
	Message: "the client is closed",
}

// Error formats as "passteam: PASSTEAM_ERR_CONFLICT: <message>".
func (e *Error) Error() string {
	if e.Message == "" {
		return "passteam: " + e.Name
	}
	return fmt.Sprintf("passteam: %s: %s", e.Name, e.Message)
}

// Is makes errors.Is(err, ErrX) true when err has ErrX's status.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Status == e.Status
}

// Unwrap returns context.DeadlineExceeded when the error is a timeout that a context's deadline
// caused, so that errors.Is(err, context.DeadlineExceeded) holds too; nil otherwise.
func (e *Error) Unwrap() error {
	return e.cause
}

// CardIDs returns the cards that already hold a unique value (a conflict's details.cardIds).
func (e *Error) CardIDs() []string {
	list, _ := e.Details["cardIds"].([]any)
	ids := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			ids = append(ids, s)
		}
	}
	return ids
}

// Field returns the parameter a validation error is about ("" when not given).
func (e *Error) Field() string {
	s, _ := e.Details["field"].(string)
	return s
}

// Problem is one card variable that does not fit its template (a validation error's
// details.problems): the variable, the value given, what is wrong, and for a variable the
// template does not have, the closest names it does have.
type Problem struct {
	Field       string   `json:"field"`
	Value       string   `json:"value"`
	Problem     string   `json:"problem"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// Problems returns every refused variable of a validation error (empty for other errors).
func (e *Error) Problems() []Problem {
	raw, ok := e.Details["problems"]
	if !ok {
		return nil
	}
	doc, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var problems []Problem
	if json.Unmarshal(doc, &problems) != nil {
		return nil
	}
	return problems
}

// errorObject is the error JSON the library returns (see passteam.h).
type errorObject struct {
	Status       int            `json:"status"`
	Name         string         `json:"name"`
	Message      string         `json:"message"`
	HTTPStatus   *int           `json:"http_status"`
	APICode      *int           `json:"api_code"`
	Retryable    bool           `json:"retryable"`
	Details      map[string]any `json:"details"`
	Outcome      string         `json:"outcome"`
	RetryAfterMS *uint64        `json:"retry_after_ms"`
	OutboxID     int64          `json:"outbox_id"`
}

// parseError turns the library's error object into an *Error. The status returned by the C
// function wins over the document's: it is the ABI's contract.
func parseError(status int, doc []byte) *Error {
	var obj errorObject
	if err := json.Unmarshal(doc, &obj); err != nil {
		return &Error{
			Status:  Status(status),
			Name:    Status(status).String(),
			Message: fmt.Sprintf("unreadable error object from the library (%v): %q", err, doc),
		}
	}
	e := &Error{
		Status:    Status(status),
		Name:      obj.Name,
		Message:   obj.Message,
		Details:   obj.Details,
		Retryable: obj.Retryable,
		Outcome:   obj.Outcome,
		OutboxID:  obj.OutboxID,
	}
	if e.Name == "" {
		e.Name = e.Status.String()
	}
	e.Message = inGoTerms(e.Message, e.Details)
	if obj.HTTPStatus != nil {
		e.HTTPStatus = *obj.HTTPStatus
	}
	if obj.APICode != nil {
		e.APICode = *obj.APICode
	}
	if obj.RetryAfterMS != nil {
		e.RetryAfter = time.Duration(*obj.RetryAfterMS) * time.Millisecond
	}
	return e
}

// inGoTerms restates the library's messages that name a thing a Go user spells differently: the
// token is Config.Token, the list of operations is Methods().
func inGoTerms(message string, details map[string]any) string {
	if details["missing"] == "token" {
		method, _ := details["method"].(string)
		return fmt.Sprintf("%s: no API token; set passteam.Config{Token: ...} "+
			"(or get one with Client.GetAToken)", method)
	}
	if name, ok := details["unknown_method"].(string); ok {
		return fmt.Sprintf("unknown method %q; passteam.Methods() lists the operations", name)
	}
	return message
}
