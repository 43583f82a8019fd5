package sla

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStateShift(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s := &State{Policy: "standard", WarnAt: 80, PausedAt: at.Add(3 * time.Hour), Clocks: []Clock{
		{Target: FirstResponse, Start: at, Length: 8 * time.Hour, Due: at.Add(8 * time.Hour), Warn: at.Add(6 * time.Hour), Done: at.Add(2 * time.Hour)},
		{Target: Resolution, Start: at, Length: 40 * time.Hour, Paused: time.Hour, Due: at.Add(41 * time.Hour), Warn: at.Add(33 * time.Hour), Breached: true, BreachedDue: at.Add(41 * time.Hour)},
	}}
	d := -14 * 24 * time.Hour
	s.Shift(d)
	want := &State{Policy: "standard", WarnAt: 80, PausedAt: at.Add(3*time.Hour + d), Clocks: []Clock{
		{Target: FirstResponse, Start: at.Add(d), Length: 8 * time.Hour, Due: at.Add(8*time.Hour + d), Warn: at.Add(6*time.Hour + d), Done: at.Add(2*time.Hour + d)},
		{Target: Resolution, Start: at.Add(d), Length: 40 * time.Hour, Paused: time.Hour, Due: at.Add(41*time.Hour + d), Warn: at.Add(33*time.Hour + d), Breached: true, BreachedDue: at.Add(41*time.Hour + d)},
	}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("shifted state (-want +got):\n%s", diff)
	}

	// Times that are not set stay unset.
	open := &State{Clocks: []Clock{{Target: Resolution, Start: at, Due: at.Add(time.Hour)}}}
	open.Shift(d)
	if !open.PausedAt.IsZero() || !open.Clocks[0].Done.IsZero() || !open.Clocks[0].BreachedDue.IsZero() {
		t.Errorf("unset times were shifted: %+v", open)
	}
	var none *State
	none.Shift(d) // a ticket without SLA clocks
}
