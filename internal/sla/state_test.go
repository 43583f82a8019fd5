package sla

import (
	"testing"
	"time"

	"frist/internal/period"
)

func TestState(t *testing.T) {
	zurich, _ := time.LoadLocation("Europe/Zurich")
	office, err := New(Config{TimeZone: "Europe/Zurich", Holidays: "CH-ZH",
		Hours: map[string][]string{"mon": {"08:00-17:00"}, "tue": {"08:00-17:00"}, "wed": {"08:00-17:00"}, "thu": {"08:00-17:00"}, "fri": {"08:00-17:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, zurich)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	p := &Policy{ID: "p", FirstResponse: period.MustParse("PT4H"), NextResponse: period.MustParse("PT2H"), Resolution: period.MustParse("PT16H")}
	type step struct {
		name string
		do   func(s *State)
		due  string // State.Due, "" for none
	}
	tests := []struct {
		name  string
		start string
		steps []step
	}{
		{"Friday 16:30 with 4 business hours", "2026-12-04 16:30", []step{
			{"start", func(*State) {}, "2026-12-07 11:30"},
		}},
		{"Pause over the weekend keeps the remaining time", "2026-12-04 09:00", []step{
			{"answer and wait", func(s *State) { s.Meet(FirstResponse, at("2026-12-04 10:00")); s.Pause(at("2026-12-04 10:00")) }, ""},
			// 1 h of resolution used; Monday passed while paused: 15 h left
			// from Tuesday 08:00, 9 h on Tuesday and 6 h on Wednesday.
			{"customer replies Monday night", func(s *State) { s.Resume(office, at("2026-12-07 20:00")) }, "2026-12-09 14:00"},
			{"next response runs from the reply", func(s *State) { s.Restart(p, office, at("2026-12-07 20:00")) }, "2026-12-08 10:00"},
		}},
		{"A deadline passed before the pause stays passed", "2026-12-04 08:00", []step{
			{"pause after the first-response deadline", func(s *State) { s.Pause(at("2026-12-04 13:00")) }, ""},
			{"resume", func(s *State) { s.Resume(office, at("2026-12-07 08:00")) }, "2026-12-04 12:00"},
		}},
		{"Resolving meets, reopening resumes", "2026-12-07 08:00", []step{
			{"answer", func(s *State) { s.Meet(FirstResponse, at("2026-12-07 09:00")) }, "2026-12-08 15:00"},
			{"resolve", func(s *State) { s.Meet(Resolution, at("2026-12-07 10:00")); s.Pause(at("2026-12-07 10:00")) }, ""},
			// 2 h used, 14 h left from Wednesday 08:00 (8 December is a working day in Zurich).
			{"reopen", func(s *State) { s.Reopen(office, at("2026-12-09 08:00")) }, "2026-12-10 13:00"},
		}},
		{"New Year in Zurich: 1 and 2 January are holidays", "2026-12-31 15:00", []step{
			{"start", func(*State) {}, "2027-01-04 10:00"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Start(p, office, 80, at(tt.start))
			for _, st := range tt.steps {
				st.do(s)
				got := s.Due()
				if st.due == "" {
					if !got.IsZero() {
						t.Errorf("%s: due %s, want none", st.name, got.In(zurich))
					}
					continue
				}
				if want := at(st.due); !got.Equal(want) {
					t.Errorf("%s: due %s, want %s", st.name, got.In(zurich), want)
				}
			}
		})
	}
}

func TestSweepAndRetarget(t *testing.T) {
	cal := TwentyFourSeven(time.UTC)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	high := &Policy{ID: "high", FirstResponse: period.MustParse("PT1H")}
	low := &Policy{ID: "low", FirstResponse: period.MustParse("PT8H")}
	s := Start(high, cal, 80, t0)
	if got := s.CheckAt(); !got.Equal(t0.Add(48 * time.Minute)) {
		t.Fatalf("check at %s, want the warning at 08:48", got)
	}
	if hits := s.Sweep(t0.Add(47 * time.Minute)); len(hits) != 0 {
		t.Errorf("early hits %v", hits)
	}
	if hits := s.Sweep(t0.Add(50 * time.Minute)); len(hits) != 1 || hits[0].Kind != KindWarning {
		t.Errorf("hits %v, want one warning", hits)
	}
	if got := s.CheckAt(); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("after the warning, check at %s", got)
	}
	if hits := s.Sweep(t0.Add(2 * time.Hour)); len(hits) != 1 || hits[0].Kind != KindBreach {
		t.Errorf("hits %v, want one breach", hits)
	}
	if hits := s.Sweep(t0.Add(3 * time.Hour)); len(hits) != 0 || !s.CheckAt().IsZero() {
		t.Errorf("breach reported again: %v, check at %s", hits, s.CheckAt())
	}
	s.Retarget(low, cal, 80)
	c := s.Clock(FirstResponse)
	if !c.Breached || !c.BreachedDue.Equal(t0.Add(time.Hour)) || !c.Due.Equal(t0.Add(8*time.Hour)) {
		t.Errorf("after retarget: %+v", c)
	}
	s.Meet(FirstResponse, t0.Add(4*time.Hour))
	if c.Met() || !s.Late(FirstResponse) {
		t.Error("an answer after a recorded breach counts as met")
	}
}
