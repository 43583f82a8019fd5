package api

import (
	"strings"
	"time"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/policy"
)

// retentionPlanJSON is what the retention sweeper will do when it runs at
// as_of, assuming nothing else changes before: per rule and action, how
// many tickets and how much of their data.
type retentionPlanJSON struct {
	AsOf    string          `json:"as_of"`
	Tickets int             `json:"tickets"` // tickets affected in all
	Held    int             `json:"held"`    // tickets due but kept by a legal hold
	Groups  []planGroupJSON `json:"groups"`
}

// planGroupJSON is what retention will do under one rule version with one
// action.
type planGroupJSON struct {
	Rule        string `json:"rule"`
	RuleName    string `json:"rule_name"`
	RuleVersion string `json:"rule_version"`
	Class       string `json:"class"`
	Action      string `json:"action"` // delete, anonymise, restrict, expire_fields
	FirstDue    string `json:"first_due"`
	LastDue     string `json:"last_due"`
	Tickets     int    `json:"tickets"`
	Messages    int    `json:"messages"`
	Attachments int    `json:"attachments"`
	Fields      int    `json:"fields"`
}

// retentionPlan answers the plan of the retention sweeper (privacy
// officers and administrators). It changes nothing:
//
//	?as_of=2027-01-01 | 2027-01-01T06:00:00+01:00  (a day means its start in the
//	                                               retention time zone; default and
//	                                               minimum: now)
func (a *API) retentionPlan(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "as_of"); err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	asOf, err := parseAsOf(p, q.Get("as_of"))
	if err != nil {
		return nil, err
	}
	plan, err := a.desk.RetentionPlan(c.r.Context(), c.agent, asOf)
	if err != nil {
		return nil, err
	}
	return newRetentionPlanJSON(p, plan, c.lang), nil
}

// parseAsOf reads a plan's moment: empty for now, a day (its start in the
// retention time zone) or an RFC 3339 time. Anything else is a 400
// problem naming as_of.
func parseAsOf(p *policy.Policy, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, p.Retention.Location()); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, &fault.Error{Code: fault.Malformed, Message: "as_of is a day (YYYY-MM-DD) or an RFC 3339 time.",
			Fields: []fault.FieldError{{Field: "as_of", Message: "invalid_date"}}}
	}
	return t, nil
}

func newRetentionPlanJSON(p *policy.Policy, plan *desk.RetentionPlan, lang string) retentionPlanJSON {
	out := retentionPlanJSON{AsOf: stamp(p, plan.AsOf), Tickets: plan.Tickets, Held: plan.Held, Groups: []planGroupJSON{}}
	for _, g := range plan.Groups {
		out.Groups = append(out.Groups, planGroupJSON{
			Rule: g.Rule, RuleName: p.Retention.RuleName(g.Rule, lang), RuleVersion: g.RuleVersion, Class: g.Class, Action: string(g.Action),
			FirstDue: stamp(p, g.First), LastDue: stamp(p, g.Last),
			Tickets: g.Tickets, Messages: g.Messages, Attachments: g.Attachments, Fields: g.Fields,
		})
	}
	return out
}
