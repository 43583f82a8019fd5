package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/sla"
	"frist/internal/store"
	"frist/internal/ticket"
)

// settingTraining marks a training installation: its value is the schema
// of the dataset it was made from. A training installation shows a
// banner on every page, refuses outbound integrations, exports no
// training datasets itself, and its retention sweeper deletes nothing
// (docs/decisions/0013-training-installations.md).
const settingTraining = "training"

// Training reports whether this is a training installation, made from a
// training dataset.
func (d *Desk) Training() bool { return d.training.Load() }

// loadTraining reads whether the installation is a training one; it is
// fixed when the installation is made.
func (d *Desk) loadTraining(ctx context.Context) error {
	return d.db.Read(ctx, func(tx *store.Tx) error {
		_, err := tx.Setting(settingTraining)
		switch fault.Code(err) {
		case "":
			d.training.Store(true)
		case fault.NotFound:
			d.training.Store(false)
		default:
			return err
		}
		return nil
	})
}

// checkTrainingPolicy refuses, in a training installation, a policy that
// would send data off the machine: no outbound integration may be
// enabled there.
func (d *Desk) checkTrainingPolicy(p *policy.Policy) error {
	if !d.Training() {
		return nil
	}
	return refuseIntegrations(p)
}

// refuseIntegrations returns fault.Invalid when the policy enables an
// outbound integration.
func refuseIntegrations(p *policy.Policy) error {
	for _, in := range p.Integrations {
		if in.Enabled {
			return fault.Errorf(fault.Invalid, "This is a training installation: outbound integrations are refused here; disable integration %q.", in.ID)
		}
	}
	return nil
}

// trainingInstallation builds a training installation from a dataset in
// an empty database, as a TrainingSink: Begin applies the dataset's
// policy with its integrations disabled and marks the installation as a
// training one, Ticket stores each ticket with its history (in batches of
// trainingBatch per transaction), End finishes. The agents of the
// tickets become disabled accounts under their pseudonyms; nobody can
// log in as them.
type trainingInstallation struct {
	ctx      context.Context
	db       *store.DB
	progress func(done int)

	p      *policy.Policy
	lang   string
	agents map[string]int64 // code → account id
	batch  []*TrainingTicket
	done   int
	seen   map[string]bool // ticket numbers
}

const trainingBatch = 200

// NewTrainingInstallation returns a sink that builds a training
// installation in db, which must be migrated and empty (no policy,
// account or ticket). progress, if not nil, is told the tickets stored.
// Errors are fault.Invalid for a dataset that does not hold together
// (naming the ticket and what is wrong, never a value) and fault.Conflict
// for a database that is not empty.
func NewTrainingInstallation(ctx context.Context, db *store.DB, progress func(done int)) TrainingSink {
	return &trainingInstallation{ctx: ctx, db: db, progress: progress, agents: map[string]int64{}, seen: map[string]bool{}}
}

func (ti *trainingInstallation) Begin(h *TrainingDataset) error {
	if h.Schema != TrainingSchema {
		return errNotDataset("it declares another schema.")
	}
	if h.Language != "de" && h.Language != "en" {
		return errNotDataset("\"language\" must be de or en.")
	}
	p, err := policy.Parse([]byte(h.Policy))
	if err != nil {
		return errNotDataset("its policy is invalid: %v", err)
	}
	for i := range p.Integrations {
		p.Integrations[i].Enabled = false
	}
	body, err := p.Marshal()
	if err != nil {
		return err
	}
	if p, err = policy.Parse(body); err != nil {
		return errNotDataset("its policy is invalid: %v", err)
	}
	ti.p, ti.lang = p, h.Language
	sum := sha256.Sum256(body)
	return ti.db.Write(ti.ctx, func(tx *store.Tx) error {
		empty, err := tx.IsEmpty()
		if err != nil {
			return err
		}
		if !empty {
			return fault.Errorf(fault.Conflict, "The database is not empty; a training installation is made in a new data directory.")
		}
		if _, err := tx.SavePolicy(body, hex.EncodeToString(sum[:]), p.Notice); err != nil {
			return err
		}
		return tx.SetSetting(settingTraining, TrainingSchema)
	})
}

func (ti *trainingInstallation) Ticket(t *TrainingTicket) error {
	if ti.p == nil {
		return fmt.Errorf("training installation: Ticket before Begin")
	}
	if err := ti.check(t); err != nil {
		return err
	}
	ti.batch = append(ti.batch, t)
	if len(ti.batch) >= trainingBatch {
		return ti.flush()
	}
	return nil
}

func (ti *trainingInstallation) End() error {
	if err := ti.flush(); err != nil {
		return err
	}
	return ti.db.Write(ti.ctx, func(tx *store.Tx) error {
		if err := tx.FinishImport(); err != nil {
			return err
		}
		return tx.AppendAudit(auditEntry(nil, audit.TrainingImport, "training:installation", fmt.Sprintf("tickets=%d agents=%d", ti.done, len(ti.agents))))
	})
}

