package passteam

// Issue 10, items 6, 7 and 9 in Go: PHP's loose JSON is read without a protocol error, the null rule
// (nil / absent is not sent, "" and an empty slice clear), and messages in Go's terms.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// phpServer answers every request with an envelope around result, as PHP's json_encode writes it.
func phpServer(t *testing.T, result string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"error": false, "code": 200, "message": "", "result": ` + result + `}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{Token: "t", BaseURL: srv.URL, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestAnAppliedUpdateWithPHPTypesIsNotAProtocolError(t *testing.T) {
	c := phpServer(t, `{"messages": {}, "updated": 1, "card": {"cardId": "c1", "cardCode": 123456, "values": []}}`)
	res, err := c.UpdateCard(context.Background(), CardUpdate{CardID: "c1", Values: Values{"BONUS": "1"}})
	if err != nil {
		t.Fatalf("UpdateCard: %v", err)
	}
	if res.Card == nil || res.Card.CardCode != "123456" || len(res.Card.Values) != 0 || !bool(res.Updated) {
		t.Fatalf("got %+v", res)
	}
	raw, err := c.Call(context.Background(), "updatecard", map[string]any{"cardId": "c1"})
	if err != nil || !strings.Contains(string(raw), `"values":{}`) {
		t.Fatalf("the core did not normalise values: %s %v", raw, err)
	}
}

func TestAPageWithStringCountsReads(t *testing.T) {
	c := phpServer(t, `{"pageCount": "2", "nextPage": "2", "previouslyPage": "", "cardsCount": "60",
		"cards": [{"cardId": 7, "cardCode": 42, "values": {"%BONUS%": 62}}]}`)
	page, err := c.GetCardsWithPagination(context.Background(), "t", 1, 25)
	if err != nil {
		t.Fatalf("GetCardsWithPagination: %v", err)
	}
	if page.PageCount != 2 || page.CardsCount != 60 || page.NextPage == nil || *page.NextPage != 2 ||
		page.PreviouslyPage != nil {
		t.Fatalf("got %+v", page)
	}
	if card := page.Cards[0]; card.CardID != "7" || card.CardCode != "42" || card.Values.Get("BONUS") != "62" {
		t.Fatalf("got %+v", card)
	}
}

func TestCheckResultTakesNumericIDs(t *testing.T) {
	c := phpServer(t, `{"unique": false, "cardsIds": [123, "abc"]}`)
	res, err := c.CheckVariableValue(context.Background(), "t", Values{"PHONE": "+79160000000"})
	if err != nil || len(res.CardsIDs) != 2 || res.CardsIDs[0] != "123" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestAResultThatCannotFitSaysTheOperationSucceeded(t *testing.T) {
	c := phpServer(t, `{"pageCount": "many"}`)
	_, err := c.GetCardsWithPagination(context.Background(), "t", 1, 25)
	var perr *Error
	if !errors.As(err, &perr) || perr.Status != StatusProtocol {
		t.Fatalf("want a protocol error, got %v", err)
	}
	if !strings.Contains(perr.Message, "succeeded") || perr.Details["result"] == nil {
		t.Fatalf("the message or details lose the result: %v %v", perr.Message, perr.Details)
	}
}

func TestSaleProductsNilIsNotSentEmptyClears(t *testing.T) {
	keep, _ := json.Marshal(SaleUpdate{ID: "s"})
	clear, _ := json.Marshal(SaleUpdate{ID: "s", Products: []SaleProduct{}})
	one, _ := json.Marshal(SaleUpdate{ID: "s", Products: []SaleProduct{{Name: "tea"}}})
	if strings.Contains(string(keep), "products") || !strings.Contains(string(clear), `"products":[]`) ||
		!strings.Contains(string(one), `"name":"tea"`) {
		t.Fatalf("keep %s, clear %s, one %s", keep, clear, one)
	}
	c := newClient(t)
	sb.clearRequests(t)
	if _, err := c.UpdateSale(context.Background(), SaleUpdate{ID: seededSale, Products: []SaleProduct{}}); err != nil {
		t.Fatalf("UpdateSale: %v", err)
	}
	reqs := sb.requests(t)
	last := reqs[len(reqs)-1]
	if v, ok := last.Fields["products"]; !ok || v != "" || last.ContentType != "urlencoded" {
		t.Fatalf("sent %+v", last)
	}
}

func TestMessagesNameGoTerms(t *testing.T) {
	c, err := New(Config{BaseURL: sb.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.GetListTemplates(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Config{Token") {
		t.Fatalf("got %v", err)
	}
	_, err = c.Call(context.Background(), "noSuchMethod", nil)
	if err == nil || !strings.Contains(err.Error(), "passteam.Methods()") {
		t.Fatalf("got %v", err)
	}
}
