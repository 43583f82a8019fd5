package desk

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/fault"
	"frist/internal/pii"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// TrainingChoice is which tickets go into a training dataset, as forms,
// the API and the command line give it. Empty fields do not filter; the
// filters combine.
type TrainingChoice struct {
	Numbers     []string // ticket numbers ("F-100042" or "100042")
	RequestType string   // a request type id
	Department  string   // a department id
	Statuses    []string // ticket statuses
	Since       string   // YYYY-MM-DD in the organisation's time zone: created on or after
	Until       string   // YYYY-MM-DD: created on or before
	Sample      int      // choose this many at random among the matching; 0: all
	Format      string   // "json" (default) or "sqlite"; recorded in the audit trail
	Language    string   // "de" (default) or "en": agents' pseudonyms
}

// Training export formats.
const (
	TrainingJSON   = "json"
	TrainingSQLite = "sqlite"
)

// Validation message keys of a training choice.
const (
	ErrUnknownTicket   = "unknown_ticket"        // a ticket number names no ticket that matches
	ErrInvalidNumber   = "invalid_ticket_number" // not a ticket number
	ErrNothingToExport = "nothing_to_export"     // no exportable ticket matches
	ErrInvalidSample   = "invalid_sample"        // the sample size is negative or too large
	ErrTooManyTickets  = "too_many_tickets"      // more than MaxTrainingTickets match
)

// MaxTrainingTickets bounds one dataset; a sample chooses fewer.
const MaxTrainingTickets = 50000

// TrainingPlan is a validated training export: the tickets chosen, how
// many matching tickets are left out because they are restricted, held
// or anonymised, and the choice it came from.
type TrainingPlan struct {
	Choice   TrainingChoice // normalised: defaults filled, numbers formatted
	IDs      []int64        // the tickets, in id (creation) order
	LeftOut  int            // matched but never exported: restricted (Art. 18), held, anonymised
	Matching int            // exportable tickets that matched, before a sample
}

// CanExportTraining reports whether the agent may export training
// datasets: administrators and privacy officers.
func CanExportTraining(a *Agent) bool {
	return a != nil && (a.Role == auth.Admin || a.Role == auth.PrivacyOfficer)
}

var errTrainingForbidden = fault.Errorf(fault.Forbidden, "Only administrators and privacy officers may export training datasets.")

