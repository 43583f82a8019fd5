package server_test

import (
	"bufio"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"frist/internal/api"
	"frist/internal/auth"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/policy"
	"frist/internal/server"
	"frist/internal/ticket"
	"frist/internal/web"
)

// The trainee test. A ticket full of marker data — in the customer's name,
// address and phone number, in a form field of every category, an IBAN, a
// card, tax and social security numbers and places of birth in the message
// and a note, an attachment's name and content, tags and the history they
// leave — is read as a trainee through every route of the API's and the
// pages' route tables, with real path parameters, while live events stream
// and the ticket changes, with exports and searches for the markers. No
// response body or header may hold a marker. A route added to either table
// later must be added to calls, or the test fails.

// secrets are the marker data a trainee must never see, in any form but a
// pseudonym or a label.
var secrets = []string{
	"Xaverius", "Quendolin", // the customer's name, whole or in parts
	"xq.marker@example.org", // the customer's address
	"98765432",              // the phone number, as field and in text
	"QX-734591",             // the customer number (contact field, and a tag)
	"Zoltan", "Prewitz",     // a contact person (a contact field of the policy)
	"Zwirbelhausen", // the place of birth: field, message and a tag
	"1971-04-23", "23.04.1971",
	"VQ-55521",                    // an insurance number (a sensitive field of the policy)
	"DE89 3704 0044 0532 0130 00", // IBAN
	"DE89370400440532013000",
	"4111 1111", "4111 11**", "11** ****", // the card, stored truncated
	"756.9217.0769.85", // Swiss AHV number
	"86095742719",      // German tax ID
	"Klabusterfeld",    // a place of birth only a note names
	"Wolpertinger",     // the attachment's name and content
}

// visible is request content a trainee works with; the test checks that
// it is shown, so that it knows it reached the data.
var visible = []string{"Wolkenkratzerpanne", "RE-2026-4711", "GERAET-0815", "Vorgangsnotiz-Inhalt", "Notizmarke"}

// markerPolicy is the default policy with a request type that asks for a
// field of every category, the built-in ones and one more of each.
func markerPolicy(t *testing.T) []byte {
	t.Helper()
	src := string(policy.DefaultYAML())
	fields := `fields:
  - {id: contact_person, category: contact, purpose: request_handling, label: {de: Ansprechperson, en: Contact person}}
  - {id: insurance_number, category: sensitive, purpose: request_handling, label: {de: Versicherungsnummer, en: Insurance number}}
  - {id: device_id, category: technical, purpose: operation, label: {de: Gerätekennung, en: Device ID}}
  - {id: case_note, category: request_content, purpose: request_handling, label: {de: Vorgangsnotiz, en: Case note}}

request_types:
  - id: marker_case
    name: {de: Markerfall, en: Marker case}
    department: billing
    first_response: PT24H
    fields:
`
	for _, id := range []string{"customer_number", "phone", "contact_person", "invoice_number", "order_number", "contract_number", "product",
		"case_note", "device_id", "payment_method", "birthplace", "birth_date", "insurance_number"} {
		fields += "      - {id: " + id + "}\n"
	}
	if !strings.Contains(src, "\nrequest_types:\n") || strings.Contains(src, "\nfields:\n") {
		t.Fatal("the default policy changed shape: adapt markerPolicy")
	}
	return []byte(strings.Replace(src, "\nrequest_types:\n", "\n"+fields, 1))
}

// markerEnv is the installation under test.
type markerEnv struct {
	*desktest.Env
	srv                      *httptest.Server
	billing, officer, admin  *desk.Agent
	trainee                  *desk.Agent
	token                    string // the trainee's API token
	officerToken             string
	number                   string // the marker ticket
	attachmentID, holdID     int64
	statusSecret             string // the marker ticket's status link; a trainee never has it
	otherNumber, otherSecret string
}

