package desk_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// assignEnv is a desk whose policy assigns: support least loaded, billing
// round robin, technical by skill (technical problems need "tech"; an
// English one, by a rule, "lang:en" too).
func assignEnv(t *testing.T) *desktest.Env {
	t.Helper()
	e := desktest.New(t)
	y := string(policy.DefaultYAML())
	for _, s := range []string{"least_loaded", "round_robin", "skill_based"} {
		y = strings.Replace(y, "    assignment: manual\n", "    assignment: "+s+"\n", 1)
	}
	y = strings.Replace(y, "    priority: high\n    first_response: PT8H\n", "    priority: high\n    first_response: PT8H\n    skills: [tech]\n", 1)
	y += "\nrouting:\n  - id: english-tech\n    name: English technical problems\n    when: {request_types: [technical_problem], languages: [en]}\n    department: technical\n    skills: [lang:en]\n"
	if _, err := e.Desk.ApplyPolicy(context.Background(), []byte(y)); err != nil {
		t.Fatal(err)
	}
	return e
}

// submitFrom submits a request of the type from the n-th fake customer.
func submitFrom(t *testing.T, e *desktest.Env, requestType string, n int, edit ...func(*desk.Request)) *ticket.Ticket {
	t.Helper()
	r := e.Request(requestType)
	r.Email = fmt.Sprintf("kunde%d@example.org", n)
	for _, f := range edit {
		f(&r)
	}
	return e.MustSubmit(t, r).Ticket
}

