package desk

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"frist/internal/attachment"
	"frist/internal/clock"
	"frist/internal/store/storetest"
)

// TestSweepLateTransaction proves that a sweeper transaction that begins
// after its time slice is used up (a busy machine) still handles a batch:
// an empty transaction must not end the run while tickets are due.
func TestSweepLateTransaction(t *testing.T) {
	defer func(old time.Duration) { batchTarget = old }(batchTarget)
	batchTarget = 0
	clk := &clock.Test{}
	clk.Set(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clk)
	d, err := New(context.Background(), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	files, err := attachment.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d.SetFiles(files)
	const n = 3*retentionBatch + 7
	if err := d.SeedExpired(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	run, err := d.RunRetention(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Deleted != n {
		t.Fatalf("deleted %d of %d due tickets", run.Deleted, n)
	}
}
