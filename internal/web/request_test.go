package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const xss = "<script>alert(1)</script>"
const xssEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

func TestRequestForm(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, tc := range []struct {
		name   string
		path   string
		lang   string
		status int
		want   []string
		not    []string
	}{
		{"TypeList", "/", "", 200,
			[]string{`<html lang="de">`, "Beispiel GmbH", `href="/?type=invoice_question"`, "Frage zur Rechnung", "Rechnungen, Zahlungen und Mahnungen.", "Testuhr aktiv: "},
			[]string{`action="/requests"`}},
		{"InvoiceFields", "/?type=invoice_question", "", 200,
			[]string{
				`action="/requests"`, `name="request_type" value="invoice_question"`,
				`<label for="field_customer_number">Kundennummer`, `id="field_customer_number-help"`, `aria-describedby="field_customer_number-help"`,
				`<select id="field_payment_method" name="field_payment_method"`, `<option value="direct_debit">Lastschrift</option>`,
				`<label for="email">E-Mail-Adresse`, `type="email" id="email"`,
				`name="notice_version" value="2026-11-01"`, "Datenschutzhinweis nach Art. 13 DSGVO",
				`name="consent_accepted"`, "Ich habe den Datenschutzhinweis gelesen",
				`<input type="checkbox" id="purpose-satisfaction_survey" name="purposes" value="satisfaction_survey" aria-describedby`,
				"freiwillig", `name="language" value="de"`,
			},
			[]string{`value="satisfaction_survey" checked`}},
		{"EnglishByAcceptLanguage", "/?type=technical_problem", "en-GB,en;q=0.9,de;q=0.5", 200,
			[]string{`<html lang="en">`, "Submit a request", "Product", "Privacy notice under Art. 13 GDPR", "I have read the privacy notice", `name="language" value="en"`, "Test clock active: "},
			[]string{"Anfrage absenden"}},
		{"UnknownType", "/?type=bogus", "", 404,
			[]string{"Dieses Anliegen gibt es nicht", `href="/?type=complaint"`}, nil},
		{"UnknownPage", "/nope", "", 404, []string{"Nicht gefunden", "Testuhr aktiv"}, nil},
		{"Stylesheet", "/static/frist.css", "", 200, []string{".banner"}, nil},
		{"Htmx", "/static/htmx.min.js", "", 200, []string{"htmx"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser(t)
			b.lang = tc.lang
			check(t, b.get(tc.path), tc.status, tc.want, tc.not)
		})
	}
	t.Run("StaticCache", func(t *testing.T) {
		res := e.browser(t).get("/static/frist.css")
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("Cache-Control = %q", cc)
		}
	})
	t.Run("NoInlineStyleOrScript", func(t *testing.T) {
		res := e.browser(t).get("/?type=invoice_question")
		for _, bad := range []string{"style=", "<style", "onclick", "<script>"} {
			if strings.Contains(res.body, bad) {
				t.Errorf("page contains %q", bad)
			}
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	b := e.browser(t)
	res := b.get("/lang/en?next=" + url.QueryEscape("/?type=complaint"))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/?type=complaint" {
		t.Fatalf("switch: %d %q", res.status, res.header.Get("Location"))
	}
	check(t, b.get("/?type=complaint"), 200, []string{`<html lang="en">`, "Complaint", "Send request"}, []string{"Anfrage absenden"})
	// The cookie wins over Accept-Language.
	b.lang = "de"
	check(t, b.get("/"), 200, []string{`<html lang="en">`}, nil)
	for _, next := range []string{"//evil.example/", "https://evil.example/", ""} {
		res := b.get("/lang/de?next=" + url.QueryEscape(next))
		if loc := res.header.Get("Location"); loc != "/" {
			t.Errorf("next %q: Location %q", next, loc)
		}
	}
	check(t, b.get("/lang/fr"), 404, nil, nil)
}

func TestRequestSubmit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	t.Run("OK", func(t *testing.T) {
		b := e.browser(t)
		form := validForm(e, "invoice_question")
		form.Set("field_payment_method", "invoice")
		form.Add("purposes", "satisfaction_survey")
		before := countTickets(t, e)
		res := b.post("/requests", form)
		check(t, res, 200,
			[]string{"Anfrage erhalten", "F-1000", "Uhr (M", "http://frist.test/t/", "Lesezeichen", "2026-11-01", "Zufriedenheitsumfrage"}, nil)
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q", cc)
		}
		if got := countTickets(t, e); got != before+1 {
			t.Errorf("tickets = %d, want %d", got, before+1)
		}
		link := regexp.MustCompile(`http://frist.test(/t/[A-Za-z0-9_-]+)`).FindStringSubmatch(res.body)
		if link == nil {
			t.Fatal("no status link")
		}
		check(t, b.get(link[1]), 200, []string{"Frage zur Rechnung", "Neu"}, nil)
	})
	t.Run("WithoutConsent", func(t *testing.T) {
		b := e.browser(t)
		form := validForm(e, "invoice_question")
		form.Del("consent_accepted")
		form.Set("subject", "Meine besondere Betreffzeile")
		before := countTickets(t, e)
		res := b.post("/requests", form)
		check(t, res, 422,
			[]string{
				"Bitte prüfen Sie Ihre Angaben", `href="#consent_accepted"`,
				"Bitte bestätigen Sie, dass Sie den Datenschutzhinweis gelesen haben.",
				`id="consent_accepted-error"`, `aria-invalid="true" aria-describedby="consent_accepted-error"`,
				`value="Meine besondere Betreffzeile"`, `value="K-1042"`,
				`href="/lang/en?next=%2F%3Ftype%3Dinvoice_question"`,
			}, nil)
		if got := countTickets(t, e); got != before {
			t.Errorf("a ticket was stored: %d → %d", before, got)
		}
	})
	t.Run("MissingRequiredAndBadEmail", func(t *testing.T) {
		form := validForm(e, "invoice_question")
		form.Set("email", "keine-adresse")
		form.Del("field_customer_number")
		res := e.browser(t).post("/requests", form)
		check(t, res, 422, []string{
			`href="#email"`, "Bitte geben Sie eine gültige E-Mail-Adresse an", `aria-describedby="email-error email-help"`,
			`href="#field_customer_number"`, "Bitte füllen Sie dieses Feld aus.", `value="keine-adresse"`,
		}, nil)
	})
	t.Run("UndeclaredField", func(t *testing.T) {
		form := validForm(e, "invoice_question")
		form.Set("field_birthplace", "Musterstadt")
		before := countTickets(t, e)
		res := e.browser(t).post("/requests", form)
		check(t, res, 422, []string{"Geburtsort", "Dieses Feld ist für dieses Anliegen nicht vorgesehen."}, nil)
		if got := countTickets(t, e); got != before {
			t.Errorf("a ticket was stored")
		}
	})
	t.Run("OutdatedNotice", func(t *testing.T) {
		form := validForm(e, "complaint")
		form.Set("notice_version", "2020-01-01")
		res := e.browser(t).post("/requests", form)
		check(t, res, 422, []string{"Der Datenschutzhinweis wurde inzwischen geändert", `<details class="notice" id="notice" open>`}, nil)
	})
	t.Run("EnglishErrors", func(t *testing.T) {
		b := e.browser(t)
		b.lang = "en"
		form := validForm(e, "complaint")
		form.Del("consent_accepted")
		check(t, b.post("/requests", form), 422, []string{"Please confirm that you have read the privacy notice."}, nil)
	})
	t.Run("ScriptEscaped", func(t *testing.T) {
		b := e.browser(t)
		form := validForm(e, "general_question")
		form.Set("subject", xss)
		form.Set("name", xss)
		res := b.post("/requests", form)
		check(t, res, 200, []string{"Anfrage erhalten"}, []string{xss})
		link := regexp.MustCompile(`http://frist.test(/t/[A-Za-z0-9_-]+)`).FindStringSubmatch(res.body)
		if link == nil {
			t.Fatal("no status link")
		}
		check(t, b.get(link[1]), 200, []string{xssEscaped}, []string{xss})
		// Invalid input echoed back is escaped too.
		form.Del("consent_accepted")
		check(t, b.post("/requests", form), 422, []string{xssEscaped}, []string{xss})
	})
}
