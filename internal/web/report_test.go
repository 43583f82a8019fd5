package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
)

func TestSLAPages(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	anna := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.Clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	rc := e.MustSubmit(t, e.Request("complaint")) // 4 h first response
	e.Clock.Set(time.Date(2026, 11, 2, 12, 30, 0, 0, time.UTC))
	if _, err := e.Desk.SweepSLA(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.Reply(ctx, anna, rc.Ticket.ID, desk.ReplyInput{Body: "Entschuldigung, wir kümmern uns."}); err != nil {
		t.Fatal(err)
	}

	// The customer is told the answer was late, not that it was in time.
	c := e.browser(t)
	res := c.get("/t/" + rc.StatusSecret)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Später als zugesagt") {
		t.Errorf("status page: %d, late note missing", res.status)
	}

	b := e.browser(t)
	b.login("anna@example.org")
	res = b.get("/tickets/" + rc.Ticket.Number())
	for _, want := range []string{"Servicelevel (SLA)", "Erste Antwort", "verspätet", "SLA-Verlauf", "Überschreitung"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	res = b.get("/reports/sla?from=2026-11-01&to=2026-11-30")
	if res.status != http.StatusOK || !strings.Contains(res.body, "SLA-Bericht") || !strings.Contains(res.body, "Kundenservice") ||
		!strings.Contains(res.body, "0.0 %") || !strings.Contains(res.body, "format=csv") {
		t.Errorf("report page: %d\n%s", res.status, res.body)
	}
	res = b.get("/reports/sla?from=2026-12-01&to=2026-11-01")
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Das Ende muss nach dem Beginn liegen.") {
		t.Errorf("reversed period: %d", res.status)
	}
}
