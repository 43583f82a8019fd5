package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"frist/internal/auth"
	"frist/internal/pii"
)

// TestFreeTextPII posts the request form, the customer's reply and an
// agent's reply as a browser does, with a card number, its security code
// and an IBAN in them: the customer is told what was masked, the agent sees
// badges and the flagged IBAN highlighted, and no page shows the full card
// number again.
func TestFreeTextPII(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	// A member of the department: agents see sensitive data of their own departments only (docs/masking.md).
	e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent, "support")
	customer := e.browser(t)
	form := validForm(e, "general_question")
	form.Set("subject", "Abbuchung <b>doppelt</b>")
	form.Set("message", "Karte 4111 1111 1111 1111, CVC 123. "+xss+" Erstattung bitte auf IBAN DE89 3704 0044 0532 0130 00.")
	res := customer.post("/requests", form)
	check(t, res, http.StatusOK,
		[]string{`<p class="pii-notice" role="status">Zu Ihrem Schutz haben wir eine Kartennummer und eine Kartenprüfnummer unkenntlich gemacht.`},
		[]string{"4111 1111 1111 1111", "CVC 123"})
	number := regexp.MustCompile(`<strong>(F-\d+)</strong>`).FindStringSubmatch(res.body)
	link := regexp.MustCompile(`http://frist\.test(/t/[A-Za-z0-9_-]+)`).FindStringSubmatch(res.body)
	if number == nil || link == nil {
		t.Fatalf("no ticket number or status link in the acknowledgement:\n%s", res.body)
	}
	ticketPath := "/tickets/" + number[1]

	agent := e.browser(t)
	agent.login("max@example.org")
	check(t, agent.get(ticketPath), http.StatusOK,
		[]string{
			`<span class="badge badge-pii">IBAN (markiert)</span>`,
			`<span class="badge badge-masked">Zahlungskarte (unkenntlich gemacht)</span>`,
			`<span class="badge badge-masked">Kartenprüfnummer (unkenntlich gemacht)</span>`,
			`Karte 4111 11** **** 1111, CVC [Kartenprüfnummer]. ` + xssEscaped + ` Erstattung bitte auf IBAN <mark class="pii" title="IBAN">DE89 3704 0044 0532 0130 00</mark>.`,
			`Abbuchung &lt;b&gt;doppelt&lt;/b&gt;`,
		},
		[]string{"4111 1111 1111 1111", "CVC 123", xss, "<b>doppelt"})

	// The agent's reply: the card number is masked and the agent told so;
	// the IBAN is stored with a warning.
	res = agent.post(ticketPath+"/reply", url.Values{"body": {"Ihre Karte 5555 5555 5555 4444 sehen wir nicht. Unsere IBAN: DE89 3704 0044 0532 0130 00"}, "visibility": {"public"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply: status %d", res.status)
	}
	loc := res.header.Get("Location")
	if !strings.HasPrefix(loc, ticketPath+"?") || strings.Contains(loc, "5555") || strings.Contains(loc, "DE89") {
		t.Fatalf("redirect after the reply: %q", loc)
	}
	check(t, agent.get(loc), http.StatusOK,
		[]string{
			`<p class="success" role="status">Vor dem Speichern in Ihrer Nachricht unkenntlich gemacht: eine Kartennummer.</p>`,
			`<p class="pii-warning" role="status">Ihre Nachricht enthält eine IBAN. Sie wurde gespeichert; bitte prüfen Sie, ob diese Angabe nötig war.</p>`,
			`Ihre Karte 5555 55** **** 4444 sehen wir nicht.`,
		},
		[]string{"5555 5555 5555 4444"})
	// Without the redirect's query, no notice; a crafted one shows no text
	// of its own.
	check(t, agent.get(ticketPath+"?masked="+url.QueryEscape(xss+":1,iban:0,email:100")+"&flagged=payment_card"), http.StatusOK,
		nil, []string{"pii-warning", "unkenntlich gemacht: ", xss})

	// The customer's reply on the status page, in English.
	customer.lang = "en"
	res = customer.post(link[1]+"/reply", url.Values{"message": {"New card: 5555-5555-5555-4444, CVV 321"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("customer reply: status %d", res.status)
	}
	loc = res.header.Get("Location")
	if strings.Contains(loc, "5555") || strings.Contains(loc, "flagged") {
		t.Fatalf("redirect after the customer's reply: %q", loc)
	}
	check(t, customer.get(loc), http.StatusOK,
		[]string{`<p class="pii-notice" role="status">For your protection, we have made a card number and a card security code unreadable.`,
			"New card: 5555-55**-****-4444, CVV [Kartenprüfnummer]"},
		[]string{"5555-5555-5555-4444", "CVV 321", "badge-pii", "<mark"})
}

func TestMarkFlagged(t *testing.T) {
	flag := []pii.Count{{Kind: pii.IBAN, Action: pii.ActionFlag, N: 1}}
	text := "IBAN DE89370400440532013000 an erika@example.org"
	got := markFlagged(text, flag, "de")
	want := []textPart{{Text: "IBAN "}, {Text: "DE89370400440532013000", Mark: true, Label: "IBAN"}, {Text: " an erika@example.org"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := markFlagged(text, []pii.Count{{Kind: pii.IBAN, Action: pii.ActionMask, N: 1}}, "de"); got != nil {
		t.Errorf("masked kinds are not marked: %v", got)
	}
	if got := markFlagged("nichts", flag, "de"); got != nil {
		t.Errorf("nothing found: %v", got)
	}
}
