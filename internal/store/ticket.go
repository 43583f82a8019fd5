package store

import (
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frist/internal/fault"
	"frist/internal/pii"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// NewTicket is everything intake stores for one request, in one go: the
// customer, the ticket with its form fields, the first message, the
// consent record and the search index entry.
type NewTicket struct {
	Ticket     *ticket.Ticket // ID, Customer.ID and timestamps are set by CreateTicket
	Body       string         // the customer's message
	StatusHash string         // auth.HashSecret of the status link secret
	Consent    privacy.Consent
	LegalBasis privacy.LegalBasis
	// RouteReason is what chose the department: "rule:<id>",
	// "default_department" or "request_type" (policy.Route.Reason).
	RouteReason string
	// BodyPII is the personal data the policy masked or flagged in the
	// subject and message (ticket.Message.PII of the first message).
	BodyPII []pii.Count
}

// CreateTicket stores a new request. The customer is found by email or
// created; their name and language are updated to the latest request's.
func (tx *Tx) CreateTicket(nt *NewTicket) error {
	t := nt.Ticket
	t.CreatedAt, t.UpdatedAt = tx.now, tx.now
	c := &t.Customer
	err := tx.queryRow(`INSERT INTO customers (email, name, language, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (email) DO UPDATE SET name = excluded.name, language = excluded.language
		RETURNING id`, c.Email, c.Name, c.Language, fmtTime(tx.now)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("upsert customer: %w", err)
	}
	// A legal hold on the customer covers their new tickets too.
	if err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM legal_holds WHERE customer_id = ? AND lifted_at IS NULL)`, c.ID).Scan(&t.Held); err != nil {
		return fmt.Errorf("legal hold: %w", err)
	}
	due, policy, state, check := slaColumns(t)
	r := retentionColumns(t)
	err = tx.queryRow(`INSERT INTO tickets (customer_id, request_type, department, status, priority, subject, language,
		status_hash, notice_version, created_at, updated_at, first_response_due, due_at, sla_policy, sla, sla_check_at,
		tags, retention, deletion_due, deletion_latest, retention_check_at, held)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ID, t.RequestType, t.Department, t.Status, t.Priority, t.Subject, t.Language,
		nt.StatusHash, t.NoticeVersion, fmtTime(tx.now), fmtTime(tx.now), fmtTime(t.FirstResponseDue), due, policy, state, check,
		r.tags, r.schedule, r.due, r.latest, r.check, t.Held).Scan(&t.ID)
	if err != nil {
		return mapError(err, "Ticket")
	}
	for k, v := range t.Fields {
		if _, err := tx.exec(`INSERT INTO ticket_fields (ticket_id, field, value) VALUES (?, ?, ?)`, t.ID, k, v); err != nil {
			return fmt.Errorf("insert field: %w", err)
		}
	}
	m := &ticket.Message{TicketID: t.ID, Visibility: ticket.Public, Author: ticket.ByCustomer, Body: nt.Body, PII: nt.BodyPII}
	if err := tx.createMessage(m, t.Subject); err != nil {
		return err
	}
	if err := tx.createConsent(t, nt.Consent, nt.LegalBasis); err != nil {
		return err
	}
	// The routing decision is the creation's reason: the rule that chose
	// the department, the default department or the request type's own.
	// (Tickets of earlier versions have a separate "routed" entry.)
	reason := nt.RouteReason
	if reason == "" {
		reason = "request_type"
	}
	return tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "created", To: string(t.Status), Reason: reason}, "customer")
}

