package desk

import (
	"slices"
	"sort"
	"time"

	"frist/internal/fault"
	"frist/internal/period"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/routing"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// RoutingQuestion is a request as the form or the API would submit it,
// without the customer's name and email: what routing looks at.
type RoutingQuestion struct {
	RequestType string
	Subject     string
	Message     string
	Language    string            // "de" or "en"; default "de"
	Priority    string            // default the request type's
	Fields      map[string]string // the request type's fields
}

// SLAQuestion asks which service level a ticket gets.
type SLAQuestion struct {
	RequestType string
	Priority    string // default the request type's
	Department  string // default the request type's
	// At is the moment of receipt: RFC 3339, or a wall-clock
	// "YYYY-MM-DDTHH:MM" in the organisation's time zone (what a
	// browser's date-time field sends); default now.
	At string
}

// Preview is what the policy in force does with a request received at a
// moment: where it goes and why, the SLA policy that covers it and the
// exact deadlines. Nothing is stored.
type Preview struct {
	At          time.Time // the moment of receipt the clocks start at
	RequestType *policy.RequestType
	Route       policy.Route // for an SLA question: the given department and priority, no rule
	SLA         policy.ServiceLevel
	Open        bool      // the SLA calendar is open at At
	NextOpen    time.Time // At when open, else the calendar's next opening
	Targets     []TargetPreview
}

// TargetPreview is one target of the SLA policy with its deadline.
type TargetPreview struct {
	Target   sla.Target
	Length   period.Period // as the policy (or, for first_response, the request type) gives it
	Start    time.Time     // receipt; for next_response a customer's reply, shown as if it came at At
	Due      time.Time
	Warn     time.Time
	Received bool // counted from receipt (first_response, resolution), not from a customer's reply
}

// ErrInvalidTime is the validation key of a bad moment of receipt.
const ErrInvalidTime = "invalid_time"

// PreviewRouting answers "which rule would match this request, and which
// deadlines would it get if it came in now?" with exactly the computation
// intake makes (policy.Plan). Only administrators may ask; others get
// fault.Forbidden. Bad input gives fault.Invalid listing every field.
func (d *Desk) PreviewRouting(a *Agent, q RoutingQuestion) (*Preview, error) {
	if !CanAdminister(a) {
		return nil, fault.Errorf(fault.Forbidden, "Only administrators may preview routing.")
	}
	p := d.Policy()
	var errs []fault.FieldError
	bad := func(field, msg string) { errs = append(errs, fault.FieldError{Field: field, Message: msg}) }
	cat := p.Catalogue()
	norm := func(field, id, v string) string {
		at, _ := cat.Attribute(id)
		out, msg := at.Normalize(v)
		if msg != "" {
			bad(field, msg)
		}
		return out
	}
	rt := requestType(p, q.RequestType, bad)
	req := routing.Request{
		Subject: norm("subject", privacy.AttrSubject, q.Subject),
		Message: norm("message", privacy.AttrMessage, q.Message),
		Fields:  map[string]string{},
	}
	req.Language = q.Language
	if req.Language == "" {
		req.Language = "de"
	}
	req.Language = norm("language", privacy.AttrLanguage, req.Language)
	req.Priority = priority(q.Priority, bad)
	if rt != nil {
		req.RequestType = rt.ID
		declared := map[string]bool{}
		for _, f := range rt.Fields {
			declared[f.ID] = true
			if v := norm("fields."+f.ID, f.ID, q.Fields[f.ID]); v != "" {
				req.Fields[f.ID] = v
			}
		}
		var unknown []string
		for k := range q.Fields {
			if !declared[k] {
				unknown = append(unknown, k)
			}
		}
		sort.Strings(unknown)
		for _, k := range unknown {
			// As in intake: the key is echoed only when it looks like an id.
			if privacy.ValidID(k) {
				bad("fields."+k, privacy.ErrUnknown)
			} else {
				bad("fields", privacy.ErrUnknown)
			}
		}
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please check the highlighted fields.", Fields: errs}
	}
	at := d.Now()
	pl, err := p.Plan(req, at)
	if err != nil {
		return nil, err // not reached: the input was checked against the same policy
	}
	return newPreview(rt, pl, at), nil
}

// PreviewSLA answers "which SLA policy covers a ticket of this type,
// priority and department received at this moment, and what are its
// deadlines?" with exactly the computation intake makes after routing
// (policy.ServiceLevel). Only administrators may ask; others get
// fault.Forbidden. Bad input gives fault.Invalid listing every field.
func (d *Desk) PreviewSLA(a *Agent, q SLAQuestion) (*Preview, error) {
	if !CanAdminister(a) {
		return nil, fault.Errorf(fault.Forbidden, "Only administrators may preview service levels.")
	}
	p := d.Policy()
	var errs []fault.FieldError
	bad := func(field, msg string) { errs = append(errs, fault.FieldError{Field: field, Message: msg}) }
	rt := requestType(p, q.RequestType, bad)
	prio := priority(q.Priority, bad)
	dept := q.Department
	if dept != "" {
		if _, ok := p.Department(dept); !ok {
			bad("department", privacy.ErrOption)
		}
	}
	at := d.receivedAt(p, q.At, bad)
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please check the highlighted fields.", Fields: errs}
	}
	if dept == "" {
		dept = rt.Department
	}
	if prio == "" {
		prio = rt.Priority
	}
	sl, err := p.ServiceLevel(dept, rt.ID, prio, at)
	if err != nil {
		return nil, err // not reached: the input was checked against the same policy
	}
	return newPreview(rt, policy.Plan{Route: policy.Route{Department: dept, Priority: prio}, SLA: sl}, at), nil
}

