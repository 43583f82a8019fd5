package api

import (
	"time"

	"frist/internal/store"
	"frist/internal/ticket"
)

// dashboardJSON is the live overview of the caller's departments.
type dashboardJSON struct {
	At          time.Time           `json:"at"`
	Departments []countsJSON        `json:"departments"`
	Total       countsJSON          `json:"total"`
	Agents      *[]agentTicketsJSON `json:"agents,omitempty"` // only with per-agent views switched on
}

// countsJSON counts one department's active tickets, or all of them.
type countsJSON struct {
	Department    string           `json:"department,omitempty"`
	Active        int              `json:"active"`
	ByStatus      statusCountsJSON `json:"by_status"`
	Unassigned    int              `json:"unassigned"`
	DueWithinHour int              `json:"due_within_hour"`
	Overdue       int              `json:"overdue"`
	Breaches24h   int              `json:"breaches_24h"`
}

// statusCountsJSON counts active tickets per status.
type statusCountsJSON struct {
	New     int `json:"new"`
	Open    int `json:"open"`
	Waiting int `json:"waiting"`
}

// agentTicketsJSON is one agent's number of active tickets.
type agentTicketsJSON struct {
	AgentID int64  `json:"agent_id"`
	Name    string `json:"name"`
	Active  int    `json:"active"`
}

func newCountsJSON(c store.DashboardCounts) countsJSON {
	return countsJSON{
		Department:    c.Department,
		Active:        c.Active(),
		ByStatus:      statusCountsJSON{New: c.ByStatus[ticket.New], Open: c.ByStatus[ticket.Open], Waiting: c.ByStatus[ticket.Waiting]},
		Unassigned:    c.Unassigned,
		DueWithinHour: c.DueSoon,
		Overdue:       c.Overdue,
		Breaches24h:   c.Breaches,
	}
}

func newAgentTicketsJSON(as []store.AgentOpenTickets) []agentTicketsJSON {
	out := make([]agentTicketsJSON, 0, len(as))
	for _, a := range as {
		out = append(out, agentTicketsJSON{AgentID: a.AgentID, Name: a.Name, Active: a.Active})
	}
	return out
}

// dashboardShow answers the dashboard's counts for the departments the
// caller may see; per-agent load only when the policy switches it on.
func (a *API) dashboardShow(c *call) (any, error) {
	d, err := a.desk.Dashboard(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	out := dashboardJSON{At: d.At, Departments: make([]countsJSON, 0, len(d.Departments)), Total: newCountsJSON(d.Total)}
	for _, dc := range d.Departments {
		out.Departments = append(out.Departments, newCountsJSON(dc))
	}
	if d.Agents != nil {
		agents := newAgentTicketsJSON(d.Agents)
		out.Agents = &agents
	}
	return out, nil
}

// agentLoadList answers each agent's active tickets, or 403 when per-agent
// views are switched off.
func (a *API) agentLoadList(c *call) (any, error) {
	as, err := a.desk.AgentLoads(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	return newAgentTicketsJSON(as), nil
}
