package sla

import "time"

// Clock is one running promise of a ticket: it started at Start and allows
// Length of open time plus the open time the ticket spent paused.
type Clock struct {
	Target   Target        `json:"target"`
	Start    time.Time     `json:"start"`
	Length   time.Duration `json:"length"`           // open time the target allows
	Paused   time.Duration `json:"paused,omitempty"` // open time spent waiting for the customer
	Due      time.Time     `json:"due"`
	Warn     time.Time     `json:"warn"`
	Done     time.Time     `json:"done,omitzero"` // when the target was met or ended
	Warned   bool          `json:"warned,omitempty"`
	Breached bool          `json:"breached,omitempty"`
	// BreachedDue is the deadline that was missed. A later change of
	// priority or policy moves Due but never this.
	BreachedDue time.Time `json:"breached_due,omitzero"`
}

// Met reports whether the clock ended in time.
func (c *Clock) Met() bool { return !c.Done.IsZero() && !c.Breached && !c.Done.After(c.Due) }

// State is the SLA of one ticket: the policy in force and its clocks.
// It is stored with the ticket as JSON. Methods take the calendar and the
// time; State itself never reads a clock.
type State struct {
	Policy   string    `json:"policy"`
	WarnAt   int       `json:"warn_at"`            // percent of a target after which it warns
	PausedAt time.Time `json:"paused_at,omitzero"` // set while the ticket waits for the customer
	Clocks   []Clock   `json:"clocks"`
}

// Hit is a warning or breach the sweep found.
type Hit struct {
	Target Target
	Kind   string // "warning" or "breach"
	Due    time.Time
}

// Kinds of Hit.
const (
	KindWarning = "warning"
	KindBreach  = "breach"
)

// Start returns the state of a ticket received at `at`: the first-response
// and resolution clocks of p. warnAt is a percentage (1–99).
func Start(p *Policy, cal *Calendar, warnAt int, at time.Time) *State {
	s := &State{Policy: p.ID, WarnAt: warnAt}
	for _, t := range []Target{FirstResponse, Resolution} {
		if l := p.Length(t); l > 0 {
			s.Clocks = append(s.Clocks, Clock{Target: t, Start: at, Length: l})
		}
	}
	s.recompute(cal)
	return s
}

// Clock returns the clock of a target, or nil.
func (s *State) Clock(t Target) *Clock {
	for i := range s.Clocks {
		if s.Clocks[i].Target == t {
			return &s.Clocks[i]
		}
	}
	return nil
}

func (s *State) recompute(cal *Calendar) {
	for i := range s.Clocks {
		c := &s.Clocks[i]
		c.Due = cal.Add(c.Start, c.Length+c.Paused).UTC()
		c.Warn = cal.Add(c.Start, c.Length*time.Duration(s.WarnAt)/100+c.Paused).UTC()
	}
}

// Pause stops the clocks at `at`, while the ticket waits for the customer.
func (s *State) Pause(at time.Time) {
	if s.PausedAt.IsZero() {
		s.PausedAt = at.UTC()
	}
}

// Paused reports whether the clocks are stopped.
func (s *State) Paused() bool { return !s.PausedAt.IsZero() }

// Resume restarts the clocks at `at`: each open clock that was running
// when the pause began and whose deadline had not passed gets the open
// time of the pause added. A deadline that had passed stays passed.
func (s *State) Resume(cal *Calendar, at time.Time) {
	if s.PausedAt.IsZero() {
		return
	}
	for i := range s.Clocks {
		c := &s.Clocks[i]
		if c.Done.IsZero() && c.Due.After(s.PausedAt) && c.Start.Before(s.PausedAt) {
			c.Paused += cal.Between(s.PausedAt, at)
		}
	}
	s.PausedAt = time.Time{}
	s.recompute(cal)
}

// Meet ends the clock of a target at `at` (an answer was sent, the ticket
// was resolved). It does nothing when the clock has ended already.
func (s *State) Meet(t Target, at time.Time) {
	if c := s.Clock(t); c != nil && c.Done.IsZero() {
		c.Done = at.UTC()
	}
}

// Reopen restarts the resolution clock of a resolved or closed ticket.
func (s *State) Reopen(cal *Calendar, at time.Time) {
	if c := s.Clock(Resolution); c != nil && !c.Done.IsZero() {
		if s.PausedAt.IsZero() || c.Done.Before(s.PausedAt) {
			s.PausedAt = c.Done
		}
		c.Done = time.Time{}
	}
	s.Resume(cal, at)
}

