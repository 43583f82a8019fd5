package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// liveTimeout bounds each wait for something that arrives through the
// event stream: the queue reloads a second after an event, the dashboard
// two seconds after.
const liveTimeout = 10 * time.Second

// sseOpen is true once the page's htmx SSE connection is open: the
// extension keeps its EventSource in htmx's internal data of the element
// with sse-connect.
const sseOpen = `document.querySelector("[sse-connect]")["htmx-internal-data"].sseEventSource.readyState === EventSource.OPEN`

// TestBrowserLive proves the live views in headless Chromium under the
// strict Content-Security-Policy: a ticket submitted through the API
// appears in an open queue and in the dashboard's counts without a reload;
// two agents on the same ticket see each other viewing and replying; the
// ticket page shows its SLA panel; the SLA report renders and its CSV
// answers; the admin previews show results. No page may report a CSP
// violation or an uncaught exception. Screenshots go to
// FRIST_SCREENSHOTS_DIR when set.
func TestBrowserLive(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in short mode")
	}
	chrome := chromiumPath()
	if chrome == "" {
		t.Skip("skipping the browser test: no chromium, chromium-browser or google-chrome in PATH")
	}

	// The example policy brings departments, routing rules and SLA
	// policies on business hours.
	dir := newDataDir(t)
	if out, err := run(t, "", "policy", "apply", "--data-dir", dir, filepath.Join("..", "..", "docs", "examples", "policy-routing-sla.yaml")); err != nil {
		t.Fatalf("policy apply: %s %v", out, err)
	}
	s := MustServe(t, dir)
	m := regexp.MustCompile(`(?m)^\s*Password:\s+(\S+)\s*$`).FindStringSubmatch(s.Stdout.String())
	if m == nil {
		t.Fatalf("first start printed no admin password:\n%s", s.Stdout.String())
	}
	adminPassword := m[1]

	a := newBrowser(t, chrome, s.URL)
	aConsole := a.watchConsole()

	// The console watch sees a CSP violation: an inline style is refused.
	a.do("open the login page", chromedp.Navigate(a.base+"/login"))
	a.eval("break the CSP on purpose", `document.body.insertAdjacentHTML("beforeend", '<p style="color: red">CSP</p>'), ""`)
	aConsole.waitCSP(a)
	aConsole.reset()

	a.login(firstAdminEmail, adminPassword)

	// The administrator creates a second agent and reads the one-time
	// password from the page.
	const (
		agentName  = "Max Mustermann"
		agentEmail = "max.mustermann@example.org"
	)
	a.do("open the admin page", chromedp.Navigate(a.base+"/admin"))
	a.do("fill in the new account",
		chromedp.SendKeys(chromedp.ID("user-email"), agentEmail),
		chromedp.SendKeys(chromedp.ID("user-name"), agentName),
		chromedp.SetValue(chromedp.ID("user-role"), "agent"),
	)
	a.click("create the account", `form[action="/admin/users"] button[type="submit"]`)
	a.waitFor("one-time password", `!!document.querySelector("code.secret")`)
	agentPassword := a.eval("one-time password", `document.querySelector("code.secret").innerText.trim()`)

	// (a) A ticket submitted through the API appears in the open queue
	// without a reload: the marker set on the window survives.
	// An event sent before the stream is open would be lost, so wait for
	// the EventSource that the htmx SSE extension keeps on the element.
	a.do("open the queue", chromedp.Navigate(a.base+"/queue"))
	a.waitFor("queue's event stream", sseOpen)
	a.eval("mark the page", `window.fristMarker = "queue", ""`)
	first := submitRequest(t, s.URL, "Lieferung fehlt", "Guten Tag, meine Lieferung zur Bestellung B-4711 ist nicht angekommen.")
	a.waitForWithin(liveTimeout, "new ticket in the open queue", fmt.Sprintf(`!!document.querySelector('table.queue a[href="/tickets/%s"]')`, first))
	if got := a.eval("marker after the update", `window.fristMarker || ""`); got != "queue" {
		a.fatalf("the queue was reloaded as a whole page, not updated in place")
	}

	// (b) The dashboard counts the next intake without a reload. The page
	// comes through the boosted navigation, as an agent opens it.
	a.click("open the dashboard", `.main-nav a[href="/dashboard"]`)
	a.waitFor("dashboard", `!!document.querySelector("table.dashboard tfoot")`)
	a.waitFor("dashboard's event stream", sseOpen)
	a.eval("mark the page", `window.fristMarker = "dashboard", ""`)
	const activeTotal = `Number(document.querySelector("table.dashboard tfoot td").innerText)`
	before := a.eval("active tickets before", `String(`+activeTotal+`)`)
	n, err := strconv.Atoi(before)
	if err != nil {
		a.fatalf("active tickets on the dashboard: %q is no number", before)
	}
	submitRequest(t, s.URL, "Anmeldung klappt nicht", "Guten Tag, ich kann mich seit gestern nicht mehr anmelden.")
	a.waitForWithin(liveTimeout, "dashboard counts the new ticket", fmt.Sprintf(`%s === %d`, activeTotal, n+1))
	if got := a.eval("marker after the update", `window.fristMarker || ""`); got != "dashboard" {
		a.fatalf("the dashboard was reloaded as a whole page, not updated in place")
	}
	a.shot("dashboard.png")

	// (c) Both agents open the first ticket: the administrator through the
	// boosted queue link, the second agent by its address. Each sees the
	// other; when the administrator types a reply, the other sees it.
	b := newBrowser(t, chrome, s.URL)
	bConsole := b.watchConsole()
	b.login(agentEmail, agentPassword)

	a.do("open the queue", chromedp.Navigate(a.base+"/queue"))
	a.click("open the ticket from the queue", fmt.Sprintf(`table.queue a[href="/tickets/%s"]`, first))
	a.waitFor("ticket page", `!!document.querySelector("#reply-body")`)
	a.waitFor("live collision warning", `document.querySelector("#presence").dataset.live === "1"`)

	b.do("open the same ticket", chromedp.Navigate(b.base+"/tickets/"+first))
	b.waitFor("ticket page", `!!document.querySelector("#reply-body")`)
	b.waitForWithin(liveTimeout, "the administrator is viewing",
		`document.querySelector("#presence li.presence-viewing").innerText.includes("Administrator hat dieses Ticket gerade geöffnet")`)
	a.waitForWithin(liveTimeout, "the second agent is viewing",
		fmt.Sprintf(`document.querySelector("#presence li.presence-viewing").innerText.includes(%q)`, agentName))
	b.waitFor("live collision warning", `document.querySelector("#presence").dataset.live === "1"`)
	if hidden := b.evalBool("warning shown", `document.querySelector("#presence").offsetParent === null`); hidden {
		b.fatalf("the collision warning holds a name but is not shown")
	}

	a.do("type a reply", chromedp.SendKeys(chromedp.ID("reply-body"), "Guten Tag, wir prüfen das."))
	b.waitForWithin(liveTimeout, "the administrator is replying",
		`document.querySelector("#presence li.presence-replying").innerText.includes("Administrator bearbeitet dieses Ticket gerade")`)

	// (d) The ticket page shows its SLA panel with a running clock.
	a.wantText("SLA panel", `section[aria-labelledby="sla-title"]`, "Servicelevel (SLA)")
	a.wantText("SLA policy", `section[aria-labelledby="sla-title"]`, "standard")
	a.waitFor("running SLA clock", `!!document.querySelector("dl.sla .badge.sla-running")`)
	a.shot("ticket-live.png")

	// The SLA report counts both tickets; its CSV answers as a download.
	a.click("open the SLA report", `.main-nav a[href="/reports/sla"]`)
	a.waitFor("SLA report", `!!document.querySelector("table.report")`)
	a.wantText("SLA report's total", "table.report tfoot", "2")
	csv := a.eval("CSV link", `document.querySelector('a[href*="csv"]').href`)
	got := a.evalAwait("fetch the CSV", fmt.Sprintf(
		`fetch(%q, {credentials: "same-origin"}).then(r => r.text().then(body => r.status + " " + r.headers.get("Content-Type") + "\n" + body))`, csv))
	status, body, _ := strings.Cut(got, "\n")
	if !strings.HasPrefix(status, "200 text/csv") {
		a.fatalf("CSV answers %q, want 200 text/csv", status)
	}
	if !strings.Contains(body, "Kundenservice") && !strings.Contains(body, "support") {
		a.fatalf("CSV holds no row of the support department:\n%s", truncate(body, 500))
	}
	a.shot("report-sla.png")

	// The admin previews answer with a result.
	a.do("preview an SLA", chromedp.Navigate(a.base+"/admin/sla?request_type=invoice_question&priority=normal&department=&at=2026-12-24T10:30"))
	a.wantText("SLA preview result", "#result-title", "")
	a.wantText("SLA preview policy", `section[aria-labelledby="result-title"]`, "billing")
	a.shot("admin-sla.png")
	a.do("preview a routing", chromedp.Navigate(a.base+"/admin/routing?request_type=complaint&language=de&subject=Erstattung&message=Bitte+erstatten+Sie+mir+das+Geld."))
	a.wantText("routing preview result", `section[aria-labelledby="result-title"]`, "refund")
	a.waitFor("matched rule marked", `!!document.querySelector("tr.matched")`)
	a.shot("admin-routing.png")

	// (e) No page broke the CSP or threw.
	aConsole.check(a)
	bConsole.check(b)
}