// PlanTrainingExport checks a choice and selects its tickets, in a read
// transaction; nothing is changed or recorded. a is the exporting agent,
// nil for the operator at the command line; an agent limited to
// departments chooses among theirs. Returns fault.Forbidden for other
// roles, fault.Conflict in a training installation, fault.Invalid naming
// each bad field (ticket numbers that match no ticket, request type,
// department, status, dates, sample size, format, language) or when no
// exportable ticket matches.
func (d *Desk) PlanTrainingExport(ctx context.Context, a *Agent, c TrainingChoice) (*TrainingPlan, error) {
	if a != nil && !CanExportTraining(a) {
		return nil, errTrainingForbidden
	}
	if d.Training() {
		return nil, fault.Errorf(fault.Conflict, "This is a training installation; its tickets are a training dataset already.")
	}
	p := d.Policy()
	var errs []fault.FieldError
	bad := func(field, key string) { errs = append(errs, fault.FieldError{Field: field, Message: key}) }
	c.Format = strings.ToLower(strings.TrimSpace(c.Format))
	switch c.Format {
	case "":
		c.Format = TrainingJSON
	case TrainingJSON, TrainingSQLite:
	default:
		bad("format", privacy.ErrOption)
	}
	switch c.Language = strings.TrimSpace(c.Language); c.Language {
	case "":
		c.Language = "de"
	case "de", "en":
	default:
		bad("language", privacy.ErrOption)
	}
	f := store.TrainingFilter{RequestType: strings.TrimSpace(c.RequestType), Department: strings.TrimSpace(c.Department)}
	if a != nil {
		f.Departments = a.Departments
	}
	c.RequestType, c.Department = f.RequestType, f.Department
	if f.RequestType != "" {
		if _, ok := p.RequestType(f.RequestType); !ok {
			bad("request_type", ErrUnknownType)
		}
	}
	if f.Department != "" {
		if _, ok := p.Department(f.Department); !ok {
			bad("department", privacy.ErrOption)
		}
	}
	var statuses []string
	for _, s := range c.Statuses {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !ticket.Status(s).Valid() {
			bad("status", privacy.ErrOption)
			break
		}
		if !slices.Contains(statuses, s) {
			statuses = append(statuses, s)
			f.Statuses = append(f.Statuses, ticket.Status(s))
		}
	}
	c.Statuses = statuses
	var numbers []string
	for _, n := range c.Numbers {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		id, err := ticket.ParseNumber(n)
		if err != nil {
			bad("tickets", ErrInvalidNumber)
			break
		}
		if !slices.Contains(f.IDs, id) {
			f.IDs = append(f.IDs, id)
			numbers = append(numbers, ticket.FormatNumber(id))
		}
	}
	c.Numbers = numbers
	loc := p.Location()
	day := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			bad(field, privacy.ErrDate)
		}
		return t
	}
	c.Since, c.Until = strings.TrimSpace(c.Since), strings.TrimSpace(c.Until)
	f.Since = day("since", c.Since)
	if f.Until = day("until", c.Until); !f.Until.IsZero() {
		f.Until = f.Until.AddDate(0, 0, 1)
		if !f.Since.IsZero() && !f.Until.After(f.Since) {
			bad("until", "before_from")
		}
	}
	if c.Sample < 0 || c.Sample > MaxTrainingTickets {
		bad("sample", ErrInvalidSample)
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please check the choice of tickets.", Fields: errs}
	}
	var found []store.TrainingCandidate
	if err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		found, err = tx.FindTrainingCandidates(f)
		return err
	}); err != nil {
		return nil, err
	}
	if f.IDs != nil && len(found) < len(f.IDs) {
		// Numbers of tickets that do not exist, that the exporter may not
		// see, or that the other filters rule out.
		return nil, fault.Fields("Some ticket numbers name no ticket that matches the choice.", fault.FieldError{Field: "tickets", Message: ErrUnknownTicket})
	}
	plan := &TrainingPlan{Choice: c}
	for _, x := range found {
		if x.Restricted || x.Held || x.Anonymised {
			plan.LeftOut++
			continue
		}
		plan.IDs = append(plan.IDs, x.ID)
	}
	plan.Matching = len(plan.IDs)
	if c.Sample > 0 && c.Sample < len(plan.IDs) {
		rand.Shuffle(len(plan.IDs), func(i, j int) { plan.IDs[i], plan.IDs[j] = plan.IDs[j], plan.IDs[i] })
		plan.IDs = plan.IDs[:c.Sample]
		slices.Sort(plan.IDs)
	}
	switch {
	case len(plan.IDs) == 0:
		return nil, fault.Fields("No ticket that may be exported matches the choice; restricted tickets and tickets under a legal hold are never exported.", fault.FieldError{Field: "tickets", Message: ErrNothingToExport})
	case len(plan.IDs) > MaxTrainingTickets:
		return nil, fault.Fields(fmt.Sprintf("More than %d tickets match; narrow the choice or take a sample.", MaxTrainingTickets), fault.FieldError{Field: "sample", Message: ErrTooManyTickets})
	}
	return plan, nil
}

// auditDetail describes the plan for the audit trail: counts, ids and
// enums, never a ticket's content.
func (pl *TrainingPlan) auditDetail() string {
	c := pl.Choice
	parts := []string{"tickets=" + strconv.Itoa(len(pl.IDs)), "format=" + c.Format}
	if len(c.Numbers) > 0 {
		parts = append(parts, "numbers="+strconv.Itoa(len(c.Numbers)))
	}
	if c.RequestType != "" {
		parts = append(parts, "request_type="+c.RequestType)
	}
	if c.Department != "" {
		parts = append(parts, "department="+c.Department)
	}
	if len(c.Statuses) > 0 {
		parts = append(parts, "status="+strings.Join(c.Statuses, ","))
	}
	if c.Since != "" {
		parts = append(parts, "since="+c.Since)
	}
	if c.Until != "" {
		parts = append(parts, "until="+c.Until)
	}
	if c.Sample > 0 {
		parts = append(parts, "sample="+strconv.Itoa(c.Sample))
	}
	if pl.LeftOut > 0 {
		parts = append(parts, "left_out="+strconv.Itoa(pl.LeftOut))
	}
	detail := strings.Join(parts, " ")
	if len(detail) > audit.MaxDetail {
		detail = detail[:audit.MaxDetail]
	}
	return detail
}

