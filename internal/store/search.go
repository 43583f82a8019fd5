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
	IncludeInternal bool     // whether internal notes are searched
	Cursor          string
	Limit           int // 1..100, default 20
}

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
	if f.Cursor != "" {
		c, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil {
			return nil, "", errCursor
		}
		where = append(where, `s.rowid < ?`)
		args = append(args, c)
	}
	// Fetch a few more message hits than tickets wanted: several messages
	// of one ticket may match.
	args = append(args, 3*f.Limit+1)
	rows, err := tx.query(`SELECT s.rowid, m.ticket_id FROM message_search s
		JOIN messages m ON m.id = s.rowid JOIN tickets t ON t.id = m.ticket_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY s.rowid DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("search: %w", err)
	}
	type hit struct{ msg, ticket int64 }
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.msg, &h.ticket); err != nil {
			rows.Close()
			return nil, "", err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	seen := map[int64]bool{}
	var out []SearchHit
	next := ""
	for i, h := range hits {
		if len(out) == f.Limit {
			next = strconv.FormatInt(hits[i-1].msg, 10)
			break
		}
		if seen[h.ticket] {
			continue
		}
		seen[h.ticket] = true
		t, err := scanTicket(tx.queryRow(`SELECT `+ticketColumns+ticketFrom+`WHERE t.id = ?`, h.ticket))
		if err != nil {
			return nil, "", fmt.Errorf("search: load ticket: %w", err)
		}
		var m ticket.Message
		err = tx.queryRow(`SELECT id, ticket_id, visibility, author, body, created_at FROM messages WHERE id = ?`, h.msg).
			Scan(&m.ID, &m.TicketID, &m.Visibility, &m.Author, &m.Body, scanTime(&m.CreatedAt))
		if err != nil {
			return nil, "", fmt.Errorf("search: load message: %w", err)
		}
		out = append(out, SearchHit{Ticket: t, Message: m})
	}
	if next == "" && len(hits) == 3*f.Limit+1 {
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
