package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"frist/internal/clock"
)

// After a RESTART checkpoint, shrinkLog cuts the log file back to within
// a step of the frames in use, reading their end from the WAL index; the
// database stays intact and writable, and the TRUNCATE after a sweep
// leaves an empty log.
func TestCheckpointShrinksLogInSteps(t *testing.T) {
	defer func(s int64) { shrinkStep = s }(shrinkStep)
	shrinkStep = 64 << 10
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "frist.db")
	db, err := Open(ctx, path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE blobs (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	write := func(rows int) {
		t.Helper()
		if err := db.Write(ctx, func(tx *Tx) error {
			_, err := tx.tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				INSERT INTO blobs (b) SELECT randomblob(3000) FROM n`, rows)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for range 8 {
		write(250)
	}
	walSize := func() int64 {
		t.Helper()
		st, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	full := walSize()
	if full < 4<<20 {
		t.Fatalf("log holds %d bytes, want several MiB", full)
	}
	end, ok, err := logEnd(db.checkpoints.walIndex())
	if err != nil || !ok {
		t.Fatalf("logEnd = %d, %v, %v", end, ok, err)
	}
	if (end-32)%(24+4096) != 0 || end > full || end < full/2 {
		t.Fatalf("logEnd = %d for a log file of %d bytes", end, full)
	}
	if busy, err := db.checkpoints.held(ctx, "RESTART", time.Second); err != nil || busy {
		t.Fatalf("RESTART: busy %v, %v", busy, err)
	}
	write(3) // frames at the start of the rewound log
	if err := db.checkpoints.shrinkLog(ctx); err != nil {
		t.Fatal(err)
	}
	end, ok, err = logEnd(db.checkpoints.walIndex())
	if err != nil || !ok {
		t.Fatalf("logEnd = %d, %v, %v", end, ok, err)
	}
	if got := walSize(); got >= full || got < end || got > end+shrinkStep {
		t.Fatalf("log file %d bytes after shrinking (was %d, frames end at %d, step %d)", got, full, end, shrinkStep)
	}
	write(3)
	var check string
	var n int
	if err := db.reader.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM blobs`).Scan(&n); err != nil || n != 2006 {
		t.Fatalf("%d rows, %v; want 2006", n, err)
	}
	if busy, err := db.Checkpoint(ctx, 5); err != nil || busy {
		t.Fatalf("Checkpoint: busy %v, %v", busy, err)
	}
	if got := walSize(); got != 0 {
		t.Fatalf("log file %d bytes after the TRUNCATE checkpoint", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM blobs`).Scan(&n); err != nil || n != 2006 {
		t.Fatalf("after reopening: %d rows, %v; want 2006", n, err)
	}
}

// While a checkpoint copies the log (the pause is up), background writes
// wait and foreground ones do not; the background write runs once the
// checkpoint is done. A PASSIVE checkpoint leaves the pause down again.
func TestBackgroundWritesWaitForCheckpoint(t *testing.T) {
	// Long enough that a slow machine does not end the wait early.
	defer func(d time.Duration) { backgroundYield = d }(backgroundYield)
	backgroundYield = time.Minute
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "frist.db"), clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE marks (what TEXT)`); err != nil {
		t.Fatal(err)
	}
	mark := func(what string) func(tx *Tx) error {
		return func(tx *Tx) error {
			_, err := tx.tx.ExecContext(ctx, `INSERT INTO marks (what) VALUES (?)`, what)
			return err
		}
	}
	db.paused.Add(1) // as checkpoints.passive does while it copies
	background := make(chan error, 1)
	go func() { background <- db.WriteBackground(ctx, mark("background")) }()
	time.Sleep(20 * time.Millisecond)
	if err := db.Write(ctx, mark("foreground")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-background:
		t.Fatalf("background write ended (%v) during the checkpoint", err)
	default:
	}
	db.paused.Add(-1)
	if err := <-background; err != nil {
		t.Fatal(err)
	}
	var order []string
	rows, err := db.reader.QueryContext(ctx, `SELECT what FROM marks ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatal(err)
		}
		order = append(order, w)
	}
	rows.Close()
	if len(order) != 2 || order[0] != "foreground" || order[1] != "background" {
		t.Errorf("writes in the order %v, want [foreground background]", order)
	}
	if _, err := db.checkpoints.passive(ctx); err != nil {
		t.Fatal(err)
	}
	if n := db.paused.Load(); n != 0 {
		t.Errorf("pause after a PASSIVE checkpoint = %d, want 0", n)
	}
}
