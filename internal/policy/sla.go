package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"frist/internal/privacy"
	"frist/internal/sla"
)

// Calendar is a business-hours calendar in the policy file, used by SLA
// policies and agents' working hours.
type Calendar struct {
	ID       string              `yaml:"id"`
	Name     string              `yaml:"name,omitempty"`
	TimeZone string              `yaml:"time_zone,omitempty"` // IANA zone; default the organisation's
	Hours    map[string][]string `yaml:"hours"`               // mon…sun → ["08:00-12:00", "13:00-17:00"]
	Holidays string              `yaml:"holidays,omitempty"`  // DE, DE-BY, AT, CH-ZH, …
	Closed   []string            `yaml:"closed,omitempty"`    // company closing days, YYYY-MM-DD
	Special  map[string][]string `yaml:"special,omitempty"`   // YYYY-MM-DD → own hours, e.g. half days; [] closes
}

// SLA is the policy file's service-level section.
type SLA struct {
	// WarnAt is the share of a target, in percent, after which a ticket
	// is flagged as at risk. Default 80.
	WarnAt   int          `yaml:"warn_at,omitempty"`
	Policies []sla.Policy `yaml:"policies,omitempty"` // first match wins; none: the request type's first_response, 24/7
}

func (p *Policy) validateSLA(depts, types map[string]bool) error {
	p.calendars = map[string]*sla.Calendar{sla.AlwaysOpen: sla.TwentyFourSeven(p.location), "": sla.TwentyFourSeven(p.location)}
	for _, c := range p.Calendars {
		if !privacy.ValidID(c.ID) || p.calendars[c.ID] != nil {
			return fmt.Errorf("calendars: %q is not a valid new id", c.ID)
		}
		tz := c.TimeZone
		if tz == "" {
			tz = p.Organisation.TimeZone
		}
		cal, err := sla.New(sla.Config{TimeZone: tz, Hours: c.Hours, Holidays: c.Holidays, Closed: c.Closed, Special: c.Special})
		if err != nil {
			return fmt.Errorf("calendar %q: %w", c.ID, err)
		}
		p.calendars[c.ID] = cal
	}
	switch {
	case p.SLA.WarnAt == 0:
		p.SLA.WarnAt = 80
	case p.SLA.WarnAt < 1 || p.SLA.WarnAt > 99:
		return fmt.Errorf("sla.warn_at: %d is not a percentage between 1 and 99", p.SLA.WarnAt)
	}
	seen := map[string]bool{}
	for i := range p.SLA.Policies {
		sp := &p.SLA.Policies[i]
		if seen[sp.ID] {
			return fmt.Errorf("sla policy %q: id is used twice", sp.ID)
		}
		seen[sp.ID] = true
		if _, ok := p.calendars[sp.Calendar]; !ok {
			return fmt.Errorf("sla policy %q: calendar %q is not declared (known: %s)", sp.ID, sp.Calendar, strings.Join(p.CalendarIDs(), ", "))
		}
		if err := sp.Validate(sp.Calendar != "" && sp.Calendar != sla.AlwaysOpen); err != nil {
			return err
		}
		for _, d := range sp.When.Departments {
			if !depts[d] {
				return fmt.Errorf("sla policy %q: department %q is not declared", sp.ID, d)
			}
		}
		for _, t := range sp.When.RequestTypes {
			if !types[t] {
				return fmt.Errorf("sla policy %q: request type %q is not declared", sp.ID, t)
			}
		}
		for _, x := range sp.When.Priorities {
			if !ticketPriority(x) {
				return fmt.Errorf("sla policy %q: priority %q is not low, normal, high or urgent", sp.ID, x)
			}
		}
	}
	for _, d := range p.Departments {
		if d.Lead != "" && !strings.Contains(d.Lead, "@") {
			return fmt.Errorf("department %q: lead %q is not an email address", d.ID, d.Lead)
		}
	}
	return nil
}

// CalendarIDs returns the ids of the declared calendars and "24x7".
func (p *Policy) CalendarIDs() []string {
	ids := slices.Collect(maps.Keys(p.calendars))
	ids = slices.DeleteFunc(ids, func(s string) bool { return s == "" })
	slices.Sort(ids)
	return ids
}

// Calendar returns a calendar by id; "" and "24x7" are around the clock in
// the organisation's time zone.
func (p *Policy) Calendar(id string) (*sla.Calendar, bool) {
	c, ok := p.calendars[id]
	return c, ok
}

// SLAFor returns the SLA policy that covers a ticket and its calendar: the
// first declared policy that matches, else one made from the request
// type's first_response, around the clock.
func (p *Policy) SLAFor(department, requestType, priority string) (*sla.Policy, *sla.Calendar) {
	for i := range p.SLA.Policies {
		sp := &p.SLA.Policies[i]
		if sp.Covers(department, requestType, priority) {
			if sp.FirstResponse.IsZero() {
				c := *sp
				if rt, ok := p.RequestType(requestType); ok {
					c.FirstResponse = rt.FirstResponse
				}
				sp = &c
			}
			return sp, p.calendars[sp.Calendar]
		}
	}
	sp := &sla.Policy{ID: "request_type:" + requestType, Name: "first_response of the request type"}
	if rt, ok := p.RequestType(requestType); ok {
		sp.FirstResponse = rt.FirstResponse
	}
	return sp, p.calendars[""]
}