// history returns a ticket's changes as "field:from>to:reason" strings,
// without the created entry.
func history(t *testing.T, e *desktest.Env, id int64) []string {
	t.Helper()
	var out []string
	err := e.DB.Read(context.Background(), func(tx *store.Tx) error {
		cs, err := tx.FindChanges(id)
		for _, c := range cs {
			if c.Field != "created" {
				out = append(out, c.Field+":"+c.From+">"+c.To+":"+c.Reason)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustUpdateAgent(t *testing.T, e *desktest.Env, admin *desk.Agent, id int64, u desk.AgentUpdate) {
	t.Helper()
	if _, err := e.Desk.UpdateAgent(context.Background(), admin, id, u); err != nil {
		t.Fatal(err)
	}
}

func TestAssignRoundRobin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := assignEnv(t)
	a1 := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "billing")
	a2 := e.MustCreateAgent(t, "bernd@example.org", "Bernd Beispiel", auth.Agent, "billing", "support")
	e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee, "billing")
	e.MustCreateAgent(t, "sara@example.org", "Sara Support", auth.Agent, "support")
	a3 := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin)

	var got []int64
	for i := range 4 {
		got = append(got, submitFrom(t, e, "invoice_question", i).AssigneeID)
	}
	if want := []int64{a1.ID, a2.ID, a3.ID, a1.ID}; !slices.Equal(got, want) {
		t.Fatalf("assignees = %v, want %v (trainees and other departments' agents never)", got, want)
	}
	// An absent agent is skipped; the turn goes on after the last one.
	if err := e.Desk.SetAvailability(ctx, a2, false); err != nil {
		t.Fatal(err)
	}
	tk := submitFrom(t, e, "invoice_question", 9)
	if tk.AssigneeID != a3.ID {
		t.Errorf("with Bernd absent: assignee %d, want Ada %d", tk.AssigneeID, a3.ID)
	}
	if h, want := history(t, e, tk.ID), []string{fmt.Sprintf("assignee:>%d:strategy:round_robin", a3.ID)}; !slices.Equal(h, want) {
		t.Errorf("history = %q, want %q", h, want)
	}
	// Manual departments assign nothing and record nothing.
	manual := submitFrom(t, e, "invoice_question", 10, func(r *desk.Request) { r.RequestType = "general_question"; r.Fields = map[string]string{} })
	if manual.Department != "support" || manual.AssigneeID == 0 {
		// support is least loaded in assignEnv; only the default policy is manual.
		t.Fatalf("support ticket = %+v", manual)
	}
	plain := desktest.New(t)
	plain.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	pt := plain.MustSubmit(t, plain.Request("invoice_question")).Ticket
	if pt.AssigneeID != 0 || len(history(t, plain, pt.ID)) != 0 {
		t.Errorf("manual department: assignee %d, history %q", pt.AssigneeID, history(t, plain, pt.ID))
	}
}

func TestAssignLeastLoaded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := assignEnv(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin, "billing")
	a := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "support")
	b := e.MustCreateAgent(t, "bernd@example.org", "Bernd Beispiel", auth.Agent, "support")

	// A complaint is high priority (weight 3), general questions normal
	// (2): Anna takes the complaint, Bernd two questions (2, then 4 > 3
	// is not yet reached when he takes the second), then Anna again.
	var got []int64
	for i, rt := range []string{"complaint", "general_question", "general_question", "general_question"} {
		got = append(got, submitFrom(t, e, rt, i).AssigneeID)
	}
	if want := []int64{a.ID, b.ID, b.ID, a.ID}; !slices.Equal(got, want) {
		t.Fatalf("assignees = %v, want %v", got, want)
	}

	t.Run("Cap", func(t *testing.T) {
		cap2 := 2
		mustUpdateAgent(t, e, admin, a.ID, desk.AgentUpdate{MaxOpen: &cap2})
		mustUpdateAgent(t, e, admin, b.ID, desk.AgentUpdate{MaxOpen: &cap2})
		tk := submitFrom(t, e, "general_question", 20)
		if tk.AssigneeID != 0 {
			t.Fatalf("assignee %d above the cap", tk.AssigneeID)
		}
		if h, want := history(t, e, tk.ID), []string{"assignment:>all_at_cap:strategy:least_loaded"}; !slices.Equal(h, want) {
			t.Errorf("history = %q, want %q", h, want)
		}
		// Closing one of Bernd's tickets frees a slot.
		closed := ticket.Closed
		if _, err := e.Desk.UpdateTicket(ctx, b, got[1], desk.TicketUpdate{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		if tk := submitFrom(t, e, "general_question", 21); tk.AssigneeID != b.ID {
			t.Errorf("after closing: assignee %d, want Bernd %d", tk.AssigneeID, b.ID)
		}
	})
	t.Run("NonePresent", func(t *testing.T) {
		for _, x := range []*desk.Agent{a, b} {
			if err := e.Desk.SetAvailability(ctx, x, false); err != nil {
				t.Fatal(err)
			}
		}
		tk := submitFrom(t, e, "general_question", 30)
		if h, want := history(t, e, tk.ID), []string{"assignment:>none_present:strategy:least_loaded"}; tk.AssigneeID != 0 || !slices.Equal(h, want) {
			t.Errorf("assignee %d, history %q, want %q", tk.AssigneeID, h, want)
		}
	})
}

func TestAssignSkills(t *testing.T) {
	t.Parallel()
	e := assignEnv(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin, "billing")
	x := e.MustCreateAgent(t, "xaver@example.org", "Xaver Technik", auth.Agent, "technical")
	y := e.MustCreateAgent(t, "yasmin@example.org", "Yasmin Technik", auth.Agent, "technical")
	e.MustCreateAgent(t, "zoe@example.org", "Zoe Ohnetechnik", auth.Agent, "technical")
	mustUpdateAgent(t, e, admin, x.ID, desk.AgentUpdate{Skills: &[]string{"tech"}})
	mustUpdateAgent(t, e, admin, y.ID, desk.AgentUpdate{Skills: &[]string{" Lang:EN", "tech", "tech"}})

	english := func(r *desk.Request) { r.Language = "en" }
	if tk := submitFrom(t, e, "technical_problem", 1, english); tk.AssigneeID != y.ID {
		t.Errorf("English problem: assignee %d, want Yasmin %d (tech and lang:en)", tk.AssigneeID, y.ID)
	}
	// A German one needs only tech: Xaver is less loaded; Zoe never.
	for i := range 3 {
		tk := submitFrom(t, e, "technical_problem", 10+i)
		if tk.AssigneeID != x.ID && tk.AssigneeID != y.ID {
			t.Errorf("German problem %d: assignee %d", i, tk.AssigneeID)
		}
	}
	mustUpdateAgent(t, e, admin, y.ID, desk.AgentUpdate{Available: new(bool)})
	tk := submitFrom(t, e, "technical_problem", 20, english)
	if h, want := history(t, e, tk.ID), []string{"assignment:>no_skill_match:strategy:skill_based"}; tk.AssigneeID != 0 || !slices.Equal(h, want) {
		t.Errorf("assignee %d, history %q, want %q", tk.AssigneeID, h, want)
	}
}

func TestAssignWorkingHours(t *testing.T) {
	t.Parallel()
	e := assignEnv(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin, "billing")
	a := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "support")
	office := "office"
	mustUpdateAgent(t, e, admin, a.ID, desk.AgentUpdate{Calendar: &office})
	berlin, _ := time.LoadLocation("Europe/Berlin")

	e.Clock.Set(time.Date(2026, 11, 14, 10, 0, 0, 0, berlin)) // a Saturday
	if tk := submitFrom(t, e, "general_question", 1); tk.AssigneeID != 0 {
		t.Errorf("Saturday: assignee %d, want nobody", tk.AssigneeID)
	}
	e.Clock.Set(time.Date(2026, 11, 18, 10, 0, 0, 0, berlin)) // a Wednesday
	if tk := submitFrom(t, e, "general_question", 2); tk.AssigneeID != a.ID {
		t.Errorf("Wednesday 10:00: assignee %d, want Anna %d", tk.AssigneeID, a.ID)
	}
	if !e.Desk.Present(mustFindAgent(t, e, a.ID)) {
		t.Error("Present = false within working hours")
	}
}

