// Package desk carries each thing a user of Frist does through one
// transaction: submitting a request, replying, changing a ticket, logging
// in, applying a policy. Web pages, the JSON API and the command line call
// these use cases and nothing below them.
package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"frist/internal/attachment"
	"frist/internal/clock"
	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Desk is the set of use cases over one database.
type Desk struct {
	db     *store.DB
	log    *slog.Logger
	clock  clock.Clock
	policy atomic.Pointer[loadedPolicy]
	files  *attachment.Store // attachments' bytes; see SetFiles
	// pseudoKey caches the installation's pseudonym key; see pseudonymKey.
	pseudoKey atomic.Pointer[[]byte]
	training  atomic.Bool // a training installation; see Training

	bus       events.Bus    // live updates; in-process unless SetBus gives another
	presence  presenceBoard // who is viewing or replying to which ticket, on all nodes
	intake    chan *submission
	stop      chan struct{}
	wg        sync.WaitGroup
	startOnce sync.Once
	stopOnce  sync.Once
}

type loadedPolicy struct {
	id int64
	p  *policy.Policy
}

// New returns a Desk over db. It loads the policy in force and applies the
// default policy when none was ever applied. Call Start to begin accepting
// requests and Close to stop.
func New(ctx context.Context, db *store.DB, log *slog.Logger) (*Desk, error) {
	d := &Desk{db: db, log: log, clock: db.Clock(), bus: events.NewMemory(), intake: make(chan *submission, 1024), stop: make(chan struct{})}
	if err := d.loadPolicy(ctx); fault.Code(err) == fault.NotFound {
		if _, err := d.ApplyPolicy(ctx, policy.DefaultYAML()); err != nil {
			return nil, fmt.Errorf("apply default policy: %w", err)
		}
	} else if err != nil {
		return nil, err
	}
	if err := d.loadTraining(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Start starts the intake writer (group commit) and the policy watcher.
func (d *Desk) Start() {
	d.startOnce.Do(func() {
		d.wg.Add(1 + d.db.Writers())
		for range d.db.Writers() {
			go d.runIntake()
		}
		go d.watchPolicy()
	})
}

// Close stops accepting requests after committing those already queued.
func (d *Desk) Close() {
	d.stopOnce.Do(func() { close(d.stop) })
	d.wg.Wait()
}

// Now returns the desk's current time.
func (d *Desk) Now() time.Time { return d.clock.Now() }

// Policy returns the policy in force.
func (d *Desk) Policy() *policy.Policy { return d.policy.Load().p }

// ApplyPolicy validates a policy file and puts it in force on behalf of
// the operator at the command line; see ApplyPolicyAs.
func (d *Desk) ApplyPolicy(ctx context.Context, body []byte) (*policy.Policy, error) {
	return d.ApplyPolicyAs(ctx, nil, body)
}

// ExportPolicy returns the policy in force as YAML, as it was applied.
func (d *Desk) ExportPolicy(ctx context.Context) ([]byte, error) {
	var body []byte
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		_, body, err = tx.LatestPolicy()
		return err
	})
	return body, err
}

func (d *Desk) loadPolicy(ctx context.Context) error {
	var id int64
	var body []byte
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		id, body, err = tx.LatestPolicy()
		return err
	})
	if err != nil {
		return err
	}
	if cur := d.policy.Load(); cur != nil && cur.id == id {
		return nil
	}
	p, err := policy.Parse(body)
	if err != nil {
		return fmt.Errorf("policy %d in the database: %w", id, err)
	}
	d.policy.Store(&loadedPolicy{id: id, p: p})
	return nil
}

// SetBus replaces the in-process event bus, e.g. with the PostgreSQL bus
// that reaches every node. Call it before Start.
func (d *Desk) SetBus(b events.Bus) { d.bus = b }

// Events returns the event bus: subscribe to follow tickets live.
func (d *Desk) Events() events.Bus { return d.bus }

// publish announces a change after its transaction committed. Events are
// hints for live views; a failure to publish is logged, not returned.
func (d *Desk) publish(kind string, t *ticket.Ticket, data any) {
	e := events.Event{Kind: kind, TicketID: t.ID, Department: t.Department, At: d.clock.Now()}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			d.log.Error("publish", "kind", kind, "err", err)
			return
		}
		e.Data = b
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := d.bus.Publish(ctx, e); err != nil {
		d.log.Warn("publish", "kind", kind, "err", err)
	}
}

// Analyze refreshes the query planner's statistics. It is a periodic job:
// hourly, on one node of a cluster.
func (d *Desk) Analyze(ctx context.Context) error {
	return d.db.Write(ctx, func(tx *store.Tx) error { return tx.Analyze() })
}

// watchPolicy picks up a policy applied by another process (`frist policy
// apply` next to a running server, or another node) within a few seconds.
func (d *Desk) watchPolicy() {
	defer d.wg.Done()
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			var id int64
			err := d.db.Read(ctx, func(tx *store.Tx) error {
				var err error
				id, err = tx.LatestPolicyID()
				return err
			})
			if err == nil && id != d.policy.Load().id {
				err = d.loadPolicy(ctx)
				if err == nil {
					d.log.Info("policy reloaded", "policy_id", id)
				}
			}
			if err != nil {
				d.log.Error("policy watch", "err", err)
			}
			cancel()
		}
	}
}
