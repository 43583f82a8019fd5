package desk

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"frist/internal/clock"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/store/storetest"
	"frist/internal/ticket"
)

// TestCommitFallback proves that one submission that cannot be stored
// fails alone: its neighbours in the same group commit are stored.
func TestCommitFallback(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, &clock.Test{})
	d, err := New(context.Background(), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sub := func(email, statusHash string) *submission {
		tk := &ticket.Ticket{RequestType: "general_question", Department: "support", Status: ticket.New, Priority: ticket.Normal,
			Subject: "Betreff", Language: "de", Customer: ticket.Customer{Name: "Erika Mustermann", Email: email, Language: "de"}, NoticeVersion: "2026-11-01"}
		return &submission{
			nt:   &store.NewTicket{Ticket: tk, Body: "Nachricht", StatusHash: statusHash, Consent: privacy.Consent{NoticeVersion: "2026-11-01", NoticeHash: "h", Language: "de", Accepted: true}, LegalBasis: privacy.BasisContract},
			sla:  func(now time.Time) { tk.FirstResponseDue = now.Add(time.Hour) },
			done: make(chan error, 1),
		}
	}
	// The second reuses the first's status hash, which must be unique.
	batch := []*submission{sub("a@example.org", "hash-1"), sub("b@example.org", "hash-1"), sub("c@example.org", "hash-3")}
	d.commit(batch)
	var failed int
	for _, s := range batch {
		if err := <-s.done; err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d submissions failed, want 1", failed)
	}
	var counts map[ticket.Status]int
	db.Read(context.Background(), func(tx *store.Tx) error {
		counts, err = tx.CountTickets(nil)
		return err
	})
	if counts[ticket.New] != 2 {
		t.Errorf("%d tickets stored, want 2", counts[ticket.New])
	}
}
