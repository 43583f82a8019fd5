package api_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"frist/internal/policy"
)

// TestDashboard checks the counts per department and the caller's
// departments, and that per-agent load is refused until the policy
// switches it on.
func TestDashboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.MustSubmit(t, e.Request("general_question"))
	e.MustSubmit(t, e.Request("general_question"))
	e.MustSubmit(t, e.Request("invoice_question"))

	type counts struct {
		Department string `json:"department"`
		Active     int    `json:"active"`
		ByStatus   struct {
			New int `json:"new"`
		} `json:"by_status"`
		Unassigned int `json:"unassigned"`
	}
	var d struct {
		Departments []counts          `json:"departments"`
		Total       counts            `json:"total"`
		Agents      []json.RawMessage `json:"agents"`
	}
	status, _, body := e.call(t, "agent", "GET", "/api/v1/dashboard", "")
	if status != 200 || json.Unmarshal([]byte(body), &d) != nil {
		t.Fatalf("dashboard: %d %s", status, body)
	}
	if d.Total.Active != 3 || d.Total.ByStatus.New != 3 || d.Total.Unassigned != 3 || len(d.Departments) != 2 || d.Agents != nil {
		t.Errorf("agent's dashboard: %s; want 3 new unassigned tickets in 2 departments, no agents", body)
	}
	status, _, body = e.call(t, "billing", "GET", "/api/v1/dashboard", "")
	if status != 200 || json.Unmarshal([]byte(body), &d) != nil || d.Total.Active != 1 || len(d.Departments) != 1 || d.Departments[0].Department != "billing" {
		t.Errorf("billing agent's dashboard: %d %s; want billing's one ticket only", status, body)
	}

	status, _, body = e.call(t, "agent", "GET", "/api/v1/dashboard/agents", "")
	if status != 403 || !strings.Contains(body, `"code":"forbidden"`) || !strings.Contains(body, "agent_performance_views") {
		t.Errorf("agent loads while switched off: %d %s", status, body)
	}
	on := bytes.Replace(policy.DefaultYAML(), []byte("organisation:\n"), []byte("organisation:\n  agent_performance_views: true\n"), 1)
	if _, err := e.Desk.ApplyPolicy(t.Context(), on); err != nil {
		t.Fatal(err)
	}
	status, _, body = e.call(t, "agent", "GET", "/api/v1/dashboard/agents", "")
	if status != 200 || strings.TrimSpace(body) != "[]" {
		t.Errorf("agent loads switched on, nobody assigned: %d %s", status, body)
	}
	status, _, body = e.call(t, "agent", "GET", "/api/v1/dashboard", "")
	if status != 200 || !strings.Contains(body, `"agents":[]`) {
		t.Errorf("dashboard with agent views: %d %s", status, body)
	}
}

// TestPresence reports presence on a ticket: the other agent sees it in
// the answer and in the event stream; bad activities and foreign
// departments change nothing.
func TestPresence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	support := e.MustSubmit(t, e.Request("general_question")).Ticket.Number()
	frames, _ := e.openStream(t, "admin", "")

	status, _, body := e.call(t, "agent", "POST", "/api/v1/tickets/"+support+"/presence", `{"activity":"replying"}`)
	if status != 200 || strings.TrimSpace(body) != "[]" {
		t.Fatalf("first report: %d %s; want nobody else", status, body)
	}
	var f sseFrame
	for f = range frames {
		if f.event == "ticket.presence" {
			break
		}
	}
	if !strings.Contains(f.data, `"name":"Max agent"`) || !strings.Contains(f.data, `"activity":"replying"`) || strings.Contains(f.data, "Mustermann") {
		t.Errorf("presence event %+v; want the agent's name and activity, no customer data", f)
	}
	status, _, body = e.call(t, "admin", "POST", "/api/v1/tickets/"+support+"/presence", `{"activity":"viewing"}`)
	if status != 200 || !strings.Contains(body, `"name":"Max agent"`) || !strings.Contains(body, `"activity":"replying"`) {
		t.Errorf("admin's report: %d %s; want the agent replying", status, body)
	}

	for _, tc := range []struct {
		who, body string
		status    int
	}{
		{"agent", `{"activity":"sleeping"}`, 422},
		{"agent", `{"activity":"viewing","x":1}`, 400},
		{"billing", `{"activity":"viewing"}`, 404},
		{"", `{"activity":"viewing"}`, 401},
	} {
		if status, _, body := e.call(t, tc.who, "POST", "/api/v1/tickets/"+support+"/presence", tc.body); status != tc.status || strings.Contains(body, "sleeping") {
			t.Errorf("%s %s: %d %s; want %d", tc.who, tc.body, status, body, tc.status)
		}
	}
	// The refused reports left no trace: the admin still sees only the agent.
	status, _, body = e.call(t, "admin", "POST", "/api/v1/tickets/"+support+"/presence", `{"activity":"viewing"}`)
	if status != 200 || strings.Count(body, `"agent_id"`) != 1 {
		t.Errorf("after refused reports: %d %s; want the agent only", status, body)
	}
}
