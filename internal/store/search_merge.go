package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"frist/internal/lowprio"
)

// searchMerger keeps the SQLite search index compact in small steps. FTS5
// writes a segment per transaction and merges segments of one level into
// the next; left to itself (automerge), it does that work inside whichever
// statement flushes the index next, and a merge of a large level held the
// single writer for up to 400 ms while intake waited (migration 0007 turns
// it off). Here each step merges at most mergeStepPages pages in a write
// transaction of its own, queued fairly with intake's, and only when a
// level holds enough segments to be worth it.
type searchMerger struct {
	db     *DB
	writes atomic.Uint64 // write transactions committed
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

const (
	mergeEvery     = 100 * time.Millisecond
	mergeStepPages = 16
	mergeMaxSteps  = 8 // per tick; the next tick goes on
)

func (m *searchMerger) start() {
	m.stop, m.done = make(chan struct{}), make(chan struct{})
	// On a background thread, like the checkpointer (package lowprio).
	lowprio.Go(func() {
		defer close(m.done)
		t := time.NewTicker(mergeEvery)
		defer t.Stop()
		var seen uint64
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
			if w := m.writes.Load(); w != seen {
				seen = w
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				var pace Pacer
				for range mergeMaxSteps {
					more, err := m.db.MergeSearchIndex(ctx, &pace, mergeStepPages)
					if err != nil || !more {
						break
					}
				}
				cancel()
				// The steps' own commits do not count as new writes.
				seen = max(seen, m.writes.Load())
			}
		}
	})
}

func (m *searchMerger) close() {
	m.once.Do(func() {
		if m.stop != nil {
			close(m.stop)
			<-m.done
		}
	})
}

// MergeSearchIndex merges segments of the SQLite search index in one step
// of at most about pages pages, if a level holds four segments or more,
// and reports whether it merged anything (more steps may follow). Steps
// with the same pace pause between them (WritePaced). On PostgreSQL it
// does nothing.
func (db *DB) MergeSearchIndex(ctx context.Context, pace *Pacer, pages int) (bool, error) {
	if db.dialect.name != sqliteDialect.name {
		return false, nil
	}
	var before, after int64
	err := db.WritePaced(ctx, pace, func(tx *Tx) error {
		if err := tx.queryRow(`SELECT total_changes()`).Scan(&before); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO message_search (message_search, rank) VALUES ('merge', ?)`, pages); err != nil {
			return err
		}
		return tx.queryRow(`SELECT total_changes()`).Scan(&after)
	})
	if err != nil {
		return false, err
	}
	// The command itself counts as one change.
	return after-before >= 2, nil
}
