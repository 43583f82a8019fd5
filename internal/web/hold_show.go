package web

import (
	"net/http"
	"strconv"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
)

// holdsPage lists legal holds and places one on every ticket of a
// customer.
type holdsPage struct {
	page
	All                 bool // lifted holds too
	Holds               []holdView
	NextHref, FirstHref string
	Error               string
	Notice              string

	// The form that holds a customer's tickets.
	Email, Reason           string
	EmailError, ReasonError string
	Errors                  []summaryItem

	LiftErrorID int64
	LiftError   string
}

// holdsOnly is agentOnly for legal holds: privacy officers only; others
// get a friendly 403 page.
func (h *Handler) holdsOnly(fn agentHandler) http.HandlerFunc {
	return h.agentOnly(func(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
		if a.Role != auth.PrivacyOfficer {
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r, a)
	})
}

// holdsShow lists legal holds, newest first (GET
// /privacy/holds?all=1&cursor=; default active only).
func (h *Handler) holdsShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	pg := h.newHoldsPage(r, a)
	switch r.URL.Query().Get("done") {
	case "hold":
		pg.Notice = pg.T("hold_placed_done")
	case "lift":
		pg.Notice = pg.T("hold_lifted_done")
	}
	h.renderHolds(w, r, a, pg, http.StatusOK)
}

func (h *Handler) newHoldsPage(r *http.Request, a *desk.Agent) *holdsPage {
	pg := &holdsPage{page: h.newPage(r, a, "holds_title"), All: r.URL.Query().Get("all") == "1"}
	if r.Method != http.MethodGet {
		pg.Path = "/privacy/holds"
	}
	return pg
}

func (h *Handler) renderHolds(w http.ResponseWriter, r *http.Request, a *desk.Agent, pg *holdsPage, status int) {
	cursor := ""
	if r.Method == http.MethodGet {
		cursor = r.URL.Query().Get("cursor")
	}
	holds, next, err := h.desk.Holds(r.Context(), a, !pg.All, cursor, 50)
	if fault.Code(err) == fault.Invalid {
		pg.Error = pg.T("invalid_cursor")
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, x := range holds {
		pg.Holds = append(pg.Holds, pg.holdView(x))
	}
	base := "/privacy/holds?"
	if pg.All {
		base += "all=1&"
	}
	if next != "" {
		pg.NextHref = base + "cursor=" + next
	}
	if cursor != "" {
		pg.FirstHref = base[:len(base)-1]
	}
	h.render(w, r, status, "privacy_holds", pg)
}

// holdCreate places a legal hold on every ticket of a customer (POST
// /privacy/holds, fields email and reason). Errors re-show the form and
// change nothing.
func (h *Handler) holdCreate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	if !h.parseForm(w, r) {
		return
	}
	email, reason := r.PostForm.Get("email"), r.PostForm.Get("reason")
	var err error
	if email == "" {
		err = fault.Fields("Give the customer's email address.", fault.FieldError{Field: "customer_email", Message: "required"})
	} else {
		_, err = h.desk.PlaceHold(r.Context(), a, desk.HoldTarget{CustomerEmail: email}, reason)
	}
	if fault.Code(err) == fault.Invalid {
		pg := h.newHoldsPage(r, a)
		pg.Email, pg.Reason = email, reason
		for _, fe := range fault.FieldsOf(err) {
			msg := pg.T(fe.Message)
			switch fe.Field {
			case "reason":
				pg.ReasonError = msg
				pg.Errors = append(pg.Errors, summaryItem{Href: "#hold-reason", Label: pg.T("hold_reason"), Message: msg})
			default:
				pg.EmailError = msg
				pg.Errors = append(pg.Errors, summaryItem{Href: "#hold-email", Label: pg.T("hold_customer_email"), Message: msg})
			}
		}
		h.renderHolds(w, r, a, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/privacy/holds?done=hold")
}

// holdLift lifts a legal hold from the list (POST
// /privacy/holds/{id}/lift, field reason).
func (h *Handler) holdLift(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, errNotFound)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	_, err = h.desk.LiftHold(r.Context(), a, id, r.PostForm.Get("reason"))
	if c := fault.Code(err); c == fault.Invalid || c == fault.Conflict {
		pg := h.newHoldsPage(r, a)
		pg.LiftErrorID, pg.LiftError = id, pg.fieldMessage(err)
		if c == fault.Conflict {
			pg.LiftError = pg.T("hold_not_active")
		}
		pg.Errors = append(pg.Errors, summaryItem{Href: "#lift-" + strconv.FormatInt(id, 10), Label: pg.T("hold_lift_reason"), Message: pg.LiftError})
		h.renderHolds(w, r, a, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/privacy/holds?done=lift")
}
