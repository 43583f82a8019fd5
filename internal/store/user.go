package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/fault"
)

// CreateUser stores a new agent account with a password hash. It returns
// a fault.Conflict error when the email is taken.
func (tx *Tx) CreateUser(u *auth.User, passwordHash string, departments []string) error {
	u.CreatedAt = tx.now
	err := tx.queryRow(`INSERT INTO users (email, name, role, departments, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		strings.ToLower(u.Email), u.Name, u.Role, strings.Join(departments, ","), passwordHash, fmtTime(tx.now)).Scan(&u.ID)
	return mapError(err, "An account with this email")
}

// SetPassword replaces an account's password hash and ends its sessions.
func (tx *Tx) SetPassword(userID int64, passwordHash string) error {
	res, err := tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Errorf(fault.NotFound, "Account not found.")
	}
	_, err = tx.exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// UserRecord is an account with what authentication and assignment need.
type UserRecord struct {
	auth.User
	PasswordHash string
	Departments  []string // nil: all departments

	// Assignment (see docs/policy.md, "Assignment").
	Available bool     // the agent's presence toggle: only present agents get new tickets
	Skills    []string // e.g. lang:fr; nil: none
	MaxOpen   int      // most active tickets assignment gives the agent; 0: no cap
	Calendar  string   // id of the policy calendar with the agent's working hours; "": around the clock
}

const userColumns = `id, email, name, role, disabled, created_at, departments, password_hash, available, skills, max_open, calendar`

func scanUser(row interface{ Scan(...any) error }) (*UserRecord, error) {
	var u UserRecord
	var depts, skills string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, scanTime(&u.CreatedAt), &depts, &u.PasswordHash,
		&u.Available, &skills, &u.MaxOpen, &u.Calendar)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "Account not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if depts != "" {
		u.Departments = strings.Split(depts, ",")
	}
	if skills != "" {
		u.Skills = strings.Split(skills, ",")
	}
	return &u, nil
}

// FindUserByEmail returns the account with the email, or fault.NotFound.
func (tx *Tx) FindUserByEmail(email string) (*UserRecord, error) {
	return scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE email = ?`, strings.ToLower(email)))
}

// FindUser returns the account with the id, or fault.NotFound.
func (tx *Tx) FindUser(id int64) (*UserRecord, error) {
	return scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// FindUsers returns all accounts ordered by name.
func (tx *Tx) FindUsers() ([]*UserRecord, error) {
	rows, err := tx.query(`SELECT ` + userColumns + ` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*UserRecord
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns the number of accounts that can sign in (not
// disabled).
func (tx *Tx) CountUsers() (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM users WHERE NOT disabled`).Scan(&n)
	return n, err
}

// CreateSession stores a session by the hash of its secret.
func (tx *Tx) CreateSession(tokenHash string, userID int64, ttl time.Duration) error {
	_, err := tx.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		tokenHash, userID, fmtTime(tx.now), fmtTime(tx.now.Add(ttl)))
	return err
}

// FindSessionUser returns the account of an unexpired session, or
// fault.Unauthorized.
func (tx *Tx) FindSessionUser(tokenHash string) (*UserRecord, error) {
	u, err := scanUser(tx.queryRow(`SELECT `+prefixed("u.", userColumns)+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled`, tokenHash, fmtTime(tx.now)))
	if fault.Code(err) == fault.NotFound {
		return nil, fault.Errorf(fault.Unauthorized, "Please log in.")
	}
	return u, err
}

// DeleteSession ends a session; deleting expired sessions happens here too.
func (tx *Tx) DeleteSession(tokenHash string) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ? OR expires_at <= ?`, tokenHash, fmtTime(tx.now))
	return err
}

// CreateToken stores an API token by the hash of its secret.
func (tx *Tx) CreateToken(userID int64, name, tokenHash string) (int64, error) {
	var id int64
	err := tx.queryRow(`INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		userID, name, tokenHash, fmtTime(tx.now)).Scan(&id)
	return id, mapError(err, "Token")
}

// FindTokenUser returns the account of an API token, or
// fault.Unauthorized.
func (tx *Tx) FindTokenUser(tokenHash string) (*UserRecord, error) {
	u, err := scanUser(tx.queryRow(`SELECT `+prefixed("u.", userColumns)+` FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.token_hash = ? AND NOT u.disabled`, tokenHash))
	if fault.Code(err) == fault.NotFound {
		return nil, fault.Errorf(fault.Unauthorized, "Invalid API token.")
	}
	return u, err
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}
