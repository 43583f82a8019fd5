package store

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"frist/internal/fault"
	"frist/internal/ticket"
)

// SearchFilter is a full-text search over subjects and messages.
type SearchFilter struct {
	Query           string
	Departments     []string // the caller may see only these; nil for all
	WithRestricted  bool     // whether restricted tickets are found (privacy officers)
	IncludeInternal bool     // whether internal notes are searched
	Cursor          string
	Limit           int // 1..100, default 20
}

// hit is a message that matched and its ticket.
type hit struct{ msg, ticket int64 }

// SearchHit is one ticket found, with the message that matched.
type SearchHit struct {
	Ticket  *ticket.Ticket
	Message ticket.Message
}

// ErrEmptyQuery is returned for a query without any word.
var ErrEmptyQuery = fault.Fields("Enter at least one word to search for.", fault.FieldError{Field: "q", Message: "required"})

// searchWords splits what a user typed into the words a search must all
// match: letters and digits only, so that no input is read as query
// syntax by either database, and at most 16.
func searchWords(q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 16 {
		words = words[:16]
	}
	return words
}

// Search finds tickets whose subject or messages contain all words of the
// query, most recent match first. Ranking the whole match set by relevance
// costs time proportional to the number of matches; recency order lets the
// index stop after one page.
func (tx *Tx) Search(f SearchFilter) ([]SearchHit, string, error) {
	words := searchWords(f.Query)
	if len(words) == 0 {
		return nil, "", ErrEmptyQuery
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	where := []string{tx.d.searchMatch}
	args := tx.d.searchArgs(words)
	if !f.WithRestricted {
		where = append(where, `t.restricted = ?`)
		args = append(args, false)
	}
	if f.Departments != nil {
		if len(f.Departments) == 0 {
			return nil, "", nil
		}
		where = append(where, `t.department IN (`+placeholders(len(f.Departments))+`)`)
		for _, d := range f.Departments {
			args = append(args, d)
		}
	}
	if !f.IncludeInternal {
		where = append(where, `m.visibility = 'public'`)
	}
	var cursor int64
	if f.Cursor != "" {
		c, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil {
			return nil, "", errCursor
		}
		cursor = c
		where = append(where, `s.rowid < ?`)
		args = append(args, c*tx.d.searchScale)
	}
	// Fetch a few more message hits than tickets wanted: several messages
	// of one ticket may match.
	want := 3*f.Limit + 1
	fetch := func(where []string, args []any, order string, n int) ([]hit, error) {
		args = append(args, n)
		rows, err := tx.query(`SELECT m.id, m.ticket_id FROM message_search s
		JOIN messages m ON m.id = `+tx.d.searchMessageID()+` JOIN tickets t ON t.id = m.ticket_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`, args...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		defer rows.Close()
		var hits []hit
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.msg, &h.ticket); err != nil {
				return nil, err
			}
			hits = append(hits, h)
		}
		return hits, rows.Err()
	}
	var hits []hit
	var err error
	if window := tx.d.searchWindow; window > 0 {
		hits, err = tx.searchWindowed(words, where, args, cursor, window, want, fetch)
	} else {
		hits, err = fetch(where, args, `s.rowid DESC`, want)
	}
	if err != nil {
		return nil, "", err
	}
	// One ticket per hit, up to the page size; then load the page's
	// tickets and messages with one query each.
	seen := map[int64]bool{}
	var page []hit
	next := ""
	for i, h := range hits {
		if len(page) == f.Limit {
			next = strconv.FormatInt(hits[i-1].msg, 10)
			break
		}
		if !seen[h.ticket] {
			seen[h.ticket] = true
			page = append(page, h)
		}
	}
	if len(page) == 0 {
		return nil, "", nil
	}
	ticketIDs, msgIDs := make([]any, len(page)), make([]any, len(page))
	for i, h := range page {
		ticketIDs[i], msgIDs[i] = h.ticket, h.msg
	}
	tickets := map[int64]*ticket.Ticket{}
	rows, err := tx.query(`SELECT `+ticketColumns+ticketFrom+`WHERE t.id IN (`+placeholders(len(page))+`)`, ticketIDs...)
	if err != nil {
		return nil, "", fmt.Errorf("search: load tickets: %w", err)
	}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("search: load tickets: %w", err)
		}
		tickets[t.ID] = t
	}
	rows.Close()
	messages := map[int64]ticket.Message{}
	rows, err = tx.query(`SELECT id, ticket_id, visibility, author, body, created_at, pii FROM messages WHERE id IN (`+placeholders(len(page))+`)`, msgIDs...)
	if err != nil {
		return nil, "", fmt.Errorf("search: load messages: %w", err)
	}
	for rows.Next() {
		var m ticket.Message
		var found string
		if err := rows.Scan(&m.ID, &m.TicketID, &m.Visibility, &m.Author, &m.Body, scanTime(&m.CreatedAt), &found); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("search: load messages: %w", err)
		}
		m.PII = parsePII(found)
		messages[m.ID] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var out []SearchHit
	for _, h := range page {
		if t, ok := tickets[h.ticket]; ok {
			out = append(out, SearchHit{Ticket: t, Message: messages[h.msg]})
		}
	}
	if next == "" && len(hits) == want {
		next = strconv.FormatInt(hits[len(hits)-2].msg, 10)
	}
	return out, next, nil
}

