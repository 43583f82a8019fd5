package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frist/internal/clock"
	"frist/internal/privacy"
	"frist/internal/ticket"
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
	var pace Pacer
	for {
		merged, err := db.MergeSearchIndex(ctx, &pace, mergeStepPages)
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

// The migrations that rebuild the SQLite search index spell the scale
// out; it must be the one the code uses.
func TestSearchScaleMatchesMigration(t *testing.T) {
	for _, name := range []string{"0008_search_rows", "0009_search_detail_none"} {
		b, err := migrations.ReadFile("migrations/sqlite/" + name + ".sql")
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("m.id * %d,", sqliteSearchScale)
		if !strings.Contains(string(b), want) {
			t.Errorf("migration %s does not number rows as %q", name, want)
		}
	}
}

// Migration 0009 leaves an index without word positions that keeps the
// settings of migrations 0005 and 0007, migration 0010 turns deletemerge
// off, and search still finds every word of subject and body.
func TestSearchDetailNoneMigration(t *testing.T) {
	ctx := context.Background()
	db := migratedSearchDB(t)
	var ddl string
	if err := db.reader.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE name = 'message_search'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ddl, "detail = none") || !strings.Contains(ddl, "contentless_delete = 1") {
		t.Fatalf("search index: %s", ddl)
	}
	settings := map[string]int{}
	rows, err := db.reader.QueryContext(ctx, `SELECT k, v FROM message_search_config WHERE k IN ('secure-delete', 'automerge', 'crisismerge', 'usermerge', 'deletemerge')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var v int
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		settings[k] = v
	}
	rows.Close()
	if want := map[string]int{"secure-delete": 1, "automerge": 0, "crisismerge": 64, "usermerge": 16, "deletemerge": 0}; fmt.Sprint(settings) != fmt.Sprint(want) {
		t.Fatalf("search index settings %v, want %v", settings, want)
	}
	createSearchTicket(t, db, "Druckerproblem im Büro", "Der Toner ist leer")
	for q, want := range map[string]int{"toner": 1, "buro druckerproblem": 1, "Toner leer": 1, "toner drucker": 0, "leer büro": 1} {
		var hits []SearchHit
		err := db.Read(ctx, func(tx *Tx) error {
			var err error
			hits, _, err = tx.Search(SearchFilter{Query: q, IncludeInternal: true})
			return err
		})
		if err != nil || len(hits) != want {
			t.Errorf("search %q: %d hits, %v; want %d", q, len(hits), err, want)
		}
	}
}

// An index written before migration 0008 (rows numbered like messages) is
// renumbered by it: search finds the ticket afterwards, and deleting the
// ticket's entries leaves the index empty.
func TestSearchRowsMigration(t *testing.T) {
	ctx := context.Background()
	db := migratedSearchDB(t)
	tk := createSearchTicket(t, db, "Druckerproblem", "Der Toner ist leer")
	// Back to the numbering before 0008.
	err := db.Write(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`INSERT INTO message_search (message_search) VALUES ('delete-all')`,
			`INSERT INTO message_search (rowid, subject, body) SELECT m.id, t.subject, m.body FROM messages m JOIN tickets t ON t.id = m.ticket_id`,
			`DELETE FROM schema_migrations WHERE version = '0008_search_rows'`,
		} {
			if _, err := tx.exec(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.Migrate(ctx); err != nil || n != 1 {
		t.Fatalf("migrate: %d, %v", n, err)
	}
	for _, q := range []string{"toner", "druckerproblem"} {
		var hits []SearchHit
		err := db.Read(ctx, func(tx *Tx) error {
			var err error
			hits, _, err = tx.Search(SearchFilter{Query: q, IncludeInternal: true})
			return err
		})
		if err != nil || len(hits) != 1 || hits[0].Ticket.ID != tk.ID {
			t.Fatalf("search %q after migration: %d hits, %v", q, len(hits), err)
		}
	}
	err = db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM message_search WHERE rowid IN (SELECT id * ? FROM messages WHERE ticket_id = ?)`, sqliteSearchScale, tk.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Errorf("deleted %d index rows by message id, want 1", n)
		}
		n, err := tx.CountIndexRows()
		if err == nil && n != 0 {
			t.Errorf("%d index rows left", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// migratedSearchDB opens a migrated SQLite database in a temporary
// directory, closed when the test ends.
func migratedSearchDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "frist.db"), clock.Fixed(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// createSearchTicket creates a ticket of Erika Mustermann's with the
// subject and first message body.
func createSearchTicket(t *testing.T, db *DB, subject, body string) *ticket.Ticket {
	t.Helper()
	tk := &ticket.Ticket{RequestType: "general_question", Department: "support", Status: ticket.New, Priority: ticket.Normal,
		Subject: subject, Language: "de", Customer: ticket.Customer{Name: "Erika Mustermann", Email: "erika@example.org", Language: "de"},
		FirstResponseDue: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC), NoticeVersion: "1"}
	err := db.Write(context.Background(), func(tx *Tx) error {
		return tx.CreateTicket(&NewTicket{Ticket: tk, Body: body, StatusHash: "status " + subject + " " + body,
			Consent: privacy.Consent{NoticeVersion: "1", NoticeHash: "h", Language: "de", Accepted: true}, LegalBasis: privacy.BasisContract})
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}
