package store

import (
	"context"
	"fmt"
	"testing"

	"frist/internal/ticket"
)

// A rebuild of the search index ends with exactly the messages left, also
// those written and deleted while it ran, by this process or another, and
// leaves no old or half-built index behind.
func TestRebuildSearchIndex(t *testing.T) {
	defer func(n int) { rebuildStep = n }(rebuildStep)
	rebuildStep = 2
	ctx := context.Background()
	db := migratedSearchDB(t)
	create := func(word string) *ticket.Ticket {
		t.Helper()
		return createSearchTicket(t, db, "Rechnung "+word, "Lieferung "+word)
	}
	// Another process on the same file, like frist retention run beside
	// the server.
	other, err := Open(ctx, db.path, db.clock)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	remove := func(db *DB, tk *ticket.Ticket) {
		t.Helper()
		if err := db.Write(ctx, func(tx *Tx) error {
			_, _, err := tx.DeleteTickets([]int64{tk.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	matches := func(word string) int {
		t.Helper()
		var n int
		if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM message_search WHERE message_search MATCH ?`, word).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var tickets []*ticket.Ticket
	for i := range 12 {
		tickets = append(tickets, create(fmt.Sprintf("wort%d", i)))
	}
	for _, tk := range tickets[:8] {
		remove(db, tk)
	}
	steps := 0
	err = db.RebuildSearchIndex(ctx, func(step int) {
		steps++
		switch step {
		case 1: // indexed already: must leave the new index too
			remove(other, tickets[8])
		case 2: // after the cursor: the rebuild must pick it up
			create("neuwort")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if steps < 3 {
		t.Fatalf("%d steps, want several of %d messages", steps, rebuildStep)
	}
	for i, tk := range tickets {
		want := 0
		if i > 8 {
			want = 1
		}
		if got := matches(fmt.Sprintf("wort%d", i)); got != want {
			t.Errorf("ticket %d (%d): %d matches, want %d", i, tk.ID, got, want)
		}
	}
	if matches("neuwort") != 1 {
		t.Error("the ticket written during the rebuild is not found")
	}
	var indexed, messages, leftovers int
	if err := db.Read(ctx, func(tx *Tx) error {
		var err error
		if indexed, err = tx.CountIndexRows(); err != nil {
			return err
		}
		messages, err = tx.CountMessages()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if indexed != messages || messages != 4 {
		t.Errorf("%d index rows for %d messages, want 4 each", indexed, messages)
	}
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name LIKE 'message_search_old%' OR name LIKE 'message_search_new%'`).Scan(&leftovers); err != nil {
		t.Fatal(err)
	}
	if leftovers != 0 {
		t.Errorf("%d tables of the old or new index left", leftovers)
	}
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Errorf("integrity check: %v", err)
	}
	var settings int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM message_search_config WHERE (k, v) IN (VALUES ('secure-delete', 1), ('automerge', 0), ('crisismerge', 64), ('usermerge', 16), ('deletemerge', 0))`).Scan(&settings); err != nil {
		t.Fatal(err)
	}
	if settings != 5 {
		t.Errorf("the rebuilt index has %d of the 5 settings", settings)
	}
}

// A rebuild left unfinished by a stopped process is cleaned up when the
// database is opened and migrated again.
func TestRebuildLeftoversDropped(t *testing.T) {
	ctx := context.Background()
	db := migratedSearchDB(t)
	for _, name := range []string{"message_search_new", "message_search_old"} {
		for _, q := range searchTable(name) {
			if _, err := db.writer.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name LIKE 'message_search_old%' OR name LIKE 'message_search_new%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d tables of an unfinished rebuild left", n)
	}
}
