package desk

import (
	"context"
	"maps"
	"strconv"
	"strings"
	"unicode"

	"frist/internal/audit"
	"frist/internal/fault"
	"frist/internal/pii"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// RevealInput asks for the values behind the masks of one ticket.
type RevealInput struct {
	Category privacy.Category // the masked category to reveal
	Field    string           // one form field of the category; "" for all of it
	Reason   string           // why, in a few words without personal data; recorded in the audit trail
}

// Revealed is what a reveal shows: the values of the category that the
// agent saw masked.
type Revealed struct {
	Category privacy.Category
	// Fields holds the revealed form fields' values by id.
	Fields map[string]string
	// Customer is the customer's name and address when contact data was
	// revealed; nil otherwise.
	Customer *ticket.Customer
	// Subject is the subject with the category revealed.
	Subject string
	// Messages are the messages whose text changes when the category is
	// revealed (personal data in free text), with it revealed.
	Messages []ticket.Message
}

// Limits and messages of a reveal's reason.
const (
	MaxRevealReason     = 120              // characters
	ErrReasonPersonal   = "personal_data"  // the reason holds personal data
	ErrRevealNotAllowed = "reveal_refused" // the role may not reveal the category on this ticket
	ErrRevealNothing    = "nothing_masked" // nothing of the category is masked on this ticket
	ErrRevealField      = "unknown_field"  // the field is not one of the ticket's in the category
	ErrRevealCategory   = "invalid_option" // not a data category
	errRevealReasonLong = privacy.ErrTooLong
)

// Reveal shows an agent the masked data of one category of a ticket: a
// deliberate act with a reason, which the audit trail records with who,
// when, which ticket, which category and field and the reason — never the
// value. The reason is refused when it holds personal data (detected
// personal data or the customer's own data), because it goes to the audit
// trail, which holds none.
//
// Only roles whose policy lets them reveal the category may, and under
// own_department_only only on tickets of their own departments: others get
// fault.Forbidden. A bad category, field or reason gives fault.Invalid
// naming the field and changes nothing; a ticket the agent may not see
// gives fault.NotFound.
func (d *Desk) Reveal(ctx context.Context, a *Agent, id int64, in RevealInput) (*Revealed, error) {
	reason := strings.Join(strings.Fields(in.Reason), " ")
	var errs []fault.FieldError
	if !in.Category.Valid() {
		errs = append(errs, fault.FieldError{Field: "category", Message: ErrRevealCategory})
	}
	switch {
	case reason == "":
		errs = append(errs, fault.FieldError{Field: "reason", Message: privacy.ErrRequired})
	case len([]rune(reason)) > MaxRevealReason:
		errs = append(errs, fault.FieldError{Field: "reason", Message: errRevealReasonLong})
	case strings.ContainsFunc(reason, unicode.IsControl):
		errs = append(errs, fault.FieldError{Field: "reason", Message: privacy.ErrControl})
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please name the data and give a reason.", Fields: errs}
	}
	v, err := d.viewer(ctx, a)
	if err != nil {
		return nil, err
	}
	var out *Revealed
	err = d.db.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		m := v.mask(t)
		acc := m.access[in.Category]
		if acc.Visibility == privacy.Visible {
			return fault.Fields("Nothing of this category is masked on this ticket.", fault.FieldError{Field: "category", Message: ErrRevealNothing})
		}
		if !acc.Reveal {
			return &fault.Error{Code: fault.Forbidden, Message: "Your role may not reveal this data on this ticket.", Fields: []fault.FieldError{{Field: "category", Message: ErrRevealNotAllowed}}}
		}
		if personalReason(v.p, reason, t) {
			return fault.Fields("The reason is recorded in the audit trail and must not contain personal data.", fault.FieldError{Field: "reason", Message: ErrReasonPersonal})
		}
		msgs, err := tx.FindMessages(id, true)
		if err != nil {
			return err
		}
		if out, err = reveal(v, m, t, msgs, in); err != nil {
			return err
		}
		detail := "category=" + string(in.Category)
		if in.Field != "" {
			detail += " field=" + in.Field
		}
		detail += " reason=" + strconv.Quote(reason)
		if audit.Check(detail) != nil {
			return fault.Fields("The reason is too long or contains characters the audit trail does not take (such as @).", fault.FieldError{Field: "reason", Message: ErrReasonPersonal})
		}
		return d.auditTx(tx, a, audit.TicketReveal, "ticket:"+t.Number(), detail)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reveal computes what revealing in.Category shows on ticket t.
func reveal(v *viewer, m *ticketMask, t *ticket.Ticket, msgs []ticket.Message, in RevealInput) (*Revealed, error) {
	out := &Revealed{Category: in.Category, Fields: map[string]string{}}
	cat := v.p.Catalogue()
	if in.Field != "" {
		at, ok := cat.Attribute(in.Field)
		if _, has := m.fields[in.Field]; !ok || !has || at.Category != in.Category {
			return nil, fault.Fields("This ticket has no such field of the category.", fault.FieldError{Field: "field", Message: ErrRevealField})
		}
	}
	for id, val := range m.fields {
		at, ok := cat.Attribute(id)
		if !ok || at.Category != in.Category || (in.Field != "" && id != in.Field) {
			continue
		}
		out.Fields[id] = val
	}
	// The same mask with the category shown: what changes is revealed.
	shown := maps.Clone(m.access)
	shown[in.Category] = privacy.Access{Visibility: privacy.Visible}
	open := (&ticketMask{v: v, id: t.ID, shown: map[privacy.Category]bool{}, customer: m.customer, fields: m.fields}).build(shown)
	texts := []string{t.Subject}
	for _, msg := range msgs {
		texts = append(texts, msg.Body)
	}
	m.learn(texts...)
	open.learn(texts...)
	if in.Field == "" {
		if in.Category == privacy.Contact {
			c := m.customer
			out.Customer = &c
		}
		if s := open.text(t.Subject); s != m.text(t.Subject) {
			out.Subject = s
		}
		for _, msg := range msgs {
			if body := open.text(msg.Body); body != m.text(msg.Body) {
				msg.Body = body
				out.Messages = append(out.Messages, msg)
			}
		}
	}
	if len(out.Fields) == 0 && out.Customer == nil && out.Subject == "" && len(out.Messages) == 0 {
		return nil, fault.Fields("Nothing of this category is masked on this ticket.", fault.FieldError{Field: "category", Message: ErrRevealNothing})
	}
	return out, nil
}

// personalReason reports whether a reveal's reason holds personal data:
// something the detectors find, or the customer's name, address or a
// field's value.
func personalReason(p *policy.Policy, reason string, t *ticket.Ticket) bool {
	if len(pii.Scan(reason)) > 0 {
		return true
	}
	values := []privacy.Replacement{{Value: t.Customer.Name, With: "x"}, {Value: t.Customer.Email, With: "x"}}
	for _, part := range nameParts(t.Customer.Name) {
		values = append(values, privacy.Replacement{Value: part, With: "x"})
	}
	for id, val := range t.Fields {
		if at, ok := p.Catalogue().Attribute(id); (ok && at.Kind == privacy.KindSelect) || len([]rune(val)) < 4 {
			continue // options are words of the form, not the customer's
		}
		values = append(values, privacy.Replacement{Value: val, With: "x"})
	}
	return privacy.NewRedaction(values, nil).Apply(reason) != reason
}
