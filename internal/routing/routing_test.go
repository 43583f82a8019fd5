package routing_test

import (
	"slices"
	"strings"
	"testing"

	"frist/internal/routing"
	"frist/internal/ticket"
)

var (
	departments  = []string{"support", "billing", "technical", "complaints"}
	requestTypes = []string{"general_question", "invoice_question", "technical_problem", "complaint"}
)

func mustRules(t *testing.T, rules []routing.Rule) *routing.Rules {
	t.Helper()
	r, err := routing.New(rules, func(d string) bool { return slices.Contains(departments, d) }, func(rt string) bool { return slices.Contains(requestTypes, rt) })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRoute(t *testing.T) {
	rules := mustRules(t, []routing.Rule{
		{ID: "outage", Name: "Outage words", When: routing.Condition{Words: []string{"Ausfall", "outage"}}, Department: "technical", Priority: ticket.Urgent},
		{ID: "invoice-business", Name: "Business customers' invoices", When: routing.Condition{RequestTypes: []string{"invoice_question"}, Fields: map[string][]string{"customer_type": {"business"}}}, Department: "billing", Priority: ticket.High},
		{ID: "invoice", Name: "Invoices", When: routing.Condition{RequestTypes: []string{"invoice_question"}}, Department: "billing"},
		{ID: "english-complaints", Name: "English complaints", When: routing.Condition{RequestTypes: []string{"complaint"}, Languages: []string{"en"}}, Department: "complaints", Skills: []string{"lang:en"}},
		{ID: "urgent", Name: "Urgent types", When: routing.Condition{Priorities: []ticket.Priority{ticket.Urgent}}, Department: "technical"},
	})
	for _, tc := range []struct {
		name     string
		req      routing.Request
		rule     string // "" for the default
		dept     string
		priority ticket.Priority
	}{
		// The first matching rule wins, even where a later one matches too.
		{"WordBeatsType", routing.Request{RequestType: "invoice_question", Subject: "Totaler AUSFALL seit heute", Priority: ticket.Normal}, "outage", "technical", ticket.Urgent},
		// Whole words only: "Ausfallzeit" is not "Ausfall".
		{"WholeWordsOnly", routing.Request{RequestType: "general_question", Message: "Wie lang ist die Ausfallzeit?", Priority: ticket.Normal}, "", "", ticket.Normal},
		// Words are found in the message as well as the subject.
		{"WordInMessage", routing.Request{RequestType: "general_question", Message: "We have an outage.", Priority: ticket.Normal}, "outage", "technical", ticket.Urgent},
		// Field values compare case-insensitively and trimmed.
		{"FieldValue", routing.Request{RequestType: "invoice_question", Fields: map[string]string{"customer_type": " Business "}, Priority: ticket.Normal}, "invoice-business", "billing", ticket.High},
		// A missing field fails a field condition; the next rule takes it.
		{"FieldMissing", routing.Request{RequestType: "invoice_question", Priority: ticket.Normal}, "invoice", "billing", ticket.Normal},
		// All conditions of a rule must hold: German complaints fall through.
		{"AllConditions", routing.Request{RequestType: "complaint", Language: "de", Priority: ticket.Normal}, "", "", ticket.Normal},
		{"Language", routing.Request{RequestType: "complaint", Language: "en", Priority: ticket.Normal}, "english-complaints", "complaints", ticket.Normal},
		// A rule without its own priority keeps the request's.
		{"PriorityCondition", routing.Request{RequestType: "technical_problem", Priority: ticket.Urgent}, "urgent", "technical", ticket.Urgent},
		{"Default", routing.Request{RequestType: "general_question", Priority: ticket.Low}, "", "", ticket.Low},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := rules.Route(tc.req)
			rule := ""
			if d.Rule != nil {
				rule = d.Rule.ID
			}
			if rule != tc.rule || d.Department != tc.dept || d.Priority != tc.priority {
				t.Errorf("Route = rule %q, %s, %s; want rule %q, %s, %s", rule, d.Department, d.Priority, tc.rule, tc.dept, tc.priority)
			}
			if tc.rule == "" && d.Reason() != "request type's department" || tc.rule != "" && !strings.Contains(d.Reason(), tc.rule) {
				t.Errorf("Reason = %q", d.Reason())
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules []routing.Rule
		want  string
	}{
		{"NoID", []routing.Rule{{Department: "billing"}}, "id is required"},
		{"DuplicateID", []routing.Rule{{ID: "a", Department: "billing"}, {ID: "a", Department: "support"}}, `id "a" is used twice`},
		{"UnknownDepartment", []routing.Rule{{ID: "a", Department: "sales"}}, `department "sales" does not exist`},
		{"UnknownRequestType", []routing.Rule{{ID: "a", Department: "billing", When: routing.Condition{RequestTypes: []string{"pizza"}}}}, `request type "pizza"`},
		{"BadPriority", []routing.Rule{{ID: "a", Department: "billing", Priority: "asap"}}, `priority "asap"`},
		{"BadPriorityCondition", []routing.Rule{{ID: "a", Department: "billing", When: routing.Condition{Priorities: []ticket.Priority{"asap"}}}}, `priority "asap"`},
		{"BadLanguage", []routing.Rule{{ID: "a", Department: "billing", When: routing.Condition{Languages: []string{"fr"}}}}, `language "fr"`},
		{"TwoWords", []routing.Rule{{ID: "a", Department: "billing", When: routing.Condition{Words: []string{"zwei Wörter"}}}}, "is not one word"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := routing.New(tc.rules, func(d string) bool { return slices.Contains(departments, d) }, func(rt string) bool { return slices.Contains(requestTypes, rt) })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if d := (*routing.Rules)(nil).Route(routing.Request{Priority: ticket.High}); d.Rule != nil || d.Department != "" || d.Priority != ticket.High {
		t.Errorf("nil rules route to %+v", d)
	}
}

func BenchmarkRoute(b *testing.B) {
	var rules []routing.Rule
	for i := range 20 {
		rules = append(rules, routing.Rule{ID: "r" + string(rune('a'+i)), Department: "billing", When: routing.Condition{Words: []string{"wort" + string(rune('a'+i))}}})
	}
	r, err := routing.New(rules, func(string) bool { return true }, func(string) bool { return true })
	if err != nil {
		b.Fatal(err)
	}
	req := routing.Request{RequestType: "general_question", Subject: "Frage zur Rechnung", Message: strings.Repeat("Guten Tag, ich habe eine Frage zu meiner letzten Rechnung. ", 10), Priority: ticket.Normal}
	b.ReportAllocs()
	for b.Loop() {
		r.Route(req)
	}
}
