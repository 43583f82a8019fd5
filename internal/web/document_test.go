package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/policy"
)

func TestDeletionConceptPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.Clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	const path = "/admin/documents/deletion-concept"

	t.Run("Forbidden", func(t *testing.T) {
		for _, who := range []string{"anna@example.org", "tom@example.org"} {
			b := e.browser(t)
			b.login(who)
			check(t, b.get(path), http.StatusForbidden, nil, []string{"Löschklassen"})
			check(t, b.get(path+"?format=md&lang=de"), http.StatusForbidden, nil, []string{"Löschklassen"})
		}
		res := e.browser(t).get(path)
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login?next=") {
			t.Errorf("visitor: %d %s", res.status, res.header.Get("Location"))
		}
	})

	t.Run("PrivacyOfficer", func(t *testing.T) {
		b := e.browser(t)
		b.login("petra@example.org")
		check(t, b.get("/privacy/audit"), http.StatusOK, []string{`href="/admin/documents/deletion-concept"`}, nil)
		check(t, b.get(path), http.StatusOK, []string{
			"<title>Löschkonzept – Beispiel GmbH</title>",
			"<h1>Löschkonzept nach DIN 66398 – Beispiel GmbH</h1>",
			`<h2 id="classes-title">4. Löschklassen</h2>`,
			"<code>commercial_letter</code>",
			`href="/admin/documents/deletion-concept?format=md&amp;lang=de"`,
			`href="/admin/documents/deletion-concept?format=html&amp;lang=en"`,
		}, []string{"<style>", "Retention classes"})
	})

	t.Run("English", func(t *testing.T) {
		b := e.browser(t)
		b.lang = "en"
		b.login("ada@example.org")
		check(t, b.get("/admin"), http.StatusOK, []string{`href="/admin/documents/deletion-concept"`}, nil)
		check(t, b.get(path), http.StatusOK, []string{"<h1>Deletion concept after DIN 66398 – Beispiel GmbH</h1>", "4. Retention classes"}, []string{"Löschklassen"})
	})

	t.Run("Downloads", func(t *testing.T) {
		b := e.browser(t)
		b.login("ada@example.org")
		for _, tt := range []struct{ query, ct, file, want string }{
			{"?format=md&lang=de", "text/markdown; charset=utf-8", "loeschkonzept.md", "## 4. Löschklassen"},
			{"?format=md&lang=en", "text/markdown; charset=utf-8", "deletion-concept.md", "## 4. Retention classes"},
			{"?format=html&lang=de", "text/html; charset=utf-8", "loeschkonzept.html", "<style>"},
			{"?format=html&lang=en", "text/html; charset=utf-8", "deletion-concept.html", `<html lang="en">`},
		} {
			res := b.get(path + tt.query)
			check(t, res, http.StatusOK, []string{tt.want}, nil)
			if res.header.Get("Content-Type") != tt.ct || res.header.Get("Content-Disposition") != `attachment; filename="`+tt.file+`"` {
				t.Errorf("%s: %s, %s", tt.query, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
			}
		}
		check(t, b.get(path+"?format=pdf&lang=de"), http.StatusNotFound, nil, nil)
	})

	t.Run("Escaped", func(t *testing.T) {
		body := strings.Replace(string(policy.DefaultYAML()),
			`{de: Technische Probleme anonymisiert auswerten, en: Technical problems kept anonymised}`,
			`{de: "<script>alert(1)</script>", en: "<script>alert(1)</script>"}`, 1)
		if _, err := e.Desk.ApplyPolicy(context.Background(), []byte(body)); err != nil {
			t.Fatal(err)
		}
		b := e.browser(t)
		b.login("petra@example.org")
		check(t, b.get(path), http.StatusOK, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert"})
		check(t, b.get(path+"?format=html&lang=en"), http.StatusOK, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert"})
	})
}
