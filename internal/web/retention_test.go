package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/ticket"
)

// berlinTime parses a wall-clock time in Europe/Berlin.
func berlinTime(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Berlin")
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// send posts a form as a browser on this site does.
func (b *browser) send(path string, form url.Values) response {
	b.t.Helper()
	return b.do("POST", path, form, "Sec-Fetch-Site", "same-origin", "Origin", b.e.srv.URL)
}

// TestRetentionPages drives the deletion panel, tags and legal holds on
// the ticket page, the customer's deletion sentence, and the privacy
// pages (overview, run, plan, deletion log, legal holds) as browsers do,
// with the roles that may and may not use them.
func TestRetentionPages(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	dpo := e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	closed := ticket.Closed
	e.Clock.Set(berlinTime(t, "2026-03-14 10:00"))

	r := e.Request("invoice_question")
	r.Fields["payment_method"] = "card"
	invoice := e.MustSubmit(t, r)
	general := e.MustSubmit(t, e.Request("general_question"))
	invoicePath := "/tickets/" + invoice.Ticket.Number()

	t.Run("Customer", func(t *testing.T) {
		b := e.browser(t)
		check(t, b.get("/t/"+general.StatusSecret), http.StatusOK, []string{"Ihre Daten zu dieser Anfrage werden 90 Tage nach Abschluss gelöscht."},
			[]string{"support_standard", "Support Standard"})
		b.lang = "en"
		check(t, b.get("/t/"+invoice.StatusSecret), http.StatusOK, []string{"The data of this request will be deleted 6 years from the end of the calendar year of closure."},
			[]string{"commercial letters", "legal hold"})
	})

	e.Clock.Set(berlinTime(t, "2026-03-20 16:00"))
	for _, id := range []int64{invoice.Ticket.ID, general.Ticket.ID} {
		if _, err := e.Desk.UpdateTicket(ctx, agent, id, desk.TicketUpdate{Status: &closed}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("CustomerAfterClosure", func(t *testing.T) {
		check(t, e.browser(t).get("/t/"+invoice.StatusSecret), http.StatusOK, []string{"Ihre Daten zu dieser Anfrage werden am 2033-01-01 gelöscht."}, nil)
	})

	t.Run("Panel", func(t *testing.T) {
		b := e.browser(t)
		b.login("anna@example.org")
		check(t, b.get(invoicePath), http.StatusOK, []string{`id="deletion-title">Löschung`, "Wird am 2033-01-01 gelöscht nach Regel „Rechnungsfragen sind Geschäftsbriefe“",
			"Löschung ab</dt><dd>01.01.2033, 00:00 Uhr (MEZ)", "Spätestens", "Gesperrt ab</dt><dd>18.06.2026, 16:00 Uhr (MESZ)", "Felder, die früher gelöscht werden", "<dt>Zahlungsart</dt><dd>19.04.2026",
			`action="` + invoicePath + `/tags"`}, []string{"Aufbewahrungssperre setzen", `/holds"`})
	})

	t.Run("Tags", func(t *testing.T) {
		b := e.browser(t)
		b.login("anna@example.org")
		path := "/tickets/" + general.Ticket.Number()
		res := b.send(path+"/tags", url.Values{"tags": {"invoice-related, Rechnung!"}})
		check(t, res, http.StatusUnprocessableEntity, []string{`id="tags-error"`, "Kleinbuchstaben", `value="invoice-related, Rechnung!"`, `aria-invalid="true"`}, nil)
		if tk := e.ticket(t, agent, general.Ticket.ID); len(tk.Tags) != 0 || tk.Retention.Rule != "support_standard" {
			t.Errorf("bad tags changed the ticket: %v %s", tk.Tags, tk.Retention.Rule)
		}
		res = b.send(path+"/tags", url.Values{"tags": {" invoice-related "}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("tags: %d %s", res.status, res.body)
		}
		check(t, b.get(path), http.StatusOK, []string{`value="invoice-related"`, "Als rechnungsrelevant markiert"}, nil)
		if res := b.send(path+"/tags", url.Values{"tags": {""}}); res.status != http.StatusSeeOther {
			t.Fatalf("clearing tags: %d", res.status)
		}
	})

	t.Run("Holds", func(t *testing.T) {
		a := e.browser(t)
		a.login("anna@example.org")
		check(t, a.send(invoicePath+"/holds", url.Values{"reason": {"Rechtsstreit"}}), http.StatusForbidden, nil, nil)

		b := e.browser(t)
		b.login("petra@example.org")
		check(t, b.get(invoicePath), http.StatusOK, []string{"Aufbewahrungssperre setzen", "Keine Aufbewahrungssperren."}, nil)
		res := b.send(invoicePath+"/holds", url.Values{"reason": {"  "}})
		check(t, res, http.StatusUnprocessableEntity, []string{`id="hold-reason-error"`, "Bitte füllen Sie dieses Feld aus.", `href="#hold-reason"`}, nil)
		if hs, _ := e.Desk.TicketHolds(ctx, dpo, invoice.Ticket.ID); len(hs) != 0 {
			t.Fatalf("a hold without reason was placed: %+v", hs)
		}
		res = b.send(invoicePath+"/holds", url.Values{"reason": {"Rechtsstreit Az. 1 O 23/26"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("hold: %d %s", res.status, res.body)
		}
		res = b.get(res.header.Get("Location"))
		check(t, res, http.StatusOK, []string{"Die Aufbewahrungssperre ist gesetzt.", `<span class="badge badge-note">Legal Hold</span>`, "Rechtsstreit Az. 1 O 23/26",
			"gesetzt von Petra Privacy", "Sperre aufheben", "Eine Aufbewahrungssperre (Legal Hold) setzt die Löschung aus."}, nil)
		m := regexp.MustCompile(`action="(/tickets/[^"]+/holds/(\d+)/lift)"`).FindStringSubmatch(res.body)
		if m == nil {
			t.Fatal("no lift form")
		}
		// The agent sees the badge, never the reason.
		check(t, a.get(invoicePath), http.StatusOK, []string{"Legal Hold"}, []string{"Rechtsstreit", "Sperre aufheben"})

		check(t, b.send(m[1], url.Values{"reason": {""}}), http.StatusUnprocessableEntity, []string{`id="lift-` + m[2] + `-error"`, "Bitte füllen Sie dieses Feld aus."}, nil)
		if !e.ticket(t, dpo, invoice.Ticket.ID).Held {
			t.Fatal("lifting without reason lifted the hold")
		}
		if res := b.send(m[1], url.Values{"reason": {"Verfahren abgeschlossen"}}); res.status != http.StatusSeeOther {
			t.Fatalf("lift: %d", res.status)
		}
		check(t, b.get(invoicePath), http.StatusOK, []string{"aufgehoben von Petra Privacy", "Verfahren abgeschlossen"}, []string{"Sperre aufheben"})
		check(t, b.send(m[1], url.Values{"reason": {"noch einmal"}}), http.StatusUnprocessableEntity, []string{"Diese Sperre ist nicht mehr aktiv."}, nil)
	})

	t.Run("Roles", func(t *testing.T) {
		a := e.browser(t)
		a.login("anna@example.org")
		check(t, a.get("/queue"), http.StatusOK, nil, []string{`href="/privacy"`})
		for _, path := range []string{"/privacy", "/privacy/plan", "/privacy/deletion-log", "/privacy/holds", "/queue?restricted=only"} {
			check(t, a.get(path), http.StatusForbidden, nil, []string{"Löschlauf", "Legal"})
		}
		check(t, a.send("/privacy/run", url.Values{}), http.StatusForbidden, nil, nil)
		check(t, a.send("/privacy/holds", url.Values{"email": {"erika.mustermann@example.org"}, "reason": {"x"}}), http.StatusForbidden, nil, nil)
		ad := e.browser(t)
		ad.login("ada@example.org")
		check(t, ad.get("/privacy/holds"), http.StatusForbidden, nil, nil)
		check(t, ad.get("/privacy"), http.StatusOK, []string{`href="/privacy"`, `href="/privacy/plan"`, `href="/privacy/deletion-log"`},
			[]string{`href="/privacy/holds"`, "restricted=only"})
		p := e.browser(t)
		p.login("petra@example.org")
		check(t, p.get("/privacy"), http.StatusOK, []string{`href="/privacy/holds"`, `href="/queue?restricted=only"`}, nil)
		check(t, p.get("/queue?restricted=only"), http.StatusOK, []string{"gesperrt"}, []string{invoice.Ticket.Number()})
	})

	t.Run("CustomerHold", func(t *testing.T) {
		b := e.browser(t)
		b.login("petra@example.org")
		check(t, b.get("/privacy/holds"), http.StatusOK, []string{"Keine Aufbewahrungssperren.", `action="/privacy/holds"`}, nil)
		check(t, b.send("/privacy/holds", url.Values{"email": {"niemand@example.org"}, "reason": {"Anfrage der Behörde"}}), http.StatusUnprocessableEntity,
			[]string{`id="hold-email-error"`, `value="niemand@example.org"`, "Anfrage der Behörde"}, nil)
		check(t, b.send("/privacy/holds", url.Values{"email": {"erika.mustermann@example.org"}, "reason": {""}}), http.StatusUnprocessableEntity,
			[]string{`id="hold-reason-error"`}, nil)
		if hs, _, _ := e.Desk.Holds(ctx, dpo, true, "", 10); len(hs) != 0 {
			t.Fatalf("bad input placed holds: %+v", hs)
		}
		res := b.send("/privacy/holds", url.Values{"email": {"Erika.Mustermann@example.org"}, "reason": {"Anfrage der Behörde"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("hold: %d %s", res.status, res.body)
		}
		res = b.get(res.header.Get("Location"))
		check(t, res, http.StatusOK, []string{"Die Aufbewahrungssperre ist gesetzt.", "alle Tickets von erika.mustermann@example.org", "Anfrage der Behörde"}, nil)
		m := regexp.MustCompile(`action="(/privacy/holds/(\d+)/lift)"`).FindStringSubmatch(res.body)
		if m == nil {
			t.Fatal("no lift form")
		}
		check(t, b.send(m[1], url.Values{"reason": {" "}}), http.StatusUnprocessableEntity, []string{`id="lift-` + m[2] + `-error"`}, nil)
		if res := b.send(m[1], url.Values{"reason": {"erledigt"}}); res.status != http.StatusSeeOther {
			t.Fatalf("lift: %d", res.status)
		}
		check(t, b.get("/privacy/holds"), http.StatusOK, []string{"Keine Aufbewahrungssperren."}, nil)
		check(t, b.get("/privacy/holds?all=1"), http.StatusOK, []string{"alle Tickets von erika.mustermann@example.org", "aufgehoben von Petra Privacy"}, nil)
	})

	t.Run("PlanRunLog", func(t *testing.T) {
		b := e.browser(t)
		b.login("ada@example.org")
		check(t, b.get("/privacy/plan?as_of=2026-13-01"), http.StatusUnprocessableEntity, []string{`id="as_of-error"`, `aria-invalid="true"`}, []string{"<tbody>"})
		check(t, b.get("/privacy/plan?as_of=2026-06-19"), http.StatusOK, []string{"Support Standard: 90 Tage nach Abschluss", "<td>Löschen</td>",
			"Sensible Angaben 30 Tage nach Abschluss löschen", "<td>Felder löschen</td>", "<td>Sperren</td>"}, nil)
		check(t, b.get("/privacy/plan"), http.StatusOK, []string{"Bis dahin ist nichts fällig."}, nil)

		// A day past the general question's latest deletion date, before
		// any run: overdue, shown as a compliance breach.
		e.Clock.Set(berlinTime(t, "2026-06-21 10:00"))
		b.login("ada@example.org") // the session has expired meanwhile
		check(t, b.get("/dashboard"), http.StatusOK, []string{"Löschfrist überschritten — Compliance-Verstoß", `<a href="/privacy">`}, nil)
		a := e.browser(t)
		a.login("anna@example.org")
		check(t, a.get("/dashboard"), http.StatusOK, nil, []string{"Compliance-Verstoß"})
		check(t, b.get("/privacy"), http.StatusOK, []string{"Löschfrist überschritten — Compliance-Verstoß: 1 Tickets", `<strong class="badge badge-overdue">1</strong>`,
			`action="/privacy/run"`}, []string{"Keine Löschfrist ist überschritten."})
		res := b.send("/privacy/run", url.Values{})
		check(t, res, http.StatusOK, []string{"Löschlauf beendet: 1 gelöscht, 0 anonymisiert, 1 gesperrt, 1 Feldwerte gelöscht", "Keine Löschfrist ist überschritten."}, nil)
		check(t, b.get("/dashboard"), http.StatusOK, nil, []string{"Compliance-Verstoß"})

		res = b.get("/privacy/deletion-log")
		check(t, res, http.StatusOK, []string{"<code>" + general.Ticket.Number() + "</code>", "Support Standard", "<td>Sperren</td>", "<td>Felder löschen</td>",
			`href="/api/v1/deletion-log?format=csv"`}, []string{"Erika", "example.org"})
		res = b.get("/privacy/deletion-log?" + url.Values{"action": {"delete"}, "from": {"2026-06-21"}, "to": {"2026-06-21"}}.Encode())
		check(t, res, http.StatusOK, []string{"<code>" + general.Ticket.Number() + "</code>", `<option value="delete" selected>`,
			html.EscapeString("/api/v1/deletion-log?action=delete&format=csv&from=2026-06-21&to=2026-06-21")}, []string{"<td>Sperren</td>"})
		check(t, b.get("/privacy/deletion-log?action=shred&to=gestern"), http.StatusUnprocessableEntity, []string{`id="action-error"`, `id="to-error"`}, []string{"<tbody>"})
		check(t, b.get("/privacy/deletion-log?cursor=x"), http.StatusUnprocessableEntity, []string{`role="alert"`}, nil)

		b.lang = "en"
		check(t, b.get("/privacy"), http.StatusOK, []string{"Privacy: deletion concept", "No deletion deadline is exceeded.", "Run now"}, nil)
	})
}

// ticket loads a ticket as the agent sees it.
func (e *testEnv) ticket(t *testing.T, a *desk.Agent, id int64) *ticket.Ticket {
	t.Helper()
	v, err := e.Desk.Ticket(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Ticket
}
