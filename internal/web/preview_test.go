package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/policy"
)

// applyPreviewPolicy puts the default policy in force with routing rules,
// a billing SLA policy on the office calendar (Mon–Thu 08:00–17:00, Fri
// 08:00–16:00, Bavarian holidays, half day on 24 December) and a closing
// day.
func applyPreviewPolicy(t *testing.T, e *testEnv) {
	t.Helper()
	src := string(policy.DefaultYAML())
	for _, r := range []struct{ old, new string }{
		{"\nrequest_types:", `
routing:
  - id: outage
    name: Störungen
    when: {words: [ausfall, outage]}
    department: technical
    priority: urgent
  - id: english
    name: English speakers
    when: {languages: [en]}
    department: support
    skills: ["lang:en"]

request_types:`},
		{"    - id: standard\n", `    - id: billing
      name: Buchhaltung
      when: {departments: [billing]}
      calendar: office
      first_response: PT4H
      resolution: PT16H
    - id: standard
`},
		{"    holidays: DE-BY\n", "    holidays: DE-BY\n    closed: [\"2026-12-28\"]\n"},
	} {
		if !strings.Contains(src, r.old) {
			t.Fatalf("default policy lacks %q", r.old)
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	if _, err := e.Desk.ApplyPolicy(context.Background(), []byte(src)); err != nil {
		t.Fatal(err)
	}
}

func TestRoutingPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	applyPreviewPolicy(t, e)
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	admin := e.browser(t)
	admin.login("ada@example.org")
	english := e.browser(t)
	english.lang = "en"
	english.login("ada@example.org")
	agent := e.browser(t)
	agent.login("anna@example.org")
	// Friday 27 November 2026, 14:00 in Berlin.
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))

	preview := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return "/admin/routing?" + v.Encode()
	}
	for _, tc := range []struct {
		name      string
		b         *browser
		path      string
		status    int
		want, not []string
	}{
		{"Anonymous", e.browser(t), "/admin/routing", http.StatusSeeOther, nil, nil},
		{"AgentForbidden", agent, "/admin/routing", http.StatusForbidden, []string{"Kein Zugriff"}, []string{"Störungen"}},
		{"AdminLinks", admin, "/admin", http.StatusOK, []string{`href="/admin/routing"`, `href="/admin/sla"`, "Richtlinie prüfen"}, nil},
		{"Rules", admin, "/admin/routing", http.StatusOK, []string{
			"Zuordnungsregeln", "Störungen <code>outage</code>", "Eines dieser Wörter in Betreff oder Nachricht: ausfall, outage",
			"<td>Technischer Support</td><td>Dringend</td>", "Sprache: Englisch", "lang:en", "<td>unverändert</td>",
			"Wenn keine Regel zutrifft", "<tr><td>Frage zur Rechnung</td><td>Buchhaltung</td><td>Normal</td>",
			`<label for="rp-request_type">`, `name="field_payment_method"`, "Feld der Anliegen: Frage zur Rechnung",
		}, []string{"Ergebnis der Vorschau", `class="matched"`}},
		{"RuleMatches", admin, preview("request_type", "general_question", "language", "de", "subject", "Totaler Ausfall"), http.StatusOK, []string{
			"Ergebnis der Vorschau", "Regel 1 trifft zu: Störungen (outage).", "Eines dieser Wörter in Betreff oder Nachricht",
			`<tr aria-current="true" class="matched"><td>1</td>`, "<dd>Technischer Support</dd>", "<dd>Dringend</dd>",
			"Dringend / Urgent <code>urgent</code>", "rund um die Uhr (24x7)", "27.11.2026, 16:00 Uhr (MEZ)",
			`value="Totaler Ausfall"`,
		}, nil},
		{"NoRule", admin, preview("request_type", "invoice_question", "language", "de", "field_payment_method", "card"), http.StatusOK, []string{
			"Keine Regel trifft zu. Die Anfrage geht an die Abteilung des Anliegens „Frage zur Rechnung“.", "<dd>Buchhaltung</dd>",
			"Buchhaltung <code>billing</code>", "office (Europe/Berlin)", "der Kalender ist geöffnet",
			// 2 h until Friday 16:00, 2 h on Monday.
			"<td>4 Std. (PT4H)</td><td>30.11.2026, 10:00 Uhr (MEZ)</td>",
			`<option value="card" selected>`,
		}, []string{`class="matched"`}},
		{"English", english, preview("request_type", "technical_problem", "language", "en"), http.StatusOK, []string{
			"Rule 2 matches: English speakers (english).", "<dd>Customer service</dd>", "<dd>lang:en</dd>", "Service level if received now",
		}, nil},
		{"BadInput", admin, preview("request_type", "pizza_order", "priority", "asap", "field_payment_method", "bitcoin"), http.StatusUnprocessableEntity, []string{
			"Bitte prüfen Sie Ihre Angaben", `href="#rp-request_type"`, "Dieses Anliegen gibt es nicht.", `href="#rp-priority"`,
			`id="rp-priority" name="priority" aria-describedby="rp-priority-error" aria-invalid="true"`,
		}, []string{"Ergebnis der Vorschau", `value="bitcoin" selected`}},
		{"FieldOfAnotherType", admin, preview("request_type", "general_question", "field_payment_method", "invoice"), http.StatusUnprocessableEntity, []string{
			`<a href="#rp-field-payment_method">Zahlungsart: Dieses Feld ist für dieses Anliegen nicht vorgesehen.</a>`,
		}, []string{"Ergebnis der Vorschau"}},
		{"NoType", admin, preview("request_type", ""), http.StatusUnprocessableEntity, []string{`href="#rp-request_type"`, "Bitte füllen Sie dieses Feld aus."}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.b.get(tc.path), tc.status, tc.want, tc.not)
		})
	}
	if n := countTickets(t, e); n != 0 {
		t.Errorf("%d tickets stored by previews", n)
	}
}

func TestSLAPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	applyPreviewPolicy(t, e)
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	admin := e.browser(t)
	admin.login("ada@example.org")
	english := e.browser(t)
	english.lang = "en"
	english.login("ada@example.org")
	agent := e.browser(t)
	agent.login("anna@example.org")
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))

	preview := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return "/admin/sla?" + v.Encode()
	}
	for _, tc := range []struct {
		name      string
		b         *browser
		path      string
		status    int
		want, not []string
	}{
		{"Anonymous", e.browser(t), "/admin/sla", http.StatusSeeOther, nil, nil},
		{"AgentForbidden", agent, "/admin/sla", http.StatusForbidden, []string{"Kein Zugriff"}, []string{"Buchhaltung"}},
		{"PoliciesAndCalendars", admin, "/admin/sla", http.StatusOK, []string{
			"SLA-Richtlinien und Kalender", "wenn 80 % einer Frist verstrichen sind",
			"Dringend / Urgent <code>urgent</code>", "Priorität: Dringend", "Erste Antwort: 2 Std. (PT2H)", "Lösung: 1 T. (P1D)",
			"Teamleitung benachrichtigen", "neu zuweisen",
			"Buchhaltung <code>billing</code>", "Abteilung: Buchhaltung", "Erste Antwort: 4 Std. (PT4H)",
			"Standard <code>standard</code>", "jedes Ticket", "Erste Antwort: die des Anliegens", "Passt keine Richtlinie",
			"Bürozeiten / Office hours <code>office</code>", "<dt>Montag</dt><dd>08:00-17:00</dd>", "<dt>Freitag</dt><dd>08:00-16:00</dd>",
			"<dt>Samstag</dt><dd>geschlossen</dd>", "<dd>DE-BY</dd>", "<dd>2026-12-28</dd>", "<li>2026-12-24: 08:00-12:00</li>",
			`type="datetime-local" id="sla-at" name="at" value="2026-11-27T14:00"`, "Eingang am (Zeitzone Europe/Berlin)",
		}, []string{"Ergebnis der Vorschau"}},
		{"FridayAfternoon", admin, preview("request_type", "invoice_question", "at", "2026-11-27T14:00"), http.StatusOK, []string{
			"Ergebnis der Vorschau", "Anliegen „Frage zur Rechnung“, Abteilung Buchhaltung, Priorität Normal:",
			"Buchhaltung <code>billing</code>", "office (Europe/Berlin)", "27.11.2026, 14:00 Uhr (MEZ) – der Kalender ist geöffnet", "<dd>80 %</dd>",
			"<td>4 Std. (PT4H)</td><td>30.11.2026, 10:00 Uhr (MEZ)</td><td>30.11.2026, 09:12 Uhr (MEZ)</td>",
			"<td>16 Std. (PT16H)</td><td>01.12.2026, 13:00 Uhr (MEZ)</td>",
		}, nil},
		{"ChristmasAndClosingDay", admin, preview("request_type", "invoice_question", "at", "2026-12-23T15:00"), http.StatusOK, []string{
			// 2 h Wednesday, 4 h on Christmas Eve; holidays, weekend,
			// the closing day; 9 h on Tuesday, 1 h on Wednesday.
			"<td>4 Std. (PT4H)</td><td>24.12.2026, 10:00 Uhr (MEZ)</td>",
			"<td>16 Std. (PT16H)</td><td>30.12.2026, 09:00 Uhr (MEZ)</td>",
		}, nil},
		{"ClosedOnSaturday", english, preview("request_type", "invoice_question", "at", "2026-11-28T11:00:00+01:00"), http.StatusOK, []string{
			"the calendar is closed; the clock starts at 30 Nov 2026, 08:00 CET", "<td>4 h (PT4H)</td><td>30 Nov 2026, 12:00 CET</td>",
		}, nil},
		{"PriorityAndDepartment", admin, preview("request_type", "invoice_question", "priority", "urgent", "department", "support", "at", ""), http.StatusOK, []string{
			"Abteilung Kundenservice, Priorität Dringend:", "Dringend / Urgent <code>urgent</code>", "27.11.2026, 14:00 Uhr (MEZ) – der Kalender ist geöffnet",
			"<td>2 Std. (PT2H)</td><td>27.11.2026, 16:00 Uhr (MEZ)</td>",
		}, nil},
		{"BadInput", admin, preview("request_type", "invoice_question", "priority", "asap", "department", "sales", "at", "Freitag"), http.StatusUnprocessableEntity, []string{
			"Bitte prüfen Sie Ihre Angaben", `href="#sla-priority"`, `href="#sla-department"`, `href="#sla-at"`,
			"Bitte geben Sie Datum und Uhrzeit an, z. B. 2026-11-27T14:00.", `aria-describedby="sla-at-error sla-at-help" aria-invalid="true"`,
			`<option value="invoice_question" selected>`,
		}, []string{"Ergebnis der Vorschau"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.b.get(tc.path), tc.status, tc.want, tc.not)
		})
	}
}
