package desk

import (
	"context"
	"time"

	"frist/internal/auth"
	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/pii"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

var timeZero time.Time

// CustomerTicket returns the ticket behind a status link with its public
// messages only, or fault.NotFound for an unknown secret.
func (d *Desk) CustomerTicket(ctx context.Context, secret string) (*TicketView, error) {
	var v TicketView
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicketByStatusHash(auth.HashSecret(secret))
		if err != nil {
			return err
		}
		v.Ticket = t
		if v.Messages, err = tx.FindMessages(t.ID, false); err != nil {
			return err
		}
		v.Attachments, err = findAttachments(tx, t.ID, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// CustomerReply adds the customer's message to their ticket and reopens it
// when it was waiting, resolved or closed. Personal data in it is masked or
// flagged as the policy's pii section says for customers' text before it
// is stored; the findings are returned, so that the customer can be told
// what was masked (MaskedNotice).
func (d *Desk) CustomerReply(ctx context.Context, secret, body string) ([]pii.Count, error) {
	body, msg := (&privacy.Attribute{Kind: privacy.KindTextarea, MaxLen: 20000}).Normalize(body)
	if msg == "" && body == "" {
		msg = privacy.ErrRequired
	}
	if msg != "" {
		return nil, fault.Fields("Please write a message.", fault.FieldError{Field: "message", Message: msg})
	}
	found := pii.Scan(body)
	m := &ticket.Message{Visibility: ticket.Public, Author: ticket.ByCustomer}
	var saved *ticket.Ticket
	var hits []slaHit
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicketByStatusHash(auth.HashSecret(secret))
		if err != nil {
			return err
		}
		before := *t
		m.TicketID = t.ID
		m.Body, m.PII = screen(d.Policy(), t.RequestType, policy.PIICustomer, t.Language, body, found)
		if err := tx.CreateMessage(m); err != nil {
			return err
		}
		if next := ticket.AfterCustomerReply(t.Status); next != t.Status {
			if err := tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "status", From: string(t.Status), To: string(next)}, "customer"); err != nil {
				return err
			}
			t.Status = next
			t.ClosedAt = timeZero
		}
		if hits, err = d.trackSLA(tx, t, slaChange{before: before, customerReply: true}); err != nil {
			return err
		}
		saved = t
		applyRetention(d.Policy(), t, tx.Now())
		return tx.SaveTicket(t)
	})
	if err != nil {
		return nil, err
	}
	d.publish(events.KindTicketUpdated, saved, map[string]any{"status": saved.Status})
	d.publishSLA(hits)
	return m.PII, nil
}

// CustomerClose closes the ticket behind a status link. Closing a closed
// ticket changes nothing.
func (d *Desk) CustomerClose(ctx context.Context, secret string) error {
	var saved *ticket.Ticket
	var hits []slaHit
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicketByStatusHash(auth.HashSecret(secret))
		if err != nil {
			return err
		}
		if t.Status == ticket.Closed {
			return nil
		}
		if err := tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "status", From: string(t.Status), To: string(ticket.Closed)}, "customer"); err != nil {
			return err
		}
		before := *t
		t.Status = ticket.Closed
		t.ClosedAt = tx.Now()
		if hits, err = d.trackSLA(tx, t, slaChange{before: before}); err != nil {
			return err
		}
		saved = t
		applyRetention(d.Policy(), t, tx.Now())
		return tx.SaveTicket(t)
	})
	if err == nil && saved != nil {
		d.publish(events.KindTicketUpdated, saved, map[string]any{"status": saved.Status})
		d.publishSLA(hits)
	}
	return err
}
