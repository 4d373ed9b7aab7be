package passteam

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// Every operation against the sandbox, checking the typed results; at the end the sandbox's
// request log proves each method reached the server under its wire name.
func TestEveryOperation(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	sb.clearRequests(t)

	t.Run("getatoken", func(t *testing.T) {
		token, err := c.GetAToken(ctx, "demo", "demo")
		if err != nil || token != sb.Token {
			t.Fatalf("GetAToken = %q, %v; want %q", token, err, sb.Token)
		}
	})

	t.Run("getlisttemplates", func(t *testing.T) {
		refs, err := c.GetListTemplates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, r := range refs {
			ids = append(ids, r.TemplateID)
		}
		if !slices.Contains(ids, loyaltyTemplate) || !slices.Contains(ids, giftTemplate) {
			t.Fatalf("templates %v lack the seeded ones", ids)
		}
	})

	t.Run("gettemplate", func(t *testing.T) {
		tpl, err := c.GetTemplate(ctx, loyaltyTemplate)
		if err != nil {
			t.Fatal(err)
		}
		if tpl.TemplateID != loyaltyTemplate || tpl.Title == "" {
			t.Fatalf("template = %+v", tpl)
		}
		names := map[string]string{}
		for _, f := range tpl.Fields {
			names[f.Name] = f.Type
		}
		if names["%PHONE%"] != "phone" || names["%BONUS%"] != "number" || names["%LEVEL%"] != "list" {
			t.Fatalf("fields = %v", names)
		}
	})

	t.Run("gettemplates", func(t *testing.T) {
		all, err := c.GetTemplates(ctx)
		if err != nil || len(all) < 2 {
			t.Fatalf("GetTemplates = %d templates, %v", len(all), err)
		}
	})

	phone := newPhone()
	var card Card
	t.Run("createcard", func(t *testing.T) {
		var err error
		card, err = c.CreateCard(ctx, NewCard{
			TemplateID: loyaltyTemplate,
			Values:     Values{"PHONE": phone, "%CLIENT_NAME%": "Ivan Petrov", "BONUS": "10"},
			SystemFields: SystemFields{
				Email: "ivan@example.com",
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(card.CardID) != 24 || card.CardCode == "" || !strings.HasPrefix(card.CardURL, "http") {
			t.Fatalf("card = %+v", card)
		}
		if card.Values.Get("PHONE") != phone || card.Values["%CLIENT_NAME%"] != "Ivan Petrov" {
			t.Fatalf("values = %v", card.Values)
		}
		if card.Email != "ivan@example.com" || card.TemplateID != loyaltyTemplate || bool(card.Voided) {
			t.Fatalf("system fields = %+v", card)
		}
	})

	t.Run("getcard", func(t *testing.T) {
		for _, lookup := range []CardLookup{
			{CardID: card.CardID},
			{CardCode: card.CardCode},
			{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone}},
		} {
			got, err := c.GetCard(ctx, lookup)
			if err != nil || got.CardID != card.CardID {
				t.Fatalf("GetCard(%+v) = %s, %v", lookup, got.CardID, err)
			}
		}
	})

	t.Run("updatecard", func(t *testing.T) {
		res, err := c.UpdateCard(ctx, CardUpdate{CardID: card.CardID, Values: Values{"BONUS": "25", "LEVEL": "Gold"}})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Updated || res.Card == nil || res.Card.Values.Get("BONUS") != "25" || res.Card.Values.Get("LEVEL") != "Gold" {
			t.Fatalf("UpdateCard = %+v", res)
		}
	})

	t.Run("getcardswithpagination", func(t *testing.T) {
		page, err := c.GetCardsWithPagination(ctx, loyaltyTemplate, 1, 50)
		if err != nil {
			t.Fatal(err)
		}
		if page.CardsCount < 1 || page.PageCount < 1 || len(page.Cards) == 0 || page.PreviouslyPage != nil {
			t.Fatalf("page = %+v", page)
		}
	})

	t.Run("checkvariablevalue", func(t *testing.T) {
		taken, err := c.CheckVariableValue(ctx, loyaltyTemplate, Values{"PHONE": phone})
		if err != nil || taken.Unique || !slices.Equal(taken.CardsIDs, []string{card.CardID}) {
			t.Fatalf("taken phone: %+v, %v", taken, err)
		}
		free, err := c.CheckVariableValue(ctx, loyaltyTemplate, Values{"PHONE": newPhone()})
		if err != nil || !free.Unique || len(free.CardsIDs) != 0 {
			t.Fatalf("free phone: %+v, %v", free, err)
		}
	})

	t.Run("distribute", func(t *testing.T) {
		if err := c.Distribute(ctx, card.CardID, ChannelSMS); err != nil {
			t.Fatal(err)
		}
		if err := c.Distribute(ctx, card.CardID, ChannelEmail); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("updatecards", func(t *testing.T) {
		res, err := c.UpdateCards(ctx, CardLookup{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone, "BONUS": "30"}})
		if err != nil || !res.Updated || res.Processed != 1 {
			t.Fatalf("UpdateCards = %+v, %v", res, err)
		}
	})

	t.Run("getcards", func(t *testing.T) {
		cards, err := c.GetCards(ctx, loyaltyTemplate)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(cards, func(x Card) bool { return x.CardID == card.CardID })
		if i < 0 || cards[i].Values.Get("BONUS") != "30" {
			t.Fatalf("GetCards lacks the updated card")
		}
	})

	t.Run("sendpush", func(t *testing.T) {
		if err := c.SendPush(ctx, loyaltyTemplate, "Double bonus today"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("issuecard", func(t *testing.T) {
		found, err := c.IssueCard(ctx, IssueCardParams{TemplateID: loyaltyTemplate, Values: Values{"PHONE": phone}})
		if err != nil || found.Created || found.Card.CardID != card.CardID {
			t.Fatalf("IssueCard(existing) = %+v, %v", found, err)
		}
		fresh := newPhone()
		made, err := c.IssueCard(ctx, IssueCardParams{TemplateID: loyaltyTemplate, Values: Values{"PHONE": fresh}})
		if err != nil || !made.Created || made.Card.Values.Get("PHONE") != fresh {
			t.Fatalf("IssueCard(new) = %+v, %v", made, err)
		}
	})

	t.Run("updateclient", func(t *testing.T) {
		res, err := c.UpdateClient(ctx, UpdateClientParams{
			TemplateID: loyaltyTemplate,
			Find:       Values{"PHONE": phone},
			Values:     Values{"BONUS": "99"},
		})
		if err != nil || res.Card == nil || res.Card.CardID != card.CardID || res.Card.Values.Get("BONUS") != "99" {
			t.Fatalf("UpdateClient = %+v, %v", res, err)
		}
	})

	t.Run("deletecard", func(t *testing.T) {
		res, err := c.DeleteCard(ctx, card.CardID)
		if err != nil || res.N != 1 || res.OK != 1 {
			t.Fatalf("DeleteCard = %+v, %v", res, err)
		}
		again, err := c.DeleteCard(ctx, card.CardID)
		if err != nil || again.N != 0 {
			t.Fatalf("DeleteCard(again) = %+v, %v", again, err)
		}
		if _, err := c.GetCard(ctx, CardLookup{CardID: card.CardID}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted card still found: %v", err)
		}
	})

	t.Run("sales", func(t *testing.T) {
		sale, err := c.GetSale(ctx, seededSale)
		if err != nil || sale.ID != seededSale {
			t.Fatalf("GetSale = %+v, %v", sale, err)
		}
		total := int64(1500)
		updated, err := c.UpdateSale(ctx, SaleUpdate{
			ID: "sale-go", Title: "Coffee", PaymentType: PaymentCash, PaymentStatus: PaymentPaid,
			TotalPrice: &total, ClientName: "Ivan",
			Products: []SaleProduct{{Name: "Latte", Quantity: 2, Price: 750}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if updated.ID != "sale-go" || updated.TotalPrice != 1500 || updated.PaymentType != PaymentCash ||
			len(updated.Products) != 1 || updated.Products[0].Quantity != 2 || updated.Products[0].Price != 750 {
			t.Fatalf("UpdateSale = %+v", updated)
		}
		if err := c.DeleteSale(ctx, "sale-go"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetSale(ctx, "sale-go"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted sale: %v", err)
		}
	})

	t.Run("products", func(t *testing.T) {
		p, err := c.CreateProduct(ctx, companyID, "Espresso", 120.5)
		if err != nil || p.ID == "" || p.Name != "Espresso" || p.Price != 120.5 || p.CompanyID != companyID {
			t.Fatalf("CreateProduct = %+v, %v", p, err)
		}
		price := 130.0
		p2, err := c.UpdateProduct(ctx, ProductUpdate{ID: p.ID, Price: &price})
		if err != nil || p2.Price != 130 || p2.Name != "Espresso" {
			t.Fatalf("UpdateProduct = %+v, %v", p2, err)
		}
		page, err := c.ListProducts(ctx, companyID, 1, 100)
		if err != nil || page.Page != 1 || !slices.ContainsFunc(page.Products, func(x Product) bool { return x.ID == p.ID }) {
			t.Fatalf("ListProducts = %+v, %v", page, err)
		}
		if err := c.DeleteProduct(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteProduct(ctx, p.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
	})

	t.Run("call", func(t *testing.T) {
		// The generic entry point takes any spelling of the name and passes unknown keys through.
		raw, err := c.Call(ctx, "get_template", map[string]any{"templateId": giftTemplate, "x-extra": 1})
		if err != nil {
			t.Fatal(err)
		}
		var tpl Template
		if err := json.Unmarshal(raw, &tpl); err != nil || tpl.TemplateID != giftTemplate {
			t.Fatalf("Call = %s, %v", raw, err)
		}
		raw, err = c.Call(ctx, "getCard", json.RawMessage(`{"cardId": "`+unknownCardID+`"}`))
		if !errors.Is(err, ErrNotFound) || raw != nil {
			t.Fatalf("Call(raw JSON) = %s, %v", raw, err)
		}
	})

	// Each operation reached the server: oapi methods by wire name, REST ones by verb and path
	// (the scenarios run as getcard/createcard/updatecard, so they have no entry of their own).
	seen := map[string]bool{}
	for _, r := range sb.requests(t) {
		seen[r.Method] = true
		seen[r.Verb+" "+r.Path] = true
	}
	methods, err := Methods()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range methods {
		switch {
		case m.Kind == "oapi" && !seen[m.Name]:
			t.Errorf("no request for %s in the sandbox log", m.Name)
		case m.Kind == "rest" && !seen[m.Verb+" "+m.Path]:
			t.Errorf("no request for %s (%s %s) in the sandbox log", m.Name, m.Verb, m.Path)
		}
	}
}
