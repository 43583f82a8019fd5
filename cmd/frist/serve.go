package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/jobs"
	"frist/internal/server"
	"frist/internal/store"
)

// firstAdminEmail is the login of the admin created on first start.
const firstAdminEmail = "admin@frist.local"

func (m *Main) serve(ctx context.Context, args []string) error {
	cfg, _, err := m.parse("serve", args, func(fs *flag.FlagSet, cfg *config.Config) {
		config.AddServeFlags(fs, cfg, m.Getenv)
	})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var test *clock.Test
	if cfg.TestClock {
		test = &clock.Test{}
	}
	db, d, err := m.open(ctx, cfg, true, test, log)
	if err != nil {
		return err
	}
	if test != nil {
		log.Warn("TEST CLOCK ACTIVE: time can be set and advanced through POST /api/v1/test-clock; never use this installation for real requests", "now", test.Now())
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	addr := ln.Addr().String()
	if _, port, _ := net.SplitHostPort(addr); strings.HasSuffix(cfg.BaseURL, ":0") {
		// Port 0 asked for any free port: links must name the one chosen.
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "0") + port
	}
	if err := m.firstStart(ctx, d, cfg); err != nil {
		return err
	}
	bus, leader, err := cluster(ctx, cfg.DatabasePath(), log)
	if err != nil {
		return err
	}
	m.closers = append(m.closers, func() { bus.Close() })
	d.SetBus(bus)
	d.Start()
	m.closers = append(m.closers, d.Close)

	// Periodic work runs on one node of a cluster at a time.
	runner := jobs.New(leader, log)
	runner.Every("analyze", time.Hour, afterFirstInterval(d.Analyze))
	runner.Every("assign-backlog", 30*time.Second, func(ctx context.Context) error {
		n, err := d.AssignBacklog(ctx, nil)
		if n > 0 {
			log.Info("assigned waiting tickets", "tickets", n)
		}
		return err
	})
	runner.Every("sla-sweep", slaSweepInterval, func(ctx context.Context) error {
		st, err := d.SweepSLA(ctx)
		if st.Warnings+st.Breaches > 0 {
			log.Info("sla sweep", "tickets", st.Tickets, "warnings", st.Warnings, "breaches", st.Breaches, "escalations", st.Escalations)
		}
		return err
	})
	runner.Every("retention-sweep", retentionSweepInterval, func(ctx context.Context) error {
		// The sweeper logs its counts (never what it deleted) when it
		// did something, and recomputations of deletion dates.
		_, err := d.SweepRetention(ctx, nil)
		return err
	})
	// Attachment files whose rows are gone (the sweeper removes them right
	// after its commit; this catches a crash in between), and files of
	// uploads that never committed.
	runner.Every("file-purge", time.Minute, func(ctx context.Context) error {
		_, err := d.PurgeFiles(ctx)
		return err
	})
	// Processors' AVVs that ended, end within 30 days or are missing are
	// logged daily (by processor id only).
	runner.Every("compliance-log", 24*time.Hour, d.LogCompliance)
	runner.Every("orphan-files", 24*time.Hour, func(ctx context.Context) error {
		_, err := d.SweepOrphanFiles(ctx)
		return err
	})
	jctx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan struct{})
	go func() { runner.Run(jctx); close(jobsDone) }()
	m.closers = append(m.closers, func() { stopJobs(); <-jobsDone })

	srv, err := server.New(cfg, d, log, server.JobsLeader(runner.IsLeader))
	if err != nil {
		return err
	}
	log.Info("listening", "addr", addr, "base_url", cfg.BaseURL, "database", db.Dialect())
	fmt.Fprintf(m.Stdout, "Frist is running on %s\n", cfg.BaseURL)
	if m.Ready != nil {
		m.Ready <- addr
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	return <-errc
}

// slaSweepInterval is how often the breach job looks for SLA warnings and
// breaches that came due: a breach is recorded at most this late.
const slaSweepInterval = 10 * time.Second

// afterFirstInterval skips a job's first run, which the runner makes as
// soon as a node leads. Planner statistics taken of a database that has
// only just started filling made intake three times slower at 60,000
// tickets than none at all; an hour later they describe the real data.
func afterFirstInterval(fn func(context.Context) error) func(context.Context) error {
	first := true
	return func(ctx context.Context) error {
		if first {
			first = false
			return nil
		}
		return fn(ctx)
	}
}

// cluster returns the event bus and the leader election for the database:
// in-process for SQLite, where one process owns the file; through
// PostgreSQL for several nodes on one database. Nodes on different schemas
// of one PostgreSQL database (search_path in the URL) are separate
// installations and get their own channel and lock.
func cluster(ctx context.Context, dsn string, log *slog.Logger) (events.Bus, jobs.Leader, error) {
	if !store.IsPostgres(dsn) {
		return events.NewMemory(), jobs.Local(), nil
	}
	var ns string
	if u, err := url.Parse(dsn); err == nil {
		ns = u.Query().Get("search_path")
	}
	bus, err := events.NewPostgres(ctx, dsn, log, events.WithChannel(events.Channel(ns)))
	if err != nil {
		return nil, nil, fmt.Errorf("event bus: %w", err)
	}
	leader, err := jobs.Postgres(dsn, jobs.LockKey(ns), jobs.WithLogger(log))
	if err != nil {
		bus.Close()
		return nil, nil, fmt.Errorf("jobs: %w", err)
	}
	return bus, leader, nil
}

// firstStart creates the first admin on an installation without accounts
// and prints how to log in. Only the password's hash is stored; the
// printed password is the only copy.
func (m *Main) firstStart(ctx context.Context, d *desk.Desk, cfg config.Config) error {
	n, err := d.CountAgents(ctx)
	if err != nil || n > 0 {
		return err
	}
	_, password, err := d.CreateUser(ctx, desk.NewUser{Email: firstAdminEmail, Name: "Administrator", Role: auth.Admin})
	if fault.Code(err) == fault.Conflict {
		return nil // another node of the cluster created it a moment ago and printed its login
	}
	if err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	fmt.Fprintf(m.Stdout, `
First start: an administrator account was created.
  Log in at  %s/login
  Email:     %s
  Password:  %s
This password is shown only once. Set your own with:
  frist user reset --email %s
`, cfg.BaseURL, firstAdminEmail, password, firstAdminEmail)
	return nil
}
