// Command cashier is a point-of-sale flow on top of the passteam Go binding: find the customer's
// loyalty card by phone (issuing one if there is none), accrue the purchase's bonus, send the card's
// link by SMS, and page through the template's cards.
//
//	cashier -base-url http://127.0.0.1:PORT -token sandbox-token -phone +79161234567 -purchase 1250
//
// The base URL and token may also come from PASSTEAM_BASE_URL and PASSTEAM_TOKEN.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	passteam "github.com/passteam/passteam/bindings/go"
)

// loyaltyTemplate is the sandbox's seeded LOYALTY template.
const loyaltyTemplate = "5e424c181dbf0d537c8b4569"

type options struct {
	baseURL, token, template, phone, name string
	purchase, ratePercent                 float64
}

func main() {
	var o options
	flag.StringVar(&o.baseURL, "base-url", os.Getenv("PASSTEAM_BASE_URL"), "API base URL (env PASSTEAM_BASE_URL)")
	flag.StringVar(&o.token, "token", os.Getenv("PASSTEAM_TOKEN"), "API token (env PASSTEAM_TOKEN)")
	flag.StringVar(&o.template, "template", loyaltyTemplate, "loyalty template id")
	flag.StringVar(&o.phone, "phone", "+79161234567", "customer's phone, international format")
	flag.StringVar(&o.name, "name", "Ivan Petrov", "customer's name, for a new card")
	flag.Float64Var(&o.purchase, "purchase", 1250, "purchase amount")
	flag.Float64Var(&o.ratePercent, "rate", 5, "bonus accrued, percent of the purchase")
	flag.Parse()
	if o.token == "" {
		fmt.Fprintln(os.Stderr, "cashier: a token is needed (-token or PASSTEAM_TOKEN)")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "cashier:", err)
		var perr *passteam.Error
		if errors.As(err, &perr) && perr.Outcome == passteam.OutcomeUnknown {
			fmt.Fprintln(os.Stderr, "cashier: the last request may have been applied; check before repeating it")
		}
		os.Exit(1)
	}
}

func run(o options) error {
	client, err := passteam.New(passteam.Config{Token: o.token, BaseURL: o.baseURL, Timeout: 15 * time.Second})
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer client.Close()
	// The whole sale must finish while the customer waits at the till.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	card, err := findOrIssue(ctx, client, o)
	if err != nil {
		return err
	}

	balance, err := accrue(ctx, client, card, o)
	if err != nil {
		return err
	}

	if err := client.Distribute(ctx, card.CardID, passteam.ChannelSMS); err != nil {
		return fmt.Errorf("sending the link by SMS: %w", err)
	}
	fmt.Printf("sent the card's link by SMS to %s\n", o.phone)

	count := 0
	for c, err := range client.Cards(ctx, o.template) {
		if err != nil {
			return fmt.Errorf("paging through the cards: %w", err)
		}
		if count < 3 {
			fmt.Printf("  card %s  %s  bonus %s\n", c.CardID, c.Values.Get("PHONE"), c.Values.Get("BONUS"))
		}
		count++
	}
	fmt.Printf("the template has %d cards\n", count)
	fmt.Printf("ok: card %s bonus %s cards %d\n", card.CardID, balance, count)
	return nil
}

// findOrIssue looks the customer up by phone and issues a card when there is none.
func findOrIssue(ctx context.Context, client *passteam.Client, o options) (passteam.Card, error) {
	card, err := client.GetCard(ctx, passteam.CardLookup{TemplateID: o.template, Values: passteam.Values{"PHONE": o.phone}})
	if err == nil {
		fmt.Printf("found card %s for %s\n", card.CardID, o.phone)
		return card, nil
	}
	if !errors.Is(err, passteam.ErrNotFound) {
		return passteam.Card{}, fmt.Errorf("finding the customer: %w", err)
	}
	// IssueCard rather than CreateCard: if another till issued the card a moment ago, it finds
	// that card instead of failing on the duplicate phone, and a lost reply never creates two.
	issued, err := client.IssueCard(ctx, passteam.IssueCardParams{
		TemplateID: o.template,
		Values:     passteam.Values{"PHONE": o.phone, "CLIENT_NAME": o.name, "BONUS": "0"},
	})
	if err != nil {
		return passteam.Card{}, fmt.Errorf("issuing a card: %w", err)
	}
	fmt.Printf("issued card %s for %s: %s\n", issued.Card.CardID, o.phone, issued.Card.CardURL)
	return issued.Card, nil
}

// accrue adds the purchase's bonus points to the card's %BONUS% and returns the new balance. Bonus
// points are whole numbers in every example: the accrual is rounded down (5 % of 1250.50 is 62), and a
// balance that is not a whole number is reported, never silently cut.
func accrue(ctx context.Context, client *passteam.Client, card passteam.Card, o options) (string, error) {
	var current int64
	if text := card.Values.Get("BONUS"); text != "" {
		v, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return "", fmt.Errorf("the card's %%BONUS%% holds %q, not whole points", text)
		}
		current = v
	}
	bonus := int64(math.Floor(o.purchase * o.ratePercent / 100))
	next := strconv.FormatInt(current+bonus, 10)
	res, err := client.UpdateClient(ctx, passteam.UpdateClientParams{CardID: card.CardID, Values: passteam.Values{"BONUS": next}})
	if err != nil {
		return "", fmt.Errorf("accruing the bonus: %w", err)
	}
	balance := next
	if res.Card != nil {
		balance = res.Card.Values.Get("BONUS")
	}
	fmt.Printf("accrued %d points for a purchase of %s: balance %s\n",
		bonus, strconv.FormatFloat(o.purchase, 'f', -1, 64), balance)
	return balance, nil
}
