package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"frist/internal/routing"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// Errors returned by Route and Plan.
var (
	// ErrUnknownRequestType means the request names no request type of
	// the policy.
	ErrUnknownRequestType = errors.New("unknown request type")
	// ErrUnknownDepartment means a department id is not declared.
	ErrUnknownDepartment = errors.New("unknown department")
	// ErrPriority means a priority is not low, normal, high or urgent.
	ErrPriority = errors.New("unknown priority")
)

// Route is where the policy sends a request and why.
type Route struct {
	Decision   routing.Decision // Decision.Rule is nil when no rule matched
	Department string           // the rule's department, else default_department, else the request type's
	Priority   ticket.Priority  // the rule's priority, else the request's
	Skills     []string         // the request type's skills, then the rule's, without repeats (case-insensitive)

	ViaDefault bool // no rule matched and the policy's default_department applied
}

// ServiceLevel is the SLA a ticket gets when it is received at a moment:
// the covering policy, its calendar and the clocks started then.
type ServiceLevel struct {
	Policy     *sla.Policy   // the first SLA policy that covers the ticket, or the request type's first_response on 24/7
	CalendarID string        // "24x7" for around the clock
	Calendar   *sla.Calendar // the policy's calendar
	WarnAt     int           // percent of a target after which it warns
	// State holds the clocks as intake starts them: first response and
	// resolution, counted from the moment of receipt.
	State *sla.State
}

// Plan is everything the policy decides about a request received at a
// moment: its route and its service level. Intake and the admins'
// previews compute it the same way, so a preview shows what a customer
// will be promised.
type Plan struct {
	Route
	SLA ServiceLevel
}

// Route decides where a request goes: the first routing rule that
// matches, else the policy's default_department, else the request type's
// department. An empty req.Priority
// means the request type's. It returns an error wrapping
// ErrUnknownRequestType or ErrPriority.
func (p *Policy) Route(req routing.Request) (Route, error) {
	rt, ok := p.RequestType(req.RequestType)
	if !ok {
		return Route{}, fmt.Errorf("route: %w", ErrUnknownRequestType)
	}
	if req.Priority == "" {
		req.Priority = rt.Priority
	}
	if !req.Priority.Valid() {
		return Route{}, fmt.Errorf("route: %w", ErrPriority)
	}
	d := p.router.Route(req)
	r := Route{Decision: d, Department: rt.Department, Priority: d.Priority, Skills: slices.Clone(rt.Skills)}
	if d.Rule != nil {
		r.Department = d.Department
	} else if p.DefaultDepartment != "" {
		r.Department, r.ViaDefault = p.DefaultDepartment, true
	}
	for _, s := range d.Skills {
		if !slices.ContainsFunc(r.Skills, func(x string) bool { return strings.EqualFold(x, s) }) {
			r.Skills = append(r.Skills, s)
		}
	}
	return r, nil
}

// ServiceLevel returns the SLA of a ticket of the department, request
// type and priority received at `at`: the policy SLAFor chooses and the
// clocks sla.Start starts. It returns an error wrapping
// ErrUnknownRequestType, ErrUnknownDepartment or ErrPriority.
func (p *Policy) ServiceLevel(department, requestType string, priority ticket.Priority, at time.Time) (ServiceLevel, error) {
	if _, ok := p.RequestType(requestType); !ok {
		return ServiceLevel{}, fmt.Errorf("service level: %w", ErrUnknownRequestType)
	}
	if _, ok := p.Department(department); !ok {
		return ServiceLevel{}, fmt.Errorf("service level: %w", ErrUnknownDepartment)
	}
	if !priority.Valid() {
		return ServiceLevel{}, fmt.Errorf("service level: %w", ErrPriority)
	}
	sp, cal := p.SLAFor(department, requestType, string(priority))
	id := sp.Calendar
	if id == "" {
		id = sla.AlwaysOpen
	}
	return ServiceLevel{Policy: sp, CalendarID: id, Calendar: cal, WarnAt: p.SLA.WarnAt, State: sla.Start(sp, cal, p.SLA.WarnAt, at)}, nil
}

// Plan routes a request and gives the service level it gets when received
// at `at`. It returns the errors of Route.
func (p *Policy) Plan(req routing.Request, at time.Time) (Plan, error) {
	r, err := p.Route(req)
	if err != nil {
		return Plan{}, err
	}
	sl, err := p.ServiceLevel(r.Department, req.RequestType, r.Priority, at)
	if err != nil {
		return Plan{}, err // not reached: Route checked the request type, and rules name declared departments
	}
	return Plan{Route: r, SLA: sl}, nil
}

// Reason names what decided the department, as ticket histories record
// it: "rule:<id>", "default_department" or "request_type".
func (r Route) Reason() string {
	switch {
	case r.Decision.Rule != nil:
		return "rule:" + r.Decision.Rule.ID
	case r.ViaDefault:
		return "default_department"
	}
	return "request_type"
}

// Explain says in English what decided, for the API's previews.
func (r Route) Explain() string {
	if r.ViaDefault {
		return "default department"
	}
	return r.Decision.Reason()
}
