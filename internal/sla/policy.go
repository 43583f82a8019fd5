package sla

import (
	"fmt"
	"slices"
	"time"

	"frist/internal/period"
)

// Target is one promise an SLA policy makes.
type Target string

// Targets.
const (
	FirstResponse Target = "first_response" // the first public answer, counted from receipt
	NextResponse  Target = "next_response"  // the next public answer after a customer's reply
	Resolution    Target = "resolution"     // resolved or closed, counted from receipt
)

// Targets lists the targets in the order they are shown.
var Targets = []Target{FirstResponse, NextResponse, Resolution}

// AlwaysOpen is the calendar id of the 24/7 calendar in the
// organisation's time zone; it is also what an empty calendar id means.
const AlwaysOpen = "24x7"

// Policy is a service level: which tickets it covers, the calendar its
// clocks run on, its targets as ISO 8601 durations of open time, and what
// happens on a breach.
type Policy struct {
	ID            string        `yaml:"id" json:"id"`
	Name          string        `yaml:"name" json:"name"`
	When          Match         `yaml:"when,omitempty" json:"when"`
	Calendar      string        `yaml:"calendar,omitempty" json:"calendar"`             // calendar id; "" or "24x7": around the clock
	FirstResponse period.Period `yaml:"first_response,omitempty" json:"first_response"` // empty: the request type's
	NextResponse  period.Period `yaml:"next_response,omitempty" json:"next_response"`
	Resolution    period.Period `yaml:"resolution,omitempty" json:"resolution"`
	Escalate      Escalation    `yaml:"escalate,omitempty" json:"escalate"`
}

// Match says which tickets a policy covers. Unset parts hold for every
// ticket; within one part, any listed value suffices.
type Match struct {
	Departments  []string `yaml:"departments,omitempty" json:"departments,omitempty"`
	RequestTypes []string `yaml:"request_types,omitempty" json:"request_types,omitempty"`
	Priorities   []string `yaml:"priorities,omitempty" json:"priorities,omitempty"`
}

// Escalation lists what the breach job does when a target is breached,
// besides recording the breach.
type Escalation struct {
	NotifyLead    bool `yaml:"notify_lead,omitempty" json:"notify_lead"`       // tell the department's lead (live event, dashboard)
	RaisePriority bool `yaml:"raise_priority,omitempty" json:"raise_priority"` // one step up, at most urgent
	Reassign      bool `yaml:"reassign,omitempty" json:"reassign"`             // take the ticket from its assignee and assign again
}

// Length returns the open time a target allows, or 0 when the policy
// does not set the target.
func (p *Policy) Length(t Target) time.Duration {
	switch t {
	case FirstResponse:
		return openTime(p.FirstResponse)
	case NextResponse:
		return openTime(p.NextResponse)
	case Resolution:
		return openTime(p.Resolution)
	}
	return 0
}

// openTime converts a target duration to open time: days and weeks count
// 24 and 168 hours (allowed only on the 24/7 calendar, see Validate).
func openTime(p period.Period) time.Duration { return p.Approx() }

// Covers reports whether the policy applies to a ticket.
func (p *Policy) Covers(department, requestType, priority string) bool {
	w := p.When
	return (len(w.Departments) == 0 || slices.Contains(w.Departments, department)) &&
		(len(w.RequestTypes) == 0 || slices.Contains(w.RequestTypes, requestType)) &&
		(len(w.Priorities) == 0 || slices.Contains(w.Priorities, priority))
}

// Validate checks a policy on its own: an id, durations without years or months, and on a business-hours calendar
// durations in hours and minutes only (a "day" of business time would be
// ambiguous).
func (p *Policy) Validate(businessHours bool) error {
	if p.ID == "" {
		return fmt.Errorf("sla policy: id is required")
	}
	for _, x := range []struct {
		name string
		p    period.Period
	}{{"first_response", p.FirstResponse}, {"next_response", p.NextResponse}, {"resolution", p.Resolution}} {
		switch {
		case x.p.Years != 0 || x.p.Months != 0:
			return fmt.Errorf("sla policy %q: %s %s: years and months are not allowed; use days or hours", p.ID, x.name, x.p)
		case businessHours && (x.p.Days != 0 || x.p.Weeks != 0):
			return fmt.Errorf("sla policy %q: %s %s: on a business-hours calendar give hours, e.g. PT16H for two 8-hour days", p.ID, x.name, x.p)
		}
	}
	return nil
}