func newMarkerEnv(t *testing.T) *markerEnv {
	t.Helper()
	ctx := context.Background()
	e := &markerEnv{Env: desktest.New(t)}
	if _, err := e.Desk.ApplyPolicy(ctx, markerPolicy(t)); err != nil {
		t.Fatal(err)
	}
	e.trainee = e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.billing = e.MustCreateAgent(t, "bert@example.org", "Bert Buchhaltung", auth.Agent, "billing")
	e.officer = e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)
	e.admin = e.MustCreateAgent(t, "adam@example.org", "Adam Admin", auth.Admin)
	var err error
	if e.token, err = e.Desk.CreateToken(ctx, "tom@example.org", "test"); err != nil {
		t.Fatal(err)
	}
	if e.officerToken, err = e.Desk.CreateToken(ctx, "dora@example.org", "test"); err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{BaseURL: "http://frist.test", MaxBodyBytes: 1 << 20, LoginRateLimit: 1000}
	h, err := server.Handler(cfg, e.Desk, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// seed submits the marker ticket and works it as an agent of its
// department: a note, a reply, tags, a status and priority change; and a
// privacy officer places a legal hold on it.
func (e *markerEnv) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	rc, err := e.Desk.SubmitRequest(ctx, desk.Request{
		RequestType: "marker_case", Name: "Xaverius Quendolin", Email: "xq.marker@example.org", Language: "de",
		Subject: "Rückerstattung für Xaverius Quendolin",
		Message: "Guten Tag, hier Xaverius Quendolin (xq.marker@example.org, Tel. 030 98765432). Meine Wolkenkratzerpanne: " +
			"bitte erstatten Sie auf IBAN DE89 3704 0044 0532 0130 00, die Karte 4111 1111 1111 1111 wurde doppelt belastet. " +
			"Geburtsort: Zwirbelhausen, Geburtsdatum: 23.04.1971. AHV 756.9217.0769.85, Steuer-ID 86095742719. Ansprechperson Zoltan Prewitz.",
		Fields: map[string]string{
			"customer_number": "QX-734591", "phone": "+49 30 98765432", "contact_person": "Zoltan Prewitz",
			"invoice_number": "RE-2026-4711", "order_number": "B-77", "contract_number": "V-88", "product": "Frist Cloud",
			"case_note": "Vorgangsnotiz-Inhalt", "device_id": "GERAET-0815", "payment_method": "direct_debit",
			"birthplace": "Zwirbelhausen", "birth_date": "1971-04-23", "insurance_number": "VQ-55521-ZZ",
		},
		Consent:     desk.ConsentInput{NoticeVersion: e.Desk.Policy().Notice.Version, Accepted: true},
		Attachments: []desk.Upload{{Name: "Wolpertinger-Beleg.txt", Data: []byte("Kontoauszug Wolpertinger")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := rc.Ticket.ID
	e.number, e.statusSecret = rc.Ticket.Number(), rc.StatusSecret
	steps := []func() error{
		func() error {
			_, err := e.Desk.Reply(ctx, e.billing, id, desk.ReplyInput{Internal: true,
				Body: "Notizmarke: Rückruf an Herrn Quendolin unter 030 98765432; Geburtsort: Klabusterfeld laut Ausweis."})
			return err
		},
		func() error {
			_, err := e.Desk.Reply(ctx, e.billing, id, desk.ReplyInput{Body: "Sehr geehrter Herr Quendolin, wir erstatten auf DE89 3704 0044 0532 0130 00."})
			return err
		},
		func() error {
			_, err := e.Desk.SetTags(ctx, e.billing, id, []string{"qx-734591", "zwirbelhausen", "erstattung"})
			return err
		},
		func() error {
			high, open := ticket.High, ticket.Open
			_, err := e.Desk.UpdateTicket(ctx, e.billing, id, desk.TicketUpdate{Priority: &high, Status: &open})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	v, err := e.Desk.Ticket(ctx, e.billing, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range v.Attachments {
		e.attachmentID = list[0].ID
	}
	h, err := e.Desk.PlaceHold(ctx, e.officer, desk.HoldTarget{TicketID: id}, "Prüfung der Erstattung")
	if err != nil {
		t.Fatal(err)
	}
	e.holdID = h.ID
	other, err := e.Desk.SubmitRequest(ctx, desk.Request{RequestType: "general_question", Name: "Erika Mustermann", Email: "erika@example.org",
		Subject: "Frage", Message: "Eine Frage ohne Marker.", Language: "de",
		Consent: desk.ConsentInput{NoticeVersion: e.Desk.Policy().Notice.Version, Accepted: true}})
	if err != nil {
		t.Fatal(err)
	}
	e.otherNumber, e.otherSecret = other.Ticket.Number(), other.StatusSecret
}

// request is one call of a route.
type request struct {
	method, path string
	json         string     // a JSON body
	form         url.Values // a form body
	echo         string     // a search query the page may repeat (the trainee's own input)
	logout       bool       // ends the session: run with a session of its own
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   string
}

// client calls the server as the trainee: with the API token, or with a
// browser session.
type client struct {
	t     *testing.T
	e     *markerEnv
	http  *http.Client
	token string
}

func (e *markerEnv) apiClient(t *testing.T, token string) *client {
	return &client{t: t, e: e, http: &http.Client{CheckRedirect: noRedirect}, token: token}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// browser signs in as email and keeps the session cookie.
func (e *markerEnv) browser(t *testing.T, email string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, e: e, http: &http.Client{Jar: jar, CheckRedirect: noRedirect}}
	if res := c.do(request{method: "POST", path: "/login", form: url.Values{"email": {email}, "password": {desktest.Password}}}); res.status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, res.status)
	}
	return c
}

func (c *client) do(r request) response {
	c.t.Helper()
	var body io.Reader
	ct := ""
	switch {
	case r.json != "":
		body, ct = strings.NewReader(r.json), "application/json"
	case r.form != nil:
		body, ct = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(r.method, c.e.srv.URL+r.path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// apiCalls says how to call each API route as the trainee.
func (e *markerEnv) apiCalls() map[string][]request {
	n, a, h := e.number, strconv.FormatInt(e.attachmentID, 10), strconv.FormatInt(e.holdID, 10)
	tk := "/api/v1/tickets/" + n
	calls := map[string][]request{
		"POST /api/v1/requests": {
			{method: "POST", path: "/api/v1/requests", json: `{"request_type":"general_question","name":"Erika Mustermann","email":"erika@example.org","subject":"Frage","message":"Nachricht","consent":{"notice_version":"2026-11-01","accepted":true}}`},
			{method: "POST", path: "/api/v1/requests", json: `{"request_type":"marker_case"}`},
		},
		"GET /api/v1/request-types":  {{method: "GET", path: "/api/v1/request-types"}},
		"GET /api/v1/privacy-notice": {{method: "GET", path: "/api/v1/privacy-notice"}},
		"GET /api/v1/tickets": {
			{method: "GET", path: "/api/v1/tickets"},
			{method: "GET", path: "/api/v1/tickets?status=new,open,waiting,resolved,closed&sort=newest"},
			{method: "GET", path: "/api/v1/tickets?restricted=include"},
		},
		"GET /api/v1/tickets/{number}": {{method: "GET", path: tk}},
		"PATCH /api/v1/tickets/{number}": {
			{method: "PATCH", path: tk, json: `{"priority":"urgent"}`},
			{method: "PATCH", path: tk, json: `{"tags":["bogus tag!"]}`},
		},
		"POST /api/v1/tickets/{number}/messages": {
			{method: "POST", path: tk + "/messages", json: `{"body":"Guten Tag, wir kümmern uns darum.","internal":true}`},
			{method: "POST", path: tk + "/messages", json: `{"body":""}`},
		},
		"POST /api/v1/tickets/{number}/reveal": {
			{method: "POST", path: tk + "/reveal", json: `{"category":"sensitive","reason":"Übung"}`},
			{method: "POST", path: tk + "/reveal", json: `{"category":"contact","reason":"Übung"}`},
			{method: "POST", path: tk + "/reveal", json: `{"category":"sensitive","field":"birthplace","reason":"Übung"}`},
		},
		"GET /api/v1/tickets/{number}/attachments/{id}": {{method: "GET", path: tk + "/attachments/" + a}},
		"GET /api/v1/events":                            nil, // streamed: see the live events part
		"POST /api/v1/tickets/{number}/presence":        {{method: "POST", path: tk + "/presence", json: `{"activity":"viewing"}`}},
		"GET /api/v1/dashboard":                         {{method: "GET", path: "/api/v1/dashboard"}},
		"GET /api/v1/dashboard/agents":                  {{method: "GET", path: "/api/v1/dashboard/agents"}},
		"GET /api/v1/reports/sla": {
			{method: "GET", path: "/api/v1/reports/sla"},
			{method: "GET", path: "/api/v1/reports/sla?format=csv"},
		},
		"POST /api/v1/routing/preview":             {{method: "POST", path: "/api/v1/routing/preview", json: `{}`}},
		"GET /api/v1/sla/preview":                  {{method: "GET", path: "/api/v1/sla/preview"}},
		"PUT /api/v1/me/availability":              {{method: "PUT", path: "/api/v1/me/availability", json: `{"available":true}`}},
		"GET /api/v1/users":                        {{method: "GET", path: "/api/v1/users"}},
		"PATCH /api/v1/users/{id}":                 {{method: "PATCH", path: "/api/v1/users/" + strconv.FormatInt(e.billing.ID, 10), json: `{"max_open":3}`}},
		"GET /api/v1/audit":                        {{method: "GET", path: "/api/v1/audit"}, {method: "GET", path: "/api/v1/audit?format=csv"}},
		"GET /api/v1/audit/verify":                 {{method: "GET", path: "/api/v1/audit/verify"}},
		"GET /api/v1/documents/deletion-concept":   {{method: "GET", path: "/api/v1/documents/deletion-concept"}},
		"GET /api/v1/retention/plan":               {{method: "GET", path: "/api/v1/retention/plan"}},
		"POST /api/v1/retention/run":               {{method: "POST", path: "/api/v1/retention/run"}},
		"GET /api/v1/retention/status":             {{method: "GET", path: "/api/v1/retention/status"}},
		"GET /api/v1/deletion-log":                 {{method: "GET", path: "/api/v1/deletion-log"}, {method: "GET", path: "/api/v1/deletion-log?format=csv"}},
		"GET /api/v1/legal-holds":                  {{method: "GET", path: "/api/v1/legal-holds"}},
		"POST /api/v1/legal-holds":                 {{method: "POST", path: "/api/v1/legal-holds", json: `{"ticket_number":"` + n + `","reason":"Übung"}`}},
		"POST /api/v1/legal-holds/{id}/lift":       {{method: "POST", path: "/api/v1/legal-holds/" + h + "/lift", json: `{"reason":"Übung"}`}},
		"GET /api/v1/tickets/{number}/legal-holds": {{method: "GET", path: tk + "/legal-holds"}},
		"GET /api/v1/processors":                   {{method: "GET", path: "/api/v1/processors"}},
		"POST /api/v1/processors":                  {{method: "POST", path: "/api/v1/processors", json: `{}`}},
		"GET /api/v1/processors/{id}":              {{method: "GET", path: "/api/v1/processors/beispiel_mail"}},
		"PUT /api/v1/processors/{id}":              {{method: "PUT", path: "/api/v1/processors/beispiel_mail", json: `{}`}},
		"DELETE /api/v1/processors/{id}":           {{method: "DELETE", path: "/api/v1/processors/beispiel_mail"}},
		"GET /api/v1/integrations":                 {{method: "GET", path: "/api/v1/integrations"}},
		"GET /api/v1/compliance":                   {{method: "GET", path: "/api/v1/compliance"}},
		"POST /api/v1/training/exports":            {{method: "POST", path: "/api/v1/training/exports", json: `{"tickets":["` + n + `"]}`}},
		"GET /metrics":                             {{method: "GET", path: "/metrics"}},
		"GET /api/v1/test-clock":                   {{method: "GET", path: "/api/v1/test-clock"}},
		"POST /api/v1/test-clock":                  {{method: "POST", path: "/api/v1/test-clock", json: `{"advance":"PT1H"}`}},
		"GET /api/v1/openapi.json":                 {{method: "GET", path: "/api/v1/openapi.json"}},
	}
	for _, q := range append(append([]string{}, secrets...), visible...) {
		calls["GET /api/v1/search"] = append(calls["GET /api/v1/search"], request{method: "GET", path: "/api/v1/search?q=" + url.QueryEscape(q), echo: q})
	}
	return calls
}

// pageCalls says how to call each page route as the trainee.
func (e *markerEnv) pageCalls() map[string][]request {
	n, a, h := e.number, strconv.FormatInt(e.attachmentID, 10), strconv.FormatInt(e.holdID, 10)
	tk := "/tickets/" + n
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	calls := map[string][]request{
		"GET /static/":     {{method: "GET", path: "/static/frist.css"}, {method: "GET", path: "/static/presence.js"}},
		"GET /lang/{lang}": {{method: "GET", path: "/lang/en?next=" + url.QueryEscape(tk)}},
		"GET /{$}":         {{method: "GET", path: "/"}},
		"POST /requests": {
			{method: "POST", path: "/requests", form: form("request_type", "general_question", "name", "Erika Mustermann", "email", "erika@example.org",
				"subject", "Frage", "message", "Nachricht", "language", "de", "notice_version", "2026-11-01", "consent_accepted", "yes")},
			{method: "POST", path: "/requests", form: form("request_type", "marker_case")},
		},
		// The customer's pages: the status link's secret is the
		// customer's, a trainee never has it.
		"GET /t/{secret}":                         {{method: "GET", path: "/t/not-a-secret"}},
		"POST /t/{secret}/reply":                  {{method: "POST", path: "/t/not-a-secret/reply", form: form("message", "x")}},
		"POST /t/{secret}/close":                  {{method: "POST", path: "/t/not-a-secret/close", form: form()}},
		"GET /t/{secret}/attachments/{aid}":       {{method: "GET", path: "/t/not-a-secret/attachments/" + a}},
		"GET /login":                              {{method: "GET", path: "/login"}},
		"POST /login":                             {{method: "POST", path: "/login", form: form("email", "tom@example.org", "password", "wrong password!!")}},
		"POST /logout":                            {{method: "POST", path: "/logout", form: form(), logout: true}},
		"GET /queue":                              {{method: "GET", path: "/queue"}, {method: "GET", path: "/queue?status=open&sort=newest"}, {method: "GET", path: "/queue?restricted=only"}},
		"GET /tickets/{number}":                   {{method: "GET", path: tk}, {method: "GET", path: tk + "?masked=payment_card"}},
		"POST /tickets/{number}":                  {{method: "POST", path: tk, form: form("status", "waiting", "priority", "high", "department", "billing", "assignee", "")}, {method: "POST", path: tk, form: form("status", "bogus")}},
		"POST /tickets/{number}/reply":            {{method: "POST", path: tk + "/reply", form: form("body", "Wir prüfen das.", "visibility", "internal")}, {method: "POST", path: tk + "/reply", form: form("body", "")}},
		"POST /tickets/{number}/tags":             {{method: "POST", path: tk + "/tags", form: form("tags", "erstattung")}, {method: "POST", path: tk + "/tags", form: form("tags", "Ungültig!")}},
		"POST /tickets/{number}/reveal":           {{method: "POST", path: tk + "/reveal", form: form("category", "sensitive", "reason", "Übung")}, {method: "POST", path: tk + "/reveal", form: form("category", "contact", "reason", "")}},
		"POST /tickets/{number}/holds":            {{method: "POST", path: tk + "/holds", form: form("reason", "Übung")}},
		"POST /tickets/{number}/holds/{id}/lift":  {{method: "POST", path: tk + "/holds/" + h + "/lift", form: form("reason", "Übung")}},
		"GET /tickets/{number}/attachments/{aid}": {{method: "GET", path: tk + "/attachments/" + a}},
		"POST /me/availability":                   {{method: "POST", path: "/me/availability", form: form("available", "1", "next", tk)}},
		"GET /dashboard":                          {{method: "GET", path: "/dashboard"}},
		"GET /reports/sla":                        {{method: "GET", path: "/reports/sla"}, {method: "GET", path: "/reports/sla?format=csv"}},
		"GET /admin":                              {{method: "GET", path: "/admin"}},
		"POST /admin/users":                       {{method: "POST", path: "/admin/users", form: form("email", "x@example.org")}},
		"GET /admin/users/{id}":                   {{method: "GET", path: "/admin/users/" + strconv.FormatInt(e.billing.ID, 10)}},
		"POST /admin/users/{id}":                  {{method: "POST", path: "/admin/users/" + strconv.FormatInt(e.billing.ID, 10), form: form("max_open", "3")}},
		"POST /admin/policy":                      {{method: "POST", path: "/admin/policy", form: form("policy", "x")}},
		"GET /admin/routing":                      {{method: "GET", path: "/admin/routing"}},
		"GET /admin/sla":                          {{method: "GET", path: "/admin/sla"}},
		"GET /admin/documents/deletion-concept":   {{method: "GET", path: "/admin/documents/deletion-concept"}},
		"GET /admin/processors":                   {{method: "GET", path: "/admin/processors"}},
		"GET /admin/processors/new":               {{method: "GET", path: "/admin/processors/new"}},
		"POST /admin/processors":                  {{method: "POST", path: "/admin/processors", form: form("id", "x")}},
		"GET /admin/processors/{id}":              {{method: "GET", path: "/admin/processors/beispiel_mail"}},
		"POST /admin/processors/{id}":             {{method: "POST", path: "/admin/processors/beispiel_mail", form: form("provider", "x")}},
		"POST /admin/processors/{id}/delete":      {{method: "POST", path: "/admin/processors/beispiel_mail/delete", form: form()}},
		"GET /admin/training":                     {{method: "GET", path: "/admin/training"}},
		"POST /admin/training":                    {{method: "POST", path: "/admin/training", form: form("tickets", n)}},
		"GET /privacy/audit":                      {{method: "GET", path: "/privacy/audit"}, {method: "GET", path: "/privacy/audit?format=csv"}},
		"GET /privacy/audit/verify":               {{method: "GET", path: "/privacy/audit/verify"}},
		"GET /privacy":                            {{method: "GET", path: "/privacy"}},
		"POST /privacy/run":                       {{method: "POST", path: "/privacy/run", form: form()}},
		"GET /privacy/plan":                       {{method: "GET", path: "/privacy/plan"}},
		"GET /privacy/deletion-log":               {{method: "GET", path: "/privacy/deletion-log"}, {method: "GET", path: "/privacy/deletion-log?format=csv"}},
		"GET /privacy/holds":                      {{method: "GET", path: "/privacy/holds"}},
		"POST /privacy/holds":                     {{method: "POST", path: "/privacy/holds", form: form("email", "xq.marker@example.org", "reason", "Übung")}},
		"POST /privacy/holds/{id}/lift":           {{method: "POST", path: "/privacy/holds/" + h + "/lift", form: form("reason", "Übung")}},
		"/":                                       {{method: "GET", path: "/no-such-page"}, {method: "GET", path: "/tickets/F-999999"}},
	}
	for _, q := range append(append([]string{}, secrets...), visible...) {
		calls["GET /search"] = append(calls["GET /search"], request{method: "GET", path: "/search?q=" + url.QueryEscape(q), echo: q})
	}
	return calls
}

// leaks returns the secrets a response holds, and the text it looked at.
// A search page may repeat the trainee's own query in its search boxes
// and its links to itself; those places are removed first, nothing else.
func leaks(res response, echo string) ([]string, string) {
	var b strings.Builder
	b.WriteString(res.body)
	for k, vs := range res.header {
		b.WriteString("\n" + k + ": " + strings.Join(vs, ", "))
	}
	text := b.String()
	if echo != "" {
		text = strings.ReplaceAll(text, `value="`+html.EscapeString(echo)+`"`, "")
		text = regexp.MustCompile(`href="/lang/[^"]*"|name="next" value="[^"]*"`).ReplaceAllString(text, "")
	}
	lower := strings.ToLower(text)
	var out []string
	for _, s := range secrets {
		if strings.Contains(lower, strings.ToLower(s)) {
			out = append(out, s)
		}
	}
	return out, text
}

// pseudonymCode finds the codes of the pseudonyms a page shows: "Kunde
// 7F3A9C", "Customer 7F3A9C", "kunde-7f3a9c@example.invalid".
var pseudonymCode = regexp.MustCompile(`(?:Kunde|Customer|Agent|Mitarbeiter/in) ([0-9A-F]{6})\b|kunde-([0-9a-f]{6})@example\.invalid`)

// foundByPseudonym reports whether every word of the query q begins the
// code of a pseudonym that text shows. A trainee's search matches words
// by their beginning in the masked text, so a query such as "11" finds a
// ticket whose customer is "Kunde 11A3F2" (the codes come from a random
// key): found through what the trainee is shown, not through a secret.
func foundByPseudonym(text, q string) bool {
	var codes []string
	for _, m := range pseudonymCode.FindAllStringSubmatch(text, -1) {
		codes = append(codes, strings.ToLower(m[1]+m[2]))
	}
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		if !slices.ContainsFunc(codes, func(c string) bool { return strings.HasPrefix(c, w) }) {
			return false
		}
	}
	return len(words) > 0
}

func TestFoundByPseudonym(t *testing.T) {
	for _, c := range []struct {
		text, q string
		want    bool
	}{
		{`<td>Kunde 11A3F2</td>`, "11** ****", true},
		{`{"name":"Customer 11A3F2"}`, "11a3", true},
		{`kunde-11a3f2@example.invalid`, "11", true},
		{`<td>Kunde 7F3A9C</td>`, "11** ****", false},
		{`<td>Kunde 11A3F2</td>`, "4111 11**", false}, // 4111 begins no code
		{`<td>4111 11** **** 1111</td>`, "11", false}, // not a pseudonym
		{`<td>Kunde 11A3F2</td>`, "**", false},
	} {
		if got := foundByPseudonym(c.text, c.q); got != c.want {
			t.Errorf("foundByPseudonym(%q, %q) = %v", c.text, c.q, got)
		}
	}
}

// around returns the text around the first occurrence of s, for the
// failure message.
func around(body, s string) string {
	i := strings.Index(strings.ToLower(body), strings.ToLower(s))
	if i < 0 {
		return ""
	}
	return body[max(0, i-120):min(len(body), i+len(s)+120)]
}

func TestTraineeSeesNoMarker(t *testing.T) {
	t.Parallel()
	e := newMarkerEnv(t)

	// Live events while the ticket is created and worked.
	stream := e.events(t, e.token)
	e.seed(t)

	// Sanity: the markers are there for a privacy officer, so the test
	// could fail.
	officer := e.apiClient(t, e.officerToken)
	if res := officer.do(request{method: "GET", path: "/api/v1/tickets/" + e.number}); res.status != 200 {
		t.Fatalf("the privacy officer's ticket: %d", res.status)
	} else if found, _ := leaks(res, ""); len(found) < 15 {
		t.Fatalf("the privacy officer does not see the marker data, only %v", found)
	}

	traineeAPI := e.apiClient(t, e.token)
	traineeWeb := e.browser(t, "tom@example.org")

	// The trainee sees the ticket and its request content, masked.
	res := traineeWeb.do(request{method: "GET", path: "/tickets/" + e.number})
	for _, want := range append(append([]string{}, visible...), "Übungsansicht: Daten pseudonymisiert", "[IBAN]", "[Geburtsort]", "[Zahlungsart]", "[Versicherungsnummer]", "[Ansprechperson]", "Kunde ") {
		if !strings.Contains(res.body, want) {
			t.Errorf("the trainee's ticket page lacks %q", want)
		}
	}

	check := func(kind, pattern string, calls map[string][]request, c func() *client) {
		for _, r := range calls[pattern] {
			cl := c()
			if r.logout {
				cl = e.browser(t, "tom@example.org")
			}
			res := cl.do(r)
			if res.status >= 500 {
				t.Errorf("%s %s %s: status %d", kind, r.method, r.path, res.status)
			}
			found, text := leaks(res, r.echo)
			for _, s := range found {
				t.Errorf("%s %s %s (%d) shows %q: …%s…", kind, r.method, r.path, res.status, s, around(text, s))
			}
			if r.echo != "" && strings.Contains(res.body, `"/tickets/`+e.number+`"`) && !slices.Contains(visible, r.echo) && !foundByPseudonym(text, r.echo) {
				t.Errorf("%s search for %q finds the marker ticket", kind, r.echo)
			}
		}
	}

	apiCalls := e.apiCalls()
	var apiRoutes []string
	for _, ep := range api.New(api.Options{}).Endpoints() {
		apiRoutes = append(apiRoutes, ep.Method+" "+ep.Path)
	}
	for _, p := range apiRoutes {
		if _, ok := apiCalls[p]; !ok {
			t.Errorf("API route %s: the test does not know how to call it; add it to apiCalls", p)
			continue
		}
		check("API", p, apiCalls, func() *client { return traineeAPI })
	}
	h, err := web.New(web.Options{Desk: e.Desk})
	if err != nil {
		t.Fatal(err)
	}
	pageCalls := e.pageCalls()
	patterns := h.Patterns()
	sort.SliceStable(patterns, func(i, j int) bool { return patterns[j] == "POST /logout" }) // last: it ends the session
	for _, p := range patterns {
		if _, ok := pageCalls[p]; !ok {
			t.Errorf("page route %s: the test does not know how to call it; add it to pageCalls", p)
			continue
		}
		check("page", p, pageCalls, func() *client { return traineeWeb })
	}
	for p := range apiCalls {
		if !slices.Contains(apiRoutes, p) {
			t.Errorf("apiCalls has %s, which the route table does not: remove it", p)
		}
	}
	for p := range pageCalls {
		if !slices.Contains(patterns, p) {
			t.Errorf("pageCalls has %s, which the route table does not: remove it", p)
		}
	}

	// The searches for what the trainee sees find the ticket.
	if res := traineeAPI.do(request{method: "GET", path: "/api/v1/search?q=Wolkenkratzerpanne"}); !strings.Contains(res.body, e.number) {
		t.Errorf("the trainee's search for request content does not find the ticket: %s", res.body)
	}

	// A second change while the stream runs, then the events are read.
	if _, err := e.Desk.Reply(context.Background(), e.billing, e.ticketID(t), desk.ReplyInput{Body: "Noch einmal, Herr Quendolin: Geburtsort Zwirbelhausen bestätigt."}); err != nil {
		t.Fatal(err)
	}
	events := stream.stop(t, "ticket.updated")
	if !strings.Contains(events, "event: ticket.created") || !strings.Contains(events, "event: ticket.presence") {
		t.Errorf("the stream did not carry the ticket's events:\n%s", events)
	}
	found, _ := leaks(response{body: events}, "")
	for _, s := range found {
		t.Errorf("a live event shows %q: …%s…", s, around(events, s))
	}

	// The markers' categories stay masked in the trainee's view after
	// everything the trainee did.
	res = traineeAPI.do(request{method: "GET", path: "/api/v1/tickets/" + e.number})
	if !strings.Contains(res.body, `"id":"payment_method","label":"Zahlungsart","category":"sensitive","value":"[Zahlungsart]","masked":true`) ||
		!strings.Contains(res.body, `"masking":{"customer":"masked","content":"visible","masked":["contact","sensitive"],"reveal":[],"audited":[],"attachments":false}`) {
		t.Errorf("the trainee's ticket JSON: %s", res.body)
	}
}

func (e *markerEnv) ticketID(t *testing.T) int64 {
	id, err := ticket.ParseNumber(e.number)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// eventStream reads a live event stream in the background.
type eventStream struct {
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	buf    strings.Builder
}

// events opens the event stream with the token.
func (e *markerEnv) events(t *testing.T, token string) *eventStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		cancel()
		t.Fatalf("event stream: %d", res.StatusCode)
	}
	s := &eventStream{cancel: cancel, done: make(chan struct{})}
	t.Cleanup(cancel)
	go func() {
		defer close(s.done)
		defer res.Body.Close()
		r := bufio.NewReader(res.Body)
		for {
			line, err := r.ReadString('\n')
			s.mu.Lock()
			s.buf.WriteString(line)
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// stop waits until the stream has carried an event of the kind after the
// last one read so far, at most five seconds, then ends it and returns
// what it carried.
func (s *eventStream) stop(t *testing.T, kind string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		n := strings.Count(s.buf.String(), "event: "+kind)
		s.mu.Unlock()
		if n >= 4 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.cancel()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
