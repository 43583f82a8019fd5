package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/desk"
	"frist/internal/store"
	"frist/internal/ticket"
)

// closedQuestions writes n general questions into the data directory's
// database, received and closed at the given time (on a test clock, so
// that their deletion is due by now), and returns their numbers.
func closedQuestions(t *testing.T, dir string, at time.Time, n int) []string {
	t.Helper()
	ctx := context.Background()
	url := databaseURL(dir)
	if url == "" {
		url = filepath.Join(dir, "frist.db")
	}
	clk := &clock.Test{}
	clk.Set(at)
	db, err := store.Open(ctx, url, clk)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := desk.New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	d.Start()
	defer d.Close()
	if _, _, err := d.CreateUser(ctx, desk.NewUser{Email: "max@example.org", Name: "Max Mustermann", Role: auth.Agent}); err != nil {
		t.Fatal(err)
	}
	var a *desk.Agent
	if err := db.Read(ctx, func(tx *store.Tx) error {
		a, err = tx.FindUserByEmail("max@example.org")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	closed := ticket.Closed
	var out []string
	for range n {
		rc, err := d.SubmitRequest(ctx, desk.Request{RequestType: "general_question", Name: "Erika Mustermann", Email: "erika.mustermann@example.org",
			Subject: "Frage", Message: "Guten Tag, eine Frage zu Frist Cloud.", Language: "de", Fields: map[string]string{"customer_number": "K-1042"},
			Consent: desk.ConsentInput{NoticeVersion: d.Policy().Notice.Version, Accepted: true}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.UpdateTicket(ctx, a, rc.Ticket.ID, desk.TicketUpdate{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		out = append(out, rc.Ticket.Number())
	}
	return out
}

// countTickets counts the tickets in the data directory's database.
func countTickets(t *testing.T, dir string) int {
	t.Helper()
	ctx := context.Background()
	url := databaseURL(dir)
	if url == "" {
		url = filepath.Join(dir, "frist.db")
	}
	db, err := store.Open(ctx, url, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.Read(ctx, func(tx *store.Tx) error {
		counts, err := tx.CountTickets(nil)
		n = counts[ticket.Closed]
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRetentionCommand(t *testing.T) {
	t.Parallel()
	dir := newDataDir(t)
	if out, err := run(t, "", "migrate", "--data-dir", dir); err != nil {
		t.Fatalf("migrate: %s %v", out, err)
	}
	// Closed 100 days ago: the support rule's 90 days have passed.
	closedQuestions(t, dir, time.Now().AddDate(0, 0, -100), 3)
	if n := countTickets(t, dir); n != 3 {
		t.Fatalf("%d closed tickets, want 3", n)
	}

	t.Run("Plan", func(t *testing.T) {
		out, err := run(t, "", "retention", "plan", "--data-dir", dir)
		if err != nil {
			t.Fatalf("plan: %s %v", out, err)
		}
		for _, want := range []string{"3 tickets affected, 0 held", "RULE", "support_standard", "delete"} {
			if !strings.Contains(out, want) {
				t.Errorf("plan lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "Erika") {
			t.Errorf("plan shows personal data:\n%s", out)
		}
		out, err = run(t, "", "retention", "plan", "--json", "--as-of", time.Now().AddDate(0, 0, 1).Format("2006-01-02"), "--data-dir", dir)
		if err != nil {
			t.Fatalf("plan --json: %s %v", out, err)
		}
		var plan planJSON
		if err := json.Unmarshal([]byte(out), &plan); err != nil {
			t.Fatalf("plan --json: %v\n%s", err, out)
		}
		if plan.Tickets != 3 || len(plan.Groups) != 1 || plan.Groups[0].Rule != "support_standard" || plan.Groups[0].Action != "delete" ||
			plan.Groups[0].Tickets != 3 || plan.Groups[0].Messages != 3 {
			t.Errorf("plan %+v", plan)
		}
		if out, err := run(t, "", "retention", "plan", "--as-of", "morgen", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "--as-of") {
			t.Errorf("bad --as-of accepted: %s %v", out, err)
		}
		if n := countTickets(t, dir); n != 3 {
			t.Errorf("plan changed data: %d tickets left", n)
		}
	})

	t.Run("DryRun", func(t *testing.T) {
		out, err := run(t, "", "retention", "run", "--dry-run", "--data-dir", dir)
		if err != nil || !strings.Contains(out, "nothing is changed") || !strings.Contains(out, "support_standard") {
			t.Fatalf("dry run: %s %v", out, err)
		}
		if n := countTickets(t, dir); n != 3 {
			t.Errorf("dry run changed data: %d tickets left", n)
		}
	})

	t.Run("Run", func(t *testing.T) {
		out, err := run(t, "", "retention", "run", "--data-dir", dir)
		if err != nil || !strings.Contains(out, "3 tickets handled so far") || !strings.Contains(out, "retention run: 3 deleted, 0 anonymised") {
			t.Fatalf("run: %s %v", out, err)
		}
		if n := countTickets(t, dir); n != 0 {
			t.Errorf("%d tickets left after the run", n)
		}
		out, err = run(t, "", "retention", "plan", "--data-dir", dir)
		if err != nil || !strings.Contains(out, "nothing is due") {
			t.Errorf("plan after the run: %s %v", out, err)
		}
	})

	t.Run("Usage", func(t *testing.T) {
		for _, args := range [][]string{{"retention"}, {"retention", "sweep"}, {"retention", "run", "extra"}} {
			if out, err := run(t, "", append(args, "--data-dir", dir)...); err == nil {
				t.Errorf("%v accepted: %s", args, out)
			}
		}
	})
}