// CountIndexRows returns the number of messages in the search index, for
// checks that deleted or rolled-back messages left nothing behind.
func (tx *Tx) CountIndexRows() (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM message_search`).Scan(&n)
	return n, err
}

// CountMessages returns the number of messages, which is the number of
// live entries of the search index.
func (tx *Tx) CountMessages() (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM messages`).Scan(&n)
	return n, err
}

// searchWindowed finds the newest want matches below cursor in two steps
// that need no estimate of how common the words are, which PostgreSQL's
// planner gets wrong enough to walk a million rows where an index finds
// ten. First the newest window messages, walked newest first: for a common
// word that is a full page at once. Then, for rarer words, the index alone
// gives the ids of older matches (newest first, a thousand at a time) and
// only those ids are joined with tickets for the permission filters.
// where[0] is the match condition and args start with its arguments.
func (tx *Tx) searchWindowed(words []string, where []string, args []any, cursor, window int64, want int, fetch func([]string, []any, string, int) ([]hit, error)) ([]hit, error) {
	// Plan with the actual bounds: a generic plan would not know that
	// the window is a thousandth of the table.
	if _, err := tx.exec(`SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	upper := cursor
	if upper == 0 {
		if err := tx.queryRow(`SELECT COALESCE(MAX(rowid), 0) + 1 FROM message_search`).Scan(&upper); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	lower := upper - window
	hits, err := fetch(append(where[:len(where):len(where)], `s.rowid >= ?`), append(args[:len(args):len(args)], lower), `s.rowid DESC`, want)
	if err != nil {
		return nil, err
	}
	matchArgs := tx.d.searchArgs(words)
	filters, filterArgs := where[1:], args[len(matchArgs):]
	if cursor != 0 {
		// The cursor bound is the last filter; lower is below it anyway.
		filters, filterArgs = filters[:len(filters)-1], filterArgs[:len(filterArgs)-1]
	}
	const step = 1000
	for len(hits) < want && lower > 0 {
		rows, err := tx.query(`SELECT rowid FROM message_search s WHERE `+where[0]+` AND s.rowid < ? ORDER BY s.rowid + 0 DESC LIMIT ?`,
			append(matchArgs[:len(matchArgs):len(matchArgs)], lower, step)...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			break
		}
		more, err := fetch(append(filters[:len(filters):len(filters)], `s.rowid IN (`+placeholders(len(ids))+`)`),
			append(filterArgs[:len(filterArgs):len(filterArgs)], ids...), `s.rowid DESC`, want-len(hits))
		if err != nil {
			return nil, err
		}
		hits = append(hits, more...)
		if len(ids) < step {
			break
		}
		lower = ids[len(ids)-1].(int64)
	}
	return hits, nil
}
