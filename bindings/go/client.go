package passteam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ABIMajor is the C ABI major version this package is written for; New refuses another.
const ABIMajor = 1

// Client calls the Passteam API through libpassteam. It is safe for concurrent use by many
// goroutines; Close it when done (a finaliser frees a forgotten one, but only when the GC runs).
type Client struct {
	// mu guards handle: calls hold it shared, Close exclusively, so the handle is never freed
	// while a call runs on it.
	mu      sync.RWMutex
	handle  nativeClient
	timeout time.Duration
	cleanup runtime.Cleanup
}

// New creates a client. It fails with an ErrInvalidArgument when the linked library's ABI major
// version is not ABIMajor or when a config value is bad.
func New(cfg Config) (*Client, error) {
	if err := checkABI(nativeABIVersion()); err != nil {
		return nil, err
	}
	doc, err := cfg.marshal()
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Name: StatusInvalidArgument.String(),
			Message: "config: " + err.Error(), cause: err}
	}
	handle, status, errDoc := nativeNew(string(doc))
	if status != int(StatusOK) {
		return nil, parseError(status, errDoc)
	}
	c := &Client{handle: handle, timeout: cfg.effectiveTimeout()}
	// The fallback for a forgotten Close. The cleanup holds the handle, not c, so it does not keep
	// c alive; Close stops it so the handle is never freed twice.
	c.cleanup = runtime.AddCleanup(c, freeForgotten, handle)
	return c, nil
}

// forgottenFreed counts the clients freed by the cleanup rather than by Close (tests read it).
var forgottenFreed atomic.Int64

// freeForgotten is the cleanup of a client that was never closed.
func freeForgotten(handle nativeClient) {
	nativeFree(handle)
	forgottenFreed.Add(1)
}

// checkABI refuses a library whose ABI major differs from ABIMajor.
func checkABI(version uint32) error {
	if major := version >> 16; major != ABIMajor {
		return &Error{
			Status: StatusInvalidArgument,
			Name:   StatusInvalidArgument.String(),
			Message: fmt.Sprintf("libpassteam has C ABI %d.%d; this package needs major %d",
				major, version&0xffff, ABIMajor),
		}
	}
	return nil
}

// Close frees the client. It waits for calls in flight (each is bounded by the timeout), is
// idempotent, and may be called from any goroutine; later calls return ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle == nil {
		return nil
	}
	c.cleanup.Stop()
	nativeFree(c.handle)
	c.handle = nil
	return nil
}

// Call runs any operation by name ("getcard", "getCard" or "get_card"; see Methods) with params
// marshalled to a JSON object (a json.RawMessage or []byte is sent as it is), and returns the
// result's JSON. Keys the library does not know are passed through to the server untouched.
func (c *Client) Call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	out, err := c.call(ctx, method, params)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

// do runs an operation and decodes its result into out (nil: the result is not needed).
func (c *Client) do(ctx context.Context, method string, params any, out any) error {
	doc, err := c.call(ctx, method, params)
	if err != nil || out == nil {
		return err
	}
	if err := decodeLoose(doc, out); err != nil {
		return protocolError(method, doc, err)
	}
	return nil
}

// result calls method and decodes its result into a T: the body of every typed operation.
func result[T any](ctx context.Context, c *Client, method string, params any) (T, error) {
	var out T
	err := c.do(ctx, method, params, &out)
	return out, err
}

// protocolError reports a result that does not decode into its Go type. The operation itself
// succeeded (the library accepted the reply), so the message says so and Details["result"] keeps it.
func protocolError(method string, doc []byte, err error) *Error {
	return &Error{
		Status: StatusProtocol,
		Name:   StatusProtocol.String(),
		Message: fmt.Sprintf("%s: the operation succeeded, but its result does not fit the Go type: %v "+
			"(Details[\"result\"] holds it; Client.Call returns it raw)", method, err),
		Details: resultDetails(method, doc),
		cause:   err,
	}
}

// resultDetails names the method and keeps the undecodable result (none when doc is nil).
func resultDetails(method string, doc []byte) map[string]any {
	details := map[string]any{"method": method}
	if doc != nil {
		details["result"] = json.RawMessage(doc)
	}
	return details
}

// call is the one path to the library: context check, params, deadline, the C call.
func (c *Client) call(ctx context.Context, method string, params any) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if strings.IndexByte(method, 0) >= 0 {
		return nil, &Error{Status: StatusInvalidArgument, Name: StatusInvalidArgument.String(),
			Message: "the method name contains a NUL byte"}
	}
	body, err := marshalParams(params)
	if err != nil {
		return nil, err
	}
	timeoutMS, ctxBound := c.callTimeout(ctx)
	if timeoutMS == 0 && ctxBound {
		return nil, context.DeadlineExceeded
	}
	if ctxBound && timeoutMS >= millis(c.timeout) {
		// The client's own timeout is the tighter bound: let the library use it.
		timeoutMS, ctxBound = 0, false
	}

	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	status, out := nativeCall(c.handle, method, body, timeoutMS)
	// The handle is read from c above; keep c (and so the handle, via the cleanup) alive until the
	// C call has returned.
	runtime.KeepAlive(c)
	if status != int(StatusOK) {
		e := parseError(status, out)
		if ctxBound && e.Status == StatusTimeout {
			e.cause = context.DeadlineExceeded
		}
		return nil, e
	}
	return out, nil
}

// callTimeout maps the context's deadline onto the library's per-call timeout. ok is false when
// the context has no deadline; ms is 0 with ok true when the deadline has already passed.
func (c *Client) callTimeout(ctx context.Context) (ms uint64, ok bool) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0, false
	}
	return millis(time.Until(deadline)), true
}

// marshalParams renders params as the JSON text the library reads; nil means {}.
func marshalParams(params any) ([]byte, error) {
	switch p := params.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return rawParams(p)
	case []byte:
		return rawParams(p)
	}
	body, err := json.Marshal(params)
	if err != nil {
		return nil, &Error{Status: StatusInvalidJSON, Name: StatusInvalidJSON.String(),
			Message: "params: " + err.Error(), cause: err}
	}
	return body, nil
}

// rawParams passes JSON text through; a NUL byte would silently cut it short on the C side.
func rawParams(text []byte) ([]byte, error) {
	if bytes.IndexByte(text, 0) >= 0 {
		return nil, &Error{Status: StatusInvalidJSON, Name: StatusInvalidJSON.String(),
			Message: "params contain a NUL byte"}
	}
	return text, nil
}
