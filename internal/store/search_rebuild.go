package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"frist/internal/fault"
)

// rebuildCursorKey is the setting that marks a rebuild of the SQLite
// search index in progress (see RebuildSearchIndex): the messages up to
// the id it holds are in message_search_new, and write transactions keep
// that part current. It lives in the database, not in this process, so
// that the writes of another process on the same file (frist retention
// run beside the server) do too.
const rebuildCursorKey = "search_rebuild_cursor"

// rebuildStep is how many messages one step of a rebuild indexes: a few
// milliseconds of the writer.
var rebuildStep = 100

// searchTable is the SQLite search index's definition and settings
// (migrations 0005, 0007, 0009 and 0010) for a table of the given name.
func searchTable(name string) []string {
	return []string{
		`CREATE VIRTUAL TABLE ` + name + ` USING fts5 (
			subject, body,
			content = '', contentless_delete = 1, detail = none,
			tokenize = 'unicode61 remove_diacritics 2'
		)`,
		`INSERT INTO ` + name + ` (` + name + `, rank) VALUES ('secure-delete', 1)`,
		`INSERT INTO ` + name + ` (` + name + `, rank) VALUES ('automerge', 0)`,
		`INSERT INTO ` + name + ` (` + name + `, rank) VALUES ('crisismerge', 64)`,
		`INSERT INTO ` + name + ` (` + name + `, rank) VALUES ('usermerge', 16)`,
		`INSERT INTO ` + name + ` (` + name + `, rank) VALUES ('deletemerge', 0)`,
	}
}

// RebuildSearchIndex builds the SQLite search index anew from the
// messages, for when most of its entries are deleted ones: merging would
// read every deleted entry again, in steps FTS5 can end only between
// words, which take the longer the more messages a word was in; a
// rebuild reads only the messages left, rebuildStep at a time. The new
// index grows in message_search_new, with inserts and deletes of the
// messages it already holds applied to it too, and takes the old one's
// place in one transaction; the old one is then deleted in steps as
// small. progress, if not nil, is told each step. On PostgreSQL it does
// nothing.
func (db *DB) RebuildSearchIndex(ctx context.Context, progress func(step int)) (err error) {
	if db.dialect.name != sqliteDialect.name {
		return nil
	}
	if err := db.WriteBackground(ctx, func(tx *Tx) error {
		for _, q := range searchTable("message_search_new") {
			if _, err := tx.tx.ExecContext(tx.ctx, q); err != nil {
				return err
			}
		}
		return tx.SetSetting(rebuildCursorKey, "0")
	}); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	swapped := false
	defer func() {
		if swapped {
			return
		}
		// Abandoned half-way: the old index is complete and stays.
		aerr := db.WriteBackground(context.WithoutCancel(ctx), func(tx *Tx) error {
			return dropRebuild(tx.ctx, tx.tx)
		})
		err = errors.Join(err, aerr)
	}()
	step := 0
	var pace Pacer
	for !swapped {
		err := db.WritePaced(ctx, &pace, func(tx *Tx) error {
			cursor, ok, err := tx.rebuildCursor()
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("the rebuild was abandoned meanwhile")
			}
			var last int64
			var n int
			if err := tx.queryRow(`SELECT COALESCE(max(id), 0), count(*) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)`,
				cursor, rebuildStep).Scan(&last, &n); err != nil {
				return err
			}
			if n > 0 {
				if _, err := tx.exec(`INSERT INTO message_search_new (rowid, subject, body)
					SELECT m.id * `+fmt.Sprint(sqliteSearchScale)+`,
						CASE WHEN m.id = (SELECT min(f.id) FROM messages f WHERE f.ticket_id = m.ticket_id) THEN t.subject ELSE '' END,
						m.body
					FROM messages m JOIN tickets t ON t.id = m.ticket_id
					WHERE m.id > ? AND m.id <= ? ORDER BY m.id`, cursor, last); err != nil {
					return err
				}
				// Each step adds a segment; merging as they come keeps
				// FTS5 from merging dozens at once (crisismerge) inside
				// whichever transaction writes to the index after the swap.
				if _, err := tx.exec(`INSERT INTO message_search_new (message_search_new, rank) VALUES ('merge', ?)`, mergeStepPages); err != nil {
					return err
				}
				if err := tx.SetSetting(rebuildCursorKey, strconv.FormatInt(last, 10)); err != nil {
					return err
				}
			}
			if n == rebuildStep {
				return nil
			}
			// Every message is in the new index: it takes the old one's place.
			for _, q := range []string{
				`ALTER TABLE message_search RENAME TO message_search_old`,
				`ALTER TABLE message_search_new RENAME TO message_search`,
			} {
				if _, err := tx.tx.ExecContext(tx.ctx, q); err != nil {
					return err
				}
			}
			if _, err := tx.exec(`DELETE FROM settings WHERE key = ?`, rebuildCursorKey); err != nil {
				return err
			}
			swapped = true
			return nil
		})
		if err != nil {
			swapped = false
			return fmt.Errorf("rebuild search index: %w", err)
		}
		step++
		if progress != nil {
			progress(step)
		}
	}
	if err := db.dropOldSearchIndex(ctx, &pace); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	return nil
}

// dropOldSearchIndex deletes the index a rebuild replaced: the rows of
// its large shadow tables first, a few at a time (secure_delete
// overwrites each freed page), then the table.
func (db *DB) dropOldSearchIndex(ctx context.Context, pace *Pacer) error {
	var exists int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'message_search_old'`).Scan(&exists); err != nil || exists == 0 {
		return err
	}
	for _, step := range []string{
		`DELETE FROM message_search_old_data WHERE id IN (SELECT id FROM message_search_old_data LIMIT 64)`,
		`DELETE FROM message_search_old_docsize WHERE id IN (SELECT id FROM message_search_old_docsize LIMIT 2000)`,
	} {
		for n := int64(1); n > 0; {
			if err := db.WritePaced(ctx, pace, func(tx *Tx) error {
				res, err := tx.exec(step)
				if err != nil {
					return err
				}
				n, err = res.RowsAffected()
				return err
			}); err != nil {
				return err
			}
		}
	}
	return db.WriteBackground(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(tx.ctx, `DROP TABLE message_search_old`)
		return err
	})
}

// OptimizeSearchIndex merges the SQLite search index into one segment in
// a single transaction, for a database no one else uses yet (a seed for
// measurements). On PostgreSQL it does nothing.
func (db *DB) OptimizeSearchIndex(ctx context.Context) error {
	if db.dialect.name != sqliteDialect.name {
		return nil
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO message_search (message_search) VALUES ('optimize')`)
		return err
	})
}

// rebuildCursor returns the id up to which a search index rebuild in
// progress has indexed the messages, and whether one is.
func (tx *Tx) rebuildCursor() (int64, bool, error) {
	if tx.d != sqliteDialect {
		return 0, false, nil
	}
	v, err := tx.Setting(rebuildCursorKey)
	if fault.Code(err) == fault.NotFound {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	cursor, err := strconv.ParseInt(v, 10, 64)
	return cursor, true, err
}

// dropRebuild discards a search index rebuild: the new index and its
// cursor. The old index is complete and stays.
func dropRebuild(ctx context.Context, tx interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS message_search_new`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, rebuildCursorKey)
	return err
}
