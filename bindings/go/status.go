package passteam

import "strconv"

// Status is the library's outcome code of a call. The numbers are the C ABI's (PASSTEAM_OK,
// PASSTEAM_ERR_*) and never change meaning.
type Status int

// The statuses of the C ABI.
const (
	StatusOK              Status = 0
	StatusInvalidArgument Status = 1  // a bad argument: unknown method, bad config key or value
	StatusInvalidJSON     Status = 2  // params or config are not a JSON object
	StatusValidation      Status = 3  // a required parameter is missing or has the wrong type
	StatusTransport       Status = 4  // DNS, connect, TLS, broken connection, 502/503/504
	StatusTimeout         Status = 5  // the call's deadline or a connect/read timeout passed
	StatusAuth            Status = 6  // the token is missing or was rejected (401/403)
	StatusNotFound        Status = 7  // 404: no such card, template, sale or product
	StatusConflict        Status = 8  // 409: a unique value is taken (see Error.CardIDs)
	StatusRateLimited     Status = 9  // 429 or the request budget is spent (see Error.RetryAfter)
	StatusAPI             Status = 10 // any other error reply from Passteam
	StatusProtocol        Status = 11 // the reply is not the documented envelope
	StatusQueued          Status = 12 // not a failure: stored in the outbox (see ErrQueued)
	StatusInternal        Status = 99 // a bug in the library (a caught panic)
)

// statusNames mirrors passteam_status_name; a test checks it against the library.
var statusNames = map[Status]string{
	StatusOK:              "PASSTEAM_OK",
	StatusInvalidArgument: "PASSTEAM_ERR_INVALID_ARGUMENT",
	StatusInvalidJSON:     "PASSTEAM_ERR_INVALID_JSON",
	StatusValidation:      "PASSTEAM_ERR_VALIDATION",
	StatusTransport:       "PASSTEAM_ERR_TRANSPORT",
	StatusTimeout:         "PASSTEAM_ERR_TIMEOUT",
	StatusAuth:            "PASSTEAM_ERR_AUTH",
	StatusNotFound:        "PASSTEAM_ERR_NOT_FOUND",
	StatusConflict:        "PASSTEAM_ERR_CONFLICT",
	StatusRateLimited:     "PASSTEAM_ERR_RATE_LIMITED",
	StatusAPI:             "PASSTEAM_ERR_API",
	StatusProtocol:        "PASSTEAM_ERR_PROTOCOL",
	StatusQueued:          "PASSTEAM_QUEUED",
	StatusInternal:        "PASSTEAM_ERR_INTERNAL",
}

// String returns the C constant's name, e.g. "PASSTEAM_ERR_CONFLICT".
func (s Status) String() string {
	if name, ok := statusNames[s]; ok {
		return name
	}
	return "PASSTEAM_ERR_UNKNOWN(" + strconv.Itoa(int(s)) + ")"
}
