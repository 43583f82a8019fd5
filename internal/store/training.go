package store

import (
	"fmt"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// TrainingFilter selects the tickets of a training dataset. Empty fields
// do not filter.
type TrainingFilter struct {
	IDs         []int64 // only these tickets; nil: any
	RequestType string
	Department  string
	Departments []string // the caller may see only these; nil for all
	Statuses    []ticket.Status
	Since       time.Time // created at or after
	Until       time.Time // created before
}

// TrainingCandidate is a ticket a training filter matched, with what
// decides whether it may leave the installation.
type TrainingCandidate struct {
	ID         int64
	Restricted bool // GDPR Art. 18
	Held       bool // under a legal hold
	Anonymised bool // only statistics are left
}

// FindTrainingCandidates returns the tickets matching f in id order,
// restricted, held and anonymised ones included so that the caller can
// tell how many it leaves out.
func (tx *Tx) FindTrainingCandidates(f TrainingFilter) ([]TrainingCandidate, error) {
	var where []string
	var args []any
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		where = append(where, `id IN (`+placeholders(len(f.IDs))+`)`)
		args = append(args, int64Args(f.IDs)...)
	}
	if f.RequestType != "" {
		where = append(where, `request_type = ?`)
		args = append(args, f.RequestType)
	}
	if f.Department != "" {
		where = append(where, `department = ?`)
		args = append(args, f.Department)
	}
	if f.Departments != nil {
		if len(f.Departments) == 0 {
			return nil, nil
		}
		where = append(where, `department IN (`+placeholders(len(f.Departments))+`)`)
		for _, d := range f.Departments {
			args = append(args, d)
		}
	}
	if len(f.Statuses) > 0 {
		where = append(where, `status IN (`+placeholders(len(f.Statuses))+`)`)
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if !f.Since.IsZero() {
		where = append(where, `created_at >= ?`)
		args = append(args, fmtTime(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, `created_at < ?`)
		args = append(args, fmtTime(f.Until))
	}
	q := `SELECT id, restricted, held, anonymised_at IS NOT NULL FROM tickets`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := tx.query(q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find training tickets: %w", err)
	}
	defer rows.Close()
	var out []TrainingCandidate
	for rows.Next() {
		var c TrainingCandidate
		if err := rows.Scan(&c.ID, &c.Restricted, &c.Held, &c.Anonymised); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MaxTicketID returns the highest ticket id, 0 when there is none.
func (tx *Tx) MaxTicketID() (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM tickets`).Scan(&id)
	return id, err
}

// ConsentRecord is a consent record with the legal basis the request was
// handled on.
type ConsentRecord struct {
	privacy.Consent
	LegalBasis privacy.LegalBasis
}

// FindConsentRecords returns a ticket's consent records with their legal
// basis, oldest first.
func (tx *Tx) FindConsentRecords(ticketID int64) ([]ConsentRecord, error) {
	rows, err := tx.query(`SELECT id, notice_version, notice_sha256, language, accepted, legal_basis, created_at
		FROM consents WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	var out []ConsentRecord
	var ids []int64
	for rows.Next() {
		var c ConsentRecord
		var id int64
		if err := rows.Scan(&id, &c.NoticeVersion, &c.NoticeHash, &c.Language, &c.Accepted, &c.LegalBasis, scanTime(&c.At)); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		prow, err := tx.query(`SELECT purpose, granted FROM consent_purposes WHERE consent_id = ? ORDER BY purpose`, id)
		if err != nil {
			return nil, err
		}
		for prow.Next() {
			var p privacy.PurposeConsent
			if err := prow.Scan(&p.Purpose, &p.Granted); err != nil {
				prow.Close()
				return nil, err
			}
			out[i].Purposes = append(out[i].Purposes, p)
		}
		prow.Close()
		if err := prow.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// IsEmpty reports whether the database holds no installation yet: no
// policy was applied, and there are no accounts and no tickets.
func (tx *Tx) IsEmpty() (bool, error) {
	var n int
	err := tx.queryRow(`SELECT (SELECT count(*) FROM policies) + (SELECT count(*) FROM users) + (SELECT count(*) FROM tickets)`).Scan(&n)
	return n == 0, err
}

// ImportedChange is a history entry of an imported ticket with the kind
// of its actor ("agent", "customer" or "system").
type ImportedChange struct {
	ticket.Change
	ActorKind string
}

// ImportedTicket is a ticket with its whole history as a training dataset
// brings it into a new installation: with its id, its customer and every
// time as they are to be stored.
type ImportedTicket struct {
	// Ticket has its ID, Customer (found by email or created), attributes,
	// form fields, timestamps, SLA state and retention schedule set.
	Ticket     *ticket.Ticket
	StatusHash string           // auth.HashSecret of a status link secret
	Messages   []ticket.Message // oldest first, with CreatedAt and AgentID set
	Changes    []ImportedChange // oldest first, with CreatedAt set
	Consents   []ConsentRecord
	SLAEvents  []SLAEvent // with Due and CreatedAt set
}

// ImportTicket stores an imported ticket with the id and times it brings,
// and indexes its messages for search. It returns a fault.Conflict error
// when a ticket with the id exists. Call FinishImport after the last one.
func (tx *Tx) ImportTicket(it *ImportedTicket) error {
	t := it.Ticket
	c := &t.Customer
	err := tx.queryRow(`INSERT INTO customers (email, name, language, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (email) DO UPDATE SET name = excluded.name, language = excluded.language
		RETURNING id`, c.Email, c.Name, c.Language, fmtTime(t.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("import customer: %w", err)
	}
	var assignee any
	if t.AssigneeID != 0 {
		assignee = t.AssigneeID
	}
	due, policy, state, check := slaColumns(t)
	r := retentionColumns(t)
	_, err = tx.exec(`INSERT INTO tickets (id, customer_id, request_type, department, status, priority, subject, language, assignee_id,
		status_hash, notice_version, created_at, updated_at, first_response_due, first_response_at, closed_at, due_at, sla_policy, sla, sla_check_at,
		tags, retention, deletion_due, deletion_latest, retention_check_at, restricted, held)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, c.ID, t.RequestType, t.Department, t.Status, t.Priority, t.Subject, t.Language, assignee,
		it.StatusHash, t.NoticeVersion, fmtTime(t.CreatedAt), fmtTime(t.UpdatedAt), fmtTime(t.FirstResponseDue),
		nullTime(t.FirstResponseAt), nullTime(t.ClosedAt), due, policy, state, check,
		r.tags, r.schedule, r.due, r.latest, r.check, false, false)
	if err != nil {
		return mapError(err, "Ticket "+t.Number())
	}
	for k, v := range t.Fields {
		if _, err := tx.exec(`INSERT INTO ticket_fields (ticket_id, field, value) VALUES (?, ?, ?)`, t.ID, k, v); err != nil {
			return fmt.Errorf("import field: %w", err)
		}
	}
	for i := range it.Messages {
		m := &it.Messages[i]
		m.TicketID = t.ID
		var agent any
		if m.AgentID != 0 {
			agent = m.AgentID
		}
		err := tx.queryRow(`INSERT INTO messages (ticket_id, visibility, author, agent_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			t.ID, m.Visibility, m.Author, agent, m.Body, fmtTime(m.CreatedAt)).Scan(&m.ID)
		if err != nil {
			return mapError(err, "Message")
		}
		subject := ""
		if i == 0 {
			subject = t.Subject // indexed with the first message, as intake does
		}
		tx.index = append(tx.index, indexRow{rowid: m.ID, ticketID: t.ID, subject: subject, body: m.Body})
	}
	for i := range it.Changes {
		ch := &it.Changes[i]
		ch.TicketID = t.ID
		var actor any
		if ch.ActorID != 0 {
			actor = ch.ActorID
		}
		if _, err := tx.exec(`INSERT INTO ticket_changes (ticket_id, actor_id, actor_kind, field, from_value, to_value, reason, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, actor, ch.ActorKind, ch.Field, ch.From, ch.To, ch.Reason, fmtTime(ch.CreatedAt)); err != nil {
			return fmt.Errorf("import change: %w", err)
		}
	}
	for _, cr := range it.Consents {
		var id int64
		err := tx.queryRow(`INSERT INTO consents (ticket_id, customer_id, notice_version, notice_sha256, language, accepted, legal_basis, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.ID, c.ID, cr.NoticeVersion, cr.NoticeHash, cr.Language, cr.Accepted, string(cr.LegalBasis), fmtTime(cr.At)).Scan(&id)
		if err != nil {
			return fmt.Errorf("import consent: %w", err)
		}
		for _, p := range cr.Purposes {
			if _, err := tx.exec(`INSERT INTO consent_purposes (consent_id, purpose, granted) VALUES (?, ?, ?)`, id, p.Purpose, p.Granted); err != nil {
				return fmt.Errorf("import consent purpose: %w", err)
			}
		}
	}
	for _, e := range it.SLAEvents {
		if _, err := tx.exec(`INSERT INTO sla_events (ticket_id, department, policy, target, kind, action, due_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, e.Department, e.Policy, string(e.Target), e.Kind, e.Action,
			fmtTime(e.Due), fmtTime(e.CreatedAt)); err != nil {
			return fmt.Errorf("import SLA event: %w", err)
		}
	}
	return nil
}

// ImportUser stores an account that exists only as a name on imported
// tickets: disabled, with a password hash no password matches. It
// returns a fault.Conflict error when the email is taken.
func (tx *Tx) ImportUser(u *auth.User, departments []string) error {
	u.Disabled = true
	if u.CreatedAt.IsZero() {
		u.CreatedAt = tx.now
	}
	err := tx.queryRow(`INSERT INTO users (email, name, role, departments, password_hash, disabled, available, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		strings.ToLower(u.Email), u.Name, u.Role, strings.Join(departments, ","), "!", true, false, fmtTime(u.CreatedAt)).Scan(&u.ID)
	return mapError(err, "An account with this email")
}

// FinishImport moves identity counters past the imported ids (on
// PostgreSQL; SQLite continues after the highest rowid by itself), so
// that tickets created later get new numbers.
func (tx *Tx) FinishImport() error { return tx.d.resetIdentities(tx) }
