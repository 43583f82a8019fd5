package store

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"frist/internal/fault"
)

// Attachment is what a file attached to a message is. Its bytes live in
// the attachment store (package attachment) under StorageKey.
type Attachment struct {
	ID          int64
	TicketID    int64
	MessageID   int64
	Name        string // cleaned file name; personal data, never logged
	ContentType string // sniffed from the content, never the client's claim
	Size        int64  // bytes
	SHA256      string // hex digest of the content
	StorageKey  string // the file in the attachment store
	CreatedAt   time.Time
	Public      bool // the message is a public one (set by the finders)
}

// LogValue keeps the name out of logs.
func (a Attachment) LogValue() slog.Value { return slog.Int64Value(a.ID) }

// CreateAttachment records a file attached to a message of a ticket. Write
// the file first (attachment.Store.Put) and record it in the transaction
// that creates the message, so that a committed row always has its file.
func (tx *Tx) CreateAttachment(a *Attachment) error {
	a.CreatedAt = tx.now
	err := tx.queryRow(`INSERT INTO attachments (ticket_id, message_id, name, content_type, size, sha256, storage_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.TicketID, a.MessageID, a.Name, a.ContentType, a.Size, a.SHA256, a.StorageKey, fmtTime(tx.now)).Scan(&a.ID)
	if err != nil {
		return mapError(err, "Attachment")
	}
	return nil
}

// FirstMessageID returns the id of a ticket's first message (the request
// itself), or a fault.NotFound error.
func (tx *Tx) FirstMessageID(ticketID int64) (int64, error) {
	var id sql.NullInt64
	if err := tx.queryRow(`SELECT min(id) FROM messages WHERE ticket_id = ?`, ticketID).Scan(&id); err != nil {
		return 0, fmt.Errorf("first message: %w", err)
	}
	if !id.Valid {
		return 0, fault.Errorf(fault.NotFound, "Message not found.")
	}
	return id.Int64, nil
}

const attachmentColumns = `a.id, a.ticket_id, a.message_id, a.name, a.content_type, a.size, a.sha256, a.storage_key, a.created_at,
	CASE WHEN m.visibility = 'public' THEN 1 ELSE 0 END`

const attachmentFrom = ` FROM attachments a JOIN messages m ON m.id = a.message_id `

func scanAttachment(row interface{ Scan(...any) error }) (*Attachment, error) {
	a := &Attachment{}
	var public int
	err := row.Scan(&a.ID, &a.TicketID, &a.MessageID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.StorageKey, scanTime(&a.CreatedAt), &public)
	a.Public = public == 1
	return a, err
}

// FindAttachments returns a ticket's attachments in the order they were
// attached; those of internal notes only when includeInternal is set.
func (tx *Tx) FindAttachments(ticketID int64, includeInternal bool) ([]Attachment, error) {
	q := `SELECT ` + attachmentColumns + attachmentFrom + `WHERE a.ticket_id = ?`
	if !includeInternal {
		q += ` AND m.visibility = 'public'`
	}
	return tx.findAttachments(q+` ORDER BY a.id`, ticketID)
}

// FindMessageAttachments returns the attachments of one message.
func (tx *Tx) FindMessageAttachments(messageID int64) ([]Attachment, error) {
	return tx.findAttachments(`SELECT `+attachmentColumns+attachmentFrom+`WHERE a.message_id = ? ORDER BY a.id`, messageID)
}

func (tx *Tx) findAttachments(q string, arg any) ([]Attachment, error) {
	rows, err := tx.query(q, arg)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// FindAttachment returns one attachment of a ticket, or a fault.NotFound
// error when the ticket has no attachment with that id.
func (tx *Tx) FindAttachment(ticketID, id int64) (*Attachment, error) {
	a, err := scanAttachment(tx.queryRow(`SELECT `+attachmentColumns+attachmentFrom+`WHERE a.id = ? AND a.ticket_id = ?`, id, ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errAttachmentNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find attachment: %w", err)
	}
	return a, nil
}

var errAttachmentNotFound = fault.Errorf(fault.NotFound, "Attachment not found.")

// QueueFileDeletions records storage keys whose files must be deleted.
// Call it in the transaction that deletes the attachment rows: the queue
// survives a crash between that commit and the deletion of the files.
// Queuing a key twice is no error.
func (tx *Tx) QueueFileDeletions(keys []string) error {
	for _, k := range keys {
		if _, err := tx.exec(`INSERT INTO file_deletions (storage_key, queued_at) VALUES (?, ?) ON CONFLICT (storage_key) DO NOTHING`, k, fmtTime(tx.now)); err != nil {
			return fmt.Errorf("queue file deletion: %w", err)
		}
	}
	return nil
}

// PendingFileDeletions returns up to limit queued storage keys, oldest
// first.
func (tx *Tx) PendingFileDeletions(limit int) ([]string, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := tx.query(`SELECT storage_key FROM file_deletions ORDER BY queued_at, storage_key LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending file deletions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// DoneFileDeletions removes storage keys from the queue once their files
// are gone.
func (tx *Tx) DoneFileDeletions(keys []string) error {
	for _, k := range keys {
		if _, err := tx.exec(`DELETE FROM file_deletions WHERE storage_key = ?`, k); err != nil {
			return fmt.Errorf("file deletion done: %w", err)
		}
	}
	return nil
}

// KnownStorageKeys returns which of keys an attachment row names.
func (tx *Tx) KnownStorageKeys(keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(keys); start += 500 {
		chunk := keys[start:min(start+500, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := tx.tx.QueryContext(tx.ctx, tx.d.rebind(`SELECT storage_key FROM attachments WHERE storage_key IN (`+placeholders(len(chunk))+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("known storage keys: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
