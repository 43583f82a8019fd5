package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"frist/internal/attachment"
	"frist/internal/clock"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/store"
)

// open opens and migrates the database and builds the desk. With a test
// clock the installation must be (or become) a test-clock installation.
func (m *Main) open(ctx context.Context, cfg config.Config, serving bool, test *clock.Test, log *slog.Logger) (*store.DB, *desk.Desk, error) {
	var clk clock.Clock = clock.Real{}
	if test != nil {
		clk = test
	}
	db, err := store.Open(ctx, cfg.DatabasePath(), clk)
	if err != nil {
		return nil, nil, err
	}
	m.closers = append(m.closers, func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		return nil, nil, err
	}
	if serving {
		// Only serve decides, at first start, whether the installation
		// runs on the real or the test clock.
		if err := desk.CheckClockMode(ctx, db, test); err != nil {
			return nil, nil, err
		}
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	d, err := desk.New(ctx, db, log)
	if err != nil {
		return nil, nil, err
	}
	// Attachments' bytes live in the data directory, beside the embedded
	// database (also when the database is PostgreSQL).
	files, err := attachment.Open(filepath.Join(cfg.DataDir, "attachments"))
	if err != nil {
		return nil, nil, err
	}
	d.SetFiles(files)
	return db, d, nil
}

// parse parses a subcommand's flags; extra adds its own.
func (m *Main) parse(name string, args []string, extra func(fs *flag.FlagSet, cfg *config.Config)) (config.Config, []string, error) {
	var cfg config.Config
	fs := config.NewFlagSet("frist "+name, &cfg, m.Getenv, m.Stderr)
	if extra != nil {
		extra(fs, &cfg)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	return cfg, fs.Args(), nil
}

func (m *Main) migrate(ctx context.Context, args []string) error {
	cfg, _, err := m.parse("migrate", args, nil)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabasePath(), clock.Real{})
	if err != nil {
		return err
	}
	m.closers = append(m.closers, func() { db.Close() })
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%d migrations applied\n", n)
	return nil
}
