package passteam

import (
	"context"
	"encoding/json"
	"runtime"
	"time"
)

// The offline outbox (Config.OutboxPath). A mutating call that cannot be delivered now returns an
// error for which errors.Is(err, ErrQueued) holds: the call is stored and will be sent later. These
// methods replay and inspect the outbox; without OutboxPath they return ErrInvalidArgument.

// OutboxReport is what OutboxFlush did: entries sent and attempts failed in this flush, entries
// left pending and in the dead list.
type OutboxReport struct {
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Pending int `json:"pending"`
	Dead    int `json:"dead"`
}

// OutboxStats describes the outbox now. OldestAgeMS is nil when nothing is pending; LastError is
// the error object of the latest failure, or nil.
type OutboxStats struct {
	Pending     int             `json:"pending"`
	Dead        int             `json:"dead"`
	OldestAgeMS *int64          `json:"oldest_age_ms"`
	LastError   json.RawMessage `json:"last_error"`
}

// OutboxEntry is one stored call. State is "pending" or "dead"; CreatedAt is RFC 3339.
type OutboxEntry struct {
	ID        int64           `json:"id"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	State     string          `json:"state"`
	Attempts  int             `json:"attempts"`
	LastError json.RawMessage `json:"last_error"`
	CreatedAt string          `json:"created_at"`
}

// OutboxFilter selects entries for OutboxList: State "pending", "dead" or "" for both; Limit 0 =
// the library's default (1000).
type OutboxFilter struct {
	State string `json:"state,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// OutboxFlush replays the entries that are due now, for at most maxWait.
func (c *Client) OutboxFlush(ctx context.Context, maxWait time.Duration) (OutboxReport, error) {
	var report OutboxReport
	ms := millis(maxWait)
	if deadline, ok := ctx.Deadline(); ok && millis(time.Until(deadline)) < ms {
		ms = millis(time.Until(deadline))
	}
	if ms > 0xFFFFFFFF {
		ms = 0xFFFFFFFF
	}
	err := c.outbox(ctx, "flush", int64(ms), nil, &report)
	return report, err
}

// OutboxStats reports the number of pending and dead entries, the oldest's age and the last error.
func (c *Client) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var stats OutboxStats
	err := c.outbox(ctx, "stats", 0, nil, &stats)
	return stats, err
}

// OutboxList returns the stored entries, oldest first.
func (c *Client) OutboxList(ctx context.Context, filter OutboxFilter) ([]OutboxEntry, error) {
	var entries []OutboxEntry
	body, err := json.Marshal(filter)
	if err != nil {
		return nil, err
	}
	err = c.outbox(ctx, "list", 0, body, &entries)
	return entries, err
}

// OutboxRetry puts an entry (a dead one, typically) back in line.
func (c *Client) OutboxRetry(ctx context.Context, id int64) error {
	return c.outbox(ctx, "retry", id, nil, nil)
}

// OutboxDiscard removes an entry for good.
func (c *Client) OutboxDiscard(ctx context.Context, id int64) error {
	return c.outbox(ctx, "discard", id, nil, nil)
}

func (c *Client) outbox(ctx context.Context, op string, arg int64, filter []byte, out any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return ErrClosed
	}
	status, doc := nativeOutbox(c.handle, op, arg, filter)
	runtime.KeepAlive(c)
	if status != int(StatusOK) {
		return parseError(status, doc)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(doc, out); err != nil {
		return protocolError("outbox "+op, doc, err)
	}
	return nil
}
