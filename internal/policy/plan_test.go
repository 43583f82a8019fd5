package policy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"frist/internal/routing"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// planYAML replaces the default policy's calendars and SLA section with
// routing rules, an office calendar in Bavaria and SLA policies per
// department.
const planYAML = `routing:
  - id: outage
    name: Störungen
    when: {words: [ausfall, outage]}
    department: technical
    priority: urgent
  - id: invoice-payers
    name: Zahlung auf Rechnung
    when:
      request_types: [invoice_question]
      fields: {payment_method: [invoice]}
    department: billing
    priority: high
  - id: english
    name: English speakers
    when: {languages: [en]}
    department: support
    skills: ["lang:en"]

calendars:
  - id: office
    name: Office
    time_zone: Europe/Berlin
    hours:
      mon: ["08:00-17:00"]
      tue: ["08:00-17:00"]
      wed: ["08:00-17:00"]
      thu: ["08:00-17:00"]
      fri: ["08:00-16:00"]
    holidays: DE-BY
    closed: ["2026-12-28"]
    special:
      "2026-12-24": ["08:00-12:00"]

sla:
  warn_at: 75
  policies:
    - id: urgent
      name: Urgent
      when: {priorities: [urgent]}
      first_response: PT2H
      resolution: P1D
    - id: billing
      name: Billing office hours
      when: {departments: [billing]}
      calendar: office
      first_response: PT4H
      resolution: PT16H
    - id: technical
      name: Technical office hours
      when: {departments: [technical]}
      calendar: office
      resolution: PT40H

`

