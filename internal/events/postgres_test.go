package events_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"frist/internal/events"
	"frist/internal/store/storetest"
)

// unique returns a name no other test run uses, fit for a channel or an
// application_name.
func unique(prefix string) string {
	return prefix + "_" + strings.ToLower(rand.Text())
}

// newPostgresBus returns a bus ("node") on the test database; it is closed at
// cleanup. Buses of one test share the channel.
func newPostgresBus(t *testing.T, dsn, channel string) events.Bus {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	bus, err := events.NewPostgres(t.Context(), dsn, log, events.WithChannel(channel))
	if err != nil {
		t.Fatalf("NewPostgres: %v", err)
	}
	t.Cleanup(func() { bus.Close() })
	return bus
}

func TestPostgres(t *testing.T) {
	dsn := storetest.DSN(t)
	newBus := func(t *testing.T) events.Bus {
		return newPostgresBus(t, dsn, unique("frist_test"))
	}
	testBus(t, newBus)
	testResume(t, newBus)
}

// TestPostgresResumeOtherNode resumes on node b with the ID of an event a
// client saw on node a, as after a load balancer switched nodes.
func TestPostgresResumeOtherNode(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	channel := unique("frist_test")
	a, b := newPostgresBus(t, dsn, channel), newPostgresBus(t, dsn, channel)
	onA, onB := a.Subscribe(10), b.Subscribe(10)
	for i := range 3 {
		if err := a.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated, TicketID: int64(i + 1)}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	seen := receive(t, onA, 1)
	receive(t, onB, 3) // b has received all three
	sub, replay, ok := b.Resume(seen[0].ID, 10)
	defer sub.Close()
	if !ok || len(replay) != 2 || replay[0].TicketID != 2 || replay[1].TicketID != 3 {
		t.Fatalf("Resume on b after a's first event: ok %v, replay %+v; want tickets 2 and 3", ok, replay)
	}
}

// TestPostgresNodes runs two buses on one database, as two nodes would: an
// event published on either reaches the subscribers of both.
func TestPostgresNodes(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	channel := unique("frist_test")
	a, b := newPostgresBus(t, dsn, channel), newPostgresBus(t, dsn, channel)
	subs := map[string]*events.Subscription{
		"a1": a.Subscribe(10), "a2": a.Subscribe(10), "b1": b.Subscribe(10),
	}
	other := newPostgresBus(t, dsn, unique("frist_test")).Subscribe(10)

	if err := a.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated, TicketID: 1}); err != nil {
		t.Fatalf("Publish on a: %v", err)
	}
	if err := b.Publish(t.Context(), events.Event{Kind: events.KindTicketAssigned, TicketID: 1, Department: "it"}); err != nil {
		t.Fatalf("Publish on b: %v", err)
	}
	for name, s := range subs {
		got := receive(t, s, 2)
		if got[0].Kind != events.KindTicketCreated || got[1].Kind != events.KindTicketAssigned || got[1].Department != "it" {
			t.Errorf("%s received %+v, want the created then the assigned event", name, got)
		}
	}
	select {
	case e := <-other.C:
		t.Errorf("bus on another channel received %+v, want nothing", e)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestPostgresReconnect kills the listener's backend: the bus reconnects,
// announces KindResync, and delivers events published afterwards.
func TestPostgresReconnect(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	app := unique("frist_test")
	channel := unique("frist_test")
	bus := newPostgresBus(t, storetest.WithApplicationName(dsn, app), channel)
	s := bus.Subscribe(10)

	admin := connect(t, dsn)
	listener := func() int32 { return listenerPID(t, dsn, app) }

	old := listener()
	var terminated bool
	if err := admin.QueryRow(t.Context(), "SELECT pg_terminate_backend($1)", old).Scan(&terminated); err != nil || !terminated {
		t.Fatalf("pg_terminate_backend: %v, %v", terminated, err)
	}
	if e := receive(t, s, 1)[0]; e.Kind != events.KindResync {
		t.Fatalf("after the listener was killed, received %+v, want %s", e, events.KindResync)
	}
	if pid := listener(); pid == old {
		t.Fatalf("listener backend is still %d, want a new one", pid)
	}

	if err := bus.Publish(t.Context(), events.Event{Kind: events.KindSLABreach, TicketID: 5}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if e := receive(t, s, 1)[0]; e.Kind != events.KindSLABreach || e.TicketID != 5 {
		t.Errorf("received %+v, want the breach of ticket 5", e)
	}
}

// TestPostgresQuietListener lets the listener wait longer than its check
// interval: it pings, keeps its connection and still delivers.
func TestPostgresQuietListener(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	app := unique("frist_test")
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	bus, err := events.NewPostgres(t.Context(), storetest.WithApplicationName(dsn, app), log,
		events.WithChannel(unique("frist_test")), events.WithCheckInterval(50*time.Millisecond))
	if err != nil {
		t.Fatalf("NewPostgres: %v", err)
	}
	t.Cleanup(func() { bus.Close() })
	s := bus.Subscribe(10)
	admin := connect(t, dsn)
	// The listener soon shows its ping as last query, so it cannot be told
	// from the pool's connections; that none of them is replaced is proof
	// enough.
	backends := func() []int32 {
		t.Helper()
		rows, err := admin.Query(t.Context(), `SELECT pid FROM pg_stat_activity
			WHERE application_name = $1 ORDER BY pid`, app)
		if err != nil {
			t.Fatalf("list backends: %v", err)
		}
		pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			t.Fatalf("list backends: %v", err)
		}
		return pids
	}
	before := backends()
	if len(before) < 2 {
		t.Fatalf("backends %v, want the listener and a pool connection", before)
	}

	time.Sleep(300 * time.Millisecond)
	if err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated, TicketID: 4}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if e := receive(t, s, 1)[0]; e.Kind != events.KindTicketCreated || e.TicketID != 4 {
		t.Errorf("received %+v, want the creation of ticket 4 (and no resync)", e)
	}
	after := backends()
	for _, pid := range before {
		if !slices.Contains(after, pid) {
			t.Errorf("backend %d is gone (backends before %v, after %v), want the same connections throughout", pid, before, after)
		}
	}
}

// connect opens a connection for inspecting and killing backends.
func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// listenerPID returns the backend pid of the listener connection of the bus
// whose connections are named app.
func listenerPID(t *testing.T, dsn, app string) int32 {
	t.Helper()
	var pid int32
	err := connect(t, dsn).QueryRow(t.Context(), `SELECT pid FROM pg_stat_activity
		WHERE application_name = $1 AND query LIKE 'LISTEN%'`, app).Scan(&pid)
	if err != nil {
		t.Fatalf("find listener backend: %v", err)
	}
	return pid
}
