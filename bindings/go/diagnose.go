package passteam

import (
	"context"
	"encoding/json"
	"runtime"
)

// CheckStatus is the outcome of one diagnostic check.
type CheckStatus string

// The outcomes of a check.
const (
	CheckOK      CheckStatus = "ok"
	CheckWarning CheckStatus = "warning"
	CheckFailed  CheckStatus = "failed"
)

// Check is one line of a Diagnosis: what was checked, how it came out, what was measured and what
// to do about it.
type Check struct {
	// Name is dns, proxy, tcp, tls, token, clock, quota, outbox or library.
	Name   string      `json:"name"`
	Status CheckStatus `json:"status"`
	// Figure is what was measured, in a few words ("2 address(es) in 3 ms").
	Figure string `json:"figure"`
	// Advice is one line saying what to do about it.
	Advice  string         `json:"advice"`
	Details map[string]any `json:"details"`
}

// Diagnosis is the report of Client.Diagnose.
type Diagnosis struct {
	// OK is true when no check failed.
	OK        bool    `json:"ok"`
	Worst     string  `json:"worst"`
	ElapsedMS int64   `json:"elapsed_ms"`
	Checks    []Check `json:"checks"`
}

// Check returns the check of that name, or nil when it did not run.
func (d *Diagnosis) Check(name string) *Check {
	for i := range d.Checks {
		if d.Checks[i].Name == name {
			return &d.Checks[i]
		}
	}
	return nil
}

// Diagnose checks the way from this machine to Passteam with the client's config: DNS, the proxy,
// TCP, TLS (the certificate chain against the trust store), the token (one getlisttemplates call),
// the clock, the request budget and the library. The library bounds it to a few seconds; a
// diagnosis that found problems is not an error (read OK and Checks), only one that could not run is.
// ctx is checked before the call starts; the call itself is not cancelled by it.
func (c *Client) Diagnose(ctx context.Context) (*Diagnosis, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	status, out := nativeDiagnose(c.handle)
	runtime.KeepAlive(c)
	if status != int(StatusOK) {
		return nil, parseError(status, out)
	}
	var d Diagnosis
	if err := json.Unmarshal(out, &d); err != nil {
		return nil, protocolError("diagnose", err)
	}
	return &d, nil
}
