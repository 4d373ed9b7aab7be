package passteam

import (
	"bytes"
	"encoding/json"
)

// Card is a loyalty card (a pass), as getcard, createcard and the pages return it.
type Card struct {
	CardID           string `json:"cardId"`
	CardCode         string `json:"cardCode"`
	CardURL          string `json:"cardUrl"`
	AppleURL         string `json:"appleUrl"`
	GoogleURL        string `json:"googleUrl"`
	QRCodeURL        string `json:"qrcodeUrl"`
	Values           Values `json:"values"`
	DeviceRegistered Flag   `json:"deviceRegistered"`
	ExpirationDate   string `json:"expirationDate"`
	Voided           Flag   `json:"voided"`
	PhoneNumber      string `json:"phoneNumber"`
	Email            string `json:"email"`
	Strip            string `json:"strip"`
	Logo             string `json:"logo"`
	Icon             string `json:"icon"`
	TemplateID       string `json:"templateId"`
	ImportUID        string `json:"importUid"`
	InstalledGPay    Flag   `json:"installedGPay"`
	InstalledAW      Flag   `json:"installedAW"`
	Installed        Flag   `json:"installed"`
	// Created and Updated are "dd.MM.yyyy HH:mm:ss", as the server writes them.
	Created string `json:"created"`
	Updated string `json:"updated"`
}

// Template is a card design with its variables.
type Template struct {
	TemplateID     string         `json:"templateId"`
	PassTypeID     string         `json:"passTypeId"`
	Title          string         `json:"title"`
	TeamIdentifier string         `json:"teamIdentifier"`
	Company        string         `json:"company"`
	City           string         `json:"city"`
	Type           string         `json:"type"`
	CardsCount     int            `json:"cardsCount"`
	DevicesCounter DevicesCounter `json:"devicesCounter"`
	Fields         []Field        `json:"fields"`
	Alias          string         `json:"alias"`
	QRURL          string         `json:"qrUrl"`
	Vacant         Flag           `json:"vacant"`
	UserTitle      string         `json:"userTitle"`
	Owner          string         `json:"owner"`
}

// DevicesCounter counts the devices a template's cards are installed on.
type DevicesCounter struct {
	Summ         int `json:"summ"`
	IOS          int `json:"0"`
	Android      int `json:"1"`
	WindowsPhone int `json:"2"`
}

// Field is one variable of a template: Name is "%PHONE%"; Type is text, phone, email, date,
// date_time, list, flag or number; Params holds e.g. dateStyle or forList.
type Field struct {
	Title  string          `json:"title"`
	Name   string          `json:"name"`
	Type   string          `json:"type"`
	Params json.RawMessage `json:"params,omitempty"`
}

// TemplateRef is one entry of GetListTemplates. The server may list bare ids; Title is "" then.
type TemplateRef struct {
	TemplateID string `json:"templateId"`
	Title      string `json:"title"`
}

// UnmarshalJSON accepts {"templateId", "title"} or a bare id string.
func (t *TemplateRef) UnmarshalJSON(data []byte) error {
	if d := bytes.TrimSpace(data); len(d) > 0 && d[0] == '"' {
		*t = TemplateRef{}
		return json.Unmarshal(d, &t.TemplateID)
	}
	type plain TemplateRef // no methods: avoids recursing into this UnmarshalJSON
	return decodeLoose(data, (*plain)(t))
}

// Page is one page of GetCardsWithPagination. NextPage and PreviouslyPage (the vendor's spelling)
// are nil at the ends.
type Page struct {
	PageCount      int    `json:"pageCount"`
	NextPage       *int   `json:"nextPage"`
	PreviouslyPage *int   `json:"previouslyPage"`
	CardsCount     int    `json:"cardsCount"`
	Cards          []Card `json:"cards"`
}

// UpdateResult is what UpdateCard and UpdateClient return.
type UpdateResult struct {
	Messages []any `json:"messages"`
	Updated  Flag  `json:"updated"`
	Card     *Card `json:"card"`
}

// UpdateCardsResult is what the deprecated UpdateCards returns.
type UpdateCardsResult struct {
	Messages  []any `json:"messages"`
	Updated   Flag  `json:"updated"`
	Processed int   `json:"processed"`
}

// CheckResult tells whether a unique variable's value is free, and which cards hold it if not.
type CheckResult struct {
	Unique   bool     `json:"unique"`
	CardsIDs []string `json:"cardsIds"`
}

// UnmarshalJSON accepts the object or a plain boolean (the spec allows both).
func (r *CheckResult) UnmarshalJSON(data []byte) error {
	if d := bytes.TrimSpace(data); len(d) > 0 && (d[0] == 't' || d[0] == 'f') {
		*r = CheckResult{}
		return json.Unmarshal(d, &r.Unique)
	}
	type plain CheckResult
	return decodeLoose(data, (*plain)(r))
}

// DeleteResult is what DeleteCard returns; N is 0 when nothing was deleted.
type DeleteResult struct {
	N      int    `json:"n"`
	OK     int    `json:"ok"`
	Err    string `json:"err"`
	ErrMsg string `json:"errmsg"`
}

// IssueResult is what the IssueCard scenario returns: the card, and whether it was created now.
type IssueResult struct {
	Card    Card `json:"card"`
	Created bool `json:"created"`
}

// Payment types and statuses of a sale.
const (
	PaymentCard  = "CARD"
	PaymentCash  = "CASH"
	PaymentDraft = "DRAFT"
	PaymentPaid  = "PAID"
)

// Sale is a purchase recorded in Passteam.
type Sale struct {
	ID            string        `json:"id"`
	Title         string        `json:"title"`
	PaymentType   string        `json:"paymentType"`
	PaymentStatus string        `json:"paymentStatus"`
	TotalPrice    int64         `json:"totalPrice"`
	CardID        string        `json:"cardId"`
	Products      []SaleProduct `json:"products"`
	ClientName    string        `json:"clientName"`
	Created       string        `json:"created"`
	Updated       string        `json:"updated"`
}

// SaleProduct is one line of a sale.
type SaleProduct struct {
	ID       string  `json:"_id,omitempty"`
	Name     string  `json:"name"`
	Quantity float64 `json:"quantity"`
	Price    float64 `json:"price"`
}

// Product is an item of a company's catalogue.
type Product struct {
	ID        string  `json:"_id"`
	CompanyID string  `json:"companyId"`
	Name      string  `json:"name"`
	Price     float64 `json:"price"`
}

// ProductPage is one page of ListProducts.
type ProductPage struct {
	PageCount int       `json:"pageCount"`
	Page      int       `json:"page"`
	Products  []Product `json:"products"`
}