// requestType looks up a question's request type and reports a missing
// or unknown one.
func requestType(p *policy.Policy, id string, bad func(field, msg string)) *policy.RequestType {
	rt, ok := p.RequestType(id)
	switch {
	case ok:
		return rt
	case id == "":
		bad("request_type", privacy.ErrRequired)
	default:
		bad("request_type", ErrUnknownType)
	}
	return nil
}

// priority checks an optional priority.
func priority(s string, bad func(field, msg string)) ticket.Priority {
	x := ticket.Priority(s)
	if x != "" && !x.Valid() {
		bad("priority", privacy.ErrOption)
		return ""
	}
	return x
}

// receivedAt reads a question's moment of receipt; "" is now.
func (d *Desk) receivedAt(p *policy.Policy, s string, bad func(field, msg string)) time.Time {
	if s == "" {
		return d.Now()
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, p.Location()); err == nil {
		return t
	}
	bad("at", ErrInvalidTime)
	return time.Time{}
}

// newPreview lists the targets of a plan's SLA policy with their
// deadlines. First response and resolution are the clocks intake starts;
// next response is started as sla.State.Restart starts it when a customer
// writes, here as if at the moment of receipt.
func newPreview(rt *policy.RequestType, pl policy.Plan, at time.Time) *Preview {
	sl := pl.SLA
	pv := &Preview{At: at, RequestType: rt, Route: pl.Route, SLA: sl, Open: sl.Calendar.IsOpen(at), NextOpen: sl.Calendar.NextOpen(at)}
	st := *sl.State
	st.Clocks = slices.Clone(sl.State.Clocks)
	st.Restart(sl.Policy, sl.Calendar, at)
	lengths := map[sla.Target]period.Period{
		sla.FirstResponse: sl.Policy.FirstResponse,
		sla.NextResponse:  sl.Policy.NextResponse,
		sla.Resolution:    sl.Policy.Resolution,
	}
	for _, t := range sla.Targets {
		c := st.Clock(t)
		if c == nil {
			continue
		}
		pv.Targets = append(pv.Targets, TargetPreview{Target: t, Length: lengths[t], Start: c.Start, Due: c.Due, Warn: c.Warn, Received: t != sla.NextResponse})
	}
	return pv
}
