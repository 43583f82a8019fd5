package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver Frist uses
)

// DeleteBaseline is what plain SQLite does when it deletes messages and
// their full-text entries, without any of Frist's code: the yardstick of
// the retention sweeper.
type DeleteBaseline struct {
	Tickets          int     `json:"tickets"`
	Rows             int     `json:"rows"` // messages deleted, each with its search entry
	Seconds          float64 `json:"seconds"`
	RowsPerSecond    float64 `json:"rows_per_s"`
	TicketsPerSecond float64 `json:"tickets_per_s"`
}

// MeasureSQLiteDelete creates a scratch SQLite database in dir with the
// pragmas Frist opens its database with (WAL, synchronous=NORMAL,
// secure_delete), a messages table and a contentless FTS5 index with
// secure-delete like Frist's search index, fills it with tickets ×
// perTicket messages of a few dozen words and then deletes them, batch
// tickets per transaction, search entries first, in the order they were
// written. Only the deletion is timed.
func MeasureSQLiteDelete(ctx context.Context, dir string, tickets, perTicket, batch int) (DeleteBaseline, error) {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)", "temp_store(MEMORY)", "cache_size(-32000)", "secure_delete(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "baseline.db")+"?"+q.Encode())
	if err != nil {
		return DeleteBaseline{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		`CREATE TABLE messages (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, body TEXT NOT NULL)`,
		`CREATE INDEX messages_ticket ON messages (ticket_id, id)`,
		`CREATE VIRTUAL TABLE message_search USING fts5 (subject, body, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2')`,
		`INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1)`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return DeleteBaseline{}, fmt.Errorf("baseline: %w", err)
		}
	}
	if err := fillBaseline(ctx, db, tickets, perTicket); err != nil {
		return DeleteBaseline{}, err
	}
	start := time.Now()
	rows := 0
	for from := 0; from < tickets; from += batch {
		k := min(batch, tickets-from)
		args := make([]any, k)
		for i := range args {
			args[i] = from + i
		}
		in := "(?" + strings.Repeat(", ?", k-1) + ")"
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM message_search WHERE rowid IN (SELECT id FROM messages WHERE ticket_id IN `+in+`)`, args...); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE ticket_id IN `+in, args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			rows += int(n)
			return nil
		})
		if err != nil {
			return DeleteBaseline{}, fmt.Errorf("baseline: delete: %w", err)
		}
	}
	s := time.Since(start).Seconds()
	return DeleteBaseline{Tickets: tickets, Rows: rows, Seconds: round(s, 2),
		RowsPerSecond: round(float64(rows)/s, 1), TicketsPerSecond: round(float64(tickets)/s, 1)}, nil
}

// fillBaseline writes the messages, 5,000 tickets per transaction, and
// indexes each transaction's messages at its end, as Frist's intake does.
func fillBaseline(ctx context.Context, db *sql.DB, tickets, perTicket int) error {
	words := strings.Fields(`Guten Tag ich habe eine Frage zu meinem Vertrag der Lieferung dem Passwort der Anmeldung
		hello I have a question about my contract the delivery password login invoice please help thank you
		Drucker Bildschirm Verbindung langsam Fehler Meldung Konto Kündigung Adresse Umzug Tarif Gutschrift`)
	rng := rand.New(rand.NewPCG(3, 4))
	id := 0
	for from := 0; from < tickets; from += 5000 {
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			type row struct {
				id            int
				subject, body string
			}
			var index []row
			for t := from; t < min(from+5000, tickets); t++ {
				subject := fmt.Sprintf("Frage %d %s", t, words[rng.IntN(len(words))])
				for m := range perTicket {
					var b strings.Builder
					for range 15 + rng.IntN(60) {
						b.WriteString(words[rng.IntN(len(words))])
						b.WriteByte(' ')
					}
					id++
					if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, ticket_id, body) VALUES (?, ?, ?)`, id, t, b.String()); err != nil {
						return err
					}
					r := row{id: id, body: b.String()}
					if m == 0 {
						r.subject = subject
					}
					index = append(index, r)
				}
			}
			for _, r := range index {
				if _, err := tx.ExecContext(ctx, `INSERT INTO message_search (rowid, subject, body) VALUES (?, ?, ?)`, r.id, r.subject, r.body); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("baseline: fill: %w", err)
		}
	}
	return nil
}

func inTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
