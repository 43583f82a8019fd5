package desk_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/policy"
	"frist/internal/store"
	"frist/internal/store/storetest"
)

// syncBuffer is a log sink safe for the desk's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// marker returns a unique word: two letters and ten random lower-case
// letters and digits. The full-text index stores words lower-cased and
// prefix-compressed, so searches look for the last eight characters.
func marker(t *testing.T) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "Mk" + string(b)
}

// findMarkers returns the markers that occur anywhere in the data: every
// file of the data directory (database, WAL, attachments), the log, and
// on PostgreSQL every row of every table.
func findMarkers(t *testing.T, e *desktest.Env, log []byte, markers []string) []string {
	t.Helper()
	var blobs [][]byte
	var names []string
	blobs = append(blobs, bytes.ToLower(log))
	names = append(names, "log")
	err := filepath.WalkDir(e.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		blobs = append(blobs, bytes.ToLower(b))
		names = append(names, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if storetest.Backend() == "postgres" {
		rows, err := e.DB.DumpText(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, bytes.ToLower(rows))
		names = append(names, "tables")
	}
	var found []string
	for _, m := range markers {
		tail := []byte(strings.ToLower(m[len(m)-8:]))
		for i, b := range blobs {
			if bytes.Contains(b, tail) {
				found = append(found, m+" in "+filepath.Base(names[i]))
				break
			}
		}
	}
	return found
}

// TestRetentionLeavesNoTrace is the deletion concept's proof as a
// property: tickets with a unique marker in every field, message,
// note, tag, hold reason and attachment expire; after the sweep, no file
// of the data directory (database, write-ahead log, attachments), no
// table row and no log line holds any marker.
func TestRetentionLeavesNoTrace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := &syncBuffer{}
	e := desktest.NewWithLog(t, log)
	y := strings.Replace(string(policy.DefaultYAML()), "      start: closed\n      period: P90D\n", "      start: closed\n      period: PT5S\n", 1)
	y = strings.Replace(y, "      start: end_of_year_after_closed\n      period: P3Y\n", "      start: closed\n      period: PT5S\n", 1)
	y = strings.Replace(y, "      start: closed\n      period: P1Y\n      action: anonymise\n", "      start: closed\n      period: PT10S\n      action: anonymise\n", 1)
	if _, err := e.Desk.ApplyPolicy(ctx, []byte(y)); err != nil {
		t.Fatal(err)
	}
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	dpo := e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)
	e.Clock.Set(berlin(t, "2026-11-29 10:00"))

	var markers []string
	m := func() string {
		x := marker(t)
		markers = append(markers, x)
		return x
	}
	var ids []int64
	for i, rt := range []string{"general_question", "technical_problem", "technical_problem", "complaint"} {
		r := e.Request(rt)
		r.Name = "Erika " + m()
		r.Email = strings.ToLower(m()) + "@example.org"
		r.Subject = "Betreff " + m()
		r.Message = "Nachricht " + m() + " mit IBAN DE02120300000000202051 " + m()
		switch rt {
		case "general_question":
			r.Fields["customer_number"] = "K-" + m()
		case "technical_problem":
			r.Fields["customer_number"] = "K-" + m()
			r.Fields["product"] = "Produkt " + m()
		case "complaint":
			r.Fields["order_number"] = "B-" + m()
		}
		r.Attachments = []desk.Upload{{Name: "beleg-" + m() + ".txt", Data: []byte("Anhang " + m() + "\n")}}
		rc := e.MustSubmit(t, r)
		id := rc.Ticket.ID
		ids = append(ids, id)
		if _, err := e.Desk.Reply(ctx, agent, id, desk.ReplyInput{Body: "Antwort " + m(),
			Attachments: []desk.Upload{{Name: "antwort-" + m() + ".txt", Data: []byte("Antwortanhang " + m())}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Desk.Reply(ctx, agent, id, desk.ReplyInput{Body: "Notiz " + m(), Internal: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Rückfrage "+m()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Desk.SetTags(ctx, agent, id, []string{strings.ToLower(m())}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			hold, err := e.Desk.PlaceHold(ctx, dpo, desk.HoldTarget{TicketID: id}, "Grund "+m())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Desk.LiftHold(ctx, dpo, hold.ID, "Aufgehoben "+m()); err != nil {
				t.Fatal(err)
			}
		}
		closeTicket(t, e, agent, id)
	}
	// The search must be able to see markers, or the test proves nothing.
	if found := findMarkers(t, e, log.Bytes(), markers); len(found) != len(markers) {
		t.Fatalf("before the sweep only %d of %d markers were found: the search is blind", len(found), len(markers))
	}

	// Every ticket expires: general questions and complaints are deleted,
	// technical problems anonymised.
	e.Clock.Set(berlin(t, "2026-11-29 10:01"))
	run, err := e.Desk.RunRetention(ctx, dpo, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Compacted {
		t.Error("the search index was not compacted")
	}
	if run.Deleted != 2 || run.Anonymised != 2 || run.Files != 8 {
		t.Fatalf("run %+v, want 2 deleted, 2 anonymised, 8 files removed", run)
	}
	if run.CheckpointBusy {
		t.Fatal("the WAL checkpoint was busy")
	}
	if found := findMarkers(t, e, log.Bytes(), markers); len(found) > 0 {
		t.Errorf("%d of %d markers survived the deletion: %v", len(found), len(markers), found)
		if b, err := os.ReadFile(filepath.Join(e.Dir, "frist.db")); err == nil && os.Getenv("FRIST_DEBUG_DUMP") != "" {
			os.WriteFile(os.Getenv("FRIST_DEBUG_DUMP"), b, 0o600)
		}
	}
	var left int
	var queued []string
	if err := e.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		left, err = tx.CountIndexRows()
		if err != nil {
			return err
		}
		queued, err = tx.PendingFileDeletions(100)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d search index rows left", left)
	}
	if len(queued) != 0 {
		t.Errorf("%d removed files still queued for deletion", len(queued))
	}
	for _, id := range ids[1:3] { // the anonymised ones keep their statistics
		if v, err := e.Desk.Ticket(ctx, dpo, id); err != nil || v.Ticket.AnonymisedAt.IsZero() {
			t.Errorf("ticket %d: %v", id, err)
		}
	}
}