// Restart starts the next-response clock at `at` (the customer wrote
// after an answer), replacing a previous one. It does nothing when the
// policy sets no next-response target.
func (s *State) Restart(p *Policy, cal *Calendar, at time.Time) {
	l := p.Length(NextResponse)
	if l <= 0 {
		return
	}
	c := Clock{Target: NextResponse, Start: at.UTC(), Length: l}
	if old := s.Clock(NextResponse); old != nil {
		*old = c
	} else {
		s.Clocks = append(s.Clocks, c)
	}
	s.recompute(cal)
}

// Retarget applies another policy (the ticket's priority, type or
// department changed): each clock keeps its start and paused time and
// takes the new policy's length. Recorded warnings and breaches stay;
// clocks the new policy does not set are dropped unless they ended or
// were breached.
func (s *State) Retarget(p *Policy, cal *Calendar, warnAt int) {
	s.Policy, s.WarnAt = p.ID, warnAt
	kept := s.Clocks[:0]
	for _, c := range s.Clocks {
		if l := p.Length(c.Target); l > 0 {
			c.Length = l
			kept = append(kept, c)
		} else if c.Breached || !c.Done.IsZero() {
			kept = append(kept, c)
		}
	}
	s.Clocks = kept
	if s.Clock(FirstResponse) == nil && p.Length(FirstResponse) > 0 && len(s.Clocks) > 0 {
		// Keep the clocks' common start for a target the old policy lacked.
		s.Clocks = append(s.Clocks, Clock{Target: FirstResponse, Start: s.Clocks[0].Start, Length: p.Length(FirstResponse)})
	}
	s.recompute(cal)
}

// running reports whether a clock counts now.
func (s *State) running(c *Clock) bool { return c.Done.IsZero() && s.PausedAt.IsZero() }

// Due returns the earliest deadline of a running clock, or the zero time
// when none runs (paused, or every target ended).
func (s *State) Due() time.Time {
	var due time.Time
	for i := range s.Clocks {
		c := &s.Clocks[i]
		if s.running(c) && (due.IsZero() || c.Due.Before(due)) {
			due = c.Due
		}
	}
	return due
}

// CheckAt returns when the breach job must next look at the ticket: the
// earliest pending warning or deadline of a running clock, or the zero
// time when nothing is pending.
func (s *State) CheckAt() time.Time {
	var at time.Time
	consider := func(t time.Time) {
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	for i := range s.Clocks {
		c := &s.Clocks[i]
		if !s.running(c) || c.Breached {
			continue
		}
		if !c.Warned {
			consider(c.Warn)
		} else {
			consider(c.Due)
		}
	}
	return at
}

// Sweep marks the warnings and breaches due at `now` and returns them.
// A clock that is both past its warning and its deadline gets only the
// breach.
func (s *State) Sweep(now time.Time) []Hit {
	var hits []Hit
	for i := range s.Clocks {
		c := &s.Clocks[i]
		if !s.running(c) || c.Breached {
			continue
		}
		switch {
		case !c.Due.After(now):
			c.Breached, c.Warned, c.BreachedDue = true, true, c.Due
			hits = append(hits, Hit{Target: c.Target, Kind: KindBreach, Due: c.Due})
		case !c.Warned && !c.Warn.After(now):
			c.Warned = true
			hits = append(hits, Hit{Target: c.Target, Kind: KindWarning, Due: c.Due})
		}
	}
	return hits
}

// Late reports whether the target ended after its deadline or was
// breached: customer-facing text must then never claim it was in time.
func (s *State) Late(t Target) bool {
	c := s.Clock(t)
	return c != nil && (c.Breached || (!c.Done.IsZero() && c.Done.After(c.Due)))
}

// ClockStatus names where a clock stands: "met", "late" (ended after its
// deadline), "breached" (deadline passed, not ended), "paused" or
// "running".
func (s *State) ClockStatus(c *Clock) string {
	switch {
	case c.Met():
		return "met"
	case !c.Done.IsZero():
		return "late"
	case c.Breached:
		return "breached"
	case s.Paused():
		return "paused"
	}
	return "running"
}
