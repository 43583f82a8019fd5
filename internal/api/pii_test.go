package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type piiFinding struct {
	Kind   string `json:"kind"`
	Action string `json:"action"`
	Count  int    `json:"count"`
}

// TestIntakePII sends a card number with its security code and an IBAN
// through the intake API and an agent's reply: the answer says what was
// masked, the ticket's messages carry the findings, and neither the
// answers nor the log hold the full number — also not when the request is
// refused.
func TestIntakePII(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const card, code = "4111 1111 1111 1111", "CVC 123"
	message := "Bitte die Abbuchung von Karte " + card + ", " + code + " erstatten, auf IBAN DE89 3704 0044 0532 0130 00."

	// Refused (no consent): nothing of the card in the problem document.
	status, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) {
		m["message"] = message
		m["consent"] = map[string]any{"notice_version": "2026-11-01", "accepted": false}
	}))
	if status != 422 || strings.Contains(body, "4111") || strings.Contains(body, "123") {
		t.Errorf("refused intake: %d %s", status, body)
	}

	status, _, body = e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) { m["message"] = message }))
	if status != 201 {
		t.Fatalf("intake: %d %s", status, body)
	}
	var rc struct {
		TicketNumber string       `json:"ticket_number"`
		Masked       []piiFinding `json:"masked"`
		MaskedNotice string       `json:"masked_notice"`
	}
	if err := json.Unmarshal([]byte(body), &rc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]piiFinding{{"payment_card", "mask", 1}, {"card_code", "mask", 1}}, rc.Masked); diff != "" {
		t.Errorf("masked (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(rc.MaskedNotice, "Zu Ihrem Schutz haben wir eine Kartennummer und eine Kartenprüfnummer unkenntlich gemacht.") {
		t.Errorf("masked_notice %q", rc.MaskedNotice)
	}

	// English, and a request without personal data.
	_, _, body = e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) { m["message"] = "Card 5555555555554444"; m["language"] = "en" }))
	if !strings.Contains(body, `"masked_notice":"For your protection, we have made a card number unreadable.`) {
		t.Errorf("English intake: %s", body)
	}
	_, _, body = e.call(t, "", "POST", "/api/v1/requests", intake(nil))
	if !strings.Contains(body, `"masked":[]`) || strings.Contains(body, "masked_notice") {
		t.Errorf("intake without personal data: %s", body)
	}

	// The agent sees the findings of the first message.
	status, _, body = e.call(t, "agent", "GET", "/api/v1/tickets/"+rc.TicketNumber, "")
	if status != 200 {
		t.Fatalf("ticket: %d %s", status, body)
	}
	var detail struct {
		Messages []struct {
			Body string       `json:"body"`
			PII  []piiFinding `json:"pii"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(body), &detail); err != nil {
		t.Fatal(err)
	}
	if len(detail.Messages) != 1 {
		t.Fatalf("messages: %s", body)
	}
	if diff := cmp.Diff([]piiFinding{{"iban", "flag", 1}, {"payment_card", "mask", 1}, {"card_code", "mask", 1}}, detail.Messages[0].PII); diff != "" {
		t.Errorf("message pii (-want +got):\n%s", diff)
	}
	if want := "Bitte die Abbuchung von Karte 4111 11** **** 1111, CVC [Kartenprüfnummer] erstatten, auf IBAN DE89 3704 0044 0532 0130 00."; detail.Messages[0].Body != want {
		t.Errorf("body %q", detail.Messages[0].Body)
	}

	// An agent's reply with a card number is masked before it is stored;
	// the IBAN in it is left, as the default policy says for replies to
	// invoice questions.
	status, _, body = e.call(t, "agent", "POST", "/api/v1/tickets/"+rc.TicketNumber+"/messages", `{"body": "Die Karte 5555 5555 5555 4444 ist gesperrt, Ihre IBAN DE89370400440532013000 notiert."}`)
	if status != 201 {
		t.Fatalf("reply: %d %s", status, body)
	}
	if !strings.Contains(body, `"body":"Die Karte 5555 55** **** 4444 ist gesperrt, Ihre IBAN DE89370400440532013000 notiert."`) ||
		!strings.Contains(body, `"pii":[{"kind":"payment_card","action":"mask","count":1}]`) {
		t.Errorf("reply: %s", body)
	}

	for _, secret := range []string{card, "4111111111111111", code, "5555 5555 5555 4444", "5555555555554444"} {
		if strings.Contains(e.log.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	if !strings.Contains(e.log.String(), `"route":"POST /api/v1/requests"`) {
		t.Error("the log shows no request: the check is blind")
	}
}
