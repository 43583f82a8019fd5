package desk

import (
	"log/slog"
	"sync"

	"frist/internal/attachment"
	"frist/internal/lowprio"
)

// fileDeleter removes the attachment files of a retention sweep beside
// it, so that the sweeper does not wait for the file system between its
// transactions: removing a file takes 0.1-0.4 ms, about as long as
// deleting a ticket's rows. A file's entry in the deletion queue goes in
// a later transaction, once the file is gone (see DoneFileDeletions); a
// file that could not be removed stays queued for the file-purge job.
type fileDeleter struct {
	files *attachment.Store
	log   *slog.Logger
	queue chan []string
	wg    sync.WaitGroup
	once  sync.Once

	mu      sync.Mutex
	done    []string // removed, still queued in the database
	removed int      // files removed in all
}

// startFileDeleter starts a fileDeleter over files, which may be nil: the
// files then stay queued for the file-purge job.
func startFileDeleter(files *attachment.Store, log *slog.Logger) *fileDeleter {
	f := &fileDeleter{files: files, log: log, queue: make(chan []string, 64)}
	f.wg.Add(1)
	lowprio.Go(func() {
		defer f.wg.Done()
		for keys := range f.queue {
			for _, k := range keys {
				if err := f.files.Delete(k); err != nil {
					// Stays queued; the file-purge job tries again.
					f.log.Warn("retention sweep: attachment file not deleted", "error", err)
					continue
				}
				f.mu.Lock()
				f.done = append(f.done, k)
				f.removed++
				f.mu.Unlock()
			}
		}
	})
	return f
}

// add hands over the storage keys of files whose rows a committed
// transaction deleted. It waits only when the deleter is far behind.
func (f *fileDeleter) add(keys []string) {
	if f.files != nil && len(keys) > 0 {
		f.queue <- keys
	}
}

// take returns the keys of the files removed since the last take.
func (f *fileDeleter) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	done := f.done
	f.done = nil
	return done
}

// finish waits until every file handed over is handled and returns the
// keys of those removed since the last take and the number removed in all.
// It may be called again.
func (f *fileDeleter) finish() ([]string, int) {
	f.once.Do(func() { close(f.queue) })
	f.wg.Wait()
	return f.take(), f.removed
}
