package jobs

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultLockKey is the advisory lock key for Frist's periodic jobs; it spells
// "frist" in ASCII. Advisory lock keys are shared by everything that uses the
// database, so all nodes must use this key and nothing else may.
const DefaultLockKey int64 = 0x6672697374

// LockKey returns the advisory lock key of the installation whose tables
// live in namespace, typically its PostgreSQL schema: DefaultLockKey for "",
// else a key derived from namespace. Advisory locks are shared by the whole
// database, not per schema, so installations (and tests) that share a
// database through search_path must use distinct keys, or only one of them
// runs its jobs.
func LockKey(namespace string) int64 {
	if namespace == "" {
		return DefaultLockKey
	}
	h := fnv.New64a()
	h.Write([]byte("frist jobs\x00" + namespace))
	return int64(h.Sum64())
}

// Defaults for Postgres.
const (
	DefaultRetryInterval = time.Second
	DefaultCheckInterval = time.Second

	// defaultApplicationName names the lock connection in
	// pg_stat_activity unless the DSN sets application_name.
	defaultApplicationName = "frist-jobs"
	// dialTimeout bounds one attempt to connect and take the lock.
	dialTimeout = 10 * time.Second
	// logEvery limits warnings about a database that stays unreachable.
	logEvery = time.Minute
)

// serverTimeouts are the session settings of the lock connection that let the
// server detect a dead client: keepalive probes after 10 s of silence, every
// 5 s, 3 times, and at most 30 s (in ms) for unacknowledged data.
var serverTimeouts = map[string]string{
	"tcp_keepalives_idle":     "10",
	"tcp_keepalives_interval": "5",
	"tcp_keepalives_count":    "3",
	"tcp_user_timeout":        "30000",
}

// PostgresOption configures Postgres.
type PostgresOption func(*postgresLeader)

// WithRetryInterval sets how often a node that does not lead tries to take
// the lock (DefaultRetryInterval).
func WithRetryInterval(d time.Duration) PostgresOption {
	return func(l *postgresLeader) { l.retry = d }
}

// WithCheckInterval sets how often the leader pings its connection
// (DefaultCheckInterval); it also bounds each ping and sets the grace period.
func WithCheckInterval(d time.Duration) PostgresOption {
	return func(l *postgresLeader) { l.check = d }
}

// WithLogger sets where connection problems are logged (the default logger
// when not given or nil).
func WithLogger(log *slog.Logger) PostgresOption {
	return func(l *postgresLeader) { l.log = log }
}

// postgresLeader elects a leader through a session-level advisory lock.
type postgresLeader struct {
	config *pgx.ConnConfig
	key    int64
	retry  time.Duration
	check  time.Duration
	log    *slog.Logger
}

// Postgres returns a Leader that elects one node among all that use the same
// database dsn and lock key.
//
// Each Acquire opens a dedicated connection and tries pg_try_advisory_lock(key)
// every retry interval. Once it holds the lock it waits a grace period of two
// check intervals before it reports leadership: a previous leader whose
// connection the server closed notices within that time (see below) and stops.
// While it leads it pings the connection every check interval; when a ping
// fails or takes longer than the check interval, or Acquire's ctx ends, the
// returned context is cancelled and the connection closed, which releases the
// lock. When a node dies its connection closes and PostgreSQL releases the
// lock, so another node leads after about the retry interval plus the grace
// period (3 s with the defaults).
//
// A node whose host dies without closing its connection is noticed by the
// server through TCP keepalives, which the lock connection sets (unless dsn
// does) so that the lock is released within about 30 s; this needs
// PostgreSQL 12 or later.
//
// Connection problems while acquiring are retried and logged at warn level,
// at most once a minute. The connection is named frist-jobs in
// pg_stat_activity unless dsn sets application_name. Postgres returns an
// error only if dsn cannot be parsed or an interval is not positive.
func Postgres(dsn string, key int64, opts ...PostgresOption) (Leader, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("jobs: parse dsn: %w", err)
	}
	if config.RuntimeParams["application_name"] == "" {
		config.RuntimeParams["application_name"] = defaultApplicationName
	}
	// A leader host that vanishes without closing its connection (power
	// loss, network cut) would keep the lock until the server's TCP
	// notices — hours with operating-system defaults. These settings make
	// the server drop such a connection, and release the lock, within
	// about 30 s.
	for name, value := range serverTimeouts {
		if _, ok := config.RuntimeParams[name]; !ok {
			config.RuntimeParams[name] = value
		}
	}
	l := &postgresLeader{
		config: config,
		key:    key,
		retry:  DefaultRetryInterval,
		check:  DefaultCheckInterval,
		log:    slog.Default(),
	}
	for _, o := range opts {
		o(l)
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	if l.retry <= 0 || l.check <= 0 {
		return nil, fmt.Errorf("jobs: intervals must be positive (retry %v, check %v)", l.retry, l.check)
	}
	return l, nil
}

