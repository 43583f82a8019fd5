package desk_test

import (
	"context"
	"testing"
	"time"

	"frist/internal/desk/desktest"
)

// BenchmarkSweepRetention measures the retention sweeper deleting due
// tickets, each with three messages, their search entries, one attached
// file, a form field, a consent record and history. Every iteration
// seeds benchExpired tickets (not timed) and sweeps them; tickets/s is
// the figure to compare, docs/performance.md puts it next to a plain
// SQLite deletion measured in the same run.
func BenchmarkSweepRetention(b *testing.B) {
	const benchExpired = 2000
	e := desktest.New(b)
	ctx := context.Background()
	var deleted int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := e.Desk.SeedExpired(ctx, benchExpired, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		run, err := e.Desk.RunRetention(ctx, nil, nil)
		took += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if run.Deleted != benchExpired {
			b.Fatalf("deleted %d of %d tickets", run.Deleted, benchExpired)
		}
		deleted += run.Deleted
	}
	b.ReportMetric(float64(deleted)/took.Seconds(), "tickets/s")
}
