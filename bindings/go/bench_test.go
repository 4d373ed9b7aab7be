package passteam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"
)

// The same request made with plain net/http: POST /oapi/v1/getcard with a multipart form holding
// cardId and the raw token in Authorization, the envelope decoded into a Card, as the library does.
type netHTTPGetCard struct {
	client *http.Client
	url    string
	token  string
}

func newNetHTTPGetCard() *netHTTPGetCard {
	return &netHTTPGetCard{
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second},
		url:    sb.BaseURL + "/oapi/v1/getcard",
		token:  sb.Token,
	}
}

func (h *netHTTPGetCard) getCard(cardID string) (Card, error) {
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	if err := form.WriteField("cardId", cardID); err != nil {
		return Card{}, err
	}
	if err := form.Close(); err != nil {
		return Card{}, err
	}
	req, err := http.NewRequest(http.MethodPost, h.url, &body)
	if err != nil {
		return Card{}, err
	}
	req.Header.Set("Content-Type", form.FormDataContentType())
	req.Header.Set("Authorization", h.token)
	resp, err := h.client.Do(req)
	if err != nil {
		return Card{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return Card{}, err
	}
	var env struct {
		Result  Card   `json:"result"`
		Code    int    `json:"code"`
		Error   bool   `json:"error"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return Card{}, err
	}
	if env.Error || env.Code != 200 {
		return Card{}, fmt.Errorf("HTTP %d: %s", resp.StatusCode, env.Message)
	}
	return env.Result, nil
}

// benchSetup makes a card and checks that both ways of reading it agree.
func benchSetup(b *testing.B) (*Client, *netHTTPGetCard, string) {
	sb.control(b, "DELETE", "/_sandbox/faults", nil, nil)
	c := newClient(b)
	card := newCard(b, c)
	h := newNetHTTPGetCard()
	viaLib, err := c.GetCard(context.Background(), CardLookup{CardID: card.CardID})
	if err != nil {
		b.Fatal(err)
	}
	viaHTTP, err := h.getCard(card.CardID)
	if err != nil || viaHTTP.CardID != viaLib.CardID || viaHTTP.CardURL != viaLib.CardURL {
		b.Fatalf("net/http read %+v, %v", viaHTTP, err)
	}
	return c, h, card.CardID
}

// BenchmarkGetCard measures each way on its own.
func BenchmarkGetCard(b *testing.B) {
	c, h, id := benchSetup(b)
	ctx := context.Background()
	b.Run("passteam", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.GetCard(ctx, CardLookup{CardID: id}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net_http", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.getCard(id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGetCardVsNetHTTP interleaves the two ways call by call, so that both see the same
// noise of a shared machine, and reports calls per second of each and their ratio
// (passteam / net/http; the goal is >= 0.9).
func BenchmarkGetCardVsNetHTTP(b *testing.B) {
	c, h, id := benchSetup(b)
	ctx := context.Background()
	var libTime, httpTime time.Duration
	lib := func() {
		start := time.Now()
		if _, err := c.GetCard(ctx, CardLookup{CardID: id}); err != nil {
			b.Fatal(err)
		}
		libTime += time.Since(start)
	}
	plain := func() {
		start := time.Now()
		if _, err := h.getCard(id); err != nil {
			b.Fatal(err)
		}
		httpTime += time.Since(start)
	}
	n := 0
	for b.Loop() {
		if n%2 == 0 { // alternate who goes first: neither profits from the other's warm caches
			lib()
			plain()
		} else {
			plain()
			lib()
		}
		n++
	}
	b.ReportMetric(float64(n)/libTime.Seconds(), "passteam-calls/s")
	b.ReportMetric(float64(n)/httpTime.Seconds(), "nethttp-calls/s")
	b.ReportMetric(httpTime.Seconds()/libTime.Seconds(), "ratio")
}

// BenchmarkGetCardParallel measures both ways from many goroutines at once.
func BenchmarkGetCardParallel(b *testing.B) {
	c, h, id := benchSetup(b)
	ctx := context.Background()
	b.Run("passteam", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.GetCard(ctx, CardLookup{CardID: id}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("net_http", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := h.getCard(id); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
