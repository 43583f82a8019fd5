package web

import (
	"net/http"
	"strconv"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// ticketUpdate changes status, priority, department or assignee (POST
// /tickets/{number}). Fields left out of the form stay as they are.
func (h *Handler) ticketUpdate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	var u desk.TicketUpdate
	if f.Has("status") {
		s := ticket.Status(f.Get("status"))
		u.Status = &s
	}
	if f.Has("priority") {
		p := ticket.Priority(f.Get("priority"))
		u.Priority = &p
	}
	if f.Has("department") {
		d := f.Get("department")
		u.Department = &d
	}
	if f.Has("assignee") {
		var n int64
		if s := f.Get("assignee"); s != "" {
			n, err = strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				err = fault.Fields("Invalid assignee.", fault.FieldError{Field: "assignee", Message: privacy.ErrOption})
			}
		}
		u.AssigneeID = &n
	}
	if err == nil {
		_, err = h.desk.UpdateTicket(r.Context(), a, id, u)
	}
	if fault.Code(err) == fault.Invalid {
		pg, err2 := h.buildTicketPage(r, a, id)
		if err2 != nil {
			h.fail(w, r, err2)
			return
		}
		for _, fe := range fault.FieldsOf(err) {
			msg := pg.T(fe.Message)
			pg.UpdateErrors[fe.Field] = msg
			pg.Errors = append(pg.Errors, summaryItem{Href: "#update-" + fe.Field, Label: pg.T("field_" + fe.Field), Message: msg})
		}
		if len(pg.Errors) == 0 {
			pg.Errors = append(pg.Errors, summaryItem{Label: pg.T("ticket_update_heading"), Message: pg.T("error_invalid")})
		}
		h.render(w, r, http.StatusUnprocessableEntity, "ticket", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/tickets/"+ticket.FormatNumber(id))
}
