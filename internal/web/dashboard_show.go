package web

import (
	"net/http"

	"frist/internal/desk"
	"frist/internal/store"
	"frist/internal/ticket"
)

// dashboardPage is the agents' live overview.
type dashboardPage struct {
	page
	At         string
	Rows       []dashboardRow
	Total      dashboardRow
	ShowAgents bool // per-agent views switched on in the policy
	Agents     []store.AgentOpenTickets
	// RetentionOverdue counts tickets past their latest deletion date,
	// for administrators and privacy officers (0 for others).
	RetentionOverdue int
	// Compliance holds the open items of the compliance status, for
	// administrators and privacy officers (nil for others).
	Compliance *compliancePanel
}

// dashboardRow is one department's counts, linked to its queue.
type dashboardRow struct {
	Name       string
	Href       string
	Active     int
	New        int
	Open       int
	Waiting    int
	Unassigned int
	DueSoon    int
	Overdue    int
	Breaches   int
}

// dashboardShow shows open tickets per department and status, unassigned,
// due within the hour, overdue, recent breaches and — only when the policy
// switches per-agent views on — each agent's load (GET /dashboard). The
// page reloads its counts when the event stream reports a change.
func (h *Handler) dashboardShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	pg := &dashboardPage{page: h.newPage(r, a, "dashboard_title")}
	d, err := h.desk.Dashboard(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.desk.Policy()
	pg.At = pg.Date(d.At)
	for _, c := range d.Departments {
		row := newDashboardRow(c)
		row.Name = c.Department
		if dep, ok := p.Department(c.Department); ok {
			row.Name = dep.Name.In(pg.Lang)
		}
		row.Href = "/queue?department=" + c.Department
		pg.Rows = append(pg.Rows, row)
	}
	pg.Total = newDashboardRow(d.Total)
	pg.Total.Name = pg.T("dashboard_total")
	pg.ShowAgents = d.Agents != nil
	if pg.RetentionOverdue, err = h.desk.RetentionOverdue(r.Context(), a); err != nil {
		h.fail(w, r, err)
		return
	}
	pg.Agents = d.Agents
	if pg.Compliance, err = h.compliancePanel(r.Context(), pg.page, a); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "dashboard", pg)
}

func newDashboardRow(c store.DashboardCounts) dashboardRow {
	return dashboardRow{
		Active:     c.Active(),
		New:        c.ByStatus[ticket.New],
		Open:       c.ByStatus[ticket.Open],
		Waiting:    c.ByStatus[ticket.Waiting],
		Unassigned: c.Unassigned,
		DueSoon:    c.DueSoon,
		Overdue:    c.Overdue,
		Breaches:   c.Breaches,
	}
}
