package web

import (
	"net/http"

	"frist/internal/desk"
)

// auditVerify checks the whole hash chain and shows the result above the
// newest entries (GET /privacy/audit/verify). Checking changes nothing,
// so it is a GET.
func (h *Handler) auditVerify(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	h.renderAudit(w, r, a, true)
}
