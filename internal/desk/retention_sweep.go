package desk

import (
	"context"
	"fmt"
	"runtime/trace"
	"sort"
	"strconv"
	"time"

	"frist/internal/audit"
	"frist/internal/fault"
	"frist/internal/lowprio"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// step is one thing retention does to one ticket at a moment.
type step struct {
	ticket      *ticket.Ticket
	action      privacy.RetentionAction
	rule        string
	ruleVersion string
	class       string
	due         time.Time
	fields      []string // for ActionExpireFields
}

// decide returns what retention does to a ticket at the moment at, under
// the rules in force then, and the ticket's schedule afterwards. Held and
// anonymised tickets are left alone. A ticket due for deletion is deleted
// (or anonymised) in one step; otherwise its expired attribute values go
// (one step per rule) and it is restricted when its purpose has ended.
func decide(p *policy.Policy, t *ticket.Ticket, at time.Time) ([]step, privacy.Schedule) {
	if t.Held || !t.AnonymisedAt.IsZero() {
		return nil, t.Retention
	}
	r := &p.Retention
	s := r.Schedule(retentionFacts(t, t.UpdatedAt), at)
	if s.IsZero() {
		return nil, s
	}
	if s.Due != nil && !s.Due.After(at) {
		return []step{{ticket: t, action: s.Action, rule: s.Rule, ruleVersion: s.RuleVersion, class: s.Class, due: *s.Due}}, s
	}
	var steps []step
	byRule := map[string]int{}
	var keep []privacy.FieldExpiry
	for _, f := range s.Fields {
		if f.Due.After(at) {
			keep = append(keep, f)
			continue
		}
		if _, ok := t.Fields[f.Field]; !ok {
			continue // already gone
		}
		key := f.Rule + "\x00" + f.RuleVersion
		i, ok := byRule[key]
		if !ok {
			i = len(steps)
			byRule[key] = i
			steps = append(steps, step{ticket: t, action: privacy.ActionExpireFields, rule: f.Rule, ruleVersion: f.RuleVersion, class: f.Class, due: f.Due})
		}
		steps[i].fields = append(steps[i].fields, f.Field)
		if f.Due.After(steps[i].due) {
			steps[i].due = f.Due
		}
	}
	s.Fields = keep
	if s.RestrictAt != nil && !s.RestrictAt.After(at) && !t.Restricted {
		rule, version, class := s.RestrictRule, "", ""
		if ru, ok := r.Rule(rule, at); ok {
			version, class = ru.Version(), ru.Class
		}
		steps = append(steps, step{ticket: t, action: privacy.ActionRestrict, rule: rule, ruleVersion: version, class: class, due: *s.RestrictAt})
	}
	return steps, s
}

// RetentionRun is the outcome of one run of the retention sweeper.
type RetentionRun struct {
	Started, Finished time.Time
	Deleted           int // tickets deleted
	Anonymised        int
	Restricted        int
	FieldsExpired     int // attribute values deleted
	Rescheduled       int // looked at, nothing due under the rules in force
	Files             int // attachment files removed from disk
	Removed           store.Removed
	Recomputation     *store.Recomputation // when the rules in force changed
	CheckpointBusy    bool                 // SQLite: readers kept the WAL from being truncated
	Compacted         bool                 // the search index was rewritten without the deleted entries
}

// Settings that track the search index's compaction.
const (
	searchDirtyKey     = "search_index_dirty"     // "1" while deleted entries may linger
	searchDeletedKey   = "search_index_deleted"   // entries deleted since the last compaction
	searchCompactedKey = "search_index_compacted" // when it was last compacted
)

// settingInt reads a numeric setting; a missing one is 0.
func settingInt(tx *store.Tx, key string) (int, error) {
	v, err := tx.Setting(key)
	if fault.Code(err) == fault.NotFound || v == "" {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// compactEvery is how often the routine sweep rewrites the search index
// after deletions. Secure-delete removes almost every entry at once; the
// compaction removes the rest within this time.
const compactEvery = 15 * time.Minute

// compactIfDue compacts the search index when deletions left it dirty and
// the last compaction is older than compactEvery (or force).
func (d *Desk) compactIfDue(ctx context.Context, force bool) (bool, error) {
	var dirty, last string
	var deleted, live int
	if err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if dirty, err = tx.Setting(searchDirtyKey); err != nil && fault.Code(err) != fault.NotFound {
			return err
		}
		if last, err = tx.Setting(searchCompactedKey); err != nil && fault.Code(err) != fault.NotFound {
			return err
		}
		if deleted, err = settingInt(tx, searchDeletedKey); err != nil {
			return err
		}
		live, err = tx.CountMessages()
		return err
	}); err != nil {
		return false, err
	}
	if dirty != "1" {
		return false, nil
	}
	now := d.clock.Now()
	if t, err := time.Parse(time.RFC3339, last); !force && err == nil && now.Sub(t) < compactEvery && !t.After(now) {
		return false, nil
	}
	// When most entries are deleted ones, building the index anew from
	// the messages left reads far less than merging would.
	compact := d.db.CompactSearchIndex
	if deleted >= live {
		compact = d.db.RebuildSearchIndex
	}
	if err := compact(ctx, nil); err != nil {
		return false, err
	}
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(searchDirtyKey, "0"); err != nil {
			return err
		}
		if err := tx.SetSetting(searchDeletedKey, "0"); err != nil {
			return err
		}
		return tx.SetSetting(searchCompactedKey, now.UTC().Format(time.RFC3339))
	})
	return err == nil, err
}

