// Package store is Frist's only place for SQL. It opens the database,
// applies the embedded migrations, and offers transactions (Tx) whose
// methods read and write tickets, customers, messages, consent records,
// agents, sessions and tokens.
//
// SQL is written once with ? placeholders and runs on both databases Frist
// supports: the embedded SQLite (pure-Go modernc.org/sqlite) and
// PostgreSQL (pgx). The dialect type holds the few real differences —
// placeholders, the search index, planner statistics, migrations — so that
// every use case has one query (docs/decisions/0004-two-databases.md).
package store

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/trace"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	_ "modernc.org/sqlite"           // registers the "sqlite" driver

	"frist/internal/clock"
	"frist/internal/fault"
	"frist/internal/lowprio"
)

//go:embed migrations
var migrations embed.FS

// DB is an open database. On SQLite it is one writer connection and a pool
// of readers; on PostgreSQL one pool serves both.
type DB struct {
	writer      *sql.DB
	reader      *sql.DB
	clock       clock.Clock
	dialect     *dialect
	path        string
	checkpoints *checkpoints   // SQLite: background WAL checkpoints
	merger      *searchMerger  // SQLite: search index merges in steps
	gate        *writeGate     // SQLite: who writes next, foreground first
	paused      *atomic.Int32  // SQLite: above 0, background writes wait (checkpoints.held)
	waiting     *atomic.Int32  // write transactions waiting to begin
	foreground  *atomic.Uint64 // write transactions committed, not background ones
	prepared    *statements    // SQLite: the writer's statements, kept across transactions
}

// statements keeps the writer connection's prepared statements across
// transactions: SQLite parses every statement anew otherwise, and parsing
// was a ninth of the CPU time of intake and the retention sweeper
// together. A statement first seen in a transaction is prepared in it and
// once more on the pool after its commit, while the caller still holds
// the write gate and the connection is idle; later transactions use it
// through Tx.StmtContext, which reuses what is prepared on their
// connection. At most maxStatements are kept.
type statements struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxStatements = 512

func (s *statements) get(query string) *sql.Stmt {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[query]
}

// keep prepares the queries on pool unless kept already or full.
func (s *statements) keep(ctx context.Context, pool *sql.DB, queries []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range queries {
		if _, ok := s.m[q]; ok || len(s.m) >= maxStatements {
			continue
		}
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			continue // prepared per transaction, as before
		}
		s.m[q] = st
	}
}

func (s *statements) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for q, st := range s.m {
		st.Close()
		delete(s.m, q)
	}
}

// ForegroundWrites counts the write transactions committed so far that
// were not background ones: background work that sees it grow shares the
// machine with intake and paces itself (see Pace).
func (db *DB) ForegroundWrites() uint64 { return db.foreground.Load() }

