package policy

import (
	"os"
	"strings"
	"testing"
	"time"

	"frist/internal/routing"
)

func TestDefault(t *testing.T) {
	p := Default()
	if _, ok := p.RequestType("invoice_question"); !ok {
		t.Fatal("default policy lacks invoice_question")
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatalf("exported policy does not parse: %v\n%s", err, b)
	}
	if q.Summary() != p.Summary() || q.Notice != p.Notice {
		t.Errorf("round trip changed the policy: %s vs %s", q.Summary(), p.Summary())
	}
}

func TestParseErrors(t *testing.T) {
	base := string(DefaultYAML())
	for name, tc := range map[string]struct{ old, new, want string }{
		"UnknownKey":        {"departments:", "colour: red\ndepartments:", "colour"},
		"UnknownDepartment": {"department: billing", "department: sales", `department "sales" is not declared`},
		"UnknownField":      {"{id: invoice_number}", "{id: shoe_size}", `field "shoe_size" is not in the catalogue`},
		"CoreField":         {"{id: invoice_number}", "{id: email}", "asked by every form"},
		"BadDuration":       {"first_response: PT8H", "first_response: 8h", "ISO 8601"},
		"BadPriority":       {"priority: high", "priority: asap", "priority"},
		"BadBasis":          {"legal_basis: contract", "legal_basis: whim", "legal_basis"},
		"BadZone":           {"Europe/Berlin", "Mars/Olympus", "time_zone"},
		"NoVersion":         {`version: "2026-11-01"`, `version: ""`, "version"},
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(base, tc.old, tc.new, 1)
			if src == base {
				t.Fatalf("replacement %q not found", tc.old)
			}
			_, err := Parse([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestFirstResponseDue(t *testing.T) {
	p := Default()
	rt, _ := p.RequestType("technical_problem")
	at := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	if got, want := p.FirstResponseDue(rt, at), at.Add(8*time.Hour); !got.Equal(want) {
		t.Errorf("due = %s, want %s", got, want)
	}
}

// TestExamplePolicy keeps the documented example policy valid.
func TestExamplePolicy(t *testing.T) {
	b, err := os.ReadFile("../../docs/examples/policy-routing-sla.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Routing) < 10 || len(p.SLA.Policies) < 4 {
		t.Errorf("example has %d rules and %d SLA policies", len(p.Routing), len(p.SLA.Policies))
	}
}

func TestDefaultDepartment(t *testing.T) {
	y := string(DefaultYAML()) + "\ndefault_department: technical\nrouting:\n  - {id: bills, when: {words: [rechnung]}, department: billing}\n"
	p, err := Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		subject, dept, reason string
	}{
		{"Frage zur Rechnung", "billing", "rule:bills"},
		{"Frage zum Vertrag", "technical", "default_department"},
	} {
		r, err := p.Route(routing.Request{RequestType: "general_question", Subject: tt.subject, Language: "de"})
		if err != nil || r.Department != tt.dept || r.Reason() != tt.reason {
			t.Errorf("%q: %s %s %v, want %s %s", tt.subject, r.Department, r.Reason(), err, tt.dept, tt.reason)
		}
	}
	if r, _ := Default().Route(routing.Request{RequestType: "general_question", Language: "de"}); r.Department != "support" || r.Reason() != "request_type" {
		t.Errorf("without default_department: %s %s", r.Department, r.Reason())
	}
	if _, err := Parse([]byte(string(DefaultYAML()) + "\ndefault_department: nowhere\n")); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("unknown default department: %v", err)
	}
}
