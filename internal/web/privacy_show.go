package web

import (
	"net/http"

	"frist/internal/auth"
	"frist/internal/desk"
)

// privacyPage is the overview of the deletion concept at work: status
// counts, recomputations of deletion dates, the "run now" button and, after
// a run, its counts.
type privacyPage struct {
	page
	Overdue, DueNow, Restricted, Held int
	Recomputations                    []recomputationView
	Ran                               bool // a run just finished; Run holds its counts
	Run                               desk.RetentionRun
	PrivacyOfficer                    bool // sees legal holds and restricted tickets
	Compliance                        *compliancePanel
}

// recomputationView is one recomputation of deletion dates with its
// progress.
type recomputationView struct {
	At       string
	Cause    string
	Examined int
	Changed  int
	State    string
	Running  bool
}

// privacyShow shows the overview (GET /privacy; administrators and privacy
// officers).
func (h *Handler) privacyShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	h.renderPrivacy(w, r, a, nil)
}

// privacyRun runs the retention sweeper once and shows the overview with
// the run's counts (POST /privacy/run).
func (h *Handler) privacyRun(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	run, err := h.desk.RunRetention(r.Context(), a, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderPrivacy(w, r, a, &run)
}

func (h *Handler) renderPrivacy(w http.ResponseWriter, r *http.Request, a *desk.Agent, run *desk.RetentionRun) {
	s, err := h.desk.RetentionStatus(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := &privacyPage{page: h.newPage(r, a, "privacy_title"), Overdue: s.Overdue, DueNow: s.DueNow, Restricted: s.Restricted, Held: s.Held,
		PrivacyOfficer: a.Role == auth.PrivacyOfficer}
	if run != nil {
		pg.Ran, pg.Run = true, *run
		pg.Path = "/privacy"
	}
	for _, x := range s.Recomputations {
		v := recomputationView{At: pg.Date(x.At), Cause: pg.T("recompute_cause_" + x.Cause), Examined: x.Examined, Changed: x.Changed, Running: x.Done.IsZero()}
		if v.Running {
			v.State = pg.T("recompute_running")
		} else {
			v.State = pg.Tf("recompute_done", pg.Date(x.Done))
		}
		pg.Recomputations = append(pg.Recomputations, v)
	}
	if pg.Compliance, err = h.compliancePanel(r.Context(), pg.page, a); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "privacy", pg)
}
