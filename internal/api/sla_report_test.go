package api_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSLAReportAndTicketSLA(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	if code, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(nil)); code != http.StatusCreated {
		t.Fatalf("intake: %d %s", code, body)
	}
	// The invoice question's 24 h pass unanswered; the breach job records it.
	e.Clock.Set(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
	if _, err := e.Desk.SweepSLA(t.Context()); err != nil {
		t.Fatal(err)
	}

	code, _, body := e.call(t, "admin", "GET", "/api/v1/tickets/F-100001", "")
	if code != http.StatusOK {
		t.Fatalf("ticket: %d %s", code, body)
	}
	var tk struct {
		SLA struct {
			Policy  string `json:"policy"`
			Targets []struct {
				Target, State string
				Breached      bool
			} `json:"targets"`
		} `json:"sla"`
		History []struct{ Kind, Target string } `json:"sla_history"`
	}
	if err := json.Unmarshal([]byte(body), &tk); err != nil {
		t.Fatal(err)
	}
	if tk.SLA.Policy != "standard" || len(tk.SLA.Targets) != 2 || tk.SLA.Targets[0].State != "breached" || !tk.SLA.Targets[0].Breached {
		t.Errorf("sla %+v", tk.SLA)
	}
	if len(tk.History) != 1 || tk.History[0].Kind != "breach" || tk.History[0].Target != "first_response" {
		t.Errorf("sla_history %+v", tk.History)
	}

	code, _, body = e.call(t, "billing", "GET", "/api/v1/reports/sla?from=2026-11-01&to=2026-11-30", "")
	if code != http.StatusOK {
		t.Fatalf("report: %d %s", code, body)
	}
	var rep struct {
		From, To    string
		Departments []struct {
			Department    string `json:"department"`
			Received      int    `json:"received"`
			FirstResponse struct {
				Met, Late int
				ShareMet  *float64 `json:"share_met"`
			} `json:"first_response"`
		} `json:"departments"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Departments) != 1 || rep.Departments[0].Department != "billing" || rep.Departments[0].Received != 1 ||
		rep.Departments[0].FirstResponse.Late != 1 || rep.Departments[0].FirstResponse.ShareMet == nil || *rep.Departments[0].FirstResponse.ShareMet != 0 {
		t.Errorf("billing agent's report: %s", body)
	}

	code, h, body := e.call(t, "admin", "GET", "/api/v1/reports/sla?from=2026-11-01&to=2026-11-30", "", "Accept", "text/csv")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", code, h.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) != 5 || recs[0][0] != "department" || recs[4][0] != "total" || recs[4][1] != "1" {
		t.Errorf("csv %q, %v", recs, err)
	}

	for _, q := range []string{"from=2026-02-30", "from=2026-12-01&to=2026-11-01", "format=xml", "from=2020-01-01&to=2026-01-01", "color=red"} {
		code, h, body := e.call(t, "admin", "GET", "/api/v1/reports/sla?"+q, "")
		if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %d %s", q, code, body)
		}
	}
	if code, _, _ := e.call(t, "", "GET", "/api/v1/reports/sla", ""); code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", code)
	}
}
