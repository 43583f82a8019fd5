package desk

import (
	"context"
	"time"

	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// BreachWindow is how far back the dashboard counts recorded SLA breaches.
const BreachWindow = 24 * time.Hour

// Dashboard is the live overview of the departments an agent works in.
type Dashboard struct {
	// At is when the counts were taken.
	At time.Time
	// Departments holds the counts per department the agent may see that
	// has active tickets or recent breaches, in department order.
	Departments []store.DashboardCounts
	// Total adds up Departments (its Department is empty).
	Total store.DashboardCounts
	// Agents is the load per agent, most first; nil unless the policy
	// switches per-agent views on (organisation.agent_performance_views).
	Agents []store.AgentOpenTickets
}

// ErrAgentViewsOff is returned when a per-agent view is asked for but the
// policy does not switch them on.
var ErrAgentViewsOff = &fault.Error{Code: fault.Forbidden, Message: "Per-agent views are switched off for this installation (organisation.agent_performance_views in the policy)."}

// Dashboard counts the active tickets of the departments the agent may see:
// per status, unassigned, due within the hour, overdue, and the SLA
// breaches recorded in the last BreachWindow; with per-agent views on, also
// each agent's load. It reads in one transaction.
func (d *Desk) Dashboard(ctx context.Context, a *Agent) (*Dashboard, error) {
	now := d.clock.Now()
	out := &Dashboard{At: now}
	p := d.Policy()
	perAgent := p.Organisation.AgentPerformanceViews
	departments := a.Departments
	if departments == nil {
		for _, dep := range p.Departments {
			departments = append(departments, dep.ID)
		}
	}
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out.Departments, err = tx.DashboardCounts(departments, now, now.Add(-BreachWindow))
		if err != nil || !perAgent {
			return err
		}
		out.Agents, err = tx.FindAgentOpenTickets(a.Departments)
		if err == nil && out.Agents == nil {
			out.Agents = []store.AgentOpenTickets{}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out.Total = total(out.Departments)
	return out, nil
}

// AgentLoads returns each agent's active tickets in the departments a may
// see, most first. It returns ErrAgentViewsOff unless the policy switches
// per-agent views on.
func (d *Desk) AgentLoads(ctx context.Context, a *Agent) ([]store.AgentOpenTickets, error) {
	if !d.Policy().Organisation.AgentPerformanceViews {
		return nil, ErrAgentViewsOff
	}
	var out []store.AgentOpenTickets
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.FindAgentOpenTickets(a.Departments)
		return err
	})
	return out, err
}

// total adds up the counts of several departments.
func total(cs []store.DashboardCounts) store.DashboardCounts {
	t := store.DashboardCounts{ByStatus: map[ticket.Status]int{}}
	for _, c := range cs {
		for s, n := range c.ByStatus {
			t.ByStatus[s] += n
		}
		t.Unassigned += c.Unassigned
		t.DueSoon += c.DueSoon
		t.Overdue += c.Overdue
		t.Breaches += c.Breaches
	}
	return t
}