// planPolicy returns the default policy with planYAML, and skills on the
// technical request type.
func planPolicy(t *testing.T) *Policy {
	t.Helper()
	src := string(DefaultYAML())
	from, to := strings.Index(src, "calendars:"), strings.Index(src, "request_types:")
	if from < 0 || to < from {
		t.Fatal("default policy has no calendars section before request_types")
	}
	src = src[:from] + planYAML + src[to:]
	src = strings.Replace(src, "first_response: PT8H\n", "first_response: PT8H\n    skills: [product]\n", 1)
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoute(t *testing.T) {
	t.Parallel()
	p := planPolicy(t)
	for _, tc := range []struct {
		name string
		req  routing.Request
		want Route
		rule string // "" when no rule matches
	}{
		{"NoRule", routing.Request{RequestType: "general_question", Language: "de", Subject: "Frage zum Tarif"},
			Route{Department: "support", Priority: ticket.Normal, Skills: nil}, ""},
		{"Words", routing.Request{RequestType: "general_question", Language: "de", Subject: "Totaler AUSFALL seit heute"},
			Route{Department: "technical", Priority: ticket.Urgent}, "outage"},
		{"WordsInMessage", routing.Request{RequestType: "complaint", Language: "en", Message: "An outage, again."},
			Route{Department: "technical", Priority: ticket.Urgent}, "outage"},
		{"WholeWordsOnly", routing.Request{RequestType: "general_question", Language: "de", Subject: "Ausfallzeiten im Vertrag"},
			Route{Department: "support", Priority: ticket.Normal}, ""},
		{"Field", routing.Request{RequestType: "invoice_question", Language: "de", Fields: map[string]string{"payment_method": "Invoice"}},
			Route{Department: "billing", Priority: ticket.High}, "invoice-payers"},
		{"FieldOtherValue", routing.Request{RequestType: "invoice_question", Language: "de", Fields: map[string]string{"payment_method": "card"}},
			Route{Department: "billing", Priority: ticket.Normal}, ""},
		{"FirstMatchWins", routing.Request{RequestType: "invoice_question", Language: "en", Fields: map[string]string{"payment_method": "invoice"}},
			Route{Department: "billing", Priority: ticket.High}, "invoice-payers"},
		{"LanguageSkillsAfterTypeSkills", routing.Request{RequestType: "technical_problem", Language: "en"},
			Route{Department: "support", Priority: ticket.High, Skills: []string{"product", "lang:en"}}, "english"},
		{"TypeSkillsWithoutRule", routing.Request{RequestType: "technical_problem", Language: "de"},
			Route{Department: "technical", Priority: ticket.High, Skills: []string{"product"}}, ""},
		{"GivenPriority", routing.Request{RequestType: "general_question", Language: "de", Priority: ticket.Low},
			Route{Department: "support", Priority: ticket.Low}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := p.Route(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			var rule string
			if got.Decision.Rule != nil {
				rule = got.Decision.Rule.ID
			}
			if rule != tc.rule {
				t.Errorf("rule = %q, want %q", rule, tc.rule)
			}
			got.Decision = routing.Decision{}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRouteErrors(t *testing.T) {
	t.Parallel()
	p := planPolicy(t)
	for _, tc := range []struct {
		name string
		req  routing.Request
		want error
	}{
		{"ErrUnknownRequestType", routing.Request{RequestType: "shoe_size"}, ErrUnknownRequestType},
		{"ErrPriority", routing.Request{RequestType: "complaint", Priority: "asap"}, ErrPriority},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := p.Plan(tc.req, time.Now()); !errors.Is(err, tc.want) {
				t.Errorf("Plan error = %v, want %v", err, tc.want)
			}
		})
	}
	at := time.Now()
	if _, err := p.ServiceLevel("sales", "complaint", ticket.Normal, at); !errors.Is(err, ErrUnknownDepartment) {
		t.Errorf("ServiceLevel with unknown department: %v", err)
	}
	if _, err := p.ServiceLevel("support", "shoe_size", ticket.Normal, at); !errors.Is(err, ErrUnknownRequestType) {
		t.Errorf("ServiceLevel with unknown request type: %v", err)
	}
	if _, err := p.ServiceLevel("support", "complaint", "asap", at); !errors.Is(err, ErrPriority) {
		t.Errorf("ServiceLevel with unknown priority: %v", err)
	}
}

// clockTimes is a clock's deadline and warning on the wall clocks of the
// calendar's zone, "2006-01-02 15:04 MST".
type clockTimes struct{ Due, Warn string }

func TestPlan(t *testing.T) {
	t.Parallel()
	p := planPolicy(t)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	const layout = "2006-01-02 15:04 MST"
	for _, tc := range []struct {
		name       string
		req        routing.Request
		at         string // wall clock in Europe/Berlin
		department string
		priority   ticket.Priority
		policy     string
		calendar   string
		clocks     map[sla.Target]clockTimes // warnings at 75 %
	}{
		{
			// 2 h on Friday until 16:00, 2 h on Monday; resolution 16 h:
			// 2 h Friday, 9 h Monday, 5 h Tuesday.
			name: "FridayAfternoonToMonday",
			req:  routing.Request{RequestType: "invoice_question", Language: "de"},
			at:   "2026-11-27 14:00", department: "billing", priority: ticket.Normal, policy: "billing", calendar: "office",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-11-30 10:00 CET", "2026-11-30 09:00 CET"},
				sla.Resolution:    {"2026-12-01 13:00 CET", "2026-12-01 09:00 CET"},
			},
		},
		{
			// Received on Saturday: counting starts on Monday at 08:00.
			name: "Weekend",
			req:  routing.Request{RequestType: "invoice_question", Language: "de"},
			at:   "2026-11-28 11:00", department: "billing", priority: ticket.Normal, policy: "billing", calendar: "office",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-11-30 12:00 CET", "2026-11-30 11:00 CET"},
				sla.Resolution:    {"2026-12-01 15:00 CET", "2026-12-01 11:00 CET"},
			},
		},
		{
			// Friday in winter time, Monday in summer time: deadlines on
			// Monday's wall clock.
			name: "WeekendWithDSTChange",
			req:  routing.Request{RequestType: "invoice_question", Language: "de"},
			at:   "2026-03-27 15:00", department: "billing", priority: ticket.Normal, policy: "billing", calendar: "office",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-03-30 11:00 CEST", "2026-03-30 10:00 CEST"},
				sla.Resolution:    {"2026-03-31 14:00 CEST", "2026-03-31 10:00 CEST"},
			},
		},
		{
			// Epiphany (6 January) is a holiday in Bavaria: 1 h on Monday,
			// 7 h on Wednesday. The policy has no first_response: the
			// request type's PT8H applies.
			name: "Holiday",
			req:  routing.Request{RequestType: "technical_problem", Language: "de"},
			at:   "2026-01-05 16:00", department: "technical", priority: ticket.High, policy: "technical", calendar: "office",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-01-07 15:00 CET", "2026-01-07 13:00 CET"},
				sla.Resolution:    {"2026-01-13 12:00 CET", "2026-01-12 11:00 CET"},
			},
		},
		{
			// 2 h on Wednesday and 4 h on Christmas Eve (a half day: the
			// warning falls at its closing time), then the holidays, the
			// weekend and the closing day on Monday 28 December; 2 h on
			// Tuesday. Resolution: New Year's Day closed too.
			name: "HalfDayHolidaysClosingDay",
			req:  routing.Request{RequestType: "technical_problem", Language: "de"},
			at:   "2026-12-23 15:00", department: "technical", priority: ticket.High, policy: "technical", calendar: "office",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-12-29 10:00 CET", "2026-12-24 12:00 CET"},
				sla.Resolution:    {"2027-01-04 15:00 CET", "2026-12-31 14:00 CET"},
			},
		},
		{
			// A rule raises the priority to urgent; the urgent policy runs
			// around the clock.
			name: "RuleToUrgentAroundTheClock",
			req:  routing.Request{RequestType: "general_question", Language: "de", Subject: "Ausfall"},
			at:   "2026-11-28 23:00", department: "technical", priority: ticket.Urgent, policy: "urgent", calendar: "24x7",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-11-29 01:00 CET", "2026-11-29 00:30 CET"},
				sla.Resolution:    {"2026-11-29 23:00 CET", "2026-11-29 17:00 CET"},
			},
		},
		{
			// Around the clock, a day is 24 hours of real time, also on
			// the night the clocks go forward.
			name: "AroundTheClockAcrossDST",
			req:  routing.Request{RequestType: "general_question", Language: "de", Priority: ticket.Urgent},
			at:   "2026-03-28 12:00", department: "support", priority: ticket.Urgent, policy: "urgent", calendar: "24x7",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-03-28 14:00 CET", "2026-03-28 13:30 CET"},
				sla.Resolution:    {"2026-03-29 13:00 CEST", "2026-03-29 07:00 CEST"},
			},
		},
		{
			// No SLA policy covers support at normal priority: the request
			// type's first_response around the clock, no resolution target.
			name: "RequestTypeFallback",
			req:  routing.Request{RequestType: "general_question", Language: "de"},
			at:   "2026-11-27 14:00", department: "support", priority: ticket.Normal, policy: "request_type:general_question", calendar: "24x7",
			clocks: map[sla.Target]clockTimes{
				sla.FirstResponse: {"2026-11-28 14:00 CET", "2026-11-28 08:00 CET"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			received, err := time.ParseInLocation("2006-01-02 15:04", tc.at, berlin)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := p.Plan(tc.req, received)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Department != tc.department || pl.Priority != tc.priority {
				t.Errorf("routed to %s at %s, want %s at %s", pl.Department, pl.Priority, tc.department, tc.priority)
			}
			if pl.SLA.Policy.ID != tc.policy || pl.SLA.CalendarID != tc.calendar || pl.SLA.WarnAt != 75 {
				t.Errorf("policy %s on %s warning at %d %%, want %s on %s at 75 %%", pl.SLA.Policy.ID, pl.SLA.CalendarID, pl.SLA.WarnAt, tc.policy, tc.calendar)
			}
			got := map[sla.Target]clockTimes{}
			for _, c := range pl.SLA.State.Clocks {
				if !c.Start.Equal(received) {
					t.Errorf("%s starts at %s, want the time of receipt", c.Target, c.Start)
				}
				loc := pl.SLA.Calendar.Location()
				got[c.Target] = clockTimes{c.Due.In(loc).Format(layout), c.Warn.In(loc).Format(layout)}
			}
			if diff := cmp.Diff(tc.clocks, got); diff != "" {
				t.Errorf("clocks (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanIsIntake holds Plan to the computation intake makes: route, then
// SLAFor with the routed department and priority, then sla.Start.
func TestPlanIsIntake(t *testing.T) {
	t.Parallel()
	p := planPolicy(t)
	at := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	for _, rt := range p.RequestTypes {
		for _, subject := range []string{"Frage", "Ausfall"} {
			req := routing.Request{RequestType: rt.ID, Subject: subject, Language: "de", Priority: rt.Priority}
			pl, err := p.Plan(req, at)
			if err != nil {
				t.Fatal(err)
			}
			d := p.Router().Route(req)
			dept, prio := rt.Department, rt.Priority
			if d.Rule != nil {
				dept, prio = d.Department, d.Priority
			}
			sp, cal := p.SLAFor(dept, rt.ID, string(prio))
			want := sla.Start(sp, cal, p.SLA.WarnAt, at)
			if diff := cmp.Diff(want, pl.SLA.State); diff != "" {
				t.Errorf("%s %q: Plan's clocks differ from intake's (-intake +plan):\n%s", rt.ID, subject, diff)
			}
		}
	}
}
