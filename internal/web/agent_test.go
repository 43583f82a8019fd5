package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/ticket"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)

	t.Run("QueueRequiresLogin", func(t *testing.T) {
		b := e.browser(t)
		res := b.get("/queue?status=open")
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?next="+url.QueryEscape("/queue?status=open") {
			t.Fatalf("got %d %q", res.status, res.header.Get("Location"))
		}
		res = b.do("GET", "/queue", nil, "HX-Request", "true")
		if res.header.Get("HX-Redirect") != "/login?next=%2Fqueue" {
			t.Errorf("HX-Redirect = %q", res.header.Get("HX-Redirect"))
		}
		for _, p := range []string{"/tickets/F-100001", "/search?q=x", "/admin"} {
			if res := b.get(p); res.status != http.StatusSeeOther {
				t.Errorf("%s: status %d", p, res.status)
			}
		}
		if res := b.post("/tickets/F-100001/reply", url.Values{"body": {"x"}}); res.status != http.StatusSeeOther {
			t.Errorf("reply without login: %d", res.status)
		}
	})
	t.Run("Form", func(t *testing.T) {
		check(t, e.browser(t).get("/login?next=/search"), 200,
			[]string{`<label for="email">`, `autocomplete="current-password"`, `name="next" value="/search"`}, nil)
	})
	for _, tc := range []struct {
		name, email, password, next string
		status                      int
		location                    string
	}{
		{"WrongPassword", "anna@example.org", "wrong password!!", "", 401, ""},
		{"UnknownEmail", "nobody@example.org", "correct horse battery staple", "", 401, ""},
		{"OK", "anna@example.org", "correct horse battery staple", "", 303, "/queue"},
		{"OKNext", "anna@example.org", "correct horse battery staple", "/search?q=x", 303, "/search?q=x"},
		{"OKUnsafeNext", "anna@example.org", "correct horse battery staple", "//evil.example/", 303, "/queue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser(t)
			res := b.post("/login", url.Values{"email": {tc.email}, "password": {tc.password}, "next": {tc.next}})
			if res.status != tc.status {
				t.Fatalf("status = %d, want %d", res.status, tc.status)
			}
			if tc.status == 401 {
				check(t, res, 401, []string{"E-Mail-Adresse oder Passwort ist falsch."}, []string{tc.password})
				return
			}
			if loc := res.header.Get("Location"); loc != tc.location {
				t.Errorf("Location = %q, want %q", loc, tc.location)
			}
			cookie := res.header.Get("Set-Cookie")
			for _, want := range []string{"frist_session=", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"} {
				if !strings.Contains(cookie, want) {
					t.Errorf("cookie %q lacks %q", cookie, want)
				}
			}
			check(t, b.get("/queue"), 200, []string{"Warteschlange", "Angemeldet als Anna Agentin", `action="/logout"`, `hx-boost="true"`, "Testuhr aktiv"}, []string{`href="/admin"`})
			// Logout ends the session.
			res = b.post("/logout", url.Values{})
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login" {
				t.Fatalf("logout: %d %q", res.status, res.header.Get("Location"))
			}
			if res := b.get("/queue"); res.status != http.StatusSeeOther {
				t.Errorf("queue after logout: %d", res.status)
			}
		})
	}
}

