package store

import (
	"context"
	"fmt"
	"strings"
)

// copyTables lists every table in an order in which references point
// backwards, with the columns to copy. schema_migrations is not copied:
// the target is migrated by its own dialect's files. The search index is
// rebuilt, not copied: its format differs between the databases.
var copyTables = []struct {
	name, columns, order string
	flags                []string // boolean columns: integers on SQLite
}{
	{"settings", "key, value", "key", nil},
	{"policies", "id, body, sha256, applied_at", "id", nil},
	{"privacy_notices", "version, language, text, sha256, published_at", "version, language", nil},
	{"users", "id, email, name, role, departments, password_hash, disabled, created_at, available, skills, max_open, calendar", "id", []string{"disabled", "available"}},
	{"sessions", "token_hash, user_id, created_at, expires_at", "token_hash", nil},
	{"api_tokens", "id, user_id, name, token_hash, created_at", "id", nil},
	{"customers", "id, email, name, language, created_at", "id", nil},
	{"tickets", "id, customer_id, request_type, department, status, priority, subject, language, assignee_id, status_hash, notice_version, created_at, updated_at, first_response_due, first_response_at, closed_at, due_at, sla_policy, sla, sla_check_at, tags, retention, deletion_due, deletion_latest, retention_check_at, restricted, held, anonymised_at", "id", []string{"restricted", "held"}},
	{"ticket_fields", "ticket_id, field, value", "ticket_id, field", nil},
	{"messages", "id, ticket_id, visibility, author, agent_id, body, created_at, pii", "id", nil},
	{"ticket_changes", "id, ticket_id, actor_id, actor_kind, field, from_value, to_value, created_at, reason", "id", nil},
	{"sla_events", "id, ticket_id, department, policy, target, kind, action, due_at, created_at", "id", nil},
	{"consents", "id, ticket_id, customer_id, notice_version, notice_sha256, language, accepted, legal_basis, created_at", "id", []string{"accepted"}},
	{"consent_purposes", "consent_id, purpose, granted", "consent_id, purpose", []string{"granted"}},
	{"assignment_cursors", "department, last_user_id", "department", nil},
	{"attachments", "id, ticket_id, message_id, name, content_type, size, sha256, storage_key, created_at", "id", nil},
	{"legal_holds", "id, ticket_id, customer_id, reason, placed_by, placed_at, lifted_by, lifted_at, lift_reason", "id", nil},
	{"deletion_log", "id, pseudonym, action, rule, rule_version, class, due_at, done_at, removed", "id", nil},
	{"retention_recomputations", "id, at, cause, rules, examined, changed, done_at", "id", nil},
	{"audit_log", "id, at, actor_id, actor_kind, action, object, detail, prev_hash, hash", "id", nil},
}

// CopyProgress reports a copy's progress: the table being copied and how
// many of its rows are done.
type CopyProgress func(table string, done, total int)

// CopyTo copies every row of db into dst, which must be migrated and
// empty, and rebuilds dst's search index. It reads db in one read
// transaction, so it copies one consistent state; stop the server first so
// that nothing is written after it. Rows are written in transactions of
// copyBatch rows; a failure leaves dst partly filled (drop and recreate it
// before retrying). Identity counters on dst continue after the copied ids,
// so ticket numbers stay unique.
func (db *DB) CopyTo(ctx context.Context, dst *DB, progress CopyProgress) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	var empty bool
	if err := dst.Read(ctx, func(tx *Tx) error {
		var n int
		err := tx.queryRow(`SELECT count(*) FROM tickets`).Scan(&n)
		empty = n == 0
		return err
	}); err != nil {
		return fmt.Errorf("copy: target: %w", err)
	}
	if !empty {
		return fmt.Errorf("copy: the target database already holds tickets")
	}
	return db.Read(ctx, func(src *Tx) error {
		for _, t := range copyTables {
			if err := copyTable(ctx, src, dst, t.name, t.columns, t.order, t.flags, progress); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
		if err := rebuildIndex(ctx, src, dst, progress); err != nil {
			return fmt.Errorf("copy search index: %w", err)
		}
		return dst.Write(ctx, func(tx *Tx) error {
			// The audit chain continues after the copied entries.
			if err := tx.setAuditHead(); err != nil {
				return fmt.Errorf("copy audit head: %w", err)
			}
			return tx.d.resetIdentities(tx)
		})
	})
}

// copyBatch is how many rows go into one write transaction of a copy.
const copyBatch = 5000

func copyTable(ctx context.Context, src *Tx, dst *DB, table, columns, order string, flags []string, progress CopyProgress) error {
	var total int
	if err := src.queryRow(`SELECT count(*) FROM ` + table).Scan(&total); err != nil {
		return err
	}
	rows, err := src.query(`SELECT ` + columns + ` FROM ` + table + ` ORDER BY ` + order)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols := strings.Split(columns, ", ")
	isFlag := make([]bool, len(cols))
	for i, c := range cols {
		for _, f := range flags {
			isFlag[i] = isFlag[i] || c == f
		}
	}
	insert := `INSERT INTO ` + table + ` (` + columns + `) VALUES (` + placeholders(len(cols)) + `)`
	var batch [][]any
	done := 0
	flush := func() error {
		err := dst.Write(ctx, func(tx *Tx) error {
			for _, v := range batch {
				if _, err := tx.exec(insert, v...); err != nil {
					return err
				}
			}
			return nil
		})
		done += len(batch)
		batch = batch[:0]
		progress(table, done, total)
		return err
	}
	for rows.Next() {
		v := make([]any, len(cols))
		ptr := make([]any, len(cols))
		for i := range v {
			ptr[i] = &v[i]
		}
		if err := rows.Scan(ptr...); err != nil {
			return err
		}
		for i := range v {
			if isFlag[i] {
				v[i] = truthy(v[i])
			}
			if b, ok := v[i].([]byte); ok {
				v[i] = string(b)
			}
		}
		batch = append(batch, v)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 || total == 0 {
		return flush()
	}
	return nil
}

// truthy reads a flag as either driver returns it.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	return false
}

// rebuildIndex indexes every copied message as intake and replies do: the
// ticket's subject with its first message, the body with every message.
func rebuildIndex(ctx context.Context, src *Tx, dst *DB, progress CopyProgress) error {
	var total int
	if err := src.queryRow(`SELECT count(*) FROM messages`).Scan(&total); err != nil {
		return err
	}
	rows, err := src.query(`SELECT m.id, m.ticket_id, CASE WHEN m.id = (SELECT min(f.id) FROM messages f WHERE f.ticket_id = m.ticket_id) THEN t.subject ELSE '' END, m.body
		FROM messages m JOIN tickets t ON t.id = m.ticket_id ORDER BY m.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var batch []indexRow
	done := 0
	flush := func() error {
		err := dst.Write(ctx, func(tx *Tx) error {
			tx.index = append(tx.index, batch...)
			return nil
		})
		done += len(batch)
		batch = batch[:0]
		progress("search index", done, total)
		return err
	}
	for rows.Next() {
		var r indexRow
		if err := rows.Scan(&r.rowid, &r.ticketID, &r.subject, &r.body); err != nil {
			return err
		}
		batch = append(batch, r)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}
