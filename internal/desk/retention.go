package desk

import (
	"context"
	"strconv"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// mayView reports whether an agent may see a ticket: its department, and
// for a restricted ticket only privacy officers.
func mayView(a *Agent, t *ticket.Ticket) bool {
	return mayAccess(a, t.Department) && (!t.Restricted || seesRestricted(a))
}

// seesRestricted reports whether an agent sees restricted tickets
// (GDPR Art. 18): privacy officers only; every access is audited.
func seesRestricted(a *Agent) bool { return a != nil && a.Role == auth.PrivacyOfficer }

// mayManageRetention reports whether an agent may see retention plans and
// the deletion log, and run the sweeper: privacy officers and admins.
func mayManageRetention(a *Agent) bool {
	return a != nil && (a.Role == auth.PrivacyOfficer || a.Role == auth.Admin)
}

var errRetentionForbidden = fault.Errorf(fault.Forbidden, "Only privacy officers and administrators may do this.")

var errHoldForbidden = fault.Errorf(fault.Forbidden, "Only privacy officers may place or lift legal holds.")

// retentionFacts returns what a ticket's schedule depends on; lastActivity
// is the ticket's last activity (now when the ticket is being saved).
func retentionFacts(t *ticket.Ticket, lastActivity time.Time) privacy.Facts {
	f := privacy.Facts{RequestType: t.RequestType, Tags: t.Tags, Created: t.CreatedAt, LastActivity: lastActivity}
	if t.Status == ticket.Closed {
		f.Closed = t.ClosedAt
		if f.Closed.IsZero() {
			f.Closed = t.UpdatedAt
		}
	}
	for k, v := range t.Fields {
		if v != "" {
			f.Fields = append(f.Fields, k)
		}
	}
	return f
}

// applyRetention recomputes a ticket's schedule at now, for a save that
// counts as activity. Call it before SaveTicket on every event that may
// change the dates: intake, status changes, replies, tags. A ticket whose
// purpose runs again (reopened) is no longer restricted.
func applyRetention(p *policy.Policy, t *ticket.Ticket, now time.Time) {
	if !t.AnonymisedAt.IsZero() {
		return
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now
	}
	t.Retention = p.Retention.Schedule(retentionFacts(t, now), now)
	if t.Restricted && (t.Retention.RestrictAt == nil || t.Retention.RestrictAt.After(now)) {
		t.Restricted = false
	}
}

// Deletion is what agents and the API are told about a ticket's deletion.
type Deletion struct {
	Rule        string
	RuleName    string
	RuleVersion string
	Class       string
	Action      privacy.RetentionAction
	Due         *time.Time // earliest deletion; nil while pending
	Latest      *time.Time
	RestrictAt  *time.Time
	Restricted  bool
	Held        bool
	Anonymised  bool
	Explanation string
	Fields      []privacy.FieldExpiry
}

// Deletion explains a ticket's deletion in the language.
func (d *Desk) Deletion(t *ticket.Ticket, lang string) Deletion {
	r := &d.Policy().Retention
	s := t.Retention
	out := Deletion{Rule: s.Rule, RuleName: r.RuleName(s.Rule, lang), RuleVersion: s.RuleVersion, Class: s.Class, Action: s.Action,
		Due: s.Due, Latest: s.Latest, RestrictAt: s.RestrictAt, Restricted: t.Restricted, Held: t.Held,
		Anonymised: !t.AnonymisedAt.IsZero(), Fields: s.Fields}
	switch {
	case out.Anonymised && lang == "en":
		out.Explanation = "Anonymised on " + r.FormatDate(t.AnonymisedAt) + ": no personal data is left."
	case out.Anonymised:
		out.Explanation = "Am " + r.FormatDate(t.AnonymisedAt) + " anonymisiert: keine personenbezogenen Daten mehr vorhanden."
	default:
		out.Explanation = r.Explain(s, t.Held, lang)
	}
	return out
}

// SetTags replaces a ticket's tags; retention rules may match them. It
// returns the ticket masked for the agent's role.
func (d *Desk) SetTags(ctx context.Context, a *Agent, id int64, tags []string) (*ticket.Ticket, error) {
	v, err := d.viewer(ctx, a)
	if err != nil {
		return nil, err
	}
	p := d.Policy()
	var out *ticket.Ticket
	err = d.db.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		// An agent who sees a tag masked sends back its label: it keeps
		// the tag.
		if tags, err = v.unmaskTags(tx, t, tags); err != nil {
			return err
		}
		clean, bad := privacy.NormalizeTags(tags)
		if bad != "" || len(clean) > 20 {
			return fault.Fields("Tags consist of lower-case letters, digits, - and _ (at most 40 characters, 20 tags).", fault.FieldError{Field: "tags", Message: "invalid_format"})
		}
		before := strings.Join(t.Tags, ",")
		if before == strings.Join(clean, ",") {
			out = t
			return nil
		}
		t.Tags = clean
		applyRetention(p, t, tx.Now())
		if err := tx.SaveTicket(t); err != nil {
			return err
		}
		out = t
		return tx.AddChange(&ticket.Change{TicketID: t.ID, ActorID: a.ID, Field: "tags", From: before, To: strings.Join(clean, ",")}, "agent")
	})
	if err != nil {
		return nil, err
	}
	d.publish("ticket.updated", out, nil)
	if err := d.maskTickets(ctx, a, []*ticket.Ticket{out}, "update"); err != nil {
		return nil, err
	}
	return out, nil
}

