package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/store"
)

func TestDeletionConcept(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	dpo := e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	trainee := e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))

	t.Run("Forbidden", func(t *testing.T) {
		for _, a := range []*desk.Agent{agent, trainee} {
			if _, err := e.Desk.DeletionConcept(ctx, a, "de"); fault.Code(err) != fault.Forbidden {
				t.Errorf("DeletionConcept by %s: %v", a.Role, err)
			}
		}
	})

	t.Run("OK", func(t *testing.T) {
		for _, a := range []*desk.Agent{admin, dpo, nil} {
			d, err := e.Desk.DeletionConcept(ctx, a, "en")
			if err != nil {
				t.Fatal(err)
			}
			md := string(d.Markdown())
			if !strings.Contains(md, "# Deletion concept after DIN 66398") || !strings.Contains(md, "2026-11-27 14:00 CET") {
				t.Errorf("document:\n%s", md)
			}
		}
	})

	t.Run("FollowsPolicy", func(t *testing.T) {
		_, before, err := e.Desk.PolicyInForce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Replace(string(policy.DefaultYAML()),
			`name: {de: Beschwerden bis zur Verjährung, en: Complaints until claims are time-barred}`,
			`name: {de: Beschwerden fünf Jahre, en: Complaints kept five years}`, 1)
		body = strings.Replace(body, "period: P3Y", "period: P5Y", 1)
		if _, err := e.Desk.ApplyPolicy(ctx, []byte(body)); err != nil {
			t.Fatal(err)
		}
		p, after, err := e.Desk.PolicyInForce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.PolicyID <= before.PolicyID || after.PolicySHA == before.PolicySHA || len(after.PolicySHA) != 64 {
			t.Errorf("meta before %+v, after %+v", before, after)
		}
		if _, ok := p.RequestType("complaint"); !ok {
			t.Fatal("policy lacks complaint")
		}
		for lang, want := range map[string][]string{
			"de": {"Beschwerden fünf Jahre", "5 Jahre ab Ende des Kalenderjahres des Abschlusses, dann löschen", after.PolicySHA},
			"en": {"Complaints kept five years", "5 years from the end of the calendar year of closure, then delete", after.PolicySHA},
		} {
			d, err := e.Desk.DeletionConcept(ctx, dpo, lang)
			if err != nil {
				t.Fatal(err)
			}
			md := string(d.Markdown())
			for _, w := range want {
				if !strings.Contains(md, w) {
					t.Errorf("%s document lacks %q", lang, w)
				}
			}
			if strings.Contains(md, "Complaints until claims are time-barred") || strings.Contains(md, before.PolicySHA) {
				t.Errorf("%s document still describes the old policy", lang)
			}
		}
	})

	t.Run("AppliedElsewhere", func(t *testing.T) {
		// A policy saved by another process is described before the
		// desk's watcher reloads it.
		body := strings.Replace(string(policy.DefaultYAML()), "name: Beispiel GmbH", "name: Muster AG", 1)
		err := e.DB.Write(ctx, func(tx *store.Tx) error {
			p, err := policy.Parse([]byte(body))
			if err != nil {
				return err
			}
			_, err = tx.SavePolicy([]byte(body), "x", p.Notice)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.Desk.DeletionConcept(ctx, admin, "de")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Title, "Muster AG") {
			t.Errorf("title = %q", d.Title)
		}
	})
}
