package passteam

import (
	"context"
	"encoding/json"
	"iter"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Webhook event names, in the spelling WebhookEvent.Event uses.
const (
	EventCreateCard    = "createCard"
	EventUpdateCard    = "updateCard"
	EventDeleteCard    = "deleteCard"
	EventInstallCard   = "installCard"
	EventUnInstallCard = "unInstallCard"
)

// WebhookEvent is one card event Passteam posted, normalised by the library.
type WebhookEvent struct {
	// WebhookID is Passteam's id of the delivery: the same on each repeat; pass it to Ack.
	WebhookID string `json:"webhookId"`
	// Event is one of the Event* constants.
	Event string `json:"event"`
	// Card is the card as Passteam sent it.
	Card Card `json:"card"`
	// CardJSON is the card's JSON as received, with fields Card does not know.
	CardJSON json.RawMessage `json:"-"`
}

func decodeWebhookEvent(doc []byte) (*WebhookEvent, error) {
	var ev WebhookEvent
	var raw struct {
		Card json.RawMessage `json:"card"`
	}
	if err := json.Unmarshal(doc, &ev); err != nil {
		return nil, &Error{Status: StatusProtocol, Name: StatusProtocol.String(),
			Message: "cannot decode the webhook event: " + err.Error(), cause: err}
	}
	if err := json.Unmarshal(doc, &raw); err == nil {
		ev.CardJSON = raw.Card
	}
	return &ev, nil
}

// ParseWebhook validates a webhook body as Passteam posts it. A body that is not JSON or lacks a
// webhookId, a known event, or a card with a cardId is an ErrProtocol saying which.
func ParseWebhook(body []byte) (*WebhookEvent, error) {
	if strings.IndexByte(string(body), 0) >= 0 {
		return nil, &Error{Status: StatusProtocol, Name: StatusProtocol.String(),
			Message: "the webhook body holds a NUL byte"}
	}
	status, doc := nativeWebhookParse(string(body))
	if status != int(StatusOK) {
		return nil, parseError(status, doc)
	}
	return decodeWebhookEvent(doc)
}

// WebhookConfig configures a WebhookReceiver. Path and StorePath are required.
type WebhookConfig struct {
	// Listen is the address, e.g. "0.0.0.0:8080"; "" means "127.0.0.1:0" (the OS picks the port).
	Listen string
	// Path is the secret path Passteam posts to, at least 16 characters.
	Path string
	// StorePath is the SQLite file that keeps events until they are acknowledged.
	StorePath string
	// RetentionDays is how long acknowledged ids are remembered to recognise repeats (0: 7 days).
	RetentionDays int
	// MaxBodyBytes refuses larger bodies with 413 (0: 1 MiB).
	MaxBodyBytes int
	// MaxConnections caps connections served at once (0: 64).
	MaxConnections int
	// HeaderTimeout and BodyTimeout bound a slow client (0: 5 s and 10 s).
	HeaderTimeout, BodyTimeout time.Duration
	// TLSCert and TLSKey are PEM files; both set makes the receiver speak HTTPS.
	TLSCert, TLSKey string
}

func (c WebhookConfig) marshal() ([]byte, error) {
	doc := map[string]any{"path": c.Path, "store_path": c.StorePath}
	if c.Listen != "" {
		doc["listen"] = c.Listen
	}
	for key, value := range map[string]int{"retention_days": c.RetentionDays, "max_body_bytes": c.MaxBodyBytes,
		"max_connections": c.MaxConnections, "header_timeout_ms": int(c.HeaderTimeout / time.Millisecond),
		"body_timeout_ms": int(c.BodyTimeout / time.Millisecond)} {
		if value != 0 {
			doc[key] = value
		}
	}
	if c.TLSCert != "" || c.TLSKey != "" {
		doc["tls_cert"], doc["tls_key"] = c.TLSCert, c.TLSKey
	}
	return json.Marshal(doc)
}

// WebhookReceiver is a running receiver: Passteam posts to it, the program takes events with Next
// or Events and acknowledges them with Ack. Every new event is on disk before Passteam gets its
// 200, repeats are delivered once, and an event stays pending until acknowledged, across restarts.
// Safe for concurrent use.
type WebhookReceiver struct {
	mu      sync.RWMutex
	handle  nativeWebhookServer
	addr    string
	url     string
	cleanup runtime.Cleanup
}

// webhookSlice bounds one native wait, so that Close and a cancelled context never wait long.
const webhookSlice = 250 * time.Millisecond

// StartWebhookReceiver starts a receiver. A bad config, a store that cannot be opened or an
// address that cannot be bound is an ErrInvalidArgument.
func StartWebhookReceiver(cfg WebhookConfig) (*WebhookReceiver, error) {
	if err := checkABI(nativeABIVersion()); err != nil {
		return nil, err
	}
	doc, err := cfg.marshal()
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Name: StatusInvalidArgument.String(),
			Message: "webhook config: " + err.Error(), cause: err}
	}
	handle, status, errDoc := nativeWebhookStart(string(doc))
	if status != int(StatusOK) {
		return nil, parseError(status, errDoc)
	}
	status, infoDoc := nativeWebhookInfo(handle)
	var info struct {
		Listen string `json:"listen"`
		URL    string `json:"url"`
	}
	if status != int(StatusOK) || json.Unmarshal(infoDoc, &info) != nil {
		nativeWebhookFree(handle)
		return nil, parseError(status, infoDoc)
	}
	r := &WebhookReceiver{handle: handle, addr: info.Listen, url: info.URL}
	r.cleanup = runtime.AddCleanup(r, nativeWebhookFree, handle)
	return r, nil
}

