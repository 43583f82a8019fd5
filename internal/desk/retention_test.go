package desk_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

func closeTicket(t *testing.T, e *desktest.Env, a *desk.Agent, id int64) {
	t.Helper()
	closed := ticket.Closed
	if _, err := e.Desk.UpdateTicket(context.Background(), a, id, desk.TicketUpdate{Status: &closed}); err != nil {
		t.Fatal(err)
	}
}

func mustTicket(t *testing.T, e *desktest.Env, a *desk.Agent, id int64) *ticket.Ticket {
	t.Helper()
	v, err := e.Desk.Ticket(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Ticket
}

func sweepRetention(t *testing.T, e *desktest.Env) desk.RetentionRun {
	t.Helper()
	run, err := e.Desk.SweepRetention(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func deletionLog(t *testing.T, e *desktest.Env, a *desk.Agent) []store.DeletionEntry {
	t.Helper()
	var out []store.DeletionEntry
	cursor := ""
	for {
		page, next, err := e.Desk.DeletionLog(context.Background(), a, store.DeletionFilter{Cursor: cursor, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if next == "" {
			return out
		}
		cursor = next
	}
}

// TestRetentionLifecycle follows an invoice question of the default
// policy: a commercial letter whose payment method expires 30 days after
// closure, which is restricted when its support purpose ends after 90
// days, survives the legal period under a legal hold and is deleted with
// everything about it once the hold is lifted.
func TestRetentionLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	dpo := e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)

	e.Clock.Set(berlin(t, "2026-03-14 10:00"))
	r := e.Request("invoice_question")
	r.Fields["payment_method"] = "card"
	r.Subject = "Rechnung R-2026-0042 doppelt abgebucht"
	rc := e.MustSubmit(t, r)
	id := rc.Ticket.ID
	if s := rc.Ticket.Retention; s.Rule != "invoice_questions" || s.Due != nil {
		t.Fatalf("open invoice question: rule %q due %v, want invoice_questions pending", s.Rule, s.Due)
	}
	if got := e.Desk.Deletion(rc.Ticket, "en").Explanation; !strings.Contains(got, "Invoice questions are commercial letters") {
		t.Errorf("explanation %q does not name the rule", got)
	}

	e.Clock.Set(berlin(t, "2026-03-20 16:00"))
	closeTicket(t, e, agent, id)
	tk := mustTicket(t, e, agent, id)
	s := tk.Retention
	if want := berlin(t, "2033-01-01 00:00"); s.Due == nil || !s.Due.Equal(want) {
		t.Fatalf("due %v, want %v (end of 2026 + 6 years)", s.Due, want)
	}
	if want := berlin(t, "2026-06-18 16:00"); s.RestrictAt == nil || !near(*s.RestrictAt, want) || s.RestrictRule != "support_standard" {
		t.Errorf("restrict at %v by %q, want %v by support_standard", s.RestrictAt, s.RestrictRule, want)
	}
	if len(s.Fields) != 1 || s.Fields[0].Field != "payment_method" || !near(s.Fields[0].Due, berlin(t, "2026-04-19 16:00")) {
		t.Errorf("field expiries %+v, want payment_method on 2026-04-19", s.Fields)
	}
	for _, lang := range []string{"de", "en"} {
		text := e.Desk.Deletion(tk, lang).Explanation
		if !strings.Contains(text, "2033-01-01") || !strings.Contains(text, "2026-06-18") {
			t.Errorf("%s explanation %q lacks the dates", lang, text)
		}
	}

	// Nothing due the day before the field expires.
	e.Clock.Set(berlin(t, "2026-04-19 15:59"))
	if run := sweepRetention(t, e); run.FieldsExpired+run.Deleted+run.Restricted != 0 {
		t.Fatalf("early run did something: %+v", run)
	}
	// The plan for the expiry moment says exactly what the run does.
	at := berlin(t, "2026-04-19 16:01")
	plan, err := e.Desk.RetentionPlan(ctx, dpo, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Groups) != 1 || plan.Groups[0].Action != privacy.ActionExpireFields || plan.Groups[0].Fields != 1 {
		t.Fatalf("plan %+v, want one expiry of one field", plan)
	}
	e.Clock.Set(at)
	if run := sweepRetention(t, e); run.FieldsExpired != 1 {
		t.Fatalf("run %+v, want one field expired", run)
	}
	tk = mustTicket(t, e, agent, id)
	if _, ok := tk.Fields["payment_method"]; ok {
		t.Error("payment method still stored after its expiry")
	}
	if tk.Fields["customer_number"] != "K-1042" {
		t.Error("customer number went with the payment method")
	}

	// The support purpose ends after 90 days: restricted. Agents no
	// longer see or find it; the privacy officer does, audited.
	e.Clock.Set(berlin(t, "2026-06-18 16:01"))
	if run := sweepRetention(t, e); run.Restricted != 1 {
		t.Fatalf("run %+v, want one restriction", run)
	}
	if _, err := e.Desk.Ticket(ctx, agent, id); fault.Code(err) != fault.NotFound {
		t.Errorf("agent opened a restricted ticket: %v", err)
	}
	list, _, err := e.Desk.Tickets(ctx, agent, store.TicketFilter{Statuses: []ticket.Status{ticket.Closed}})
	if err != nil || len(list) != 0 {
		t.Errorf("agent's closed queue lists %d tickets (%v), want none", len(list), err)
	}
	hits, _, err := e.Desk.Search(ctx, agent, "doppelt", "", 20)
	if err != nil || len(hits) != 0 {
		t.Errorf("agent's search finds %d restricted tickets (%v)", len(hits), err)
	}
	if hits, _, err := e.Desk.Search(ctx, dpo, "doppelt", "", 20); err != nil || len(hits) != 1 {
		t.Errorf("privacy officer's search finds %d (%v), want 1", len(hits), err)
	}
	if !mustTicket(t, e, dpo, id).Restricted {
		t.Error("ticket not marked restricted")
	}
	entries, _, err := e.Desk.AuditLog(ctx, dpo, store.AuditFilter{Object: "ticket:" + ticket.FormatNumber(id)}, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAction(entries, "ticket.view_restricted") {
		t.Errorf("privacy officer's view of the restricted ticket is not audited: %+v", entries)
	}

	// A legal hold keeps it past its deletion date.
	if _, err := e.Desk.PlaceHold(ctx, agent, desk.HoldTarget{TicketID: id}, "Rechtsstreit"); fault.Code(err) != fault.Forbidden {
		t.Errorf("agent placed a hold: %v", err)
	}
	if _, err := e.Desk.PlaceHold(ctx, dpo, desk.HoldTarget{TicketID: id}, " "); fault.Code(err) != fault.Invalid {
		t.Errorf("hold without reason: %v", err)
	}
	hold, err := e.Desk.PlaceHold(ctx, dpo, desk.HoldTarget{TicketID: id}, "Rechtsstreit Az. 1 O 23/26")
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(berlin(t, "2033-01-03 12:00"))
	plan, err = e.Desk.RetentionPlan(ctx, dpo, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Held != 1 || len(plan.Groups) != 0 {
		t.Errorf("plan under hold: %+v, want one held and nothing to do", plan)
	}
	if run := sweepRetention(t, e); run.Deleted != 0 {
		t.Fatalf("held ticket deleted: %+v", run)
	}
	if _, err := e.Desk.LiftHold(ctx, dpo, hold.ID, "Verfahren abgeschlossen"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.LiftHold(ctx, dpo, hold.ID, "again"); fault.Code(err) != fault.Conflict {
		t.Errorf("lifting twice: %v", err)
	}
	run := sweepRetention(t, e)
	if run.Deleted != 1 || run.Removed.Messages != 1 || run.Removed.Customers != 1 || run.Removed.Fields != 1 || run.Removed.LegalHolds != 1 {
		t.Fatalf("run %+v, want the ticket with its message, fields and customer deleted", run)
	}
	if _, err := e.Desk.Ticket(ctx, dpo, id); fault.Code(err) != fault.NotFound {
		t.Errorf("deleted ticket still found: %v", err)
	}
	log := deletionLog(t, e, dpo)
	var actions []string
	for _, x := range log {
		if x.Pseudonym != ticket.FormatNumber(id) {
			t.Errorf("deletion log entry for %s", x.Pseudonym)
		}
		actions = append(actions, string(x.Action)+":"+x.Rule)
	}
	sort.Strings(actions)
	want := "delete:invoice_questions expire_fields:sensitive_fields restrict:support_standard"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("deletion log %q, want %q", got, want)
	}
	if _, _, err := e.Desk.DeletionLog(ctx, agent, store.DeletionFilter{}); fault.Code(err) != fault.Forbidden {
		t.Errorf("agent read the deletion log: %v", err)
	}
}

func hasGroup(p *desk.RetentionPlan, action privacy.RetentionAction, rule, version string) bool {
	for _, g := range p.Groups {
		if g.Action == action && g.Rule == rule && g.RuleVersion == version {
			return true
		}
	}
	return false
}

func hasAction(es []audit.Entry, action string) bool {
	for _, e := range es {
		if e.Action == action {
			return true
		}
	}
	return false
}

// A reopened ticket's closure no longer counts: its dates are pending
// again, and a restriction ends because the purpose runs again.
func TestRetentionReopenResets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	e.Clock.Set(berlin(t, "2026-05-04 09:00"))
	rc := e.MustSubmit(t, e.Request("general_question"))
	closeTicket(t, e, agent, rc.Ticket.ID)
	if s := mustTicket(t, e, agent, rc.Ticket.ID).Retention; s.Due == nil || !near(*s.Due, berlin(t, "2026-08-02 09:00")) {
		t.Fatalf("closed: due %v, want 2026-08-02 09:00", s.Due)
	}
	e.Clock.Set(berlin(t, "2026-06-01 09:00"))
	if _, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Eine Nachfrage noch."); err != nil {
		t.Fatal(err)
	}
	tk := mustTicket(t, e, agent, rc.Ticket.ID)
	if tk.Status != ticket.Open || tk.Retention.Due != nil {
		t.Fatalf("reopened: status %s due %v, want open and pending", tk.Status, tk.Retention.Due)
	}
	e.Clock.Set(berlin(t, "2026-06-02 09:00"))
	closeTicket(t, e, agent, rc.Ticket.ID)
	if s := mustTicket(t, e, agent, rc.Ticket.ID).Retention; s.Due == nil || !near(*s.Due, berlin(t, "2026-08-31 09:00")) {
		t.Fatalf("closed again: due %v, want 2026-08-31 09:00", s.Due)
	}
}

// Tags change the rule: marking a support ticket invoice-related makes it
// a commercial letter.
func TestRetentionTags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	e.Clock.Set(berlin(t, "2026-05-04 09:00"))
	rc := e.MustSubmit(t, e.Request("general_question"))
	closeTicket(t, e, agent, rc.Ticket.ID)
	if _, err := e.Desk.SetTags(ctx, agent, rc.Ticket.ID, []string{"Bad Tag!"}); fault.Code(err) != fault.Invalid {
		t.Errorf("bad tag: %v", err)
	}
	tk, err := e.Desk.SetTags(ctx, agent, rc.Ticket.ID, []string{" Invoice-Related ", "invoice-related"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tk.Tags, ",") != "invoice-related" || tk.Retention.Rule != "invoice_related" {
		t.Fatalf("tags %v rule %q, want invoice-related and invoice_related", tk.Tags, tk.Retention.Rule)
	}
	tk = mustTicket(t, e, agent, rc.Ticket.ID)
	if tk.Retention.Due == nil || !tk.Retention.Due.Equal(berlin(t, "2033-01-01 00:00")) {
		t.Errorf("due %v after tagging, want 2033-01-01", tk.Retention.Due)
	}
}

// Anonymisation keeps statistics and removes every personal datum.
func TestRetentionAnonymise(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	e.Clock.Set(berlin(t, "2026-01-10 09:00"))
	r := e.Request("technical_problem")
	r.Subject = "Drucker druckt nicht"
	rc := e.MustSubmit(t, r)
	id := rc.Ticket.ID
	if _, err := e.Desk.Reply(ctx, agent, id, desk.ReplyInput{Body: "Bitte starten Sie den Drucker neu."}); err != nil {
		t.Fatal(err)
	}
	closeTicket(t, e, agent, id)
	e.Clock.Set(berlin(t, "2027-01-10 09:01"))
	run := sweepRetention(t, e)
	if run.Anonymised != 1 || run.Deleted != 0 {
		t.Fatalf("run %+v, want one anonymised", run)
	}
	v, err := e.Desk.Ticket(ctx, agent, id)
	if err != nil {
		t.Fatal(err)
	}
	tk := v.Ticket
	if tk.Subject != "" || len(v.Messages) != 0 || len(tk.Fields) != 0 || tk.Customer.Email == r.Email || tk.Customer.Name != "" || len(v.Consents) != 0 {
		t.Errorf("anonymised ticket keeps personal data: %+v, %d messages, %d consents", tk, len(v.Messages), len(v.Consents))
	}
	if tk.RequestType != "technical_problem" || tk.Status != ticket.Closed || tk.AnonymisedAt.IsZero() {
		t.Errorf("anonymised ticket lost its statistics: %+v", tk)
	}
	if _, err := e.Desk.CustomerTicket(ctx, rc.StatusSecret); fault.Code(err) != fault.NotFound {
		t.Errorf("status link still works: %v", err)
	}
	if hits, _, _ := e.Desk.Search(ctx, agent, "Drucker", "", 20); len(hits) != 0 {
		t.Errorf("search finds the anonymised ticket")
	}
	if run := sweepRetention(t, e); run.Anonymised != 0 {
		t.Errorf("anonymised twice: %+v", run)
	}
}

// versionPolicy is the default policy with an accounting voucher rule
// whose 2025 version cuts 10 years to 8.
func TestRetentionRuleVersionRecomputes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	dpo := e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)
	e.Clock.Set(berlin(t, "2020-06-15 09:00"))
	rc := e.MustSubmit(t, e.Request("general_question"))
	if _, err := e.Desk.SetTags(ctx, agent, rc.Ticket.ID, []string{"accounting-voucher"}); err != nil {
		t.Fatal(err)
	}
	closeTicket(t, e, agent, rc.Ticket.ID)
	tk := mustTicket(t, e, agent, rc.Ticket.ID)
	if tk.Retention.Due == nil || !tk.Retention.Due.Equal(berlin(t, "2031-01-01 00:00")) {
		t.Fatalf("in 2020: due %v, want 2031-01-01", tk.Retention.Due)
	}
	sweepRetention(t, e) // records the rules in force
	// The plan for a date after the change already counts the new version.
	plan, err := e.Desk.RetentionPlan(ctx, dpo, berlin(t, "2029-01-01 00:01"))
	if err != nil || !hasGroup(plan, privacy.ActionDelete, "accounting_vouchers", "2025-01-01") {
		t.Fatalf("plan for 2029: %+v, %v; want the voucher deleted under the 8-year version", plan, err)
	}
	e.Clock.Set(berlin(t, "2025-01-01 00:01"))
	run := sweepRetention(t, e)
	if run.Recomputation == nil || run.Recomputation.Cause != "effective_date" || run.Recomputation.Changed != 1 {
		t.Fatalf("recomputation %+v, want one ticket changed by the effective date", run.Recomputation)
	}
	tk = mustTicket(t, e, dpo, rc.Ticket.ID) // restricted since its purpose ended in 2020
	if tk.Retention.RuleVersion != "2025-01-01" || !tk.Retention.Due.Equal(berlin(t, "2029-01-01 00:00")) {
		t.Errorf("after 2025: version %s due %v, want 2025-01-01 and 2029-01-01", tk.Retention.RuleVersion, tk.Retention.Due)
	}
	st, err := e.Desk.RetentionStatus(ctx, dpo)
	if err != nil || len(st.Recomputations) == 0 || st.Recomputations[0].Done.IsZero() {
		t.Errorf("status %+v, %v: want the finished recomputation listed", st, err)
	}
}

// TestRetentionPlanMatchesRun: the plan for a moment lists exactly what
// the run at that moment does, per rule and action, with the same counts.
func TestRetentionPlanMatchesRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	dpo := e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)
	types := []string{"general_question", "invoice_question", "technical_problem", "complaint"}
	start := berlin(t, "2026-01-05 09:00")
	for i := range 60 {
		e.Clock.Set(start.Add(time.Duration(i) * 37 * time.Hour))
		r := e.Request(types[i%len(types)])
		if r.RequestType == "invoice_question" && i%3 == 0 {
			r.Fields["payment_method"] = "invoice"
		}
		rc := e.MustSubmit(t, r)
		if i%5 != 4 { // some stay open
			if _, err := e.Desk.Reply(ctx, agent, rc.Ticket.ID, desk.ReplyInput{Body: "Antwort " + r.Subject}); err != nil {
				t.Fatal(err)
			}
			closeTicket(t, e, agent, rc.Ticket.ID)
		}
	}
	sweepRetention(t, e)
	for _, at := range []time.Time{berlin(t, "2026-05-01 00:00"), berlin(t, "2027-03-01 00:00"), berlin(t, "2030-01-02 00:00")} {
		plan, err := e.Desk.RetentionPlan(ctx, dpo, at)
		if err != nil {
			t.Fatal(err)
		}
		before := len(deletionLog(t, e, dpo))
		e.Clock.Set(at)
		sweepRetention(t, e)
		log := deletionLog(t, e, dpo)[:len(deletionLog(t, e, dpo))-before]
		got := map[string]*desk.PlanGroup{}
		for _, x := range log {
			key := string(x.Action) + " " + x.Rule + " " + x.RuleVersion
			g := got[key]
			if g == nil {
				g = &desk.PlanGroup{Action: x.Action, Rule: x.Rule, RuleVersion: x.RuleVersion, Class: x.Class, First: x.Due, Last: x.Due}
				got[key] = g
			}
			g.Tickets++
			g.Messages += x.Removed.Messages
			g.Attachments += x.Removed.Attachments
			g.Fields += x.Removed.Fields
			if x.Due.Before(g.First) {
				g.First = x.Due
			}
			if x.Due.After(g.Last) {
				g.Last = x.Due
			}
		}
		if len(got) != len(plan.Groups) {
			t.Errorf("at %s: plan has %d groups, the run did %d", at, len(plan.Groups), len(got))
		}
		for _, p := range plan.Groups {
			g := got[string(p.Action)+" "+p.Rule+" "+p.RuleVersion]
			if g == nil {
				t.Errorf("at %s: planned %+v not done", at, p)
				continue
			}
			if g.Tickets != p.Tickets || g.Messages != p.Messages || g.Attachments != p.Attachments || g.Fields != p.Fields ||
				!g.First.Equal(p.First) || !g.Last.Equal(p.Last) {
				t.Errorf("at %s: planned %+v, done %+v", at, p, *g)
			}
		}
		if len(plan.Groups) == 0 {
			t.Errorf("at %s: nothing planned; the test checks nothing", at)
		}
	}
}

func TestRetentionPolicyWithoutRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	y := string(policy.DefaultYAML())
	y = y[:strings.Index(y, "\nretention:")] + "\n"
	if _, err := e.Desk.ApplyPolicy(ctx, []byte(y)); err != nil {
		t.Fatal(err)
	}
	rc := e.MustSubmit(t, e.Request("general_question"))
	if !rc.Ticket.Retention.IsZero() {
		t.Errorf("schedule %+v without rules", rc.Ticket.Retention)
	}
	if run := sweepRetention(t, e); run.Deleted != 0 {
		t.Errorf("run without rules deleted: %+v", run)
	}
}
