package desk

import (
	"context"
	"slices"
	"strconv"

	"frist/internal/auth"
	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/pii"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// TicketView is a ticket with everything its page shows.
type TicketView struct {
	Ticket   *ticket.Ticket
	Messages []ticket.Message
	Changes  []ticket.Change
	Consents []privacy.Consent
	SLA      []store.SLAEvent // warnings, breaches and escalations, oldest first
	// Attachments by message id; only those of the messages shown.
	Attachments map[int64][]store.Attachment
	// Masking says what the agent sees masked or hidden (redact.go).
	Masking Masking
}

// mayAccess reports whether an agent may see tickets of a department.
// Accounts without departments see all.
func mayAccess(a *Agent, department string) bool {
	return a.Departments == nil || slices.Contains(a.Departments, department)
}

// errNotFound hides whether a ticket exists from agents who may not see it.
var errNotFound = fault.Errorf(fault.NotFound, "Ticket not found.")

// Tickets returns a page of the queue an agent may see.
func (d *Desk) Tickets(ctx context.Context, a *Agent, f store.TicketFilter) ([]*ticket.Ticket, string, error) {
	f.Departments = a.Departments
	if !seesRestricted(a) {
		f.Restricted = store.RestrictedHide
	}
	var out []*ticket.Ticket
	var next string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, next, err = tx.FindTickets(f)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, d.maskTickets(ctx, a, out, "list")
}

// Ticket returns a ticket with its conversation, history and consent
// records, masked for the agent's role, or fault.NotFound if it does not
// exist or the agent may not see it.
func (d *Desk) Ticket(ctx context.Context, a *Agent, id int64) (*TicketView, error) {
	var v TicketView
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		v.Ticket = t
		if v.Messages, err = tx.FindMessages(id, true); err != nil {
			return err
		}
		if v.Attachments, err = findAttachments(tx, id, true); err != nil {
			return err
		}
		if v.Changes, err = tx.FindChanges(id); err != nil {
			return err
		}
		if v.Consents, err = tx.FindConsents(id); err != nil {
			return err
		}
		v.SLA, err = tx.FindSLAEvents(id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if v.Ticket.Restricted {
		// Every access to a restricted ticket is audited.
		if err := d.auditRestrictedView(ctx, a, v.Ticket, "view"); err != nil {
			return nil, err
		}
	}
	if err := d.maskView(ctx, a, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Search finds tickets the agent may see by words in subjects and
// messages, masked for the agent's role; a ticket whose match lies only
// in data the agent sees masked or hidden is not found.
func (d *Desk) Search(ctx context.Context, a *Agent, q, cursor string, limit int) ([]store.SearchHit, string, error) {
	var hits []store.SearchHit
	var next string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		hits, next, err = tx.Search(store.SearchFilter{Query: q, Departments: a.Departments, IncludeInternal: true, WithRestricted: seesRestricted(a), Cursor: cursor, Limit: limit})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	hits, err = d.maskHits(ctx, a, q, hits)
	return hits, next, err
}

// ReplyInput is an agent's message on a ticket.
type ReplyInput struct {
	Body     string
	Internal bool           // an internal note instead of a public reply
	Status   *ticket.Status // status after the reply; nil keeps the life-cycle default
	// Attachments of the reply or note; see attachment's limits.
	Attachments []Upload
}

// Reply adds an agent's public reply or internal note. A public reply
// records the first response and, unless another status is given, sets the
// ticket to waiting for the customer; a note on a new ticket opens it.
// Personal data in the body is masked or flagged as the policy's pii
// section says for agents' text before it is stored or sent; the returned
// message's PII says what was done.
// Returns fault.Invalid for an empty or oversized body or a forbidden
// status change.
func (d *Desk) Reply(ctx context.Context, a *Agent, id int64, in ReplyInput) (*ticket.Message, error) {
	body, msg := (&privacy.Attribute{Kind: privacy.KindTextarea, MaxLen: 20000}).Normalize(in.Body)
	if msg == "" && body == "" {
		msg = privacy.ErrRequired
	}
	var bodyErr error
	if msg != "" {
		bodyErr = fault.Fields("Please write a message.", fault.FieldError{Field: "body", Message: msg})
	}
	files, ferr := prepareUploads(in.Attachments)
	if err := mergeInvalid(bodyErr, ferr); err != nil {
		return nil, err
	}
	if err := d.writeFiles(files); err != nil {
		return nil, err
	}
	found := pii.Scan(body)
	m := &ticket.Message{TicketID: id, Author: ticket.ByAgent, AgentID: a.ID, Body: body, Visibility: ticket.Public}
	if in.Internal {
		m.Visibility = ticket.Internal
	}
	var saved *ticket.Ticket
	var hits []slaHit
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		before := *t
		m.Body, m.PII = screen(d.Policy(), t.RequestType, policy.PIIAgent, t.Language, body, found)
		if err := tx.CreateMessage(m); err != nil {
			return err
		}
		if err := recordFiles(tx, id, m.ID, files); err != nil {
			return err
		}
		next := t.Status
		switch {
		case in.Status != nil:
			next = *in.Status
		case !in.Internal:
			next = ticket.Waiting
		case t.Status == ticket.New:
			next = ticket.Open
		}
		if !in.Internal && t.FirstResponseAt.IsZero() {
			t.FirstResponseAt = tx.Now()
		}
		if t.AssigneeID == 0 && !in.Internal {
			// Whoever answers an unassigned ticket takes it.
			if err := tx.AddChange(&ticket.Change{TicketID: id, ActorID: a.ID, Field: "assignee", From: "", To: strconv.FormatInt(a.ID, 10)}, "agent"); err != nil {
				return err
			}
			t.AssigneeID = a.ID
		}
		if err := d.setStatus(tx, a, t, next); err != nil {
			return err
		}
		if hits, err = d.trackSLA(tx, t, slaChange{before: before, agentReply: !in.Internal}); err != nil {
			return err
		}
		saved = t
		applyRetention(d.Policy(), t, tx.Now())
		return tx.SaveTicket(t)
	})
	if err != nil {
		d.removeFiles(files)
		return nil, err
	}
	d.publish(events.KindTicketUpdated, saved, map[string]any{"status": saved.Status, "message": m.Visibility})
	d.publishSLA(hits)
	if err := d.maskMessage(ctx, a, saved, m); err != nil {
		return nil, err
	}
	return m, nil
}

func (d *Desk) setStatus(tx *store.Tx, a *Agent, t *ticket.Ticket, next ticket.Status) error {
	if next == t.Status {
		return nil
	}
	if !next.Valid() || !ticket.CanTransition(t.Status, next) {
		return fault.Fields("This status change is not allowed.", fault.FieldError{Field: "status", Message: "invalid_transition"})
	}
	if err := tx.AddChange(&ticket.Change{TicketID: t.ID, ActorID: a.ID, Field: "status", From: string(t.Status), To: string(next)}, "agent"); err != nil {
		return err
	}
	t.Status = next
	if next == ticket.Closed {
		t.ClosedAt = tx.Now()
	} else {
		t.ClosedAt = timeZero
	}
	return nil
}

// TicketUpdate changes a ticket's attributes; nil fields stay as they are.
type TicketUpdate struct {
	Status     *ticket.Status
	Priority   *ticket.Priority
	Department *string
	AssigneeID *int64 // 0 unassigns
}

// UpdateTicket changes status, priority, department or assignee and
// records each change in the history. Returns fault.Invalid for unknown
// values and forbidden transitions, fault.NotFound for tickets the agent
// may not see.
func (d *Desk) UpdateTicket(ctx context.Context, a *Agent, id int64, u TicketUpdate) (*ticket.Ticket, error) {
	p := d.Policy()
	var out *ticket.Ticket
	var assigneeBefore int64
	var hits []slaHit
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		assigneeBefore = t.AssigneeID
		if !mayView(a, t) {
			return errNotFound
		}
		before := *t
		var errs []fault.FieldError
		change := func(field, from, to string) error {
			return tx.AddChange(&ticket.Change{TicketID: id, ActorID: a.ID, Field: field, From: from, To: to}, "agent")
		}
		if u.Priority != nil && *u.Priority != t.Priority {
			if !u.Priority.Valid() {
				errs = append(errs, fault.FieldError{Field: "priority", Message: privacy.ErrOption})
			} else if err := change("priority", string(t.Priority), string(*u.Priority)); err != nil {
				return err
			} else {
				t.Priority = *u.Priority
			}
		}
		if u.Department != nil && *u.Department != t.Department {
			if _, ok := p.Department(*u.Department); !ok {
				errs = append(errs, fault.FieldError{Field: "department", Message: privacy.ErrOption})
			} else if err := change("department", t.Department, *u.Department); err != nil {
				return err
			} else {
				t.Department = *u.Department
			}
		}
		if u.AssigneeID != nil && *u.AssigneeID != t.AssigneeID {
			if *u.AssigneeID != 0 {
				if as, err := tx.FindUser(*u.AssigneeID); err != nil || as.Disabled {
					errs = append(errs, fault.FieldError{Field: "assignee", Message: privacy.ErrOption})
				}
			}
			if len(errs) == 0 {
				if err := change("assignee", idText(t.AssigneeID), idText(*u.AssigneeID)); err != nil {
					return err
				}
				t.AssigneeID = *u.AssigneeID
			}
		}
		if u.Status != nil && *u.Status != t.Status {
			if err := d.setStatus(tx, a, t, *u.Status); err != nil {
				errs = append(errs, fault.FieldsOf(err)...)
			}
		}
		if len(errs) > 0 {
			return &fault.Error{Code: fault.Invalid, Message: "Please check the highlighted fields.", Fields: errs}
		}
		// A transfer keeps an assignee who may see the new department, else
		// the new department's strategy decides; an assignee chosen in the
		// same update wins.
		if t.Department != before.Department && t.AssigneeID == before.AssigneeID {
			if err := d.assignTransfer(tx, p, t); err != nil {
				return err
			}
		}
		if hits, err = d.trackSLA(tx, t, slaChange{before: before}); err != nil {
			return err
		}
		applyRetention(p, t, tx.Now())
		if err := tx.SaveTicket(t); err != nil {
			return err
		}
		out, err = tx.FindTicket(id)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.publish(events.KindTicketUpdated, out, map[string]any{"status": out.Status, "priority": out.Priority})
	if out.AssigneeID != assigneeBefore {
		d.publish(events.KindTicketAssigned, out, map[string]any{"assignee_id": out.AssigneeID})
	}
	d.publishSLA(hits)
	if err := d.maskTickets(ctx, a, []*ticket.Ticket{out}, "update"); err != nil {
		return nil, err
	}
	return out, nil
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// CanAdminister reports whether a may change the policy and accounts.
func CanAdminister(a *Agent) bool { return a != nil && a.Role == auth.Admin }
