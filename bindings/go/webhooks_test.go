package passteam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const webhookSecret = "/passteam/hooks-5e4515b1cea6c61f"

func webhookBody(id, event string) string {
	return fmt.Sprintf(`{"card": {"cardId": "5e451571cea6c6141807b792", "values": {"%%POINTS%%": "1000"},
		"installed": %v, "colour": "green"}, "event": %q, "webhookId": %q}`, event == EventInstallCard, event, id)
}

func startReceiver(t *testing.T, store string) *WebhookReceiver {
	t.Helper()
	r, err := StartWebhookReceiver(WebhookConfig{Path: webhookSecret, StorePath: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func postWebhook(t *testing.T, r *WebhookReceiver, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+r.Addr()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reply map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&reply)
	return resp.StatusCode, reply
}

func TestParseWebhook(t *testing.T) {
	ev, err := ParseWebhook([]byte(webhookBody("5e4515b1cea6c61fba2a4212", "uninstallcard")))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Event != EventUnInstallCard || ev.WebhookID != "5e4515b1cea6c61fba2a4212" || ev.Card.Values["%POINTS%"] != "1000" {
		t.Fatalf("%+v", ev)
	}
	if !strings.Contains(string(ev.CardJSON), `"colour"`) {
		t.Fatalf("CardJSON lost a field: %s", ev.CardJSON)
	}
	_, err = ParseWebhook([]byte(`{"webhookId": "w", "event": "burnCard", "card": {"cardId": "c"}}`))
	if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), "burnCard") {
		t.Fatalf("want ErrProtocol naming the event, got %v", err)
	}
}

func TestWebhookReceiverDeliversRepeatsOnceAndRefusesTheRest(t *testing.T) {
	r := startReceiver(t, filepath.Join(t.TempDir(), "hooks.sqlite"))
	for _, id := range []string{"a", "a", "b"} {
		if code, reply := postWebhook(t, r, "POST", webhookSecret, webhookBody(id, EventInstallCard)); code != 200 || reply["ok"] != true {
			t.Fatalf("%s: %d %v", id, code, reply)
		}
	}
	if code, reply := postWebhook(t, r, "POST", webhookSecret, `{"webhookId": "x"}`); code != 400 || !strings.Contains(reply["error"].(string), "event") {
		t.Fatalf("malformed: %d %v", code, reply)
	}
	if code, _ := postWebhook(t, r, "POST", "/elsewhere", webhookBody("c", EventInstallCard)); code != 404 {
		t.Fatalf("other path: %d", code)
	}
	if code, _ := postWebhook(t, r, "GET", webhookSecret, ""); code != 405 {
		t.Fatalf("GET: %d", code)
	}
	if n, err := r.Pending(); err != nil || n != 2 {
		t.Fatalf("pending %d %v", n, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var seen []string
	for ev, err := range r.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, ev.WebhookID+":"+ev.Event)
	}
	if strings.Join(seen, ",") != "a:installCard,b:installCard" {
		t.Fatalf("seen %v", seen)
	}
	if err := r.Ack("never"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ack of an unknown id: %v", err)
	}
}

func TestWebhookEventBrokenOutOfStaysPendingAcrossARestart(t *testing.T) {
	store := filepath.Join(t.TempDir(), "hooks.sqlite")
	r := startReceiver(t, store)
	postWebhook(t, r, "POST", webhookSecret, webhookBody("kept", EventDeleteCard))
	for range r.Events(context.Background()) {
		break // the handler gave up: no ack
	}
	r.Close()
	if _, err := r.Next(context.Background()); err != ErrClosed {
		t.Fatalf("Next after Close: %v", err)
	}
	r = startReceiver(t, store)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ev, err := r.Next(ctx)
	if err != nil || ev.WebhookID != "kept" || ev.Event != EventDeleteCard {
		t.Fatalf("%+v %v", ev, err)
	}
}

func TestWebhookNextHonoursTheContextAndConcurrentPosters(t *testing.T) {
	r := startReceiver(t, filepath.Join(t.TempDir(), "hooks.sqlite"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	if _, err := r.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want DeadlineExceeded, got %v", err)
	}
	if waited := time.Since(started); waited > 400*time.Millisecond {
		t.Fatalf("Next overran its context by %v", waited)
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2 { // each twice, as Passteam repeats
				if code, _ := postWebhook(t, r, "POST", webhookSecret, webhookBody(fmt.Sprint("p", i), EventUpdateCard)); code != 200 {
					t.Errorf("poster %d: %d", i, code)
				}
			}
		}()
	}
	wg.Wait()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	count := 0
	for _, err := range r.Events(ctx2) {
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	if count != 16 {
		t.Fatalf("%d events, want 16", count)
	}
}

func TestStartWebhookReceiverRefusesABadConfig(t *testing.T) {
	_, err := StartWebhookReceiver(WebhookConfig{Path: "/short", StorePath: filepath.Join(t.TempDir(), "x")})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "at least 16") {
		t.Fatalf("%v", err)
	}
}
