package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserTimeout bounds the whole browser test, from starting Chromium to
// the last screenshot.
const browserTimeout = 2 * time.Minute

// browser drives one headless Chromium tab against a running server and
// turns every failed step into a readable test failure: the step's name,
// the error, the page's address and text, and a failure.png.
type browser struct {
	t    *testing.T
	ctx  context.Context // the tab's context, bounded by browserTimeout
	tab  context.Context // the tab's context without the deadline, for failure reports
	base string          // the server's URL
	dir  string          // where the screenshots go
}

// TestBrowser walks a customer and an agent through the real server in
// headless Chromium: a request with a validation error and its correction,
// the acknowledgement and the status page, the language switch, then the
// agent's login, queue, ticket, public reply, closing and search.
// Screenshots go to FRIST_SCREENSHOTS_DIR when set.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in short mode")
	}
	chrome := chromiumPath()
	if chrome == "" {
		t.Skip("skipping the browser test: no chromium, chromium-browser or google-chrome in PATH")
	}

	s := MustServe(t, "")
	m := regexp.MustCompile(`(?m)^\s*Password:\s+(\S+)\s*$`).FindStringSubmatch(s.Stdout.String())
	if m == nil {
		t.Fatalf("first start printed no admin password:\n%s", s.Stdout.String())
	}
	adminPassword := m[1]

	b := newBrowser(t, chrome, s.URL)

	const (
		name     = "Erika Mustermann"
		email    = "erika.mustermann@example.org"
		subject  = "Doppelte Abbuchung der Rechnung R-2026-0815"
		message  = "Guten Tag, die Rechnung R-2026-0815 wurde zweimal abgebucht. Bitte prüfen Sie das."
		customer = "K-1042"
		reply    = "Guten Tag Frau Mustermann, die Gutschrift ist gebucht."
	)

	// The customer chooses a request type; the form works without
	// JavaScript, so choosing is a plain link.
	b.do("open the request form", chromedp.Navigate(b.base+"/"))
	b.wantText("request form heading", "h1", "Anfrage stellen")
	b.shot("form.png")
	b.click("choose the invoice question", `a[href="/?type=invoice_question"]`)
	b.waitFor("form for the invoice question", `!!document.querySelector("#field_customer_number")`)
	b.wantText("chosen request type", ".chosen-type", "Frage zur Rechnung")

	// A wrong email address is refused next to the field, and the rest of
	// the input is kept.
	b.do("fill in the form with a wrong email address",
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("email"), "erika@"),
		chromedp.SendKeys(chromedp.ID("subject"), subject),
		chromedp.SendKeys(chromedp.ID("message"), message),
		chromedp.SendKeys(chromedp.ID("field_customer_number"), customer),
		chromedp.Click(chromedp.ID("consent_accepted")),
	)
	b.click("send the form with a wrong email address", `form[action="/requests"] button[type="submit"]`)
	b.waitFor("validation error", `!!document.querySelector("#email-error")`)
	fieldError := b.eval("error next to the email field",
		`document.querySelector("#email").closest(".field").querySelector(".error").innerText`)
	if !strings.HasPrefix(fieldError, "Bitte geben Sie eine gültige E-Mail-Adresse an") {
		b.fatalf("error next to the email field is %q", fieldError)
	}
	if got := b.eval("email field's description", `document.querySelector("#email").getAttribute("aria-describedby") || ""`); !strings.Contains(got, "email-error") {
		b.fatalf("the email field's aria-describedby %q does not name its error", got)
	}
	b.wantText("error summary", ".error-summary", "Bitte geben Sie eine gültige E-Mail-Adresse an")
	for id, want := range map[string]string{"name": name, "email": "erika@", "subject": subject, "message": message, "field_customer_number": customer} {
		if got := b.value("kept input "+id, id); got != want {
			b.fatalf("input %s after the validation error is %q, want %q", id, got, want)
		}
	}
	if !b.evalBool("kept consent", `document.querySelector("#consent_accepted").checked`) {
		b.fatalf("the consent box was unticked by the validation error")
	}
	b.shot("form-error.png")

	// The corrected request is acknowledged with its number, deadline and
	// status link.
	b.do("correct the email address",
		// Clear, not SetValue(""): chromedp v0.23.0's SetValue refuses
		// the empty string ("could not set value on node").
		chromedp.Clear(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
	)
	b.click("send the corrected form", `form[action="/requests"] button[type="submit"]`)
	b.waitFor("acknowledgement", `!!document.querySelector(".status-link a")`)
	b.wantText("acknowledgement heading", "h1", "Anfrage erhalten")
	number := b.eval("ticket number", `document.querySelector(".facts dd strong").innerText`)
	if !regexp.MustCompile(`^F-\d+$`).MatchString(number) {
		b.fatalf("ticket number %q does not look like F-100001", number)
	}
	due := b.eval("first-response deadline", `document.querySelectorAll("dl.facts dd")[1].innerText`)
	if !regexp.MustCompile(`\d`).MatchString(due) {
		b.fatalf("first-response deadline %q holds no date", due)
	}
	statusURL := b.eval("status link", `document.querySelector(".status-link a").href`)
	if !strings.HasPrefix(statusURL, b.base+"/t/") || len(statusURL) <= len(b.base+"/t/") {
		b.fatalf("status link %q is not %s/t/<secret>", statusURL, b.base)
	}
	b.shot("acknowledgement.png")

	// The status page shows the customer's own message.
	b.do("open the status link", chromedp.Navigate(statusURL))
	b.wantText("status page heading", "h1", number)
	b.wantText("status page conversation", ".conversation", message)
	b.wantText("status page subject", "dl.facts", subject)
	b.shot("status.png")

	// The language switch turns the form English and back.
	b.do("open the form again", chromedp.Navigate(b.base+"/"))
	b.click("switch to English", `.lang-nav a[hreflang="en"]`)
	b.waitFor("English form", `document.documentElement.lang === "en"`)
	b.wantText("English form heading", "h1", "Submit a request")
	b.wantText("English request types", ".type-list", "Invoice question")
	b.click("switch back to German", `.lang-nav a[hreflang="de"]`)
	b.waitFor("German form", `document.documentElement.lang === "de"`)
	b.wantText("German form heading", "h1", "Anfrage stellen")

	// The agent logs in and finds the ticket in the queue.
	b.do("open the login page", chromedp.Navigate(b.base+"/login"))
	b.wantText("login heading", "h1", "Anmeldung")
	b.shot("login.png")
	b.do("fill in the login form",
		chromedp.SendKeys(chromedp.ID("email"), firstAdminEmail),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
	)
	b.click("log in", `form[action="/login"] button[type="submit"]`)
	b.waitFor("queue", `!!document.querySelector("table.queue")`)
	b.wantText("queue heading", "h1", "Warteschlange")
	b.wantText("queue row", "table.queue", number)
	b.wantText("queue row subject", "table.queue", subject)
	b.shot("queue.png")

	// The ticket shows the customer's message; a public reply joins the
	// conversation.
	b.click("open the ticket", fmt.Sprintf(`table.queue a[href="/tickets/%s"]`, number))
	b.waitFor("ticket page", `!!document.querySelector("#reply-body")`)
	b.wantText("ticket heading", "h1", number)
	b.wantText("ticket conversation", ".conversation", message)
	b.wantText("ticket customer", ".ticket-side", name)
	b.do("write a public reply",
		chromedp.SendKeys(chromedp.ID("reply-body"), reply),
		chromedp.Click(chromedp.ID("vis-public")),
	)
	b.click("send the reply", `form[action$="/reply"] button[type="submit"]`)
	b.waitFor("reply in the conversation", fmt.Sprintf(
		`[...document.querySelectorAll(".conversation .message.from-agent .body")].some(e => e.innerText.includes(%q))`, reply))
	if got := b.value("reply field after sending", "reply-body"); got != "" {
		b.fatalf("reply field still holds %q after sending", got)
	}

	// Closing through the status form.
	b.do("choose the closed status", chromedp.SetValue(chromedp.ID("update-status"), "closed"))
	b.click("save the status", fmt.Sprintf(`form[action="/tickets/%s"] button[type="submit"]`, number))
	b.waitFor("closed status", `!!document.querySelector(".ticket-side .status.status-closed")`)
	b.wantText("closed status", ".ticket-side .status", "Geschlossen")
	b.shot("ticket.png")

	// Search finds the ticket by a word of its subject.
	b.do("open the search page", chromedp.Navigate(b.base+"/search"))
	b.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "Abbuchung"))
	b.click("search", `.search-form button[type="submit"]`)
	b.waitFor("search results", `!!document.querySelector(".results, #results-title")`)
	b.wantText("search result", ".results", number)
	b.shot("search.png")

	// The customer sees the agent's reply and the closed status.
	b.do("open the status link again", chromedp.Navigate(statusURL))
	b.wantText("reply on the status page", ".conversation", reply)
	b.wantText("closed on the status page", "dl.facts .status", "Geschlossen")
}

