package passteam

import (
	"context"
	"encoding/json"
)

// The card and template operations (the API's /oapi/v1 methods), one method each. Every method
// takes a context: a deadline shorter than Config.Timeout bounds the call; a context that is
// already done returns its error without calling. A call in flight is not interrupted by a
// cancellation (the C call cannot be); it ends by its deadline at the latest.

// GetAToken exchanges the personal account's login and password for the API token (valid 365
// days; keep it, do not fetch it per request). No token is needed for this call.
func (c *Client) GetAToken(ctx context.Context, nickname, password string) (string, error) {
	var raw json.RawMessage
	err := c.do(ctx, "getatoken", map[string]string{"nickname": nickname, "password": password}, &raw)
	if err != nil {
		return "", err
	}
	// The result is the token itself or {"token": ...}; the spec allows both.
	var token string
	if json.Unmarshal(raw, &token) == nil {
		return token, nil
	}
	var obj struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", protocolError("getatoken", nil, err) // nil: the result may hold the token
	}
	return obj.Token, nil
}

// GetListTemplates lists the account's templates.
func (c *Client) GetListTemplates(ctx context.Context) ([]TemplateRef, error) {
	return result[[]TemplateRef](ctx, c, "getlisttemplates", nil)
}

// GetTemplate reads one template with its fields.
func (c *Client) GetTemplate(ctx context.Context, templateID string) (Template, error) {
	return result[Template](ctx, c, "gettemplate", map[string]string{"templateId": templateID})
}

// CreateCard creates a card. It is never resent automatically: on an error whose Outcome is
// OutcomeUnknown the card may exist; look it up (or use IssueCard, which does that for you).
func (c *Client) CreateCard(ctx context.Context, card NewCard) (Card, error) {
	return result[Card](ctx, c, "createcard", card)
}

// GetCard finds a card; ErrNotFound when there is none.
func (c *Client) GetCard(ctx context.Context, lookup CardLookup) (Card, error) {
	return result[Card](ctx, c, "getcard", lookup)
}

// UpdateCard changes a card's variables and system fields (only those sent change).
func (c *Client) UpdateCard(ctx context.Context, update CardUpdate) (UpdateResult, error) {
	return result[UpdateResult](ctx, c, "updatecard", update)
}

// GetCardsWithPagination reads one page (page from 1, perPage at most 50; 0 = the server's
// default) of a template's cards. Cards walks all pages for you.
func (c *Client) GetCardsWithPagination(ctx context.Context, templateID string, page, perPage int) (Page, error) {
	params := struct {
		TemplateID string `json:"templateId"`
		Page       int    `json:"page,omitempty"`
		PerPage    int    `json:"perPage,omitempty"`
	}{templateID, page, perPage}
	return result[Page](ctx, c, "getcardswithpagination", params)
}

// CheckVariableValue tells whether a unique variable's value (e.g. Values{"PHONE": "+7..."}) is
// still free, and which cards hold it if not.
func (c *Client) CheckVariableValue(ctx context.Context, templateID string, values Values) (CheckResult, error) {
	params := struct {
		TemplateID string `json:"templateId"`
		Values     Values `json:"values"`
	}{templateID, values}
	return result[CheckResult](ctx, c, "checkvariablevalue", params)
}

// Distribute sends the card's link to its holder by SMS or e-mail. It is never resent
// automatically (see OutcomeUnknown).
func (c *Client) Distribute(ctx context.Context, cardID string, channel Channel) error {
	return c.do(ctx, "distribute", map[string]string{"cardId": cardID, "type": string(channel)}, nil)
}

// DeleteCard deletes a card; DeleteResult.N is 0 when there was nothing to delete.
func (c *Client) DeleteCard(ctx context.Context, cardID string) (DeleteResult, error) {
	return result[DeleteResult](ctx, c, "deletecard", map[string]string{"cardId": cardID})
}

// UpdateCards updates a card found by CardID, CardCode, or TemplateID and a unique variable in
// Values; the other Values are written.
//
// Deprecated: the API deprecates updatecards; use UpdateCard or UpdateClient.
func (c *Client) UpdateCards(ctx context.Context, params CardLookup) (UpdateCardsResult, error) {
	return result[UpdateCardsResult](ctx, c, "updatecards", params)
}

// GetTemplates reads every template with its fields.
//
// Deprecated: slow; use GetListTemplates and GetTemplate.
func (c *Client) GetTemplates(ctx context.Context) ([]Template, error) {
	return result[[]Template](ctx, c, "gettemplates", nil)
}

// GetCards reads every card of a template at once.
//
// Deprecated: slow; use Cards or GetCardsWithPagination.
func (c *Client) GetCards(ctx context.Context, templateID string) ([]Card, error) {
	return result[[]Card](ctx, c, "getcards", map[string]string{"templateId": templateID})
}

// SendPush sends a push message to every card of a template (promotions; balances change through
// UpdateCard). It is never resent automatically.
func (c *Client) SendPush(ctx context.Context, templateID, message string) error {
	return c.do(ctx, "sendpush", map[string]string{"templateId": templateID, "message": message}, nil)
}
