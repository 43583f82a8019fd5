package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/sla"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Expired seeding: what each ticket looks like and when it happened.
const (
	// ExpiredRequestType is the request type of expired seed tickets; the
	// default policy keeps it under the rule support_standard (90 days
	// after closure).
	ExpiredRequestType = "general_question"
	// ExpiredAge is how long before now expired seed tickets were
	// created and closed.
	ExpiredAge = 100 * 24 * time.Hour
	// ExpiredMessages is the number of messages of each expired seed
	// ticket: the request, an agent's reply and the customer's answer.
	ExpiredMessages = 3
	// expiredBatch is how many expired tickets one transaction writes.
	expiredBatch = 1000
)

// SeedExpired fills the database with n obviously fake closed tickets of
// ExpiredRequestType whose retention is due now, for measuring the
// retention sweeper: each was created and closed about ExpiredAge ago and
// has ExpiredMessages messages indexed for search, one small text file
// attached to its first message (written to the attachment store without
// syncing), its form field, consent record, history and the retention
// schedule computed by the rules in force. The stored schedules are
// marked as computed with the rules in force, so that the next sweep
// deletes at once instead of recomputing first. Tickets are written in
// transactions of expiredBatch, by as many writers as the database
// profits from; progress is called after each with the number done. The
// policy must offer ExpiredRequestType and the desk must have an
// attachment store.
func (d *Desk) SeedExpired(ctx context.Context, n int, progress func(done int)) error {
	p := d.Policy()
	rt, ok := p.RequestType(ExpiredRequestType)
	if !ok {
		return fmt.Errorf("seed expired: the policy has no request type %s", ExpiredRequestType)
	}
	if d.files == nil {
		return errors.New("seed expired: no attachment store configured")
	}
	if _, err := d.recomputeIfChanged(ctx, p); err != nil {
		return fmt.Errorf("seed expired: %w", err)
	}
	words := seedWords()
	base := d.clock.Now().Add(-ExpiredAge)
	err := d.seedParallel(n, expiredBatch, 7, progress, func(rng *rand.Rand, c, k, w, writers int) error {
		// Each chunk happened a second after the one before.
		at := base.Add(time.Duration(c) * time.Second)
		if err := d.seedExpiredChunk(ctx, p, rt, rng, words, at, c*expiredBatch, k, n, w, writers); err != nil {
			return fmt.Errorf("seed expired: %w", err)
		}
		return nil
	})
	return d.seeded(ctx, err)
}

// seedExpiredChunk writes expired tickets from..from+k in one transaction
// at the time at. Customers are those of writer w of writers, so that
// parallel transactions never wait for each other's rows; about three
// tickets share a customer.
func (d *Desk) seedExpiredChunk(ctx context.Context, p *policy.Policy, rt *policy.RequestType, rng *rand.Rand, words []string, at time.Time, from, k, n, w, writers int) error {
	sentence := func(min, spread int) string {
		var b strings.Builder
		for range min + rng.IntN(spread) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	// The files first, as attachments are written: a committed row always
	// has its file.
	type upload struct {
		key, sum string
		size     int
	}
	files := make([]upload, k)
	for i := range files {
		var b strings.Builder
		for b.Len() < 1024 {
			fmt.Fprintf(&b, "Protokoll %d: %s\n", from+i, sentence(8, 4))
		}
		data := []byte(b.String()[:1024])
		key, err := d.files.PutUnsynced(data)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		files[i] = upload{key: key, sum: hex.EncodeToString(sum[:]), size: len(data)}
	}
	past := d.db.WithClock(clock.Fixed(at))
	return past.Write(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		for i := range k {
			seq := from + i
			lang := "de"
			if rng.IntN(4) == 0 {
				lang = "en"
			}
			fields := map[string]string{}
			for _, f := range rt.Fields {
				fields[f.ID] = fmt.Sprintf("K-%d", 1000+rng.IntN(90000))
			}
			t := &ticket.Ticket{
				RequestType: rt.ID, Department: rt.Department, Status: ticket.New, Priority: rt.Priority,
				Subject: fmt.Sprintf("Frage %d %s", seq, words[rng.IntN(len(words))]), Language: lang,
				Customer:      ticket.Customer{Name: "Erika Mustermann", Email: fmt.Sprintf("ablauf%d@example.org", rng.IntN(n/3/writers+1)*writers+w), Language: lang},
				Fields:        fields,
				NoticeVersion: p.Notice.Version,
			}
			startSLA(p, t, now)
			applyRetention(p, t, now)
			nt := &store.NewTicket{Ticket: t, Body: sentence(20, 60), StatusHash: auth.HashSecret(auth.NewSecret("")),
				Consent:    privacy.Consent{NoticeVersion: p.Notice.Version, NoticeHash: p.Notice.Hash(lang), Language: lang, Accepted: true},
				LegalBasis: rt.LegalBasis}
			if err := tx.CreateTicket(nt); err != nil {
				return err
			}
			first, err := tx.FirstMessageID(t.ID)
			if err != nil {
				return err
			}
			f := files[i]
			if err := tx.CreateAttachment(&store.Attachment{TicketID: t.ID, MessageID: first, Name: fmt.Sprintf("protokoll-%d.txt", seq),
				ContentType: "text/plain; charset=utf-8", Size: int64(f.size), SHA256: f.sum, StorageKey: f.key}); err != nil {
				return err
			}
			for _, by := range []ticket.Author{ticket.ByAgent, ticket.ByCustomer} {
				if err := tx.CreateMessage(&ticket.Message{TicketID: t.ID, Visibility: ticket.Public, Author: by, Body: sentence(15, 40)}); err != nil {
					return err
				}
			}
			t.Status, t.ClosedAt, t.FirstResponseAt = ticket.Closed, now, now
			t.SLA.Meet(sla.FirstResponse, now)
			t.SLA.Meet(sla.Resolution, now)
			t.SLA.Pause(now)
			applyRetention(p, t, now)
			if err := tx.SaveTicket(t); err != nil {
				return err
			}
			if err := tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "status", From: string(ticket.New), To: string(ticket.Closed)}, "system"); err != nil {
				return err
			}
		}
		return nil
	})
}

// RetentionBatch is how many tickets one transaction of the retention
// sweeper handles, for measurements that compare it with plain SQL.
const RetentionBatch = retentionBatch
