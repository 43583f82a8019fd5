package desk_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/store"
)

// BenchmarkSubmitRequest measures intake through validation, group commit
// and the search index, with 16 concurrent submitters.
func BenchmarkSubmitRequest(b *testing.B) {
	e := desktest.New(b)
	ctx := context.Background()
	var n atomic.Int64
	b.SetParallelism(8) // 16 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := e.Request("invoice_question")
			r.Email = fmt.Sprintf("kunde%d@example.org", n.Add(1)%5000)
			if _, err := e.Desk.SubmitRequest(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValidateRequest measures validation alone, the part of intake
// that runs in parallel outside the writer.
func BenchmarkValidateRequest(b *testing.B) {
	e := desktest.New(b)
	r := e.Request("invoice_question")
	p := e.Desk.Policy()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := desk.ValidateRequest(p, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueue measures the first queue page over 20,000 tickets.
func BenchmarkQueue(b *testing.B) {
	e := desktest.New(b)
	ctx := context.Background()
	if err := e.Desk.Seed(ctx, 20000, nil); err != nil {
		b.Fatal(err)
	}
	a := e.MustCreateAgent(b, "admin@example.org", "Admin", auth.Admin)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := e.Desk.Tickets(ctx, a, store.TicketFilter{Department: "support", Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchCommon measures a search for a word in 40 % of 20,000
// tickets.
func BenchmarkSearchCommon(b *testing.B) {
	e := desktest.New(b)
	ctx := context.Background()
	if err := e.Desk.Seed(ctx, 20000, nil); err != nil {
		b.Fatal(err)
	}
	a := e.MustCreateAgent(b, "admin@example.org", "Admin", auth.Admin)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := e.Desk.Search(ctx, a, desk.CommonWord, "", 20); err != nil {
			b.Fatal(err)
		}
	}
}
