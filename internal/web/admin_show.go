package web

import (
	"net/http"
	"strconv"
	"strings"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
)

// adminPage is the administration page: accounts and the policy.
type adminPage struct {
	page
	Agents []agentRow
	Saved  string // name of the account whose settings were just saved

	// Create-account form.
	NewEmail    string
	NewName     string
	Roles       []formOption
	Departments []formOption
	UserErrors  map[string]string // field → translated message
	CreatedName string            // after a successful create
	Password    string            // the one-time password, shown once

	// Policy.
	PolicyYAML  string
	PolicyDraft string
	PolicyError string
	Applied     bool

	Errors []summaryItem

	Compliance *compliancePanel // open items of the compliance status
}

// agentRow is one account in the list.
type agentRow struct {
	Name        string
	Email       string
	Role        auth.Role
	Departments string
	Disabled    bool
	Assignment  string // presence, skills, cap and working hours, translated
	EditHref    string
}

// adminShow shows the admin page (GET /admin); admins only.
func (h *Handler) adminShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	pg, err := h.buildAdminPage(r, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.Applied = r.URL.Query().Get("applied") == "1"
	h.render(w, r, http.StatusOK, "admin", pg)
}

var errForbidden = fault.Errorf(fault.Forbidden, "Not allowed.")

func (h *Handler) buildAdminPage(r *http.Request, a *desk.Agent) (*adminPage, error) {
	ctx := r.Context()
	agents, err := h.desk.Agents(ctx)
	if err != nil {
		return nil, err
	}
	body, err := h.desk.ExportPolicy(ctx)
	if err != nil {
		return nil, err
	}
	pg := &adminPage{page: h.newPage(r, a, "admin_title"), UserErrors: map[string]string{}}
	pg.Path = "/admin"
	pg.PolicyYAML = string(body)
	pg.PolicyDraft = pg.PolicyYAML
	saved := r.URL.Query().Get("saved")
	for _, x := range agents {
		row := agentRow{Name: x.Name, Email: x.Email, Role: x.Role, Disabled: x.Disabled}
		if x.Departments == nil {
			row.Departments = pg.T("all_departments")
		} else {
			var names []string
			for _, d := range x.Departments {
				names = append(names, h.deptName(d, pg.Lang))
			}
			row.Departments = strings.Join(names, ", ")
		}
		row.Assignment, row.EditHref = h.assignmentSummary(pg.page, x), "/admin/users/"+strconv.FormatInt(x.ID, 10)
		if saved == strconv.FormatInt(x.ID, 10) {
			pg.Saved = x.Name
		}
		pg.Agents = append(pg.Agents, row)
	}
	for _, role := range auth.Roles {
		pg.Roles = append(pg.Roles, formOption{Value: string(role), Label: pg.RoleName(role), Selected: role == auth.Agent})
	}
	for _, d := range h.desk.Policy().Departments {
		pg.Departments = append(pg.Departments, formOption{Value: d.ID, Label: d.Name.In(pg.Lang)})
	}
	if pg.Compliance, err = h.compliancePanel(ctx, pg.page, a); err != nil {
		return nil, err
	}
	return pg, nil
}