func (tx *Tx) createConsent(t *ticket.Ticket, c privacy.Consent, basis privacy.LegalBasis) error {
	var id int64
	err := tx.queryRow(`INSERT INTO consents (ticket_id, customer_id, notice_version, notice_sha256, language, accepted, legal_basis, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.ID, t.Customer.ID, c.NoticeVersion, c.NoticeHash, c.Language, c.Accepted, string(basis), fmtTime(tx.now)).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert consent: %w", err)
	}
	for _, p := range c.Purposes {
		if _, err := tx.exec(`INSERT INTO consent_purposes (consent_id, purpose, granted) VALUES (?, ?, ?)`, id, p.Purpose, p.Granted); err != nil {
			return fmt.Errorf("insert consent purpose: %w", err)
		}
	}
	return nil
}

// FindConsents returns the consent records of a ticket, oldest first.
func (tx *Tx) FindConsents(ticketID int64) ([]privacy.Consent, error) {
	recs, err := tx.FindConsentRecords(ticketID)
	if err != nil {
		return nil, err
	}
	var out []privacy.Consent
	for _, r := range recs {
		out = append(out, r.Consent)
	}
	return out, nil
}

const ticketColumns = `t.id, t.request_type, t.department, t.status, t.priority, t.subject, t.language,
	t.assignee_id, COALESCE(u.name, ''), t.notice_version, t.created_at, t.updated_at, t.first_response_due,
	t.first_response_at, t.closed_at, c.id, c.name, c.email, c.language, t.sla,
	t.tags, t.retention, t.restricted, t.held, t.anonymised_at`

const ticketFrom = ` FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id `

func scanTicket(row interface{ Scan(...any) error }) (*ticket.Ticket, error) {
	t := &ticket.Ticket{}
	var assignee sql.NullInt64
	err := row.Scan(&t.ID, &t.RequestType, &t.Department, &t.Status, &t.Priority, &t.Subject, &t.Language,
		&assignee, &t.Assignee, &t.NoticeVersion, scanTime(&t.CreatedAt), scanTime(&t.UpdatedAt), scanTime(&t.FirstResponseDue),
		scanTime(&t.FirstResponseAt), scanTime(&t.ClosedAt), &t.Customer.ID, &t.Customer.Name, &t.Customer.Email, &t.Customer.Language, scanSLA(&t.SLA),
		scanTags(&t.Tags), scanSchedule(&t.Retention), &t.Restricted, &t.Held, scanTime(&t.AnonymisedAt))
	t.AssigneeID = assignee.Int64
	return t, err
}

// FindTicket returns the ticket with its customer and form fields.
// It returns a fault.NotFound error when there is none.
func (tx *Tx) FindTicket(id int64) (*ticket.Ticket, error) {
	return tx.findTicket(`t.id = ?`, id)
}

// FindTicketByStatusHash returns the ticket whose status link secret
// hashes to hash, or a fault.NotFound error.
func (tx *Tx) FindTicketByStatusHash(hash string) (*ticket.Ticket, error) {
	return tx.findTicket(`t.status_hash = ?`, hash)
}

func (tx *Tx) findTicket(where string, arg any) (*ticket.Ticket, error) {
	t, err := scanTicket(tx.queryRow(`SELECT `+ticketColumns+ticketFrom+`WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "Ticket not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find ticket: %w", err)
	}
	rows, err := tx.query(`SELECT field, value FROM ticket_fields WHERE ticket_id = ?`, t.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t.Fields = map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		t.Fields[k] = v
	}
	return t, rows.Err()
}

// SaveTicket writes a ticket's mutable attributes: status, priority,
// department, assignee, first response and closing time. Record what
// changed with AddChange.
func (tx *Tx) SaveTicket(t *ticket.Ticket) error {
	t.UpdatedAt = tx.now
	due, policy, state, check := slaColumns(t)
	r := retentionColumns(t)
	var assignee any
	if t.AssigneeID != 0 {
		assignee = t.AssigneeID
	}
	res, err := tx.exec(`UPDATE tickets SET status = ?, priority = ?, department = ?, assignee_id = ?, updated_at = ?,
		first_response_at = ?, closed_at = ?, due_at = ?, sla_policy = ?, sla = ?, sla_check_at = ?,
		tags = ?, retention = ?, deletion_due = ?, deletion_latest = ?, retention_check_at = ?, restricted = ?, held = ? WHERE id = ?`,
		t.Status, t.Priority, t.Department, assignee, fmtTime(tx.now), nullTime(t.FirstResponseAt), nullTime(t.ClosedAt), due, policy, state, check,
		r.tags, r.schedule, r.due, r.latest, r.check, t.Restricted, t.Held, t.ID)
	if err != nil {
		return mapError(err, "Ticket")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Errorf(fault.NotFound, "Ticket not found.")
	}
	return nil
}