// submitRequest submits a general question through the API and returns
// its ticket number.
func submitRequest(t *testing.T, base, subject, message string) string {
	t.Helper()
	resp, out := post(t, base+"/api/v1/requests", intakeBody("2026-11-01", "erika.mustermann@example.org", subject, message))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("intake: %d %v", resp.StatusCode, out)
	}
	number, _ := out["ticket_number"].(string)
	if number == "" {
		t.Fatalf("intake answered no ticket number: %v", out)
	}
	return number
}

// login signs an agent in through the login form and waits for the queue.
func (b *browser) login(email, password string) {
	b.t.Helper()
	b.do("open the login page", chromedp.Navigate(b.base+"/login"))
	b.do("fill in the login form",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.click("log in", `form[action="/login"] button[type="submit"]`)
	b.waitFor("queue after login", `!!document.querySelector("h1") && location.pathname === "/queue"`)
}

// waitForWithin is waitFor with a tighter deadline, for what must arrive
// live.
func (b *browser) waitForWithin(d time.Duration, step, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	within := *b
	within.ctx = ctx
	within.waitFor(step, expr)
}

// evalAwait evaluates a JavaScript expression that gives a promise of a
// string.
func (b *browser) evalAwait(step, expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("%s: %v", step, err)
	}
	return v
}