// auditRestrictedView records that a privacy officer opened a restricted
// ticket.
func (d *Desk) auditRestrictedView(ctx context.Context, a *Agent, t *ticket.Ticket, what string) error {
	return d.db.Write(ctx, func(tx *store.Tx) error {
		return d.auditTx(tx, a, "ticket.view_restricted", "ticket:"+t.Number(), what)
	})
}

// HoldTarget names what a legal hold covers: a ticket or a customer (by
// email address).
type HoldTarget struct {
	TicketID      int64
	CustomerEmail string
}

// PlaceHold puts a legal hold on a ticket or on all tickets of a
// customer: held data is never deleted until the hold is lifted. Privacy
// officers only; audited.
func (d *Desk) PlaceHold(ctx context.Context, a *Agent, target HoldTarget, reason string) (store.Hold, error) {
	var h store.Hold
	if !seesRestricted(a) {
		return h, errHoldForbidden
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return h, fault.Fields("Give a reason for the legal hold.", fault.FieldError{Field: "reason", Message: "required"})
	case len([]rune(reason)) > 500:
		return h, fault.Fields("The reason is too long (at most 500 characters).", fault.FieldError{Field: "reason", Message: "too_long"})
	case (target.TicketID == 0) == (target.CustomerEmail == ""):
		return h, fault.Fields("Name either a ticket or a customer.", fault.FieldError{Field: "ticket", Message: "required"})
	}
	p := d.Policy()
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		h = store.Hold{TicketID: target.TicketID, Reason: reason, PlacedBy: a.ID}
		object := ""
		if target.TicketID != 0 {
			t, err := tx.FindTicket(target.TicketID)
			if err != nil {
				return err
			}
			object = "ticket:" + t.Number()
		} else {
			id, err := tx.FindCustomerID(target.CustomerEmail)
			if err != nil {
				return fault.Fields("No customer with this email address.", fault.FieldError{Field: "customer_email", Message: "not_found"})
			}
			h.CustomerID = id
			object = "customer:" + strconv.FormatInt(id, 10)
		}
		if err := tx.AddHold(&h); err != nil {
			return err
		}
		if err := d.refreshHeld(tx, p, h); err != nil {
			return err
		}
		return d.auditTx(tx, a, "legal_hold.place", object, "hold:"+strconv.FormatInt(h.ID, 10))
	})
	return h, err
}

