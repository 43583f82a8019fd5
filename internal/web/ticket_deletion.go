package web

import (
	"net/http"
	"strconv"
	"strings"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// deletionPanel is the ticket page's "Deletion" panel: when and why the
// ticket is deleted, its tags, and for privacy officers its legal holds.
type deletionPanel struct {
	Explanation string
	Anonymise   bool   // the action is anonymise rather than delete
	Due         string // "" while the start event is pending
	Pending     bool   // a rule applies but its period has not started
	Latest      string
	RestrictAt  string
	Fields      []fieldExpiryView
	Restricted  bool
	Held        bool
	Anonymised  bool

	Tags      string // the tags form's value, comma-separated
	TagsError string
	Notice    string // confirmation after a hold was placed or lifted

	// Legal holds: privacy officers only.
	CanHold     bool
	Holds       []holdView
	HoldReason  string // kept input after an error
	HoldError   string
	LiftErrorID int64 // the hold whose lift form shows LiftError
	LiftError   string
}

// fieldExpiryView is an attribute value deleted before its ticket.
type fieldExpiryView struct {
	Label string
	Due   string
}

// holdView is one legal hold as the pages show it.
type holdView struct {
	ID         int64
	Target     string // "Ticket F-100042" or "all tickets of erika@example.org"
	TicketHref string
	Reason     string
	Placed     string
	Lifted     string // "" while active
	Active     bool
}

// setDeletion fills the deletion panel of a ticket page.
func (h *Handler) setDeletion(r *http.Request, pg *ticketPage, a *desk.Agent, t *ticket.Ticket) error {
	d := h.desk.Deletion(t, pg.Lang)
	cat := h.desk.Policy().Catalogue()
	p := &pg.Deletion
	p.Explanation = d.Explanation
	p.Anonymise = d.Action == privacy.ActionAnonymise
	p.Pending = d.Rule != "" && d.Due == nil
	if d.Due != nil {
		p.Due = pg.Date(*d.Due)
	}
	if d.Latest != nil {
		p.Latest = pg.Date(*d.Latest)
	}
	if d.RestrictAt != nil {
		p.RestrictAt = pg.Date(*d.RestrictAt)
	}
	for _, f := range d.Fields {
		label := f.Field
		if at, ok := cat.Attribute(f.Field); ok {
			label = at.Label.In(pg.Lang)
		}
		p.Fields = append(p.Fields, fieldExpiryView{Label: label, Due: pg.Date(f.Due)})
	}
	p.Restricted, p.Held, p.Anonymised = d.Restricted, d.Held, d.Anonymised
	p.Tags = strings.Join(t.Tags, ", ")
	if r.Method == http.MethodGet {
		switch r.URL.Query().Get("done") {
		case "hold":
			p.Notice = pg.T("hold_placed_done")
		case "lift":
			p.Notice = pg.T("hold_lifted_done")
		}
	}
	if a.Role != auth.PrivacyOfficer {
		return nil
	}
	p.CanHold = true
	holds, err := h.desk.TicketHolds(r.Context(), a, t.ID)
	if err != nil {
		return err
	}
	for _, x := range holds {
		p.Holds = append(p.Holds, pg.holdView(x))
	}
	return nil
}

// holdView translates a legal hold.
func (p page) holdView(x store.Hold) holdView {
	v := holdView{ID: x.ID, Reason: x.Reason, Placed: p.Tf("hold_placed", x.PlacedName, p.Date(x.PlacedAt)), Active: x.LiftedAt.IsZero()}
	if x.TicketID != 0 {
		n := ticket.FormatNumber(x.TicketID)
		v.Target, v.TicketHref = p.Tf("hold_on_ticket", n), "/tickets/"+n
	} else {
		v.Target = p.Tf("hold_on_customer", x.CustomerRef)
	}
	if !v.Active {
		v.Lifted = p.Tf("hold_lifted", x.LiftedName, p.Date(x.LiftedAt), x.LiftReason)
	}
	return v
}

// ticketTags replaces a ticket's tags (POST /tickets/{number}/tags,
// field tags: comma-separated). Bad tags re-show the page with the
// message and change nothing.
func (h *Handler) ticketTags(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	raw := r.PostForm.Get("tags")
	_, err = h.desk.SetTags(r.Context(), a, id, strings.Split(raw, ","))
	if fault.Code(err) == fault.Invalid {
		h.renderTicketError(w, r, a, id, func(pg *ticketPage) {
			pg.Deletion.Tags = raw
			pg.Deletion.TagsError = pg.T("tags_invalid")
			pg.Errors = append(pg.Errors, summaryItem{Href: "#tags", Label: pg.T("field_tags"), Message: pg.T("tags_invalid")})
		})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/tickets/"+ticket.FormatNumber(id)+"#deletion-title")
}

// ticketHoldCreate places a legal hold on the ticket (POST
// /tickets/{number}/holds, field reason; privacy officers).
func (h *Handler) ticketHoldCreate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	reason := r.PostForm.Get("reason")
	_, err = h.desk.PlaceHold(r.Context(), a, desk.HoldTarget{TicketID: id}, reason)
	if fault.Code(err) == fault.Invalid {
		h.renderTicketError(w, r, a, id, func(pg *ticketPage) {
			msg := pg.fieldMessage(err)
			pg.Deletion.HoldReason, pg.Deletion.HoldError = reason, msg
			pg.Errors = append(pg.Errors, summaryItem{Href: "#hold-reason", Label: pg.T("hold_reason"), Message: msg})
		})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/tickets/"+ticket.FormatNumber(id)+"?done=hold#deletion-title")
}

// ticketHoldLift lifts a legal hold from the ticket page (POST
// /tickets/{number}/holds/{id}/lift, field reason; privacy officers).
func (h *Handler) ticketHoldLift(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	holdID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || holdID <= 0 {
		h.fail(w, r, errNotFound)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	_, err = h.desk.LiftHold(r.Context(), a, holdID, r.PostForm.Get("reason"))
	if c := fault.Code(err); c == fault.Invalid || c == fault.Conflict {
		h.renderTicketError(w, r, a, id, func(pg *ticketPage) {
			msg := pg.fieldMessage(err)
			if c == fault.Conflict {
				msg = pg.T("hold_not_active")
			}
			pg.Deletion.LiftErrorID, pg.Deletion.LiftError = holdID, msg
			pg.Errors = append(pg.Errors, summaryItem{Href: "#lift-" + strconv.FormatInt(holdID, 10), Label: pg.T("hold_lift_reason"), Message: msg})
		})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/tickets/"+ticket.FormatNumber(id)+"?done=lift#deletion-title")
}

// renderTicketError re-shows the ticket page with an error set by edit,
// as 422.
func (h *Handler) renderTicketError(w http.ResponseWriter, r *http.Request, a *desk.Agent, id int64, edit func(*ticketPage)) {
	pg, err := h.buildTicketPage(r, a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	edit(pg)
	h.render(w, r, http.StatusUnprocessableEntity, "ticket", pg)
}

// fieldMessage translates the first field error of err, or the generic
// invalid-input text.
func (p page) fieldMessage(err error) string {
	for _, f := range fault.FieldsOf(err) {
		return p.T(f.Message)
	}
	return p.T("error_invalid")
}

// customerDeletion is the sentence the customer's status page shows about
// the deletion of their data: the date, or the period and its start while
// the date is pending; no rule names or internals. "" when no rule applies
// or the ticket is anonymised.
func (h *Handler) customerDeletion(pg *page, t *ticket.Ticket) string {
	s := t.Retention
	if s.IsZero() || !t.AnonymisedAt.IsZero() {
		return ""
	}
	r := &h.desk.Policy().Retention
	anon := s.Action == privacy.ActionAnonymise
	if s.Due != nil {
		day := r.FormatDate(*s.Due)
		if anon {
			return pg.Tf("status_deletion_anon", day)
		}
		return pg.Tf("status_deletion", day)
	}
	c, ok := r.Class(s.Class)
	if !ok {
		return ""
	}
	when, start := privacy.DescribePeriod(c.Period, pg.Lang), privacy.DescribeStart(c.Start, pg.Lang)
	if anon {
		return pg.Tf("status_deletion_rel_anon", when, start)
	}
	return pg.Tf("status_deletion_rel", when, start)
}
