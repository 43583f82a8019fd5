package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"frist/internal/ticket"
)

// DashboardCounts is the dashboard's view of one department's active
// tickets (new, open, waiting).
type DashboardCounts struct {
	// Department is the department's id.
	Department string
	// ByStatus counts the active tickets per status.
	ByStatus map[ticket.Status]int
	// Unassigned counts active tickets that no agent has.
	Unassigned int
	// DueSoon counts active tickets whose next deadline is within the
	// hour after now (and not yet passed).
	DueSoon int
	// Overdue counts active tickets whose next deadline has passed.
	Overdue int
	// Breaches counts SLA breaches recorded since the given time, on
	// tickets in any status.
	Breaches int
}

// Active returns the number of active tickets.
func (c DashboardCounts) Active() int {
	n := 0
	for _, v := range c.ByStatus {
		n += v
	}
	return n
}

// AgentOpenTickets is one agent's number of active tickets, for per-agent
// views.
type AgentOpenTickets struct {
	AgentID int64
	Name    string // the agent's display name (staff data)
	Active  int
}

// DashboardCounts returns the counts of the departments given, in
// department order; departments without active tickets or breaches are
// missing. Deadlines count relative to now; breaches since breachesSince.
// Each count is one grouped query that reads an index only
// (tickets_department_status_due, tickets_active_unassigned from
// migration 0003) or SLA events
// by department; naming the departments lets the planner walk the indexes
// by department, so pass every department rather than none for all.
func (tx *Tx) DashboardCounts(departments []string, now, breachesSince time.Time) ([]DashboardCounts, error) {
	if len(departments) == 0 {
		return nil, nil
	}
	in, args := departmentIn(departments)
	byDept := map[string]*DashboardCounts{}
	var order []string
	get := func(d string) *DashboardCounts {
		c, ok := byDept[d]
		if !ok {
			c = &DashboardCounts{Department: d, ByStatus: map[ticket.Status]int{}}
			byDept[d] = c
			order = append(order, d)
		}
		return c
	}
	type query struct {
		sql  string
		args []any
		scan func(d string, n int, extra string)
	}
	queries := []query{
		{`SELECT department, count(*), status FROM tickets
			WHERE status IN ('new', 'open', 'waiting')` + in + ` GROUP BY department, status`, args,
			func(d string, n int, s string) { get(d).ByStatus[ticket.Status(s)] = n }},
		{`SELECT department, count(*), '' FROM tickets
			WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting')` + in + ` GROUP BY department`, args,
			func(d string, n int, _ string) { get(d).Unassigned = n }},
		{`SELECT department, count(*), '' FROM tickets
			WHERE status IN ('new', 'open', 'waiting') AND due_at < ?` + in + ` GROUP BY department`, append([]any{fmtTime(now)}, args...),
			func(d string, n int, _ string) { get(d).Overdue = n }},
		{`SELECT department, count(*), '' FROM tickets
			WHERE status IN ('new', 'open', 'waiting') AND due_at >= ? AND due_at < ?` + in + ` GROUP BY department`, append([]any{fmtTime(now), fmtTime(now.Add(time.Hour))}, args...),
			func(d string, n int, _ string) { get(d).DueSoon = n }},
		{`SELECT department, count(*), '' FROM sla_events
			WHERE kind = 'breach' AND created_at >= ?` + in + ` GROUP BY department`, append([]any{fmtTime(breachesSince)}, args...),
			func(d string, n int, _ string) { get(d).Breaches = n }},
	}
	for _, q := range queries {
		if err := tx.countRows(q.sql, q.args, q.scan); err != nil {
			return nil, fmt.Errorf("dashboard counts: %w", err)
		}
	}
	out := make([]DashboardCounts, 0, len(order))
	for _, d := range order {
		out = append(out, *byDept[d])
	}
	slices.SortFunc(out, func(a, b DashboardCounts) int { return strings.Compare(a.Department, b.Department) })
	return out, nil
}

// FindAgentOpenTickets returns, for every enabled agent with active
// tickets in the departments given (nil: all), their number, most first.
// It is for per-agent views, which an installation must switch on.
func (tx *Tx) FindAgentOpenTickets(departments []string) ([]AgentOpenTickets, error) {
	if departments != nil && len(departments) == 0 {
		return nil, nil
	}
	in, args := departmentIn(departments)
	rows, err := tx.query(`SELECT u.id, u.name, t.n FROM users u JOIN (
			SELECT assignee_id, count(*) AS n FROM tickets
			WHERE assignee_id IS NOT NULL AND status IN ('new', 'open', 'waiting')`+in+`
			GROUP BY assignee_id
		) t ON t.assignee_id = u.id
		WHERE NOT u.disabled
		ORDER BY t.n DESC, u.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find agent open tickets: %w", err)
	}
	defer rows.Close()
	var out []AgentOpenTickets
	for rows.Next() {
		var a AgentOpenTickets
		if err := rows.Scan(&a.AgentID, &a.Name, &a.Active); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// countRows runs a query of (department, count, text) rows.
func (tx *Tx) countRows(query string, args []any, scan func(string, int, string)) error {
	rows, err := tx.query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d, extra string
		var n int
		if err := rows.Scan(&d, &n, &extra); err != nil {
			return err
		}
		scan(d, n, extra)
	}
	return rows.Err()
}

// departmentIn returns " AND department IN (…)" with its arguments, or
// nothing for all departments (nil).
func departmentIn(departments []string) (string, []any) {
	if departments == nil {
		return "", nil
	}
	args := make([]any, len(departments))
	for i, d := range departments {
		args[i] = d
	}
	return " AND department IN (" + placeholders(len(departments)) + ")", args
}