// chromiumPath returns the first Chromium or Chrome binary in PATH, or "".
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts headless Chromium with a fresh profile and opens a tab.
// The browser is stopped when the test ends.
func newBrowser(t *testing.T, chrome, base string) *browser {
	t.Helper()
	dir := os.Getenv("FRIST_SCREENSHOTS_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The allocator's deadline is a backstop that kills a browser which
	// hangs; the steps run under the tighter deadline below, so that a
	// failure report can still take a screenshot.
	deadline := time.Now().Add(browserTimeout)
	actx, cancelAlloc := context.WithDeadline(context.Background(), deadline.Add(30*time.Second))
	actx, cancelExec := chromedp.NewExecAllocator(actx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		// A German customer's browser: Frist follows Accept-Language, and
		// headless Chromium would otherwise ask for en-US.
		chromedp.Flag("lang", "de-DE"),
		chromedp.Flag("accept-lang", "de-DE,de"),
	)...)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelExec(); cancelAlloc() })
	// The first Run starts the browser; it must not run under the steps'
	// deadline, which would stop the whole browser.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	ctx, cancel := context.WithDeadline(tab, deadline)
	t.Cleanup(cancel)
	return &browser{t: t, ctx: ctx, tab: tab, base: base, dir: dir}
}

// do runs actions; step names them in a failure.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatalf("%s: %v", step, err)
	}
}

