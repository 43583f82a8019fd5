package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"frist/internal/attachment"
	"frist/internal/audit"
	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Upload is a file a customer or an agent attaches to a message.
type Upload struct {
	Name        string // as the client named it; cleaned before it is stored
	ContentType string // what the client claims; ignored: the content is sniffed
	Data        []byte
}

// SetFiles gives the desk the store for attachments' bytes, normally
// <data-dir>/attachments. Call it before Start. Without one, requests and
// replies with attachments fail with an internal error.
func (d *Desk) SetFiles(s *attachment.Store) { d.files = s }

// Files returns the attachment store, or nil.
func (d *Desk) Files() *attachment.Store { return d.files }

// file is an upload that passed validation, and its storage key once
// written.
type file struct {
	name, contentType string
	data              []byte
	sum               string
	key               string
}

// prepareUploads validates the files of one message: each on its own
// (attachment.Validate) and together (attachment.CheckSet). It returns a
// fault.Invalid error whose fields are "attachments" or "attachments[i]",
// with the limit's message key; names and contents never reach an error.
func prepareUploads(ups []Upload) ([]*file, error) {
	if len(ups) == 0 {
		return nil, nil
	}
	var errs []fault.FieldError
	var total int64
	files := make([]*file, 0, len(ups))
	for i, u := range ups {
		total += int64(len(u.Data))
		name, ct, err := attachment.Validate(u.Name, u.Data)
		if err != nil {
			errs = append(errs, fault.FieldError{Field: "attachments[" + strconv.Itoa(i) + "]", Message: err.Error()})
			continue
		}
		sum := sha256.Sum256(u.Data)
		files = append(files, &file{name: name, contentType: ct, data: u.Data, sum: hex.EncodeToString(sum[:])})
	}
	if err := attachment.CheckSet(len(ups), total); err != nil {
		errs = append([]fault.FieldError{{Field: "attachments", Message: err.Error()}}, errs...)
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please check the attached files.", Fields: errs}
	}
	return files, nil
}

// AttachmentLimitError reports whether err refuses attachments for their
// size or number, which the API answers with 413.
func AttachmentLimitError(err error) bool {
	for _, f := range fault.FieldsOf(err) {
		switch attachment.Problem(f.Message) {
		case attachment.ErrFileTooLarge, attachment.ErrTooMany, attachment.ErrTotalTooLarge:
			return true
		}
	}
	return false
}

// mergeInvalid joins the field lists of two validation results, so that a
// form shows every problem at once. Either may be nil; an error that is
// not fault.Invalid wins as it is.
func mergeInvalid(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case fault.Code(a) != fault.Invalid:
		return a
	case fault.Code(b) != fault.Invalid:
		return b
	}
	return &fault.Error{Code: fault.Invalid, Message: fault.Message(a), Fields: append(fault.FieldsOf(a), fault.FieldsOf(b)...)}
}

// writeFiles writes validated files to the attachment store before the
// transaction that records them, so that a committed row always has its
// file. On failure the files already written are removed again.
func (d *Desk) writeFiles(files []*file) error {
	if len(files) == 0 {
		return nil
	}
	if d.files == nil {
		return errors.New("attachments: no attachment store configured")
	}
	for _, f := range files {
		key, err := d.files.Put(f.data)
		if err != nil {
			d.removeFiles(files)
			return err
		}
		f.key = key
	}
	return nil
}

// removeFiles deletes written files whose transaction failed. A file that
// cannot be deleted is logged by its key only.
func (d *Desk) removeFiles(files []*file) {
	for _, f := range files {
		if f.key == "" {
			continue
		}
		if err := d.files.Delete(f.key); err != nil {
			d.log.Error("remove attachment after failed transaction", "storage_key", f.key, "err", err)
		}
		f.key = ""
	}
}

