package api_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/store"
)

// berlin parses a wall-clock time in Europe/Berlin.
func berlin(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Berlin")
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// expect calls the API and checks status and substrings of the answer.
func (e *env) expect(t *testing.T, who, method, path, body string, status int, want, not []string, header ...string) string {
	t.Helper()
	code, _, got := e.call(t, who, method, path, body, header...)
	if code != status {
		t.Errorf("%s %s as %q: status %d, want %d: %s", method, path, who, code, status, got)
	}
	for _, s := range want {
		if !strings.Contains(got, s) {
			t.Errorf("%s %s: answer lacks %s: %s", method, path, s, got)
		}
	}
	for _, s := range not {
		if strings.Contains(got, s) {
			t.Errorf("%s %s: answer has %s: %s", method, path, s, got)
		}
	}
	return got
}

// TestRetention follows two requests through the deletion concept by the
// API: the deletion date at intake and on the ticket, tags that change
// the rule, the plan, a run, the deletion log with its CSV export, legal
// holds, the status and the metrics; and who may do what.
func TestRetention(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	e.MustCreateAgent(t, "dpo@example.org", "Petra Privacy", auth.PrivacyOfficer)
	tok, err := e.Desk.CreateToken(ctx, "dpo@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["dpo"] = tok
	e.Clock.Set(berlin(t, "2026-03-14 10:00"))

	// Intake: the receipt names the rule; the date waits for closure.
	body := e.expect(t, "", "POST", "/api/v1/requests", intake(nil), 201,
		[]string{`"rule":"invoice_questions"`, `"due":null`, `"latest":null`, `"action":"delete"`, "Rechnungsfragen sind Geschäftsbriefe"}, nil)
	var rc struct {
		TicketNumber string `json:"ticket_number"`
	}
	json.Unmarshal([]byte(body), &rc)
	invoice := rc.TicketNumber
	body = e.expect(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) { m["request_type"] = "general_question" }), 201,
		[]string{`"rule":"support_standard"`}, nil, "Accept-Language", "en")
	json.Unmarshal([]byte(body), &rc)
	general := rc.TicketNumber

	t.Run("Ticket", func(t *testing.T) {
		e.expect(t, "agent", "GET", "/api/v1/tickets/"+invoice, "", 200, []string{`"tags":[]`, `"deletion":{"rule":"invoice_questions"`,
			`"rule_name":"Invoice questions are commercial letters"`, `"class":"commercial_letter"`, `"restricted":false`, `"held":false`, `"fields":[]`},
			nil, "Accept-Language", "en")
		e.expect(t, "agent", "GET", "/api/v1/tickets", "", 200, []string{`"deletion":{"rule":"support_standard"`, `"tags":[]`}, nil)
	})

	t.Run("Tags", func(t *testing.T) {
		// A bad tag changes nothing, not even the status sent with it.
		e.expect(t, "agent", "PATCH", "/api/v1/tickets/"+general, `{"status":"open","tags":["Rechnung!"]}`, 422, []string{`"field":"tags"`}, nil)
		e.expect(t, "agent", "GET", "/api/v1/tickets/"+general, "", 200, []string{`"status":"new"`, `"tags":[]`}, nil)
		e.expect(t, "agent", "PATCH", "/api/v1/tickets/"+general, `{"tags":["invoice-related"]}`, 200,
			[]string{`"tags":["invoice-related"]`, `"rule":"invoice_related"`}, nil)
		e.expect(t, "agent", "PATCH", "/api/v1/tickets/"+general, `{"tags":[],"status":"closed"}`, 200,
			[]string{`"tags":[]`, `"rule":"support_standard"`, `"status":"closed"`, `"due":"2026-06-12T10:00:00+02:00"`, `"latest":"2026-06-13T10:00:00+02:00"`}, nil)
	})

	t.Run("Plan", func(t *testing.T) {
		e.expect(t, "agent", "GET", "/api/v1/retention/plan", "", 403, []string{`"code":"forbidden"`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/retention/plan?as_of=morgen", "", 400, []string{`"field":"as_of"`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/retention/plan?asof=2026-06-13", "", 422, []string{`"field":"asof"`}, nil)
		e.expect(t, "admin", "GET", "/api/v1/retention/plan", "", 200, []string{`"tickets":0`, `"groups":[]`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/retention/plan?as_of=2026-06-13", "", 200, []string{`"as_of":"2026-06-13T00:00:00+02:00"`,
			`{"rule":"support_standard","rule_name":"Support Standard: 90 Tage nach Abschluss","rule_version":"1","class":"support_purpose","action":"delete","first_due":"2026-06-12T10:00:00+02:00","last_due":"2026-06-12T10:00:00+02:00","tickets":1,"messages":1,"attachments":0,"fields":1}`}, nil)
	})

	t.Run("Holds", func(t *testing.T) {
		hold := `{"ticket_number":"` + invoice + `","reason":"Rechtsstreit Az. 1 O 23/26"}`
		e.expect(t, "admin", "POST", "/api/v1/legal-holds", hold, 403, nil, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds", `{"ticket_number":"`+invoice+`","reason":" "}`, 422, []string{`"field":"reason"`}, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds", `{"ticket_number":"`+invoice+`","customer_email":"erika.mustermann@example.org","reason":"x"}`, 422, []string{`"field":"ticket_number"`}, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds", `{"customer_email":"niemand@example.org","reason":"x"}`, 422, []string{`"field":"customer_email"`}, []string{"niemand"})
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds", `{"ticket_number":"F-999999","reason":"x"}`, 404, nil, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds", hold, 201, []string{`"id":1`, `"active":true`, `"ticket_number":"` + invoice + `"`,
			`"customer_email":null`, `"placed_by":{"id":`, `"reason":"Rechtsstreit Az. 1 O 23/26"`}, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds", `{"customer_email":"Erika.Mustermann@example.org","reason":"Auskunftsersuchen der Behörde"}`, 201,
			[]string{`"id":2`, `"customer_email":"erika.mustermann@example.org"`, `"ticket_number":null`}, nil)
		e.expect(t, "agent", "GET", "/api/v1/legal-holds", "", 403, nil, []string{"Rechtsstreit"})
		e.expect(t, "admin", "GET", "/api/v1/tickets/"+invoice+"/legal-holds", "", 403, nil, []string{"Rechtsstreit"})
		e.expect(t, "dpo", "GET", "/api/v1/legal-holds?active=true&limit=1", "", 200, []string{`"id":2`, `"next_cursor":"2"`}, []string{`"id":1,`})
		e.expect(t, "dpo", "GET", "/api/v1/legal-holds?active=yes", "", 422, []string{`"field":"active"`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/tickets/"+invoice+"/legal-holds", "", 200, []string{`"id":2`, `"id":1`}, nil)
		e.expect(t, "agent", "GET", "/api/v1/tickets/"+invoice, "", 200, []string{`"held":true`, "Legal Hold"}, nil)

		e.expect(t, "dpo", "POST", "/api/v1/legal-holds/2/lift", `{"reason":""}`, 422, []string{`"field":"reason"`}, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds/2/lift", `{"reason":"Verfahren abgeschlossen"}`, 200,
			[]string{`"active":false`, `"lift_reason":"Verfahren abgeschlossen"`, `"lifted_by":{"id":`}, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds/2/lift", `{"reason":"again"}`, 409, nil, nil)
		e.expect(t, "dpo", "POST", "/api/v1/legal-holds/99/lift", `{"reason":"x"}`, 404, nil, nil)
		e.expect(t, "dpo", "GET", "/api/v1/legal-holds?active=true", "", 200, []string{`"id":1`}, []string{`"id":2`})
	})

	t.Run("RestrictedFilter", func(t *testing.T) {
		e.expect(t, "agent", "GET", "/api/v1/tickets?restricted=only", "", 403, nil, nil)
		e.expect(t, "dpo", "GET", "/api/v1/tickets?restricted=only&status=closed", "", 200, []string{`"items":[]`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/tickets?restricted=all", "", 422, []string{`"field":"restricted"`}, nil)
	})

	t.Run("RunAndLog", func(t *testing.T) {
		// The day after the latest deletion date, nothing ran: overdue.
		e.Clock.Set(berlin(t, "2026-06-14 10:00"))
		e.expect(t, "agent", "GET", "/api/v1/retention/status", "", 403, nil, nil)
		e.expect(t, "admin", "GET", "/api/v1/retention/status", "", 200, []string{`"overdue":1`, `"due_now":1`, `"held":1`, `"recomputations":[`}, nil)
		e.expect(t, "agent", "GET", "/metrics", "", 403, nil, []string{"frist_retention"})
		e.expect(t, "", "GET", "/metrics", "", 401, nil, []string{"frist_retention"})
		code, h, metrics := e.call(t, "dpo", "GET", "/metrics", "")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain; version=0.0.4") {
			t.Errorf("metrics: %d %s", code, h.Get("Content-Type"))
		}
		for _, s := range []string{"# TYPE frist_retention_overdue_objects gauge\nfrist_retention_overdue_objects 1\n", "frist_retention_due_objects 1\n",
			"frist_retention_restricted_tickets 0\n", "frist_retention_held_tickets 1\n"} {
			if !strings.Contains(metrics, s) {
				t.Errorf("metrics lack %q:\n%s", s, metrics)
			}
		}
		// The only label is the severity of compliance items; the
		// overdue ticket is one of them.
		if !strings.Contains(metrics, `frist_compliance_open_items{severity="error"} 1`) {
			t.Errorf("the overdue ticket is no open compliance item:\n%s", metrics)
		}
		if rest := regexp.MustCompile(`\{severity="(error|warning)"\}`).ReplaceAllString(metrics, ""); strings.Contains(rest, "{") {
			t.Errorf("metrics carry labels:\n%s", metrics)
		}

		e.expect(t, "agent", "POST", "/api/v1/retention/run", "", 403, nil, nil)
		e.expect(t, "dpo", "POST", "/api/v1/retention/run", "", 200, []string{`"deleted":1`, `"anonymised":0`, `"removed":{"tickets":1,"messages":1,`}, nil)
		e.expect(t, "admin", "GET", "/api/v1/retention/status", "", 200, []string{`"overdue":0`, `"due_now":0`}, nil)
		e.expect(t, "agent", "GET", "/api/v1/tickets/"+general, "", 404, nil, nil)

		e.expect(t, "agent", "GET", "/api/v1/deletion-log", "", 403, nil, nil)
		e.expect(t, "dpo", "GET", "/api/v1/deletion-log?action=delete&from=2026-06-14&to=2026-06-14", "", 200,
			[]string{`"ticket_number":"` + general + `"`, `"action":"delete"`, `"rule":"support_standard"`, `"due":"2026-06-12T10:00:00+02:00"`, `"next_cursor":""`},
			[]string{"Erika", "example.org"})
		e.expect(t, "dpo", "GET", "/api/v1/deletion-log?action=restrict", "", 200, []string{`"items":[]`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/deletion-log?action=shred&from=gestern", "", 422, []string{`"field":"action"`, `"field":"from"`}, nil)
		e.expect(t, "dpo", "GET", "/api/v1/deletion-log?cursor=x", "", 422, nil, nil)

		code, h, out := e.call(t, "admin", "GET", "/api/v1/deletion-log?rule=support_standard", "", "Accept", "text/csv")
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "deletion-log-2026-06-14.csv") {
			t.Fatalf("csv: %d %v %s", code, h, out)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 2 || recs[0][1] != "ticket_number" || recs[1][1] != general || recs[1][2] != "delete" {
			t.Errorf("csv %q (%v)", recs, err)
		}
		var exported bool
		err = e.DB.Read(ctx, func(tx *store.Tx) error {
			es, _, err := tx.AuditPage(store.AuditFilter{Action: "deletion_log.export"}, "", 10)
			exported = len(es) == 1
			return err
		})
		if err != nil || !exported {
			t.Errorf("CSV export not audited (%v)", err)
		}
	})
}
