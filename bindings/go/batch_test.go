package passteam

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestCallBatchKeepsOrderAndReturnsPerItemErrors(t *testing.T) {
	c := newClient(t)
	card := newCard(t, c)
	results, err := c.CallBatch(context.Background(), []BatchRequest{
		{Method: "getcard", Params: map[string]any{"cardId": card.CardID}},
		{Method: "getcard", Params: map[string]any{"cardId": unknownCardID}},
		{Method: "nosuchmethod"},
		{Method: "updatecard", Params: map[string]any{"cardId": card.CardID, "values": map[string]any{"BONUS": "3"}}},
	}, BatchOptions{Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 {
		t.Fatalf("%d results", len(results))
	}
	var got Card
	if results[0].Err != nil || json.Unmarshal(results[0].Result, &got) != nil || got.CardID != card.CardID {
		t.Fatalf("item 0: %+v", results[0])
	}
	if !errors.Is(results[1].Err, ErrNotFound) {
		t.Fatalf("item 1: %v", results[1].Err)
	}
	if !errors.Is(results[2].Err, ErrInvalidArgument) {
		t.Fatalf("item 2: %v", results[2].Err)
	}
	if results[3].Err != nil {
		t.Fatalf("item 3: %v", results[3].Err)
	}
}

func TestCallBatchRefusesBadOptions(t *testing.T) {
	c := newClient(t)
	if _, err := c.CallBatch(context.Background(), nil, BatchOptions{Concurrency: 100}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v", err)
	}
}
