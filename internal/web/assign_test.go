package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/policy"
)

func TestAvailabilityToggle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	b := e.browser(t)
	b.login("anna@example.org")

	check(t, b.get("/queue"), 200, []string{"Anwesenheit: Verfügbar", `action="/me/availability"`, `name="available" value="0"`, "Abwesend melden"}, nil)
	res := b.post("/me/availability", url.Values{"available": {"0"}, "next": {"/search?q=x"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/search?q=x" {
		t.Fatalf("toggle: %d %q", res.status, res.header.Get("Location"))
	}
	check(t, b.get("/queue"), 200, []string{"Anwesenheit: Abwesend", `name="available" value="1"`, "Verfügbar melden"}, nil)
	// A foreign next goes to the queue.
	res = b.post("/me/availability", url.Values{"available": {"1"}, "next": {"//evil.example/"}})
	if res.header.Get("Location") != "/queue" {
		t.Errorf("unsafe next: Location %q", res.header.Get("Location"))
	}
	b.lang = "en"
	check(t, b.get("/queue"), 200, []string{"Presence: Available", "Set away"}, nil)
	// Visitors without a session only reach the login page.
	if res := e.browser(t).post("/me/availability", url.Values{"available": {"0"}}); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
		t.Errorf("without session: %d %q", res.status, res.header.Get("Location"))
	}
}

func TestAgentEdit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	anna := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "support")
	href := "/admin/users/" + strconv.FormatInt(anna.ID, 10)
	admin := e.browser(t)
	admin.login("ada@example.org")

	t.Run("OnlyAdmins", func(t *testing.T) {
		agent := e.browser(t)
		agent.login("anna@example.org")
		check(t, agent.get(href), 403, nil, []string{"Fähigkeiten"})
		check(t, agent.post(href, url.Values{"max_open": {"1"}}), 403, nil, nil)
	})
	t.Run("Show", func(t *testing.T) {
		check(t, admin.get("/admin"), 200, []string{`href="` + href + `"`, "Anna Agentin bearbeiten", "Verfügbar · keine Fähigkeiten · keine Obergrenze · rund um die Uhr"}, nil)
		check(t, admin.get(href), 200, []string{`<label for="agent-skills">Fähigkeiten</label>`, `id="agent-available" name="available" value="1" checked`,
			`<option value="office">Bürozeiten / Office hours (office)</option>`, `id="agent-dept-support" name="departments" value="support" checked`}, nil)
		check(t, admin.get("/admin/users/9999"), 404, nil, nil)
		check(t, admin.get("/admin/users/x"), 404, nil, nil)
	})
	t.Run("Invalid", func(t *testing.T) {
		xss := "<script>alert(1)</script>"
		res := admin.post(href, url.Values{"skills": {"lang:de, " + xss}, "max_open": {"viele"}, "calendar": {"office"}, "departments": {"support"}})
		check(t, res, 422, []string{"error-summary", `href="#agent-max_open"`, "Bitte eine ganze Zahl von 0 bis 1000 angeben.", `aria-invalid="true"`, "&lt;script&gt;"}, []string{xss})
		res = admin.post(href, url.Values{"skills": {xss}, "max_open": {"2"}, "calendar": {"night"}, "departments": {"sales"}})
		check(t, res, 422, []string{`href="#agent-skills"`, `href="#agent-calendar"`, `href="#agent-departments"`, "Diesen Kalender gibt es in der Richtlinie nicht."}, []string{xss})
		if got := mustAgent(t, e, anna.ID); got.MaxOpen != 0 || got.Skills != nil || got.Calendar != "" || !got.Available {
			t.Errorf("bad input changed the agent: %+v", got)
		}
	})
	t.Run("OK", func(t *testing.T) {
		res := admin.post(href, url.Values{"skills": {"Lang:DE, lang:fr"}, "max_open": {"5"}, "calendar": {"office"}, "departments": {"support", "billing"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/admin?saved="+strconv.FormatInt(anna.ID, 10) {
			t.Fatalf("save: %d %q", res.status, res.header.Get("Location"))
		}
		check(t, admin.get(res.header.Get("Location")), 200, []string{"Die Einstellungen von Anna Agentin sind gespeichert.", "Abwesend · lang:de, lang:fr · höchstens 5 offen · office"}, nil)
		got := mustAgent(t, e, anna.ID)
		if got.Available || got.MaxOpen != 5 || got.Calendar != "office" || strings.Join(got.Skills, ",") != "lang:de,lang:fr" || strings.Join(got.Departments, ",") != "support,billing" {
			t.Errorf("agent = %+v", got)
		}
	})
	t.Run("HistoryReason", func(t *testing.T) {
		y := strings.Replace(string(policy.DefaultYAML()), "    assignment: manual\n", "    assignment: least_loaded\n", 1)
		if _, err := e.Desk.ApplyPolicy(ctx, []byte(y)); err != nil {
			t.Fatal(err)
		}
		// Anna and Ada are away: nobody in support gets the ticket, and
		// agents see why.
		admin.post("/me/availability", url.Values{"available": {"0"}})
		tk := e.MustSubmit(t, e.Request("general_question")).Ticket
		check(t, admin.get("/tickets/"+tk.Number()), 200, []string{"<th scope=\"col\">Grund</th>", "niemand: alle abwesend oder außerhalb der Arbeitszeit", "Strategie: geringste Last"}, nil)
		on := true
		if _, err := e.Desk.UpdateAgent(ctx, mustAgent(t, e, 1), anna.ID, desk.AgentUpdate{Available: &on, Calendar: new(string)}); err != nil {
			t.Fatal(err)
		}
		tk = e.MustSubmit(t, e.Request("general_question")).Ticket
		admin.lang = "en"
		check(t, admin.get("/tickets/"+tk.Number()), 200, []string{"<th scope=\"col\">Reason</th>", "Anna Agentin</td><td>Strategy: least loaded</td>"}, nil)
	})
}

func mustAgent(t *testing.T, e *testEnv, id int64) *desk.Agent {
	t.Helper()
	agents, err := e.Desk.Agents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range agents {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no agent %d", id)
	return nil
}