// recordFiles records written files as attachments of a message; message
// 0 means the ticket's first message (the request).
func recordFiles(tx *store.Tx, ticketID, messageID int64, files []*file) error {
	if len(files) == 0 {
		return nil
	}
	if messageID == 0 {
		var err error
		if messageID, err = tx.FirstMessageID(ticketID); err != nil {
			return err
		}
	}
	for _, f := range files {
		a := &store.Attachment{TicketID: ticketID, MessageID: messageID, Name: f.name, ContentType: f.contentType,
			Size: int64(len(f.data)), SHA256: f.sum, StorageKey: f.key}
		if err := tx.CreateAttachment(a); err != nil {
			return err
		}
	}
	return nil
}

// findAttachments returns a ticket's attachments by message id.
func findAttachments(tx *store.Tx, ticketID int64, includeInternal bool) (map[int64][]store.Attachment, error) {
	list, err := tx.FindAttachments(ticketID, includeInternal)
	if err != nil {
		return nil, err
	}
	out := map[int64][]store.Attachment{}
	for _, a := range list {
		out[a.MessageID] = append(out[a.MessageID], a)
	}
	return out, nil
}

// errAttachmentNotFound hides whether an attachment exists from callers
// who may not see it.
var errAttachmentNotFound = fault.Errorf(fault.NotFound, "Attachment not found.")

// Attachment opens an attachment of a ticket for download. The agent needs
// the same permission as for viewing the ticket (it is checked by Ticket
// itself); the caller closes the reader. Returns fault.NotFound for a
// ticket the agent may not see or an attachment that is not the ticket's.
//
// A file cannot be masked: an agent who may not see, or reveal, all of
// the ticket's data (Masking.Attachments) gets fault.Forbidden, and the
// refusal is audited; an agent who sees some of it masked or audited may
// open it, and that is audited too.
func (d *Desk) Attachment(ctx context.Context, a *Agent, ticketID, attachmentID int64) (*store.Attachment, io.ReadSeekCloser, error) {
	v, err := d.Ticket(ctx, a, ticketID)
	if err != nil {
		return nil, nil, err
	}
	if !hasAttachment(v, attachmentID) {
		return nil, nil, errAttachmentNotFound
	}
	object, detail := "ticket:"+v.Ticket.Number(), "attachment="+strconv.FormatInt(attachmentID, 10)
	switch {
	case !v.Masking.Attachments:
		if err := d.db.Write(ctx, func(tx *store.Tx) error { return d.auditTx(tx, a, audit.AttachmentRefused, object, detail) }); err != nil {
			return nil, nil, err
		}
		return nil, nil, errAttachmentForbidden
	case len(v.Masking.Text) > 0 || len(v.Masking.Audit) > 0:
		if err := d.db.Write(ctx, func(tx *store.Tx) error { return d.auditTx(tx, a, audit.AttachmentOpen, object, detail) }); err != nil {
			return nil, nil, err
		}
	}
	return d.openAttachment(v, attachmentID)
}

// errAttachmentForbidden answers agents who may not open a ticket's files.
var errAttachmentForbidden = fault.Errorf(fault.Forbidden, "Your role sees data of this ticket masked; its attachments cannot be masked and are not shown to you.")

func hasAttachment(v *TicketView, id int64) bool {
	for _, list := range v.Attachments {
		for _, x := range list {
			if x.ID == id {
				return true
			}
		}
	}
	return false
}

// CustomerAttachment opens an attachment of a public message of the
// ticket behind a status link. Returns fault.NotFound for an unknown
// secret and for attachments of internal notes or other tickets.
func (d *Desk) CustomerAttachment(ctx context.Context, secret string, id int64) (*store.Attachment, io.ReadSeekCloser, error) {
	v, err := d.CustomerTicket(ctx, secret)
	if err != nil {
		return nil, nil, err
	}
	return d.openAttachment(v, id)
}

