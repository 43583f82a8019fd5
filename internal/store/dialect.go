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

	// searchScale: a message's row in the search index is its id times
	// searchScale (see sqliteSearchScale); 1 where the index keys by id.
	searchScale int64

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

// sqliteSearchScale spreads the rows of the SQLite search index: a
// message's row is its id times this prime (migration 0008). FTS5 marks a
// deleted row with a tombstone in a hash table per segment, probed
// linearly from slot (row / pages) mod slots. Retention deletes the oldest
// messages first, so with rows numbered like messages the tombstones of a
// segment filled one contiguous run of slots, and every merge looked up
// each surviving row by walking that run: three quarters of the merge
// work during a sweep. Spaced by a prime, consecutive messages land about
// scale/pages slots apart, the hash stays scattered, and a lookup takes a
// probe or two. Order is kept, so newest-first search still walks the
// index backwards; consecutive rows differ by two bytes of varint instead
// of one (the index grows by about a quarter), and ids stay below 2^63 up
// to 9·10^14 messages.
const sqliteSearchScale = 10007

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
	searchScale: sqliteSearchScale,
	indexInsert: `INSERT INTO message_search (rowid, subject, body) VALUES (?, ?, ?)`,
	indexArgs:   func(r indexRow) []any { return []any{r.rowid * sqliteSearchScale, r.subject, r.body} },
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
	searchScale:   1,
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

// searchMessageID is the message id of the search index row s.
func (d *dialect) searchMessageID() string {
	if d.searchScale == 1 {
		return `s.rowid`
	}
	return `s.rowid / ` + strconv.FormatInt(d.searchScale, 10)
}

// searchRow is the search index row of the message whose id is the
// column id.
func (d *dialect) searchRow(id string) string {
	if d.searchScale == 1 {
		return id
	}
	return id + ` * ` + strconv.FormatInt(d.searchScale, 10)
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
