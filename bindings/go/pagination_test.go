package passteam

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"
	"testing"
)

// pageRequests returns the page numbers the sandbox was asked for, in order.
func pageRequests(t *testing.T) []string {
	t.Helper()
	var pages []string
	for _, r := range sb.requests(t) {
		if r.Method == "getcardswithpagination" {
			if r.Fields["perPage"] != "50" || r.Fields["templateId"] != loyaltyTemplate {
				t.Errorf("page request fields = %v", r.Fields)
			}
			pages = append(pages, r.Fields["page"])
		}
	}
	return pages
}

func TestCardsWalksEveryPageLazily(t *testing.T) {
	ctx := context.Background()
	sb.reset(t)
	c := newClient(t)
	const total = 120 // 3 pages of 50, 50, 20
	created := map[string]bool{}
	for range total {
		created[newCard(t, c).CardID] = true
	}

	t.Run("a full walk", func(t *testing.T) {
		sb.clearRequests(t)
		seen := map[string]bool{}
		for card, err := range c.Cards(ctx, loyaltyTemplate) {
			if err != nil {
				t.Fatal(err)
			}
			if seen[card.CardID] || !created[card.CardID] {
				t.Fatalf("card %s repeated or unknown", card.CardID)
			}
			seen[card.CardID] = true
		}
		if len(seen) != total {
			t.Fatalf("walked %d cards; want %d", len(seen), total)
		}
		if pages := pageRequests(t); len(pages) != 3 || pages[0] != "1" || pages[1] != "2" || pages[2] != "3" {
			t.Fatalf("pages requested: %v; want [1 2 3]", pages)
		}
	})

	t.Run("pages are fetched only when needed", func(t *testing.T) {
		sb.clearRequests(t)
		n := 0
		for _, err := range c.Cards(ctx, loyaltyTemplate) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			// While the first page is consumed, the second has not been asked for.
			if n == 50 && len(pageRequests(t)) != 1 {
				t.Fatalf("after 50 cards, pages requested: %v", pageRequests(t))
			}
			if n == 51 && len(pageRequests(t)) != 2 {
				t.Fatalf("after 51 cards, pages requested: %v", pageRequests(t))
			}
			if n == 60 {
				break
			}
		}
		if pages := pageRequests(t); len(pages) != 2 {
			t.Fatalf("a walk stopped at card 60 requested pages %v; want [1 2]", pages)
		}
	})

	t.Run("an empty page ends the walk", func(t *testing.T) {
		// A server claiming more pages but sending none must not make the walk spin.
		sb.fault(t, map[string]any{"method": "getcardswithpagination", "kind": "status", "status": 200, "times": 1,
			"body": `{"result": {"pageCount": 9, "nextPage": 2, "previouslyPage": null, "cardsCount": 400, "cards": []},` +
				` "message": "OK", "code": 200, "error": false}`})
		sb.clearRequests(t)
		for _, err := range c.Cards(ctx, loyaltyTemplate) {
			t.Fatalf("yielded from an empty page (err %v)", err)
		}
		if pages := pageRequests(t); len(pages) != 1 {
			t.Fatalf("pages requested: %v", pages)
		}
	})

	t.Run("an error is yielded once and ends the walk", func(t *testing.T) {
		n := 0
		var last error
		for _, err := range c.Cards(ctx, loyaltyTemplate) {
			if err != nil {
				if last != nil {
					t.Fatal("a second error was yielded")
				}
				last = err
				continue
			}
			n++
			if n == 1 {
				// The next page request (page 2) will fail.
				sb.fault(t, map[string]any{"method": "getcardswithpagination", "kind": "status", "status": 404,
					"message": "Template not found", "times": 1})
			}
		}
		if n != 50 || !errors.Is(last, ErrNotFound) {
			t.Fatalf("walked %d cards, ended with %v; want 50 and ErrNotFound", n, last)
		}
	})

	t.Run("a canceled context ends the walk", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		n := 0
		var last error
		for _, err := range c.Cards(ctx, loyaltyTemplate) {
			if err != nil {
				last = err
				break
			}
			if n++; n == 10 {
				cancel()
			}
		}
		if n != 50 || !errors.Is(last, context.Canceled) {
			t.Fatalf("walked %d cards, ended with %v; want 50 and context.Canceled", n, last)
		}
	})
}

// The walk follows the pagination rule shared with the core and Python (tests/vectors/pagination.json).
func TestNextPageFollowsTheSharedVector(t *testing.T) {
	data, err := os.ReadFile("../../tests/vectors/pagination.json")
	if err != nil {
		t.Fatal(err)
	}
	var vector struct {
		Cases []struct {
			Name  string `json:"name"`
			Pages map[string]struct {
				Cards    int  `json:"cards"`
				NextPage *int `json:"nextPage"`
			} `json:"pages"`
			Requests []int `json:"requests"`
			Cards    int   `json:"cards"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &vector); err != nil {
		t.Fatal(err)
	}
	if len(vector.Cases) < 8 {
		t.Fatalf("%d cases", len(vector.Cases))
	}
	for _, tc := range vector.Cases {
		var requests []int
		cards, page := 0, 1
		for {
			requests = append(requests, page)
			spec, ok := tc.Pages[strconv.Itoa(page)]
			if !ok {
				t.Fatalf("%s: page %d requested, the case has none", tc.Name, page)
			}
			p := Page{NextPage: spec.NextPage, Cards: make([]Card, spec.Cards)}
			cards += len(p.Cards)
			next, more := nextPage(page, p)
			if !more {
				break
			}
			page = next
		}
		if !slices.Equal(requests, tc.Requests) || cards != tc.Cards {
			t.Errorf("%s: requested %v, %d cards; want %v, %d", tc.Name, requests, cards, tc.Requests, tc.Cards)
		}
	}
}