// retentionBatch is how many tickets the sweeper handles in one go;
// batches follow each other in one transaction for batchTarget, or until
// a foreground transaction waits for the writer. Intake that arrives
// during a batch waits for the rest of it and the sweeper's commit, so
// batches are small: with 3 tickets intake's p99 during a sweep stayed
// within 2× of its p99 without one, with 20 it rose 4–6× (decision 0020).
const retentionBatch = 3

// batchTarget is how long one sweeper transaction should hold the writer
// while no one waits for it: longer transactions amortise their commit.
var batchTarget = 10 * time.Millisecond

// SweepRetention deletes, anonymises, restricts and expires what is due
// now, in batches, until nothing is due: there is no cap per run. When
// the rules in force changed (a new policy or a rule version's effective
// date), every ticket's dates are recomputed first. progress, if not nil,
// is told the number of tickets handled so far.
func (d *Desk) SweepRetention(ctx context.Context, progress func(done int)) (RetentionRun, error) {
	return d.sweepRetention(ctx, progress, false)
}

// sweepRetention runs the sweep on a background thread of lower priority
// (package lowprio), so that on a busy machine the kernel runs requests'
// threads first.
func (d *Desk) sweepRetention(ctx context.Context, progress func(done int), force bool) (run RetentionRun, err error) {
	lowprio.Run(func() { run, err = d.sweep(ctx, progress, force) })
	return run, err
}

