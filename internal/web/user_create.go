package web

import (
	"net/http"
	"slices"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
)

// userCreate creates an agent account (POST /admin/users: email, name,
// role, departments). The generated one-time password is shown once, on
// the page answering the POST, and never stored in clear.
func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	nu := desk.NewUser{Email: f.Get("email"), Name: f.Get("name"), Role: auth.Role(f.Get("role")), Departments: f["departments"]}
	if len(nu.Departments) == 0 {
		nu.Departments = nil // none ticked: all departments
	}
	u, password, err := h.desk.CreateUser(r.Context(), nu)
	if err != nil && fault.Code(err) != fault.Invalid && fault.Code(err) != fault.Conflict {
		h.fail(w, r, err)
		return
	}
	pg, err2 := h.buildAdminPage(r, a)
	if err2 != nil {
		h.fail(w, r, err2)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		pg.NewEmail, pg.NewName = nu.Email, nu.Name
		for i := range pg.Roles {
			pg.Roles[i].Selected = pg.Roles[i].Value == string(nu.Role)
		}
		for i := range pg.Departments {
			pg.Departments[i].Selected = slices.Contains(nu.Departments, pg.Departments[i].Value)
		}
		fields := fault.FieldsOf(err)
		if fault.Code(err) == fault.Conflict {
			fields = []fault.FieldError{{Field: "email", Message: "email_taken"}}
		}
		for _, fe := range fields {
			msg := pg.T(fe.Message)
			if _, ok := pg.UserErrors[fe.Field]; !ok {
				pg.UserErrors[fe.Field] = msg
			}
			pg.Errors = append(pg.Errors, summaryItem{Href: "#user-" + fe.Field, Label: pg.T("field_" + fe.Field), Message: msg})
		}
		status := fault.Status(err)
		h.render(w, r, status, "admin", pg)
		return
	}
	pg.CreatedName = u.Name
	pg.Password = password
	h.render(w, r, http.StatusOK, "admin", pg)
}
