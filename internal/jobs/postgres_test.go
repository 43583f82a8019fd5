package jobs_test

import (
	"context"
	"crypto/rand"
	"fmt"
	mathrand "math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"frist/internal/jobs"
	"frist/internal/store/storetest"
)

// Short intervals keep the tests quick: takeover needs about retry + 2×check.
const (
	testRetry = 100 * time.Millisecond
	testCheck = 100 * time.Millisecond
	testJob   = 20 * time.Millisecond
)

// testKey returns an advisory lock key no other test uses.
func testKey() int64 { return mathrand.Int64() }

// newLeader returns a Postgres leader for key whose connections carry the
// returned application_name.
func newLeader(t *testing.T, dsn string, key int64) (jobs.Leader, string) {
	t.Helper()
	app := "frist_test_" + strings.ToLower(rand.Text())
	l, err := jobs.Postgres(storetest.WithApplicationName(dsn, app), key,
		jobs.WithRetryInterval(testRetry), jobs.WithCheckInterval(testCheck), jobs.WithLogger(testLogger(t)))
	if err != nil {
		t.Fatalf("Postgres: %v", err)
	}
	return l, app
}

func TestPostgresLeader(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	key := testKey()
	a, _ := newLeader(t, dsn, key)
	b, _ := newLeader(t, dsn, key)

	actx, stepDown := context.WithCancel(t.Context())
	defer stepDown()
	leadA, err := a.Acquire(actx)
	if err != nil {
		t.Fatalf("a: Acquire: %v", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if _, err := b.Acquire(ctx); err == nil {
		t.Fatal("b: Acquire while a leads: err = nil, want the context's error")
	}

	acquired := make(chan context.Context)
	go func() {
		lead, err := b.Acquire(t.Context())
		if err != nil {
			t.Errorf("b: Acquire: %v", err)
		}
		acquired <- lead
	}()
	select {
	case <-acquired:
		t.Fatal("b acquired while a leads")
	case <-time.After(300 * time.Millisecond):
	}
	stepDown()
	select {
	case <-leadA.Done():
	default:
		t.Error("a's leadership context is not done after a stepped down")
	}
	select {
	case lead := <-acquired:
		if lead.Err() != nil {
			t.Errorf("b's leadership context is done: %v", lead.Err())
		}
	case <-time.After(3 * time.Second):
		t.Fatal("b did not acquire within 3s after a stepped down")
	}
}

// cluster is two or more runners ("nodes") on the same lock key, each
// recording its job runs.
type cluster struct {
	t       *testing.T
	names   []string
	runners map[string]*jobs.Runner
	apps    map[string]string             // runner name → application_name
	stop    map[string]context.CancelFunc // stops the runner, like the node dying
	done    map[string]<-chan error

	mu    sync.Mutex
	runs  []run
	terms map[context.Context]int // leadership term of each job context

	overlaps atomic.Int64 // samples at which more than one runner led
}

// run is one run of the job.
type run struct {
	runner string
	term   int
	at     time.Time
}

func newCluster(t *testing.T, dsn string, names ...string) *cluster {
	c := &cluster{
		t: t, names: names,
		runners: map[string]*jobs.Runner{}, apps: map[string]string{},
		stop: map[string]context.CancelFunc{}, done: map[string]<-chan error{},
		terms: map[context.Context]int{},
	}
	key := testKey()
	for _, name := range names {
		l, app := newLeader(t, dsn, key)
		r := jobs.New(l, testLogger(t).With("runner", name))
		r.Every("record", testJob, func(ctx context.Context) error {
			c.record(name, ctx)
			return nil
		})
		ctx, cancel := context.WithCancel(t.Context())
		c.runners[name], c.apps[name], c.stop[name] = r, app, cancel
		c.done[name] = start(t, r, ctx)
	}

	// Sample IsLeader of all runners until the test ends.
	sampling, stopSampling := context.WithCancel(context.Background())
	var sampled sync.WaitGroup
	sampled.Go(func() {
		for sampling.Err() == nil {
			n := 0
			for _, r := range c.runners {
				if r.IsLeader() {
					n++
				}
			}
			if n > 1 {
				c.overlaps.Add(1)
			}
			time.Sleep(time.Millisecond)
		}
	})
	t.Cleanup(func() {
		stopSampling()
		sampled.Wait()
	})
	return c
}

func (c *cluster) record(name string, ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	term, ok := c.terms[ctx]
	if !ok {
		term = len(c.terms) + 1
		c.terms[ctx] = term
	}
	c.runs = append(c.runs, run{runner: name, term: term, at: time.Now()})
}

// leader waits until exactly one runner leads and has run the job in its
// current term, and returns its name.
func (c *cluster) leader(after int) string {
	c.t.Helper()
	var name string
	waitFor(c.t, "a leader runs the job", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.terms) <= after {
			return false
		}
		name = c.runs[len(c.runs)-1].runner
		return c.runners[name].IsLeader()
	})
	return name
}

