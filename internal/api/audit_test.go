package api_test

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/store"
)

func TestAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	dpo := e.MustCreateAgent(t, "dpo@example.org", "Petra Privacy", auth.PrivacyOfficer)
	tok, err := e.Desk.CreateToken(ctx, "dpo@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["dpo"] = tok
	e.Clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	var es []*audit.Entry
	for i := range 5 {
		es = append(es, &audit.Entry{ActorID: dpo.ID, ActorKind: audit.ActorAgent, Action: audit.ViewRestricted, Object: "ticket:F-10000" + string(rune('1'+i))})
	}
	es = append(es, &audit.Entry{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: "ticket:F-100001", Detail: "rule=default"})
	if err := e.DB.Write(ctx, func(tx *store.Tx) error { return tx.AppendAudits(es) }); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, who, path string
		status          int
		want, not       []string
	}{
		{"Admin", "admin", "/api/v1/audit", 200, []string{`"id":6`, `"action":"retention.delete"`, `"actor_id":null`, `"actor_kind":"system"`, `"next_cursor":""`, `"at":"2026-11-02T09:00:00`}, nil},
		{"PrivacyOfficer", "dpo", "/api/v1/audit?object=ticket:F-100001", 200, []string{`"id":6`, `"id":1,`}, []string{`"id":2,`}},
		{"Action", "dpo", "/api/v1/audit?action=ticket.view_restricted&limit=2", 200, []string{`"id":5`, `"id":4`, `"next_cursor":"4"`}, []string{`"id":6`}},
		{"Cursor", "dpo", "/api/v1/audit?action=ticket.view_restricted&limit=2&cursor=4", 200, []string{`"id":3`, `"id":2`}, []string{`"id":4`}},
		{"Period", "dpo", "/api/v1/audit?from=2026-11-03", 200, []string{`"items":[]`}, nil},
		{"Agent", "agent", "/api/v1/audit", 403, []string{`"code":"forbidden"`}, []string{`"items"`}},
		{"Trainee", "trainee", "/api/v1/audit/verify", 403, []string{`"code":"forbidden"`}, nil},
		{"Nobody", "", "/api/v1/audit", 401, nil, nil},
		{"BadFilter", "admin", "/api/v1/audit?object=erika@example.org&from=gestern", 422, []string{`"field":"object"`, `"field":"from"`}, []string{"erika"}},
		{"BadCursor", "admin", "/api/v1/audit?cursor=x", 422, []string{`"field":"cursor"`}, nil},
		{"UnknownParam", "admin", "/api/v1/audit?name=Erika", 422, []string{`"field":"name"`}, nil},
		{"Verify", "dpo", "/api/v1/audit/verify", 200, []string{`{"ok":true,"entries":6}`}, []string{"broken_at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := e.call(t, tt.who, "GET", tt.path, "")
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("answer lacks %s: %s", s, body)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("answer has %s: %s", s, body)
				}
			}
		})
	}

	t.Run("CSV", func(t *testing.T) {
		code, h, body := e.call(t, "dpo", "GET", "/api/v1/audit?object=ticket:F-100001", "", "Accept", "text/csv")
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
			t.Fatalf("csv: %d %v", code, h)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) != 3 || recs[0][0] != "id" || recs[1][0] != "6" || recs[2][0] != "1" {
			t.Fatalf("csv %q, %v", recs, err)
		}
		// The rows carry what the hash covers: it can be recomputed.
		at, err := time.Parse(time.RFC3339Nano, recs[1][1])
		if err != nil {
			t.Fatal(err)
		}
		row := audit.Entry{ID: 6, At: at, ActorKind: recs[1][3], Action: recs[1][4], Object: recs[1][5], Detail: recs[1][6]}
		if row.ComputeHash(recs[1][7]) != recs[1][8] {
			t.Errorf("hash of the CSV row does not match")
		}
		// The export is recorded, and the chain still holds.
		code, _, body = e.call(t, "admin", "GET", "/api/v1/audit?action=audit.export", "")
		var page struct {
			Items []struct {
				ActorID *int64 `json:"actor_id"`
				Object  string `json:"object"`
				Detail  string `json:"detail"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil || code != 200 || len(page.Items) != 1 ||
			page.Items[0].ActorID == nil || *page.Items[0].ActorID != dpo.ID || page.Items[0].Detail != "object=ticket:F-100001" {
			t.Errorf("export entry: %d %s", code, body)
		}
		if code, _, body := e.call(t, "admin", "GET", "/api/v1/audit/verify", ""); code != 200 || body != `{"ok":true,"entries":7}`+"\n" {
			t.Errorf("verify: %d %q", code, body)
		}
	})

	t.Run("CSVForbidden", func(t *testing.T) {
		code, h, body := e.call(t, "agent", "GET", "/api/v1/audit?format=csv", "")
		if code != http.StatusForbidden || !strings.Contains(h.Get("Content-Type"), "problem+json") {
			t.Errorf("agent's csv: %d %s", code, body)
		}
	})

	t.Run("Broken", func(t *testing.T) {
		// Someone with access to the database file changes an entry.
		if e.DB.Path() == "" {
			t.Skip("tampering needs the SQLite file")
		}
		raw, err := sql.Open("sqlite", e.DB.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`UPDATE audit_log SET detail = 'rule=other' WHERE id = 6`); err != nil {
			t.Fatal(err)
		}
		if code, _, body := e.call(t, "dpo", "GET", "/api/v1/audit/verify", ""); code != 200 || body != `{"ok":false,"entries":5,"broken_at":6}`+"\n" {
			t.Errorf("verify: %d %q", code, body)
		}
	})
}
