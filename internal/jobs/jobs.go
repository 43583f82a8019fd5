// Package jobs owns Frist's periodic background work — SLA breach checks,
// retention sweeps and the like — and makes sure that exactly one node runs
// it at a time.
//
// A Runner holds the registered jobs and runs them while its Leader says this
// node leads. On SQLite there is one process, and Local always leads. On
// PostgreSQL, Postgres elects one node through a session-level advisory lock;
// when that node dies, its connection closes, PostgreSQL releases the lock and
// another node takes over.
//
// Leadership is exclusive as long as nodes are not paused for longer than the
// check interval (see Postgres). Jobs should still be idempotent and do their
// work in transactions: a job interrupted by a lost leadership is simply run
// again by the next leader.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Leader decides whether this node may run the periodic jobs.
type Leader interface {
	// Acquire blocks until this node leads or ctx ends. It returns a
	// context that is cancelled when leadership is lost or ctx ends;
	// leadership is given up by cancelling ctx. It returns an error only
	// when ctx ends before leadership was acquired.
	Acquire(ctx context.Context) (context.Context, error)
}

// Local returns the Leader of a single-process installation (SQLite): this
// process always leads.
func Local() Leader { return local{} }

type local struct{}

// Acquire returns ctx itself: leadership lasts as long as ctx.
func (local) Acquire(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("acquire leadership: %w", err)
	}
	return ctx, nil
}

// retryAcquire is how long Run waits when a Leader fails for another reason
// than the end of its context (the leaders of this package do not).
const retryAcquire = time.Second

// Runner runs registered jobs periodically while its Leader leads. Register
// all jobs with Every before calling Run.
type Runner struct {
	leader Leader
	log    *slog.Logger

	mu      sync.Mutex
	jobs    []job
	started bool

	// term is the job context of the current leadership, nil before the
	// first one; this node leads while it is not done.
	term atomic.Pointer[context.Context]
}

// job is one registered periodic job.
type job struct {
	name     string
	interval time.Duration
	fn       func(ctx context.Context) error
}

// New returns a Runner that runs its jobs while l leads, logging to log (the
// default logger when nil).
func New(l Leader, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.Default()
	}
	return &Runner{leader: l, log: log}
}

// Every registers fn to run every interval while this node leads: first right
// after leadership is acquired, then every interval (immediately after the
// previous run if that took longer). fn receives a context that is cancelled
// when leadership is lost or Run's context ends, and must return soon after.
//
// Errors and panics in fn are logged with the job's name and do not stop the
// runner, so they must not contain personal data. Every panics if name is
// empty or already registered, interval is not positive, fn is nil, or Run
// was called: registration is part of wiring, not of running.
func (r *Runner) Every(name string, interval time.Duration, fn func(ctx context.Context) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.started:
		panic("jobs: Every called after Run")
	case name == "":
		panic("jobs: job name is empty")
	case interval <= 0:
		panic(fmt.Sprintf("jobs: job %s: interval %v is not positive", name, interval))
	case fn == nil:
		panic(fmt.Sprintf("jobs: job %s: fn is nil", name))
	}
	for _, j := range r.jobs {
		if j.name == name {
			panic(fmt.Sprintf("jobs: job %s registered twice", name))
		}
	}
	r.jobs = append(r.jobs, job{name: name, interval: interval, fn: fn})
}

// IsLeader reports whether this node leads at the moment, for health and
// status pages.
func (r *Runner) IsLeader() bool {
	term := r.term.Load()
	return term != nil && (*term).Err() == nil
}

// Run acquires leadership, runs the jobs while it lasts, and acquires it
// again when it is lost, until ctx ends. Then it waits for running jobs to
// return, gives up leadership and returns nil. Leadership is given up only
// after the jobs have returned, so that a node shutting down never overlaps
// with the next leader. Run returns an error only when called a second time.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.started {
		r.mu.Unlock()
		return errors.New("jobs: Run called twice")
	}
	r.started = true
	jobs := r.jobs
	r.mu.Unlock()

	for ctx.Err() == nil {
		// hold outlives ctx until this term's jobs have returned; while
		// acquiring, the end of ctx ends it at once.
		hold, release := context.WithCancel(context.WithoutCancel(ctx))
		stop := context.AfterFunc(ctx, release)
		lead, err := r.leader.Acquire(hold)
		stop()
		if err != nil {
			release()
			if ctx.Err() != nil {
				break
			}
			r.log.Warn("jobs: cannot acquire leadership", "err", err)
			sleep(ctx, retryAcquire)
			continue
		}
		r.lead(ctx, lead, jobs)
		release()
	}
	return nil
}

// lead runs the jobs until lead or ctx ends and waits for them to return.
func (r *Runner) lead(ctx, lead context.Context, jobs []job) {
	term, cancel := context.WithCancel(lead)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	r.term.Store(&term)
	r.log.Info("jobs: leadership acquired")

	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { r.loop(term, j) })
	}
	<-term.Done()
	wg.Wait()
	if ctx.Err() == nil {
		r.log.Warn("jobs: leadership lost", "err", context.Cause(lead))
	}
}

// loop runs j every interval until ctx ends.
func (r *Runner) loop(ctx context.Context, j job) {
	t := time.NewTicker(j.interval)
	defer t.Stop()
	for {
		r.run(ctx, j)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// run runs j once and logs what went wrong; the log is the boundary for job
// errors.
func (r *Runner) run(ctx context.Context, j job) {
	if ctx.Err() != nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("jobs: job panicked", "job", j.name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	if err := j.fn(ctx); err != nil {
		if ctx.Err() != nil {
			r.log.Debug("jobs: job interrupted", "job", j.name, "err", err)
			return
		}
		r.log.Error("jobs: job failed", "job", j.name, "err", err)
	}
}

// sleep waits for d or the end of ctx.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
