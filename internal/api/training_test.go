package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"frist/internal/audit"
	"frist/internal/desk"
	"frist/internal/store"
)

// TestTrainingExport exports training datasets through the API: refused
// to agents and for bad choices (recording nothing), streamed as JSON or
// as a SQLite database without the customer's data, and audited.
func TestTrainingExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) {
		m["message"] = "Meine IBAN: DE89 3704 0044 0532 0130 00, Erika Mustermann"
	}))
	if code != http.StatusCreated {
		t.Fatalf("intake: %d %s", code, body)
	}
	var rc struct {
		Number string `json:"ticket_number"`
	}
	json.Unmarshal([]byte(body), &rc)

	for _, tt := range []struct {
		name, who, body string
		status          int
		want            []string
	}{
		{"Agent", "agent", `{}`, 403, []string{`"code":"forbidden"`}},
		{"Trainee", "trainee", `{}`, 403, []string{`"code":"forbidden"`}},
		{"Nobody", "", `{}`, 401, nil},
		{"UnknownKey", "admin", `{"ticket":"F-100001"}`, 400, []string{`"code":"malformed"`}},
		{"WrongType", "admin", `{"sample":"viele"}`, 400, []string{`"field":"sample"`}},
		{"BadChoice", "admin", `{"tickets":["Rechnung"],"status":["lost"],"since":"gestern","format":"xlsx"}`, 422,
			[]string{`"field":"tickets"`, `"field":"status"`, `"field":"since"`, `"field":"format"`, `"code":"invalid_ticket_number"`}},
		{"UnknownTicket", "admin", `{"tickets":["F-999999"]}`, 422, []string{`"code":"unknown_ticket"`}},
		{"Nothing", "admin", `{"status":["closed"]}`, 422, []string{`"code":"nothing_to_export"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := e.call(t, tt.who, "POST", "/api/v1/training/exports", tt.body)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("answer lacks %s: %s", s, body)
				}
			}
		})
	}
	if n := trainingExports(t, e); n != 0 {
		t.Fatalf("%d exports audited after refused requests", n)
	}

	code, h, body := e.call(t, "admin", "POST", "/api/v1/training/exports", `{"tickets":["`+rc.Number+`"],"language":"en"}`)
	if code != http.StatusOK || h.Get("Content-Type") != "application/json" || !strings.Contains(h.Get("Content-Disposition"), `attachment; filename="frist-training-`) {
		t.Fatalf("export: %d %v %s", code, h, body)
	}
	var ds desk.TrainingDataset
	if err := json.Unmarshal([]byte(body), &ds); err != nil || ds.Schema != "frist-training/1" || len(ds.Tickets) != 1 {
		t.Fatalf("dataset: %v %+v", err, ds)
	}
	for _, s := range []string{"Erika", "Mustermann", "erika.mustermann@example.org", "DE89", "K-1042", rc.Number} {
		if strings.Contains(body, s) {
			t.Errorf("the dataset holds %q", s)
		}
	}
	if !strings.Contains(ds.Tickets[0].Messages[0].Body, "[IBAN]") || !strings.HasPrefix(ds.Tickets[0].Fields["customer_number"], "K-") {
		t.Errorf("ticket: %+v", ds.Tickets[0])
	}

	code, h, body = e.call(t, "admin", "POST", "/api/v1/training/exports", `{"request_type":"invoice_question","format":"sqlite"}`)
	if code != http.StatusOK || h.Get("Content-Type") != "application/vnd.sqlite3" || !strings.HasPrefix(body, "SQLite format 3\x00") {
		t.Fatalf("sqlite export: %d %v", code, h)
	}
	if strings.Contains(body, "Mustermann") || strings.Contains(body, "DE89 3704") {
		t.Error("the SQLite export holds the customer's data")
	}
	if n := trainingExports(t, e); n != 2 {
		t.Errorf("%d exports audited, want 2", n)
	}
}

func trainingExports(t *testing.T, e *env) int {
	t.Helper()
	var n int
	err := e.DB.Read(t.Context(), func(tx *store.Tx) error {
		es, _, err := tx.AuditPage(store.AuditFilter{Action: audit.TrainingExport}, "", 100)
		n = len(es)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
