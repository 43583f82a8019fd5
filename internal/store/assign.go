package store

import (
	"fmt"
	"strconv"
	"strings"

	"frist/internal/fault"
	"frist/internal/ticket"
)

// AgentLoad is an agent who may get tickets of a department, with the
// active tickets (new, open, waiting) they hold in any department.
type AgentLoad struct {
	ID        int64
	Available bool
	Skills    []string
	MaxOpen   int    // 0: no cap
	Calendar  string // working hours; "": around the clock
	Open      map[ticket.Priority]int
}

// FindAgentLoads returns the enabled agents and administrators who may see
// the department (their departments include it, or they have all), in id
// order, with their active tickets counted by priority. Trainees and
// privacy officers are never assigned automatically. The counts use the
// partial index of active tickets by assignee.
func (tx *Tx) FindAgentLoads(department string) ([]AgentLoad, error) {
	rows, err := tx.query(`SELECT u.id, u.available, u.skills, u.max_open, u.calendar, COALESCE(t.priority, ''), count(t.id)
		FROM users u LEFT JOIN tickets t ON t.assignee_id = u.id AND t.status IN ('new', 'open', 'waiting')
		WHERE NOT u.disabled AND u.role IN ('agent', 'admin')
			AND (u.departments = '' OR ',' || u.departments || ',' LIKE '%,' || CAST(? AS TEXT) || ',%')
		GROUP BY u.id, u.available, u.skills, u.max_open, u.calendar, t.priority
		ORDER BY u.id`, department)
	if err != nil {
		return nil, fmt.Errorf("find agent loads: %w", err)
	}
	defer rows.Close()
	var out []AgentLoad
	for rows.Next() {
		var a AgentLoad
		var skills string
		var p ticket.Priority
		var n int
		if err := rows.Scan(&a.ID, &a.Available, &skills, &a.MaxOpen, &a.Calendar, &p, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != a.ID {
			if skills != "" {
				a.Skills = strings.Split(skills, ",")
			}
			a.Open = map[ticket.Priority]int{}
			out = append(out, a)
		}
		if n > 0 {
			out[len(out)-1].Open[p] += n
		}
	}
	return out, rows.Err()
}

// LockAssignment locks the department's assignment cursor for the rest of
// the transaction and returns the agent who got the department's previous
// ticket in turn (0 for none). Concurrent transactions that assign in the
// same department wait here, and then see the tickets the first one
// assigned; so two intakes never both take the same "least loaded" slot.
// Take these locks in department order, after any other row locks of the
// transaction, so that transactions never wait for each other in a circle.
// On SQLite the single writer serialises transactions anyway.
func (tx *Tx) LockAssignment(department string) (int64, error) {
	if _, err := tx.exec(`INSERT INTO assignment_cursors (department, last_user_id) VALUES (?, 0) ON CONFLICT (department) DO NOTHING`, department); err != nil {
		return 0, fmt.Errorf("lock assignment: %w", err)
	}
	q := `SELECT last_user_id FROM assignment_cursors WHERE department = ?`
	if tx.d.name == postgresDialect.name {
		q += ` FOR UPDATE`
	}
	var last int64
	if err := tx.queryRow(q, department).Scan(&last); err != nil {
		return 0, fmt.Errorf("lock assignment: %w", err)
	}
	return last, nil
}

// SetAssignmentCursor records who got the department's latest ticket in
// turn. Call it after LockAssignment in the same transaction.
func (tx *Tx) SetAssignmentCursor(department string, userID int64) error {
	_, err := tx.exec(`UPDATE assignment_cursors SET last_user_id = ? WHERE department = ?`, userID, department)
	return err
}

// AssignTicket sets a ticket's assignee (0 unassigns) without touching its
// other attributes. Record the change with AddChange.
func (tx *Tx) AssignTicket(ticketID, userID int64) error {
	var assignee any
	if userID != 0 {
		assignee = userID
	}
	res, err := tx.exec(`UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?`, assignee, fmtTime(tx.now), ticketID)
	if err != nil {
		return mapError(err, "Ticket")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Errorf(fault.NotFound, "Ticket not found.")
	}
	return nil
}

// UserUpdate changes an account's assignment settings; nil fields stay as
// they are. Values are stored as given: desk validates them.
type UserUpdate struct {
	Available   *bool
	Skills      *[]string
	MaxOpen     *int
	Calendar    *string
	Departments *[]string // pointing to nil or empty: all departments
}

// UpdateUser writes the set fields of u to the account. It returns
// fault.NotFound when there is no such account.
func (tx *Tx) UpdateUser(id int64, u UserUpdate) error {
	var set []string
	var args []any
	add := func(col string, v any) {
		set = append(set, col+` = ?`)
		args = append(args, v)
	}
	if u.Available != nil {
		add("available", *u.Available)
	}
	if u.Skills != nil {
		add("skills", strings.Join(*u.Skills, ","))
	}
	if u.MaxOpen != nil {
		add("max_open", *u.MaxOpen)
	}
	if u.Calendar != nil {
		add("calendar", *u.Calendar)
	}
	if u.Departments != nil {
		add("departments", strings.Join(*u.Departments, ","))
	}
	if len(set) == 0 {
		_, err := tx.FindUser(id)
		return err
	}
	res, err := tx.exec(`UPDATE users SET `+strings.Join(set, ", ")+` WHERE id = ?`, append(args, id)...)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Errorf(fault.NotFound, "Account not found.")
	}
	return nil
}

// FindUserPage returns up to limit accounts in id order after the cursor
// ("" for the first page) and the cursor of the next page ("" on the
// last).
func (tx *Tx) FindUserPage(cursor string, limit int) ([]*UserRecord, string, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var after int64
	if cursor != "" {
		var err error
		if after, err = strconv.ParseInt(cursor, 10, 64); err != nil || after < 0 {
			return nil, "", errCursor
		}
	}
	rows, err := tx.query(`SELECT `+userColumns+` FROM users WHERE id > ? ORDER BY id LIMIT ?`, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []*UserRecord
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(out[limit-1].ID, 10)
	}
	return out, next, nil
}

// UnassignedTickets returns up to limit active tickets of a department
// that nobody is assigned to, earliest deadline first, locked for this
// transaction; on PostgreSQL rows another transaction holds are skipped.
// The tickets carry what assignment needs: id, request type, priority.
func (tx *Tx) UnassignedTickets(department string, limit int) ([]*ticket.Ticket, error) {
	rows, err := tx.query(`SELECT id, request_type, priority, department FROM tickets
		WHERE department = ? AND assignee_id IS NULL AND status IN ('new', 'open', 'waiting')
		ORDER BY due_at, id LIMIT ?`+tx.d.skipLocked, department, limit)
	if err != nil {
		return nil, fmt.Errorf("unassigned tickets: %w", err)
	}
	defer rows.Close()
	var out []*ticket.Ticket
	for rows.Next() {
		t := &ticket.Ticket{}
		if err := rows.Scan(&t.ID, &t.RequestType, &t.Priority, &t.Department); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