// LiftHold lifts a legal hold and recomputes the deletion dates of the
// tickets it covered. Privacy officers only; audited.
func (d *Desk) LiftHold(ctx context.Context, a *Agent, id int64, reason string) (store.Hold, error) {
	var h store.Hold
	if !seesRestricted(a) {
		return h, errHoldForbidden
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return h, fault.Fields("Give a reason for lifting the legal hold.", fault.FieldError{Field: "reason", Message: "required"})
	}
	if len([]rune(reason)) > 500 {
		return h, fault.Fields("The reason is too long (at most 500 characters).", fault.FieldError{Field: "reason", Message: "too_long"})
	}
	p := d.Policy()
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if h, err = tx.FindHold(id); err != nil {
			return err
		}
		h.LiftedBy, h.LiftReason = a.ID, reason
		if err := tx.LiftHold(&h); err != nil {
			return err
		}
		if err := d.refreshHeld(tx, p, h); err != nil {
			return err
		}
		object := "customer:" + strconv.FormatInt(h.CustomerID, 10)
		if h.TicketID != 0 {
			object = "ticket:" + ticket.FormatNumber(h.TicketID)
		}
		return d.auditTx(tx, a, "legal_hold.lift", object, "hold:"+strconv.FormatInt(h.ID, 10))
	})
	return h, err
}

// refreshHeld sets the held flag of the tickets a hold covers and
// recomputes their schedules.
func (d *Desk) refreshHeld(tx *store.Tx, p *policy.Policy, h store.Hold) error {
	ids, err := tx.HeldTickets(h)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		ts, err := tx.FindTicketsByID(ids[:n])
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.Held, err = tx.IsHeld(t.ID); err != nil {
				return err
			}
			recompute(p, t, tx.Now())
			if err := tx.SaveRetention(t); err != nil {
				return err
			}
		}
		ids = ids[n:]
	}
	return nil
}

// recompute recomputes a ticket's schedule at now without counting as
// activity: the last activity stays the ticket's last update.
func recompute(p *policy.Policy, t *ticket.Ticket, now time.Time) {
	if !t.AnonymisedAt.IsZero() {
		return
	}
	t.Retention = p.Retention.Schedule(retentionFacts(t, t.UpdatedAt), now)
	if t.Restricted && (t.Retention.RestrictAt == nil || t.Retention.RestrictAt.After(now)) {
		t.Restricted = false
	}
}

// Holds returns a page of legal holds, newest first (active only when
// activeOnly). Privacy officers only.
func (d *Desk) Holds(ctx context.Context, a *Agent, activeOnly bool, cursor string, limit int) ([]store.Hold, string, error) {
	if !seesRestricted(a) {
		return nil, "", errHoldForbidden
	}
	var out []store.Hold
	var next string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, next, err = tx.FindHolds(0, activeOnly, cursor, limit)
		return err
	})
	return out, next, err
}

// TicketHolds returns the holds on a ticket and on its customer.
func (d *Desk) TicketHolds(ctx context.Context, a *Agent, id int64) ([]store.Hold, error) {
	if !seesRestricted(a) {
		return nil, errHoldForbidden
	}
	var out []store.Hold
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		out, _, err = tx.FindHolds(id, false, "", 200)
		return err
	})
	return out, err
}

// DeletionLog returns a page of the deletion log. Privacy officers and
// admins only.
func (d *Desk) DeletionLog(ctx context.Context, a *Agent, f store.DeletionFilter) ([]store.DeletionEntry, string, error) {
	if !mayManageRetention(a) {
		return nil, "", errRetentionForbidden
	}
	var out []store.DeletionEntry
	var next string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, next, err = tx.FindDeletions(f)
		return err
	})
	return out, next, err
}

// AuditDeletionLogExport records that someone exported the deletion log.
func (d *Desk) AuditDeletionLogExport(ctx context.Context, a *Agent) error {
	return d.db.Write(ctx, func(tx *store.Tx) error {
		return d.auditTx(tx, a, "deletion_log.export", "deletion_log:csv", "")
	})
}

// RetentionStatus is the state of retention for dashboards and metrics.
type RetentionStatus struct {
	store.RetentionStatus
	Recomputations []store.Recomputation
}

// RetentionStatus counts overdue, due, restricted and held tickets.
// Overdue tickets (past their latest deletion date) are a compliance
// breach.
func (d *Desk) RetentionStatus(ctx context.Context, a *Agent) (RetentionStatus, error) {
	var out RetentionStatus
	if !mayManageRetention(a) {
		return out, errRetentionForbidden
	}
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if out.RetentionStatus, err = tx.RetentionStatus(tx.Now()); err != nil {
			return err
		}
		out.Recomputations, err = tx.FindRecomputations(10)
		return err
	})
	return out, err
}