// MessageAttachments returns the attachments of one message of a ticket
// the agent may see, e.g. to answer a reply just made; their names are
// withheld from an agent who may not open them (see Attachment).
func (d *Desk) MessageAttachments(ctx context.Context, a *Agent, ticketID, messageID int64) ([]store.Attachment, error) {
	var out []store.Attachment
	var t *ticket.Ticket
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.FindTicket(ticketID); err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		list, err := tx.FindMessageAttachments(messageID)
		for _, x := range list {
			if x.TicketID == ticketID {
				out = append(out, x)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	v, err := d.viewer(ctx, a)
	if err != nil {
		return nil, err
	}
	if !v.mask(t).masking.Attachments {
		for i := range out {
			out[i].Name, out[i].SHA256 = attachmentLabel(i+1, v.lang), ""
		}
	}
	return out, nil
}

func (d *Desk) openAttachment(v *TicketView, id int64) (*store.Attachment, io.ReadSeekCloser, error) {
	for _, list := range v.Attachments {
		for i := range list {
			if list[i].ID != id {
				continue
			}
			if d.files == nil {
				return nil, nil, errors.New("attachments: no attachment store configured")
			}
			f, err := d.files.Open(list[i].StorageKey)
			if err != nil {
				// A row without its file: the attachments directory is
				// missing (e.g. a backup restored without it).
				return nil, nil, fmt.Errorf("attachment %d: %w", id, err)
			}
			return &list[i], f, nil
		}
	}
	return nil, nil, errAttachmentNotFound
}

// purgeBatch is how many queued file deletions PurgeFiles takes at once.
const purgeBatch = 100

// PurgeFiles deletes the files whose attachment rows are gone (queued in
// file_deletions by the transaction that deleted the rows, see
// store.Tx.QueueFileDeletions) and then removes them from the queue. It
// returns how many it deleted. A file that cannot be deleted stays queued
// for the next run. Run it after the deleting transaction committed, and
// periodically, so that a crash in between leaves no file behind.
func (d *Desk) PurgeFiles(ctx context.Context) (int, error) {
	n := 0
	for {
		var keys []string
		err := d.db.Read(ctx, func(tx *store.Tx) error {
			var err error
			keys, err = tx.PendingFileDeletions(purgeBatch)
			return err
		})
		if err != nil || len(keys) == 0 {
			return n, err
		}
		if d.files == nil {
			return n, errors.New("attachments: no attachment store configured")
		}
		var done []string
		var failed error
		for _, k := range keys {
			if !attachment.ValidKey(k) {
				// No file can have this name: nothing to delete.
				d.log.Warn("file deletion queued with an invalid storage key")
				done = append(done, k)
				continue
			}
			if err := d.files.Delete(k); err != nil {
				failed = errors.Join(failed, err)
				continue
			}
			done = append(done, k)
		}
		if len(done) > 0 {
			if err := d.db.Write(ctx, func(tx *store.Tx) error { return tx.DoneFileDeletions(done) }); err != nil {
				return n, err
			}
		}
		n += len(done)
		if failed != nil {
			return n, fmt.Errorf("purge files: %w", failed)
		}
		if len(keys) < purgeBatch {
			return n, nil
		}
	}
}

// orphanAge is how old a file without an attachment row must be before
// SweepOrphanFiles removes it: far longer than any transaction that is
// about to record it.
const orphanAge = time.Hour

// SweepOrphanFiles removes files no attachment row names — written before
// a crash that prevented their ticket or message from committing — and
// temporary files of interrupted writes, once they are an hour old (by
// the files' own times). Run it now and then, e.g. daily; it reads the
// whole attachment directory. Returns how many files it removed.
func (d *Desk) SweepOrphanFiles(ctx context.Context) (int, error) {
	if d.files == nil {
		return 0, nil
	}
	// File times are wall-clock times, whatever clock the desk runs on.
	keys, temps, err := d.files.Stale(time.Now().Add(-orphanAge))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range temps {
		if err := d.files.RemoveTemp(p); err != nil {
			return n, err
		}
		n++
	}
	var known map[string]bool
	err = d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		known, err = tx.KnownStorageKeys(keys)
		return err
	})
	if err != nil {
		return n, err
	}
	for _, k := range keys {
		if known[k] {
			continue
		}
		if err := d.files.Delete(k); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