// Pace is how background work on SQLite shares the single writer and the
// CPU with foreground writes: after a background transaction that held
// the writer for held, while foreground writes go on, it pauses as long
// again, so that it takes at most half of the writer's time. Without
// foreground writes it does not pause. seen is the caller's last count of
// ForegroundWrites and is updated.
func (db *DB) Pace(ctx context.Context, seen *uint64, held time.Duration) error {
	f := db.foreground.Load()
	if db.dialect != sqliteDialect || f == *seen || held <= 0 {
		*seen = f
		return nil
	}
	*seen = f
	defer trace.StartRegion(ctx, "pace").End()
	t := time.NewTimer(held)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Pacer carries Pace's state from one background transaction of a long
// job to the next (see WritePaced); its zero value starts without a pause.
type Pacer struct {
	seen         uint64        // ForegroundWrites at the last pause
	held, waited time.Duration // the last transaction's hold of the writer, and its wait for it
}

// WritePaced runs fn in a background write transaction after the pause
// Pace asks for after the previous one: as long as that one held the
// writer, minus the time it waited for it, as the writer was the others'
// meanwhile. Long jobs (the retention sweep, the search index rebuild)
// leave intake about half of the writer this way.
func (db *DB) WritePaced(ctx context.Context, p *Pacer, fn func(tx *Tx) error) error {
	if err := db.Pace(ctx, &p.seen, p.held-p.waited); err != nil {
		return err
	}
	began := time.Now()
	var start time.Time
	err := db.WriteBackground(ctx, func(tx *Tx) error {
		start = time.Now()
		return fn(tx)
	})
	if !start.IsZero() {
		p.held, p.waited = time.Since(start), start.Sub(began)
	}
	return err
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database at url: a file path or "sqlite://path" for
// SQLite, "postgres://…" for PostgreSQL. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, clk clock.Clock) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, clk)
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	// Pragmas, in this order:
	//  busy_timeout first, so that even the following pragmas wait for a lock
	//    held by another process (e.g. `frist user add` next to `serve`);
	//  journal_mode=WAL lets readers work while the writer writes;
	//  synchronous=NORMAL is durable against process crashes in WAL mode
	//    (a SIGKILL after commit loses nothing); only an OS crash or power
	//    loss may lose the last commits;
	//  foreign_keys enforces the references in the schema;
	//  temp_store keeps sort scratch space in memory;
	//  secure_delete overwrites deleted content with zeros, so that what the
	//    retention sweeper deletes does not linger in free pages;
	//  wal_autocheckpoint(0): commits never checkpoint (which would fsync
	//    the database file while holding the writer); a connection of its
	//    own checkpoints the WAL in the background (see checkpoints).
	//  journal_size_limit: a log that was rewound is cut back to 320 MiB
	//    (above the RESTART threshold, so that the file is reused rather
	//    than cut and grown again).
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)", "temp_store(MEMORY)", "cache_size(-32000)", "secure_delete(ON)", "wal_autocheckpoint(0)", "journal_size_limit(335544320)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	writer, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One writer connection: SQLite allows one writer at a time anyway, and
	// queuing in Go is cheaper than retrying on SQLITE_BUSY.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	q.Set("_txlock", "deferred")
	q.Add("_pragma", "query_only(ON)")
	reader, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	reader.SetConnMaxLifetime(0)
	q.Del("_txlock")
	q["_pragma"] = q["_pragma"][:len(q["_pragma"])-1] // not query_only
	// The checkpointer does not sleep on a lock: SQLite's busy handler
	// sleeps 1, 2, 5, 10, 15, 20 ms… between tries, far longer than the
	// readers a RESTART waits for read; checkpoints.held retries itself.
	q["_pragma"][0] = "busy_timeout(0)"
	checkpointer, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		writer.Close()
		reader.Close()
		return nil, err
	}
	checkpointer.SetMaxOpenConns(1)
	gate, paused := &writeGate{}, new(atomic.Int32)
	db := &DB{writer: writer, reader: reader, clock: clk, dialect: sqliteDialect, path: path, gate: gate, checkpoints: &checkpoints{db: checkpointer, gate: gate, pause: paused, path: path}, paused: paused, waiting: new(atomic.Int32), foreground: new(atomic.Uint64), prepared: &statements{m: map[string]*sql.Stmt{}}}
	if err := writer.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	// The checkpointer syncs the database file itself (see held). The
	// descriptor stays open until the connections are closed: closing any
	// descriptor of a file drops the process's POSIX locks on it, SQLite's
	// included.
	if db.checkpoints.file, err = os.OpenFile(path, os.O_RDWR, 0); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.checkpoints.start()
	db.merger = &searchMerger{db: db}
	db.merger.start()
	return db, nil
}

