package web

import (
	"net/http"
	"net/url"

	"frist/internal/desk"
	"frist/internal/fault"
)

// deletionLogPage is the deletion log with its filter and a page of
// entries.
type deletionLogPage struct {
	page
	From, To, Action, Rule string // the filter form's values
	Actions                []formOption
	FieldError             map[string]string
	Error                  string // a message above the list, e.g. a bad cursor
	Rows                   []deletionRow
	FirstHref, NextHref    string
	CSVHref                string
}

// deletionRow is one entry as the page shows it.
type deletionRow struct {
	Ticket, Action, Rule, Version string
	Due, Done, Removed            string
}

// deletionLogShow shows the deletion log (GET
// /privacy/deletion-log?from=&to=&action=&rule=&cursor=; administrators and
// privacy officers).
func (h *Handler) deletionLogShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	q := r.URL.Query()
	pg := &deletionLogPage{page: h.newPage(r, a, "dlog_title"), FieldError: map[string]string{},
		From: q.Get("from"), To: q.Get("to"), Action: q.Get("action"), Rule: q.Get("rule")}
	for _, x := range desk.DeletionActions {
		pg.Actions = append(pg.Actions, formOption{Value: string(x), Label: pg.retentionAction(x), Selected: pg.Action == string(x)})
	}
	f, err := h.desk.DeletionFilter(pg.From, pg.To, pg.Action, pg.Rule)
	if fault.Code(err) == fault.Invalid {
		for _, fe := range fault.FieldsOf(err) {
			pg.FieldError[fe.Field] = pg.T(fe.Message)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "privacy_deletion_log", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Cursor, f.Limit = q.Get("cursor"), 50
	status := http.StatusOK
	entries, next, err := h.desk.DeletionLog(r.Context(), a, f)
	if fault.Code(err) == fault.Invalid {
		pg.Error = pg.T("invalid_cursor")
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.desk.Policy()
	for _, e := range entries {
		pg.Rows = append(pg.Rows, deletionRow{Ticket: e.Pseudonym, Action: pg.retentionAction(e.Action), Rule: p.Retention.RuleName(e.Rule, pg.Lang),
			Version: e.RuleVersion, Due: pg.Date(e.Due), Done: pg.Date(e.Done),
			Removed: pg.Tf("dlog_removed", e.Removed.Messages, e.Removed.Attachments, e.Removed.Fields)})
	}
	var set url.Values
	pg.NextHref, pg.FirstHref, set = listLinks("/privacy/deletion-log", map[string]string{"from": pg.From, "to": pg.To, "action": pg.Action, "rule": pg.Rule}, f.Cursor, next)
	pg.CSVHref = csvHref("/api/v1/deletion-log", set)
	h.render(w, r, status, "privacy_deletion_log", pg)
}