// Addr is the bound address, e.g. "127.0.0.1:40123".
func (r *WebhookReceiver) Addr() string { return r.addr }

// URL is the receiver's URL with the bound address (give Passteam your public name in its place).
func (r *WebhookReceiver) URL() string { return r.url }

// Next returns the oldest event not yet acknowledged, waiting for one until ctx is done (then it
// returns ctx.Err()). The same event comes back until Ack.
func (r *WebhookReceiver) Next(ctx context.Context) (*WebhookEvent, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wait := webhookSlice
		if deadline, ok := ctx.Deadline(); ok {
			wait = min(wait, max(time.Until(deadline), 0))
		}
		doc, err := r.native(func(h nativeWebhookServer) (int, []byte) {
			return nativeWebhookNext(h, uint32(wait/time.Millisecond))
		})
		if err != nil {
			return nil, err
		}
		if string(doc) != "null" {
			return decodeWebhookEvent(doc)
		}
	}
}

// Ack marks an event handled. Acknowledging twice is fine; an id the store never held is an
// ErrNotFound.
func (r *WebhookReceiver) Ack(webhookID string) error {
	if strings.IndexByte(webhookID, 0) >= 0 {
		return &Error{Status: StatusInvalidArgument, Name: StatusInvalidArgument.String(),
			Message: "webhookID holds a NUL byte"}
	}
	_, err := r.native(func(h nativeWebhookServer) (int, []byte) { return nativeWebhookAck(h, webhookID) })
	return err
}

// Pending is the number of events waiting for an acknowledgement.
func (r *WebhookReceiver) Pending() (int, error) {
	doc, err := r.native(nativeWebhookInfo)
	if err != nil {
		return 0, err
	}
	var info struct {
		Pending int `json:"pending"`
	}
	if err := json.Unmarshal(doc, &info); err != nil {
		return 0, &Error{Status: StatusProtocol, Name: StatusProtocol.String(), Message: err.Error(), cause: err}
	}
	return info.Pending, nil
}

// Events yields events as they arrive until ctx is done or the receiver is closed (the loop then
// ends without an error). Each event is acknowledged when the loop body asks for the next one, so
// an event whose handling panicked or broke out of the loop stays pending and comes again.
// An error (other than the end) is yielded once, and the sequence stops.
func (r *WebhookReceiver) Events(ctx context.Context) iter.Seq2[*WebhookEvent, error] {
	return func(yield func(*WebhookEvent, error) bool) {
		for {
			ev, err := r.Next(ctx)
			if err != nil {
				if ctx.Err() == nil && err != ErrClosed {
					yield(nil, err)
				}
				return
			}
			if !yield(ev, nil) {
				return
			}
			if err := r.Ack(ev.WebhookID); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// Close stops the receiver and frees it; events not acknowledged stay in the store. It waits for a
// running Next slice (at most a quarter second), is idempotent, and later calls return ErrClosed.
func (r *WebhookReceiver) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.handle == nil {
		return nil
	}
	r.cleanup.Stop()
	nativeWebhookFree(r.handle)
	r.handle = nil
	return nil
}

func (r *WebhookReceiver) native(call func(nativeWebhookServer) (int, []byte)) ([]byte, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.handle == nil {
		return nil, ErrClosed
	}
	status, doc := call(r.handle)
	if status != int(StatusOK) {
		return nil, parseError(status, doc)
	}
	return doc, nil
}
