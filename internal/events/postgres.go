package events

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultChannel is the PostgreSQL notification channel NewPostgres uses
// unless WithChannel says otherwise.
const DefaultChannel = "frist_events"

// Channel returns the notification channel of the installation whose tables
// live in namespace, typically its PostgreSQL schema: DefaultChannel for "",
// else a name derived from namespace. Channels are shared by the whole
// database, not per schema, so installations (and tests) that share a
// database through search_path must use distinct channels, or they see each
// other's events.
func Channel(namespace string) string {
	if namespace == "" {
		return DefaultChannel
	}
	h := fnv.New64a()
	h.Write([]byte(namespace))
	return fmt.Sprintf("%s_%016x", DefaultChannel, h.Sum64())
}

// Defaults for the PostgreSQL bus.
const (
	// defaultApplicationName names the bus's connections in
	// pg_stat_activity unless the DSN sets application_name.
	defaultApplicationName = "frist-events"
	// publishConns bounds the publishing pool: NOTIFY is quick, and every
	// node also holds one listener connection.
	publishConns = 4
	// defaultCheckInterval is how long the listener waits for a
	// notification before it pings, so that a silently dead connection is
	// noticed; each ping may take as long.
	defaultCheckInterval = 15 * time.Second
	// minBackoff and maxBackoff bound the wait between reconnect attempts.
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// PostgresOption configures NewPostgres.
type PostgresOption func(*postgresConfig)

type postgresConfig struct {
	channel string
	check   time.Duration
}

// WithChannel sets the notification channel, at most 63 bytes; all nodes of
// an installation must use the same one (see Channel).
func WithChannel(name string) PostgresOption {
	return func(c *postgresConfig) { c.channel = name }
}

// postgres is the Bus that spans nodes through LISTEN/NOTIFY.
type postgres struct {
	channel string
	check   time.Duration
	pool    *pgxpool.Pool
	log     *slog.Logger
	hub     *hub

	closed    atomic.Bool
	cancel    context.CancelFunc // stops the listener
	done      chan struct{}      // closed when the listener has stopped
	closeOnce sync.Once
}

// NewPostgres connects to PostgreSQL at dsn and returns a Bus that spans all
// nodes using the same database and channel (DefaultChannel unless
// WithChannel is given).
//
// Publish sends the event with pg_notify over a small connection pool. A
// dedicated listener connection receives every notification on the channel —
// also those this node published — and delivers it to the local subscribers,
// so delivery is the same for local and remote events. When the listener
// connection breaks, the bus logs a warning to log, reconnects with backoff,
// and delivers a KindResync event once it listens again: events published in
// between are lost.
//
// Warnings go to log (the default logger when nil); they name the error,
// never event contents. ctx bounds only the initial connection: NewPostgres
// returns an error if it cannot connect and LISTEN, and once it returns,
// events published anywhere reach its subscribers. The connections are named
// frist-events in pg_stat_activity unless dsn sets application_name. Close
// releases them.
func NewPostgres(ctx context.Context, dsn string, log *slog.Logger, opts ...PostgresOption) (Bus, error) {
	cfg := postgresConfig{channel: DefaultChannel, check: defaultCheckInterval}
	for _, o := range opts {
		o(&cfg)
	}
	// LISTEN takes an identifier, which PostgreSQL truncates to 63 bytes,
	// while pg_notify would refuse the long name: insist on agreement.
	if cfg.channel == "" || len(cfg.channel) > 63 {
		return nil, fmt.Errorf("events: channel name must have 1 to 63 bytes, not %d", len(cfg.channel))
	}
	if log == nil {
		log = slog.Default()
	}

	poolCfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("events: parse dsn: %w", err)
	}
	poolCfg.MaxConns = publishConns
	setApplicationName(poolCfg.ConnConfig)
	connCfg := poolCfg.ConnConfig.Copy()

	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return nil, fmt.Errorf("events: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("events: ping: %w", err)
	}

	b := &postgres{
		channel: cfg.channel,
		check:   cfg.check,
		pool:    pool,
		log:     log,
		hub:     newHub(),
		done:    make(chan struct{}),
	}
	// The first LISTEN happens before NewPostgres returns, so that no event
	// published after it returns can be missed.
	conn, err := b.listen(ctx, connCfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	lctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	go b.run(lctx, connCfg, conn)
	return b, nil
}

// setApplicationName names connections in pg_stat_activity unless the DSN
// already does.
func setApplicationName(c *pgx.ConnConfig) {
	if c.RuntimeParams["application_name"] == "" {
		c.RuntimeParams["application_name"] = defaultApplicationName
	}
}

// Publish implements Bus.
func (b *postgres) Publish(ctx context.Context, e Event) error {
	if b.closed.Load() {
		return ErrClosed
	}
	payload, err := encode(e)
	if err != nil {
		return err
	}
	if _, err := b.pool.Exec(ctx, "SELECT pg_notify($1, $2)", b.channel, string(payload)); err != nil {
		if b.closed.Load() {
			return ErrClosed
		}
		return fmt.Errorf("publish %s: notify: %w", e.Kind, err)
	}
	return nil
}

// Subscribe implements Bus.
func (b *postgres) Subscribe(buffer int) *Subscription {
	return b.hub.subscribe(buffer)
}

// Resume implements Bus. Every node delivers every event it receives
// through NOTIFY, its own included, so a client may resume on any node that
// received the event it saw last.
func (b *postgres) Resume(lastID string, buffer int) (*Subscription, []Event, bool) {
	return b.hub.resume(lastID, buffer)
}

// Close implements Bus. It stops the listener, closes the pool and closes the
// channels of all subscriptions.
func (b *postgres) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		b.cancel()
		<-b.done
		b.pool.Close()
		b.hub.close()
	})
	return nil
}

// listen opens the listener connection and subscribes it to the channel.
func (b *postgres) listen(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("events: connect listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{b.channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("events: listen: %w", err)
	}
	return conn, nil
}

// run receives notifications on conn until ctx ends, reconnecting with
// backoff whenever the connection breaks.
func (b *postgres) run(ctx context.Context, cfg *pgx.ConnConfig, conn *pgx.Conn) {
	defer close(b.done)
	backoff := minBackoff
	for {
		if conn != nil {
			err := b.receive(ctx, conn)
			closeConn(conn)
			conn = nil
			if ctx.Err() != nil {
				return
			}
			b.log.Warn("events: listener connection lost, reconnecting", "err", err)
			backoff = minBackoff
		}

		// Jitter keeps nodes from reconnecting in lockstep after a
		// database restart.
		wait := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}

		var err error
		conn, err = b.listen(ctx, cfg)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff = min(backoff*2, maxBackoff)
			b.log.Warn("events: listener reconnect failed", "err", err, "retry_in", backoff)
			continue
		}
		b.log.Info("events: listener reconnected")
		b.hub.deliver(resync())
	}
}

// receive delivers notifications from conn until ctx ends or the connection
// fails. It returns why it stopped.
func (b *postgres) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, b.check)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded):
			// Quiet for a while: make sure the connection still lives.
			pctx, cancel := context.WithTimeout(ctx, b.check)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
			continue
		case err != nil:
			return fmt.Errorf("wait for notification: %w", err)
		}
		e, err := decode([]byte(n.Payload))
		if err != nil {
			// Someone else notifies on our channel; say how much, not what.
			b.log.Warn("events: ignored undecodable notification", "bytes", len(n.Payload), "err", err)
			continue
		}
		b.hub.deliver(e)
	}
}

// closeConn closes conn, giving a broken connection little time.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn.Close(ctx)
}
