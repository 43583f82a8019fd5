package sla

import "time"

// Shift moves every time in the state by d: the clocks' starts, deadlines,
// warnings, ends and missed deadlines and the pause. Lengths and paused
// durations stay, so that the state describes the same course of events
// at another time (a training dataset shifts all dates by one offset).
func (s *State) Shift(d time.Duration) {
	if s == nil {
		return
	}
	s.PausedAt = shiftTime(s.PausedAt, d)
	for i := range s.Clocks {
		c := &s.Clocks[i]
		c.Start = shiftTime(c.Start, d)
		c.Due = shiftTime(c.Due, d)
		c.Warn = shiftTime(c.Warn, d)
		c.Done = shiftTime(c.Done, d)
		c.BreachedDue = shiftTime(c.BreachedDue, d)
	}
}

// shiftTime moves t by d; the zero time (not set) stays zero.
func shiftTime(t time.Time, d time.Duration) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(d)
}
