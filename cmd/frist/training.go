package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"frist/internal/clock"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/store"
)

const trainingExportUsage = "usage: frist training export [--tickets N1,N2] [--request-type T] [--department D] [--status S1,S2] [--since DATE] [--until DATE] [--sample N] [--format json|sqlite] [--lang de|en] --out FILE"

// trainingExport writes a training dataset of the chosen tickets to a new
// file: JSON (frist-training/1) or a SQLite database that `frist serve`
// starts as a training installation. Progress goes to stderr; the export
// is recorded in the audit trail.
func (m *Main) trainingExport(ctx context.Context, args []string) error {
	var numbers, statuses, out string
	var choice desk.TrainingChoice
	cfg, rest, err := m.parse("training export", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&numbers, "tickets", "", "ticket numbers, comma-separated, e.g. F-100042,F-100043")
		fs.StringVar(&choice.RequestType, "request-type", "", "only tickets of this request type (id)")
		fs.StringVar(&choice.Department, "department", "", "only tickets of this department (id)")
		fs.StringVar(&statuses, "status", "", "only tickets in these statuses, comma-separated (new,open,waiting,resolved,closed)")
		fs.StringVar(&choice.Since, "since", "", "only tickets received on or after this day (YYYY-MM-DD)")
		fs.StringVar(&choice.Until, "until", "", "only tickets received on or before this day (YYYY-MM-DD)")
		fs.IntVar(&choice.Sample, "sample", 0, "choose this many of the matching tickets at random")
		fs.StringVar(&choice.Format, "format", desk.TrainingJSON, "json (a dataset for frist training import) or sqlite (a database for frist serve)")
		fs.StringVar(&choice.Language, "lang", "de", "language of the agents' pseudonyms: de or en")
		fs.StringVar(&out, "out", "", "the file to write; it must not exist")
	})
	if err != nil {
		return err
	}
	if len(rest) != 0 || out == "" {
		return errors.New(trainingExportUsage)
	}
	choice.Numbers, choice.Statuses = splitList(numbers), splitList(statuses)
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	plan, err := d.PlanTrainingExport(ctx, nil, choice)
	if err != nil {
		return describe(err)
	}
	progress := m.trainingProgress("exported")
	var n int
	export := func(sink desk.TrainingSink) error {
		var err error
		n, err = d.ExportTraining(ctx, nil, plan, sink, progress)
		return err
	}
	if plan.Choice.Format == desk.TrainingSQLite {
		err = desk.WriteTrainingFile(ctx, out, nil, export)
	} else {
		err = writeNewFile(out, func(w io.Writer) error { return export(desk.NewTrainingJSON(w)) })
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "training dataset with %d tickets written to %s (%s)\n", n, out, plan.Choice.Format)
	if plan.LeftOut > 0 {
		fmt.Fprintf(m.Stdout, "%d matching tickets were left out: restricted (GDPR Art. 18), under a legal hold or anonymised\n", plan.LeftOut)
	}
	if plan.Choice.Format == desk.TrainingSQLite {
		fmt.Fprintf(m.Stdout, "start it with: frist training import --data-dir DIR %s && frist serve --data-dir DIR\n", out)
	} else {
		fmt.Fprintf(m.Stdout, "make a training installation of it with: frist training import --data-dir DIR %s\n", out)
	}
	return nil
}

// trainingImport makes a training installation in a new data directory
// from a dataset: a JSON file or a SQLite training database. The
// installation runs on the embedded SQLite database.
func (m *Main) trainingImport(ctx context.Context, args []string) error {
	cfg, rest, err := m.parse("training import", args, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("usage: frist training import --data-dir DIR FILE (a .json dataset or a .db training database)")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("a training installation runs on the embedded SQLite database; leave out --database-url (FRIST_DATABASE_URL)")
	}
	path := cfg.DatabasePath()
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s holds an installation already; a training installation needs a new data directory", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return err
	}
	defer f.Close()
	progress := m.trainingProgress("imported")
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if bytes.Equal(head[:n], []byte("SQLite format 3\x00")) {
		if err := m.copyTrainingDatabase(ctx, f, path); err != nil {
			return describe(err)
		}
	} else if err := desk.WriteTrainingFile(ctx, path, func(done int) { progress(done, 0) }, func(sink desk.TrainingSink) error {
		return desk.ReadTrainingJSON(f, sink)
	}); err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "training installation made in %s\nstart it with: frist serve --data-dir %s\n", cfg.DataDir, cfg.DataDir)
	return nil
}

// copyTrainingDatabase copies a SQLite training database to path after
// checking that it is one.
func (m *Main) copyTrainingDatabase(ctx context.Context, src io.Reader, path string) error {
	tmp := path + ".partial"
	err := writeNewFile(tmp, func(w io.Writer) error { _, err := io.Copy(w, src); return err })
	if err != nil {
		return err
	}
	err = func() error {
		db, err := store.Open(ctx, tmp, clock.Real{})
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		d, err := desk.New(ctx, db, slog.New(slog.DiscardHandler))
		if err != nil {
			return err
		}
		if !d.Training() {
			return errors.New("this database is not a training installation; only training databases (frist training export --format sqlite) are imported")
		}
		return nil
	}()
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}
	return err
}

// trainingProgress reports progress on stderr, at most once a second and
// at the end of a known total.
func (m *Main) trainingProgress(verb string) func(done, total int) {
	last := time.Now()
	return func(done, total int) {
		if time.Since(last) < time.Second && done != total {
			return
		}
		last = time.Now()
		if total > 0 {
			fmt.Fprintf(m.Stderr, "%s %d of %d tickets\n", verb, done, total)
		} else {
			fmt.Fprintf(m.Stderr, "%s %d tickets\n", verb, done)
		}
	}
}

// writeNewFile writes a new file through fn: under another name first,
// renamed when complete. A path that exists is refused.
func writeNewFile(path string, fn func(io.Writer) error) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists already; choose a new file", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	err = fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
