package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/policy"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// slaPolicy is the default policy with a business-hours policy for the
// technical department in front of the default ones.
func slaPolicy(t testing.TB) []byte {
	t.Helper()
	y := string(policy.DefaultYAML())
	y = strings.Replace(y, "    name: {de: Technischer Support, en: Technical support}\n", "    name: {de: Technischer Support, en: Technical support}\n    lead: lea@example.org\n", 1)
	y = strings.Replace(y, "sla:\n  warn_at: 80\n  policies:\n", `sla:
  warn_at: 80
  policies:
    - id: tech
      name: Technik
      when: {departments: [technical], priorities: [high]}
      calendar: office
      first_response: PT4H
      next_response: PT2H
      resolution: PT16H
      escalate: {notify_lead: true, raise_priority: true, reassign: true}
`, 1)
	if _, err := policy.Parse([]byte(y)); err != nil {
		t.Fatal(err)
	}
	return []byte(y)
}

func berlin(t testing.TB, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Berlin")
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// near compares times to the second: the test clock runs on after Set.
func near(a, b time.Time) bool { return a.Sub(b).Abs() < time.Second }

func TestSLALifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	if _, err := e.Desk.ApplyPolicy(ctx, slaPolicy(t)); err != nil {
		t.Fatal(err)
	}
	lea := e.MustCreateAgent(t, "lea@example.org", "Lea Leitung", auth.Agent)
	max := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)

	// Friday 15:00 in Munich; the office closes at 16:00 on Fridays:
	// one hour on Friday, three on Monday.
	e.Clock.Set(berlin(t, "2026-12-04 15:00"))
	rc := e.MustSubmit(t, e.Request("technical_problem"))
	id := rc.Ticket.ID
	if want := berlin(t, "2026-12-07 11:00"); !near(rc.Ticket.FirstResponseDue, want) {
		t.Fatalf("promised first response %s, want %s", rc.Ticket.FirstResponseDue.In(want.Location()), want)
	}
	if _, err := e.Desk.UpdateTicket(ctx, lea, id, desk.TicketUpdate{AssigneeID: &max.ID}); err != nil {
		t.Fatal(err)
	}
	view := func() *desk.TicketView {
		t.Helper()
		v, err := e.Desk.Ticket(ctx, lea, id)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	kinds := func(v *desk.TicketView) string {
		var out []string
		for _, x := range v.SLA {
			out = append(out, x.Kind+":"+string(x.Target)+":"+x.Action)
		}
		return strings.Join(out, " ")
	}
	sweep := func(at string) desk.SweepStats {
		t.Helper()
		e.Clock.Set(berlin(t, at))
		st, err := e.Desk.SweepSLA(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	// Nothing during the weekend: the clock stands still.
	if st := sweep("2026-12-06 23:00"); st.Tickets != 0 {
		t.Errorf("weekend sweep looked at %d tickets", st.Tickets)
	}
	// 80 % of 4 h is 3 h 12 min: Monday 10:12.
	if st := sweep("2026-12-07 10:11"); st.Warnings != 0 {
		t.Errorf("warned early: %+v", st)
	}
	if st := sweep("2026-12-07 10:13"); st.Warnings != 1 || st.Breaches != 0 {
		t.Errorf("at 10:13: %+v", st)
	}
	if st := sweep("2026-12-07 10:14"); st.Tickets != 0 {
		t.Errorf("second sweep looked at %d tickets again", st.Tickets)
	}
	st := sweep("2026-12-07 11:01")
	// Raised to urgent, the ticket falls under the urgent policy, whose
	// resolution target (one day, around the clock) passed on Saturday.
	if st.Breaches != 2 || st.Escalations != 1 {
		t.Fatalf("at 11:01: %+v", st)
	}
	v := view()
	if got, want := kinds(v), "warning:first_response: breach:first_response: escalation:first_response:notify_lead escalation:first_response:raise_priority escalation:first_response:reassign breach:resolution:"; got != want {
		t.Errorf("SLA history\n got %s\nwant %s", got, want)
	}
	if v.Ticket.Priority != ticket.Urgent || v.Ticket.AssigneeID != 0 {
		t.Errorf("after escalation: priority %s, assignee %d", v.Ticket.Priority, v.Ticket.AssigneeID)
	}
	var reasons []string
	for _, c := range v.Changes {
		if c.Reason != "" {
			reasons = append(reasons, c.Field+"="+c.Reason)
		}
	}
	if strings.Join(reasons, " ") != "created=request_type priority=sla:first_response assignee=sla:first_response" {
		t.Errorf("history reasons %v", reasons)
	}
	fr := v.Ticket.SLA.Clock(sla.FirstResponse)
	if v.Ticket.SLA.Policy != "urgent" || !fr.Breached || !near(fr.BreachedDue, berlin(t, "2026-12-07 11:00")) {
		t.Errorf("after escalation: state %+v", v.Ticket.SLA)
	}

	// A late answer stays late; lowering the priority shows a new target
	// but keeps the breach.
	e.Clock.Set(berlin(t, "2026-12-07 11:30"))
	if _, err := e.Desk.Reply(ctx, max, id, desk.ReplyInput{Body: "Wir kümmern uns."}); err != nil {
		t.Fatal(err)
	}
	low := ticket.Low
	if _, err := e.Desk.UpdateTicket(ctx, lea, id, desk.TicketUpdate{Priority: &low}); err != nil {
		t.Fatal(err)
	}
	v = view()
	fr = v.Ticket.SLA.Clock(sla.FirstResponse)
	if !fr.Breached || fr.Met() || !v.Ticket.SLA.Late(sla.FirstResponse) || v.Ticket.SLA.Policy != "standard" {
		t.Errorf("after lowering the priority: %+v", v.Ticket.SLA)
	}
	if n := strings.Count(kinds(v), "breach:first_response"); n != 1 {
		t.Errorf("%d first-response breaches recorded, want 1", n)
	}
	cv, err := e.Desk.CustomerTicket(ctx, rc.StatusSecret)
	if err != nil || !cv.Ticket.SLA.Late(sla.FirstResponse) {
		t.Errorf("customer view: late = false, %v", err)
	}

	// Waiting for the customer pauses the resolution clock; their reply
	// resumes it and starts the next-response clock.
	res := v.Ticket.SLA.Clock(sla.Resolution)
	before := res.Due
	if st := sweep("2026-12-09 11:30"); st.Tickets != 0 {
		t.Errorf("paused ticket swept: %+v", st)
	}
	if _, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Danke, es geht wieder nicht."); err != nil {
		t.Fatal(err)
	}
	v = view()
	res = v.Ticket.SLA.Clock(sla.Resolution)
	if want := before.Add(48 * time.Hour); !near(res.Due, want) {
		t.Errorf("resolution due %s after a 48 h pause, want %s", res.Due, want)
	}
	nr := v.Ticket.SLA.Clock(sla.NextResponse)
	if nr == nil || !near(nr.Start, berlin(t, "2026-12-09 11:30")) || !near(nr.Due, berlin(t, "2026-12-10 11:30")) {
		t.Errorf("next response clock %+v", nr)
	}
	if v.Ticket.Status != ticket.Open {
		t.Errorf("status %s", v.Ticket.Status)
	}
}

func TestSLAPromiseMatchesClock(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	rc := e.MustSubmit(t, e.Request("complaint"))
	tk := rc.Ticket
	c := tk.SLA.Clock(sla.FirstResponse)
	if c == nil || !near(c.Due, tk.FirstResponseDue) || !near(tk.FirstResponseDue, tk.CreatedAt.Add(4*time.Hour)) {
		t.Fatalf("promise %s, clock %+v", tk.FirstResponseDue, c)
	}
}

func TestSLAReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
	billing := e.MustCreateAgent(t, "erika@example.org", "Erika Mustermann", auth.Agent, "billing")
	start := berlin(t, "2026-11-02 09:00")
	e.Clock.Set(start)
	// Support: complaints, 4 h first response. One answered after 1 h,
	// one after 5 h (late), one not answered and breached by the sweep.
	// Billing: invoice questions, 24 h; one answered after 2 h.
	var ids []int64
	for _, rt := range []string{"complaint", "complaint", "complaint", "invoice_question"} {
		ids = append(ids, e.MustSubmit(t, e.Request(rt)).Ticket.ID)
	}
	reply := func(id int64, at time.Time) {
		t.Helper()
		e.Clock.Set(at)
		if _, err := e.Desk.Reply(ctx, admin, id, desk.ReplyInput{Body: "Antwort"}); err != nil {
			t.Fatal(err)
		}
	}
	reply(ids[0], start.Add(time.Hour))
	reply(ids[3], start.Add(2*time.Hour))
	e.Clock.Set(start.Add(4*time.Hour + time.Minute))
	if _, err := e.Desk.SweepSLA(ctx); err != nil {
		t.Fatal(err)
	}
	reply(ids[1], start.Add(5*time.Hour))

	from, to, err := e.Desk.ReportPeriod("2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Desk.SLAReport(ctx, admin, from, to)
	if err != nil {
		t.Fatal(err)
	}
	row := func(dept string) desk.SLAReportRow {
		for _, x := range r.Departments {
			if x.Department == dept {
				return x
			}
		}
		t.Fatalf("no row for %s in %+v", dept, r.Departments)
		return desk.SLAReportRow{}
	}
	sup := row("support")
	if sup.Received != 3 || sup.FirstResponse != (desk.Attainment{Met: 1, Late: 2}) || sup.Answered != 2 {
		t.Errorf("support %+v", sup)
	}
	if share, ok := sup.FirstResponse.Share(); !ok || share < 0.33 || share > 0.34 {
		t.Errorf("support share %v %v", share, ok)
	}
	if !near(time.Time{}.Add(sup.Median), time.Time{}.Add(time.Hour)) || !near(time.Time{}.Add(sup.P90), time.Time{}.Add(5*time.Hour)) {
		t.Errorf("support median %s p90 %s", sup.Median, sup.P90)
	}
	if b := row("billing"); b.Received != 1 || b.FirstResponse.Met != 1 || b.Resolution.Pending != 1 {
		t.Errorf("billing %+v", b)
	}
	if r.Total.Received != 4 || r.Total.FirstResponse.Met != 2 {
		t.Errorf("total %+v", r.Total)
	}
	// An agent of billing sees billing only.
	rb, err := e.Desk.SLAReport(ctx, billing, from, to)
	if err != nil || len(rb.Departments) != 1 || rb.Total.Received != 1 {
		t.Errorf("billing agent's report %+v, %v", rb, err)
	}
	// Bad periods change nothing and say why.
	if _, _, err := e.Desk.ReportPeriod("2026-13-01", ""); err == nil {
		t.Error("month 13 accepted")
	}
	if _, err := e.Desk.SLAReport(ctx, admin, to, from); err == nil {
		t.Error("reversed period accepted")
	}
}

// TestSLAEscalationReassigns: a breach under a policy that reassigns takes
// the ticket from its assignee and hands it to the department's strategy,
// never back to the same agent; the history says why.
func TestSLAEscalationReassigns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	y := strings.Replace(string(slaPolicy(t)), "    lead: lea@example.org\n    assignment: manual\n", "    lead: lea@example.org\n    assignment: round_robin\n", 1)
	if !strings.Contains(y, "assignment: round_robin") {
		t.Fatal("policy edit failed")
	}
	if _, err := e.Desk.ApplyPolicy(ctx, []byte(y)); err != nil {
		t.Fatal(err)
	}
	max := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent, "technical")
	moritz := e.MustCreateAgent(t, "moritz@example.org", "Moritz Muster", auth.Agent, "technical")
	e.Clock.Set(berlin(t, "2026-12-07 09:00"))
	rc := e.MustSubmit(t, e.Request("technical_problem"))
	first := rc.Ticket.AssigneeID
	if first != max.ID && first != moritz.ID {
		t.Fatalf("assigned to %d at intake", first)
	}
	e.Clock.Set(berlin(t, "2026-12-07 13:01")) // 4 business hours later
	if _, err := e.Desk.SweepSLA(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := e.Desk.Ticket(ctx, max, rc.Ticket.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Ticket.AssigneeID == 0 || v.Ticket.AssigneeID == first {
		t.Errorf("after the escalation assigned to %d (before %d)", v.Ticket.AssigneeID, first)
	}
	var reasons []string
	for _, c := range v.Changes {
		if c.Field == "assignee" {
			reasons = append(reasons, c.Reason)
		}
	}
	if strings.Join(reasons, " ") != "strategy:round_robin sla:first_response strategy:round_robin" {
		t.Errorf("assignee history reasons %q", reasons)
	}
}
