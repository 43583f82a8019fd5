package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/policy"
)

// agentEditPage edits one account's assignment settings: presence,
// skills, cap, working-hours calendar and departments.
type agentEditPage struct {
	page
	Href        string // the form's action
	Name        string
	Email       string
	Available   bool
	Skills      string // comma-separated
	MaxOpen     string
	Calendars   []formOption
	Departments []formOption
	FieldErrors map[string]string // field → translated message
	Errors      []summaryItem
}

func init() { pageNames = append(pageNames, "agent_edit") }

// agentEdit shows the settings form (GET /admin/users/{id}); admins only.
func (h *Handler) agentEdit(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	x, err := h.findAgent(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := h.newAgentEditPage(r, a, x)
	pg.Available, pg.Skills, pg.MaxOpen = x.Available, strings.Join(x.Skills, ", "), strconv.Itoa(x.MaxOpen)
	pg.selectOptions(h.desk.Policy(), x.Calendar, x.Departments)
	h.render(w, r, http.StatusOK, "agent_edit", pg)
}

// agentUpdate saves the settings (POST /admin/users/{id}: available,
// skills, max_open, calendar, departments) and returns to the admin page;
// bad input changes nothing and shows the form again with the errors.
func (h *Handler) agentUpdate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	x, err := h.findAgent(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	available := f.Get("available") == "1"
	skills := strings.Split(f.Get("skills"), ",")
	calendar := f.Get("calendar")
	depts := f["departments"]
	u := desk.AgentUpdate{Available: &available, Skills: &skills, Calendar: &calendar, Departments: &depts}
	var errs []fault.FieldError
	maxOpen, perr := strconv.Atoi(strings.TrimSpace(f.Get("max_open")))
	if perr != nil {
		errs = append(errs, fault.FieldError{Field: "max_open", Message: desk.ErrCapRange})
	} else {
		u.MaxOpen = &maxOpen
	}
	if len(errs) == 0 {
		_, err = h.desk.UpdateAgent(r.Context(), a, x.ID, u)
		if err == nil {
			seeOther(w, r, "/admin?saved="+strconv.FormatInt(x.ID, 10))
			return
		}
		if fault.Code(err) != fault.Invalid {
			h.fail(w, r, err)
			return
		}
		errs = fault.FieldsOf(err)
	}
	pg := h.newAgentEditPage(r, a, x)
	pg.Available, pg.Skills, pg.MaxOpen = available, f.Get("skills"), f.Get("max_open")
	pg.selectOptions(h.desk.Policy(), calendar, depts)
	for _, fe := range errs {
		msg := pg.T(fe.Message)
		if _, ok := pg.FieldErrors[fe.Field]; !ok {
			pg.FieldErrors[fe.Field] = msg
		}
		pg.Errors = append(pg.Errors, summaryItem{Href: "#agent-" + fe.Field, Label: pg.T("field_" + fe.Field), Message: msg})
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusUnprocessableEntity, "agent_edit", pg)
}

// findAgent returns the account of the {id} in the path, or a 404.
func (h *Handler) findAgent(r *http.Request) (*desk.Agent, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	agents, err := h.desk.Agents(r.Context())
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(agents, func(x *desk.Agent) bool { return x.ID == id })
	if i < 0 {
		return nil, errNotFound
	}
	return agents[i], nil
}

func (h *Handler) newAgentEditPage(r *http.Request, a, x *desk.Agent) *agentEditPage {
	pg := &agentEditPage{page: h.newPage(r, a, "agent_edit_title"), Name: x.Name, Email: x.Email, FieldErrors: map[string]string{}}
	pg.Href = "/admin/users/" + strconv.FormatInt(x.ID, 10)
	pg.Path = pg.Href
	pg.Title = pg.Tf("admin_edit_named", x.Name)
	return pg
}

// selectOptions fills the calendar and department choices, marking the
// chosen ones.
func (pg *agentEditPage) selectOptions(p *policy.Policy, calendar string, depts []string) {
	pg.Calendars = []formOption{{Value: "", Label: pg.T("admin_around_clock"), Selected: calendar == ""}}
	known := false
	for _, c := range p.Calendars {
		label := c.ID
		if c.Name != "" {
			label = c.Name + " (" + c.ID + ")"
		}
		pg.Calendars = append(pg.Calendars, formOption{Value: c.ID, Label: label, Selected: c.ID == calendar})
		known = known || c.ID == calendar
	}
	if calendar != "" && !known {
		pg.Calendars = append(pg.Calendars, formOption{Value: calendar, Label: pg.Tf("admin_calendar_gone", calendar), Selected: true})
	}
	for _, d := range p.Departments {
		pg.Departments = append(pg.Departments, formOption{Value: d.ID, Label: d.Name.In(pg.Lang), Selected: slices.Contains(depts, d.ID)})
	}
}

// assignmentSummary says in one line how assignment treats an account:
// presence, skills, cap and working hours.
func (h *Handler) assignmentSummary(pg page, x *desk.Agent) string {
	parts := []string{pg.T("presence_away")}
	if x.Available {
		parts[0] = pg.T("presence_available")
	}
	if len(x.Skills) > 0 {
		parts = append(parts, strings.Join(x.Skills, ", "))
	} else {
		parts = append(parts, pg.T("admin_no_skills"))
	}
	if x.MaxOpen > 0 {
		parts = append(parts, pg.Tf("admin_cap", x.MaxOpen))
	} else {
		parts = append(parts, pg.T("admin_no_cap"))
	}
	switch _, ok := h.desk.Policy().Calendar(x.Calendar); {
	case x.Calendar == "":
		parts = append(parts, pg.T("admin_around_clock"))
	case ok:
		parts = append(parts, x.Calendar)
	default:
		parts = append(parts, pg.Tf("admin_calendar_gone", x.Calendar))
	}
	return strings.Join(parts, " · ")
}
