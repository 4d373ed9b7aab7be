package passteam

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
)

// closedPortURL is a loopback address nothing listens on: "the shop's internet is down".
func closedPortURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

func TestOutboxQueueFlushStatsListRetryDiscard(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "outbox.sqlite")
	manual := func(base string) func(*Config) {
		return func(c *Config) {
			c.OutboxPath, c.OutboxReplay = path, "manual"
			if base != "" {
				c.BaseURL = base
			}
		}
	}
	online := newClient(t, manual(""))
	down := newClient(t, manual(closedPortURL(t)))
	card := newCard(t, online)

	_, err := down.UpdateCard(ctx, CardUpdate{CardID: card.CardID, Values: Values{"BONUS": "31"}})
	if !errors.Is(err, ErrQueued) {
		t.Fatalf("want ErrQueued, got %v", err)
	}
	var perr *Error
	if !errors.As(err, &perr) || perr.OutboxID <= 0 || perr.Status != StatusQueued {
		t.Fatalf("queued error without an outbox id: %#v", err)
	}
	if errors.Is(err, ErrTransport) {
		t.Fatal("a queued call is not a transport failure")
	}
	_, err = down.UpdateCard(ctx, CardUpdate{CardID: "000000000000000000000000", Values: Values{"BONUS": "1"}})
	var ghost *Error
	if !errors.As(err, &ghost) || !errors.Is(err, ErrQueued) {
		t.Fatalf("want ErrQueued, got %v", err)
	}

	stats, err := down.OutboxStats(ctx)
	if err != nil || stats.Pending != 2 || stats.Dead != 0 || stats.OldestAgeMS == nil {
		t.Fatalf("stats %+v, %v", stats, err)
	}
	entries, err := down.OutboxList(ctx, OutboxFilter{State: "pending"})
	if err != nil || len(entries) != 2 || entries[0].ID != perr.OutboxID || entries[0].Method != "updatecard" {
		t.Fatalf("list %+v, %v", entries, err)
	}

	report, err := online.OutboxFlush(ctx, 5e9)
	if err != nil || report != (OutboxReport{Sent: 1, Failed: 1, Pending: 0, Dead: 1}) {
		t.Fatalf("flush %+v, %v", report, err)
	}
	got, err := online.GetCard(ctx, CardLookup{CardID: card.CardID})
	if err != nil || got.Values["%BONUS%"] != "31" {
		t.Fatalf("the queued bonus did not arrive: %+v, %v", got.Values, err)
	}
	dead, err := online.OutboxList(ctx, OutboxFilter{State: "dead"})
	if err != nil || len(dead) != 1 || dead[0].ID != ghost.OutboxID {
		t.Fatalf("dead %+v, %v", dead, err)
	}
	if err := online.OutboxRetry(ctx, ghost.OutboxID); err != nil {
		t.Fatal(err)
	}
	if err := online.OutboxDiscard(ctx, ghost.OutboxID); err != nil {
		t.Fatal(err)
	}
	if err := online.OutboxDiscard(ctx, ghost.OutboxID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("discarding twice: %v", err)
	}
	if stats, _ := online.OutboxStats(ctx); stats.Pending != 0 || stats.Dead != 0 {
		t.Fatalf("stats after discard %+v", stats)
	}
}

func TestOutboxOffSaysSo(t *testing.T) {
	c := newClient(t)
	if _, err := c.OutboxStats(context.Background()); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("want ErrInvalidArgument, got %v", err)
	}
}
