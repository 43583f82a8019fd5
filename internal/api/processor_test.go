package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
)

// cloudJSON is a valid processor in the US under the Data Privacy
// Framework with a sub-processor in India under standard contractual
// clauses.
const cloudJSON = `{"id":"example_cloud","provider":"Example Cloud Inc.","service":{"de":"Objektspeicher","en":"Object storage"},
	"categories":["request_content"],"country":"US","dpf_certified":true,
	"avv":{"signed_on":"2026-01-15","valid_until":"2026-12-15","document":"AVV-Ordner 2026/01"},
	"sub_processors":[{"name":"Example Support Pvt. Ltd.","country":"IN","service":"Support","transfer":{"mechanism":"scc","note":"Modul 3"}}]}`

func TestProcessorAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	e.MustCreateAgent(t, "dpo@example.org", "Petra Privacy", auth.PrivacyOfficer)
	tok, err := e.Desk.CreateToken(ctx, "dpo@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["dpo"] = tok
	e.Clock.Set(time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC))

	for _, tc := range []struct {
		name, who, method, path, body string // who: a token's name, "/en" added for English
		status                        int
		want, not                     []string
	}{
		// Reading: administrators and privacy officers.
		{"List", "dpo", "GET", "/api/v1/processors", "", 200, []string{`"items":[{"id":"beispiel_mail","provider":"Beispiel Mail GmbH"`, `"service":{"de":"E-Mail-Versand (SMTP-Relay)","en":"Sending email (SMTP relay)"}`,
			`"categories":["contact","request_content"]`, `"country":"DE","country_status":"eu_eea"`, `"avv":{"signed_on":"2025-03-01","valid_until":null,"document":"AVV-Ordner 2025/07","state":"valid"}`,
			`"transfer":null`, `"sub_processors":[{"name":"Beispiel Rechenzentrum AG","country":"DE","country_status":"eu_eea"`, `"next_cursor":""`}, nil},
		{"Show", "admin", "GET", "/api/v1/processors/beispiel_mail", "", 200, []string{`"id":"beispiel_mail"`}, nil},
		{"ShowUnknown", "admin", "GET", "/api/v1/processors/nobody", "", 404, []string{`"code":"not_found"`}, nil},
		{"AgentForbidden", "agent", "GET", "/api/v1/processors", "", 403, []string{`"code":"forbidden"`}, []string{"Beispiel"}},
		{"TraineeForbidden", "trainee", "GET", "/api/v1/compliance", "", 403, nil, []string{"items"}},
		{"Nobody", "", "GET", "/api/v1/integrations", "", 401, nil, nil},
		{"Integrations", "dpo", "GET", "/api/v1/integrations", "", 200, []string{`{"id":"mail_relay","kind":"smtp_relay","host":"smtp.beispiel-mail.example:587","processor":"beispiel_mail","enabled":false,"avv_override":null,"state":"disabled"}`}, nil},
		{"ComplianceOK", "dpo", "GET", "/api/v1/compliance", "", 200, []string{`"status":"ok"`, `"errors":0,"warnings":0,"items":[]`}, nil},
		{"BadLimit", "admin", "GET", "/api/v1/processors?limit=0", "", 422, []string{`"field":"limit"`}, nil},
		{"BadCursor", "admin", "GET", "/api/v1/processors?cursor=%27x", "", 422, []string{`"field":"cursor"`}, nil},
		{"UnknownParam", "admin", "GET", "/api/v1/processors?country=US", "", 422, []string{`"field":"country"`}, nil},

		// Changing: administrators only.
		{"PrivacyOfficerCannotCreate", "dpo", "POST", "/api/v1/processors", cloudJSON, 403, nil, nil},
		{"AgentCannotDelete", "agent", "DELETE", "/api/v1/processors/beispiel_mail", "", 403, nil, nil},
		{"Create", "admin", "POST", "/api/v1/processors", cloudJSON, 201, []string{`"id":"example_cloud"`, `"country_status":"adequacy"`, `"state":"expiring"`,
			`{"name":"Example Support Pvt. Ltd.","country":"IN","country_status":"third_country","service":"Support","dpf_certified":false,"transfer":{"mechanism":"scc","note":"Modul 3"}}`}, nil},
		{"CreateTaken", "admin", "POST", "/api/v1/processors", cloudJSON, 422, []string{`{"field":"id","code":"id_taken","message":"Diese Kennung ist schon vergeben."}`}, nil},
		{"CreateInvalid", "admin/en", "POST", "/api/v1/processors", `{"id":"x","provider":"","service":{"de":"a","en":""},"categories":["health"],"country":"UK","avv":{"valid_until":"2026-13-01"},
			"transfer":{"mechanism":"derogation_art49"},"sub_processors":[{"name":"n","country":"XX","service":"s"}]}`, 422, []string{
			`"field":"provider","code":"required"`, `"field":"service.en","code":"required"`, `"field":"categories","code":"invalid_option"`,
			`"field":"country","code":"country_uk","message":"The ISO code of the United Kingdom is GB."`, `"field":"avv.valid_until","code":"invalid_date"`,
			`"field":"transfer.note","code":"note_required"`, `"field":"sub_processors.0.country","code":"invalid_country"`}, nil},
		{"CreateUnknownKey", "admin", "POST", "/api/v1/processors", `{"id":"x","colour":"red"}`, 400, []string{`"field":"colour","code":"unknown_key"`}, nil},
		{"CreateWrongType", "admin", "POST", "/api/v1/processors", `{"id":"x","dpf_certified":"yes"}`, 400, []string{`"code":"malformed"`}, nil},
		{"CreateNotJSON", "admin", "POST", "/api/v1/processors", `id=x`, 400, []string{`"code":"malformed"`}, nil},
		{"UpdateOtherID", "admin", "PUT", "/api/v1/processors/beispiel_mail", cloudJSON, 422, []string{`"field":"id","code":"id_fixed"`}, nil},
		{"UpdateUnknown", "admin", "PUT", "/api/v1/processors/nobody", strings.Replace(cloudJSON, `"id":"example_cloud",`, "", 1), 404, nil, nil},
		{"Update", "admin", "PUT", "/api/v1/processors/example_cloud", strings.Replace(strings.Replace(cloudJSON, `"id":"example_cloud",`, "", 1), `"dpf_certified":true`, `"dpf_certified":false`, 1), 200,
			[]string{`"id":"example_cloud"`, `"country_status":"third_country"`}, nil},
		// Ends within 30 days, in the US without the Data Privacy Framework
		// and without a transfer mechanism: two warnings.
		{"ComplianceOpen", "admin", "GET", "/api/v1/compliance", "", 200, []string{`"status":"open"`, `"errors":0,"warnings":2`,
			`{"code":"processor.avv_expiring","severity":"warning","object":"processor:example_cloud","message":"Der AVV mit example_cloud (Example Cloud Inc.) gilt nur noch bis 2026-12-15 (noch 17 Tage).","text":{"de":`,
			`{"code":"processor.transfer_without_safeguard","severity":"warning","object":"processor:example_cloud"`}, nil},
		{"ComplianceEnglish", "admin/en", "GET", "/api/v1/compliance", "", 200, []string{`"message":"The AVV with example_cloud (Example Cloud Inc.) is valid only until 2026-12-15 (17 days left)."`}, nil},
		{"Metrics", "dpo", "GET", "/metrics", "", 200, []string{"# TYPE frist_compliance_open_items gauge", `frist_compliance_open_items{severity="error"} 0`, `frist_compliance_open_items{severity="warning"} 2`}, []string{"example_cloud"}},
		{"DeleteNamed", "admin", "DELETE", "/api/v1/processors/beispiel_mail", "", 409, []string{`"code":"conflict"`, "mail_relay"}, nil},
		{"Delete", "admin", "DELETE", "/api/v1/processors/example_cloud", "", 204, nil, nil},
		{"Deleted", "admin", "GET", "/api/v1/processors/example_cloud", "", 404, nil, nil},
		{"ComplianceAgain", "admin", "GET", "/api/v1/compliance", "", 200, []string{`"status":"ok"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// "who/en" asks for English answers.
			who, lang, _ := strings.Cut(tc.who, "/")
			var header []string
			if lang != "" {
				header = []string{"Accept-Language", lang}
			}
			e.expect(t, who, tc.method, tc.path, tc.body, tc.status, tc.want, tc.not, header...)
		})
	}

	t.Run("Location", func(t *testing.T) {
		body := strings.Replace(cloudJSON, "example_cloud", "example_cloud_2", 1)
		code, h, got := e.call(t, "admin", "POST", "/api/v1/processors", body)
		if code != http.StatusCreated || h.Get("Location") != "/api/v1/processors/example_cloud_2" {
			t.Errorf("%d %q %s", code, h.Get("Location"), got)
		}
	})
}
