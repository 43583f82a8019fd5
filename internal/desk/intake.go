package desk

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/pii"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/routing"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Request is a customer's submission from the web form or the intake API.
type Request struct {
	RequestType string
	Name        string
	Email       string
	Subject     string
	Message     string
	Language    string            // "de" or "en"; "" means the form's language
	Fields      map[string]string // form fields the request type declares
	Consent     ConsentInput
	Attachments []Upload // files attached to the request; see attachment's limits
}

// ConsentInput is what the customer confirmed with the submission.
type ConsentInput struct {
	NoticeVersion string   // the privacy notice version shown
	Accepted      bool     // the notice was confirmed
	Purposes      []string // optional purposes consented to
}

// Receipt is the answer to an accepted request.
type Receipt struct {
	Ticket       *ticket.Ticket
	StatusSecret string // the secret of the customer's status link; only its hash is stored
	// PII is the personal data the policy masked or flagged in the subject
	// and message before they were stored. The customer is told what was
	// masked (MaskedNotice).
	PII []pii.Count
}

// Validation message keys beyond those of privacy.
const (
	ErrNoticeRequired = "notice_required" // the privacy notice was not confirmed
	ErrNoticeOutdated = "notice_outdated" // the notice shown is not the one in force
	ErrUnknownType    = "unknown_request_type"
	ErrUnknownPurpose = "unknown_purpose"
)

// ValidateRequest checks a submission against the policy and returns the
// normalised request, or a fault.Invalid error listing every bad field.
// Fields the request type does not declare are rejected, not ignored.
func ValidateRequest(p *policy.Policy, r Request) (Request, *policy.RequestType, error) {
	var errs []fault.FieldError
	bad := func(field, msg string) { errs = append(errs, fault.FieldError{Field: field, Message: msg}) }
	cat := p.Catalogue()
	norm := func(field, id, v string, required bool) string {
		a, _ := cat.Attribute(id)
		out, msg := a.Normalize(v)
		if msg != "" {
			bad(field, msg)
		} else if required && out == "" {
			bad(field, privacy.ErrRequired)
		}
		return out
	}
	out := Request{Fields: map[string]string{}}
	rt, ok := p.RequestType(r.RequestType)
	if !ok {
		if r.RequestType == "" {
			bad("request_type", privacy.ErrRequired)
		} else {
			bad("request_type", ErrUnknownType)
		}
	} else {
		out.RequestType = rt.ID
	}
	out.Name = norm("name", privacy.AttrName, r.Name, true)
	out.Email = norm("email", privacy.AttrEmail, r.Email, true)
	out.Subject = norm("subject", privacy.AttrSubject, r.Subject, true)
	out.Message = norm("message", privacy.AttrMessage, r.Message, true)
	out.Language = r.Language
	if out.Language == "" {
		out.Language = "de"
	}
	out.Language = norm("language", privacy.AttrLanguage, out.Language, true)
	if rt != nil {
		declared := map[string]policy.FieldRef{}
		for _, f := range rt.Fields {
			declared[f.ID] = f
			if v := norm("fields."+f.ID, f.ID, r.Fields[f.ID], f.Required); v != "" {
				out.Fields[f.ID] = v
			}
		}
		var unknown []string
		for k := range r.Fields {
			if _, ok := declared[k]; !ok {
				unknown = append(unknown, k)
			}
		}
		sort.Strings(unknown)
		for _, k := range unknown {
			// The field name is echoed only when it looks like an id, so
			// that arbitrary input never reaches an error message.
			if privacy.ValidID(k) {
				bad("fields."+k, privacy.ErrUnknown)
			} else {
				bad("fields", privacy.ErrUnknown)
			}
		}
	}
	out.Consent = ConsentInput{NoticeVersion: r.Consent.NoticeVersion, Accepted: r.Consent.Accepted}
	switch {
	case !r.Consent.Accepted:
		bad("consent.accepted", ErrNoticeRequired)
	case r.Consent.NoticeVersion != p.Notice.Version:
		bad("consent.notice_version", ErrNoticeOutdated)
	}
	optional := map[string]bool{}
	for _, x := range p.OptionalPurposes() {
		optional[x.ID] = true
	}
	seen := map[string]bool{}
	for _, x := range r.Consent.Purposes {
		if !optional[x] {
			bad("consent.purposes", ErrUnknownPurpose)
			break
		}
		if !seen[x] {
			seen[x] = true
			out.Consent.Purposes = append(out.Consent.Purposes, x)
		}
	}
	if len(errs) > 0 {
		return Request{}, nil, &fault.Error{Code: fault.Invalid, Message: "Please check the highlighted fields.", Fields: errs}
	}
	return out, rt, nil
}

