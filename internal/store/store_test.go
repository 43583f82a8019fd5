package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/store/storetest"
	"frist/internal/ticket"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// MustOpen opens a migrated database in a temp dir with a fixed clock.
func MustOpen(t *testing.T, now time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), storetest.URL(t, t.TempDir()), clock.Fixed(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if n, err := db.Migrate(context.Background()); err != nil || n == 0 {
		t.Fatalf("migrate: %d, %v", n, err)
	}
	if n, _ := db.Migrate(context.Background()); n != 0 {
		t.Fatalf("second migrate applied %d", n)
	}
	return db
}

// MustCreateTicket stores a ticket in a department with a due time.
func MustCreateTicket(t *testing.T, db *store.DB, dept string, due time.Time, body string) *ticket.Ticket {
	t.Helper()
	tk := &ticket.Ticket{RequestType: "general_question", Department: dept, Status: ticket.New, Priority: ticket.Normal,
		Subject: "Betreff", Language: "de", Customer: ticket.Customer{Name: "Erika Mustermann", Email: "erika@example.org", Language: "de"},
		FirstResponseDue: due, NoticeVersion: "1", Fields: map[string]string{"customer_number": "K-1"}}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.CreateTicket(&store.NewTicket{Ticket: tk, Body: body, StatusHash: auth.HashSecret(auth.NewSecret("")),
			Consent: privacy.Consent{NoticeVersion: "1", NoticeHash: "h", Language: "de", Accepted: true}, LegalBasis: privacy.BasisContract})
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func TestFindTickets(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	ctx := context.Background()
	for i := range 25 {
		dept := "support"
		if i%5 == 0 {
			dept = "billing"
		}
		// Due times out of creation order, several equal.
		MustCreateTicket(t, db, dept, now.Add(time.Duration(25-i/2)*time.Hour), "Nachricht")
	}
	t.Run("DuePaging", func(t *testing.T) {
		var got []*ticket.Ticket
		cursor := ""
		for page := 0; ; page++ {
			var list []*ticket.Ticket
			var next string
			err := db.Read(ctx, func(tx *store.Tx) error {
				var err error
				list, next, err = tx.FindTickets(store.TicketFilter{Department: "support", Cursor: cursor, Limit: 7})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, list...)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(got) != 20 {
			t.Fatalf("got %d tickets, want 20", len(got))
		}
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			if a.FirstResponseDue.After(b.FirstResponseDue) || (a.FirstResponseDue.Equal(b.FirstResponseDue) && a.ID > b.ID) {
				t.Fatalf("not sorted by due time at %d", i)
			}
		}
	})
	t.Run("Departments", func(t *testing.T) {
		db.Read(ctx, func(tx *store.Tx) error {
			list, _, err := tx.FindTickets(store.TicketFilter{Departments: []string{"billing"}, Sort: store.SortNewest})
			if err != nil || len(list) != 5 {
				t.Errorf("billing only: %d, %v", len(list), err)
			}
			list, _, _ = tx.FindTickets(store.TicketFilter{Departments: []string{}})
			if len(list) != 0 {
				t.Errorf("no departments sees %d", len(list))
			}
			return nil
		})
	})
	t.Run("ErrCursor", func(t *testing.T) {
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, _, err := tx.FindTickets(store.TicketFilter{Cursor: "garbage"})
			return err
		})
		if fault.Code(err) != fault.Invalid {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrSort", func(t *testing.T) {
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, _, err := tx.FindTickets(store.TicketFilter{Sort: "priority; DROP TABLE tickets"})
			return err
		})
		if fault.Code(err) != fault.Invalid {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFindTicket(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	tk := MustCreateTicket(t, db, "support", now.Add(time.Hour), "Hallo")
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		got, err := tx.FindTicket(tk.ID)
		if err != nil {
			return err
		}
		if got.Customer.Email != "erika@example.org" || got.Fields["customer_number"] != "K-1" || !got.CreatedAt.Equal(now) {
			t.Errorf("got %+v", got)
		}
		if _, err := tx.FindTicket(tk.ID + 1); fault.Code(err) != fault.NotFound {
			t.Errorf("missing ticket: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSavePolicyNotice(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	ctx := context.Background()
	n := privacy.Notice{Version: "v1", Text: privacy.Text{DE: "Hinweis", EN: "Notice"}}
	save := func(n privacy.Notice) error {
		return db.Write(ctx, func(tx *store.Tx) error { _, err := tx.SavePolicy([]byte("x"), "s", n); return err })
	}
	if err := save(n); err != nil {
		t.Fatal(err)
	}
	if err := save(n); err != nil {
		t.Fatalf("same notice again: %v", err)
	}
	n.Text.DE = "Geänderter Hinweis"
	if err := save(n); fault.Code(err) != fault.Conflict {
		t.Fatalf("changed text under a published version: %v", err)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	clk := &clock.Test{}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "frist.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Migrate(context.Background())
	ctx := context.Background()
	u := &auth.User{Email: "Max@Example.org", Name: "Max", Role: auth.Agent}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(u, "hash", nil); err != nil {
			return err
		}
		return tx.CreateSession("h1", u.ID, time.Hour)
	})
	if err != nil {
		t.Fatal(err)
	}
	find := func() error {
		return db.Read(ctx, func(tx *store.Tx) error { _, err := tx.FindSessionUser("h1"); return err })
	}
	if err := find(); err != nil {
		t.Fatal(err)
	}
	clk.Set(clk.Now().Add(2 * time.Hour))
	if err := find(); fault.Code(err) != fault.Unauthorized {
		t.Fatalf("expired session: %v", err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.CreateUser(&auth.User{Email: "max@example.org", Name: "M", Role: auth.Agent}, "h", nil)
	})
	if fault.Code(err) != fault.Conflict {
		t.Fatalf("duplicate email (case-insensitive): %v", err)
	}
}

func TestSearchSyntaxSafe(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	MustCreateTicket(t, db, "support", now, "Der Drucker druckt nicht")
	for _, q := range []string{`"`, `drucker"`, `NEAR(drucker)`, `drucker AND`, `*`, `subject:drucker`, `-drucker`, `drucker^`, "\x00"} {
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			_, _, err := tx.Search(store.SearchFilter{Query: q})
			return err
		})
		if err != nil && fault.Code(err) != fault.Invalid {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
}

func FuzzSearch(f *testing.F) {
	db, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "frist.db"), clock.Fixed(now))
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	db.Migrate(context.Background())
	for _, s := range []string{"drucker", `"a" OR b`, "NEAR(a b)", "ä ö ü", "a*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			_, _, err := tx.Search(store.SearchFilter{Query: q})
			return err
		})
		if err != nil && fault.Code(err) != fault.Invalid {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}

func TestTimesSortAsText(t *testing.T) {
	// The schema relies on fixed-width UTC text times sorting like times.
	a := now.Format("2006-01-02T15:04:05.000000Z")
	b := now.Add(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
	if !(a < b) || len(a) != len(b) {
		t.Fatal(fmt.Sprint(a, b))
	}
}

// TestSavepointIndex proves that a ticket rolled back inside a group commit
// leaves nothing in the search index, while its neighbours are found.
func TestSavepointIndex(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	ctx := context.Background()
	newTicket := func(body string) *store.NewTicket {
		tk := &ticket.Ticket{RequestType: "general_question", Department: "support", Status: ticket.New, Priority: ticket.Normal,
			Subject: "Betreff", Language: "de", Customer: ticket.Customer{Name: "Erika Mustermann", Email: "erika@example.org", Language: "de"},
			FirstResponseDue: now, NoticeVersion: "1"}
		return &store.NewTicket{Ticket: tk, Body: body, StatusHash: auth.HashSecret(auth.NewSecret("")),
			Consent: privacy.Consent{NoticeVersion: "1", NoticeHash: "h", Language: "de", Accepted: true}, LegalBasis: privacy.BasisContract}
	}
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i, word := range []string{"apfelkuchen", "birnenkompott", "kirschstrudel"} {
			err := tx.Savepoint(fmt.Sprintf("t%d", i), func() error {
				if err := tx.CreateTicket(newTicket(word)); err != nil {
					return err
				}
				if word == "birnenkompott" {
					return fault.Errorf(fault.Conflict, "rolled back")
				}
				return nil
			})
			if err != nil && word != "birnenkompott" {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]int{"apfelkuchen": 1, "birnenkompott": 0, "kirschstrudel": 1} {
		var hits []store.SearchHit
		db.Read(ctx, func(tx *store.Tx) error {
			var err error
			hits, _, err = tx.Search(store.SearchFilter{Query: word, IncludeInternal: true})
			return err
		})
		if len(hits) != want {
			t.Errorf("search %q: %d hits, want %d", word, len(hits), want)
		}
	}
	var indexed int
	db.Read(ctx, func(tx *store.Tx) error {
		var err error
		indexed, err = tx.CountIndexRows()
		return err
	})
	if indexed != 2 {
		t.Errorf("%d rows in the search index, want 2", indexed)
	}
}

// TestSchemasAgree holds the two dialects' migrations to the same tables
// and columns, so that one query serves both.
func TestSchemasAgree(t *testing.T) {
	tables := func(dialect string) map[string][]string {
		out := map[string][]string{}
		names, _ := filepath.Glob("migrations/" + dialect + "/*.sql")
		if len(names) == 0 {
			t.Fatalf("no %s migrations", dialect)
		}
		reAlter := regexp.MustCompile(`ALTER TABLE (\w+) ADD COLUMN (\w+)`)
		reTable := regexp.MustCompile(`(?s)CREATE (?:VIRTUAL )?TABLE (\w+) (?:USING fts5 )?\((.*?)\n\);`)
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range reTable.FindAllStringSubmatch(string(b), -1) {
				var cols []string
				for _, line := range strings.Split(m[2], "\n") {
					f := strings.Fields(strings.TrimSpace(line))
					if len(f) == 0 || strings.HasPrefix(f[0], "--") || f[0] == "PRIMARY" || strings.Contains(f[0], "=") {
						continue
					}
					for _, c := range strings.Split(strings.Join(f, " "), ",") {
						if c = strings.TrimSpace(c); c != "" && !strings.Contains(c, "=") {
							cols = append(cols, strings.Fields(c)[0])
						}
					}
				}
				out[m[1]] = cols
			}
			for _, m := range reAlter.FindAllStringSubmatch(string(b), -1) {
				out[m[1]] = append(out[m[1]], m[2])
			}
		}
		return out
	}
	sqlite, postgres := tables("sqlite"), tables("postgres")
	// The search index is the one named difference: FTS5 columns there, a
	// tsvector here (see dialect.go).
	delete(sqlite, "message_search")
	delete(postgres, "message_search")
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("tables and columns differ (-sqlite +postgres):\n%s", diff)
	}
	if len(sqlite) < 10 {
		t.Errorf("found only %d tables", len(sqlite))
	}
}