func (d *Desk) sweep(ctx context.Context, progress func(done int), force bool) (RetentionRun, error) {
	run := RetentionRun{Started: d.clock.Now()}
	if d.Training() {
		// Training data is pseudonymised and dated into the past: deleting
		// it by the source's deadlines would empty the course. The
		// installation is discarded as a whole instead.
		run.Finished = run.Started
		return run, nil
	}
	p := d.Policy()
	rec, err := d.recomputeIfChanged(ctx, p)
	if err != nil {
		return run, err
	}
	run.Recomputation = rec
	if !p.Retention.Enabled() {
		run.Finished = d.clock.Now()
		return run, nil
	}
	// Each transaction handles batches of retentionBatch tickets until it
	// has held the writer for batchTarget (SQLite has a single writer that
	// intake waits for); files of a transaction are deleted beside the
	// sweep after its commit and leave the queue in a later one.
	files := startFileDeleter(d.files, d.log)
	defer files.finish()
	// The pause after each transaction leaves intake half of the writer.
	var pace store.Pacer
	for {
		var n int
		var keys []string
		done := files.take()
		err := d.db.WritePaced(ctx, &pace, func(tx *store.Tx) error {
			start := time.Now() // the writer is ours
			rdf := trace.StartRegion(ctx, "done-files")
			err := tx.DoneFileDeletions(done)
			rdf.End()
			if err != nil {
				return err
			}
			// At least one batch: a transaction that starts late (a busy
			// machine) must not look like an empty queue.
			for first := true; first || time.Since(start) < batchTarget; first = false {
				rd := trace.StartRegion(ctx, "due")
				ids, err := tx.DueRetention(tx.Now(), retentionBatch)
				rd.End()
				if err != nil {
					return err
				}
				n += len(ids)
				if len(ids) > 0 {
					rb := trace.StartRegion(ctx, "batch")
					k, err := d.sweepRetentionBatch(tx, p, ids, &run)
					rb.End()
					if err != nil {
						return err
					}
					keys = append(keys, k...)
				}
				if len(ids) < retentionBatch || tx.OthersWaiting() {
					break
				}
			}
			return nil
		})
		if err != nil {
			return run, fmt.Errorf("retention sweep: %w", err)
		}
		files.add(keys)
		if n == 0 {
			break
		}
		if progress != nil {
			progress(run.Deleted + run.Anonymised + run.Restricted + run.Rescheduled)
		}
	}
	done, removed := files.finish()
	run.Files = removed
	if run.Removed.SearchIndex > 0 || len(done) > 0 {
		if err := d.db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.DoneFileDeletions(done); err != nil {
				return err
			}
			if run.Removed.SearchIndex == 0 {
				return nil
			}
			deleted, err := settingInt(tx, searchDeletedKey)
			if err != nil {
				return err
			}
			if err := tx.SetSetting(searchDeletedKey, strconv.Itoa(deleted+run.Removed.SearchIndex)); err != nil {
				return err
			}
			return tx.SetSetting(searchDirtyKey, "1")
		}); err != nil {
			return run, err
		}
	}
	compacted, err := d.compactIfDue(ctx, force)
	if err != nil {
		return run, err
	}
	run.Compacted = compacted
	if run.Deleted+run.Anonymised+run.FieldsExpired > 0 || compacted {
		// Deleted content must not linger in old WAL frames.
		attempts := 1
		if force {
			attempts = 100 // up to about 2 s while readers come and go
		}
		busy, err := d.db.Checkpoint(ctx, attempts)
		if err != nil {
			return run, fmt.Errorf("retention sweep: checkpoint: %w", err)
		}
		run.CheckpointBusy = busy
	}
	run.Finished = d.clock.Now()
	if run.Deleted+run.Anonymised+run.Restricted+run.FieldsExpired > 0 {
		if err := d.db.Write(ctx, func(tx *store.Tx) error {
			return d.auditTx(tx, nil, "retention.run", "retention:sweeper", fmt.Sprintf("deleted=%d anonymised=%d restricted=%d fields=%d",
				run.Deleted, run.Anonymised, run.Restricted, run.FieldsExpired))
		}); err != nil {
			return run, err
		}
		d.log.Info("retention sweep", "deleted", run.Deleted, "anonymised", run.Anonymised, "restricted", run.Restricted,
			"fields_expired", run.FieldsExpired, "files", run.Files, "took", run.Finished.Sub(run.Started).String())
	}
	return run, nil
}

// sweepRetentionBatch handles the due tickets with the ids in one
// transaction.
func (d *Desk) sweepRetentionBatch(tx *store.Tx, p *policy.Policy, ids []int64, run *RetentionRun) ([]string, error) {
	now := tx.Now()
	ts, err := tx.FindTicketsByID(ids)
	if err != nil {
		return nil, err
	}
	var deletes, anonymises []int64
	var log []store.DeletionEntry
	pending := map[int64]step{}
	for _, t := range ts {
		steps, s := decide(p, t, now)
		if len(steps) == 1 && (steps[0].action == privacy.ActionDelete || steps[0].action == privacy.ActionAnonymise) {
			st := steps[0]
			pending[t.ID] = st
			if st.action == privacy.ActionDelete {
				deletes = append(deletes, t.ID)
			} else {
				anonymises = append(anonymises, t.ID)
			}
			continue
		}
		if len(steps) == 0 {
			run.Rescheduled++
		}
		for _, st := range steps {
			e := store.DeletionEntry{Pseudonym: t.Number(), Action: st.action, Rule: st.rule, RuleVersion: st.ruleVersion, Class: st.class, Due: st.due}
			switch st.action {
			case privacy.ActionExpireFields:
				n, err := tx.DeleteFields(t.ID, st.fields)
				if err != nil {
					return nil, err
				}
				for _, f := range st.fields {
					delete(t.Fields, f)
				}
				e.Removed.Fields = n
				run.FieldsExpired += n
				run.Removed.Fields += n
			case privacy.ActionRestrict:
				t.Restricted = true
				run.Restricted++
			}
			log = append(log, e)
		}
		t.Retention = s
		if err := tx.SaveRetention(t); err != nil {
			return nil, err
		}
	}
	removed, keys, err := tx.DeleteTickets(deletes)
	if err != nil {
		return nil, err
	}
	anon, moreKeys, err := tx.AnonymiseTickets(anonymises)
	if err != nil {
		return nil, err
	}
	keys = append(keys, moreKeys...)
	for id, r := range anon {
		removed[id] = r
	}
	for _, id := range append(deletes, anonymises...) {
		st := pending[id]
		r := removed[id]
		log = append(log, store.DeletionEntry{Pseudonym: st.ticket.Number(), Action: st.action, Rule: st.rule, RuleVersion: st.ruleVersion,
			Class: st.class, Due: st.due, Removed: r})
		addRemoved(&run.Removed, r)
	}
	run.Deleted += len(deletes)
	run.Anonymised += len(anonymises)
	if err := tx.AddDeletions(log); err != nil {
		return nil, err
	}
	// The audit trail's hash chain also covers each deletion, so that the
	// deletion log cannot be edited unnoticed.
	entries := make([]*audit.Entry, len(log))
	for i, e := range log {
		entries[i] = auditEntry(nil, "retention."+string(e.Action), "ticket:"+e.Pseudonym, "rule="+e.Rule+" version="+e.RuleVersion)
	}
	return keys, tx.AppendAudits(entries)
}

