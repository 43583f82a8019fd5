package web

import (
	"net/http"
	"net/url"
	"strings"

	"frist/internal/audit"
	"frist/internal/desk"
	"frist/internal/fault"
)

// auditPage is the audit trail with its filter, a page of entries and,
// after "verify chain", the result of the check.
type auditPage struct {
	page
	Object, Action, From, To string // the filter form's values
	Actions                  []formOption
	FieldError               map[string]string
	Error                    string // a message above the list, e.g. a bad cursor
	Rows                     []auditRow
	FirstHref, NextHref      string
	CSVHref                  string
	VerifyHref               string
	Verified                 bool // a check ran; Verification holds its result
	Verification             desk.AuditVerification
}

// auditRow is one entry as the page shows it.
type auditRow struct {
	ID                   int64
	At                   string
	Actor                string
	Action, ActionName   string
	Object, Detail, Hash string
}

// auditActions are the actions the filter offers.
var auditActions = []string{
	audit.ViewRestricted, audit.LegalHoldPlace, audit.LegalHoldLift,
	audit.RetentionDelete, audit.RetentionAnonymise, audit.RetentionRestrict, audit.RetentionExpireFields,
	audit.RetentionRecompute, audit.RetentionRun, audit.DeletionLogExport, audit.AuditExport,
	audit.TrainingExport, audit.TrainingImport,
}

// CanAudit reports whether the agent sees the audit trail.
func (p page) CanAudit() bool { return desk.CanAudit(p.Agent) }

// auditOnly is agentOnly for the audit trail: administrators and privacy
// officers; other roles get a friendly 403 page.
func (h *Handler) auditOnly(fn agentHandler) http.HandlerFunc {
	return h.agentOnly(func(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
		if !desk.CanAudit(a) {
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r, a)
	})
}

// auditShow shows the audit trail (GET
// /privacy/audit?object=&action=&from=&to=&cursor=).
func (h *Handler) auditShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	h.renderAudit(w, r, a, false)
}

func (h *Handler) renderAudit(w http.ResponseWriter, r *http.Request, a *desk.Agent, verify bool) {
	q := r.URL.Query()
	pg := &auditPage{page: h.newPage(r, a, "audit_title"), FieldError: map[string]string{},
		VerifyHref: "/privacy/audit/verify"}
	if !verify {
		pg.Object, pg.Action, pg.From, pg.To = q.Get("object"), q.Get("action"), q.Get("from"), q.Get("to")
	}
	for _, x := range auditActions {
		pg.Actions = append(pg.Actions, formOption{Value: x, Label: pg.actionName(x), Selected: pg.Action == x})
	}
	status := http.StatusOK
	if verify {
		v, err := h.desk.VerifyAudit(r.Context(), a)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		pg.Verified, pg.Verification = true, v
		if !v.OK {
			h.log.Warn("audit chain broken", "broken_at", v.BrokenAt, "entries", v.Entries)
		}
	}
	f, err := h.desk.AuditFilter(pg.Object, pg.Action, pg.From, pg.To)
	if fault.Code(err) == fault.Invalid {
		for _, fe := range fault.FieldsOf(err) {
			pg.FieldError[fe.Field] = pg.T(fe.Message)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "privacy_audit", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cursor := q.Get("cursor")
	if verify {
		cursor = ""
	}
	entries, next, err := h.desk.AuditLog(r.Context(), a, f, cursor, 50)
	if fault.Code(err) == fault.Invalid {
		pg.Error = pg.T("invalid_cursor")
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, e := range entries {
		pg.Rows = append(pg.Rows, auditRow{ID: e.ID, At: pg.Date(e.At), Actor: pg.actorName(e), Action: e.Action, ActionName: pg.actionName(e.Action),
			Object: e.Object, Detail: e.Detail, Hash: e.Hash})
	}
	var set url.Values
	pg.NextHref, pg.FirstHref, set = listLinks("/privacy/audit", map[string]string{"object": pg.Object, "action": pg.Action, "from": pg.From, "to": pg.To}, cursor, next)
	pg.CSVHref = csvHref("/api/v1/audit", set)
	h.render(w, r, status, "privacy_audit", pg)
}

// actionName translates a known action; others show as they are.
func (pg *auditPage) actionName(action string) string {
	key := "audit_action_" + strings.ReplaceAll(action, ".", "_")
	if s := pg.T(key); s != key {
		return s
	}
	return action
}

// actorName names who acted by id only, as the trail does.
func (pg *auditPage) actorName(e audit.Entry) string {
	switch e.ActorKind {
	case audit.ActorAgent:
		return pg.Tf("audit_actor_agent", e.ActorID)
	case audit.ActorCustomer:
		return pg.Tf("audit_actor_customer", e.ActorID)
	}
	return pg.T("audit_actor_system")
}
