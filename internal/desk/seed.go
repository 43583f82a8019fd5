package desk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"frist/internal/auth"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/sla"
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
	return d.seed(ctx, n, []ticket.Status{ticket.New, ticket.Open, ticket.Waiting, ticket.Resolved, ticket.Closed, ticket.Closed, ticket.Closed, ticket.Closed}, progress)
}

// SeedOpen is Seed with every ticket new or open, so that every ticket has
// running SLA clocks: the worst case for the breach job.
func (d *Desk) SeedOpen(ctx context.Context, n int, progress func(done int)) error {
	return d.seed(ctx, n, []ticket.Status{ticket.New, ticket.Open}, progress)
}

func (d *Desk) seed(ctx context.Context, n int, statuses []ticket.Status, progress func(done int)) error {
	p := d.Policy()
	words := seedWords()
	const batch = 5000
	err := d.seedParallel(n, batch, 1, progress, func(rng *rand.Rand, c, k, w, writers int) error {
		if err := d.seedChunk(ctx, p, rng, words, statuses, c*batch, k, n, w, writers); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		return nil
	})
	return d.seeded(ctx, err)
}

// seeded finishes a seed that ended with err: the tickets came in a few
// large transactions, not over the months they are dated in, so the
// search index is merged as the background merger would have merged it
// meanwhile.
func (d *Desk) seeded(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	if err := d.db.OptimizeSearchIndex(ctx); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// seedWords are the words fake messages are made of.
func seedWords() []string {
	return strings.Fields(`Guten Tag ich habe eine Frage zu meinem Vertrag der Lieferung dem Passwort der Anmeldung
		hello I have a question about my contract the delivery password login invoice please help thank you
		Drucker Bildschirm Verbindung langsam Fehler Meldung Konto Kündigung Adresse Umzug Tarif Gutschrift`)
}

// seedParallel writes n fake tickets in chunks of batch: chunk c holds k
// tickets and is written by writer w of as many writers as the database
// profits from (one on SQLite). Each writer has its own customers and
// random numbers (seeded from seed), so that parallel transactions never
// wait for each other's rows; progress is told the number done after each
// chunk.
func (d *Desk) seedParallel(n, batch int, seed uint64, progress func(done int), chunk func(rng *rand.Rand, c, k, w, writers int) error) error {
	writers := d.db.Writers()
	chunks := (n + batch - 1) / batch
	var done atomic.Int64
	var mu sync.Mutex
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			rng := rand.New(rand.NewPCG(seed, uint64(2+w)))
			for c := w; c < chunks; c += writers {
				k := min(batch, n-c*batch)
				if err := chunk(rng, c, k, w, writers); err != nil {
					errs <- err
					return
				}
				total := int(done.Add(int64(k)))
				if progress != nil {
					mu.Lock()
					progress(total)
					mu.Unlock()
				}
			}
			errs <- nil
		}()
	}
	var first error
	for range writers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// seedChunk writes tickets from..from+k in one transaction. Customers are
// those of writer w of writers.
func (d *Desk) seedChunk(ctx context.Context, p *policy.Policy, rng *rand.Rand, words []string, statuses []ticket.Status, from, k, n, w, writers int) error {
	return d.db.Write(ctx, func(tx *store.Tx) error {
		for i := range k {
			seq := from + i
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
				Customer:      ticket.Customer{Name: "Erika Mustermann", Email: fmt.Sprintf("kunde%d@example.org", rng.IntN(n/3/writers+1)*writers+w), Language: lang},
				Fields:        fields,
				NoticeVersion: p.Notice.Version,
			}
			// SLA clocks as if the ticket came in within the last two days
			// and the breach job had kept up: passed warnings and deadlines
			// are marked (without history entries), so that a sweep finds
			// only what falls due from now on.
			startSLA(p, t, tx.Now().Add(-time.Duration(rng.IntN(48*3600))*time.Second))
			t.SLA.Sweep(tx.Now())
			nt := &store.NewTicket{Ticket: t, Body: b.String(), StatusHash: auth.HashSecret(auth.NewSecret("")),
				Consent:    privacy.Consent{NoticeVersion: p.Notice.Version, NoticeHash: p.Notice.Hash(lang), Language: lang, Accepted: true},
				LegalBasis: rt.LegalBasis}
			applyRetention(p, t, tx.Now())
			if err := tx.CreateTicket(nt); err != nil {
				return err
			}
			if t.Status != ticket.New {
				if t.Status == ticket.Closed {
					t.ClosedAt = tx.Now()
				}
				if t.Status != ticket.Open {
					t.FirstResponseAt = tx.Now()
					t.SLA.Meet(sla.FirstResponse, tx.Now())
					if t.Status != ticket.Waiting {
						t.SLA.Meet(sla.Resolution, tx.Now())
					}
					t.SLA.Pause(tx.Now())
				}
				applyRetention(p, t, tx.Now())
				if err := tx.SaveTicket(t); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
