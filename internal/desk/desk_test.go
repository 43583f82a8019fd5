package desk_test

import (
	"context"
	"fmt"
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

func TestSubmitRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		e := desktest.New(t)
		r := e.Request("invoice_question")
		r.Consent.Purposes = []string{"satisfaction_survey"}
		rc := e.MustSubmit(t, r)
		tk := rc.Ticket
		if tk.ID == 0 || tk.Department != "billing" || tk.Status != ticket.New {
			t.Fatalf("ticket = %+v", tk)
		}
		if want := tk.CreatedAt.Add(24 * time.Hour); !tk.FirstResponseDue.Equal(want) {
			t.Errorf("due = %s, want %s", tk.FirstResponseDue, want)
		}
		got, err := e.Desk.CustomerTicket(ctx, rc.StatusSecret)
		if err != nil || got.Ticket.ID != tk.ID || len(got.Messages) != 1 {
			t.Fatalf("CustomerTicket = %+v, %v", got, err)
		}
		admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
		v, err := e.Desk.Ticket(ctx, admin, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Consents) != 1 || !v.Consents[0].Accepted || v.Consents[0].NoticeVersion != "2026-11-01" ||
			len(v.Consents[0].Purposes) != 1 || !v.Consents[0].Purposes[0].Granted {
			t.Errorf("consents = %+v", v.Consents)
		}
		if v.Ticket.Fields["customer_number"] != "K-1042" {
			t.Errorf("fields = %v", v.Ticket.Fields)
		}
	})
	for name, tc := range map[string]struct {
		edit  func(r *desk.Request)
		field string
		msg   string
	}{
		"ErrNoConsent":       {func(r *desk.Request) { r.Consent.Accepted = false }, "consent.accepted", desk.ErrNoticeRequired},
		"ErrOldNotice":       {func(r *desk.Request) { r.Consent.NoticeVersion = "2020-01-01" }, "consent.notice_version", desk.ErrNoticeOutdated},
		"ErrUnknownPurpose":  {func(r *desk.Request) { r.Consent.Purposes = []string{"marketing"} }, "consent.purposes", desk.ErrUnknownPurpose},
		"ErrUnknownType":     {func(r *desk.Request) { r.RequestType = "shoe_size" }, "request_type", desk.ErrUnknownType},
		"ErrEmail":           {func(r *desk.Request) { r.Email = "erika@" }, "email", "invalid_email"},
		"ErrNameMissing":     {func(r *desk.Request) { r.Name = "  " }, "name", "required"},
		"ErrUndeclaredField": {func(r *desk.Request) { r.Fields["birthplace"] = "Musterstadt" }, "fields.birthplace", "unknown_field"},
		"ErrRequiredField":   {func(r *desk.Request) { delete(r.Fields, "customer_number") }, "fields.customer_number", "required"},
		"ErrFieldPattern":    {func(r *desk.Request) { r.Fields["customer_number"] = "<script>" }, "fields.customer_number", "invalid_format"},
		"ErrLanguage":        {func(r *desk.Request) { r.Language = "fr" }, "language", "invalid_option"},
		"ErrControl":         {func(r *desk.Request) { r.Subject = "a\x00b" }, "subject", "invalid_characters"},
		"ErrTooLong":         {func(r *desk.Request) { r.Message = strings.Repeat("x", 20001) }, "message", "too_long"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := desktest.New(t)
			r := e.Request("invoice_question")
			tc.edit(&r)
			_, err := e.Desk.SubmitRequest(ctx, r)
			if fault.Code(err) != fault.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			found := false
			for _, f := range fault.FieldsOf(err) {
				found = found || (f.Field == tc.field && f.Message == tc.msg)
			}
			if !found {
				t.Errorf("fields = %+v, want %s: %s", fault.FieldsOf(err), tc.field, tc.msg)
			}
			admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
			list, _, _ := e.Desk.Tickets(ctx, admin, store.TicketFilter{})
			if len(list) != 0 {
				t.Errorf("a rejected request stored %d tickets", len(list))
			}
		})
	}
}

