package desk

import (
	"time"

	"frist/internal/events"
	"frist/internal/policy"
	"frist/internal/sla"
	"frist/internal/store"
	"frist/internal/ticket"
)

// startSLA starts a new ticket's SLA clocks at `at` with the policy that
// covers its department, request type and priority (after routing). The
// first-response deadline promised to the customer is the first-response
// clock's deadline: the acknowledgement shows exactly what the breach job
// watches.
func startSLA(p *policy.Policy, t *ticket.Ticket, at time.Time) {
	sp, cal := p.SLAFor(t.Department, t.RequestType, string(t.Priority))
	t.SLA = sla.Start(sp, cal, p.SLA.WarnAt, at)
	if c := t.SLA.Clock(sla.FirstResponse); c != nil {
		t.FirstResponseDue = c.Due
	}
}

// slaChange is what happened to a ticket in one use case, for its clocks.
type slaChange struct {
	before        ticket.Ticket // the ticket as it was read
	agentReply    bool          // an agent sent a public reply
	customerReply bool          // the customer wrote
}

// trackSLA moves a ticket's SLA clocks along with what happened: answers
// meet response targets, a customer's reply after an answer starts the
// next-response clock, waiting for the customer pauses the clocks and
// their reply resumes them, resolving meets the resolution target and
// reopening restarts it, and a change of department, type or priority
// applies the policy that covers the ticket now. A target met late is
// recorded as breached at once, even before the breach job would have
// noticed. Call it in the transaction, after the ticket's attributes
// changed and before SaveTicket; publish the returned hits after commit.
func (d *Desk) trackSLA(tx *store.Tx, t *ticket.Ticket, ch slaChange) ([]slaHit, error) {
	s := t.SLA
	if s == nil {
		return nil, nil // received before SLA policies existed
	}
	p := d.Policy()
	now := tx.Now()
	sp, cal := p.SLAFor(t.Department, t.RequestType, string(t.Priority))
	b := ch.before
	if t.Department != b.Department || t.Priority != b.Priority || t.RequestType != b.RequestType || sp.ID != s.Policy {
		s.Retarget(sp, cal, p.SLA.WarnAt)
	}
	// Whatever was due before this moment is decided by the sweep's rule:
	// a deadline that passed is a breach, also when the answer comes now.
	hits := s.Sweep(now)
	if ch.agentReply {
		s.Meet(sla.FirstResponse, now)
		s.Meet(sla.NextResponse, now)
	}
	if ch.customerReply && !t.FirstResponseAt.IsZero() {
		if c := s.Clock(sla.NextResponse); c == nil || !c.Done.IsZero() {
			s.Restart(sp, cal, now)
		}
	}
	paused := func(st ticket.Status) bool {
		return st == ticket.Waiting || st == ticket.Resolved || st == ticket.Closed
	}
	finished := func(st ticket.Status) bool { return st == ticket.Resolved || st == ticket.Closed }
	switch {
	case finished(t.Status) && !finished(b.Status):
		s.Meet(sla.Resolution, now)
		s.Pause(now)
	case finished(b.Status) && !finished(t.Status):
		s.Reopen(cal, now)
		if t.Status == ticket.Waiting {
			s.Pause(now)
		}
	case paused(t.Status) && !paused(b.Status):
		s.Pause(now)
	case !paused(t.Status) && paused(b.Status):
		s.Resume(cal, now)
	}
	return d.recordSLA(tx, t, hits)
}

// slaHit is a recorded warning or breach, published after commit.
type slaHit struct {
	ticket *ticket.Ticket
	hit    sla.Hit
}

// recordSLA writes warnings and breaches to the SLA history.
func (d *Desk) recordSLA(tx *store.Tx, t *ticket.Ticket, hits []sla.Hit) ([]slaHit, error) {
	var out []slaHit
	for _, h := range hits {
		if err := tx.AddSLAEvent(&store.SLAEvent{TicketID: t.ID, Department: t.Department, Policy: t.SLA.Policy, Target: h.Target, Kind: h.Kind, Due: h.Due}); err != nil {
			return nil, err
		}
		out = append(out, slaHit{ticket: t, hit: h})
	}
	return out, nil
}

// publishSLA announces recorded warnings and breaches after commit.
func (d *Desk) publishSLA(hits []slaHit) {
	for _, h := range hits {
		kind := events.KindSLAWarning
		if h.hit.Kind == sla.KindBreach {
			kind = events.KindSLABreach
		}
		d.publish(kind, h.ticket, map[string]any{"target": h.hit.Target, "due": h.hit.Due, "priority": h.ticket.Priority})
	}
}