// checkpoints copies the SQLite write-ahead log into the database file
// every checkpointEvery on a connection of its own, in PASSIVE mode: it
// neither waits for nor blocks the writer and the readers. The next
// writer reuses the log from the start once every frame is copied — but
// under steady writes a new frame always arrives before that, and the log
// grew without end (3.5 GB in one retention sweep, and a second-long
// truncation at its end). So once the log holds more than
// checkpointRestartFrames, a RESTART checkpoint right after the PASSIVE
// one copies the few frames written since and waits up to checkpointBusy
// for the readers to leave the log, holding the writer (see restart); the
// next writer then starts the log from the beginning.
//
// While a PASSIVE checkpoint copies, background writers (the retention
// sweeper, the search merger) wait: the copy and its fsync slow every
// transaction down, and intake waiting for a slowed sweeper transaction
// made most of intake's slowest requests during a sweep. The checkpointer
// runs on a background thread (package lowprio).
type checkpoints struct {
	db    *sql.DB
	gate  *writeGate    // the writer, which RESTART and TRUNCATE hold
	pause *atomic.Int32 // above 0 while background writers should wait
	file  *os.File      // the database file, synced before the writer is held
	path  string        // the database file's path
	shmMu sync.Mutex
	shm   *os.File // the WAL index, read by shrinkLog; see walIndex
	stop  chan struct{}
	done  chan struct{}
}

const (
	checkpointEvery         = 250 * time.Millisecond
	checkpointBusy          = 50 * time.Millisecond
	checkpointRetry         = 250 * time.Microsecond
	checkpointRestartFrames = 65536 // 256 MiB of 4-KiB pages
)

func (c *checkpoints) start() {
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	lowprio.Go(func() {
		defer close(c.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				// Errors (e.g. a busy database during a migration by
				// another process) only delay the copy to the next tick.
				frames, err := c.passive(context.Background())
				if err == nil && frames > checkpointRestartFrames {
					c.restart()
				}
			}
		}
	})
}

// passive runs a PASSIVE checkpoint and returns the frames in the log.
// Background writers wait meanwhile (see checkpoints).
func (c *checkpoints) passive(ctx context.Context) (frames int, err error) {
	c.pause.Add(1)
	defer c.pause.Add(-1)
	defer trace.StartRegion(ctx, "checkpoint-passive").End()
	var busy, copied int
	err = c.db.QueryRowContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	return frames, err
}

// restart runs a RESTART checkpoint while holding the writer as a
// background transaction would. RESTART blocks new writers until the
// transaction in progress ends, then copies the frames written since the
// PASSIVE pass, syncs the database file and waits for the readers to
// leave the log. Queued in the writer gate instead, it never waits for a
// writer of ours, and intake transactions that wait go first (it held
// intake up for 40-80 ms once a second in a retention sweep).
func (c *checkpoints) restart() {
	ctx, cancel := context.WithTimeout(context.Background(), checkpointEvery)
	defer cancel()
	c.held(ctx, "RESTART", checkpointBusy)
}

// held runs a checkpoint of mode (RESTART or TRUNCATE) that holds the
// writer, for at most about limit of waiting for readers, and reports
// whether readers kept it from finishing. What such a checkpoint copies
// it copies while holding the writer, so background writers pause first
// and another PASSIVE pass copies what they wrote; only intake's few
// frames are left. SQLite syncs the database file only when a checkpoint
// has copied the whole log, so the sync inside the writer flushed every
// page copied since the last restart: 40-85 ms under a sweep on the
// machine of docs/performance.md. The database file is synced here
// first, without the writer, and the sync inside flushes only intake's
// few pages (restarts hold the writer 2-31 ms).
func (c *checkpoints) held(ctx context.Context, mode string, limit time.Duration) (bool, error) {
	c.pause.Add(1)
	defer c.pause.Add(-1)
	if _, err := c.passive(ctx); err != nil {
		return false, err
	}
	rs := trace.StartRegion(ctx, "checkpoint-sync")
	err := c.file.Sync()
	rs.End()
	if err != nil {
		return false, fmt.Errorf("sync database file: %w", err)
	}
	if err := c.gate.acquire(ctx, true); err != nil {
		return true, err
	}
	defer c.gate.release()
	defer trace.StartRegion(ctx, "checkpoint-"+strings.ToLower(mode)).End()
	deadline := time.Now().Add(limit)
	var busy, frames, copied int
	for {
		// A busy try has still copied what it could; the next one only
		// looks again whether the readers have left.
		err := c.db.QueryRowContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &frames, &copied)
		if err != nil || busy == 0 || time.Now().After(deadline) {
			return busy != 0, err
		}
		time.Sleep(checkpointRetry)
	}
}

