package passteam

import (
	"context"
	"iter"
)

// cardsPerPage is the largest page the API serves: the fewest requests for a full walk.
const cardsPerPage = 50

// Cards walks every card of a template, fetching pages (getcardswithpagination, from page 1)
// only as the loop asks for more:
//
//	for card, err := range client.Cards(ctx, templateID) {
//		if err != nil { return err }
//		...
//	}
//
// It stops after the last page (nextPage null), at an empty page, at a nextPage that is not after
// the current page, when the loop breaks, or after yielding an error (the failed page's error, or
// ctx's once it is done).
func (c *Client) Cards(ctx context.Context, templateID string) iter.Seq2[Card, error] {
	return func(yield func(Card, error) bool) {
		page := 1
		for {
			p, err := c.GetCardsWithPagination(ctx, templateID, page, cardsPerPage)
			if err != nil {
				yield(Card{}, err)
				return
			}
			for _, card := range p.Cards {
				if !yield(card, nil) {
					return
				}
			}
			next, ok := nextPage(page, p)
			if !ok {
				return
			}
			page = next
		}
	}
}

// nextPage is the pagination rule every binding shares (tests/vectors/pagination.json): the page
// after current, or false to stop: at a page without cards, at a null nextPage, or at a nextPage
// not after current (a server that does not move forward must not make the walk loop forever).
func nextPage(current int, p Page) (int, bool) {
	if len(p.Cards) == 0 || p.NextPage == nil || *p.NextPage <= current {
		return 0, false
	}
	return *p.NextPage, true
}
