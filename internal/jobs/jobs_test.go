package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"frist/internal/jobs"
)

func TestLocalRunner(t *testing.T) {
	t.Parallel()
	r := jobs.New(jobs.Local(), testLogger(t))
	var runs atomic.Int64
	r.Every("count", 20*time.Millisecond, func(ctx context.Context) error {
		runs.Add(1)
		return nil
	})
	if r.IsLeader() {
		t.Error("IsLeader before Run = true, want false")
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := start(t, r, ctx)

	waitFor(t, "job runs three times", func() bool { return runs.Load() >= 3 })
	if !r.IsLeader() {
		t.Error("IsLeader while running = false, want true")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if r.IsLeader() {
		t.Error("IsLeader after Run returned = true, want false")
	}
	n := runs.Load()
	time.Sleep(60 * time.Millisecond)
	if got := runs.Load(); got != n {
		t.Errorf("job ran %d more times after Run returned", got-n)
	}
	if err := r.Run(t.Context()); err == nil {
		t.Error("second Run: err = nil, want an error")
	}
}

// TestRunnerErrorsAndPanics checks that failing and panicking jobs are logged
// with their names and keep being run.
func TestRunnerErrorsAndPanics(t *testing.T) {
	t.Parallel()
	var log logBuffer
	r := jobs.New(jobs.Local(), slog.New(slog.NewJSONHandler(&log, nil)))
	var fails, panics atomic.Int64
	r.Every("fail", 10*time.Millisecond, func(ctx context.Context) error {
		fails.Add(1)
		return errors.New("boom")
	})
	r.Every("panic", 10*time.Millisecond, func(ctx context.Context) error {
		panics.Add(1)
		panic("bang")
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := start(t, r, ctx)
	waitFor(t, "both jobs run three times", func() bool { return fails.Load() >= 3 && panics.Load() >= 3 })
	cancel()
	<-done

	type entry struct {
		Level string `json:"level"`
		Msg   string `json:"msg"`
		Job   string `json:"job"`
		Err   string `json:"err"`
		Panic string `json:"panic"`
	}
	count := map[entry]int{}
	for _, line := range bytes.Split(bytes.TrimSpace(log.Bytes()), []byte("\n")) {
		var e entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if e.Job != "" {
			count[e]++
		}
	}
	for e := range count {
		count[e] = min(count[e], 3) // runs after the first three vary
	}
	want := map[entry]int{
		{Level: "ERROR", Msg: "jobs: job failed", Job: "fail", Err: "boom"}:      3,
		{Level: "ERROR", Msg: "jobs: job panicked", Job: "panic", Panic: "bang"}: 3,
	}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("job log entries (at most 3 counted) differ (-want +got):\n%s", diff)
	}
}

// TestRunnerLosesLeadership hands out leadership terms that the test ends:
// the runner stops its jobs, reports IsLeader false, acquires again and runs
// the jobs right away.
func TestRunnerLosesLeadership(t *testing.T) {
	t.Parallel()
	l := &testLeader{terms: make(chan context.CancelFunc)}
	r := jobs.New(l, testLogger(t))
	var mu sync.Mutex
	running := map[context.Context]bool{} // job contexts, true while not done
	r.Every("watch", time.Hour, func(ctx context.Context) error {
		mu.Lock()
		running[ctx] = true
		mu.Unlock()
		<-ctx.Done()
		mu.Lock()
		running[ctx] = false
		mu.Unlock()
		return ctx.Err()
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := start(t, r, ctx)
	active := func() (started, live int) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range running {
			started++
			if r {
				live++
			}
		}
		return started, live
	}

	end := <-l.terms
	waitFor(t, "first run", func() bool { s, l := active(); return s == 1 && l == 1 })
	if !r.IsLeader() {
		t.Fatal("IsLeader = false during a term")
	}
	end()
	waitFor(t, "job stopped", func() bool { s, l := active(); return s == 1 && l == 0 })
	if r.IsLeader() {
		t.Fatal("IsLeader = true after the term ended")
	}

	<-l.terms // the runner acquires again
	waitFor(t, "run in the second term", func() bool { s, l := active(); return s == 2 && l == 1 })
	if !r.IsLeader() {
		t.Fatal("IsLeader = false during the second term")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if s, l := active(); s != 2 || l != 0 {
		t.Errorf("after Run returned: %d runs started, %d still running; want 2, 0", s, l)
	}
}

// testLeader grants leadership at once and sends the function that ends
// each term on terms.
type testLeader struct {
	terms chan context.CancelFunc
}

func (l *testLeader) Acquire(ctx context.Context) (context.Context, error) {
	lead, cancel := context.WithCancel(ctx)
	select {
	case l.terms <- cancel:
		return lead, nil
	case <-ctx.Done():
		cancel()
		return nil, ctx.Err()
	}
}

func TestEveryPanics(t *testing.T) {
	t.Parallel()
	nop := func(context.Context) error { return nil }
	tests := []struct {
		name     string
		register func(r *jobs.Runner)
	}{
		{"EmptyName", func(r *jobs.Runner) { r.Every("", time.Second, nop) }},
		{"ZeroInterval", func(r *jobs.Runner) { r.Every("a", 0, nop) }},
		{"NegativeInterval", func(r *jobs.Runner) { r.Every("a", -time.Second, nop) }},
		{"NilFunc", func(r *jobs.Runner) { r.Every("a", time.Second, nil) }},
		{"Duplicate", func(r *jobs.Runner) {
			r.Every("a", time.Second, nop)
			r.Every("a", time.Minute, nop)
		}},
		{"AfterRun", func(r *jobs.Runner) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			r.Run(ctx)
			r.Every("a", time.Second, nop)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic, want one")
				}
			}()
			tt.register(jobs.New(jobs.Local(), testLogger(t)))
		})
	}
}

// start runs r.Run(ctx) in the background and returns its result channel;
// the test fails if Run has not returned a few seconds after the test.
func start(t *testing.T, r *jobs.Runner, ctx context.Context) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		done <- r.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-returned:
		case <-time.After(5 * time.Second):
			t.Error("Run did not return within 5s of its context ending")
		}
	})
	return done
}

// waitFor polls cond until it holds, failing the test after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// logBuffer is a bytes.Buffer safe for concurrent logging.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

func TestLockKey(t *testing.T) {
	t.Parallel()
	if got := jobs.LockKey(""); got != jobs.DefaultLockKey {
		t.Errorf("LockKey(\"\") = %d, want DefaultLockKey", got)
	}
	seen := map[int64]string{}
	for _, ns := range []string{"", "public", "frist", "t_1", "t_2"} {
		k := jobs.LockKey(ns)
		if k != jobs.LockKey(ns) {
			t.Errorf("LockKey(%q) is not deterministic", ns)
		}
		if other, ok := seen[k]; ok {
			t.Errorf("LockKey(%q) = LockKey(%q) = %d, want distinct keys", ns, other, k)
		}
		seen[k] = ns
	}
}
