package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

type retentionCols struct {
	tags, schedule string
	due, latest    any
	check          string
}

// retentionColumns returns what the tickets table keeps of a ticket's
// retention: tags, the schedule as JSON, the deletion dates and when the
// sweeper must next look (never while a legal hold applies).
func retentionColumns(t *ticket.Ticket) retentionCols {
	c := retentionCols{check: noDeadline}
	if len(t.Tags) > 0 {
		c.tags = "," + strings.Join(t.Tags, ",") + ","
	}
	s := t.Retention
	if s.IsZero() {
		return c
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("store: marshal retention schedule: %v", err)) // plain data; cannot fail
	}
	c.schedule = string(b)
	if s.Due != nil {
		c.due, c.latest = fmtTime(*s.Due), fmtTime(*s.Latest)
	}
	if next := s.Next(t.Restricted); !next.IsZero() && !t.Held {
		c.check = fmtTime(next)
	}
	return c
}

// scanTags scans the tags column (",a,b,").
func scanTags(dst *[]string) sql.Scanner { return tagScanner{dst} }

type tagScanner struct{ dst *[]string }

func (s tagScanner) Scan(v any) error {
	var x string
	switch v := v.(type) {
	case string:
		x = v
	case []byte:
		x = string(v)
	}
	*s.dst = nil
	for _, t := range strings.Split(x, ",") {
		if t != "" {
			*s.dst = append(*s.dst, t)
		}
	}
	return nil
}

// scanSchedule scans the retention column: "" means no schedule.
func scanSchedule(dst *privacy.Schedule) sql.Scanner { return scheduleScanner{dst} }

type scheduleScanner struct{ dst *privacy.Schedule }

func (s scheduleScanner) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	}
	*s.dst = privacy.Schedule{}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, s.dst); err != nil {
		return fmt.Errorf("retention column: %w", err)
	}
	return nil
}

