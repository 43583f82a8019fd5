package web

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/store"
)

func TestAuditPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	dpo := e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.Clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	var es []*audit.Entry
	for i := range 55 {
		es = append(es, &audit.Entry{ActorID: dpo.ID, ActorKind: audit.ActorAgent, Action: audit.ViewRestricted, Object: fmt.Sprintf("ticket:F-%d", 100001+i)})
	}
	es = append(es, &audit.Entry{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: "ticket:F-100001", Detail: "rule=complaints class=P2Y"})
	if err := e.DB.Write(ctx, func(tx *store.Tx) error { return tx.AppendAudits(es) }); err != nil {
		t.Fatal(err)
	}

	t.Run("Agent", func(t *testing.T) {
		b := e.browser(t)
		b.login("anna@example.org")
		check(t, b.get("/queue"), http.StatusOK, nil, []string{`href="/privacy/audit"`})
		check(t, b.get("/privacy/audit"), http.StatusForbidden, nil, []string{"ticket:F-100001"})
		check(t, b.get("/privacy/audit/verify"), http.StatusForbidden, nil, []string{"Kette ist intakt"})
	})

	t.Run("Visitor", func(t *testing.T) {
		res := e.browser(t).get("/privacy/audit?object=ticket:F-100001")
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login?next=") {
			t.Errorf("visitor: %d %s", res.status, res.header.Get("Location"))
		}
	})

	t.Run("PrivacyOfficer", func(t *testing.T) {
		b := e.browser(t)
		b.login("petra@example.org")
		check(t, b.get("/queue"), http.StatusOK, []string{`href="/privacy/audit"`, "Audit-Protokoll"}, nil)
		res := b.get("/privacy/audit")
		check(t, res, http.StatusOK, []string{"<h1>Audit-Protokoll</h1>", "gelöscht (Löschfrist)", "System", "rule=complaints class=P2Y",
			fmt.Sprintf("Konto %d", dpo.ID), "eingeschränktes Ticket eingesehen", "Ältere Einträge", `href="/api/v1/audit?format=csv"`},
			[]string{"Petra Privacy</td>", "petra@example.org</td>"})
		// The second page, by the link a browser follows.
		m := regexp.MustCompile(`href="([^"]*)" rel="next"`).FindStringSubmatch(res.body)
		if m == nil {
			t.Fatal("no link to the next page")
		}
		res = b.get(html.UnescapeString(m[1]))
		check(t, res, http.StatusOK, []string{"ticket:F-100001", "ticket:F-100006", "Neueste Einträge"}, []string{"ticket:F-100007<", `rel="next"`})
	})

	t.Run("Filter", func(t *testing.T) {
		b := e.browser(t)
		b.login("ada@example.org")
		b.lang = "en"
		res := b.get("/privacy/audit?" + url.Values{"object": {"ticket:F-100001"}, "action": {"retention.delete"}, "from": {"2026-11-02"}, "to": {"2026-11-02"}}.Encode())
		check(t, res, http.StatusOK, []string{"<h1>Audit trail</h1>", "deleted (retention)", `<option value="retention.delete" selected>`,
			`href="/api/v1/audit?action=retention.delete&amp;format=csv&amp;from=2026-11-02&amp;object=ticket%3AF-100001&amp;to=2026-11-02"`},
			[]string{"restricted ticket viewed</span>", `rel="next"`})
		res = b.get("/privacy/audit?from=2026-11-03")
		check(t, res, http.StatusOK, []string{"No entries."}, []string{"<tbody>"})
		res = b.get("/privacy/audit?object=" + url.QueryEscape("erika@example.org") + "&to=yesterday")
		check(t, res, http.StatusUnprocessableEntity, []string{`id="object-error"`, "Please give kind:id", `id="to-error"`, `aria-invalid="true"`}, []string{"<tbody>"})
		res = b.get("/privacy/audit?cursor=garbage")
		check(t, res, http.StatusUnprocessableEntity, []string{`role="alert"`}, nil)
	})

	t.Run("Verify", func(t *testing.T) {
		b := e.browser(t)
		b.login("petra@example.org")
		res := b.get("/privacy/audit")
		if !strings.Contains(res.body, `action="/privacy/audit/verify"`) {
			t.Fatal("no verify button")
		}
		check(t, b.get("/privacy/audit/verify"), http.StatusOK, []string{"Die Kette ist intakt: 56 Einträge geprüft."}, nil)
		if e.DB.Path() == "" {
			return // tampering below needs the SQLite file
		}
		raw, err := sql.Open("sqlite", e.DB.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = 20`); err != nil {
			t.Fatal(err)
		}
		check(t, b.get("/privacy/audit/verify"), http.StatusOK, []string{"Die Kette ist unterbrochen bei Eintrag 21 (19 Einträge davor sind intakt)"}, []string{"intakt: "})
	})
}