func (c *checkpoints) close() error {
	if c.stop != nil {
		close(c.stop)
		<-c.done
	}
	return c.db.Close()
}

// closeFiles closes the database file and the WAL index the
// checkpointer uses; call it after every connection is closed.
func (c *checkpoints) closeFiles() error {
	c.shmMu.Lock()
	defer c.shmMu.Unlock()
	var errs []error
	for _, f := range []*os.File{c.file, c.shm} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	return errors.Join(errs...)
}

// shrinkStep is how much of the log file one step of shrinkLog cuts off
// while holding the writer: cutting a log of 290 MiB at once held it for
// 100-130 ms at the end of a sweep.
var shrinkStep int64 = 32 << 20

// shrinkLog cuts the log file back, shrinkStep at a time while holding
// the writer each time, until at most shrinkStep lies beyond the frames
// in use. Call it after a RESTART checkpoint: the frames beyond those in
// use hold old pages (deleted content among them), and the TRUNCATE that
// follows has little left to free. The end of the frames in use comes
// from the WAL index (https://sqlite.org/walformat.html); when the index
// does not look as documented, nothing is cut.
func (c *checkpoints) shrinkLog(ctx context.Context) error {
	shm := c.walIndex()
	if shm == nil {
		return nil
	}
	wal, err := os.OpenFile(c.path+"-wal", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	// The log file carries no locks of SQLite's, so closing this
	// descriptor releases none.
	defer wal.Close()
	defer trace.StartRegion(ctx, "checkpoint-shrink").End()
	for {
		if err := c.gate.acquire(ctx, true); err != nil {
			return err
		}
		more, err := func() (bool, error) {
			defer c.gate.release()
			end, ok, err := logEnd(shm)
			if err != nil || !ok {
				return false, err
			}
			st, err := wal.Stat()
			if err != nil {
				return false, err
			}
			if st.Size() <= end+shrinkStep {
				return false, nil
			}
			return true, wal.Truncate(st.Size() - shrinkStep)
		}()
		if err != nil || !more {
			return err
		}
	}
}

// walIndex returns the WAL index file (SQLite creates it with the first
// transaction), opened once and kept open until closeFiles: SQLite locks
// it, and closing any descriptor of a file drops the process's locks on
// it. It returns nil where there is none (no shared memory).
func (c *checkpoints) walIndex() *os.File {
	c.shmMu.Lock()
	defer c.shmMu.Unlock()
	if c.shm == nil {
		if f, err := os.Open(c.path + "-shm"); err == nil {
			c.shm = f
		}
	}
	return c.shm
}

// logEnd returns the offset in the log file behind its last frame in
// use, read from the header of the WAL index; ok is false when the header
// is not as documented or its two copies differ (a writer is changing
// it). Call it while holding the writer.
func logEnd(shm *os.File) (end int64, ok bool, err error) {
	var h [96]byte
	if _, err := shm.ReadAt(h[:], 0); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, false, nil
		}
		return 0, false, err
	}
	if !bytes.Equal(h[:48], h[48:]) {
		return 0, false, nil
	}
	ne := binary.NativeEndian
	if ne.Uint32(h[0:]) != 3007000 || h[12] != 1 {
		return 0, false, nil
	}
	page := int64(ne.Uint16(h[14:]))
	if page == 1 {
		page = 65536
	}
	if page < 512 {
		return 0, false, nil
	}
	frames := int64(ne.Uint32(h[16:]))
	return 32 + frames*(24+page), true, nil
}

