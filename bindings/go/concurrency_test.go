package passteam

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// One client used by many goroutines at once: every call succeeds and returns its own data.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	const workers, rounds = 24, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				phone := newPhone()
				issued, err := c.IssueCard(ctx, IssueCardParams{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone}})
				if err != nil {
					errs <- err
					return
				}
				got, err := c.GetCard(ctx, CardLookup{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone}})
				if err != nil || got.CardID != issued.Card.CardID {
					errs <- errors.Join(errors.New("GetCard returned another card"), err)
					return
				}
				if _, err := c.UpdateCard(ctx, CardUpdate{CardID: got.CardID, Values: Values{"BONUS": "5"}}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Close while calls run: calls either finish or see ErrClosed, nothing crashes, Close is idempotent.
func TestCloseRacesWithCalls(t *testing.T) {
	ctx := context.Background()
	c, err := New(Config{Token: sb.Token, BaseURL: sb.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := c.GetListTemplates(ctx)
				if errors.Is(err, ErrClosed) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	time.Sleep(30 * time.Millisecond)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Close(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := c.Call(ctx, "getlisttemplates", nil); err != ErrClosed || !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("a call after Close: %v", err)
	}
}

// A client that is never closed is freed by its cleanup once unreachable; a closed one is not
// freed twice.
func TestForgottenClientIsFreed(t *testing.T) {
	before := forgottenFreed.Load()
	for range 2 {
		closed, err := New(Config{Token: sb.Token, BaseURL: sb.BaseURL})
		if err != nil {
			t.Fatal(err)
		}
		_ = closed.Close()
	}
	const forgotten = 4
	for range forgotten {
		c, err := New(Config{Token: sb.Token, BaseURL: sb.BaseURL})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetListTemplates(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for forgottenFreed.Load()-before < forgotten && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := forgottenFreed.Load() - before; got != forgotten {
		t.Fatalf("cleanups freed %d clients; want %d (the closed ones must not be freed again)", got, forgotten)
	}
}
