package web

import (
	"bytes"
	"net/http"
	"testing"

	"frist/internal/auth"
	"frist/internal/policy"
)

// TestDashboardPage shows the counts of the agent's departments, reloads
// them on events, and lists per-agent load only when the policy allows.
func TestDashboardPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.MustCreateAgent(t, "ben@example.org", "Ben Buchhaltung", auth.Agent, "billing")
	e.MustSubmit(t, e.Request("general_question"))
	e.MustSubmit(t, e.Request("invoice_question"))

	anna := e.browser(t)
	anna.login("anna@example.org")
	check(t, anna.get("/dashboard"), http.StatusOK,
		[]string{"<h1>Übersicht</h1>", `sse-connect="/api/v1/events"`, `hx-trigger="sse:ticket.created delay:2s`,
			`<a href="/queue?department=billing">Buchhaltung</a>`, `<a href="/queue?department=support">Kundenservice</a>`,
			"Ohne Zuständige", `<a href="/dashboard">Übersicht</a>`, `/static/htmx-ext-sse.min.js`},
		[]string{"Aktive Tickets je Person", "Anna Agentin</th>"})

	ben := e.browser(t)
	ben.login("ben@example.org")
	check(t, ben.get("/dashboard"), http.StatusOK, []string{"Buchhaltung"}, []string{"Kundenservice"})

	on := bytes.Replace(policy.DefaultYAML(), []byte("organisation:\n"), []byte("organisation:\n  agent_performance_views: true\n"), 1)
	if _, err := e.Desk.ApplyPolicy(t.Context(), on); err != nil {
		t.Fatal(err)
	}
	anna.lang = "en"
	check(t, anna.get("/dashboard"), http.StatusOK, []string{"Active tickets per agent", "Nobody has active tickets assigned.", "Due within the hour"}, nil)
}

// TestLiveViews checks the pieces the browser needs: the queue list reloads
// on events, the ticket page carries the collision warning's box and
// script, and both scripts are served from this server.
func TestLiveViews(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	number := e.MustSubmit(t, e.Request("general_question")).Ticket.Number()
	b := e.browser(t)
	b.login("anna@example.org")
	check(t, b.get("/queue?status=new"), http.StatusOK,
		[]string{`<div id="queue-list" hx-get="/queue?status=new" hx-select="#queue-list"`, `sse:ticket.created delay:1s`, `sse:events.resync`}, nil)
	check(t, b.get("/tickets/"+number), http.StatusOK,
		[]string{`id="presence"`, `data-ticket="` + number + `"`, `data-viewing="%s hat dieses Ticket gerade geöffnet."`, `<script src="/static/presence.js" defer></script>`}, nil)
	for _, path := range []string{"/static/presence.js", "/static/htmx-ext-sse.min.js"} {
		check(t, b.get(path), http.StatusOK, []string{"EventSource"}, nil)
	}
}