func addRemoved(dst *store.Removed, r store.Removed) {
	dst.Tickets += r.Tickets
	dst.Messages += r.Messages
	dst.Attachments += r.Attachments
	dst.Fields += r.Fields
	dst.Consents += r.Consents
	dst.History += r.History
	dst.SLAEvents += r.SLAEvents
	dst.SearchIndex += r.SearchIndex
	dst.Customers += r.Customers
	dst.StatusLinks += r.StatusLinks
	dst.LegalHolds += r.LegalHolds
}

// retentionRulesKey is the setting holding the fingerprint of the rules
// the stored schedules were computed with, and the policy id.
const retentionRulesKey = "retention_rules"

// recomputeIfChanged recomputes every ticket's schedule when the rules in
// force differ from those the stored schedules were computed with, and
// logs the recomputation with its progress.
func (d *Desk) recomputeIfChanged(ctx context.Context, p *policy.Policy) (*store.Recomputation, error) {
	now := d.clock.Now()
	policyID := d.policy.Load().id
	want := p.Retention.Fingerprint(now) + "|" + strconv.FormatInt(policyID, 10)
	var have string
	if err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		have, err = tx.Setting(retentionRulesKey)
		if err != nil && fault.Code(err) != fault.NotFound {
			return err
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if have == want {
		return nil, nil
	}
	cause := "policy"
	if len(have) > 0 && have[len(have)-len(strconv.FormatInt(policyID, 10))-1:] == "|"+strconv.FormatInt(policyID, 10) {
		cause = "effective_date"
	}
	rec := &store.Recomputation{Cause: cause, Rules: p.Retention.Fingerprint(now)}
	if err := d.db.Write(ctx, func(tx *store.Tx) error { return tx.StartRecomputation(rec) }); err != nil {
		return nil, err
	}
	var after int64
	for {
		var ids []int64
		err := d.db.Write(ctx, func(tx *store.Tx) error {
			var err error
			if ids, err = tx.RetentionIDs(after, 500); err != nil || len(ids) == 0 {
				return err
			}
			ts, err := tx.FindTicketsByID(ids)
			if err != nil {
				return err
			}
			for _, t := range ts {
				before := t.Retention
				recompute(p, t, tx.Now())
				rec.Examined++
				if sameSchedule(before, t.Retention) {
					continue
				}
				rec.Changed++
				if err := tx.SaveRetention(t); err != nil {
					return err
				}
			}
			after = ids[len(ids)-1]
			return tx.UpdateRecomputation(rec, false)
		})
		if err != nil {
			return nil, fmt.Errorf("recompute retention: %w", err)
		}
		if len(ids) == 0 {
			break
		}
	}
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateRecomputation(rec, true); err != nil {
			return err
		}
		if err := tx.SetSetting(retentionRulesKey, want); err != nil {
			return err
		}
		return d.auditTx(tx, nil, "retention.recompute", "retention:rules", fmt.Sprintf("cause=%s examined=%d changed=%d", cause, rec.Examined, rec.Changed))
	})
	if err != nil {
		return nil, err
	}
	d.log.Info("retention dates recomputed", "cause", cause, "examined", rec.Examined, "changed", rec.Changed)
	return rec, nil
}

func sameSchedule(a, b privacy.Schedule) bool {
	ta, tb := timeOrZero(a.Due), timeOrZero(b.Due)
	ra, rb := timeOrZero(a.RestrictAt), timeOrZero(b.RestrictAt)
	if a.Rule != b.Rule || a.RuleVersion != b.RuleVersion || !ta.Equal(tb) || !ra.Equal(rb) || len(a.Fields) != len(b.Fields) || len(a.Outlasted) != len(b.Outlasted) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i].Field != b.Fields[i].Field || !a.Fields[i].Due.Equal(b.Fields[i].Due) {
			return false
		}
	}
	return true
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// PlanGroup is what retention will do under one rule with one action.
type PlanGroup struct {
	Action      privacy.RetentionAction
	Rule        string
	RuleVersion string
	Class       string
	First, Last time.Time // earliest and latest due date in the group
	Tickets     int
	Messages    int
	Attachments int
	Fields      int
}