// termCount returns the number of leadership terms seen so far.
func (c *cluster) termCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.terms)
}

// check verifies that leadership was exclusive: at no sampled instant did two
// runners lead, each term belongs to one runner, and the terms' runs do not
// interleave (each term's runs all come after the previous term's).
func (c *cluster) check() {
	c.t.Helper()
	if n := c.overlaps.Load(); n > 0 {
		c.t.Errorf("two runners led at once at %d sampled instants", n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	owner := map[int]string{}
	last := 0
	for i, r := range c.runs {
		if o, ok := owner[r.term]; ok && o != r.runner {
			c.t.Errorf("term %d ran on %s and %s", r.term, o, r.runner)
		}
		owner[r.term] = r.runner
		if r.term < last {
			c.t.Errorf("run %d (%s at %s) belongs to term %d, but term %d had already run: terms overlap",
				i, r.runner, r.at.Format("15:04:05.000"), r.term, last)
		}
		last = max(last, r.term)
	}
	c.t.Logf("%d runs in %d terms: %s", len(c.runs), len(owner), c.summary())
}

// summary describes the terms, e.g. "a×12 b×30".
func (c *cluster) summary() string {
	var parts []string
	for i, r := range c.runs {
		if i == 0 || c.runs[i-1].term != r.term {
			parts = append(parts, fmt.Sprintf("%s×", r.runner))
		}
		parts[len(parts)-1] += "."
	}
	for i, p := range parts {
		name, dots, _ := strings.Cut(p, "×")
		parts[i] = fmt.Sprintf("%s×%d", name, len(dots))
	}
	return strings.Join(parts, " ")
}

// TestPostgresFailover stops the leading node: the other one takes over
// within a few seconds, and the two never lead at once.
func TestPostgresFailover(t *testing.T) {
	t.Parallel()
	c := newCluster(t, storetest.DSN(t), "a", "b")
	first := c.leader(0)
	time.Sleep(300 * time.Millisecond) // let the other node try and fail
	terms := c.termCount()

	began := time.Now()
	c.stop[first]()
	if err := <-c.done[first]; err != nil {
		t.Errorf("%s: Run: %v", first, err)
	}
	second := c.leader(terms)
	t.Logf("%s took over from %s after %v", second, first, time.Since(began).Round(time.Millisecond))
	if second == first {
		t.Fatalf("%s leads again after it stopped", first)
	}
	time.Sleep(200 * time.Millisecond)
	c.check()
}

// TestPostgresConnectionKilled terminates the leader's connection on the
// server: the leader notices and stops, and a runner (either one) leads again
// within a few seconds, never two at once.
func TestPostgresConnectionKilled(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	c := newCluster(t, dsn, "a", "b")
	admin, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })

	leader := c.leader(0)
	for round := range 2 {
		time.Sleep(200 * time.Millisecond)
		terms := c.termCount()

		began := time.Now()
		var killed int
		err := admin.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid))
			FROM pg_stat_activity WHERE application_name = $1`, c.apps[leader]).Scan(&killed)
		if err != nil || killed != 1 {
			t.Fatalf("round %d: terminate %s's backend: killed %d, %v; want 1", round, leader, killed, err)
		}
		next := c.leader(terms)
		t.Logf("round %d: %s leads %v after %s's connection was killed",
			round, next, time.Since(began).Round(time.Millisecond), leader)
		leader = next
	}
	time.Sleep(200 * time.Millisecond)
	c.check()
}