func TestQueue(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	anna := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.MustCreateAgent(t, "bert@example.org", "Bert Buchhaltung", auth.Agent, "billing")
	for i := range 60 {
		r := e.Request("general_question")
		r.Subject = fmt.Sprintf("Allgemein %02d", i)
		e.MustSubmit(t, r)
	}
	r := e.Request("invoice_question")
	r.Subject = "Rechnung " + xss
	inv := e.MustSubmit(t, r)
	if _, err := e.Desk.UpdateTicket(context.Background(), anna, inv.Ticket.ID, desk.TicketUpdate{AssigneeID: &anna.ID}); err != nil {
		t.Fatal(err)
	}

	b := e.browser(t)
	b.login("anna@example.org")
	rowRE := regexp.MustCompile(`<td><a href="/tickets/(F-\d+)">`)
	t.Run("Paging", func(t *testing.T) {
		seen := map[string]bool{}
		path := "/queue?sort=oldest"
		pages := 0
		for path != "" {
			res := b.get(path)
			if res.status != 200 {
				t.Fatalf("%s: %d", path, res.status)
			}
			for _, m := range rowRE.FindAllStringSubmatch(res.body, -1) {
				if seen[m[1]] {
					t.Errorf("%s twice", m[1])
				}
				seen[m[1]] = true
			}
			pages++
			next := regexp.MustCompile(`<a href="(/queue\?[^"]*)" rel="next">Nächste Seite</a>`).FindStringSubmatch(res.body)
			path = ""
			if next != nil {
				path = strings.ReplaceAll(next[1], "&amp;", "&")
				if !strings.Contains(path, "sort=oldest") || !strings.Contains(path, "cursor=") {
					t.Errorf("next link loses filters: %s", path)
				}
			}
			if pages > 5 {
				t.Fatal("paging does not end")
			}
		}
		if len(seen) != 61 || pages != 2 {
			t.Errorf("saw %d tickets on %d pages, want 61 on 2", len(seen), pages)
		}
	})
	for _, tc := range []struct {
		name   string
		path   string
		status int
		want   []string
		not    []string
	}{
		{"Default", "/queue", 200, []string{"Allgemein 00", "Kundenservice", "Neu", "Normal", "Erika Mustermann", "Uhr (M", `<option value="mine">`}, nil},
		{"Escaped", "/queue?department=billing", 200, []string{"Rechnung " + xssEscaped, "Anna Agentin", `<option value="billing" selected>`}, []string{xss, "Allgemein 00"}},
		{"Mine", "/queue?assignee=mine", 200, []string{inv.Ticket.Number()}, []string{"Allgemein 00"}},
		{"Unassigned", "/queue?assignee=unassigned&department=billing", 200, []string{"Keine Tickets gefunden."}, nil},
		{"Closed", "/queue?status=closed", 200, []string{"Keine Tickets gefunden."}, nil},
		{"BadStatus", "/queue?status=bogus", 422, []string{"Status: Bitte wählen Sie"}, nil},
		{"BadCursor", "/queue?cursor=abc", 422, []string{"Diese Seite der Liste ist ungültig"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, b.get(tc.path), tc.status, tc.want, tc.not)
		})
	}
	t.Run("DepartmentsRespected", func(t *testing.T) {
		bb := e.browser(t)
		bb.login("bert@example.org")
		check(t, bb.get("/queue"), 200, []string{inv.Ticket.Number()}, []string{"Allgemein 00", `<option value="support"`})
		// A ticket of another department is not found.
		res := bb.get("/tickets/" + ticket.FormatNumber(1))
		check(t, res, 404, []string{"Nicht gefunden"}, []string{"Allgemein"})
	})
}

func TestTicketPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	anna := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent, "billing")
	e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.MustCreateAgent(t, "gina@example.org", "Gina Generalistin", auth.Agent)
	r := e.Request("invoice_question")
	r.Subject = xss
	r.Message = "Nachricht " + xss
	r.Fields["payment_method"] = "direct_debit"
	r.Consent.Purposes = []string{"satisfaction_survey"}
	rc := e.MustSubmit(t, r)
	path := "/tickets/" + rc.Ticket.Number()
	b := e.browser(t)
	b.login("anna@example.org")

	check(t, b.get(path), 200, []string{
		xssEscaped, "Nachricht " + xssEscaped, "Erika Mustermann", "erika.mustermann@example.org",
		"Kundennummer", "K-1042", "Zahlungsart", "Lastschrift", "Besonders schützenswert", "Kontaktdaten",
		"2026-11-01", "Zufriedenheitsumfrage", "erteilt", "Erstellt",
		`action="` + path + `/reply"`, `name="visibility" value="internal"`, `<option value="resolved">Gelöst</option>`,
		`<option value="` + fmt.Sprint(anna.ID) + `">Anna Agentin</option>`,
	}, []string{xss})

	for _, tc := range []struct {
		name    string
		path    string
		form    url.Values
		status  int
		then    []string
		thenNot []string
	}{
		{"InternalNote", path + "/reply", url.Values{"body": {"Bitte Buchhaltung fragen"}, "visibility": {"internal"}}, 303,
			[]string{"Interne Notiz", "Bitte Buchhaltung fragen", "In Bearbeitung"}, nil},
		{"PublicReply", path + "/reply", url.Values{"body": {"Sehr geehrte Frau Mustermann"}, "visibility": {"public"}}, 303,
			[]string{"Öffentliche Antwort", "Sehr geehrte Frau Mustermann", "Wartet auf Kunden", "Erste Antwort"}, nil},
		{"EmptyReply", path + "/reply", url.Values{"body": {""}, "visibility": {"public"}}, 422,
			[]string{"Bitte füllen Sie dieses Feld aus.", `href="#reply-body"`}, nil},
		{"ReplyForbiddenStatus", path + "/reply", url.Values{"body": {"Text bleibt"}, "status": {"new"}}, 422,
			[]string{"Dieser Statuswechsel ist nicht erlaubt.", "Text bleibt"}, nil},
		{"Update", path, url.Values{"status": {"resolved"}, "priority": {"urgent"}, "department": {"billing"}, "assignee": {fmt.Sprint(anna.ID)}}, 303,
			[]string{`<span class="status status-resolved">Gelöst</span>`, `<span class="priority priority-urgent">Dringend</span>`, "Wartet auf Kunden → Gelöst", "Normal → Dringend"}, nil},
		{"ForbiddenTransition", path, url.Values{"status": {"waiting"}}, 422,
			[]string{"Dieser Statuswechsel ist nicht erlaubt.", `id="update-status-error"`, `href="#update-status"`}, nil},
		{"BadPriority", path, url.Values{"priority": {"bogus"}}, 422, []string{"Bitte wählen Sie eine der angebotenen Möglichkeiten."}, nil},
		{"Unassign", path, url.Values{"assignee": {""}}, 303, []string{"Anna Agentin → niemand"}, nil},
		{"UnknownTicket", "/tickets/F-999999/reply", url.Values{"body": {"x"}}, 404, nil, nil},
		{"BadNumber", "/tickets/xyz", url.Values{"status": {"open"}}, 404, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(tc.path, tc.form)
			if res.status != tc.status {
				t.Fatalf("status = %d, want %d\n%s", res.status, tc.status, res.body)
			}
			if tc.status == 303 {
				if loc := res.header.Get("Location"); loc != path {
					t.Fatalf("Location = %q", loc)
				}
				res = b.get(path)
			}
			check(t, res, res.status, tc.then, append(tc.thenNot, xss))
		})
	}
	t.Run("TraineeSeesSensitiveMasked", func(t *testing.T) {
		tb := e.browser(t)
		tb.login("tom@example.org")
		check(t, tb.get(path), 200, []string{
			"Übungsansicht: Daten pseudonymisiert", `<span class="masked">[Zahlungsart]</span> <span class="badge">verdeckt</span>`,
			`<span class="masked">[Kundennummer]</span>`, "Kunde ", "@example.invalid", "Für Ihre Rolle verdeckt: Kontaktdaten (als Pseudonym",
		}, []string{"Lastschrift", "K-1042", "Erika", "erika.mustermann@example.org", `action="` + path + `/reveal"`})
		check(t, tb.post(path+"/reveal", url.Values{"category": {"sensitive"}, "reason": {"Neugier"}}), 403, nil, []string{"Lastschrift"})
	})
	t.Run("RevealWithReason", func(t *testing.T) {
		gb := e.browser(t)
		gb.login("gina@example.org")
		check(t, gb.get(path), 200, []string{"[Zahlungsart]", `action="` + path + `/reveal"`, `name="reason"`, "Erika Mustermann"},
			[]string{"Lastschrift", "Übungsansicht"})
		check(t, gb.post(path+"/reveal", url.Values{"category": {"sensitive"}, "reason": {""}}), 422,
			[]string{`id="reveal-sensitive-error"`, `href="#reveal-sensitive-reason"`, "Bitte füllen Sie dieses Feld aus."}, []string{"Lastschrift"})
		check(t, gb.post(path+"/reveal", url.Values{"category": {"sensitive"}, "reason": {"Rückruf Frau Mustermann"}}), 422,
			[]string{"darf keine personenbezogenen Daten enthalten", `value="Rückruf Frau Mustermann"`}, []string{"Lastschrift"})
		res := gb.post(path+"/reveal", url.Values{"category": {"sensitive"}, "field": {"payment_method"}, "reason": {"Rückbuchung prüfen"}})
		check(t, res, 200, []string{"Lastschrift", "Aufgedeckt und im Audit-Protokoll vermerkt: Zahlungsart."}, nil)
		if res.header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control = %q", res.header.Get("Cache-Control"))
		}
		// Revealing is for this view only.
		check(t, gb.get(path), 200, []string{"[Zahlungsart]"}, []string{"Lastschrift"})
	})
	t.Run("English", func(t *testing.T) {
		b.lang = "en"
		defer func() { b.lang = "" }()
		check(t, b.get(path), 200, []string{"Internal note", "Payment method", "Sensitive"}, nil)
	})
	t.Run("NotFound", func(t *testing.T) {
		check(t, b.get("/tickets/F-999999"), 404, []string{"Nicht gefunden"}, nil)
	})
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.MustCreateAgent(t, "bert@example.org", "Bert Buchhaltung", auth.Agent, "billing")
	r := e.Request("general_question")
	r.Subject = "Lieferung"
	r.Message = strings.Repeat("Einleitung ohne Bedeutung. ", 20) + "Mein Paket mit der Waschmaschine kam beschädigt an " + xss + ". " + strings.Repeat("Weiterer Text. ", 20)
	general := e.MustSubmit(t, r)
	r = e.Request("invoice_question")
	r.Subject = "Rechnung doppelt"
	r.Message = "Die Waschmaschine wurde zweimal berechnet."
	invoice := e.MustSubmit(t, r)

	anna := e.browser(t)
	anna.login("anna@example.org")
	bert := e.browser(t)
	bert.login("bert@example.org")
	for _, tc := range []struct {
		name   string
		b      *browser
		path   string
		status int
		want   []string
		not    []string
	}{
		{"Form", anna, "/search", 200, []string{`<input type="search" id="q" name="q" value=""`}, []string{"Ergebnisse"}},
		{"Word", anna, "/search?q=waschmaschine", 200,
			[]string{general.Ticket.Number(), invoice.Ticket.Number(), "<mark>Waschmaschine</mark>", "beschädigt an " + xssEscaped, "…", `value="waschmaschine"`},
			[]string{xss, "Einleitung ohne Bedeutung. Einleitung ohne Bedeutung. Einleitung ohne Bedeutung. Einleitung ohne Bedeutung. Einleitung ohne Bedeutung. Einleitung ohne Bedeutung. Einleitung ohne Bedeutung. Einleitung ohne Bedeutung."}},
		{"NoMatch", anna, "/search?q=quantencomputer", 200, []string{"Keine Treffer."}, nil},
		{"Departments", bert, "/search?q=waschmaschine", 200, []string{invoice.Ticket.Number()}, []string{general.Ticket.Number()}},
		{"OnlySymbols", anna, "/search?q=%2B%2B%2B", 422, []string{"Bitte füllen Sie dieses Feld aus."}, nil},
		{"BadCursor", anna, "/search?q=waschmaschine&cursor=abc", 422, []string{"Diese Seite der Liste ist ungültig"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.b.get(tc.path), tc.status, tc.want, tc.not)
		})
	}
}