// check validates a ticket of the dataset against the policy; the error
// names the ticket by its position and number (a dataset's own) and the
// field, never a value.
func (ti *trainingInstallation) check(t *TrainingTicket) error {
	n := ti.done + len(ti.batch) + 1
	bad := func(what string) error { return errNotDataset("ticket %d: %s.", n, what) }
	if _, err := ticket.ParseNumber(t.Number); err != nil {
		return bad("\"number\" is not a ticket number")
	}
	if ti.seen[t.Number] {
		return bad("its number appears twice")
	}
	ti.seen[t.Number] = true
	switch {
	case func() bool { _, ok := ti.p.RequestType(t.RequestType); return !ok }():
		return bad("its request type is not in the policy")
	case func() bool { _, ok := ti.p.Department(t.Department); return !ok }():
		return bad("its department is not in the policy")
	case !t.Status.Valid():
		return bad("\"status\" is not valid")
	case !t.Priority.Valid():
		return bad("\"priority\" is not valid")
	case t.Language != "de" && t.Language != "en":
		return bad("\"language\" must be de or en")
	case t.CreatedAt.IsZero() || t.UpdatedAt.IsZero():
		return bad("it lacks created_at or updated_at")
	case t.Customer.Code == "" || t.Customer.Name == "":
		return bad("its customer lacks a code or name")
	case !strings.HasSuffix(strings.ToLower(t.Customer.Email), "@example.invalid"):
		return bad("its customer's address is not under example.invalid")
	case len(t.Messages) == 0:
		return bad("it has no message")
	}
	cat := ti.p.Catalogue()
	for k := range t.Fields {
		if a, ok := cat.Attribute(k); !ok || a.Category == privacy.Sensitive {
			return bad("a field is not catalogued or is sensitive")
		}
	}
	for _, m := range t.Messages {
		if m.Visibility != ticket.Public && m.Visibility != ticket.Internal {
			return bad("a message's visibility is not valid")
		}
		if m.Author != ticket.ByCustomer && m.Author != ticket.ByAgent && m.Author != ticket.BySystem {
			return bad("a message's author is not valid")
		}
		if m.CreatedAt.IsZero() {
			return bad("a message lacks created_at")
		}
	}
	for _, ch := range t.History {
		if ch.ActorKind != audit.ActorAgent && ch.ActorKind != audit.ActorCustomer && ch.ActorKind != audit.ActorSystem {
			return bad("a history entry's actor_kind is not valid")
		}
		if !historyFields[ch.Field] {
			return bad("a history entry's field is not known")
		}
	}
	for _, p := range []*TrainingPerson{t.Assignee} {
		if p != nil && p.Code == "" {
			return bad("an agent lacks a code")
		}
	}
	return nil
}

