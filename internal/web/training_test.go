package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/store"
)

// TestTrainingExportPage posts the export form as a browser does: bad
// choices re-show the form and record nothing; good ones download a JSON
// dataset or a SQLite database without the customer's data, and appear
// under the latest exports.
func TestTrainingExportPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin)
	e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	r := e.Request("invoice_question")
	r.Message = "Meine IBAN ist DE89 3704 0044 0532 0130 00. Erika Mustermann"
	rc := e.MustSubmit(t, r)

	agent := e.browser(t)
	agent.login("max@example.org")
	check(t, agent.get("/admin/training"), http.StatusForbidden, nil, nil)
	check(t, agent.post("/admin/training", url.Values{}), http.StatusForbidden, nil, nil)

	b := e.browser(t)
	b.login("admin@example.org")
	check(t, b.get("/admin"), http.StatusOK, []string{`href="/admin/training"`}, nil)
	check(t, b.get("/admin/training"), http.StatusOK,
		[]string{"Schulungsdaten exportieren", `action="/admin/training"`, `name="tickets"`, `value="invoice_question"`, `name="status"`, "Noch keine Exporte."}, nil)

	for name, c := range map[string]struct {
		form url.Values
		want []string
	}{
		"not a number":   {url.Values{"tickets": {"Rechnung 17"}}, []string{`href="#training-tickets"`, "Bitte Ticketnummern wie F-100042 angeben."}},
		"unknown number": {url.Values{"tickets": {"F-999999"}}, []string{"Mindestens eine Nummer nennt kein Ticket"}},
		"nothing":        {url.Values{"status": {"closed"}}, []string{"Kein exportierbares Ticket passt zur Auswahl."}},
		"bad sample":     {url.Values{"sample": {"viele"}}, []string{`href="#training-sample"`, `value="viele"`}},
		"bad dates":      {url.Values{"since": {"2026-12-01"}, "until": {"2026-11-01"}}, []string{`href="#training-until"`}},
		"bad format":     {url.Values{"format": {"xlsx"}}, []string{`href="#training-format"`}},
	} {
		t.Run(name, func(t *testing.T) {
			check(t, b.post("/admin/training", c.form), http.StatusUnprocessableEntity, append(c.want, "error-summary"), nil)
		})
	}
	if n := countTrainingExports(t, e); n != 0 {
		t.Fatalf("%d exports audited after refused choices", n)
	}

	res := b.post("/admin/training", url.Values{"tickets": {rc.Ticket.Number()}, "format": {"json"}, "language": {"de"}})
	check(t, res, http.StatusOK, []string{`"schema": "frist-training/1"`, "[IBAN]"}, []string{"Erika", "Mustermann", "DE89", "erika.mustermann@example.org", rc.Ticket.Number()})
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="frist-training-`) || !strings.HasSuffix(cd, `.json"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	var ds desk.TrainingDataset
	if err := json.Unmarshal([]byte(res.body), &ds); err != nil || ds.TicketCount != 1 {
		t.Fatalf("dataset: %v, %d tickets", err, ds.TicketCount)
	}
	res = b.post("/admin/training", url.Values{"request_type": {"invoice_question"}, "format": {"sqlite"}})
	check(t, res, http.StatusOK, []string{"SQLite format 3\x00"}, []string{"Mustermann", "DE89 3704"})
	if ct := res.header.Get("Content-Type"); ct != "application/vnd.sqlite3" {
		t.Errorf("Content-Type %q", ct)
	}
	if n := countTrainingExports(t, e); n != 2 {
		t.Errorf("%d exports audited, want 2", n)
	}
	check(t, b.get("/admin/training"), http.StatusOK, []string{"tickets=1 format=sqlite request_type=invoice_question", "tickets=1 format=json numbers=1"}, nil)
}

func countTrainingExports(t *testing.T, e *testEnv) int {
	t.Helper()
	var n int
	err := e.DB.Read(context.Background(), func(tx *store.Tx) error {
		es, _, err := tx.AuditPage(store.AuditFilter{Action: audit.TrainingExport}, "", 100)
		n = len(es)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
