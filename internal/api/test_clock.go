package api

import (
	"time"

	"frist/internal/fault"
)

// clockJSON is the server's clock: whether it is a test clock and the time
// it shows.
type clockJSON struct {
	TestClock bool   `json:"test_clock"`
	Now       string `json:"now"`
}

// clockInput sets the test clock to a time or advances it by an ISO 8601
// period; exactly one of the two.
type clockInput struct {
	Now     string `json:"now,omitempty"`
	Advance string `json:"advance,omitempty"`
}

// testClockShow answers the server's time.
func (a *API) testClockShow(c *call) (any, error) {
	return clockJSON{TestClock: a.desk.TestClock() != nil, Now: stamp(a.desk.Policy(), a.desk.Now())}, nil
}

// testClockUpdate sets or advances the test clock of a --test-clock
// installation. It never moves backwards; time-driven work then runs as of
// the new time.
func (a *API) testClockUpdate(c *call) (any, error) {
	var in clockInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	var now *time.Time
	if in.Now != "" {
		t, err := time.Parse(time.RFC3339, in.Now)
		if err != nil {
			return nil, fault.Fields("now must be an RFC 3339 time.", fault.FieldError{Field: "now", Message: "invalid_time"})
		}
		now = &t
	}
	if now != nil && in.Advance != "" {
		return nil, fault.Fields("Give either now or advance, not both.", fault.FieldError{Field: "advance", Message: "invalid_option"})
	}
	if _, err := a.desk.SetTestClock(c.r.Context(), now, in.Advance); err != nil {
		return nil, err
	}
	return a.testClockShow(c)
}
