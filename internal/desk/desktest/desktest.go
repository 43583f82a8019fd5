// Package desktest builds a Desk on a fresh SQLite database in a test's
// temporary directory, with helpers that create agents and tickets.
package desktest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"frist/internal/attachment"
	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/desk"
	"frist/internal/store"
	"frist/internal/store/storetest"
)

// Env is a desk on its own database.
type Env struct {
	Desk  *desk.Desk
	DB    *store.DB
	Clock *clock.Test
	Dir   string
}

// New opens a migrated database in t.TempDir() with the default policy
// and a test clock, and starts the desk. Everything is closed when the
// test ends.
func New(t testing.TB) *Env { return NewWithLog(t, io.Discard) }

// NewWithLog is New with the desk's log written to w as JSON, so that a
// test can check what reaches the log.
func NewWithLog(t testing.TB, w io.Writer) *Env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	clk := &clock.Test{}
	db, err := store.Open(ctx, storetest.URL(t, dir), clk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := desk.CheckClockMode(ctx, db, clk); err != nil {
		t.Fatal(err)
	}
	d, err := desk.New(ctx, db, slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	files, err := attachment.Open(filepath.Join(dir, "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	d.SetFiles(files)
	d.Start()
	t.Cleanup(func() {
		d.Close()
		db.Close()
	})
	return &Env{Desk: d, DB: db, Clock: clk, Dir: dir}
}

// Password is the password of every account MustCreateAgent makes.
const Password = "correct horse battery staple"

// MustCreateAgent creates an account with Password.
func (e *Env) MustCreateAgent(t testing.TB, email, name string, role auth.Role, departments ...string) *desk.Agent {
	t.Helper()
	ctx := context.Background()
	if _, _, err := e.Desk.CreateUser(ctx, desk.NewUser{Email: email, Name: name, Role: role, Password: Password, Departments: departments}); err != nil {
		t.Fatal(err)
	}
	var a *desk.Agent
	err := e.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		a, err = tx.FindUserByEmail(email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Request returns a valid request of the type with obviously fake data.
func (e *Env) Request(requestType string) desk.Request {
	r := desk.Request{
		RequestType: requestType,
		Name:        "Erika Mustermann",
		Email:       "erika.mustermann@example.org",
		Subject:     "Frage zur Rechnung",
		Message:     "Guten Tag, ich habe eine Frage zu meiner letzten Rechnung.",
		Language:    "de",
		Fields:      map[string]string{},
		Consent:     desk.ConsentInput{NoticeVersion: e.Desk.Policy().Notice.Version, Accepted: true},
	}
	rt, _ := e.Desk.Policy().RequestType(requestType)
	for _, f := range rt.Fields {
		if f.Required {
			switch f.ID {
			case "customer_number":
				r.Fields[f.ID] = "K-1042"
			case "product":
				r.Fields[f.ID] = "Frist Cloud"
			default:
				r.Fields[f.ID] = "X-1"
			}
		}
	}
	return r
}

// MustSubmit submits a request and returns its receipt.
func (e *Env) MustSubmit(t testing.TB, r desk.Request) *desk.Receipt {
	t.Helper()
	rc, err := e.Desk.SubmitRequest(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}
