package api

import (
	"frist/internal/desk"
	"frist/internal/pii"
)

// requestInput is the intake body. Core fields are top-level; the fields
// a request type declares go into Fields.
type requestInput struct {
	RequestType string            `json:"request_type"`
	Name        string            `json:"name"`
	Email       string            `json:"email"`
	Subject     string            `json:"subject"`
	Message     string            `json:"message"`
	Language    string            `json:"language,omitempty"` // "de" or "en"; default from Accept-Language
	Fields      map[string]string `json:"fields,omitempty"`
	Consent     consentInput      `json:"consent"`
	Attachments []attachmentInput `json:"attachments,omitempty"`
}

// consentInput is what the customer confirmed: the privacy notice version
// shown, that it was accepted, and the optional purposes granted.
type consentInput struct {
	NoticeVersion string   `json:"notice_version"`
	Accepted      bool     `json:"accepted"`
	Purposes      []string `json:"purposes,omitempty"`
}

// receiptJSON acknowledges an accepted request. When it is sent, the
// ticket is committed.
type receiptJSON struct {
	TicketNumber     string       `json:"ticket_number"`
	FirstResponseDue string       `json:"first_response_due"`
	StatusURL        string       `json:"status_url"`
	Deletion         deletionJSON `json:"deletion"`
	// Masked is the personal data made unreadable before the request was
	// stored, e.g. a card number; MaskedNotice tells the customer so in
	// the request's language.
	Masked       []piiJSON `json:"masked"`
	MaskedNotice string    `json:"masked_notice,omitempty"`
}

// requestCreate is the public intake: the same validation and consent as
// the form. Nothing is stored unless everything is valid.
func (a *API) requestCreate(c *call) (any, error) {
	var in requestInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	lang := in.Language
	if lang == "" {
		lang = c.lang
	}
	files, err := decodeUploads(in.Attachments)
	if err != nil {
		return nil, err
	}
	rc, err := a.desk.SubmitRequest(c.r.Context(), desk.Request{
		RequestType: in.RequestType,
		Name:        in.Name,
		Email:       in.Email,
		Subject:     in.Subject,
		Message:     in.Message,
		Language:    lang,
		Fields:      in.Fields,
		Consent:     desk.ConsentInput{NoticeVersion: in.Consent.NoticeVersion, Accepted: in.Consent.Accepted, Purposes: in.Consent.Purposes},
		Attachments: files,
	})
	if err != nil {
		return nil, uploadError(err)
	}
	p := a.desk.Policy()
	c.w.Header().Set("Location", "/api/v1/tickets/"+rc.Ticket.Number())
	return receiptJSON{
		TicketNumber:     rc.Ticket.Number(),
		FirstResponseDue: stamp(p, rc.Ticket.FirstResponseDue),
		StatusURL:        a.baseURL + "/t/" + rc.StatusSecret,
		Deletion:         newDeletionJSON(p, a.desk.Deletion(rc.Ticket, rc.Ticket.Language)),
		Masked:           newPIIJSON(desk.WithAction(rc.PII, pii.ActionMask)),
		MaskedNotice:     desk.MaskedNotice(rc.PII, rc.Ticket.Language),
	}, nil
}
