package desk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Seed words for measuring search: CommonWord occurs in 40 % of seeded
// tickets, RareWord in one of every RareEvery.
const (
	CommonWord = "rechnungskopie"
	RareWord   = "zeppelinwerft"
	RareEvery  = 100000
)

// Seed fills the database with n obviously fake tickets for measurements,
// through the same store code as intake, in large transactions. Tickets
// are spread over departments, statuses and the last year; progress is
// called after each transaction with the number done.
func (d *Desk) Seed(ctx context.Context, n int, progress func(done int)) error {
	p := d.Policy()
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields(`Guten Tag ich habe eine Frage zu meinem Vertrag der Lieferung dem Passwort der Anmeldung
		hello I have a question about my contract the delivery password login invoice please help thank you
		Drucker Bildschirm Verbindung langsam Fehler Meldung Konto Kündigung Adresse Umzug Tarif Gutschrift`)
	statuses := []ticket.Status{ticket.New, ticket.Open, ticket.Waiting, ticket.Resolved, ticket.Closed, ticket.Closed, ticket.Closed, ticket.Closed}
	const batch = 5000
	for done := 0; done < n; {
		k := min(batch, n-done)
		err := d.db.Write(ctx, func(tx *store.Tx) error {
			for i := range k {
				seq := done + i
				rt := &p.RequestTypes[rng.IntN(len(p.RequestTypes))]
				var b strings.Builder
				for range 20 + rng.IntN(60) {
					b.WriteString(words[rng.IntN(len(words))])
					b.WriteByte(' ')
				}
				if seq%5 < 2 {
					b.WriteString(CommonWord + " ")
				}
				if seq%RareEvery == RareEvery/2 {
					b.WriteString(RareWord + " ")
				}
				lang := "de"
				if rng.IntN(4) == 0 {
					lang = "en"
				}
				fields := map[string]string{}
				for _, f := range rt.Fields {
					if f.Required {
						fields[f.ID] = fmt.Sprintf("K-%d", 1000+rng.IntN(90000))
					}
				}
				t := &ticket.Ticket{
					RequestType: rt.ID, Department: rt.Department, Status: statuses[rng.IntN(len(statuses))],
					Priority: rt.Priority, Subject: fmt.Sprintf("Anfrage %d %s", seq, words[rng.IntN(len(words))]), Language: lang,
					Customer:      ticket.Customer{Name: "Erika Mustermann", Email: fmt.Sprintf("kunde%d@example.org", rng.IntN(n/3+1)), Language: lang},
					Fields:        fields,
					NoticeVersion: p.Notice.Version,
				}
				t.FirstResponseDue = tx.Now().Add(-time.Duration(rng.IntN(365*24)) * time.Hour)
				nt := &store.NewTicket{Ticket: t, Body: b.String(), StatusHash: auth.HashSecret(auth.NewSecret("")),
					Consent:    privacy.Consent{NoticeVersion: p.Notice.Version, NoticeHash: p.Notice.Hash(lang), Language: lang, Accepted: true},
					LegalBasis: rt.LegalBasis}
				if err := tx.CreateTicket(nt); err != nil {
					return err
				}
				if t.Status != ticket.New {
					if t.Status == ticket.Closed {
						t.ClosedAt = tx.Now()
					}
					if t.Status != ticket.Open {
						t.FirstResponseAt = tx.Now()
					}
					if err := tx.SaveTicket(t); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		done += k
		if progress != nil {
			progress(done)
		}
	}
	return nil
}
