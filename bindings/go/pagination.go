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
// It stops after the last page (nextPage null), at an empty page, when the loop breaks, or after
// yielding an error (the failed page's error, or ctx's once it is done).
func (c *Client) Cards(ctx context.Context, templateID string) iter.Seq2[Card, error] {
	return func(yield func(Card, error) bool) {
		page := 1
		for {
			p, err := c.GetCardsWithPagination(ctx, templateID, page, cardsPerPage)
			if err != nil {
				yield(Card{}, err)
				return
			}
			if len(p.Cards) == 0 {
				return
			}
			for _, card := range p.Cards {
				if !yield(card, nil) {
					return
				}
			}
			if p.NextPage == nil {
				return
			}
			// Follow the server's nextPage, but never backwards: a confused server must not make
			// the walk loop forever.
			page = max(*p.NextPage, page+1)
		}
	}
}
