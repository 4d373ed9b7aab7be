package passteam

import (
	"context"
	"encoding/json"
	"runtime"
	"time"
)

// BatchRequest is one operation of a batch: a method's wire name and its params (a struct, a map or
// json.RawMessage, as for Call).
type BatchRequest struct {
	Method string
	Params any
}

// BatchOptions tunes CallBatch. The zero value runs 4 at a time with no batch deadline.
type BatchOptions struct {
	// Concurrency is the number of items in flight at once (1-64; 0 means 4).
	Concurrency int
	// Timeout bounds the whole batch: items not started by then are not sent and fail with ErrTimeout.
	// Each item also keeps the client's own Timeout. 0 means no batch deadline (the context's deadline,
	// if any, is used instead).
	Timeout time.Duration
}

// BatchResult is the outcome of one item: its raw result, or the error it failed with.
type BatchResult struct {
	Result json.RawMessage
	Err    error
}

// CallBatch runs many operations on the client's pool with bounded concurrency and returns one
// BatchResult per request, in the same order; a failing item never stops the others (its Err is set).
// The returned error is non-nil only when the batch as a whole could not run (bad options, a params
// value that cannot be marshalled, a closed client).
func (c *Client) CallBatch(ctx context.Context, requests []BatchRequest, opts BatchOptions) ([]BatchResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type item struct {
		Method string          `json:"method"`
		Params json.RawMessage `json:"params,omitempty"`
	}
	items := make([]item, len(requests))
	for i, r := range requests {
		body, err := marshalParams(r.Params)
		if err != nil {
			return nil, err
		}
		items[i] = item{Method: r.Method, Params: body}
	}
	reqJSON, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	options := map[string]any{}
	if opts.Concurrency != 0 {
		options["concurrency"] = opts.Concurrency
	}
	timeout := opts.Timeout
	if deadline, ok := ctx.Deadline(); ok && (timeout == 0 || time.Until(deadline) < timeout) {
		timeout = time.Until(deadline)
		if timeout <= 0 {
			return nil, context.DeadlineExceeded
		}
	}
	if timeout > 0 {
		options["timeout_ms"] = millis(timeout)
	}
	optJSON, _ := json.Marshal(options)

	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	status, out := nativeCallBatch(c.handle, reqJSON, optJSON)
	runtime.KeepAlive(c)
	if status != int(StatusOK) {
		return nil, parseError(status, out)
	}
	var answers []struct {
		Status int             `json:"status"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(out, &answers); err != nil {
		return nil, protocolError("callbatch", err)
	}
	results := make([]BatchResult, len(answers))
	for i, a := range answers {
		if a.Status == int(StatusOK) {
			results[i].Result = a.Result
		} else {
			results[i].Err = parseError(a.Status, a.Error)
		}
	}
	return results, nil
}