// SubmitRequest validates a customer's request and stores it as a new
// ticket with its consent record. When it returns without error, the
// ticket is committed: a crash afterwards does not lose it. Concurrent
// submissions are committed together in one transaction (group commit).
// Personal data in the subject and message is masked or flagged as the
// policy's pii section says before anything is stored (Receipt.PII).
// Returns fault.Invalid for bad input; nothing is stored then.
func (d *Desk) SubmitRequest(ctx context.Context, r Request) (*Receipt, error) {
	p := d.Policy()
	files, ferr := prepareUploads(r.Attachments)
	r, rt, err := ValidateRequest(p, r)
	if err = mergeInvalid(err, ferr); err != nil {
		return nil, err
	}
	// Personal data in the subject and message is masked before anything
	// below sees it: routing, the ticket, the search index, events.
	var found []pii.Count
	r.Subject, r.Message, found = screenRequest(p, rt.ID, r.Language, r.Subject, r.Message)
	secret := auth.NewSecret("")
	consent := privacy.Consent{
		NoticeVersion: p.Notice.Version,
		NoticeHash:    p.Notice.Hash(r.Language),
		Language:      r.Language,
		Accepted:      true,
	}
	granted := map[string]bool{}
	for _, x := range r.Consent.Purposes {
		granted[x] = true
	}
	for _, x := range p.OptionalPurposes() {
		consent.Purposes = append(consent.Purposes, privacy.PurposeConsent{Purpose: x.ID, Granted: granted[x.ID]})
	}
	t := &ticket.Ticket{
		RequestType:   rt.ID,
		Department:    rt.Department,
		Status:        ticket.New,
		Priority:      rt.Priority,
		Subject:       r.Subject,
		Language:      r.Language,
		Customer:      ticket.Customer{Name: r.Name, Email: r.Email, Language: r.Language},
		Fields:        r.Fields,
		NoticeVersion: p.Notice.Version,
	}
	// The policy's routing rules may send the request elsewhere than its
	// type's department, and raise its priority; the rule is recorded.
	// Requests no rule matches go to the policy's default department, if
	// it names one. The decision is recorded with the ticket.
	route, err := p.Route(routing.Request{RequestType: rt.ID, Subject: r.Subject, Message: r.Message, Language: r.Language, Priority: rt.Priority, Fields: r.Fields})
	if err != nil {
		return nil, fmt.Errorf("intake: %w", err) // not reached: the request was validated against this policy
	}
	routed := route.Decision
	t.Department, t.Priority = route.Department, route.Priority
	s := &submission{
		nt:     &store.NewTicket{Ticket: t, Body: r.Message, BodyPII: found, StatusHash: auth.HashSecret(secret), Consent: consent, LegalBasis: rt.LegalBasis, RouteReason: route.Reason()},
		sla:    func(now time.Time) { startSLA(p, t, now); applyRetention(p, t, now) },
		skills: requiredSkills(rt, routed),
		files:  files,
		done:   make(chan error, 1),
	}
	// Files are durable before the ticket commits, so that the 201 means
	// they are; they are removed again if it does not commit.
	if err := d.writeFiles(files); err != nil {
		return nil, err
	}
	select {
	case d.intake <- s:
	case <-d.stop:
		d.removeFiles(files)
		return nil, fault.Errorf(fault.Internal, "shutting down")
	case <-ctx.Done():
		d.removeFiles(files)
		return nil, ctx.Err()
	}
	// Once queued, the submission is committed even if the caller goes
	// away, so wait for the outcome regardless of ctx.
	if err := <-s.done; err != nil {
		d.removeFiles(files)
		return nil, err
	}
	d.publish(events.KindTicketCreated, t, map[string]any{"status": t.Status, "priority": t.Priority, "first_response_due": t.FirstResponseDue})
	d.publishAssigned(t)
	return &Receipt{Ticket: t, StatusSecret: secret, PII: found}, nil
}

// submission is one validated request waiting for the intake writer.
type submission struct {
	nt     *store.NewTicket
	sla    func(now time.Time) // starts the SLA clocks at the commit's time
	skills []string            // an assignee needs these under skill-based assignment
	files  []*file             // attachments, written before the commit
	done   chan error
}

// maxBatch bounds one group commit; more waiting submissions go into the
// next transaction.
const maxBatch = 256

// runIntake commits queued submissions: it takes whatever is waiting, up
// to maxBatch, writes it in one transaction with a savepoint per ticket,
// and answers each submission after the commit. SQLite runs one of these
// (it has one writer); PostgreSQL several (store.DB.Writers).
func (d *Desk) runIntake() {
	defer d.wg.Done()
	batch := make([]*submission, 0, maxBatch)
	for {
		var first *submission
		select {
		case first = <-d.intake:
		case <-d.stop:
			// Commit what was queued before the stop.
			for {
				select {
				case s := <-d.intake:
					d.commit([]*submission{s})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < maxBatch {
			select {
			case s := <-d.intake:
				batch = append(batch, s)
			default:
				break fill
			}
		}
		d.commit(batch)
	}
}

func (d *Desk) commit(batch []*submission) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Customers are upserted in email order, so that concurrent batches on
	// PostgreSQL lock the same rows in the same order and never deadlock.
	slices.SortStableFunc(batch, func(a, b *submission) int {
		return strings.Compare(a.nt.Ticket.Customer.Email, b.nt.Ticket.Customer.Email)
	})
	// All tickets in one transaction. Inserting a validated ticket does not
	// fail in practice; if it does, the batch is retried one ticket per
	// transaction, so that only the failing submission gets the error.
	// (A savepoint per ticket would cost two more statements each.)
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		for _, s := range batch {
			s.sla(tx.Now())
			if err := tx.CreateTicket(s.nt); err != nil {
				return err
			}
			if err := recordFiles(tx, s.nt.Ticket.ID, 0, s.files); err != nil {
				return err
			}
		}
		return d.assignBatch(tx, batch)
	})
	if err == nil || len(batch) == 1 {
		for _, s := range batch {
			if err != nil {
				s.done <- fmt.Errorf("intake: %w", err)
			} else {
				s.done <- nil
			}
		}
		return
	}
	for _, s := range batch {
		s.nt.Ticket.ID, s.nt.Ticket.Customer.ID, s.nt.Ticket.AssigneeID = 0, 0, 0
		d.commit([]*submission{s})
	}
}
