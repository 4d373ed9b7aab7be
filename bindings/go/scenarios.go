package passteam

import "context"

// The vendor's integration scenarios, run inside the library as several API calls.

// IssueCard finds the card (by CardID, CardCode, or TemplateID and the unique variable in
// Values) and creates it from TemplateID and Values when absent. It happens exactly once: a lost
// createcard reply is resolved by looking the card up, never by creating a second card.
func (c *Client) IssueCard(ctx context.Context, params IssueCardParams) (IssueResult, error) {
	return result[IssueResult](ctx, c, "issuecard", params)
}

// UpdateClient finds the card (by CardID, CardCode, or TemplateID and Find) and writes Values to
// it with updatecard.
func (c *Client) UpdateClient(ctx context.Context, params UpdateClientParams) (UpdateResult, error) {
	return result[UpdateResult](ctx, c, "updateclient", params)
}
