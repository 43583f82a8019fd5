package store_test

import (
	"context"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/pii"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"

	"github.com/google/go-cmp/cmp"
)

// TestMessagePII stores the findings of the first message and of a reply
// and reads them back with the conversation and in search hits.
func TestMessagePII(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	ctx := context.Background()
	first := []pii.Count{{Kind: pii.IBAN, Action: pii.ActionFlag, N: 2}, {Kind: pii.PaymentCard, Action: pii.ActionMask, N: 1}}
	reply := []pii.Count{{Kind: pii.BirthDate, Action: pii.ActionFlag, N: 1}}
	tk := &ticket.Ticket{RequestType: "general_question", Department: "support", Status: ticket.New, Priority: ticket.Normal,
		Subject: "Erstattung", Language: "de", Customer: ticket.Customer{Name: "Erika Mustermann", Email: "erika@example.org", Language: "de"},
		FirstResponseDue: now.Add(time.Hour), NoticeVersion: "1"}
	err := db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTicket(&store.NewTicket{Ticket: tk, Body: "Bitte auf mein Konto zurückbuchen", BodyPII: first,
			StatusHash: auth.HashSecret(auth.NewSecret("")), Consent: privacy.Consent{NoticeVersion: "1", NoticeHash: "h", Language: "de", Accepted: true},
			LegalBasis: privacy.BasisContract}); err != nil {
			return err
		}
		if err := tx.CreateMessage(&ticket.Message{TicketID: tk.ID, Visibility: ticket.Public, Author: ticket.ByCustomer, Body: "Geburtsdatum nachgereicht", PII: reply}); err != nil {
			return err
		}
		return tx.CreateMessage(&ticket.Message{TicketID: tk.ID, Visibility: ticket.Public, Author: ticket.ByCustomer, Body: "Danke"})
	})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []ticket.Message
	var hits []store.SearchHit
	err = db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if msgs, err = tx.FindMessages(tk.ID, true); err != nil {
			return err
		}
		hits, _, err = tx.Search(store.SearchFilter{Query: "zurückbuchen", WithRestricted: true, IncludeInternal: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, want := range [][]pii.Count{first, reply, nil} {
		if diff := cmp.Diff(want, msgs[i].PII); diff != "" {
			t.Errorf("message %d findings (-want +got):\n%s", i, diff)
		}
	}
	if len(hits) != 1 {
		t.Fatalf("%d search hits", len(hits))
	}
	if diff := cmp.Diff(first, hits[0].Message.PII); diff != "" {
		t.Errorf("search hit findings (-want +got):\n%s", diff)
	}
}
