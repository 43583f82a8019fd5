package web

import (
	"net/http"

	"frist/internal/desk"
)

// availabilityUpdate switches the signed-in agent's presence (POST
// /me/availability: available=1 or 0, next) and returns to the page the
// toggle was on. Absent agents get no new tickets and keep theirs.
func (h *Handler) availabilityUpdate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	if !h.parseForm(w, r) {
		return
	}
	if err := h.desk.SetAvailability(r.Context(), a, r.PostForm.Get("available") == "1"); err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, safeNext(r.PostForm.Get("next"), "/queue"))
}