func TestGroupCommit(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make(chan int64, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.Request("general_question")
			r.Email = fmt.Sprintf("kunde%d@example.org", i%7)
			rc, err := e.Desk.SubmitRequest(ctx, r)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- rc.Ticket.ID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("duplicate ticket id %d", id)
		}
		seen[id] = true
	}
	admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
	n := 0
	for cursor := "first"; cursor != ""; {
		if cursor == "first" {
			cursor = ""
		}
		page, next, err := e.Desk.Tickets(ctx, admin, store.TicketFilter{Cursor: cursor, Limit: 30})
		if err != nil {
			t.Fatal(err)
		}
		n += len(page)
		cursor = next
	}
	if n != 200 {
		t.Errorf("paged through %d tickets, want 200", n)
	}
}

func TestLifeCycle(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	agent := e.MustCreateAgent(t, "agent@example.org", "Max Mustermann", auth.Agent, "billing")
	other := e.MustCreateAgent(t, "tech@example.org", "Hans Muster", auth.Agent, "technical")
	rc := e.MustSubmit(t, e.Request("invoice_question"))
	id := rc.Ticket.ID

	if _, err := e.Desk.Ticket(ctx, other, id); fault.Code(err) != fault.NotFound {
		t.Errorf("agent of another department sees the ticket: %v", err)
	}
	if _, err := e.Desk.Reply(ctx, agent, id, desk.ReplyInput{Body: "Interne Notiz", Internal: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.Reply(ctx, agent, id, desk.ReplyInput{Body: "Sehr geehrte Frau Mustermann, …"}); err != nil {
		t.Fatal(err)
	}
	v, _ := e.Desk.Ticket(ctx, agent, id)
	if v.Ticket.Status != ticket.Waiting || v.Ticket.FirstResponseAt.IsZero() || v.Ticket.AssigneeID != agent.ID {
		t.Errorf("after reply: %+v", v.Ticket)
	}
	cv, _ := e.Desk.CustomerTicket(ctx, rc.StatusSecret)
	for _, m := range cv.Messages {
		if m.Visibility != ticket.Public {
			t.Error("customer sees an internal note")
		}
	}
	if len(cv.Messages) != 2 {
		t.Errorf("customer sees %d messages, want 2", len(cv.Messages))
	}
	if _, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Danke, noch eine Frage."); err != nil {
		t.Fatal(err)
	}
	v, _ = e.Desk.Ticket(ctx, agent, id)
	if v.Ticket.Status != ticket.Open {
		t.Errorf("customer reply: status %s, want open", v.Ticket.Status)
	}
	closed := ticket.Closed
	if _, err := e.Desk.UpdateTicket(ctx, agent, id, desk.TicketUpdate{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	bad := ticket.Resolved
	if _, err := e.Desk.UpdateTicket(ctx, agent, id, desk.TicketUpdate{Status: &bad}); fault.Code(err) != fault.Invalid {
		t.Errorf("closed → resolved: err = %v", err)
	}
	if _, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Doch noch etwas."); err != nil {
		t.Fatal(err)
	}
	v, _ = e.Desk.Ticket(ctx, agent, id)
	if v.Ticket.Status != ticket.Open || !v.Ticket.ClosedAt.IsZero() {
		t.Errorf("reopen: %+v", v.Ticket)
	}
	var fields []string
	for _, c := range v.Changes {
		fields = append(fields, c.Field+":"+c.To)
	}
	want := "created:new status:open assignee:" + fmt.Sprint(agent.ID) + " status:waiting status:open status:closed status:open"
	if got := strings.Join(fields, " "); got != want {
		t.Errorf("history = %s\nwant      %s", got, want)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	r := e.Request("technical_problem")
	r.Message = "Der Drucker zeigt Fehler Zwölf an."
	e.MustSubmit(t, r)
	e.MustSubmit(t, e.Request("invoice_question"))
	admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
	billing := e.MustCreateAgent(t, "billing@example.org", "Billing", auth.Agent, "billing")
	for _, q := range []string{"drucker", "zwolf", "Zwölf", `fehler" *`} {
		hits, _, err := e.Desk.Search(ctx, admin, q, "", 10)
		if err != nil || len(hits) != 1 {
			t.Errorf("Search(%q) = %d hits, %v", q, len(hits), err)
		}
	}
	if hits, _, _ := e.Desk.Search(ctx, billing, "drucker", "", 10); len(hits) != 0 {
		t.Error("search shows a ticket of another department")
	}
	if _, _, err := e.Desk.Search(ctx, admin, " ** ", "", 10); fault.Code(err) != fault.Invalid {
		t.Errorf("empty query: %v", err)
	}
}

func TestTestClock(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	before := e.Desk.Now()
	now, err := e.Desk.SetTestClock(ctx, nil, "P14D")
	if err != nil {
		t.Fatal(err)
	}
	if d := now.Sub(before); d < 14*24*time.Hour-time.Hour || d > 14*24*time.Hour+time.Hour {
		t.Errorf("advanced by %s", d)
	}
	past := before
	if _, err := e.Desk.SetTestClock(ctx, &past, ""); fault.Code(err) != fault.Invalid {
		t.Errorf("going back: %v", err)
	}
	rc := e.MustSubmit(t, e.Request("general_question"))
	if rc.Ticket.CreatedAt.Before(now) {
		t.Errorf("ticket created at %s, before test clock %s", rc.Ticket.CreatedAt, now)
	}
}

// TestRouting applies a policy with routing rules: a matching request goes
// to the rule's department at the rule's priority, and the ticket's history
// names the rule; others stay with their request type's department.
func TestRouting(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	rules := `
routing:
  - id: outage
    name: Störungen
    when: {words: [ausfall, outage]}
    department: technical
    priority: urgent
`
	if _, err := e.Desk.ApplyPolicy(ctx, append(policy.DefaultYAML(), []byte(rules)...)); err != nil {
		t.Fatal(err)
	}
	r := e.Request("general_question")
	r.Subject = "Totaler Ausfall seit heute Morgen"
	routed := e.MustSubmit(t, r).Ticket
	plain := e.MustSubmit(t, e.Request("general_question")).Ticket
	if routed.Department != "technical" || routed.Priority != ticket.Urgent {
		t.Errorf("routed ticket: %s, %s; want technical, urgent", routed.Department, routed.Priority)
	}
	if plain.Department != "support" || plain.Priority != ticket.Normal {
		t.Errorf("other ticket: %s, %s; want support, normal", plain.Department, plain.Priority)
	}
	admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
	v, err := e.Desk.Ticket(ctx, admin, routed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Changes[0].Field != "created" || v.Changes[0].Reason != "rule:outage" {
		t.Errorf("creation's reason %q, want rule:outage", v.Changes[0].Reason)
	}
	if pv, err := e.Desk.Ticket(ctx, admin, plain.ID); err != nil || pv.Changes[0].Reason != "request_type" {
		t.Errorf("unrouted ticket's creation reason: %+v, %v", pv.Changes, err)
	}
	if _, err := e.Desk.ApplyPolicy(ctx, append(policy.DefaultYAML(), []byte(rules+"default_department: billing\n")...)); err != nil {
		t.Fatal(err)
	}
	caught := e.MustSubmit(t, e.Request("general_question")).Ticket
	if cv, err := e.Desk.Ticket(ctx, admin, caught.ID); err != nil || caught.Department != "billing" || cv.Changes[0].Reason != "default_department" {
		t.Errorf("default department: %s, %+v, %v", caught.Department, cv.Changes, err)
	}
	bad := `
routing:
  - id: lost
    department: nowhere
`
	if _, err := e.Desk.ApplyPolicy(ctx, append(policy.DefaultYAML(), []byte(bad)...)); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("a rule to an unknown department was applied: %v", err)
	}
}
