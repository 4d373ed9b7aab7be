package passteam

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestContextDeadlineBoundsTheCall(t *testing.T) {
	c := newClient(t, func(cfg *Config) { cfg.Timeout = 20 * time.Second })
	card := newCard(t, c)
	sb.fault(t, map[string]any{"method": "getcard", "kind": "delay", "delay_ms": 3000})

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetCard(ctx, CardLookup{CardID: card.CardID})
	elapsed := time.Since(start)

	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want ErrTimeout that is also context.DeadlineExceeded", err)
	}
	if elapsed < 150*time.Millisecond || elapsed > time.Second {
		t.Fatalf("the call took %v with a 200ms context deadline", elapsed)
	}
}

func TestClientTimeoutTighterThanContext(t *testing.T) {
	c := newClient(t, func(cfg *Config) { cfg.Timeout = 300 * time.Millisecond; cfg.MaxAttempts = 1 })
	sb.fault(t, map[string]any{"method": "getcard", "kind": "delay", "delay_ms": 2000, "times": 1})

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := c.GetCard(ctx, CardLookup{CardID: unknownCardID})
	if !errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want ErrTimeout from the client's own timeout", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("took %v", d)
	}
}

func TestContextWithTimeToSpareSucceeds(t *testing.T) {
	c := newClient(t)
	card := newCard(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := c.GetCard(ctx, CardLookup{CardID: card.CardID})
	if err != nil || got.CardID != card.CardID {
		t.Fatalf("GetCard = %s, %v", got.CardID, err)
	}
}

// A context that is already done returns its own error and sends nothing.
func TestDoneContextDoesNotCall(t *testing.T) {
	c := newClient(t)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()

	sb.clearRequests(t)
	if _, err := c.GetListTemplates(canceled); err != context.Canceled {
		t.Errorf("canceled context: err = %v; want context.Canceled", err)
	}
	if err := c.Distribute(canceled, unknownCardID, ChannelSMS); err != context.Canceled {
		t.Errorf("canceled context: err = %v; want context.Canceled", err)
	}
	if _, err := c.Call(expired, "getlisttemplates", nil); err != context.DeadlineExceeded {
		t.Errorf("expired context: err = %v; want context.DeadlineExceeded", err)
	}
	if log := sb.requests(t); len(log) != 0 {
		t.Errorf("a done context still sent %d requests", len(log))
	}
}
