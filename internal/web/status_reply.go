package web

import (
	"net/http"

	"frist/internal/fault"
)

// statusReply adds the customer's message (POST /t/{secret}/reply); a
// reply reopens a waiting, resolved or closed ticket.
func (h *Handler) statusReply(w http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	if !h.parseForm(w, r) {
		return
	}
	body := r.PostForm.Get("message")
	found, err := h.desk.CustomerReply(r.Context(), secret, body)
	if fault.Code(err) == fault.Invalid {
		pg, err2 := h.buildStatusPage(r)
		if err2 != nil {
			h.fail(w, r, err2)
			return
		}
		pg.Reply = body
		for _, f := range fault.FieldsOf(err) {
			pg.ReplyError = pg.T(f.Message)
		}
		h.renderStatus(w, r, http.StatusUnprocessableEntity, pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	noStoreNoReferrer(w)
	seeOther(w, r, redirectWithPII("/t/"+secret+"?done=reply", found, false))
}
