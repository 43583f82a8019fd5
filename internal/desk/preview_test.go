package desk_test

import (
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/sla"
)

func TestPreview(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))

	t.Run("Forbidden", func(t *testing.T) {
		if _, err := e.Desk.PreviewRouting(agent, desk.RoutingQuestion{RequestType: "complaint"}); fault.Code(err) != fault.Forbidden {
			t.Errorf("PreviewRouting by an agent: %v", err)
		}
		if _, err := e.Desk.PreviewSLA(agent, desk.SLAQuestion{RequestType: "complaint"}); fault.Code(err) != fault.Forbidden {
			t.Errorf("PreviewSLA by an agent: %v", err)
		}
	})
	t.Run("MatchesIntake", func(t *testing.T) {
		// The preview's first-response deadline is the one intake
		// promises for the same request, received a moment later (the
		// test clock runs on; the default policy's clocks run 24/7).
		r := e.Request("technical_problem")
		pv, err := e.Desk.PreviewRouting(admin, desk.RoutingQuestion{RequestType: r.RequestType, Subject: r.Subject, Message: r.Message, Language: r.Language, Fields: r.Fields})
		if err != nil {
			t.Fatal(err)
		}
		rc := e.MustSubmit(t, r)
		var due time.Time
		for _, x := range pv.Targets {
			if x.Target == sla.FirstResponse {
				due = x.Due
			}
		}
		if lag := rc.Ticket.FirstResponseDue.Sub(due); lag < 0 || lag > time.Second || pv.Route.Department != rc.Ticket.Department || pv.Route.Priority != rc.Ticket.Priority {
			t.Errorf("preview %s %s due %s, intake %s %s due %s", pv.Route.Department, pv.Route.Priority, due, rc.Ticket.Department, rc.Ticket.Priority, rc.Ticket.FirstResponseDue)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		_, err := e.Desk.PreviewSLA(admin, desk.SLAQuestion{RequestType: "complaint", Priority: "asap", Department: "sales", At: "2026-13-01T10:00"})
		got := map[string]string{}
		for _, f := range fault.FieldsOf(err) {
			got[f.Field] = f.Message
		}
		if fault.Code(err) != fault.Invalid || got["priority"] != "invalid_option" || got["department"] != "invalid_option" || got["at"] != desk.ErrInvalidTime {
			t.Errorf("PreviewSLA: %v %v", err, got)
		}
	})
}
