package desk

import (
	"context"
	"slices"

	"frist/internal/events"
	"frist/internal/sla"
	"frist/internal/store"
	"frist/internal/ticket"
)

// sweepBatch is how many tickets one sweep transaction handles.
const sweepBatch = 500

// SweepStats says what one SLA sweep did.
type SweepStats struct {
	Tickets     int // tickets looked at
	Warnings    int
	Breaches    int
	Escalations int
}

// SweepSLA records the SLA warnings and breaches that have come due and
// carries out the escalations of breached policies: notify the
// department's lead, raise the priority one step, take the ticket from
// its assignee. It finds due tickets through an index on their next check
// time, so its cost grows with what is due, not with the open tickets. It
// is a periodic job, on one node of a cluster at a time; should two run
// at once, PostgreSQL's SKIP LOCKED keeps them off each other's tickets.
func (d *Desk) SweepSLA(ctx context.Context) (SweepStats, error) {
	var st SweepStats
	for {
		var hits []slaHit
		var escalated []*ticket.Ticket
		var n int
		err := d.db.Write(ctx, func(tx *store.Tx) error {
			hits, escalated = hits[:0], escalated[:0]
			due, err := tx.DueSLAChecks(tx.Now(), sweepBatch)
			if err != nil {
				return err
			}
			n = len(due)
			for _, t := range due {
				h, esc, err := d.sweepTicket(tx, t)
				if err != nil {
					return err
				}
				hits = append(hits, h...)
				if esc {
					escalated = append(escalated, t)
				}
			}
			return nil
		})
		if err != nil {
			return st, err
		}
		st.Tickets += n
		for _, h := range hits {
			if h.hit.Kind == sla.KindBreach {
				st.Breaches++
			} else {
				st.Warnings++
			}
		}
		st.Escalations += len(escalated)
		d.publishSLA(hits)
		for _, t := range escalated {
			d.publish(events.KindTicketUpdated, t, map[string]any{"status": t.Status, "priority": t.Priority, "assignee_id": t.AssigneeID})
		}
		if n < sweepBatch {
			return st, nil
		}
	}
}

// sweepTicket records a ticket's due warnings and breaches and escalates
// breaches; it reports whether the ticket itself changed.
func (d *Desk) sweepTicket(tx *store.Tx, t *ticket.Ticket) ([]slaHit, bool, error) {
	p := d.Policy()
	if t.SLA == nil {
		return nil, false, tx.SaveTicket(t)
	}
	hits, err := d.recordSLA(tx, t, t.SLA.Sweep(tx.Now()))
	if err != nil {
		return nil, false, err
	}
	breached := slices.ContainsFunc(hits, func(h slaHit) bool { return h.hit.Kind == sla.KindBreach })
	changed := false
	if breached {
		sp, _ := p.SLAFor(t.Department, t.RequestType, string(t.Priority))
		esc := sp.Escalate
		record := func(action string, target sla.Target) error {
			return tx.AddSLAEvent(&store.SLAEvent{TicketID: t.ID, Department: t.Department, Policy: t.SLA.Policy, Target: target, Kind: store.KindEscalation, Action: action, Due: t.SLA.Clock(target).Due})
		}
		target := hits[len(hits)-1].hit.Target
		before := *t
		if esc.NotifyLead {
			if dept, ok := p.Department(t.Department); ok && dept.Lead != "" {
				if err := record("notify_lead", target); err != nil {
					return nil, false, err
				}
				changed = true
			}
		}
		if esc.RaisePriority {
			if i := slices.Index(ticket.Priorities, t.Priority); i >= 0 && i < len(ticket.Priorities)-1 {
				next := ticket.Priorities[i+1]
				if err := tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "priority", From: string(t.Priority), To: string(next), Reason: "sla:" + string(target)}, "system"); err != nil {
					return nil, false, err
				}
				t.Priority = next
				if err := record("raise_priority", target); err != nil {
					return nil, false, err
				}
				changed = true
			}
		}
		if esc.Reassign && t.AssigneeID != 0 {
			if err := tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "assignee", From: idText(t.AssigneeID), To: "", Reason: "sla:" + string(target)}, "system"); err != nil {
				return nil, false, err
			}
			t.AssigneeID = 0
			if err := record("reassign", target); err != nil {
				return nil, false, err
			}
			if err := d.reassignAfterEscalation(tx, t); err != nil {
				return nil, false, err
			}
			changed = true
		}
		if t.Priority != before.Priority {
			more, err := d.trackSLA(tx, t, slaChange{before: before})
			if err != nil {
				return nil, false, err
			}
			hits = append(hits, more...)
		}
	}
	return hits, changed, tx.SaveTicket(t)
}