// AddChange records one change in a ticket's history. actorKind is
// "agent", "customer" or "system".
func (tx *Tx) AddChange(c *ticket.Change, actorKind string) error {
	c.CreatedAt = tx.now
	var actor any
	if c.ActorID != 0 {
		actor = c.ActorID
	}
	return tx.queryRow(`INSERT INTO ticket_changes (ticket_id, actor_id, actor_kind, field, from_value, to_value, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.TicketID, actor, actorKind, c.Field, c.From, c.To, c.Reason, fmtTime(tx.now)).Scan(&c.ID)
}

// FindChanges returns a ticket's history, oldest first.
func (tx *Tx) FindChanges(ticketID int64) ([]ticket.Change, error) {
	rows, err := tx.query(`SELECT ch.id, ch.ticket_id, COALESCE(ch.actor_id, 0), COALESCE(u.name, ch.actor_kind), ch.field, ch.from_value, ch.to_value, ch.reason, ch.created_at
		FROM ticket_changes ch LEFT JOIN users u ON u.id = ch.actor_id WHERE ch.ticket_id = ? ORDER BY ch.id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ticket.Change
	for rows.Next() {
		var c ticket.Change
		if err := rows.Scan(&c.ID, &c.TicketID, &c.ActorID, &c.Actor, &c.Field, &c.From, &c.To, &c.Reason, scanTime(&c.CreatedAt)); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateMessage adds a message to a ticket and indexes it for search.
func (tx *Tx) CreateMessage(m *ticket.Message) error { return tx.createMessage(m, "") }

func (tx *Tx) createMessage(m *ticket.Message, subject string) error {
	m.CreatedAt = tx.now
	var agent any
	if m.AgentID != 0 {
		agent = m.AgentID
	}
	err := tx.queryRow(`INSERT INTO messages (ticket_id, visibility, author, agent_id, body, created_at, pii) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.TicketID, m.Visibility, m.Author, agent, m.Body, fmtTime(tx.now), fmtPII(m.PII)).Scan(&m.ID)
	if err != nil {
		return mapError(err, "Message")
	}
	tx.index = append(tx.index, indexRow{rowid: m.ID, ticketID: m.TicketID, subject: subject, body: m.Body})
	return nil
}

// FindMessages returns a ticket's messages, oldest first; internal notes
// only when includeInternal is set.
func (tx *Tx) FindMessages(ticketID int64, includeInternal bool) ([]ticket.Message, error) {
	q := `SELECT m.id, m.ticket_id, m.visibility, m.author, COALESCE(m.agent_id, 0), COALESCE(u.name, ''), m.body, m.created_at, m.pii
		FROM messages m LEFT JOIN users u ON u.id = m.agent_id WHERE m.ticket_id = ?`
	if !includeInternal {
		q += ` AND m.visibility = 'public'`
	}
	rows, err := tx.query(q+` ORDER BY m.id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ticket.Message
	for rows.Next() {
		var m ticket.Message
		var found string
		if err := rows.Scan(&m.ID, &m.TicketID, &m.Visibility, &m.Author, &m.AgentID, &m.AgentName, &m.Body, scanTime(&m.CreatedAt), &found); err != nil {
			return nil, err
		}
		m.PII = parsePII(found)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Sort orders of ticket lists.
const (
	SortDue    = "due"    // next deadline first
	SortOldest = "oldest" // oldest first
	SortNewest = "newest" // newest first
)

// Visibility of restricted tickets in lists and search.
const (
	RestrictedHide    = 0
	RestrictedInclude = 1
	RestrictedOnly    = 2
)

// TicketFilter selects tickets for a queue.
type TicketFilter struct {
	Statuses    []ticket.Status // empty: active tickets (new, open, waiting)
	Department  string          // "" for all visible departments
	Departments []string        // the caller may see only these; nil for all
	// Restricted: RestrictedHide (default) leaves restricted tickets out,
	// RestrictedInclude lists them too, RestrictedOnly lists only them.
	Restricted int
	Assignee   *int64 // nil: any; 0: unassigned; else that agent
	Sort       string // SortDue (default), SortOldest, SortNewest
	Cursor     string // from a previous page's next cursor
	Limit      int    // 1..200, default 50
}

// FindTickets returns a page of tickets and the cursor of the next page
// ("" when this is the last page).
func (tx *Tx) FindTickets(f TicketFilter) ([]*ticket.Ticket, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var where []string
	var args []any
	// Sorted by due time, the status filter should pick an index; sorted
	// by age, walking the primary key and filtering is fast for any status
	// that is not vanishingly rare, while the planner, given the choice,
	// fetches every ticket of the status and sorts them (seconds at a
	// million). "status || ''" keeps the status indexes out of that plan
	// in both SQLite and PostgreSQL.
	status := `t.status`
	if f.Sort == SortNewest || f.Sort == SortOldest {
		status = `t.status || ''`
	}
	if len(f.Statuses) == 0 {
		// The exact text of the partial indexes' predicate, so they serve it.
		where = append(where, status+` IN ('new', 'open', 'waiting')`)
	} else {
		where = append(where, status+` IN (`+placeholders(len(f.Statuses))+`)`)
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.Department != "" {
		where = append(where, `t.department = ?`)
		args = append(args, f.Department)
	}
	switch f.Restricted {
	case RestrictedHide:
		where = append(where, `t.restricted = ?`)
		args = append(args, false)
	case RestrictedOnly:
		where = append(where, `t.restricted = ?`)
		args = append(args, true)
	}
	if f.Departments != nil {
		where = append(where, `t.department IN (`+placeholders(len(f.Departments))+`)`)
		if len(f.Departments) == 0 {
			where[len(where)-1] = `1 = 0`
		}
		for _, d := range f.Departments {
			args = append(args, d)
		}
	}
	if f.Assignee != nil {
		if *f.Assignee == 0 {
			where = append(where, `t.assignee_id IS NULL`)
		} else {
			where = append(where, `t.assignee_id = ?`)
			args = append(args, *f.Assignee)
		}
	}
	var order string
	switch f.Sort {
	case SortOldest:
		order = `t.id`
		if f.Cursor != "" {
			id, err := strconv.ParseInt(f.Cursor, 10, 64)
			if err != nil {
				return nil, "", errCursor
			}
			where = append(where, `t.id > ?`)
			args = append(args, id)
		}
	case SortNewest:
		order = `t.id DESC`
		if f.Cursor != "" {
			id, err := strconv.ParseInt(f.Cursor, 10, 64)
			if err != nil {
				return nil, "", errCursor
			}
			where = append(where, `t.id < ?`)
			args = append(args, id)
		}
	case SortDue, "":
		order = `t.due_at, t.id`
		if f.Cursor != "" {
			due, id, err := decodeDueCursor(f.Cursor)
			if err != nil {
				return nil, "", errCursor
			}
			where = append(where, `(t.due_at > ? OR (t.due_at = ? AND t.id > ?))`)
			args = append(args, due, due, id)
		}
	default:
		return nil, "", fault.Fields("Invalid sort order.", fault.FieldError{Field: "sort", Message: "invalid_option"})
	}
	q := `SELECT ` + ticketColumns + `, t.due_at` + ticketFrom + `WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, f.Limit+1)
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find tickets: %w", err)
	}
	defer rows.Close()
	var out []*ticket.Ticket
	var dues []string
	for rows.Next() {
		var due string
		t := &ticket.Ticket{}
		var assignee sql.NullInt64
		err := rows.Scan(&t.ID, &t.RequestType, &t.Department, &t.Status, &t.Priority, &t.Subject, &t.Language,
			&assignee, &t.Assignee, &t.NoticeVersion, scanTime(&t.CreatedAt), scanTime(&t.UpdatedAt), scanTime(&t.FirstResponseDue),
			scanTime(&t.FirstResponseAt), scanTime(&t.ClosedAt), &t.Customer.ID, &t.Customer.Name, &t.Customer.Email, &t.Customer.Language, scanSLA(&t.SLA),
			scanTags(&t.Tags), scanSchedule(&t.Retention), &t.Restricted, &t.Held, scanTime(&t.AnonymisedAt), &due)
		if err != nil {
			return nil, "", err
		}
		t.AssigneeID = assignee.Int64
		out = append(out, t)
		dues = append(dues, due)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[len(out)-1]
		switch f.Sort {
		case SortOldest, SortNewest:
			next = strconv.FormatInt(last.ID, 10)
		default:
			next = encodeDueCursor(dues[f.Limit-1], last.ID)
		}
	}
	return out, next, nil
}

func encodeDueCursor(due string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(due + "|" + strconv.FormatInt(id, 10)))
}

func decodeDueCursor(s string) (string, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, err
	}
	due, idText, ok := strings.Cut(string(b), "|")
	if !ok {
		return "", 0, errors.New("bad cursor")
	}
	if _, err := time.Parse(time.RFC3339Nano, due); err != nil {
		return "", 0, err
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return due, id, err
}

// CountTickets counts tickets per status, for the queue's tabs.
func (tx *Tx) CountTickets(departments []string) (map[ticket.Status]int, error) {
	q := `SELECT status, count(*) FROM tickets`
	var args []any
	if departments != nil {
		q += ` WHERE department IN (` + placeholders(len(departments)) + `)`
		if len(departments) == 0 {
			q = `SELECT status, count(*) FROM tickets WHERE 1 = 0`
		}
		for _, d := range departments {
			args = append(args, d)
		}
	}
	rows, err := tx.query(q+` GROUP BY status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ticket.Status]int{}
	for rows.Next() {
		var s ticket.Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// errCursor answers a cursor that no page of this list handed out.
var errCursor = fault.Fields("This page of the list is invalid; start again from the first page.", fault.FieldError{Field: "cursor", Message: "invalid_cursor"})