// DueRetention returns up to limit ids of tickets whose retention needs
// the sweeper at or before now, oldest first. On PostgreSQL the rows are
// locked and rows other nodes hold are skipped.
func (tx *Tx) DueRetention(now time.Time, limit int) ([]int64, error) {
	rows, err := tx.query(`SELECT id FROM tickets WHERE retention_check_at <= ? ORDER BY retention_check_at, id LIMIT ?`+tx.d.skipLocked,
		fmtTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due retention: %w", err)
	}
	return scanIDs(rows)
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// FindTicketsByID returns the tickets with the ids, with their form
// fields, in id order; ids that do not exist are left out.
func (tx *Tx) FindTicketsByID(ids []int64) ([]*ticket.Ticket, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := int64Args(ids)
	rows, err := tx.query(`SELECT `+ticketColumns+ticketFrom+`WHERE t.id IN (`+placeholders(len(ids))+`) ORDER BY t.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find tickets: %w", err)
	}
	var out []*ticket.Ticket
	byID := map[int64]*ticket.Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		t.Fields = map[string]string{}
		out = append(out, t)
		byID[t.ID] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(`SELECT ticket_id, field, value FROM ticket_fields WHERE ticket_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find fields: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k, v string
		if err := rows.Scan(&id, &k, &v); err != nil {
			return nil, err
		}
		if t := byID[id]; t != nil {
			t.Fields[k] = v
		}
	}
	return out, rows.Err()
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// Removed counts what a deletion removed, per kind of data.
type Removed struct {
	Tickets     int `json:"tickets,omitempty"`
	Messages    int `json:"messages,omitempty"`
	Attachments int `json:"attachments,omitempty"`
	Fields      int `json:"fields,omitempty"`
	Consents    int `json:"consents,omitempty"`
	History     int `json:"history,omitempty"`
	SLAEvents   int `json:"sla_events,omitempty"`
	SearchIndex int `json:"search_index,omitempty"`
	Customers   int `json:"customers,omitempty"`
	StatusLinks int `json:"status_links,omitempty"`
	LegalHolds  int `json:"legal_holds,omitempty"`
}

// countPerTicket runs a grouped count for the tickets.
func (tx *Tx) countPerTicket(table, column string, ids []int64) (map[int64]int, error) {
	rows, err := tx.query(`SELECT `+column+`, count(*) FROM `+table+` WHERE `+column+` IN (`+placeholders(len(ids))+`) GROUP BY `+column, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("count %s: %w", table, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// CountData returns per ticket how many messages, attachments and form
// field values it holds: what a deletion would remove.
func (tx *Tx) CountData(ids []int64) (map[int64]Removed, error) {
	out := map[int64]Removed{}
	if len(ids) == 0 {
		return out, nil
	}
	msgs, err := tx.countPerTicket("messages", "ticket_id", ids)
	if err != nil {
		return nil, err
	}
	atts, err := tx.countPerTicket("attachments", "ticket_id", ids)
	if err != nil {
		return nil, err
	}
	fields, err := tx.countPerTicket("ticket_fields", "ticket_id", ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = Removed{Tickets: 1, Messages: msgs[id], Attachments: atts[id], Fields: fields[id]}
	}
	return out, nil
}

// DeleteTickets deletes tickets and everything about them: messages and
// their search entries, form fields, attachments (their files are queued
// in file_deletions), history, SLA events, consent records, legal holds,
// the status link, and customers left without tickets and holds. It
// returns what it removed per ticket and the storage keys of the files to
// delete once the transaction committed.
func (tx *Tx) DeleteTickets(ids []int64) (map[int64]Removed, []string, error) {
	out, keys, err := tx.purgeContent(ids, true)
	if err != nil || len(ids) == 0 {
		return out, keys, err
	}
	out, err = tx.deleteTicketRows(ids, out)
	return out, keys, err
}

func (tx *Tx) deleteTicketRows(ids []int64, out map[int64]Removed) (map[int64]Removed, error) {
	args := int64Args(ids)
	// Children first, so that cascades have nothing left to look for;
	// consent purposes before their consents.
	if _, err := tx.exec(`DELETE FROM consent_purposes WHERE consent_id IN (SELECT id FROM consents WHERE ticket_id IN (`+placeholders(len(ids))+`))`, args...); err != nil {
		return nil, fmt.Errorf("delete consent purposes: %w", err)
	}
	for _, x := range []struct {
		table string
		set   func(*Removed, int)
	}{
		{"ticket_changes", func(r *Removed, n int) { r.History = n }},
		{"sla_events", func(r *Removed, n int) { r.SLAEvents = n }},
		{"consents", func(r *Removed, n int) { r.Consents = n }},
		{"legal_holds", func(r *Removed, n int) { r.LegalHolds = n }},
	} {
		counts, err := tx.deletePerTicket(x.table, ids)
		if err != nil {
			return nil, err
		}
		for id, n := range counts {
			r := out[id]
			x.set(&r, n)
			out[id] = r
		}
	}
	rows, err := tx.query(`DELETE FROM tickets WHERE id IN (`+placeholders(len(ids))+`) RETURNING customer_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("delete tickets: %w", err)
	}
	var customers []any
	seen := map[int64]bool{}
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		n++
		if !seen[id] {
			seen[id] = true
			customers = append(customers, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delete tickets: %w", err)
	}
	if n != len(ids) {
		return nil, fmt.Errorf("delete tickets: %d of %d deleted", n, len(ids))
	}
	for _, id := range ids {
		r := out[id]
		r.Tickets, r.StatusLinks = 1, 1
		out[id] = r
	}
	if err := tx.deleteOrphanCustomers(customers, ids, out); err != nil {
		return nil, err
	}
	return out, nil
}

// deleteOrphanCustomers deletes the customers left without tickets and
// without an active legal hold, and counts each on one of the tickets.
func (tx *Tx) deleteOrphanCustomers(customers []any, ids []int64, out map[int64]Removed) error {
	if len(customers) == 0 {
		return nil
	}
	rows, err := tx.query(`DELETE FROM customers WHERE id IN (`+placeholders(len(customers))+`)
		AND NOT EXISTS (SELECT 1 FROM tickets WHERE customer_id = customers.id)
		AND NOT EXISTS (SELECT 1 FROM legal_holds WHERE customer_id = customers.id AND lifted_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM consents WHERE customer_id = customers.id)
		RETURNING id`, customers...)
	if err != nil {
		return fmt.Errorf("delete customers: %w", err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Lifted holds on a deleted customer go with it.
	if n > 0 && len(ids) > 0 {
		r := out[ids[0]]
		r.Customers += n
		out[ids[0]] = r
	}
	return nil
}

// purgeContent removes the personal content of tickets that anonymising
// and deleting share: messages with their search entries and
// attachments, and form field values. Each delete returns the tickets of
// its rows, which are counted from there: a count before it would read
// the same rows again while the writer is held.
func (tx *Tx) purgeContent(ids []int64, deleting bool) (map[int64]Removed, []string, error) {
	out := map[int64]Removed{}
	if len(ids) == 0 {
		return out, nil, nil
	}
	args := int64Args(ids)
	in := `(` + placeholders(len(ids)) + `)`
	rows, err := tx.query(`DELETE FROM attachments WHERE ticket_id IN `+in+` RETURNING ticket_id, storage_key`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("delete attachments: %w", err)
	}
	atts := map[int64]int{}
	var keys []string
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			rows.Close()
			return nil, nil, err
		}
		atts[id]++
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("delete attachments: %w", err)
	}
	if err := tx.QueueFileDeletions(keys); err != nil {
		return nil, nil, err
	}
	// The SQLite FTS5 index is contentless and has no foreign key: its
	// rows go by message id times the dialect's search scale.
	res, err := tx.exec(`DELETE FROM message_search WHERE rowid IN (SELECT `+tx.d.searchRow("id")+` FROM messages WHERE ticket_id IN `+in+`)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("delete search entries: %w", err)
	}
	indexed, _ := res.RowsAffected()
	if cursor, rebuilding, err := tx.rebuildCursor(); err != nil {
		return nil, nil, fmt.Errorf("delete search entries: %w", err)
	} else if rebuilding {
		if _, err := tx.exec(`DELETE FROM message_search_new WHERE rowid IN (SELECT `+tx.d.searchRow("id")+` FROM messages WHERE ticket_id IN `+in+` AND id <= ?)`,
			append(args[:len(args):len(args)], cursor)...); err != nil {
			return nil, nil, fmt.Errorf("delete search entries: %w", err)
		}
	}
	msgs, err := tx.deletePerTicket("messages", ids)
	if err != nil {
		return nil, nil, err
	}
	fields, err := tx.deletePerTicket("ticket_fields", ids)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		r := Removed{Messages: msgs[id], Attachments: atts[id], Fields: fields[id]}
		if indexed > 0 {
			r.SearchIndex = r.Messages
		}
		if deleting {
			r.Tickets = 1
		}
		out[id] = r
	}
	return out, keys, nil
}

// deletePerTicket deletes the rows of a table that belong to the tickets
// and returns how many each ticket had.
func (tx *Tx) deletePerTicket(table string, ids []int64) (map[int64]int, error) {
	rows, err := tx.query(`DELETE FROM `+table+` WHERE ticket_id IN (`+placeholders(len(ids))+`) RETURNING ticket_id`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("delete %s: %w", table, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id]++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delete %s: %w", table, err)
	}
	return out, nil
}

// anonymousCustomer is the email of the one customer row anonymised
// tickets point to; it is not an email address, so no request can match it.
const anonymousCustomer = "anonymous"

// AnonymiseTickets removes every personal datum of tickets and keeps what
// statistics need (request type, department, priority, status, dates, SLA,
// history of ids): messages, search entries, attachments, form fields,
// subject, tags, consent records and the status link go; the customer becomes
// the anonymous one and is deleted when left without tickets.
func (tx *Tx) AnonymiseTickets(ids []int64) (map[int64]Removed, []string, error) {
	out, keys, err := tx.purgeContent(ids, false)
	if err != nil || len(ids) == 0 {
		return out, keys, err
	}
	out, err = tx.anonymiseTicketRows(ids, out)
	return out, keys, err
}

func (tx *Tx) anonymiseTicketRows(ids []int64, out map[int64]Removed) (map[int64]Removed, error) {
	args := int64Args(ids)
	in := `(` + placeholders(len(ids)) + `)`
	if _, err := tx.exec(`DELETE FROM consent_purposes WHERE consent_id IN (SELECT id FROM consents WHERE ticket_id IN `+in+`)`, args...); err != nil {
		return nil, fmt.Errorf("delete consent purposes: %w", err)
	}
	consents, err := tx.deletePerTicket("consents", ids)
	if err != nil {
		return nil, err
	}
	var anon int64
	if err := tx.queryRow(`INSERT INTO customers (email, name, language, created_at) VALUES (?, '', 'de', ?)
		ON CONFLICT (email) DO UPDATE SET name = '' RETURNING id`, anonymousCustomer, fmtTime(time.Unix(0, 0))).Scan(&anon); err != nil {
		return nil, fmt.Errorf("anonymous customer: %w", err)
	}
	var customers []any
	rows, err := tx.query(`SELECT DISTINCT customer_id FROM tickets WHERE id IN `+in, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		customers = append(customers, id)
	}
	rows.Close()
	// The status link hash is replaced by a value no secret hashes to.
	// Tags are agents' free words: they go, and so do their history values.
	if _, err := tx.exec(`UPDATE ticket_changes SET from_value = '', to_value = '' WHERE field = 'tags' AND ticket_id IN `+in, args...); err != nil {
		return nil, fmt.Errorf("anonymise tag history: %w", err)
	}
	if _, err := tx.exec(`UPDATE tickets SET subject = '', tags = '', customer_id = ?, status_hash = 'anonymised:' || CAST(id AS TEXT),
		retention = '', deletion_due = NULL, deletion_latest = NULL, retention_check_at = ?, restricted = ?, anonymised_at = ?
		WHERE id IN `+in, append([]any{anon, noDeadline, false, fmtTime(tx.now)}, args...)...); err != nil {
		return nil, fmt.Errorf("anonymise tickets: %w", err)
	}
	for id, r := range out {
		r.Consents, r.StatusLinks = consents[id], 1
		out[id] = r
	}
	if err := tx.deleteOrphanCustomers(customers, ids, out); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteFields deletes form field values of a ticket (attribute-level
// retention) and returns how many were removed.
func (tx *Tx) DeleteFields(ticketID int64, fields []string) (int, error) {
	if len(fields) == 0 {
		return 0, nil
	}
	args := []any{ticketID}
	for _, f := range fields {
		args = append(args, f)
	}
	res, err := tx.exec(`DELETE FROM ticket_fields WHERE ticket_id = ? AND field IN (`+placeholders(len(fields))+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("delete fields: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeletionEntry is one row of the deletion log (Löschprotokoll). It holds
// no personal data: the ticket number is a pseudonym once the ticket is
// gone.
type DeletionEntry struct {
	ID          int64
	Pseudonym   string
	Action      privacy.RetentionAction
	Rule        string
	RuleVersion string
	Class       string
	Due         time.Time
	Done        time.Time
	Removed     Removed
}

// AddDeletions writes deletion log entries.
func (tx *Tx) AddDeletions(es []DeletionEntry) error {
	const per = 100
	for len(es) > 0 {
		n := min(per, len(es))
		var sb strings.Builder
		args := make([]any, 0, n*8)
		for i, e := range es[:n] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			b, _ := json.Marshal(e.Removed)
			args = append(args, e.Pseudonym, string(e.Action), e.Rule, e.RuleVersion, e.Class, fmtTime(e.Due), fmtTime(tx.now), string(b))
		}
		if _, err := tx.exec(`INSERT INTO deletion_log (pseudonym, action, rule, rule_version, class, due_at, done_at, removed) VALUES `+sb.String(), args...); err != nil {
			return fmt.Errorf("deletion log: %w", err)
		}
		es = es[n:]
	}
	return nil
}

// DeletionFilter selects deletion log entries.
type DeletionFilter struct {
	From, To time.Time // done in [From, To); zero: open
	Action   string
	Rule     string
	Cursor   string
	Limit    int // 1..1000, default 100
}

// FindDeletions returns a page of the deletion log, newest first, and the
// next page's cursor.
func (tx *Tx) FindDeletions(f DeletionFilter) ([]DeletionEntry, string, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	where := []string{"1 = 1"}
	var args []any
	if f.Cursor != "" {
		id, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || id <= 0 {
			return nil, "", errCursor
		}
		where = append(where, "id < ?")
		args = append(args, id)
	}
	if !f.From.IsZero() {
		where = append(where, "done_at >= ?")
		args = append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "done_at < ?")
		args = append(args, fmtTime(f.To))
	}
	if f.Action != "" {
		where = append(where, "action = ?")
		args = append(args, f.Action)
	}
	if f.Rule != "" {
		where = append(where, "rule = ?")
		args = append(args, f.Rule)
	}
	rows, err := tx.query(`SELECT id, pseudonym, action, rule, rule_version, class, due_at, done_at, removed FROM deletion_log
		WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("deletion log: %w", err)
	}
	defer rows.Close()
	var out []DeletionEntry
	for rows.Next() {
		var e DeletionEntry
		var removed string
		if err := rows.Scan(&e.ID, &e.Pseudonym, &e.Action, &e.Rule, &e.RuleVersion, &e.Class, scanTime(&e.Due), scanTime(&e.Done), &removed); err != nil {
			return nil, "", err
		}
		if err := json.Unmarshal([]byte(removed), &e.Removed); err != nil {
			return nil, "", fmt.Errorf("deletion log: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = strconv.FormatInt(out[len(out)-1].ID, 10)
	}
	return out, next, nil
}

// Hold is a legal hold on a ticket or on all tickets of a customer.
type Hold struct {
	ID          int64
	TicketID    int64 // 0 for a hold on a customer
	CustomerID  int64 // 0 for a hold on a ticket
	Reason      string
	PlacedBy    int64
	PlacedAt    time.Time
	LiftedBy    int64
	LiftedAt    time.Time // zero while active
	LiftReason  string
	PlacedName  string // display names, when loaded
	LiftedName  string
	CustomerRef string // the customer's email, for privacy officers' lists
}

// AddHold places a legal hold and marks the tickets it covers as held.
func (tx *Tx) AddHold(h *Hold) error {
	h.PlacedAt = tx.now
	var ticketID, customerID any
	if h.TicketID != 0 {
		ticketID = h.TicketID
	}
	if h.CustomerID != 0 {
		customerID = h.CustomerID
	}
	err := tx.queryRow(`INSERT INTO legal_holds (ticket_id, customer_id, reason, placed_by, placed_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		ticketID, customerID, h.Reason, h.PlacedBy, fmtTime(tx.now)).Scan(&h.ID)
	if err != nil {
		return mapError(err, "Legal hold")
	}
	return nil
}

// LiftHold lifts an active hold.
func (tx *Tx) LiftHold(h *Hold) error {
	res, err := tx.exec(`UPDATE legal_holds SET lifted_by = ?, lifted_at = ?, lift_reason = ? WHERE id = ? AND lifted_at IS NULL`,
		h.LiftedBy, fmtTime(tx.now), h.LiftReason, h.ID)
	if err != nil {
		return fmt.Errorf("lift hold: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Errorf(fault.Conflict, "This legal hold is not active.")
	}
	h.LiftedAt = tx.now
	return nil
}

const holdColumns = `h.id, COALESCE(h.ticket_id, 0), COALESCE(h.customer_id, 0), h.reason, COALESCE(h.placed_by, 0), h.placed_at,
	COALESCE(h.lifted_by, 0), h.lifted_at, h.lift_reason, COALESCE(p.name, ''), COALESCE(l.name, ''), COALESCE(c.email, '')
	FROM legal_holds h LEFT JOIN users p ON p.id = h.placed_by LEFT JOIN users l ON l.id = h.lifted_by LEFT JOIN customers c ON c.id = h.customer_id`

func scanHold(row interface{ Scan(...any) error }) (Hold, error) {
	var h Hold
	err := row.Scan(&h.ID, &h.TicketID, &h.CustomerID, &h.Reason, &h.PlacedBy, scanTime(&h.PlacedAt),
		&h.LiftedBy, scanTime(&h.LiftedAt), &h.LiftReason, &h.PlacedName, &h.LiftedName, &h.CustomerRef)
	return h, err
}

// FindHold returns the hold with the id.
func (tx *Tx) FindHold(id int64) (Hold, error) {
	h, err := scanHold(tx.queryRow(`SELECT `+holdColumns+` WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, fault.Errorf(fault.NotFound, "Legal hold not found.")
	}
	return h, err
}

// FindHolds returns holds, newest first: all of a ticket (and of its
// customer) when ticketID is set, else a page of all holds (active only
// when activeOnly).
func (tx *Tx) FindHolds(ticketID int64, activeOnly bool, cursor string, limit int) ([]Hold, string, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where := []string{"1 = 1"}
	var args []any
	if ticketID != 0 {
		where = append(where, `(h.ticket_id = ? OR h.customer_id = (SELECT customer_id FROM tickets WHERE id = ?))`)
		args = append(args, ticketID, ticketID)
	}
	if activeOnly {
		where = append(where, "h.lifted_at IS NULL")
	}
	if cursor != "" {
		id, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || id <= 0 {
			return nil, "", errCursor
		}
		where = append(where, "h.id < ?")
		args = append(args, id)
	}
	rows, err := tx.query(`SELECT `+holdColumns+` WHERE `+strings.Join(where, " AND ")+` ORDER BY h.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("legal holds: %w", err)
	}
	defer rows.Close()
	var out []Hold
	for rows.Next() {
		h, err := scanHold(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(out[len(out)-1].ID, 10)
	}
	return out, next, nil
}

// HeldTickets returns the ids of the tickets a hold covers: its ticket, or
// all tickets of its customer.
func (tx *Tx) HeldTickets(h Hold) ([]int64, error) {
	if h.TicketID != 0 {
		return []int64{h.TicketID}, nil
	}
	rows, err := tx.query(`SELECT id FROM tickets WHERE customer_id = ? ORDER BY id`, h.CustomerID)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// IsHeld reports whether an active hold covers the ticket.
func (tx *Tx) IsHeld(ticketID int64) (bool, error) {
	var held bool
	err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL AND
		(h.ticket_id = ? OR h.customer_id = (SELECT customer_id FROM tickets WHERE id = ?)))`, ticketID, ticketID).Scan(&held)
	return held, err
}

// FindCustomerID returns the id of the customer with the email.
func (tx *Tx) FindCustomerID(email string) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT id FROM customers WHERE email = ?`, strings.ToLower(strings.TrimSpace(email))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fault.Errorf(fault.NotFound, "No customer with this email address.")
	}
	return id, err
}

// RetentionIDs returns a page of ids of tickets that carry a schedule, in
// id order after the given id, for recomputation and planning.
func (tx *Tx) RetentionIDs(after int64, limit int) ([]int64, error) {
	rows, err := tx.query(`SELECT id FROM tickets WHERE id > ? AND anonymised_at IS NULL ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// DueRetentionPage returns ids of unheld tickets whose next retention
// event is at or before asOf, in id order after the given id.
func (tx *Tx) DueRetentionPage(asOf time.Time, after int64, limit int) ([]int64, error) {
	rows, err := tx.query(`SELECT id FROM tickets WHERE retention_check_at <= ? AND id > ? ORDER BY id LIMIT ?`, fmtTime(asOf), after, limit)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// RetentionStatus sums up the state of retention for the dashboard and
// metrics.
type RetentionStatus struct {
	Overdue    int // past their latest deletion date and not held: a compliance breach
	DueNow     int // past their earliest deletion date
	Restricted int
	Held       int
}

// RetentionStatus counts overdue, due, restricted and held tickets.
func (tx *Tx) RetentionStatus(now time.Time) (RetentionStatus, error) {
	var s RetentionStatus
	n := fmtTime(now)
	err := tx.queryRow(`SELECT
		(SELECT count(*) FROM tickets WHERE deletion_latest IS NOT NULL AND deletion_latest < ? AND held = ?),
		(SELECT count(*) FROM tickets WHERE deletion_latest IS NOT NULL AND deletion_due <= ? AND held = ?),
		(SELECT count(*) FROM tickets WHERE restricted = ?),
		(SELECT count(*) FROM tickets WHERE held = ?)`, n, false, n, false, true, true).Scan(&s.Overdue, &s.DueNow, &s.Restricted, &s.Held)
	return s, err
}

// Recomputation is one recomputation of deletion dates after a rule
// change.
type Recomputation struct {
	ID       int64
	At       time.Time
	Cause    string // policy, effective_date
	Rules    string // fingerprint of the rules in force
	Examined int
	Changed  int
	Done     time.Time // zero while running
}

// StartRecomputation records the start of a recomputation.
func (tx *Tx) StartRecomputation(r *Recomputation) error {
	r.At = tx.now
	return tx.queryRow(`INSERT INTO retention_recomputations (at, cause, rules, examined, changed) VALUES (?, ?, ?, 0, 0) RETURNING id`,
		fmtTime(tx.now), r.Cause, r.Rules).Scan(&r.ID)
}

// UpdateRecomputation records a recomputation's progress; done ends it.
func (tx *Tx) UpdateRecomputation(r *Recomputation, done bool) error {
	var doneAt any
	if done {
		r.Done = tx.now
		doneAt = fmtTime(tx.now)
	}
	_, err := tx.exec(`UPDATE retention_recomputations SET examined = ?, changed = ?, done_at = ? WHERE id = ?`, r.Examined, r.Changed, doneAt, r.ID)
	return err
}

// FindRecomputations returns the newest recomputations.
func (tx *Tx) FindRecomputations(limit int) ([]Recomputation, error) {
	rows, err := tx.query(`SELECT id, at, cause, rules, examined, changed, done_at FROM retention_recomputations ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Recomputation
	for rows.Next() {
		var r Recomputation
		if err := rows.Scan(&r.ID, scanTime(&r.At), &r.Cause, &r.Rules, &r.Examined, &r.Changed, scanTime(&r.Done)); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Checkpoint copies the SQLite write-ahead log into the database file and
// truncates it, so that deleted content does not linger in old WAL
// frames. Readers keep a checkpoint from completing; rather than holding
// the single writer while it waits for them, each attempt waits at most
// 20 ms and leaves the writer to others between attempts. It reports busy
// when attempts attempts did not succeed. It is a no-op on PostgreSQL.
func (db *DB) Checkpoint(ctx context.Context, attempts int) (busy bool, err error) {
	if db.dialect.name != sqliteDialect.name {
		return false, nil
	}
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return true, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
		// Like the RESTART checkpoints under load (checkpoints.held): most
		// of the log is copied without the writer first, so that the
		// checkpoints that hold it have little left to copy. A RESTART
		// first, then the log file is cut back in steps, so that the
		// TRUNCATE has little left to free.
		busy, err = db.checkpoints.held(ctx, "RESTART", 20*time.Millisecond)
		if err != nil {
			return busy, err
		}
		if !busy {
			if err := db.checkpoints.shrinkLog(ctx); err != nil {
				return false, fmt.Errorf("shrink log: %w", err)
			}
			busy, err = db.checkpoints.held(ctx, "TRUNCATE", 20*time.Millisecond)
		}
		if err != nil || !busy {
			return busy, err
		}
	}
	return true, nil
}

// SaveRetention writes a ticket's retention columns only (schedule,
// dates, restriction, hold), without counting as activity.
func (tx *Tx) SaveRetention(t *ticket.Ticket) error {
	r := retentionColumns(t)
	_, err := tx.exec(`UPDATE tickets SET tags = ?, retention = ?, deletion_due = ?, deletion_latest = ?, retention_check_at = ?, restricted = ?, held = ? WHERE id = ?`,
		r.tags, r.schedule, r.due, r.latest, r.check, t.Restricted, t.Held, t.ID)
	if err != nil {
		return fmt.Errorf("save retention: %w", err)
	}
	return nil
}

// CountHeldDue counts held tickets whose deletion date is at or before
// asOf: what a legal hold keeps from being deleted.
func (tx *Tx) CountHeldDue(asOf time.Time) (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM tickets WHERE held = ? AND deletion_due IS NOT NULL AND deletion_due <= ?`, true, fmtTime(asOf)).Scan(&n)
	return n, err
}

// CompactSearchIndex rewrites the SQLite full-text index until it is one
// segment, so that no trace of deleted messages is left in its pages.
// FTS5's secure-delete removes most entries of a deleted message at once
// but can leave a term behind (e.g. the first term of a page); a full
// merge removes it. The merge runs in steps of mergeStepPages pages, each
// its own transaction, so that intake waits at most one step. It is a
// no-op on PostgreSQL, whose GIN index drops dead entries on VACUUM.
func (db *DB) CompactSearchIndex(ctx context.Context, progress func(step int)) error {
	if db.dialect.name != sqliteDialect.name {
		return nil
	}
	// Intake adds a segment with every commit, so "until nothing is left
	// to merge" may never come under load: enough steps to merge what
	// exists now.
	var pages int64
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM message_search_data`).Scan(&pages); err != nil {
		return fmt.Errorf("compact search index: %w", err)
	}
	// Steps as small as the background merger's hold the writer for
	// milliseconds each, so intake goes on in between.
	for step := 1; step <= int(pages/mergeStepPages)+2; step++ {
		var before, after int64
		err := db.WriteBackground(ctx, func(tx *Tx) error {
			if err := tx.queryRow(`SELECT total_changes()`).Scan(&before); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO message_search (message_search, rank) VALUES ('merge', ?)`, -mergeStepPages); err != nil {
				return err
			}
			return tx.queryRow(`SELECT total_changes()`).Scan(&after)
		})
		if err != nil {
			return fmt.Errorf("compact search index: %w", err)
		}
		if progress != nil {
			progress(step)
		}
		// Fewer than two changes: nothing was left to merge.
		if after-before < 2 {
			return nil
		}
	}
	return nil
}
