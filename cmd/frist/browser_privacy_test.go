package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPrivacy drives the deletion concept's pages in headless
// Chromium under the strict Content-Security-Policy, as a privacy officer:
// the ticket's deletion panel with its dates and an early field expiry, a
// legal hold placed and lifted through the forms, the run-now button on the
// privacy overview after the test clock moved on, the plan, the deletion
// log and the generated deletion concept. Screenshots go to
// FRIST_SCREENSHOTS_DIR when set.
func TestBrowserPrivacy(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in short mode")
	}
	chrome := chromiumPath()
	if chrome == "" {
		t.Skip("skipping the browser test: no chromium, chromium-browser or google-chrome in PATH")
	}
	s := MustServe(t, "", "--test-clock")
	admin := tokenFor(t, s.Dir, firstAdminEmail, "")
	const dpoEmail, dpoPassword = "dora@example.org", "secret passphrase"
	tokenFor(t, s.Dir, dpoEmail, "privacy-officer")

	if code, out := apiDo(t, "POST", s.URL+"/api/v1/test-clock", admin, map[string]any{"now": "2027-03-14T10:00:00+01:00"}); code != 200 {
		t.Fatalf("test clock: %d %v", code, out)
	}
	code, out := apiDo(t, "POST", s.URL+"/api/v1/requests", "", map[string]any{
		"request_type": "invoice_question", "name": "Erika Mustermann", "email": "erika.mustermann@example.org",
		"subject": "Rechnung R-2027-0042 doppelt abgebucht", "message": "Guten Tag, die Rechnung wurde zweimal von meiner Karte abgebucht.",
		"language": "de", "fields": map[string]string{"customer_number": "K-1042", "payment_method": "card"},
		"consent": map[string]any{"notice_version": "2026-11-01", "accepted": true},
	})
	if code != 201 {
		t.Fatalf("intake: %d %v", code, out)
	}
	number := out["ticket_number"].(string)
	if code, out := apiDo(t, "PATCH", s.URL+"/api/v1/tickets/"+number, admin, map[string]any{"status": "closed"}); code != 200 {
		t.Fatalf("close: %d %v", code, out)
	}

	b := newBrowser(t, chrome, s.URL)
	console := b.watchConsole()
	b.login(dpoEmail, dpoPassword)

	// The ticket page explains the deletion: commercial letter until
	// 1 January 2034, restricted after 90 days, payment method after 30.
	b.do("open the ticket", chromedp.Navigate(s.URL+"/tickets/"+number))
	b.waitFor("deletion panel", `!!document.querySelector("#deletion-title")`)
	panel := b.eval("deletion panel text", `document.querySelector("#deletion-title").closest("section").innerText`)
	for _, want := range []string{"01.01.2034", "12.06.2027", "13.04.2027", "Zahlungsart"} {
		if !strings.Contains(panel, want) {
			b.fatalf("deletion panel lacks %q:\n%s", want, panel)
		}
	}

	// A hold without a reason is refused next to the field; with one it
	// is placed and the badge shows.
	b.click("place a hold without reason", `form[action$="/holds"] button[type="submit"]`)
	b.waitFor("reason error", `!!document.querySelector("#hold-reason-error")`)
	b.do("give a reason", chromedp.SendKeys(chromedp.ID("hold-reason"), "Rechtsstreit Az. 1 O 23/27"))
	b.click("place the hold", `form[action$="/holds"] button[type="submit"]`)
	b.waitFor("legal hold badge", `!!document.querySelector("#deletion-title .badge-note")`)
	b.shot("ticket-deletion.png")
	b.do("give a lift reason", chromedp.SendKeys(chromedp.CSS(`form[action*="/lift"] input[name="reason"]`), "Verfahren beendet"))
	b.click("lift the hold", `form[action*="/lift"] button[type="submit"]`)
	b.waitFor("badge gone", `!document.querySelector("#deletion-title .badge-note")`)

	// A hundred days later the payment method has expired and the ticket
	// is restricted (by the server's sweeper job or the run-now button);
	// the plan for 2034 lists its deletion.
	if code, out := apiDo(t, "POST", s.URL+"/api/v1/test-clock", admin, map[string]any{"advance": "P100D"}); code != 200 {
		t.Fatalf("advance: %d %v", code, out)
	}
	b.login(dpoEmail, dpoPassword) // the session ended with the time travelled
	b.do("open the plan", chromedp.Navigate(s.URL+"/privacy/plan?as_of="+url.QueryEscape("2034-01-02")))
	b.waitFor("plan table", `!!document.querySelector("main table")`)
	plan := b.eval("plan text", `document.querySelector("main").innerText`)
	if !strings.Contains(plan, "Rechnungsfragen sind Geschäftsbriefe") {
		b.fatalf("the plan lacks the ticket's deletion:\n%s", plan)
	}
	b.shot("privacy-plan.png")
	b.do("open the privacy overview", chromedp.Navigate(s.URL+"/privacy"))
	b.click("run now", `form[action="/privacy/run"] button[type="submit"]`)
	b.waitFor("run result", `!!document.querySelector("main [role=status]")`)
	b.shot("privacy.png")
	b.do("open the deletion log", chromedp.Navigate(s.URL+"/privacy/deletion-log"))
	b.waitFor("deletion log rows", `document.querySelectorAll("main table tbody tr").length >= 2`)
	b.shot("deletion-log.png")
	b.do("open the deletion concept", chromedp.Navigate(s.URL+"/admin/documents/deletion-concept"))
	b.waitFor("document", `!!document.querySelector("article")`)
	b.shot("deletion-concept.png")
	console.check(b)
}