// openPostgres opens a pool on a PostgreSQL database. Every node of a
// cluster opens its own; the database coordinates them.
func openPostgres(ctx context.Context, dsn string, clk clock.Clock) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Frist's queries read a page each; starting parallel workers costs
	// more than it saves.
	if _, ok := cfg.RuntimeParams["max_parallel_workers_per_gather"]; !ok {
		cfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "frist"
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{writer: pool, reader: pool, clock: clk, dialect: postgresDialect, waiting: new(atomic.Int32), foreground: new(atomic.Uint64)}
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// Close closes the pools.
func (db *DB) Close() error {
	if db.reader == db.writer {
		return db.writer.Close()
	}
	if db.merger != nil {
		db.merger.close()
	}
	db.prepared.close()
	cerr := db.checkpoints.close()
	rerr, werr := db.reader.Close(), db.writer.Close()
	return errors.Join(cerr, rerr, werr, db.checkpoints.closeFiles())
}

// Path returns the SQLite database file path, or "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Writers returns how many transactions may write at once with profit:
// one on SQLite, which has a single writer, several on PostgreSQL.
func (db *DB) Writers() int {
	if db.dialect == postgresDialect {
		return 4
	}
	return 1
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Clock returns the clock transactions take their time from.
func (db *DB) Clock() clock.Clock { return db.clock }

// Migrate applies the embedded migrations that are not applied yet, each
// in its own transaction, and returns how many it applied. On PostgreSQL
// an advisory lock makes nodes that start at once apply them one after
// the other.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.dialect.migrationLock != "" {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+db.dialect.migrationLock+`)`); err != nil {
			return 0, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+db.dialect.migrationLock+`)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + db.dialect.name
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return 0, err
	}
	sort.Strings(names)
	applied := 0
	for _, name := range names {
		version := strings.TrimSuffix(filepath.Base(name), ".sql")
		body, err := migrations.ReadFile(name)
		if err != nil {
			return applied, err
		}
		err = func() error {
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			var n int
			if err := tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, fmtTime(db.clock.Now())); err != nil {
				return err
			}
			applied++
			return tx.Commit()
		}()
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", version, err)
		}
	}
	if db.dialect == sqliteDialect {
		// A search index rebuild the last process left unfinished: a new
		// index not swapped in yet, or an old one not yet deleted.
		if err := dropRebuild(ctx, conn); err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `DROP TABLE IF EXISTS message_search_old`); err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
	}
	return applied, nil
}

// Tx is a database transaction with the time fixed at its start.
type Tx struct {
	tx    *sql.Tx
	now   time.Time
	ctx   context.Context
	stmts map[string]*sql.Stmt // prepared in this transaction, closed with it
	fresh []string             // queries of stmts to keep for later transactions
	d     *dialect
	db    *DB
	kept  *statements // the writer's, for write transactions on SQLite

	// index holds search index rows written at commit. FTS5 writes its
	// pending terms to disk whenever a savepoint or statement transaction
	// opens, which the inserts after each message do; writing the index
	// rows last, together, lets FTS5 merge a whole group commit into one
	// segment instead of one per ticket. A write transaction therefore does
	// not find its own messages by search.
	index []indexRow
}

// indexRow is one message's row of the search index.
type indexRow struct {
	rowid, ticketID int64
	subject, body   string
}

// Now returns the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// Write runs fn in a write transaction and commits it if fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.writer, false, false, fn)
}

// WriteBackground runs fn in a write transaction like Write, for work that
// may wait (the retention sweeper, search index merges): on SQLite, with
// its single writer, it lets the write transactions that wait to begin go
// first, for up to backgroundYield, so that intake does not queue behind
// a stream of background transactions.
func (db *DB) WriteBackground(ctx context.Context, fn func(tx *Tx) error) error {
	if db.dialect == sqliteDialect {
		// A checkpoint that needs a moment without writers goes first
		// (checkpoints.held), then waiting foreground transactions.
		if err := waitWhile(ctx, "checkpoint-pause", func() bool { return db.paused.Load() > 0 }); err != nil {
			return err
		}
		if err := waitWhile(ctx, "write-yield", func() bool { return db.waiting.Load() > 0 }); err != nil {
			return err
		}
	}
	return db.run(ctx, db.writer, false, true, fn)
}

// waitWhile waits, as trace region name, while cond holds, for at most
// backgroundYield.
func waitWhile(ctx context.Context, name string, cond func() bool) error {
	if !cond() {
		return nil
	}
	defer trace.StartRegion(ctx, name).End()
	deadline := time.Now().Add(backgroundYield)
	for cond() && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Microsecond):
		}
	}
	return nil
}

// backgroundYield bounds how long a background write lets others go
// first, so that a steady stream of foreground writes cannot starve it.
var backgroundYield = 100 * time.Millisecond

// Read runs fn in a read-only transaction.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.reader, true, false, fn)
}

// run runs fn in a transaction; write transactions other than background
// ones count as waiting while they wait to begin (see OthersWaiting).
func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly, background bool, fn func(tx *Tx) error) error {
	var opts *sql.TxOptions
	if readOnly && db.dialect.readOnlyTx {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	counted := !readOnly && !background
	if counted {
		db.waiting.Add(1)
	}
	rg := trace.StartRegion(ctx, "write-begin")
	if !readOnly && db.gate != nil {
		if err := db.gate.acquire(ctx, background); err != nil {
			rg.End()
			if counted {
				db.waiting.Add(-1)
			}
			return fmt.Errorf("begin: %w", err)
		}
		defer db.gate.release()
	}
	stx, err := pool.BeginTx(ctx, opts)
	rg.End()
	if counted {
		db.waiting.Add(-1)
	}
	if !readOnly {
		defer trace.StartRegion(ctx, "write-held").End()
	} else {
		defer trace.StartRegion(ctx, "read-held").End()
	}
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// The statements of a write transaction run without ctx's
	// cancellation: the SQLite driver starts a goroutine per statement to
	// watch a cancellable context, thousands a second under the retention
	// sweeper, and they crowded intake out of the scheduler. The
	// transaction still ends with ctx (database/sql rolls it back), and
	// its statements are short.
	sctx := ctx
	if !readOnly {
		sctx = context.WithoutCancel(ctx)
	}
	tx := &Tx{tx: stx, now: db.clock.Now().UTC().Truncate(time.Microsecond), ctx: sctx, d: db.dialect, db: db}
	if !readOnly {
		tx.kept = db.prepared
	}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if readOnly {
		return stx.Rollback()
	}
	rf := trace.StartRegion(ctx, "flush-index")
	err = tx.flushIndex()
	rf.End()
	if err != nil {
		stx.Rollback()
		return err
	}
	defer trace.StartRegion(ctx, "commit").End()
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if len(tx.fresh) > 0 {
		// The gate is still ours: the writer connection is idle.
		tx.kept.keep(sctx, pool, tx.fresh)
	}
	if db.merger != nil {
		db.merger.writes.Add(1)
	}
	if counted {
		db.foreground.Add(1)
	}
	return nil
}

// OthersWaiting reports whether another write transaction (not a
// background one) waits for this one to end: on SQLite, with its single writer, long work (the retention
// sweeper) commits early then, so that intake waits briefly.
func (tx *Tx) OthersWaiting() bool {
	return tx.db != nil && tx.db.dialect == sqliteDialect && tx.db.waiting.Load() > 0
}

// Savepoint runs fn inside a savepoint of tx: if fn fails, only its own
// changes are undone. Group commit uses it so that one bad request in a
// batch does not fail the others.
func (tx *Tx) Savepoint(name string, fn func() error) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `SAVEPOINT `+name); err != nil {
		return err
	}
	indexed := len(tx.index)
	if err := fn(); err != nil {
		tx.index = tx.index[:indexed]
		if _, rerr := tx.tx.ExecContext(tx.ctx, `ROLLBACK TO SAVEPOINT `+name); rerr != nil {
			return errors.Join(err, rerr)
		}
		tx.tx.ExecContext(tx.ctx, `RELEASE SAVEPOINT `+name)
		return err
	}
	_, err := tx.tx.ExecContext(tx.ctx, `RELEASE SAVEPOINT `+name)
	return err
}

// flushIndex writes the pending search index rows.
func (tx *Tx) flushIndex() error {
	if len(tx.index) == 0 {
		return nil
	}
	cursor, rebuilding, err := tx.rebuildCursor()
	if err != nil {
		return fmt.Errorf("index message: %w", err)
	}
	for _, r := range tx.index {
		if _, err := tx.exec(tx.d.indexInsert, tx.d.indexArgs(r)...); err != nil {
			return fmt.Errorf("index message: %w", err)
		}
		// A rebuild that has passed this message's id would miss it.
		if rebuilding && r.rowid <= cursor {
			if _, err := tx.exec(`INSERT INTO message_search_new (rowid, subject, body) VALUES (?, ?, ?)`, tx.d.indexArgs(r)...); err != nil {
				return fmt.Errorf("index message: %w", err)
			}
		}
	}
	tx.index = nil
	return nil
}

// stmt returns a statement for query prepared once per transaction, or
// nil when preparing fails (the caller then runs the query unprepared and
// gets the error from there). Parsing SQL is about a third of an insert's
// cost in SQLite; a group-commit transaction inserts many tickets with the
// same statements.
func (tx *Tx) stmt(query string) *sql.Stmt {
	if !tx.d.prepare {
		return nil
	}
	if s, ok := tx.stmts[query]; ok {
		return s
	}
	var s *sql.Stmt
	if k := tx.kept.get(query); k != nil {
		s = tx.tx.StmtContext(tx.ctx, k)
	} else {
		var err error
		if s, err = tx.tx.PrepareContext(tx.ctx, query); err != nil {
			return nil
		}
		if tx.kept != nil {
			tx.fresh = append(tx.fresh, query)
		}
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = s
	return s
}

// sqlRegion names a statement's region in a Go execution trace (frist
// loadtest --trace) by its first words.
func sqlRegion(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 60 {
		q = q[:60]
	}
	return "sql:" + q
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	if trace.IsEnabled() {
		defer trace.StartRegion(tx.ctx, sqlRegion(query)).End()
	}
	if s := tx.stmt(query); s != nil {
		return s.ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, tx.d.rebind(query), args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if trace.IsEnabled() {
		defer trace.StartRegion(tx.ctx, sqlRegion(query)).End()
	}
	if s := tx.stmt(query); s != nil {
		return s.QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, tx.d.rebind(query), args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if s := tx.stmt(query); s != nil {
		return s.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, tx.d.rebind(query), args...)
}

// timeLayout is fixed-width so that text comparison orders times.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// noDeadline is due_at when no deadline is pending.
const noDeadline = "9999-12-31T23:59:59.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime formats t, or returns nil for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

// timeScanner scans a text or time column into a time.Time; NULL becomes
// the zero time.
type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = x.UTC()
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	default:
		return fmt.Errorf("cannot scan %T into time", v)
	}
	return nil
}

func (s timeScanner) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return err
	}
	*s.t = t.UTC()
	return nil
}

func scanTime(t *time.Time) timeScanner { return timeScanner{t} }

// mapError turns constraint violations into fault errors.
func mapError(err error, what string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// SQLSTATE class 23: integrity constraint violations.
		switch pg.Code {
		case "23505":
			msg = "UNIQUE constraint failed"
		case "23503":
			msg = "FOREIGN KEY constraint failed"
		}
	}
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return &fault.Error{Code: fault.Conflict, Message: what + " already exists.", Err: err}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return &fault.Error{Code: fault.Invalid, Message: what + " refers to something that does not exist.", Err: err}
	}
	return err
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Analyze refreshes the query planner's statistics (SQLite's
// PRAGMA optimize, which runs ANALYZE where tables changed enough; on
// PostgreSQL autovacuum does this and Analyze does nothing). The
// analysis limit samples each index instead of reading it whole, so that
// the writer is held for milliseconds, not seconds, at a million tickets.
func (tx *Tx) Analyze() error {
	if tx.d.name != sqliteDialect.name {
		return nil // PostgreSQL's autovacuum keeps statistics current
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `PRAGMA analysis_limit=1000`); err != nil {
		return err
	}
	_, err := tx.tx.ExecContext(tx.ctx, `PRAGMA optimize=0x10002`)
	return err
}