// click clicks the first visible element matching a CSS selector. The
// caller waits for what the click brings with waitFor.
func (b *browser) click(step, css string) {
	b.t.Helper()
	b.do(step, chromedp.Click(chromedp.CSS(css)))
}

// waitFor waits until a JavaScript expression is true. It re-evaluates
// across page loads and htmx swaps, which a single chromedp.Poll does not
// survive.
func (b *browser) waitFor(step, expr string) {
	b.t.Helper()
	var last error
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+expr+`) } catch (e) { return false } })()`))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err
		}
		select {
		case <-b.ctx.Done():
			b.fatalf("%s: timed out waiting for %s (last error: %v)", step, expr, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// wantText waits until the element matching a CSS selector is visible and
// its text holds want.
func (b *browser) wantText(step, css, want string) {
	b.t.Helper()
	b.do(step, chromedp.WaitVisible(chromedp.CSS(css)))
	got, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.fatalf("%s: %v", step, err)
	}
	if !strings.Contains(got, want) {
		b.fatalf("%s: %s shows %q, want it to hold %q", step, css, truncate(got, 500), want)
	}
}

// value returns the current value of the input with an id.
func (b *browser) value(step, id string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.fatalf("%s: %v", step, err)
	}
	return v
}

// eval evaluates a JavaScript expression that gives a string.
func (b *browser) eval(step, expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.fatalf("%s: %v", step, err)
	}
	return v
}

// evalBool evaluates a JavaScript expression that gives a boolean.
func (b *browser) evalBool(step, expr string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		b.fatalf("%s: %v", step, err)
	}
	return v
}

// shot saves a full-page PNG screenshot (quality 100 makes chromedp ask
// for PNG rather than JPEG).
func (b *browser) shot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// fatalf ends the test with the page's address and text, and saves
// failure.png. It uses the tab's context without the steps' deadline, so
// that it also reports a step that timed out.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.tab, 10*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Location())
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		text = fmt.Sprintf("(page text not available: %v)", err)
	}
	shot := "(no screenshot)"
	if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		p := filepath.Join(b.dir, "failure.png")
		if os.WriteFile(p, buf, 0o644) == nil {
			shot = p
		}
	}
	b.t.Fatalf("%s\npage %s (screenshot %s):\n%s", fmt.Sprintf(format, args...), where, shot, truncate(text, 2000))
}

// truncate shortens s to at most n runes.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
