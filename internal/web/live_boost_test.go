package web

import (
	"net/http"
	"testing"

	"frist/internal/auth"
)

// TestLiveViewsUnderBoost guards what the boosted navigation needs: the
// self-reloading lists keep hx-select and hx-swap from the links inside
// (which would otherwise select #queue-list out of the ticket page and show
// an empty page), and the collision warning's script is on every agent
// page, because htmx runs no scripts of a page it swaps in.
func TestLiveViewsUnderBoost(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.MustSubmit(t, e.Request("general_question"))
	b := e.browser(t)
	b.login("anna@example.org")
	script := `<script src="/static/presence.js" defer></script>`
	check(t, b.get("/queue"), http.StatusOK,
		[]string{`hx-select="#queue-list" hx-swap="outerHTML" hx-disinherit="hx-select hx-swap"`, script}, nil)
	check(t, b.get("/dashboard"), http.StatusOK,
		[]string{`hx-select="#dashboard-counts" hx-swap="outerHTML" hx-disinherit="hx-select hx-swap"`, script}, nil)

	// Customers' pages carry no agent scripts.
	check(t, e.browser(t).get("/"), http.StatusOK, nil, []string{script, "htmx-ext-sse"})
}
