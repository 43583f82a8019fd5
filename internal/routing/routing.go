// Package routing decides where a new request goes: which department, at
// which priority, and which rule made the decision. Rules are data from
// the policy file; the first rule whose conditions all hold wins, and the
// request type's own department catches the rest. The package is pure: no database,
// no clock, no I/O, so that a "which rule would match?" preview and intake
// give the same answer.
package routing

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"frist/internal/ticket"
)

// Rule sends requests that meet its conditions to a department.
type Rule struct {
	ID         string          `yaml:"id"`                 // stable key, recorded on the ticket
	Name       string          `yaml:"name"`               // shown to admins and in the ticket history
	When       Condition       `yaml:"when"`               // all set conditions must hold
	Department string          `yaml:"department"`         // where matching requests go
	Priority   ticket.Priority `yaml:"priority,omitempty"` // raises or sets the priority; empty keeps the request type's
	Skills     []string        `yaml:"skills,omitempty"`   // skills an assignee needs, e.g. "lang:fr"
}

// Condition is what a rule asks of a request. Unset parts hold for every
// request; within one part, any listed value suffices.
type Condition struct {
	RequestTypes []string            `yaml:"request_types,omitempty"` // one of these request types
	Fields       map[string][]string `yaml:"fields,omitempty"`        // field id → one of these values (exact, case-insensitive)
	Words        []string            `yaml:"words,omitempty"`         // one of these words in subject or message (whole words, case-insensitive)
	Languages    []string            `yaml:"languages,omitempty"`     // the customer's language
	Priorities   []ticket.Priority   `yaml:"priorities,omitempty"`    // the request type's priority
}

// Request is what routing looks at: never more than the ticket holds.
type Request struct {
	RequestType string
	Subject     string
	Message     string
	Language    string
	Priority    ticket.Priority
	Fields      map[string]string
}

// Decision is where a request goes and why.
type Decision struct {
	Rule       *Rule           // the rule that matched, or nil: the request type's department
	Department string          // where the request goes; "" when no rule matched
	Priority   ticket.Priority // the request's priority after the rule
	Skills     []string        // skills an assignee needs
}

// Reason says in English which rule decided, for the ticket history and
// logs (it names rules, never request content).
func (d Decision) Reason() string {
	if d.Rule == nil {
		return "request type's department"
	}
	return fmt.Sprintf("rule %s (%s)", d.Rule.ID, d.Rule.Name)
}

// Rules is a validated, ordered rule list.
type Rules struct {
	rules []Rule
	words [][]string // per rule: lower-cased words
}

// New validates rules against the departments and request types that
// exist and returns them ready to route. Errors name the rule and what is
// wrong.
func New(rules []Rule, departmentExists, requestTypeExists func(string) bool) (*Rules, error) {
	r := &Rules{}
	seen := map[string]bool{}
	for i, rule := range rules {
		at := fmt.Sprintf("routing rule %d", i+1)
		switch {
		case rule.ID == "":
			return nil, fmt.Errorf("%s: id is required", at)
		case seen[rule.ID]:
			return nil, fmt.Errorf("%s: id %q is used twice", at, rule.ID)
		case !departmentExists(rule.Department):
			return nil, fmt.Errorf("%s (%s): department %q does not exist", at, rule.ID, rule.Department)
		case rule.Priority != "" && !rule.Priority.Valid():
			return nil, fmt.Errorf("%s (%s): priority %q is not low, normal, high or urgent", at, rule.ID, rule.Priority)
		}
		seen[rule.ID] = true
		for _, rt := range rule.When.RequestTypes {
			if !requestTypeExists(rt) {
				return nil, fmt.Errorf("%s (%s): request type %q does not exist", at, rule.ID, rt)
			}
		}
		for _, p := range rule.When.Priorities {
			if !p.Valid() {
				return nil, fmt.Errorf("%s (%s): priority %q is not low, normal, high or urgent", at, rule.ID, p)
			}
		}
		for _, l := range rule.When.Languages {
			if l != "de" && l != "en" {
				return nil, fmt.Errorf("%s (%s): language %q is not de or en", at, rule.ID, l)
			}
		}
		var ws []string
		for _, w := range rule.When.Words {
			parts := words(w)
			if len(parts) != 1 {
				return nil, fmt.Errorf("%s (%s): %q is not one word", at, rule.ID, w)
			}
			ws = append(ws, parts[0])
		}
		r.rules = append(r.rules, rule)
		r.words = append(r.words, ws)
	}
	return r, nil
}

// Route decides where a request goes: the first rule whose conditions all
// hold, else no rule (Department "": the request type's department, at the
// request's own priority). A nil *Rules has no rules.
func (r *Rules) Route(req Request) Decision {
	if r == nil {
		return Decision{Priority: req.Priority}
	}
	var text map[string]bool
	for i := range r.rules {
		rule := &r.rules[i]
		if len(r.words[i]) > 0 && text == nil {
			text = map[string]bool{}
			for _, w := range words(req.Subject + " " + req.Message) {
				text[w] = true
			}
		}
		if matches(rule.When, r.words[i], req, text) {
			d := Decision{Rule: rule, Department: rule.Department, Priority: req.Priority, Skills: rule.Skills}
			if rule.Priority != "" {
				d.Priority = rule.Priority
			}
			return d
		}
	}
	return Decision{Priority: req.Priority}
}

func matches(c Condition, ws []string, req Request, text map[string]bool) bool {
	if len(c.RequestTypes) > 0 && !slices.Contains(c.RequestTypes, req.RequestType) {
		return false
	}
	if len(c.Languages) > 0 && !slices.Contains(c.Languages, req.Language) {
		return false
	}
	if len(c.Priorities) > 0 && !slices.Contains(c.Priorities, req.Priority) {
		return false
	}
	for field, values := range c.Fields {
		v := strings.TrimSpace(req.Fields[field])
		if !slices.ContainsFunc(values, func(x string) bool { return strings.EqualFold(x, v) }) {
			return false
		}
	}
	if len(ws) > 0 && !slices.ContainsFunc(ws, func(w string) bool { return text[w] }) {
		return false
	}
	return true
}

// words splits text into lower-cased words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
