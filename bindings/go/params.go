package passteam

import "encoding/json"

// Parameter structs of the operations that take more than one or two arguments. Their JSON names
// are the wire names; empty fields are not sent. Parameters these structs do not know can still
// be sent with Client.Call, which passes every key through untouched.

// CardLookup finds one card: by CardID, by CardCode, or by TemplateID and a unique variable in
// Values (e.g. Values{"PHONE": "+79161234567"}).
type CardLookup struct {
	CardID     string `json:"cardId,omitempty"`
	CardCode   string `json:"cardCode,omitempty"`
	TemplateID string `json:"templateId,omitempty"`
	Values     Values `json:"values,omitempty"`
}

// SystemFields are the card's fields besides its variables, accepted by CreateCard and UpdateCard.
type SystemFields struct {
	PhoneNumber    string `json:"phoneNumber,omitempty"`
	Email          string `json:"email,omitempty"`
	ExpirationDate string `json:"expirationDate,omitempty"`
	// Voided is a pointer so that "not voided" (false) can be sent; nil leaves it unchanged.
	Voided    *bool  `json:"voided,omitempty"`
	Strip     string `json:"strip,omitempty"`
	Logo      string `json:"logo,omitempty"`
	Icon      string `json:"icon,omitempty"`
	ImportUID string `json:"importUid,omitempty"`
}

// NewCard is the input of CreateCard. A template's unique variables (PHONE on LOYALTY) must be set.
type NewCard struct {
	TemplateID string `json:"templateId"`
	Values     Values `json:"values,omitempty"`
	// CardCode is chosen by the server when empty.
	CardCode string `json:"cardCode,omitempty"`
	SystemFields
}

// CardUpdate is the input of UpdateCard: only the values and fields sent change.
type CardUpdate struct {
	CardID string `json:"cardId"`
	Values Values `json:"values,omitempty"`
	SystemFields
}

// IssueCardParams is the input of the IssueCard scenario: the card is looked up by CardID, by
// CardCode, or by TemplateID and the UniqueVariable (default PHONE) in Values, and created from
// TemplateID and Values when absent.
type IssueCardParams struct {
	CardID         string `json:"cardId,omitempty"`
	CardCode       string `json:"cardCode,omitempty"`
	TemplateID     string `json:"templateId,omitempty"`
	Values         Values `json:"values,omitempty"`
	UniqueVariable string `json:"uniqueVariable,omitempty"`
}

// UpdateClientParams is the input of the UpdateClient scenario: the card is looked up by CardID,
// by CardCode, or by TemplateID and Find (a unique variable), then Values are written to it.
type UpdateClientParams struct {
	CardID     string `json:"cardId,omitempty"`
	CardCode   string `json:"cardCode,omitempty"`
	TemplateID string `json:"templateId,omitempty"`
	Find       Values `json:"find,omitempty"`
	Values     Values `json:"values,omitempty"`
}

// Channel is how Distribute sends a card's link.
type Channel string

// The channels of Distribute; the texts are set in the personal account.
const (
	ChannelSMS   Channel = "sms"
	ChannelEmail Channel = "email"
)

// SaleUpdate is the input of UpdateSale. It is absolute: the fields sent replace the stored ones;
// empty fields are not sent.
type SaleUpdate struct {
	ID            string `json:"id"`
	Title         string `json:"title,omitempty"`
	PaymentType   string `json:"paymentType,omitempty"`   // PaymentCard or PaymentCash
	PaymentStatus string `json:"paymentStatus,omitempty"` // PaymentDraft or PaymentPaid
	// TotalPrice is a pointer so that 0 can be sent; nil leaves it unchanged.
	TotalPrice *int64 `json:"totalPrice,omitempty"`
	CardID     string `json:"cardId,omitempty"`
	// Products: nil leaves the stored list, an empty non-nil slice clears it.
	Products   []SaleProduct `json:"products,omitempty"`
	ClientName string        `json:"clientName,omitempty"`
}

// MarshalJSON sends Products as the one rule of every host says: nil is not sent (the stored list
// stays), an empty non-nil slice clears the list (omitempty alone would drop it).
func (s SaleUpdate) MarshalJSON() ([]byte, error) {
	type plain SaleUpdate // no methods: avoids recursing into this MarshalJSON
	doc, err := json.Marshal(plain(s))
	if err != nil || s.Products == nil || len(s.Products) > 0 {
		return doc, err
	}
	return append(doc[:len(doc)-1], `,"products":[]}`...), nil
}

// ProductUpdate is the input of UpdateProduct; a nil Price and an empty Name are left unchanged.
type ProductUpdate struct {
	ID    string   `json:"id"`
	Name  string   `json:"name,omitempty"`
	Price *float64 `json:"price,omitempty"`
}
