package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"frist/internal/attachment"
	"frist/internal/auth"
	"frist/internal/config"
	"frist/internal/desk/desktest"
	"frist/internal/store"
)

// env is a desk behind Frist's whole HTTP handler, with a token per role.
type env struct {
	*desktest.Env
	srv    *httptest.Server
	tokens map[string]string // role name → bearer token
	log    *bytes.Buffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{Env: desktest.New(t), tokens: map[string]string{}, log: &bytes.Buffer{}}
	ctx := context.Background()
	for name, acc := range map[string]struct {
		role auth.Role
		deps []string
	}{
		"admin":   {auth.Admin, nil},
		"agent":   {auth.Agent, []string{"support", "billing", "technical"}}, // a member of every department: sees their sensitive data
		"trainee": {auth.Trainee, nil},
		"billing": {auth.Agent, []string{"billing"}},
	} {
		email := name + "@example.org"
		e.MustCreateAgent(t, email, "Max "+name, acc.role, acc.deps...)
		tok, err := e.Desk.CreateToken(ctx, email, "test")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = tok
	}
	cfg := config.Config{BaseURL: "http://frist.test", MaxBodyBytes: 64 << 10, LoginRateLimit: 1000}
	h, err := serverHandler(cfg, e, slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// call sends a request as who ("" for nobody) and returns status, header
// and body.
func (e *env) call(t *testing.T, who, method, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// count returns the number of tickets in the database.
func (e *env) count(t *testing.T) int {
	t.Helper()
	var n int
	err := e.DB.Read(context.Background(), func(tx *store.Tx) error {
		counts, err := tx.CountTickets(nil)
		for _, c := range counts {
			n += c
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// intake returns an intake body; change edits its map first.
func intake(change func(m map[string]any)) string {
	m := map[string]any{
		"request_type": "invoice_question",
		"name":         "Erika Mustermann",
		"email":        "erika.mustermann@example.org",
		"subject":      "Rechnung 2026-117",
		"message":      "Guten Tag, auf meiner Rechnung fehlt die Gutschrift.",
		"fields":       map[string]any{"customer_number": "K-1042"},
		"consent":      map[string]any{"notice_version": "2026-11-01", "accepted": true, "purposes": []string{"satisfaction_survey"}},
	}
	if change != nil {
		change(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestRequestCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC))

	status, h, body := e.call(t, "", "POST", "/api/v1/requests", intake(nil))
	if status != 201 {
		t.Fatalf("status %d: %s", status, body)
	}
	var rc struct {
		TicketNumber     string `json:"ticket_number"`
		FirstResponseDue string `json:"first_response_due"`
		StatusURL        string `json:"status_url"`
		Deletion         struct {
			Rule        *string `json:"rule"`
			Due         *string `json:"due"`
			Explanation string  `json:"explanation"`
		} `json:"deletion"`
	}
	if err := json.Unmarshal([]byte(body), &rc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rc.TicketNumber, "F-") || h.Get("Location") != "/api/v1/tickets/"+rc.TicketNumber {
		t.Errorf("receipt %+v, Location %q", rc, h.Get("Location"))
	}
	due, err := time.Parse(time.RFC3339, rc.FirstResponseDue)
	if err != nil || !strings.HasSuffix(rc.FirstResponseDue, "+01:00") || !due.After(e.Desk.Now()) {
		t.Errorf("first_response_due %q (%v) is not a future time in Europe/Berlin", rc.FirstResponseDue, err)
	}
	if !strings.HasPrefix(rc.StatusURL, "http://frist.test/t/") || rc.Deletion.Explanation == "" || rc.Deletion.Rule == nil || *rc.Deletion.Rule != "invoice_questions" || rc.Deletion.Due != nil {
		t.Errorf("receipt %+v", rc)
	}

	// The agent sees the ticket with its field and the consent record.
	status, _, body = e.call(t, "agent", "GET", "/api/v1/tickets/"+rc.TicketNumber, "")
	for _, want := range []string{`"customer_number"`, `"K-1042"`, `"satisfaction_survey","granted":true`, `"notice_version":"2026-11-01"`} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("ticket lacks %s: %d %s", want, status, body)
		}
	}

	// Bad input: a clear 4xx, nothing stored.
	before := e.count(t)
	for _, tc := range []struct {
		name   string
		body   string
		header []string
		status int
		want   []string
	}{
		{"WithoutConsent", intake(func(m map[string]any) {
			m["consent"] = map[string]any{"notice_version": "2026-11-01", "accepted": false}
		}), nil, 422, []string{`"field":"consent.accepted"`, `"code":"notice_required"`}},
		{"OutdatedNotice", intake(func(m map[string]any) {
			m["consent"] = map[string]any{"notice_version": "2020-01-01", "accepted": true}
		}), nil, 422, []string{`"code":"notice_outdated"`}},
		{"BadEmail", intake(func(m map[string]any) { m["email"] = "erika@" }), nil, 422, []string{`"field":"email","code":"invalid_email","message":"Bitte geben Sie eine gültige E-Mail-Adresse an`}},
		{"EnglishMessages", intake(func(m map[string]any) { m["email"] = "erika@" }), []string{"Accept-Language", "en-GB,en;q=0.8"}, 422, []string{`"message":"Please enter a valid email address`}},
		{"MissingRequired", intake(func(m map[string]any) { delete(m, "name"); m["fields"] = map[string]any{} }), nil, 422, []string{`"field":"name","code":"required"`, `"field":"fields.customer_number","code":"required"`}},
		{"UndeclaredField", intake(func(m map[string]any) {
			m["fields"] = map[string]any{"customer_number": "K-1042", "birth_date": "1964-08-12"}
		}), nil, 422, []string{`"field":"fields.birth_date","code":"unknown_field"`}},
		{"UnknownType", intake(func(m map[string]any) { m["request_type"] = "pizza_order" }), nil, 422, []string{`"code":"unknown_request_type"`}},
		{"UnknownPurpose", intake(func(m map[string]any) {
			m["consent"] = map[string]any{"notice_version": "2026-11-01", "accepted": true, "purposes": []string{"marketing"}}
		}), nil, 422, []string{`"code":"unknown_purpose"`}},
		{"UnknownKey", intake(func(m map[string]any) { m["ip_address"] = "192.0.2.1" }), nil, 400, []string{`"field":"ip_address","code":"unknown_key"`}},
		{"WrongType", intake(func(m map[string]any) { m["subject"] = 42 }), nil, 400, []string{`"field":"subject","code":"invalid_type"`}},
		{"Malformed", `{"request_type": "general_question",`, nil, 400, []string{`"code":"malformed"`}},
		{"TwoObjects", intake(nil) + intake(nil), nil, 400, []string{`"code":"malformed"`}},
		{"Empty", " ", nil, 400, []string{`"code":"malformed"`}},
		{"WrongContentType", intake(nil), []string{"Content-Type", "text/plain"}, 415, []string{`"code":"unsupported"`}},
		// Over the intake's limit, which fits the attachment limits in base64.
		{"TooLarge", intake(func(m map[string]any) { m["message"] = strings.Repeat("Rechnung ", attachment.MaxRequestBytes/9+1) }), nil, 413, []string{`"status":413`}},
		{"TooLong", intake(func(m map[string]any) { m["subject"] = strings.Repeat("x", 1000) }), nil, 422, []string{`"field":"subject","code":"too_long"`}},
		{"ControlCharacters", intake(func(m map[string]any) { m["name"] = "Erika\x00Mustermann" }), nil, 422, []string{`"field":"name","code":"invalid_characters"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := e.call(t, "", "POST", "/api/v1/requests", tc.body, tc.header...)
			if status != tc.status {
				t.Errorf("status %d, want %d: %s", status, tc.status, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s:\n%s", w, body)
				}
			}
			for _, secret := range []string{"erika@", "1964-08-12", "192.0.2.1", "pizza_order"} {
				if strings.Contains(body, secret) {
					t.Errorf("problem repeats the input %q: %s", secret, body)
				}
			}
		})
	}
	if after := e.count(t); after != before {
		t.Errorf("bad requests stored tickets: %d → %d", before, after)
	}

	t.Run("ScriptStaysText", func(t *testing.T) {
		const script = `<script>alert("x")</script>`
		status, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) { m["subject"] = script }))
		if status != 201 {
			t.Fatalf("status %d: %s", status, body)
		}
		_, _, body = e.call(t, "agent", "GET", "/api/v1/tickets?sort=newest&limit=1", "")
		if strings.Contains(body, "<script>") || !strings.Contains(body, `\u003cscript\u003e`) {
			t.Errorf("script is not escaped in JSON: %s", body)
		}
	})
}

func TestPublicReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name, path, lang string
		want             []string
	}{
		{"RequestTypesGerman", "/api/v1/request-types", "", []string{`"id":"invoice_question"`, `"name":"Frage zur Rechnung"`, `"id":"customer_number"`, `"category":"contact"`, `"purpose":"billing"`, `"core":true`}},
		{"RequestTypesEnglish", "/api/v1/request-types", "en", []string{`"name":"Invoice question"`}},
		{"NoticeGerman", "/api/v1/privacy-notice", "de", []string{`"version":"2026-11-01"`, `"language":"de"`, `"hash":"`, `"id":"satisfaction_survey"`}},
		{"NoticeEnglish", "/api/v1/privacy-notice", "en", []string{`"language":"en"`}},
		{"OpenAPI", "/api/v1/openapi.json", "", []string{`"openapi": "3.1.0"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := e.call(t, "", "GET", tc.path, "", "Accept-Language", tc.lang)
			if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d %q: %s", status, h.Get("Content-Type"), body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s:\n%.600s", w, body)
				}
			}
		})
	}
}

func TestTickets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	inv := e.MustSubmit(t, e.Request("invoice_question")).Ticket.Number()
	gen := e.MustSubmit(t, e.Request("general_question")).Ticket.Number()
	r := e.Request("technical_problem")
	r.Subject, r.Message = "Zeppelinwerft meldet Fehler", "Die Anmeldung schlägt fehl."
	tech := e.MustSubmit(t, r).Ticket.Number()
	_ = ctx

	for _, tc := range []struct {
		name, who, method, path, body string
		status                        int
		want, forbid                  []string
	}{
		{"ListNeedsAuth", "", "GET", "/api/v1/tickets", "", 401, []string{`"code":"unauthorized"`}, nil},
		{"ListAll", "agent", "GET", "/api/v1/tickets", "", 200, []string{inv, gen, tech, `"next_cursor":""`}, nil},
		{"ListDepartment", "agent", "GET", "/api/v1/tickets?department=billing", "", 200, []string{inv}, []string{gen, tech}},
		{"ListOnlyOwnDepartments", "billing", "GET", "/api/v1/tickets", "", 200, []string{inv}, []string{gen, tech}},
		{"ListUnassigned", "agent", "GET", "/api/v1/tickets?assignee=unassigned&status=new,open", "", 200, []string{inv, gen}, nil},
		{"ListBadStatus", "agent", "GET", "/api/v1/tickets?status=lost", "", 422, []string{`"field":"status"`}, nil},
		{"ListBadSort", "agent", "GET", "/api/v1/tickets?sort=random", "", 422, []string{`"field":"sort"`}, nil},
		{"ListBadLimit", "agent", "GET", "/api/v1/tickets?limit=1000", "", 422, []string{`"field":"limit"`}, nil},
		{"ListBadCursor", "agent", "GET", "/api/v1/tickets?cursor=garbage", "", 422, []string{`"field":"cursor","code":"invalid_cursor"`}, nil},
		{"ListUnknownParam", "agent", "GET", "/api/v1/tickets?departement=billing", "", 422, []string{`"field":"departement","code":"unknown_key"`}, nil},
		{"BadToken", "", "GET", "/api/v1/tickets", "", 401, nil, nil},
		{"ShowOtherDepartment", "billing", "GET", "/api/v1/tickets/" + gen, "", 404, []string{`"code":"not_found"`}, nil},
		{"ShowMalformedNumber", "agent", "GET", "/api/v1/tickets/x", "", 404, nil, nil},
		{"ShowTraineeMasked", "trainee", "GET", "/api/v1/tickets/" + inv, "", 200, []string{`"customer_number"`}, nil},
		{"PatchBadStatus", "agent", "PATCH", "/api/v1/tickets/" + gen, `{"status": "closed", "priority": "cosmic"}`, 422, []string{`"field":"priority"`}, nil},
		{"PatchUnknownAssignee", "agent", "PATCH", "/api/v1/tickets/" + gen, `{"assignee_id": 999}`, 422, []string{`"field":"assignee"`}, nil},
		{"PatchUnknownKey", "agent", "PATCH", "/api/v1/tickets/" + gen, `{"colour": "red"}`, 400, []string{`"code":"unknown_key"`}, nil},
		{"MessageEmpty", "agent", "POST", "/api/v1/tickets/" + gen + "/messages", `{"body": "  "}`, 422, []string{`"field":"body","code":"required"`}, nil},
		{"SearchRare", "agent", "GET", "/api/v1/search?q=zeppelinwerft", "", 200, []string{tech}, []string{inv}},
		{"SearchPermissions", "billing", "GET", "/api/v1/search?q=zeppelinwerft", "", 200, []string{`"items":[]`}, []string{tech}},
		{"SearchEmpty", "agent", "GET", "/api/v1/search?q=", "", 422, []string{`"field":"q","code":"required"`}, nil},
		{"MethodNotAllowed", "agent", "DELETE", "/api/v1/tickets/" + gen, "", 405, []string{`"code":"method_not_allowed"`}, nil},
		{"NoSuchEndpoint", "agent", "GET", "/api/v1/nothing", "", 404, []string{`"code":"not_found"`}, nil},
		{"ClockAgentMayRead", "agent", "GET", "/api/v1/test-clock", "", 200, []string{`"test_clock":true`}, nil},
		{"ClockAgentMayNotSet", "agent", "POST", "/api/v1/test-clock", `{"advance": "P1D"}`, 403, []string{`"code":"forbidden"`}, nil},
		{"ClockBadPeriod", "admin", "POST", "/api/v1/test-clock", `{"advance": "two weeks"}`, 422, []string{`"field":"advance"`}, nil},
		{"ClockBackwards", "admin", "POST", "/api/v1/test-clock", `{"now": "2001-01-01T00:00:00Z"}`, 422, []string{`"code":"in_past"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			who := tc.who
			if tc.name == "BadToken" {
				header = []string{"Authorization", "Bearer frist_wrong"}
			}
			status, _, body := e.call(t, who, tc.method, tc.path, tc.body, header...)
			if status != tc.status {
				t.Errorf("status %d, want %d: %s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s:\n%.800s", w, body)
				}
			}
			for _, f := range tc.forbid {
				if strings.Contains(body, f) {
					t.Errorf("body holds %s:\n%.800s", f, body)
				}
			}
		})
	}

	t.Run("TraineeMasksSensitive", func(t *testing.T) {
		r := e.Request("invoice_question")
		r.Fields["payment_method"] = "card"
		n := e.MustSubmit(t, r).Ticket.Number()
		_, _, body := e.call(t, "trainee", "GET", "/api/v1/tickets/"+n, "")
		if !strings.Contains(body, `"id":"payment_method","label":"Zahlungsart","category":"sensitive","value":"[Zahlungsart]","masked":true`) {
			t.Errorf("sensitive field not masked for trainees: %s", body)
		}
		_, _, body = e.call(t, "agent", "GET", "/api/v1/tickets/"+n, "")
		if !strings.Contains(body, `"id":"payment_method","label":"Zahlungsart","category":"sensitive","value":"card","masked":false`) {
			t.Errorf("agent does not see the field: %s", body)
		}
	})

	t.Run("WorkToClosure", func(t *testing.T) {
		status, _, body := e.call(t, "agent", "PATCH", "/api/v1/tickets/"+gen, `{"priority": "high", "department": "technical", "assignee_id": null}`)
		if status != 200 || !strings.Contains(body, `"priority":"high"`) || !strings.Contains(body, `"department":"technical"`) {
			t.Fatalf("patch: %d %s", status, body)
		}
		status, _, body = e.call(t, "agent", "POST", "/api/v1/tickets/"+gen+"/messages", `{"body": "Interne Notiz", "internal": true}`)
		if status != 201 || !strings.Contains(body, `"visibility":"internal"`) {
			t.Fatalf("note: %d %s", status, body)
		}
		status, _, body = e.call(t, "agent", "POST", "/api/v1/tickets/"+gen+"/messages", `{"body": "Guten Tag Frau Mustermann, erledigt."}`)
		if status != 201 || !strings.Contains(body, `"agent_name":"Max agent"`) {
			t.Fatalf("reply: %d %s", status, body)
		}
		status, _, body = e.call(t, "agent", "PATCH", "/api/v1/tickets/"+gen, `{"status": "closed"}`)
		if status != 200 || !strings.Contains(body, `"status":"closed"`) || !strings.Contains(body, `"closed_at":"20`) {
			t.Fatalf("close: %d %s", status, body)
		}
		status, _, body2 := e.call(t, "agent", "PATCH", "/api/v1/tickets/"+gen, `{"status": "waiting"}`)
		if status != 422 || !strings.Contains(body2, `"code":"invalid_transition"`) {
			t.Errorf("closed → waiting: %d %s", status, body2)
		}
		for _, w := range []string{`"field":"priority","from":"normal","to":"high"`, `"field":"status","from":"waiting","to":"closed"`, `"first_response_at":"20`, `"assignee":{"id":`} {
			if !strings.Contains(body, w) {
				t.Errorf("detail lacks %s: %s", w, body)
			}
		}
	})

	t.Run("Paging", func(t *testing.T) {
		seen := map[string]bool{}
		cursor := ""
		for page := 0; page < 10; page++ {
			_, _, body := e.call(t, "agent", "GET", "/api/v1/tickets?status=new,open,waiting,resolved,closed&limit=2&cursor="+cursor, "")
			var l struct {
				Items []struct {
					Number string `json:"number"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			if err := json.Unmarshal([]byte(body), &l); err != nil {
				t.Fatal(body)
			}
			for _, it := range l.Items {
				if seen[it.Number] {
					t.Errorf("ticket %s on two pages", it.Number)
				}
				seen[it.Number] = true
			}
			if cursor = l.NextCursor; cursor == "" {
				break
			}
		}
		if n := e.count(t); len(seen) != n {
			t.Errorf("paged through %d of %d tickets", len(seen), n)
		}
	})

	t.Run("TestClock", func(t *testing.T) {
		before := e.Desk.Now()
		status, _, body := e.call(t, "admin", "POST", "/api/v1/test-clock", `{"advance": "P14D"}`)
		if status != 200 || e.Desk.Now().Sub(before) < 14*24*time.Hour {
			t.Errorf("advance: %d %s", status, body)
		}
	})

	t.Run("SessionCookieNeedsSameOrigin", func(t *testing.T) {
		// A cross-site browser request is refused before it reaches the API.
		status, _, _ := e.call(t, "agent", "POST", "/api/v1/tickets/"+gen+"/messages", `{"body": "x"}`, "Sec-Fetch-Site", "cross-site")
		if status != http.StatusForbidden {
			t.Errorf("cross-site POST: %d", status)
		}
	})

	t.Run("NoPersonalDataInLog", func(t *testing.T) {
		for _, secret := range []string{"erika.mustermann@example.org", "Mustermann", "Zeppelinwerft", "K-1042"} {
			if strings.Contains(e.log.String(), secret) {
				t.Errorf("log holds %q", secret)
			}
		}
	})
}

func TestEventStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	open := func(who string) <-chan string {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/events", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("stream: %v %v", resp, err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		lines := make(chan string, 100)
		go func() {
			defer close(lines)
			buf := make([]byte, 4096)
			var rest string
			for {
				n, err := resp.Body.Read(buf)
				rest += string(buf[:n])
				for i := strings.IndexByte(rest, '\n'); i >= 0; i = strings.IndexByte(rest, '\n') {
					lines <- rest[:i]
					rest = rest[i+1:]
				}
				if err != nil {
					return
				}
			}
		}()
		return lines
	}
	next := func(lines <-chan string, prefix string) string {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case l := <-lines:
				if strings.HasPrefix(l, prefix) {
					return l
				}
			case <-timeout:
				return ""
			}
		}
	}
	all, billing := open("agent"), open("billing")
	time.Sleep(100 * time.Millisecond) // both subscribed
	e.MustSubmit(t, e.Request("general_question"))
	e.MustSubmit(t, e.Request("invoice_question"))
	if l := next(all, "event: "); l != "event: ticket.created" {
		t.Errorf("agent's stream: %q", l)
	}
	data := next(billing, "data: ")
	if !strings.Contains(data, `"department":"billing"`) || strings.Contains(data, "Mustermann") || strings.Contains(data, "@example.org") {
		t.Errorf("billing stream got %q; want only the billing ticket, without personal data", data)
	}
}
