package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"frist/internal/policy"
)

// previewRules are routing rules and a billing SLA policy on the default
// policy's office calendar (Mon–Thu 08:00–17:00, Fri 08:00–16:00,
// Bavarian holidays).
const (
	previewRules = `routing:
  - id: outage
    name: Störungen
    when: {words: [ausfall, outage]}
    department: technical
    priority: urgent
  - id: english
    name: English speakers
    when: {languages: [en]}
    department: support
    skills: ["lang:en"]

`
	previewBilling = `    - id: billing
      name: Buchhaltung
      when: {departments: [billing]}
      calendar: office
      first_response: PT4H
      next_response: PT8H
      resolution: PT16H
    - id: standard
`
)

// applyPreviewPolicy puts the default policy with previewRules and
// previewBilling in force.
func applyPreviewPolicy(t *testing.T, e *env) {
	t.Helper()
	src := string(policy.DefaultYAML())
	for _, r := range []struct{ old, new string }{
		{"\nrequest_types:", "\n" + previewRules + "request_types:"},
		{"    - id: standard\n", previewBilling},
	} {
		if !strings.Contains(src, r.old) {
			t.Fatalf("default policy lacks %q", r.old)
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	if _, err := e.Desk.ApplyPolicy(context.Background(), []byte(src)); err != nil {
		t.Fatal(err)
	}
}

func TestRoutingPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	applyPreviewPolicy(t, e)
	// Friday 27 November 2026, 14:00 in Berlin.
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	const secret = "Zeppelinwerft"
	for _, tc := range []struct {
		name, who, body string
		header          []string
		status          int
		want            []string
	}{
		{"RuleMatches", "admin", `{"request_type": "general_question", "subject": "Totaler Ausfall", "message": "` + secret + `", "language": "de"}`, nil, 200, []string{
			`"rule":{"id":"outage","name":"Störungen"}`, `"department":"technical"`, `"priority":"urgent"`, `"reason":"rule outage (Störungen)"`,
			`"policy":{"id":"urgent","name":"Dringend / Urgent"}`, `"calendar":"24x7"`,
			`{"target":"first_response","duration":"PT2H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-11-27T16:00:00+01:00","warn":"2026-11-27T15:36:00+01:00"}`,
		}},
		{"DefaultDepartment", "admin", `{"request_type": "invoice_question", "language": "de", "fields": {"customer_number": "K-1042"}}`, nil, 200, []string{
			`"rule":null`, `"department":"billing"`, `"priority":"normal"`, `"skills":[]`, `"reason":"request type's department"`,
			`"policy":{"id":"billing","name":"Buchhaltung"}`, `"calendar":"office"`, `"time_zone":"Europe/Berlin"`, `"warn_at":80`, `"open":true`,
			// 2 h until Friday 16:00, then Monday.
			`{"target":"first_response","duration":"PT4H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-11-30T10:00:00+01:00","warn":"2026-11-30T09:12:00+01:00"}`,
			`"target":"next_response","duration":"PT8H","from":"customer_reply"`,
			`"target":"resolution","duration":"PT16H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-12-01T13:00:00+01:00"`,
		}},
		{"LanguageFromHeader", "admin", `{"request_type": "technical_problem"}`, []string{"Accept-Language", "en"}, 200, []string{
			`"rule":{"id":"english"`, `"department":"support"`, `"priority":"high"`, `"skills":["lang:en"]`,
		}},
		{"GivenPriority", "admin", `{"request_type": "general_question", "priority": "urgent"}`, nil, 200, []string{
			`"rule":null`, `"department":"support"`, `"priority":"urgent"`, `"policy":{"id":"urgent"`,
		}},
		{"BadInput", "admin", `{"request_type": "pizza_order", "subject": "` + secret + `", "priority": "asap", "language": "fr"}`, nil, 422, []string{
			`"code":"invalid"`, `"field":"request_type","code":"unknown_request_type"`, `"field":"priority","code":"invalid_option"`, `"field":"language","code":"invalid_option"`,
		}},
		{"MissingType", "admin", `{}`, nil, 422, []string{`"field":"request_type","code":"required"`}},
		{"UndeclaredField", "admin", `{"request_type": "general_question", "fields": {"birth_date": "1964-08-12"}}`, []string{"Accept-Language", "en"}, 422, []string{
			`"field":"fields.birth_date","code":"unknown_field","message":"This field is not part of this request type."`,
		}},
		{"BadFieldValue", "admin", `{"request_type": "invoice_question", "fields": {"payment_method": "bitcoin"}}`, nil, 422, []string{`"field":"fields.payment_method","code":"invalid_option"`}},
		{"UnknownKey", "admin", `{"request_type": "general_question", "email": "erika@example.org"}`, nil, 400, []string{`"field":"email","code":"unknown_key"`}},
		{"Agent", "agent", `{"request_type": "general_question"}`, nil, 403, []string{`"code":"forbidden"`}},
		{"Anonymous", "", `{"request_type": "general_question"}`, nil, 401, []string{`"code":"unauthorized"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := e.call(t, tc.who, "POST", "/api/v1/routing/preview", tc.body, tc.header...)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if status >= 400 && !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s:\n%s", w, body)
				}
			}
			if strings.Contains(body, secret) || strings.Contains(body, "pizza") || strings.Contains(body, "bitcoin") {
				t.Errorf("the answer repeats the input:\n%s", body)
			}
		})
	}
	if n := e.count(t); n != 0 {
		t.Errorf("%d tickets stored by previews", n)
	}
	if strings.Contains(e.log.String(), secret) {
		t.Errorf("the request's text reached the log:\n%s", e.log)
	}
}

func TestSLAPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	applyPreviewPolicy(t, e)
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return "/api/v1/sla/preview?" + v.Encode()
	}
	for _, tc := range []struct {
		name, who, path string
		status          int
		want            []string
	}{
		{"FridayAfternoon", "admin", q("request_type", "invoice_question", "at", "2026-11-27T14:00:00+01:00"), 200, []string{
			`"request_type":"invoice_question"`, `"department":"billing"`, `"priority":"normal"`, `"at":"2026-11-27T14:00:00+01:00"`,
			`"policy":{"id":"billing","name":"Buchhaltung"}`, `"calendar":"office"`, `"time_zone":"Europe/Berlin"`, `"warn_at":80`,
			`"open":true`, `"next_open":"2026-11-27T14:00:00+01:00"`,
			`"target":"first_response","duration":"PT4H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-11-30T10:00:00+01:00"`,
			// 2 h on Friday, 6 h on Monday.
			`"target":"next_response","duration":"PT8H","from":"customer_reply","start":"2026-11-27T14:00:00+01:00","due":"2026-11-30T14:00:00+01:00"`,
			`"target":"resolution","duration":"PT16H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-12-01T13:00:00+01:00","warn":"2026-12-01T09:48:00+01:00"`,
		}},
		{"ClosedOnSaturday", "admin", q("request_type", "invoice_question", "at", "2026-11-28T10:00:00Z"), 200, []string{
			`"at":"2026-11-28T11:00:00+01:00"`, `"open":false`, `"next_open":"2026-11-30T08:00:00+01:00"`,
			`"target":"first_response","duration":"PT4H","from":"receipt","start":"2026-11-28T11:00:00+01:00","due":"2026-11-30T12:00:00+01:00"`,
		}},
		{"HolidayAndHalfDay", "admin", q("request_type", "invoice_question", "at", "2026-12-23T15:00:00+01:00"), 200, []string{
			// 2 h on Wednesday, Christmas Eve until 12:00, holidays, weekend;
			// resolution: 6 h until Christmas, 9 h on Monday, 1 h on Tuesday.
			`"target":"first_response","duration":"PT4H","from":"receipt","start":"2026-12-23T15:00:00+01:00","due":"2026-12-24T10:00:00+01:00"`,
			`"target":"resolution","duration":"PT16H","from":"receipt","start":"2026-12-23T15:00:00+01:00","due":"2026-12-29T09:00:00+01:00"`,
		}},
		{"PriorityAndDepartment", "admin", q("request_type", "invoice_question", "priority", "urgent", "department", "support"), 200, []string{
			`"department":"support"`, `"priority":"urgent"`, `"policy":{"id":"urgent"`, `"calendar":"24x7"`, `"open":true`,
			`"at":"2026-11-27T14:00:00+01:00"`, `"target":"first_response","duration":"PT2H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-11-27T16:00:00+01:00"`,
		}},
		{"LocalTime", "admin", q("request_type", "complaint", "at", "2026-11-27T14:00"), 200, []string{
			`"department":"support"`, `"priority":"high"`, `"policy":{"id":"standard","name":"Standard"}`,
			`"target":"first_response","duration":"PT4H","from":"receipt","start":"2026-11-27T14:00:00+01:00","due":"2026-11-27T18:00:00+01:00"`,
		}},
		{"StandardCatchesTheRest", "admin", q("request_type", "general_question", "department", "technical", "priority", "low"), 200, []string{
			`"policy":{"id":"standard"`,
		}},
		{"BadInput", "admin", q("request_type", "pizza_order", "priority", "asap", "department", "sales", "at", "Freitag"), 422, []string{
			`"field":"request_type","code":"unknown_request_type"`, `"field":"priority","code":"invalid_option"`,
			`"field":"department","code":"invalid_option"`, `"field":"at","code":"invalid_time"`,
		}},
		{"MissingType", "admin", q(), 422, []string{`"field":"request_type","code":"required"`}},
		{"UnknownParameter", "admin", q("request_type", "complaint", "when", "now"), 422, []string{`"field":"when","code":"unknown_key"`}},
		{"Agent", "agent", q("request_type", "complaint"), 403, []string{`"code":"forbidden"`}},
		{"Anonymous", "", q("request_type", "complaint"), 401, []string{`"code":"unauthorized"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.call(t, tc.who, "GET", tc.path, "")
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s:\n%s", w, body)
				}
			}
			for _, f := range []string{"pizza", "Freitag", "sales"} {
				if strings.Contains(body, f) {
					t.Errorf("the answer repeats %q:\n%s", f, body)
				}
			}
		})
	}
}
