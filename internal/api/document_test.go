package api_test

import (
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/policy"
)

func TestDeletionConcept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	e.MustCreateAgent(t, "dpo@example.org", "Petra Privacy", auth.PrivacyOfficer)
	tok, err := e.Desk.CreateToken(ctx, "dpo@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["dpo"] = tok
	e.Clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))

	tests := []struct {
		name, who, path, accept string
		status                  int
		contentType             string
		want, not               []string
	}{
		{"AdminMarkdown", "admin", "/api/v1/documents/deletion-concept", "", 200, "text/markdown; charset=utf-8",
			[]string{"# Löschkonzept nach DIN 66398 – Beispiel GmbH", "## 4. Löschklassen", "`commercial_letter`", "2026-11-02 09:00 CET"}, []string{"<"}},
		{"PrivacyOfficerHTML", "dpo", "/api/v1/documents/deletion-concept?format=html&lang=en", "", 200, "text/html; charset=utf-8",
			[]string{"<!DOCTYPE html>", `<html lang="en">`, "4. Retention classes", "<code>commercial_letter</code>"}, []string{"Löschklassen"}},
		{"AcceptLanguage", "dpo", "/api/v1/documents/deletion-concept", "en-GB,en;q=0.8", 200, "text/markdown; charset=utf-8",
			[]string{"# Deletion concept after DIN 66398"}, nil},
		{"LangOverridesHeader", "dpo", "/api/v1/documents/deletion-concept?lang=de", "en", 200, "text/markdown; charset=utf-8",
			[]string{"# Löschkonzept"}, nil},
		{"Agent", "agent", "/api/v1/documents/deletion-concept", "", 403, "application/problem+json", []string{`"code":"forbidden"`}, []string{"Löschkonzept"}},
		{"Trainee", "trainee", "/api/v1/documents/deletion-concept?format=html", "", 403, "application/problem+json", []string{`"code":"forbidden"`}, nil},
		{"Nobody", "", "/api/v1/documents/deletion-concept", "", 401, "application/problem+json", nil, nil},
		{"BadFormat", "admin", "/api/v1/documents/deletion-concept?format=pdf&lang=fr", "", 422, "application/problem+json", []string{`"field":"format"`, `"field":"lang"`}, nil},
		{"UnknownParam", "admin", "/api/v1/documents/deletion-concept?name=Erika", "", 422, "application/problem+json", []string{`"field":"name"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.accept != "" {
				header = []string{"Accept-Language", tt.accept}
			}
			code, h, body := e.call(t, tt.who, "GET", tt.path, "", header...)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", code, tt.status, body)
			}
			if got := h.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if code == 200 && !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="deletion-concept-`) {
				t.Errorf("Content-Disposition %q", h.Get("Content-Disposition"))
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("answer lacks %s: %.300s", s, body)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("answer has %s", s)
				}
			}
		})
	}

	t.Run("FollowsPolicy", func(t *testing.T) {
		body := strings.Replace(string(policy.DefaultYAML()), "period: P90D", "period: P45D", 1)
		if _, err := e.Desk.ApplyPolicy(ctx, []byte(body)); err != nil {
			t.Fatal(err)
		}
		_, _, doc := e.call(t, "dpo", "GET", "/api/v1/documents/deletion-concept?lang=en", "")
		if !strings.Contains(doc, "45 days after closure, then delete") || strings.Contains(doc, "| 90 days after closure, then delete") {
			t.Errorf("document does not follow the policy: %.300s", doc)
		}
	})
}
