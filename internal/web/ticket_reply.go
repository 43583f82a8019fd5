package web

import (
	"net/http"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/ticket"
)

// ticketReply adds a public reply or an internal note (POST
// /tickets/{number}/reply: body, visibility=public|internal, status).
func (h *Handler) ticketReply(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	in := desk.ReplyInput{Body: r.PostForm.Get("body"), Internal: r.PostForm.Get("visibility") == string(ticket.Internal)}
	if in.Attachments, err = uploads(r); err != nil {
		h.fail(w, r, fault.Errorf(fault.Invalid, "Invalid form."))
		return
	}
	if s := r.PostForm.Get("status"); s != "" {
		st := ticket.Status(s)
		in.Status = &st
	}
	m, err := h.desk.Reply(r.Context(), a, id, in)
	if fault.Code(err) == fault.Invalid {
		pg, err2 := h.buildTicketPage(r, a, id)
		if err2 != nil {
			h.fail(w, r, err2)
			return
		}
		pg.ReplyBody = in.Body
		pg.ReplyInternal = in.Internal
		pg.ReplyFilesAgain = len(in.Attachments) > 0
		for _, f := range fault.FieldsOf(err) {
			msg := pg.T(f.Message)
			if attachmentField(f.Field) {
				if pg.ReplyFilesError == "" {
					pg.ReplyFilesError = msg
				}
				pg.Errors = append(pg.Errors, summaryItem{Href: "#reply-files", Label: pg.T("field_attachments"), Message: msg})
				continue
			}
			switch f.Field {
			case "body":
				pg.ReplyError = msg
				pg.Errors = append(pg.Errors, summaryItem{Href: "#reply-body", Label: pg.T("field_body"), Message: msg})
			case "status":
				pg.ReplyStatusError = msg
				pg.Errors = append(pg.Errors, summaryItem{Href: "#reply-status", Label: pg.T("ticket_status_after"), Message: msg})
			default:
				pg.Errors = append(pg.Errors, summaryItem{Label: pg.T("field_" + f.Field), Message: msg})
			}
		}
		for i := range pg.ReplyStatuses {
			pg.ReplyStatuses[i].Selected = in.Status != nil && pg.ReplyStatuses[i].Value == string(*in.Status)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "ticket", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, redirectWithPII("/tickets/"+ticket.FormatNumber(id), m.PII, true))
}
