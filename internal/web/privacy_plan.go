package web

import (
	"net/http"
	"strings"
	"time"

	"frist/internal/desk"
	"frist/internal/privacy"
)

// planPage is what the retention run will do on a day, per rule and
// action.
type planPage struct {
	page
	AsOf       string // the form's value, YYYY-MM-DD
	AsOfError  string
	Shown      string // the moment the plan is for, formatted
	Tickets    int
	Held       int
	Rows       []planRow
	Calculated bool
}

// planRow is one rule version and action of the plan.
type planRow struct {
	Rule, RuleID, Version   string
	Action                  string
	First, Last             string
	Tickets, Messages       int
	Attachments, FieldCount int
}

// privacyPlan shows the plan as of a day (GET /privacy/plan?as_of=
// YYYY-MM-DD, counted from 00:00 in the retention time zone; empty: now).
// It changes nothing.
func (h *Handler) privacyPlan(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	pg := &planPage{page: h.newPage(r, a, "plan_title"), AsOf: strings.TrimSpace(r.URL.Query().Get("as_of"))}
	p := h.desk.Policy()
	var asOf time.Time
	if pg.AsOf != "" {
		t, err := time.ParseInLocation(time.DateOnly, pg.AsOf, p.Retention.Location())
		if err != nil {
			pg.AsOfError = pg.T("invalid_date")
			h.render(w, r, http.StatusUnprocessableEntity, "privacy_plan", pg)
			return
		}
		asOf = t
	}
	plan, err := h.desk.RetentionPlan(r.Context(), a, asOf)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.Calculated = true
	pg.Shown, pg.Tickets, pg.Held = pg.Date(plan.AsOf), plan.Tickets, plan.Held
	for _, g := range plan.Groups {
		pg.Rows = append(pg.Rows, planRow{Rule: p.Retention.RuleName(g.Rule, pg.Lang), RuleID: g.Rule, Version: g.RuleVersion,
			Action: pg.retentionAction(g.Action), First: pg.Date(g.First), Last: pg.Date(g.Last),
			Tickets: g.Tickets, Messages: g.Messages, Attachments: g.Attachments, FieldCount: g.Fields})
	}
	h.render(w, r, http.StatusOK, "privacy_plan", pg)
}

// retentionAction names a retention action.
func (p page) retentionAction(a privacy.RetentionAction) string { return p.T("action_" + string(a)) }
