package web

import (
	"net/http"
	"slices"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// queuePage is the agents' ticket list with its filter form.
type queuePage struct {
	page
	Status      string
	Department  string
	Assignee    string
	Sort        string
	Restricted  string // "only": restricted tickets (privacy officers)
	Statuses    []formOption
	Departments []formOption
	Assignees   []formOption
	Sorts       []formOption
	Rows        []queueRow
	NextHref    string
	FirstHref   string // when on a later page
	Error       string
}

// queueRow is one ticket in the queue.
type queueRow struct {
	Number     string
	Href       string
	Subject    string
	Customer   string
	Department string
	Status     ticket.Status
	Priority   ticket.Priority
	Assignee   string
	Due        string
	Overdue    bool
	Answered   bool
}

// queueShow lists the tickets the agent may see (GET /queue?status=&
// department=&assignee=any|mine|unassigned&sort=due|oldest|newest&cursor=).
func (h *Handler) queueShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	q := r.URL.Query()
	pg := &queuePage{
		page:       h.newPage(r, a, "queue_title"),
		Status:     q.Get("status"),
		Department: q.Get("department"),
		Assignee:   q.Get("assignee"),
		Sort:       q.Get("sort"),
		Restricted: q.Get("restricted"),
	}
	if pg.Assignee == "" {
		pg.Assignee = "any"
	}
	if pg.Sort == "" {
		pg.Sort = store.SortDue
	}
	p := h.desk.Policy()
	f := store.TicketFilter{Sort: pg.Sort, Cursor: q.Get("cursor"), Limit: 50}
	var bad string
	if pg.Status != "" {
		s := ticket.Status(pg.Status)
		if !s.Valid() {
			bad = "field_status"
		}
		f.Statuses = []ticket.Status{s}
	}
	if pg.Department != "" {
		if _, ok := p.Department(pg.Department); !ok {
			bad = "field_department"
		}
		f.Department = pg.Department
	}
	switch pg.Assignee {
	case "any":
	case "mine":
		f.Assignee = &a.ID
	case "unassigned":
		var none int64
		f.Assignee = &none
	default:
		bad = "field_assignee"
	}
	switch pg.Sort {
	case store.SortDue, store.SortOldest, store.SortNewest:
	default:
		bad = "field_sort"
	}
	switch {
	case pg.Restricted == "":
	case pg.Restricted == "only" && a.Role == auth.PrivacyOfficer:
		// Restricted tickets are mostly closed: every status by default.
		f.Restricted = store.RestrictedOnly
		if len(f.Statuses) == 0 {
			f.Statuses = ticket.Statuses
		}
	case pg.Restricted == "only":
		h.fail(w, r, errForbidden)
		return
	default:
		bad = "privacy_restricted"
	}

	pg.Statuses = append(pg.Statuses, formOption{Value: "", Label: pg.T("queue_all_active"), Selected: pg.Status == ""})
	for _, s := range ticket.Statuses {
		pg.Statuses = append(pg.Statuses, formOption{Value: string(s), Label: pg.StatusName(s), Selected: pg.Status == string(s)})
	}
	pg.Departments = append(pg.Departments, formOption{Value: "", Label: pg.T("queue_all_depts"), Selected: pg.Department == ""})
	for _, d := range p.Departments {
		if a.Departments != nil && !slices.Contains(a.Departments, d.ID) {
			continue
		}
		pg.Departments = append(pg.Departments, formOption{Value: d.ID, Label: d.Name.In(pg.Lang), Selected: pg.Department == d.ID})
	}
	for _, x := range []string{"any", "mine", "unassigned"} {
		pg.Assignees = append(pg.Assignees, formOption{Value: x, Label: pg.T("queue_" + x), Selected: pg.Assignee == x})
	}
	for _, x := range []string{store.SortDue, store.SortOldest, store.SortNewest} {
		pg.Sorts = append(pg.Sorts, formOption{Value: x, Label: pg.T("sort_" + x), Selected: pg.Sort == x})
	}

	if bad != "" {
		pg.Error = pg.T(bad) + ": " + pg.T("invalid_option")
		h.render(w, r, http.StatusUnprocessableEntity, "queue", pg)
		return
	}
	tickets, next, err := h.desk.Tickets(r.Context(), a, f)
	if fault.Code(err) == fault.Invalid {
		pg.Error = pg.T("invalid_cursor")
		h.render(w, r, http.StatusUnprocessableEntity, "queue", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.desk.Now()
	for _, t := range tickets {
		row := queueRow{
			Number:     t.Number(),
			Href:       "/tickets/" + t.Number(),
			Subject:    t.Subject,
			Customer:   t.Customer.Name,
			Department: t.Department,
			Status:     t.Status,
			Priority:   t.Priority,
			Assignee:   t.Assignee,
			Due:        pg.Date(t.FirstResponseDue),
			Answered:   !t.FirstResponseAt.IsZero(),
		}
		if d, ok := p.Department(t.Department); ok {
			row.Department = d.Name.In(pg.Lang)
		}
		row.Overdue = !row.Answered && t.FirstResponseDue.Before(now)
		pg.Rows = append(pg.Rows, row)
	}
	pg.NextHref, pg.FirstHref, _ = listLinks("/queue", map[string]string{"status": pg.Status, "department": pg.Department, "assignee": pg.Assignee, "sort": pg.Sort, "restricted": pg.Restricted}, f.Cursor, next)
	h.render(w, r, http.StatusOK, "queue", pg)
}
