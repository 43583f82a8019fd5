package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/server"
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
	d.Start()
	m.closers = append(m.closers, d.Close)

	srv, err := server.New(cfg, d, log)
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
