package web

import (
	"net/http"

	"frist/internal/desk"
	"frist/internal/fault"
)

// policyApply puts a new policy in force (POST /admin/policy: policy).
// An invalid policy changes nothing; the page shows why, with the draft
// kept.
func (h *Handler) policyApply(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	if !h.parseForm(w, r) {
		return
	}
	draft := r.PostForm.Get("policy")
	_, err := h.desk.ApplyPolicyAs(r.Context(), a, []byte(draft))
	if fault.Code(err) == fault.Invalid {
		pg, err2 := h.buildAdminPage(r, a)
		if err2 != nil {
			h.fail(w, r, err2)
			return
		}
		pg.PolicyDraft = draft
		pg.PolicyError = fault.Message(err)
		pg.Errors = append(pg.Errors, summaryItem{Href: "#policy", Label: pg.T("field_policy"), Message: pg.T("admin_policy_invalid") + " " + pg.PolicyError})
		h.render(w, r, http.StatusUnprocessableEntity, "admin", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/admin?applied=1")
}