// consoleWatch collects what a tab writes to its console: calls of the
// console API, uncaught exceptions and the browser's log, where Chromium
// reports Content-Security-Policy violations.
type consoleWatch struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// watchConsole starts collecting the tab's console messages until the test
// ends.
func (b *browser) watchConsole() *consoleWatch {
	w := &consoleWatch{}
	msgs := chromedp.Console(b.tab)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.msgs = append(w.msgs, m)
			w.mu.Unlock()
		}
	}()
	return w
}

// problems returns the collected CSP violations and uncaught exceptions.
func (w *consoleWatch) problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, m := range w.msgs {
		if m.IsException() || strings.Contains(strings.ToLower(m.Text), "content security policy") {
			out = append(out, fmt.Sprintf("%s (%s)", m, m.URL))
		}
	}
	return out
}

// reset forgets the messages collected so far.
func (w *consoleWatch) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = nil
}

// waitCSP waits until the console reported a CSP violation, proving that
// check would see one.
func (w *consoleWatch) waitCSP(b *browser) {
	b.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(w.problems()) == 0 {
		if time.Now().After(deadline) {
			b.fatalf("the console reported no CSP violation for an inline style; the console watch is blind")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// check fails the test on any CSP violation or uncaught exception.
func (w *consoleWatch) check(b *browser) {
	b.t.Helper()
	if p := w.problems(); len(p) > 0 {
		b.t.Errorf("the browser console reported %d problems:\n%s", len(p), strings.Join(p, "\n"))
	}
}