// RetentionPlan is what the sweeper will delete, anonymise, restrict and
// expire when it runs at AsOf, assuming nothing else changes before.
type RetentionPlan struct {
	AsOf    time.Time
	Groups  []PlanGroup
	Held    int // tickets due but held
	Tickets int // tickets affected in all
}

// RetentionPlan computes what a sweeper run at asOf (zero: now) would do,
// grouped by rule and action, with counts per kind of data. It changes
// nothing. Privacy officers and admins only.
func (d *Desk) RetentionPlan(ctx context.Context, a *Agent, asOf time.Time) (*RetentionPlan, error) {
	if a != nil && !mayManageRetention(a) {
		return nil, errRetentionForbidden
	}
	p := d.Policy()
	now := d.clock.Now()
	if asOf.IsZero() {
		asOf = now
	}
	if asOf.Before(now) {
		asOf = now
	}
	plan := &RetentionPlan{AsOf: asOf}
	if !p.Retention.Enabled() {
		return plan, nil
	}
	// When other rule versions are in force at asOf than those the stored
	// dates were computed with, every ticket is a candidate.
	all := false
	if err := d.db.Read(ctx, func(tx *store.Tx) error {
		have, err := tx.Setting(retentionRulesKey)
		if err != nil && fault.Code(err) != fault.NotFound {
			return err
		}
		all = have != p.Retention.Fingerprint(asOf)+"|"+strconv.FormatInt(d.policy.Load().id, 10)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		plan.Held, err = tx.CountHeldDue(asOf)
		return err
	}); err != nil {
		return nil, err
	}
	groups := map[string]*PlanGroup{}
	var after int64
	for {
		var ids []int64
		err := d.db.Read(ctx, func(tx *store.Tx) error {
			var err error
			if all {
				ids, err = tx.RetentionIDs(after, 500)
			} else {
				ids, err = tx.DueRetentionPage(asOf, after, 500)
			}
			if err != nil || len(ids) == 0 {
				return err
			}
			after = ids[len(ids)-1]
			ts, err := tx.FindTicketsByID(ids)
			if err != nil {
				return err
			}
			var affected []int64
			stepsOf := map[int64][]step{}
			for _, t := range ts {
				if t.Held {
					continue
				}
				steps, _ := decide(p, t, asOf)
				if len(steps) > 0 {
					affected = append(affected, t.ID)
					stepsOf[t.ID] = steps
				}
			}
			counts, err := tx.CountData(affected)
			if err != nil {
				return err
			}
			for _, id := range affected {
				plan.Tickets++
				for _, st := range stepsOf[id] {
					key := string(st.action) + "\x00" + st.rule + "\x00" + st.ruleVersion
					g := groups[key]
					if g == nil {
						g = &PlanGroup{Action: st.action, Rule: st.rule, RuleVersion: st.ruleVersion, Class: st.class, First: st.due, Last: st.due}
						groups[key] = g
					}
					g.Tickets++
					if st.due.Before(g.First) {
						g.First = st.due
					}
					if st.due.After(g.Last) {
						g.Last = st.due
					}
					switch st.action {
					case privacy.ActionExpireFields:
						g.Fields += len(st.fields)
					case privacy.ActionDelete, privacy.ActionAnonymise:
						c := counts[id]
						g.Messages += c.Messages
						g.Attachments += c.Attachments
						g.Fields += c.Fields
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("retention plan: %w", err)
		}
		if len(ids) == 0 {
			break
		}
	}
	for _, g := range groups {
		plan.Groups = append(plan.Groups, *g)
	}
	sort.Slice(plan.Groups, func(i, j int) bool {
		a, b := plan.Groups[i], plan.Groups[j]
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Action != b.Action {
			return a.Action < b.Action
		}
		return a.RuleVersion < b.RuleVersion
	})
	return plan, nil
}

// RunRetention runs the sweeper once on behalf of an agent (privacy
// officers and admins; nil for the command line) and compacts the search
// index right away when anything was deleted.
func (d *Desk) RunRetention(ctx context.Context, a *Agent, progress func(done int)) (RetentionRun, error) {
	if a != nil && !mayManageRetention(a) {
		return RetentionRun{}, errRetentionForbidden
	}
	return d.sweepRetention(ctx, progress, true)
}
