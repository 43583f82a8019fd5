package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"frist/internal/clock"
)

// TestMergeSearchIndex proves that SQLite's search index no longer merges
// inside the writes that fill it, and that the merge steps do merge,
// without losing an entry.
func TestMergeSearchIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "frist.db"), clock.Fixed(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.merger.close() // the steps below are the only merges
	err = db.Read(ctx, func(tx *Tx) error {
		for k, want := range map[string]int{"automerge": 0, "crisismerge": 64, "usermerge": 16} {
			var v int
			if err := tx.queryRow(`SELECT v FROM message_search_config WHERE k = ?`, k).Scan(&v); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			if v != want {
				return fmt.Errorf("%s = %d, want %d", k, v, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One transaction, one segment: 40 segments on level 0, enough for a
	// merge step (16).
	const n = 40
	for i := range n {
		err := db.Write(ctx, func(tx *Tx) error {
			_, err := tx.exec(`INSERT INTO message_search (rowid, subject, body) VALUES (?, ?, ?)`, i+1, "Drucker", fmt.Sprintf("Nummer%d druckt nicht", i))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	steps := 0
	for {
		merged, err := db.MergeSearchIndex(ctx, mergeStepPages)
		if err != nil {
			t.Fatal(err)
		}
		if !merged {
			break
		}
		if steps++; steps > 100 {
			t.Fatal("the merge steps do not come to an end")
		}
	}
	if steps == 0 {
		t.Fatalf("%d segments, yet no step merged", n)
	}
	var found int
	err = db.Read(ctx, func(tx *Tx) error {
		return tx.queryRow(`SELECT count(*) FROM message_search WHERE message_search MATCH 'drucker'`).Scan(&found)
	})
	if err != nil || found != n {
		t.Fatalf("%d of %d entries found after merging: %v", found, n, err)
	}
}

// TestPace proves that background work pauses as long as it held the
// writer while foreground writes go on, and not at all without them.
func TestPace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "frist.db"), clock.Fixed(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var seen uint64
	if err := db.Pace(ctx, &seen, time.Second); err != nil {
		t.Fatal(err)
	}
	write := func(background bool) {
		fn := func(tx *Tx) error { return tx.SetSetting("pace_test", "1") }
		var err error
		if background {
			err = db.WriteBackground(ctx, fn)
		} else {
			err = db.Write(ctx, fn)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	write(true)
	start := time.Now()
	if err := db.Pace(ctx, &seen, time.Second); err != nil || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("paused %v after background writes only (%v)", time.Since(start), err)
	}
	write(false)
	start = time.Now()
	if err := db.Pace(ctx, &seen, 50*time.Millisecond); err != nil || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("paused %v after a foreground write, want 50ms (%v)", time.Since(start), err)
	}
	start = time.Now()
	if err := db.Pace(ctx, &seen, time.Second); err != nil || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("paused %v again without new foreground writes (%v)", time.Since(start), err)
	}
}
