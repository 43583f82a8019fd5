package store

import (
	"fmt"
	"strconv"
	"strings"
)

// dialect is the named seam between the two databases: everything else is
// one query for both.
type dialect struct {
	name string

	// prepare: prepare statements once per transaction (SQLite parses
	// every statement anew otherwise; pgx caches prepared statements per
	// connection by itself).
	prepare bool

	// readOnlyTx: begin reads as READ ONLY transactions (SQLite's reader
	// pool is read-only by a pragma instead).
	readOnlyTx bool

	// numbered: placeholders are $1, $2, … instead of ?.
	numbered bool

	// migrationLock is the advisory lock key that serialises migrations
	// of nodes starting at once, or "" where one process owns the file.
	migrationLock string

	// searchMatch is the WHERE condition of a full-text search on the
	// message_search table aliased s; searchArgs gives its arguments for
	// the words of a query.
	searchMatch string
	searchArgs  func(words []string) []any

	// searchWindow: search the newest searchWindow messages first, then
	// the rest through the index (see Tx.Search); 0 to let the database
	// choose.
	searchWindow int64

	// indexInsert adds one message to the search index; indexArgs gives
	// its arguments.
	indexInsert string
	indexArgs   func(r indexRow) []any

	// skipLocked ends a locking subquery: rows other transactions hold are
	// skipped. "" on SQLite, whose single writer holds every row.
	skipLocked string

	// resetIdentities moves identity counters past the highest id after
	// rows were copied in with their ids.
	resetIdentities func(tx *Tx) error
}

// identityTables have generated ids.
var identityTables = []string{"policies", "users", "api_tokens", "customers", "tickets", "messages", "ticket_changes", "consents", "sla_events", "attachments", "legal_holds", "deletion_log", "retention_recomputations", "audit_log"}

var sqliteDialect = &dialect{
	name:        "sqlite",
	prepare:     true,
	searchMatch: `message_search MATCH ?`,
	searchArgs: func(words []string) []any {
		// Each word quoted, so that no input is read as FTS5 syntax.
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = `"` + w + `"`
		}
		return []any{strings.Join(q, " ")}
	},
	indexInsert: `INSERT INTO message_search (rowid, subject, body) VALUES (?, ?, ?)`,
	indexArgs:   func(r indexRow) []any { return []any{r.rowid, r.subject, r.body} },
	// SQLite's rowid continues after the highest one by itself.
	resetIdentities: func(*Tx) error { return nil },
}

var postgresDialect = &dialect{
	name:          "postgres",
	skipLocked:    " FOR UPDATE SKIP LOCKED",
	readOnlyTx:    true,
	numbered:      true,
	migrationLock: "7246311",
	searchWindow:  2000,
	// A ticket is indexed with the text search configuration of its
	// language; a query matches in either, so that German and English
	// words are both found with their stems.
	searchMatch: `s.doc @@ (to_tsquery('german', ?) || to_tsquery('english', ?))`,
	searchArgs: func(words []string) []any {
		// Words hold only letters and digits; quoting keeps them literal.
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = `'` + w + `'`
		}
		all := strings.Join(q, " & ")
		return []any{all, all}
	},
	indexInsert: `INSERT INTO message_search (rowid, doc)
		SELECT ?, setweight(to_tsvector(l.cfg, ?), 'A') || to_tsvector(l.cfg, ?)
		FROM (SELECT CASE WHEN language = 'en' THEN 'english' ELSE 'german' END::regconfig AS cfg FROM tickets WHERE id = ?) l`,
	indexArgs: func(r indexRow) []any { return []any{r.rowid, r.subject, r.body, r.ticketID} },
	resetIdentities: func(tx *Tx) error {
		for _, t := range identityTables {
			if _, err := tx.exec(`SELECT setval(pg_get_serial_sequence('` + t + `', 'id'), COALESCE((SELECT max(id) FROM ` + t + `), 0) + 1, false)`); err != nil {
				return fmt.Errorf("reset %s ids: %w", t, err)
			}
		}
		return nil
	},
}

// rebind turns ? placeholders into $1, $2, … where the dialect numbers
// them. Question marks inside quoted strings and identifiers stay.
func (d *dialect) rebind(query string) string {
	if !d.numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
