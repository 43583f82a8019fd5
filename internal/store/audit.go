package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frist/internal/audit"
)

// The audit trail is a hash chain in audit_log. audit_head holds the
// number of entries (seq, which is also the id of the newest one) and the
// newest hash; appending locks that row, so that entries of concurrent
// transactions on several nodes still form one chain in id order.

// AppendAudit appends one entry to the audit trail within the
// transaction; see AppendAudits.
func (tx *Tx) AppendAudit(e *audit.Entry) error {
	return tx.AppendAudits([]*audit.Entry{e})
}

// auditInsertRows is how many entries one INSERT statement writes.
const auditInsertRows = 100

// AppendAudits appends entries to the audit trail within the transaction,
// in order. It sets each entry's ID (the next position in the chain), At
// (the transaction's time), PrevHash and Hash. Entries that fail
// audit.Entry.Validate append nothing and return an internal error that
// does not repeat the entry's values.
//
// It locks the chain's head until the transaction ends (on PostgreSQL with
// SELECT … FOR UPDATE; on SQLite the single writer serialises writers), so
// call it late in a transaction, after its other row locks: concurrent
// transactions that audit wait for each other here. One call per
// transaction with all its entries costs one head read and update.
func (tx *Tx) AppendAudits(es []*audit.Entry) error {
	if len(es) == 0 {
		return nil
	}
	for _, e := range es {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("append audit: %w", err)
		}
	}
	q := `SELECT seq, hash FROM audit_head WHERE id = 1`
	if tx.d.name == postgresDialect.name {
		q += ` FOR UPDATE`
	}
	var seq int64
	var prev string
	if err := tx.queryRow(q).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("append audit: head: %w", err)
	}
	for i, e := range es {
		e.ID = seq + int64(i) + 1
		e.At = tx.now
		prev = e.Seal(prev)
	}
	for start := 0; start < len(es); start += auditInsertRows {
		batch := es[start:min(start+auditInsertRows, len(es))]
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(batch)), ", ")
		args := make([]any, 0, 9*len(batch))
		for _, e := range batch {
			var actor any
			if e.ActorID != 0 {
				actor = e.ActorID
			}
			args = append(args, e.ID, fmtTime(e.At), actor, e.ActorKind, e.Action, e.Object, e.Detail, e.PrevHash, e.Hash)
		}
		if _, err := tx.exec(`INSERT INTO audit_log (id, at, actor_id, actor_kind, action, object, detail, prev_hash, hash) VALUES `+rows, args...); err != nil {
			return fmt.Errorf("append audit: %w", err)
		}
	}
	if _, err := tx.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq+int64(len(es)), prev); err != nil {
		return fmt.Errorf("append audit: head: %w", err)
	}
	return nil
}

// AuditFilter selects entries of the audit trail; zero fields select all.
type AuditFilter struct {
	Object string    // exactly, e.g. "ticket:F-100042"
	Action string    // exactly, e.g. audit.RetentionDelete
	From   time.Time // at or after
	To     time.Time // before
}

const auditColumns = `id, at, actor_id, actor_kind, action, object, detail, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var actor sql.NullInt64
	err := row.Scan(&e.ID, scanTime(&e.At), &actor, &e.ActorKind, &e.Action, &e.Object, &e.Detail, &e.PrevHash, &e.Hash)
	e.ActorID = actor.Int64
	return e, err
}

// AuditPage returns up to limit entries (1..500, default 50) matching the
// filter, newest first, after the cursor ("" for the first page), and the
// cursor of the next page ("" on the last). A malformed cursor gives
// fault.Invalid.
func (tx *Tx) AuditPage(f AuditFilter, cursor string, limit int) ([]audit.Entry, string, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var where []string
	var args []any
	if cursor != "" {
		before, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || before <= 0 {
			return nil, "", errCursor
		}
		where, args = append(where, `id < ?`), append(args, before)
	}
	if f.Object != "" {
		where, args = append(where, `object = ?`), append(args, f.Object)
	}
	if f.Action != "" {
		where, args = append(where, `action = ?`), append(args, f.Action)
	}
	if !f.From.IsZero() {
		where, args = append(where, `at >= ?`), append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, `at < ?`), append(args, fmtTime(f.To))
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := tx.query(q+` ORDER BY id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("audit page: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, "", fmt.Errorf("audit page: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("audit page: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(out[limit-1].ID, 10)
	}
	return out, next, nil
}

// AuditVerification is the result of walking the audit trail.
type AuditVerification struct {
	Entries int64 // entries checked
	OK      bool
	// BrokenAt is the id of the first entry that does not continue the
	// chain (changed, or its predecessor removed), or the first id that
	// is missing at the end (entries removed after the newest one the
	// head knows of); 0 when OK.
	BrokenAt int64
}

// auditChunk is how many entries VerifyAudit reads per transaction.
const auditChunk = 2000

// VerifyAudit walks the whole audit trail in id order, in read
// transactions of auditChunk entries so that a long trail holds no
// snapshot open, and checks every hash and link, then that the chain ends
// where audit_head says. progress, when not nil, is called after each
// chunk with the entries checked so far. Entries appended during the walk
// are checked too.
func (db *DB) VerifyAudit(ctx context.Context, progress func(checked int64)) (AuditVerification, error) {
	var v AuditVerification
	var lastID int64
	prev := ""
	for {
		var headSeq int64
		var headHash string
		var chunk []audit.Entry
		err := db.Read(ctx, func(tx *Tx) error {
			// The head first: every entry it counts was committed with it,
			// so the rows read next include them all.
			if err := tx.queryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
				return fmt.Errorf("verify audit: head: %w", err)
			}
			rows, err := tx.query(`SELECT `+auditColumns+` FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, lastID, auditChunk)
			if err != nil {
				return fmt.Errorf("verify audit: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				e, err := scanAudit(rows)
				if err != nil {
					return fmt.Errorf("verify audit: %w", err)
				}
				chunk = append(chunk, e)
			}
			return rows.Err()
		})
		if err != nil {
			return v, err
		}
		if bad, ok := audit.Verify(chunk, prev); !ok {
			v.Entries += int64(bad)
			v.BrokenAt = chunk[bad].ID
			return v, nil
		}
		v.Entries += int64(len(chunk))
		if len(chunk) > 0 {
			lastID, prev = chunk[len(chunk)-1].ID, chunk[len(chunk)-1].Hash
		}
		if progress != nil && len(chunk) > 0 {
			progress(v.Entries)
		}
		if len(chunk) == auditChunk {
			continue
		}
		switch {
		case lastID == headSeq && prev == headHash:
			v.OK = true
			return v, nil
		case lastID == headSeq:
			v.BrokenAt = lastID // the newest entry is not the one the head sealed
			return v, nil
		case lastID < headSeq:
			v.BrokenAt = lastID + 1 // entries at the end were removed
			return v, nil
		case len(chunk) == 0:
			// Entries beyond the head, read with a fresh head: they were
			// not appended through the chain.
			v.BrokenAt = headSeq + 1
			return v, nil
		}
		// Entries committed after the head was read: read again.
	}
}

// setAuditHead makes audit_head continue after the newest entry of
// audit_log, after entries were copied in with their ids and hashes.
func (tx *Tx) setAuditHead() error {
	var id int64
	var hash string
	err := tx.queryRow(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = tx.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, id, hash)
	return err
}
