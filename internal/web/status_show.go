package web

import (
	"net/http"

	"frist/internal/desk"
	"frist/internal/pii"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// statusPage is the customer's view of their ticket behind the status
// link: public messages only.
type statusPage struct {
	page
	Secret          string
	Number          string
	Status          ticket.Status
	Subject         string
	Due             string
	FirstResponseAt string // "" until answered
	Late            bool   // the first answer came after the promised deadline
	DuePassed       bool   // not answered yet, and the promised deadline has passed
	Messages        []messageView
	Closed          bool
	Reply           string // kept input after an error
	ReplyError      string
	Notice          string // translated confirmation after a redirect
	Masked          string // what was masked in the customer's reply, after the redirect
	Deletion        string // when the data will be deleted, one sentence
}

// messageView is one message of a conversation as a page shows it.
type messageView struct {
	Author   string
	Body     string
	At       string
	Internal bool
	Agent    bool

	Attachments []attachmentView

	// For agents: personal data the policy masked or flagged, and the
	// body with flagged spans marked (nil: show Body as it is).
	PII   []piiBadge
	Parts []textPart
}

// statusShow shows the status page (GET /t/{secret}). The secret in the
// URL must not leak: no caching, no referrer.
func (h *Handler) statusShow(w http.ResponseWriter, r *http.Request) {
	pg, err := h.buildStatusPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "reply":
		pg.Notice = pg.T("status_reply_sent")
		pg.Masked = desk.MaskedNotice(parsePIIQuery(r.URL.Query().Get("masked"), pii.ActionMask), pg.Lang)
	case "close":
		pg.Notice = pg.T("status_closed_done")
	}
	h.renderStatus(w, r, http.StatusOK, pg)
}

func (h *Handler) buildStatusPage(r *http.Request) (*statusPage, error) {
	secret := r.PathValue("secret")
	v, err := h.desk.CustomerTicket(r.Context(), secret)
	if err != nil {
		return nil, err
	}
	t := v.Ticket
	pg := &statusPage{page: h.newPage(r, nil, "")}
	// The path holds the secret; the language switch must not carry it
	// into a query string that might be logged.
	pg.Path = "/"
	pg.Title = pg.Tf("status_title", t.Number())
	pg.Secret = secret
	pg.Number = t.Number()
	pg.Status = t.Status
	pg.Subject = t.Subject
	pg.Due = pg.Date(t.FirstResponseDue)
	if !t.FirstResponseAt.IsZero() {
		pg.FirstResponseAt = pg.Date(t.FirstResponseAt)
		// Never claim an answer in time that was late: the SLA record
		// decides, and without one the promise itself.
		pg.Late = t.FirstResponseAt.After(t.FirstResponseDue) || (t.SLA != nil && t.SLA.Late(sla.FirstResponse))
	} else {
		pg.DuePassed = (t.Status == ticket.New || t.Status == ticket.Open) && h.desk.Now().After(t.FirstResponseDue)
	}
	pg.Closed = t.Status == ticket.Closed
	pg.Deletion = h.customerDeletion(&pg.page, t)
	for _, m := range v.Messages {
		if m.Visibility != ticket.Public {
			continue // desk returns public messages only; stay safe anyway
		}
		mv := messageView{Body: m.Body, At: pg.Date(m.CreatedAt), Agent: m.Author == ticket.ByAgent}
		mv.Attachments = pg.attachmentViews("/t/"+secret, v.Attachments[m.ID])
		switch m.Author {
		case ticket.ByCustomer:
			mv.Author = pg.T("author_customer")
		case ticket.ByAgent:
			mv.Author = pg.T("author_agent")
		default:
			mv.Author = pg.T("author_system")
		}
		pg.Messages = append(pg.Messages, mv)
	}
	return pg, nil
}

func (h *Handler) renderStatus(w http.ResponseWriter, r *http.Request, status int, pg *statusPage) {
	noStoreNoReferrer(w)
	h.render(w, r, status, "status", pg)
}

// noStoreNoReferrer keeps a page with a secret in its URL out of caches
// and out of Referer headers.
func noStoreNoReferrer(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}
