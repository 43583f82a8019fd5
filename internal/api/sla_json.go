package api

import (
	"frist/internal/policy"
	"frist/internal/sla"
	"frist/internal/store"
)

// ticketSLAJSON is a ticket's SLA: the policy in force and each target.
type ticketSLAJSON struct {
	Policy  string                `json:"policy"`
	Paused  bool                  `json:"paused"` // waiting for the customer, resolved or closed
	Targets []ticketSLATargetJSON `json:"targets"`
}

// ticketSLATargetJSON is one SLA target of a ticket. A breached target keeps
// the deadline it missed in breached_due, also when a later change of
// priority moved due.
type ticketSLATargetJSON struct {
	Target      sla.Target `json:"target"`
	Due         string     `json:"due"`
	WarnAt      string     `json:"warn_at"`
	DoneAt      *string    `json:"done_at"`
	State       string     `json:"state"` // running, paused, met, late, breached
	Breached    bool       `json:"breached"`
	BreachedDue *string    `json:"breached_due"`
}

// slaEventJSON is one entry of a ticket's SLA history.
type slaEventJSON struct {
	Kind   string     `json:"kind"` // warning, breach, escalation
	Target sla.Target `json:"target"`
	Action string     `json:"action,omitempty"`
	Due    string     `json:"due"`
	At     string     `json:"at"`
}

func newTicketSLAJSON(p *policy.Policy, s *sla.State) *ticketSLAJSON {
	if s == nil {
		return nil
	}
	out := &ticketSLAJSON{Policy: s.Policy, Paused: s.Paused(), Targets: []ticketSLATargetJSON{}}
	for i := range s.Clocks {
		c := &s.Clocks[i]
		tj := ticketSLATargetJSON{Target: c.Target, Due: stamp(p, c.Due), WarnAt: stamp(p, c.Warn), DoneAt: maybeStamp(p, c.Done),
			State: s.ClockStatus(c), Breached: c.Breached, BreachedDue: maybeStamp(p, c.BreachedDue)}
		out.Targets = append(out.Targets, tj)
	}
	return out
}

func newSLAEventJSON(p *policy.Policy, e store.SLAEvent) slaEventJSON {
	return slaEventJSON{Kind: e.Kind, Target: e.Target, Action: e.Action, Due: stamp(p, e.Due), At: stamp(p, e.CreatedAt)}
}