// flush stores the batch in one transaction.
func (ti *trainingInstallation) flush() error {
	if len(ti.batch) == 0 {
		return nil
	}
	added := map[string]int64{}
	err := ti.db.Write(ti.ctx, func(tx *store.Tx) error {
		for _, t := range ti.batch {
			it, err := ti.imported(tx, t, added)
			if err != nil {
				return err
			}
			if err := tx.ImportTicket(it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range added {
		ti.agents[k] = v
	}
	ti.done += len(ti.batch)
	ti.batch = ti.batch[:0]
	if ti.progress != nil {
		ti.progress(ti.done)
	}
	return nil
}

// agent returns the account id of the agent, creating the disabled
// account on first sight; added collects those of this transaction.
func (ti *trainingInstallation) agent(tx *store.Tx, p *TrainingPerson, added map[string]int64) (int64, error) {
	if p == nil || p.Code == "" {
		return 0, nil
	}
	if id, ok := ti.agents[p.Code]; ok {
		return id, nil
	}
	if id, ok := added[p.Code]; ok {
		return id, nil
	}
	// The name and address come from the code, so that a dataset cannot
	// smuggle other names into the accounts.
	ap := trainingAgent(p.Code, ti.lang)
	u := &auth.User{Email: ap.Email, Name: ap.Name, Role: auth.Agent}
	if err := tx.ImportUser(u, nil); err != nil {
		return 0, err
	}
	added[p.Code] = u.ID
	return u.ID, nil
}

func (ti *trainingInstallation) agentByCode(tx *store.Tx, code string, added map[string]int64) (string, error) {
	if code == "" {
		return "", nil
	}
	id, err := ti.agent(tx, &TrainingPerson{Code: code}, added)
	if err != nil {
		return "", err
	}
	return fmt.Sprint(id), nil
}

// imported turns a dataset's ticket into what the store imports.
func (ti *trainingInstallation) imported(tx *store.Tx, t *TrainingTicket, added map[string]int64) (*store.ImportedTicket, error) {
	id, _ := ticket.ParseNumber(t.Number)
	tk := &ticket.Ticket{
		ID: id, RequestType: t.RequestType, Department: t.Department, Status: t.Status, Priority: t.Priority,
		Subject: t.Subject, Language: t.Language, Fields: t.Fields, NoticeVersion: t.NoticeVersion, Tags: t.Tags,
		Customer:  ticket.Customer{Name: t.Customer.Name, Email: strings.ToLower(t.Customer.Email), Language: t.Customer.Language},
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(), FirstResponseDue: t.FirstResponseDue.UTC(),
		SLA: t.SLA,
	}
	if tk.Fields == nil {
		tk.Fields = map[string]string{}
	}
	if tk.Customer.Language != "en" {
		tk.Customer.Language = "de"
	}
	if t.FirstResponseAt != nil {
		tk.FirstResponseAt = t.FirstResponseAt.UTC()
	}
	if t.ClosedAt != nil {
		tk.ClosedAt = t.ClosedAt.UTC()
	}
	var err error
	if tk.AssigneeID, err = ti.agent(tx, t.Assignee, added); err != nil {
		return nil, err
	}
	if tk.SLA != nil && tk.SLA.Clocks == nil {
		tk.SLA.Clocks = []sla.Clock{}
	}
	// The deletion dates follow from the policy, as for any ticket; the
	// dataset carries none.
	recompute(ti.p, tk, time.Now())
	it := &store.ImportedTicket{Ticket: tk, StatusHash: auth.HashSecret(auth.NewSecret(""))}
	for _, m := range t.Messages {
		agentID, err := ti.agent(tx, m.Agent, added)
		if err != nil {
			return nil, err
		}
		it.Messages = append(it.Messages, ticket.Message{Visibility: m.Visibility, Author: m.Author, AgentID: agentID, Body: m.Body, CreatedAt: m.CreatedAt.UTC()})
	}
	for _, ch := range t.History {
		c := store.ImportedChange{Change: ticket.Change{Field: ch.Field, From: ch.From, To: ch.To, Reason: ch.Reason, CreatedAt: ch.CreatedAt.UTC()}, ActorKind: ch.ActorKind}
		if ch.ActorKind == audit.ActorAgent {
			if c.ActorID, err = ti.agent(tx, ch.Actor, added); err != nil {
				return nil, err
			}
		}
		if ch.Field == "assignee" {
			if c.From, err = ti.agentByCode(tx, ch.From, added); err != nil {
				return nil, err
			}
			if c.To, err = ti.agentByCode(tx, ch.To, added); err != nil {
				return nil, err
			}
		}
		it.Changes = append(it.Changes, c)
	}
	for _, c := range t.Consents {
		cr := store.ConsentRecord{Consent: privacy.Consent{NoticeVersion: c.NoticeVersion, NoticeHash: c.NoticeHash, Language: c.Language,
			Accepted: c.Accepted, At: c.At.UTC()}, LegalBasis: privacy.LegalBasis(c.LegalBasis)}
		for k, v := range c.Purposes {
			cr.Purposes = append(cr.Purposes, privacy.PurposeConsent{Purpose: k, Granted: v})
		}
		it.Consents = append(it.Consents, cr)
	}
	for _, e := range t.SLAEvents {
		it.SLAEvents = append(it.SLAEvents, store.SLAEvent{Department: e.Department, Policy: e.Policy, Target: sla.Target(e.Target),
			Kind: e.Kind, Action: e.Action, Due: e.Due.UTC(), CreatedAt: e.At.UTC()})
	}
	return it, nil
}

// WriteTrainingFile makes a training installation as a new SQLite
// database file at path: fill writes the dataset to the sink it is given
// (ExportTraining or ReadTrainingJSON). The file is built beside path
// under another name and renamed when complete, so that path never holds
// half an installation; on failure nothing is left behind. A path that
// exists is refused with fault.Conflict.
func WriteTrainingFile(ctx context.Context, path string, progress func(done int), fill func(TrainingSink) error) error {
	if _, err := os.Lstat(path); err == nil {
		return fault.Errorf(fault.Conflict, "The file exists already; choose a new one.")
	}
	tmp := path + ".partial"
	remove := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}
	remove() // a leftover of an interrupted run
	db, err := store.Open(ctx, tmp, clock.Real{})
	if err != nil {
		return err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		remove()
		return err
	}
	err = fill(NewTrainingInstallation(ctx, db, progress))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Closing the last connection copies the write-ahead log into the
		// database file and removes it; the file must stand alone.
		if _, serr := os.Stat(tmp + "-wal"); serr == nil {
			err = fmt.Errorf("training database: the write-ahead log was not checkpointed")
		}
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		remove()
	}
	return err
}