// ExportTraining writes the training dataset of a plan to sink and
// returns how many tickets it holds. It first records a training.export
// entry in the audit trail (the choice and the number of tickets, never
// their content); then it reads the tickets in one read transaction,
// leaving out any that became restricted or held since the plan. Each
// customer and agent gets a keyed pseudonym (the same person the same in
// every dataset of this installation), tickets new numbers, every time
// moves by one random offset of whole weeks into the past (so weekdays
// and business hours stay); sensitive fields and attachments are left
// out, contact fields and personal data in free text replaced.
// progress, if not nil, is told the tickets done. Returns
// fault.Forbidden for roles other than administrators and privacy
// officers (a nil agent is the operator); errors of sink as they are.
func (d *Desk) ExportTraining(ctx context.Context, a *Agent, pl *TrainingPlan, sink TrainingSink, progress func(done, total int)) (int, error) {
	if a != nil && !CanExportTraining(a) {
		return 0, errTrainingForbidden
	}
	key, err := d.pseudonymKey(ctx)
	if err != nil {
		return 0, err
	}
	p := d.Policy()
	body, err := trainingPolicy(p)
	if err != nil {
		return 0, err
	}
	exportID := fmt.Sprintf("%08x", rand.Uint32())
	if err := d.db.Write(ctx, func(tx *store.Tx) error {
		return d.auditTx(tx, a, audit.TrainingExport, "training:"+exportID, pl.auditDetail())
	}); err != nil {
		return 0, err
	}
	x := &trainingExporter{key: key, p: p, lang: pl.Choice.Language, agents: map[int64]*TrainingPerson{}, staff: nameIndex{},
		// One offset for the whole dataset: 1 to 52 weeks into the past.
		offset: -time.Duration(1+rand.IntN(52)) * 7 * 24 * time.Hour}
	done := 0
	err = d.db.Read(ctx, func(tx *store.Tx) error {
		found, err := tx.FindTrainingCandidates(store.TrainingFilter{IDs: pl.IDs})
		if err != nil {
			return err
		}
		var ids []int64
		for _, c := range found {
			if !c.Restricted && !c.Held && !c.Anonymised {
				ids = append(ids, c.ID)
			}
		}
		if err := x.numberTickets(tx, ids); err != nil {
			return err
		}
		users, err := tx.FindUsers()
		if err != nil {
			return err
		}
		for _, u := range users {
			ap := trainingAgent(privacy.PseudonymCode(key, privacy.PseudonymAgent, u.ID), x.lang)
			x.agents[u.ID] = ap
			x.staff.addPerson(u.Name, u.Email, ap.Name, ap.Email)
		}
		if err := sink.Begin(&TrainingDataset{Schema: TrainingSchema, Language: x.lang, Policy: string(body), TicketCount: len(ids)}); err != nil {
			return err
		}
		for start := 0; start < len(ids); start += 100 {
			ts, err := tx.FindTicketsByID(ids[start:min(start+100, len(ids))])
			if err != nil {
				return err
			}
			for _, t := range ts {
				tt, err := x.ticket(tx, t)
				if err != nil {
					return err
				}
				if err := sink.Ticket(tt); err != nil {
					return err
				}
				done++
				if progress != nil {
					progress(done, len(ids))
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return sink.End()
	})
	return done, err
}

// trainingPolicy returns the policy for a training dataset as YAML: the
// source's rules without the department leads' addresses (agents'
// personal data; a training installation has other agents). Comments of
// the applied file are not carried over.
func trainingPolicy(p *policy.Policy) ([]byte, error) {
	q := *p
	q.Departments = slices.Clone(p.Departments)
	for i := range q.Departments {
		q.Departments[i].Lead = ""
	}
	return q.Marshal()
}

// trainingExporter turns tickets into a dataset's tickets.
type trainingExporter struct {
	key     []byte
	p       *policy.Policy
	lang    string
	offset  time.Duration
	numbers map[int64]string          // source ticket id → new number
	agents  map[int64]*TrainingPerson // by source account id
	staff   nameIndex                 // every agent's name and address
}

// numberTickets gives the tickets new numbers in their order: consecutive
// from a random start above every id of the source, so that no new
// number is the number of a real ticket and none tells which it was.
func (x *trainingExporter) numberTickets(tx *store.Tx, ids []int64) error {
	maxID, err := tx.MaxTicketID()
	if err != nil {
		return err
	}
	base := maxID + 1000 + rand.Int64N(1000000)
	x.numbers = map[int64]string{}
	for i, id := range ids {
		x.numbers[id] = ticket.FormatNumber(base + int64(i) + 1)
	}
	return nil
}

// trainingAgent is the pseudonymous agent with the code, as the export
// writes it and the import rebuilds it from a code alone.
func trainingAgent(code, lang string) *TrainingPerson {
	label := "Mitarbeiter/in"
	if lang == "en" {
		label = "Agent"
	}
	return &TrainingPerson{Code: code, Name: label + " " + code, Email: "agent-" + strings.ToLower(code) + "@example.invalid", Language: lang}
}

// shift moves a time by the dataset's offset; the zero time stays zero.
func (x *trainingExporter) shift(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(x.offset).UTC()
}

func (x *trainingExporter) shiftPtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	s := x.shift(t)
	return &s
}

// historyFields are the history entries a dataset keeps: attributes and
// how they were routed. Entries of any other field (added later) are left
// out until they are known to hold no personal data.
var historyFields = map[string]bool{
	"created": true, "status": true, "priority": true, "department": true,
	"assignee": true, "assignment": true, "tags": true,
}

// ticket builds the dataset's ticket from a source ticket read in tx.
func (x *trainingExporter) ticket(tx *store.Tx, t *ticket.Ticket) (*TrainingTicket, error) {
	c := t.Customer
	cust := TrainingPerson{
		Code:     privacy.PseudonymCode(x.key, privacy.PseudonymCustomer, c.ID),
		Name:     privacy.Pseudonym(x.key, privacy.PseudonymCustomer, c.ID, c.Language),
		Email:    privacy.PseudonymEmailAddress(x.key, c.ID),
		Language: c.Language,
	}
	// The customer's own name, address and contact fields are replaced by
	// their pseudonyms wherever they appear in text.
	own := nameIndex{}
	own.addPerson(c.Name, c.Email, cust.Name, cust.Email)
	cat := x.p.Catalogue()
	fields := map[string]string{}
	var content []string
	for _, k := range slices.Sorted(maps.Keys(t.Fields)) {
		v := t.Fields[k]
		a, ok := cat.Attribute(k)
		if !ok || v == "" {
			continue // no longer catalogued: nothing says what it holds
		}
		switch {
		case a.Category == privacy.Sensitive:
			// Left out, and where the value appears in text (a birthplace
			// typed again into the message) it becomes the field's label.
			if a.Kind != privacy.KindSelect {
				label := "[" + a.Label.In(t.Language) + "]"
				own.add(v, label)
				if day, err := time.Parse(time.DateOnly, v); err == nil {
					own.add(day.Format("02.01.2006"), label)
				}
			}
			continue
		case identifies(a):
			if pv, ok := pseudonymField(x.key, a, v); ok {
				fields[k] = pv
				own.add(v, pv)
			}
		case a.Category == privacy.Content && a.Kind == privacy.KindDate:
			if day, err := time.Parse(time.DateOnly, v); err == nil {
				fields[k] = day.AddDate(0, 0, x.days()).Format(time.DateOnly)
			}
		case a.Category == privacy.Content && a.Kind != privacy.KindSelect:
			content = append(content, k)
		default:
			fields[k] = v
		}
	}
	text := func(s string) string { return x.text(s, t.Language, own) }
	for _, k := range content {
		fields[k] = text(t.Fields[k])
	}
	out := &TrainingTicket{
		Number: x.numbers[t.ID], RequestType: t.RequestType, Department: t.Department, Status: t.Status, Priority: t.Priority,
		Language: t.Language, Subject: text(t.Subject), Customer: cust, Tags: slices.Clone(t.Tags), Fields: fields, NoticeVersion: t.NoticeVersion,
		CreatedAt: x.shift(t.CreatedAt), UpdatedAt: x.shift(t.UpdatedAt), FirstResponseDue: x.shift(t.FirstResponseDue),
		FirstResponseAt: x.shiftPtr(t.FirstResponseAt), ClosedAt: x.shiftPtr(t.ClosedAt),
		Messages: []TrainingMessage{}, History: []TrainingChange{}, Consents: []TrainingConsent{}, SLAEvents: []TrainingSLA{},
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if t.AssigneeID != 0 {
		out.Assignee = x.agents[t.AssigneeID]
	}
	if t.SLA != nil {
		s := *t.SLA
		s.Clocks = slices.Clone(t.SLA.Clocks)
		s.Shift(x.offset)
		out.SLA = &s
	}
	msgs, err := tx.FindMessages(t.ID, true)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		tm := TrainingMessage{Visibility: m.Visibility, Author: m.Author, Body: text(m.Body), CreatedAt: x.shift(m.CreatedAt)}
		if m.AgentID != 0 {
			tm.Agent = x.agents[m.AgentID]
		}
		out.Messages = append(out.Messages, tm)
	}
	changes, err := tx.FindChanges(t.ID)
	if err != nil {
		return nil, err
	}
	for _, ch := range changes {
		if !historyFields[ch.Field] {
			continue
		}
		tc := TrainingChange{Field: ch.Field, From: ch.From, To: ch.To, Reason: ch.Reason, CreatedAt: x.shift(ch.CreatedAt)}
		if ch.ActorID != 0 {
			tc.ActorKind, tc.Actor = audit.ActorAgent, x.agents[ch.ActorID]
		} else {
			tc.ActorKind = ch.Actor // without an account, the actor's kind
		}
		if ch.Field == "assignee" {
			tc.From, tc.To = x.agentCode(ch.From), x.agentCode(ch.To)
		}
		out.History = append(out.History, tc)
	}
	consents, err := tx.FindConsentRecords(t.ID)
	if err != nil {
		return nil, err
	}
	for _, cr := range consents {
		tc := TrainingConsent{NoticeVersion: cr.NoticeVersion, NoticeHash: cr.NoticeHash, Language: cr.Language, Accepted: cr.Accepted,
			LegalBasis: string(cr.LegalBasis), Purposes: map[string]bool{}, At: x.shift(cr.At)}
		for _, pc := range cr.Purposes {
			tc.Purposes[pc.Purpose] = pc.Granted
		}
		out.Consents = append(out.Consents, tc)
	}
	events, err := tx.FindSLAEvents(t.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		out.SLAEvents = append(out.SLAEvents, TrainingSLA{Department: e.Department, Policy: e.Policy, Target: string(e.Target),
			Kind: e.Kind, Action: e.Action, Due: x.shift(e.Due), At: x.shift(e.CreatedAt)})
	}
	return out, nil
}

// agentCode turns an account id of the history into the agent's code.
func (x *trainingExporter) agentCode(id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || x.agents[n] == nil {
		return ""
	}
	return x.agents[n].Code
}

// text removes personal data from a free text: the customer's and every
// agent's name and address become their pseudonyms, what pii finds its
// label, card numbers intake truncated a label too, ticket numbers the
// dataset's, and dates move with the dataset.
func (x *trainingExporter) text(s, lang string, own nameIndex) string {
	s = replaceNames(s, own, x.staff)
	s = maskPII(s, lang)
	s = maskTruncatedCards(s, lang)
	s = replaceTicketNumbers(s, x.numbers, lang)
	return shiftDates(s, x.days())
}

// days is the dataset's offset in days.
func (x *trainingExporter) days() int { return int(x.offset / (24 * time.Hour)) }

// truncatedCard finds card numbers intake already cut to their first six
// and last four digits ("4111 11** **** 1111"): still more of a card than
// a training dataset needs.
var truncatedCard = regexp.MustCompile(`[0-9][0-9 *-]*\*[0-9 *-]*[0-9]`)

// maskTruncatedCards replaces truncated card numbers by the card label.
func maskTruncatedCards(s, lang string) string {
	return truncatedCard.ReplaceAllStringFunc(s, func(m string) string {
		n := 0
		for i := 0; i < len(m); i++ {
			if m[i] == '*' || m[i] >= '0' && m[i] <= '9' {
				n++
			}
		}
		if n < 12 || n > 19 {
			return m
		}
		return pii.Label(pii.PaymentCard, lang)
	})
}

// WriteTraining writes the training dataset of a plan to w in the plan's
// format, for a download: JSON as it is exported, a SQLite installation
// built in a temporary directory first (removed afterwards) and then
// copied. See ExportTraining for what it does and returns.
func (d *Desk) WriteTraining(ctx context.Context, a *Agent, pl *TrainingPlan, w io.Writer) (int, error) {
	if pl.Choice.Format != TrainingSQLite {
		return d.ExportTraining(ctx, a, pl, NewTrainingJSON(w), nil)
	}
	dir, err := os.MkdirTemp("", "frist-training-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "training.db")
	var n int
	if err := WriteTrainingFile(ctx, path, nil, func(sink TrainingSink) error {
		var err error
		n, err = d.ExportTraining(ctx, a, pl, sink, nil)
		return err
	}); err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return n, err
}
