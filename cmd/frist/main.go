// Command frist is the Frist helpdesk: `frist serve` runs the web pages,
// the JSON API and the background work; the other subcommands manage
// accounts, tokens, the policy and the database. See `frist help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"frist/internal/lowprio"
)

func main() {
	// Background work runs on low-priority threads that hold Go
	// processors while they wait for a core (package lowprio).
	lowprio.ReserveProcs()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "frist:", err)
		os.Exit(exitStatus(err))
	}
}

// Main is the program: the same value runs in production and in the
// end-to-end tests, which give it their own streams and environment.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	// Ready, when set, receives the listen address once serve listens.
	Ready chan<- string

	closers []func()
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Close releases what Run opened, in reverse order.
func (m *Main) Close() {
	for i := len(m.closers) - 1; i >= 0; i-- {
		m.closers[i]()
	}
	m.closers = nil
}

const usage = `Frist – helpdesk with data protection built in.

Usage: frist COMMAND [flags]

Commands:
  serve              run the helpdesk (web pages, API, background work)
  migrate            apply database migrations
  user add           create an agent account (--email --name --role; password from stdin or generated)
  user reset         set a new password for an account (--email; password from stdin or generated)
  token create       create an API token (--email --name); prints the token last
  policy apply FILE  validate and apply a policy file (YAML)
  policy export      print the policy in force (YAML)
  policy document    the deletion concept generated from the policy in force
                     ([--format md|html] [--lang de|en] [--output FILE])
  sla sweep          run the SLA breach job once (the server runs it every 10 s)
  audit verify       check the audit trail's hash chain; exits 1 when it is broken
  compliance check   list open compliance items (AVVs, transfers, integrations, overdue deletions)
                     ([--json] [--lang de|en]); exits 0 when none, 1 with errors, 2 with only warnings
  retention plan     what the retention sweeper will delete when ([--as-of DATE] [--json]); changes nothing
  retention run      run the retention sweeper once (the server runs it every 10 s);
                     --dry-run prints the plan as of now instead
  training export    a training dataset of chosen tickets, pseudonymised, without
                     sensitive data, dates shifted (--out FILE [--format json|sqlite]
                     [--tickets N1,N2] [--request-type T] [--sample N] [--since DATE] …)
  training import    make a training installation from a dataset (--data-dir DIR FILE)
  migrate-data       copy an installation to another database (--from URL --to URL),
                     e.g. from the embedded SQLite to PostgreSQL
  loadtest           measure a running server (--target --requests --concurrency [--baseline]),
                     or fill a database with --seed N
  version            print the version

Every command takes --data-dir (FRIST_DATA_DIR, default ./frist-data) and
--database-url (FRIST_DATABASE_URL). Run "frist COMMAND --help" for its flags.
`

// Run runs one subcommand.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	sub := func() (string, []string) {
		if len(rest) == 0 {
			return "", nil
		}
		return rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return m.serve(ctx, rest)
	case "migrate":
		return m.migrate(ctx, rest)
	case "user":
		switch s, r := sub(); s {
		case "add":
			return m.userAdd(ctx, r)
		case "reset":
			return m.userReset(ctx, r)
		}
		return errors.New("usage: frist user add|reset [flags]")
	case "token":
		if s, r := sub(); s == "create" {
			return m.tokenCreate(ctx, r)
		}
		return errors.New("usage: frist token create --email E --name LABEL")
	case "policy":
		switch s, r := sub(); s {
		case "apply":
			return m.policyApply(ctx, r)
		case "export":
			return m.policyExport(ctx, r)
		case "document":
			return m.policyDocument(ctx, r)
		}
		return errors.New("usage: frist policy apply FILE | frist policy export | frist policy document")
	case "sla":
		if s, r := sub(); s == "sweep" {
			return m.slaSweep(ctx, r)
		}
		return errors.New("usage: frist sla sweep")
	case "retention":
		switch s, r := sub(); s {
		case "plan":
			return m.retentionPlan(ctx, r)
		case "run":
			return m.retentionRun(ctx, r)
		}
		return errors.New("usage: frist retention plan [--as-of DATE] [--json] | frist retention run [--dry-run]")
	case "audit":
		if s, r := sub(); s == "verify" {
			return m.auditVerify(ctx, r)
		}
		return errors.New("usage: frist audit verify")
	case "compliance":
		if s, r := sub(); s == "check" {
			return m.complianceCheck(ctx, r)
		}
		return errors.New("usage: frist compliance check [--json] [--lang de|en]")
	case "training":
		switch s, r := sub(); s {
		case "export":
			return m.trainingExport(ctx, r)
		case "import":
			return m.trainingImport(ctx, r)
		}
		return errors.New(trainingExportUsage + "\n       frist training import --data-dir DIR FILE")
	case "migrate-data":
		return m.migrateData(ctx, rest)
	case "loadtest":
		return m.loadtest(ctx, rest)
	case "version":
		fmt.Fprintln(m.Stdout, "frist", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"
