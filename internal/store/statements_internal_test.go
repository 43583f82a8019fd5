package store

import (
	"context"
	"path/filepath"
	"testing"

	"frist/internal/clock"
)

// A statement a write transaction prepared is kept for the next ones,
// which use it without preparing again, and it follows schema changes.
func TestWriterKeepsStatements(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "frist.db"), clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO notes (body) VALUES (?)`
	var fresh [][]string
	write := func(body string) {
		t.Helper()
		if err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.exec(insert, body); err != nil {
				return err
			}
			fresh = append(fresh, tx.fresh)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	write("eins")
	if db.prepared.get(insert) == nil {
		t.Fatal("the insert was not kept after its transaction")
	}
	write("zwei")
	if len(fresh[0]) != 1 || len(fresh[1]) != 0 {
		t.Fatalf("prepared anew per transaction: %v", fresh)
	}
	// A kept statement survives a schema change of its table.
	if _, err := db.writer.ExecContext(ctx, `ALTER TABLE notes ADD COLUMN extra TEXT NOT NULL DEFAULT ''`); err != nil {
		t.Fatal(err)
	}
	write("drei")
	// Read transactions do not keep statements.
	if err := db.Read(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT count(*) FROM notes WHERE extra = ''`).Scan(&n); err != nil {
			return err
		}
		if n != 3 {
			t.Errorf("%d notes, want 3", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if db.prepared.get(`SELECT count(*) FROM notes WHERE extra = ''`) != nil {
		t.Error("a read transaction's statement was kept for the writer")
	}
}
