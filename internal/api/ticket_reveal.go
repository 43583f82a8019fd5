package api

import (
	"slices"

	"frist/internal/desk"
	"frist/internal/privacy"
)

// maskingJSON says what of a ticket the caller's role sees masked or
// hidden: customer and content are "visible", "masked" or "hidden";
// masked lists the categories replaced in free text by labels or
// pseudonyms; reveal the masked categories the caller may reveal (POST
// …/reveal); audited the visible categories whose every view is recorded
// in the audit trail; attachments whether the caller may download the
// ticket's files.
type maskingJSON struct {
	Customer    privacy.Visibility `json:"customer"`
	Content     privacy.Visibility `json:"content"`
	Masked      []privacy.Category `json:"masked"`
	Reveal      []privacy.Category `json:"reveal"`
	Audited     []privacy.Category `json:"audited"`
	Attachments bool               `json:"attachments"`
}

func newMaskingJSON(m desk.Masking) maskingJSON {
	list := func(cs []privacy.Category) []privacy.Category {
		if cs == nil {
			return []privacy.Category{}
		}
		return slices.Clone(cs)
	}
	return maskingJSON{Customer: m.Customer, Content: m.Content, Masked: list(m.Text), Reveal: list(m.Reveal), Audited: list(m.Audit), Attachments: m.Attachments}
}

// revealInput asks for masked data of a ticket: a category, optionally one
// field of it, and the reason, which the audit trail records.
type revealInput struct {
	Category privacy.Category `json:"category"`
	Field    string           `json:"field,omitempty"`
	Reason   string           `json:"reason"`
}

// revealJSON is what a reveal shows: the category's fields, the customer's
// name and address (contact data), and the subject and messages with the
// category shown (those whose text changes only).
type revealJSON struct {
	Category privacy.Category `json:"category"`
	Fields   []fieldJSON      `json:"fields"`
	Customer *customerJSON    `json:"customer"`
	Subject  *string          `json:"subject"`
	Messages []revealedText   `json:"messages"`
}

// revealedText is one message's text with the category shown.
type revealedText struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
}

// ticketReveal reveals masked data of one ticket to the caller: a
// deliberate act with a reason, recorded in the audit trail with who,
// when, which ticket, which category and field and the reason, never the
// value. 403 for a role that may not reveal the category on this ticket.
func (a *API) ticketReveal(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	var in revealInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	rv, err := a.desk.Reveal(c.r.Context(), c.agent, id, desk.RevealInput{Category: in.Category, Field: in.Field, Reason: in.Reason})
	if err != nil {
		return nil, err
	}
	c.w.Header().Set("Cache-Control", "no-store")
	out := revealJSON{Category: rv.Category, Fields: []fieldJSON{}, Messages: []revealedText{}}
	cat := a.desk.Policy().Catalogue()
	ids := make([]string, 0, len(rv.Fields))
	for id := range rv.Fields {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		f := fieldJSON{ID: id, Label: id, Category: rv.Category, Value: rv.Fields[id]}
		if at, ok := cat.Attribute(id); ok {
			f.Label = at.Label.In(c.lang)
		}
		out.Fields = append(out.Fields, f)
	}
	if rv.Customer != nil {
		out.Customer = &customerJSON{Name: rv.Customer.Name, Email: rv.Customer.Email}
	}
	if rv.Subject != "" {
		out.Subject = &rv.Subject
	}
	for _, m := range rv.Messages {
		out.Messages = append(out.Messages, revealedText{ID: m.ID, Body: m.Body})
	}
	return out, nil
}
