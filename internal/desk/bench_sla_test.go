package desk_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"frist/internal/desk/desktest"
	"frist/internal/policy"
	"frist/internal/routing"
)

// Policies for the routing and SLA overhead benchmarks: "core" has no
// routing rules and no SLA policies (each ticket gets the request type's
// first-response deadline, around the clock, as before SLA policies
// existed); "routing+sla" is the documented example with ten routing
// rules, business-hours calendars with holidays and four SLA policies, all
// departments assigning manually; "routing+sla+assignment" is the example
// as documented, with round-robin, least-loaded and skill-based
// departments (no agents present, so every ticket reads the pool and
// stays unassigned).
func benchPolicies(b *testing.B) map[string][]byte {
	b.Helper()
	full, err := os.ReadFile("../../docs/examples/policy-routing-sla.yaml")
	if err != nil {
		b.Fatal(err)
	}
	core := string(policy.DefaultYAML())
	i := strings.Index(core, "\nsla:\n")
	j := strings.Index(core, "\nrequest_types:\n")
	if i < 0 || j < i {
		b.Fatal("default policy layout changed")
	}
	core = core[:i] + core[j:]
	manual := regexp.MustCompile(`assignment: \w+`).ReplaceAll(full, []byte("assignment: manual"))
	return map[string][]byte{"core": []byte(core), "routing+sla": manual, "routing+sla+assignment": full}
}

// benchRequest does not match any routing rule, so that every rule is
// tried: the worst case.
func benchMessage() string {
	return "Guten Tag, auf meiner letzten Abrechnung fehlt die Gutschrift vom Oktober. Können Sie das bitte prüfen? Vielen Dank, Erika Mustermann"
}

// BenchmarkPlan measures what routing and SLA add to each request: the
// rules tried and the clocks started on the policy's calendar.
func BenchmarkPlan(b *testing.B) {
	for _, name := range []string{"core", "routing+sla"} {
		b.Run(name, func(b *testing.B) {
			p, err := policy.Parse(benchPolicies(b)[name])
			if err != nil {
				b.Fatal(err)
			}
			req := routing.Request{RequestType: "invoice_question", Subject: "Frage zur Abrechnung", Message: benchMessage(), Language: "de",
				Fields: map[string]string{"customer_number": "K-1042", "payment_method": "invoice"}}
			at := time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC) // Friday afternoon: the deadline crosses a weekend
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Plan(req, at); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSubmitRequestPolicies measures intake end to end (validation,
// routing, SLA, group commit, search index) under both policies, with 16
// concurrent submitters.
func BenchmarkSubmitRequestPolicies(b *testing.B) {
	for _, name := range []string{"core", "routing+sla", "routing+sla+assignment"} {
		b.Run(name, func(b *testing.B) {
			e := desktest.New(b)
			ctx := context.Background()
			if _, err := e.Desk.ApplyPolicy(ctx, benchPolicies(b)[name]); err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := e.Request("invoice_question")
					r.Message = benchMessage()
					r.Email = fmt.Sprintf("kunde%d@example.org", n.Add(1)%5000)
					if _, err := e.Desk.SubmitRequest(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