func mustFindAgent(t *testing.T, e *desktest.Env, id int64) *desk.Agent {
	t.Helper()
	var a *desk.Agent
	err := e.DB.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		a, err = tx.FindUser(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAssignTransfer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := assignEnv(t)
	biller := e.MustCreateAgent(t, "bianca@example.org", "Bianca Buchhaltung", auth.Agent, "billing")
	supporter := e.MustCreateAgent(t, "sven@example.org", "Sven Support", auth.Agent, "support")

	tk := submitFrom(t, e, "invoice_question", 1)
	if tk.AssigneeID != biller.ID {
		t.Fatalf("assignee %d, want Bianca", tk.AssigneeID)
	}
	// Bianca may not see support: the ticket leaves her, support's
	// strategy gives it to Sven, and the history tells both steps.
	support := "support"
	out, err := e.Desk.UpdateTicket(ctx, biller, tk.ID, desk.TicketUpdate{Department: &support})
	if err != nil {
		t.Fatal(err)
	}
	if out.AssigneeID != supporter.ID {
		t.Errorf("after transfer: assignee %d, want Sven %d", out.AssigneeID, supporter.ID)
	}
	want := []string{
		fmt.Sprintf("assignee:>%d:strategy:round_robin", biller.ID),
		"department:billing>support:",
		fmt.Sprintf("assignee:%d>:transfer", biller.ID),
		fmt.Sprintf("assignee:>%d:strategy:least_loaded", supporter.ID),
	}
	if h := history(t, e, tk.ID); !slices.Equal(h, want) {
		t.Errorf("history = %q\nwant %q", h, want)
	}

	// An assignee who sees the new department keeps the ticket.
	all := e.MustCreateAgent(t, "alex@example.org", "Alex Allesseher", auth.Agent)
	billing := "billing"
	if _, err := e.Desk.UpdateTicket(ctx, all, tk.ID, desk.TicketUpdate{AssigneeID: &all.ID}); err != nil {
		t.Fatal(err)
	}
	out, err = e.Desk.UpdateTicket(ctx, all, tk.ID, desk.TicketUpdate{Department: &billing})
	if err != nil || out.AssigneeID != all.ID {
		t.Errorf("transfer with an assignee of all departments: %v, assignee %d, want %d", err, out.AssigneeID, all.ID)
	}
	// An assignee chosen with the transfer wins.
	out, err = e.Desk.UpdateTicket(ctx, all, tk.ID, desk.TicketUpdate{Department: &support, AssigneeID: new(int64)})
	if err != nil || out.AssigneeID != 0 {
		t.Errorf("transfer with an explicit unassign: %v, assignee %d", err, out.AssigneeID)
	}
}

// TestAssignConcurrentIntake submits many requests at once to a
// least-loaded department. On PostgreSQL several intake writers commit
// batches in parallel transactions; the department's lock makes each
// batch see the assignments of the one before, so that the agents' loads
// end at most one ticket apart and no cap is exceeded.
func TestAssignConcurrentIntake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		requests int
		cap      int
	}{
		{"Balanced", 200, 0},
		{"Capped", 60, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := assignEnv(t)
			admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin, "billing")
			var ids []int64
			for i := range 4 {
				a := e.MustCreateAgent(t, fmt.Sprintf("agent%d@example.org", i), fmt.Sprintf("Agentin %d", i), auth.Agent, "support")
				if tc.cap > 0 {
					mustUpdateAgent(t, e, admin, a.ID, desk.AgentUpdate{MaxOpen: &tc.cap})
				}
				ids = append(ids, a.ID)
			}
			var wg sync.WaitGroup
			errs := make(chan error, tc.requests)
			for i := range tc.requests {
				wg.Go(func() {
					r := e.Request("general_question")
					r.Email = fmt.Sprintf("kunde%d@example.org", i)
					if _, err := e.Desk.SubmitRequest(context.Background(), r); err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			var loads []store.AgentLoad
			err := e.DB.Read(context.Background(), func(tx *store.Tx) error {
				var err error
				loads, err = tx.FindAgentLoads("support")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			counts := map[int64]int{}
			total := 0
			for _, l := range loads {
				counts[l.ID] = l.Open[ticket.Normal]
				total += l.Open[ticket.Normal]
			}
			lo, hi := tc.requests, 0
			for _, id := range ids {
				lo, hi = min(lo, counts[id]), max(hi, counts[id])
			}
			if hi-lo > 1 {
				t.Errorf("open tickets per agent %v: differ by %d", counts, hi-lo)
			}
			want := tc.requests
			if tc.cap > 0 {
				want = min(want, 4*tc.cap)
				if hi > tc.cap {
					t.Errorf("open tickets per agent %v: above the cap %d", counts, tc.cap)
				}
			}
			if total != want {
				t.Errorf("%d tickets assigned, want %d", total, want)
			}
		})
	}
}

func TestUpdateAgent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin)
	a := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "support")

	t.Run("OK", func(t *testing.T) {
		cap3, office, off := 3, "office", false
		got, err := e.Desk.UpdateAgent(ctx, admin, a.ID, desk.AgentUpdate{
			Available: &off, Skills: &[]string{"Lang:DE", " lang:fr ", "lang:de", ""}, MaxOpen: &cap3, Calendar: &office, Departments: &[]string{"support", "billing"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Available || !slices.Equal(got.Skills, []string{"lang:de", "lang:fr"}) || got.MaxOpen != 3 || got.Calendar != "office" || !slices.Equal(got.Departments, []string{"support", "billing"}) {
			t.Errorf("agent = %+v", got)
		}
		// Empty departments: all; empty skills: none.
		got, err = e.Desk.UpdateAgent(ctx, admin, a.ID, desk.AgentUpdate{Departments: &[]string{}, Skills: &[]string{}})
		if err != nil || got.Departments != nil || got.Skills != nil || got.MaxOpen != 3 {
			t.Errorf("agent = %+v, %v", got, err)
		}
	})
	for name, tc := range map[string]struct {
		u     desk.AgentUpdate
		field string
		msg   string
	}{
		"ErrSkill": {desk.AgentUpdate{Skills: &[]string{"lang de"}}, "skills", desk.ErrSkill},
		"ErrTooMany": {desk.AgentUpdate{Skills: func() *[]string {
			s := make([]string, 21)
			for i := range s {
				s[i] = fmt.Sprint("s", i)
			}
			return &s
		}()}, "skills", desk.ErrTooMany},
		"ErrCapRange":   {desk.AgentUpdate{MaxOpen: func() *int { n := -1; return &n }()}, "max_open", desk.ErrCapRange},
		"ErrCalendar":   {desk.AgentUpdate{Calendar: func() *string { s := "night"; return &s }()}, "calendar", desk.ErrCalendar},
		"ErrDepartment": {desk.AgentUpdate{Departments: &[]string{"sales"}}, "departments", desk.ErrDept},
	} {
		t.Run(name, func(t *testing.T) {
			before := mustFindAgent(t, e, a.ID)
			_, err := e.Desk.UpdateAgent(ctx, admin, a.ID, tc.u)
			if fs := fault.FieldsOf(err); fault.Code(err) != fault.Invalid || len(fs) != 1 || fs[0].Field != tc.field || fs[0].Message != tc.msg {
				t.Fatalf("err = %v %v, want %s %s", err, fs, tc.field, tc.msg)
			}
			if after := mustFindAgent(t, e, a.ID); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("bad input changed the agent: %+v", after)
			}
		})
	}
	t.Run("ErrForbidden", func(t *testing.T) {
		if _, err := e.Desk.UpdateAgent(ctx, a, a.ID, desk.AgentUpdate{}); fault.Code(err) != fault.Forbidden {
			t.Errorf("err = %v, want forbidden", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := e.Desk.UpdateAgent(ctx, admin, 9999, desk.AgentUpdate{}); fault.Code(err) != fault.NotFound {
			t.Errorf("err = %v, want not found", err)
		}
	})
}

// TestAssignBacklog: tickets that waited because nobody was present go to
// an agent as soon as they come back, within their cap; the periodic run
// picks up slots that free later.
func TestAssignBacklog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := assignEnv(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin)
	anna := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "billing")
	cap2 := 2
	mustUpdateAgent(t, e, admin, anna.ID, desk.AgentUpdate{MaxOpen: &cap2})
	for _, a := range []*desk.Agent{admin, anna} {
		if err := e.Desk.SetAvailability(ctx, a, false); err != nil {
			t.Fatal(err)
		}
	}
	var waiting []*ticket.Ticket
	for i := range 3 {
		waiting = append(waiting, submitFrom(t, e, "invoice_question", i))
	}
	if n, err := e.Desk.AssignBacklog(ctx, nil); err != nil || n != 0 {
		t.Fatalf("nobody present: assigned %d, %v", n, err)
	}
	before := len(history(t, e, waiting[2].ID))
	if err := e.Desk.SetAvailability(ctx, anna, true); err != nil {
		t.Fatal(err)
	}
	assignee := func(id int64) int64 {
		t.Helper()
		v, err := e.Desk.Ticket(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		return v.Ticket.AssigneeID
	}
	if got := []int64{assignee(waiting[0].ID), assignee(waiting[1].ID), assignee(waiting[2].ID)}; !slices.Equal(got, []int64{anna.ID, anna.ID, 0}) {
		t.Fatalf("after coming back: assignees %v, want Anna twice (cap 2) and one waiting", got)
	}
	if h := history(t, e, waiting[0].ID); !slices.Contains(h, fmt.Sprintf("assignee:>%d:strategy:round_robin", anna.ID)) {
		t.Errorf("history %q lacks the assignment", h)
	}
	if h := history(t, e, waiting[2].ID); len(h) != before {
		t.Errorf("a ticket nobody could take got new history entries: %q", h)
	}
	// Anna resolves one; the next run hands her the third.
	resolved := ticket.Resolved
	if _, err := e.Desk.UpdateTicket(ctx, anna, waiting[0].ID, desk.TicketUpdate{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Desk.AssignBacklog(ctx, nil); err != nil || n != 1 || assignee(waiting[2].ID) != anna.ID {
		t.Errorf("after a slot freed: assigned %d, %v", n, err)
	}
}
