package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"frist/internal/clock"
	"frist/internal/config"
	"frist/internal/store"
)

// migrateData copies an installation from one database to another, e.g.
// from the embedded SQLite database to PostgreSQL. The server must be
// stopped; the target is migrated and must hold no tickets.
func (m *Main) migrateData(ctx context.Context, args []string) error {
	var from, to string
	cfg, _, err := m.parse("migrate-data", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&from, "from", "", "database to copy from: sqlite://PATH or postgres://… (default: the installation's database)")
		fs.StringVar(&to, "to", "", "empty database to copy to: postgres://… or sqlite://PATH (required)")
	})
	if err != nil {
		return err
	}
	if from == "" {
		from = cfg.DatabasePath()
	}
	if to == "" {
		return errors.New("--to is required, e.g. --to postgres://frist@db.example.org/frist")
	}
	src, err := store.Open(ctx, from, clock.Real{})
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	m.closers = append(m.closers, func() { src.Close() })
	if _, err := src.Migrate(ctx); err != nil {
		return fmt.Errorf("source: %w", err)
	}
	dst, err := store.Open(ctx, to, clock.Real{})
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	m.closers = append(m.closers, func() { dst.Close() })
	if _, err := dst.Migrate(ctx); err != nil {
		return fmt.Errorf("target: %w", err)
	}
	start := time.Now()
	last := time.Time{}
	err = src.CopyTo(ctx, dst, func(table string, done, total int) {
		if time.Since(last) > 2*time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(m.Stderr, "%s: %d of %d\n", table, done, total)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "copied from %s to %s in %s; start the servers with --database-url pointing to the new database\n", src.Dialect(), dst.Dialect(), time.Since(start).Round(time.Millisecond))
	return nil
}