func TestAdmin(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	admin := e.browser(t)
	admin.login("ada@example.org")
	agent := e.browser(t)
	agent.login("anna@example.org")

	t.Run("AgentForbidden", func(t *testing.T) {
		check(t, agent.get("/admin"), 403, []string{"Kein Zugriff"}, []string{"Konto anlegen"})
		check(t, agent.post("/admin/users", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"admin"}}), 403, nil, nil)
		check(t, agent.post("/admin/policy", url.Values{"policy": {"x"}}), 403, nil, nil)
	})
	t.Run("Page", func(t *testing.T) {
		check(t, admin.get("/admin"), 200, []string{`href="/admin"`, "Ada Admin", "anna@example.org", "Konto anlegen",
			`<option value="privacy-officer">`, `name="departments" value="billing"`, "privacy_notice:", `<textarea id="policy" name="policy"`}, nil)
	})
	t.Run("CreateUser", func(t *testing.T) {
		res := admin.post("/admin/users", url.Values{"email": {"neu@example.org"}, "name": {"Nina Neu"}, "role": {"agent"}, "departments": {"billing", "support"}})
		check(t, res, 200, []string{"Konto für Nina Neu angelegt", `<code class="secret">`, "Buchhaltung, Kundenservice"}, nil)
		pw := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(res.body)
		if pw == nil {
			t.Fatal("no password shown")
		}
		if _, _, err := e.Desk.Login(context.Background(), "neu@example.org", pw[1]); err != nil {
			t.Errorf("login with shown password: %v", err)
		}
	})
	t.Run("CreateUserInvalid", func(t *testing.T) {
		res := admin.post("/admin/users", url.Values{"email": {"kaputt"}, "name": {xss}, "role": {"boss"}})
		check(t, res, 422, []string{"Bitte geben Sie eine gültige E-Mail-Adresse an", `href="#user-role"`, `value="kaputt"`, xssEscaped}, []string{xss, `<code class="secret">`})
		res = admin.post("/admin/users", url.Values{"email": {"anna@example.org"}, "name": {"Anna Zwei"}, "role": {"agent"}})
		check(t, res, 409, []string{"Für diese E-Mail-Adresse gibt es schon ein Konto."}, []string{`<code class="secret">`})
	})
	t.Run("PolicyInvalid", func(t *testing.T) {
		before, _ := e.Desk.ExportPolicy(context.Background())
		res := admin.post("/admin/policy", url.Values{"policy": {"organisation:\n  name: Kaputt\ndepartments: []\n"}})
		check(t, res, 422, []string{"Die Richtlinie wurde nicht übernommen:", "departments", "Kaputt"}, nil)
		after, _ := e.Desk.ExportPolicy(context.Background())
		if string(before) != string(after) || e.Desk.Policy().Organisation.Name != "Beispiel GmbH" {
			t.Error("an invalid policy changed the policy")
		}
	})
	t.Run("PolicyValid", func(t *testing.T) {
		body, _ := e.Desk.ExportPolicy(context.Background())
		changed := strings.Replace(string(body), "name: Beispiel GmbH", "name: Muster AG", 1)
		res := admin.post("/admin/policy", url.Values{"policy": {changed}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/admin?applied=1" {
			t.Fatalf("apply: %d %q", res.status, res.header.Get("Location"))
		}
		if got := e.Desk.Policy().Organisation.Name; got != "Muster AG" {
			t.Errorf("organisation = %q", got)
		}
		check(t, admin.get("/admin?applied=1"), 200, []string{"Die neue Richtlinie ist in Kraft.", "Muster AG"}, nil)
		check(t, e.browser(t).get("/"), 200, []string{"Muster AG"}, nil)
	})
}

// TestSecureCookie checks the __Host- prefix and Secure flag when the
// server is reached over HTTPS.
func TestSecureCookie(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	h, err := New(Options{Desk: e.Desk, BaseURL: "https://help.example.org", Secure: true})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	form := url.Values{"email": {"anna@example.org"}, "password": {"correct horse battery staple"}}
	req := httptest.NewRequest("POST", "https://help.example.org/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("status %d, cookies %v", rec.Code, cookies)
	}
	c := cookies[0]
	if c.Name != "__Host-frist_session" || !c.Secure || !c.HttpOnly || c.Path != "/" {
		t.Errorf("cookie = %+v", c)
	}
	// The cookie signs the agent in.
	req = httptest.NewRequest("GET", "https://help.example.org/queue", nil)
	req.AddCookie(c)
	if a := h.Agent(req); a == nil || a.Email != "anna@example.org" {
		t.Errorf("Agent = %v", a)
	}
}