// Acquire implements Leader.
func (l *postgresLeader) Acquire(ctx context.Context) (context.Context, error) {
	var (
		conn     *pgx.Conn // kept between attempts while it works
		failing  bool
		lastWarn time.Time
	)
	fail := func(err error) {
		if ctx.Err() != nil {
			return // not a database problem
		}
		failing = true
		if time.Since(lastWarn) >= logEvery {
			lastWarn = time.Now()
			l.log.Warn("jobs: cannot take the leader lock, retrying", "err", err)
		}
	}
	for {
		var err error
		if conn == nil {
			conn, err = l.connect(ctx)
		}
		if err == nil {
			var held bool
			held, err = l.tryLock(ctx, conn)
			if err == nil && failing {
				failing = false
				l.log.Info("jobs: leader lock reachable again")
			}
			if held {
				var lead context.Context
				lead, err = l.hold(ctx, conn) // closes conn on error
				if err == nil {
					return lead, nil
				}
				conn = nil
			}
		}
		if err != nil {
			fail(err)
			if conn != nil {
				closeConn(conn)
				conn = nil
			}
		}
		sleep(ctx, l.retry)
		if ctx.Err() != nil {
			if conn != nil {
				closeConn(conn)
			}
			return nil, fmt.Errorf("acquire leadership: %w", ctx.Err())
		}
	}
}

func (l *postgresLeader) connect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, l.config)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return conn, nil
}

func (l *postgresLeader) tryLock(ctx context.Context, conn *pgx.Conn) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	var held bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", l.key).Scan(&held); err != nil {
		return false, fmt.Errorf("try advisory lock: %w", err)
	}
	return held, nil
}

// hold waits out the grace period on conn, which holds the lock, and then
// watches it in the background. It returns the leadership context, or an
// error after closing conn.
func (l *postgresLeader) hold(ctx context.Context, conn *pgx.Conn) (context.Context, error) {
	// Grace: the previous leader pings at least once per check interval,
	// and each ping gives up after another check interval.
	sleep(ctx, 2*l.check)
	if err := ctx.Err(); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("acquire leadership: %w", err)
	}
	if err := l.ping(conn); err != nil {
		closeConn(conn)
		return nil, err
	}

	lead, cancel := context.WithCancelCause(ctx)
	go func() {
		t := time.NewTicker(l.check)
		defer t.Stop()
		for {
			select {
			case <-lead.Done():
				// ctx ended: step down.
				closeConn(conn)
				return
			case <-t.C:
			}
			if err := l.ping(conn); err != nil {
				// Stop the jobs first, then release the lock.
				cancel(fmt.Errorf("leader connection: %w", err))
				closeConn(conn)
				return
			}
		}
	}()
	return lead, nil
}

// ping checks conn within one check interval.
func (l *postgresLeader) ping(conn *pgx.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), l.check)
	defer cancel()
	if err := conn.Ping(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// closeConn closes conn, which releases the lock if conn held it; a broken
// connection gets little time.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn.Close(ctx)
}
