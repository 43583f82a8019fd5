package web

import (
	"net/http"
	"strings"

	"frist/internal/desk"
	"frist/internal/fault"
)

// requestAckPage confirms a submitted request. It is the only place the
// status link's secret is ever shown.
type requestAckPage struct {
	page
	Number        string
	Due           string
	StatusURL     string
	NoticeVersion string
	Purposes      []string // labels of the purposes consented to
	Masked        string   // what was masked in the request, for the customer
}

// requestSubmit takes the customer's request (POST /requests). Invalid
// input re-renders the form with the input kept (422); success shows the
// acknowledgement at once (200, not a redirect) so that the status link is
// shown exactly once and never cached.
func (h *Handler) requestSubmit(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	v := r.PostForm
	req := desk.Request{
		RequestType: v.Get("request_type"),
		Name:        v.Get("name"),
		Email:       v.Get("email"),
		Subject:     v.Get("subject"),
		Message:     v.Get("message"),
		Language:    v.Get("language"),
		Fields:      map[string]string{},
		Consent: desk.ConsentInput{
			NoticeVersion: v.Get("notice_version"),
			Accepted:      checked(v.Get("consent_accepted")),
			Purposes:      v["purposes"],
		},
	}
	// Every field_ input goes to desk, declared or not, so that undeclared
	// fields are rejected rather than silently dropped.
	for k, vals := range v {
		if id, ok := strings.CutPrefix(k, "field_"); ok && len(vals) > 0 {
			req.Fields[id] = vals[0]
		}
	}
	files, err := uploads(r)
	if err != nil {
		h.fail(w, r, fault.Errorf(fault.Invalid, "Invalid form."))
		return
	}
	req.Attachments = files
	rc, err := h.desk.SubmitRequest(r.Context(), req)
	if fault.Code(err) == fault.Invalid {
		errs := fieldsOf(err)
		var order []string
		seen := map[string]bool{}
		for _, f := range fault.FieldsOf(err) {
			if !seen[f.Field] {
				seen[f.Field] = true
				order = append(order, f.Field)
			}
		}
		typeID := req.RequestType
		if _, ok := h.desk.Policy().RequestType(typeID); !ok {
			typeID = ""
		}
		w.Header().Set("Cache-Control", "no-store")
		pg := h.buildRequestForm(r, typeID, v, errs, order)
		pg.FilesAgain = len(files) > 0
		h.render(w, r, http.StatusUnprocessableEntity, "request_form", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := &requestAckPage{
		page:          h.newPage(r, nil, "ack_title"),
		Number:        rc.Ticket.Number(),
		StatusURL:     h.baseURL + "/t/" + rc.StatusSecret,
		NoticeVersion: rc.Ticket.NoticeVersion,
	}
	pg.Due = pg.Date(rc.Ticket.FirstResponseDue)
	pg.Masked = desk.MaskedNotice(rc.PII, pg.Lang)
	p := h.desk.Policy()
	granted := map[string]bool{}
	for _, x := range req.Consent.Purposes {
		granted[x] = true
	}
	for _, x := range p.OptionalPurposes() {
		if granted[x.ID] {
			pg.Purposes = append(pg.Purposes, x.Label.In(pg.Lang))
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.render(w, r, http.StatusOK, "request_ack", pg)
}

// checked reports whether a checkbox value means ticked.
func checked(v string) bool {
	switch strings.ToLower(v) {
	case "on", "yes", "true", "1":
		return true
	}
	return false
}
