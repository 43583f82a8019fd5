package web

import (
	"context"
	"net/url"
	"testing"

	"frist/internal/auth"
	"frist/internal/privacy"
)

// processorForm is the form a browser posts for a valid processor in the
// US with a sub-processor in India, row 0 filled and row 1 left blank.
func processorForm(id string) url.Values {
	return url.Values{
		"id": {id}, "provider": {"Example Cloud Inc."}, "service.de": {"Objektspeicher"}, "service.en": {"Object storage"},
		"categories": {"request_content", "sensitive"}, "country": {"us"}, "dpf_certified": {"1"},
		"avv.signed_on": {"2026-01-15"}, "avv.valid_until": {""}, "avv.document": {"AVV-Ordner 2026/01"},
		"transfer.mechanism": {""}, "transfer.note": {""},
		"sub_processors.0.name": {"Example Support Pvt. Ltd."}, "sub_processors.0.country": {"IN"}, "sub_processors.0.service": {"Support"},
		"sub_processors.0.transfer.mechanism": {"scc"}, "sub_processors.0.transfer.note": {"Modul 3"},
		"sub_processors.1.name": {""}, "sub_processors.1.country": {""}, "sub_processors.1.service": {""}, "sub_processors.1.transfer.mechanism": {""},
	}
}

func TestProcessorPages(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	ada := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	admin, dpo, agent := e.browser(t), e.browser(t), e.browser(t)
	admin.login("ada@example.org")
	dpo.login("petra@example.org")
	agent.login("anna@example.org")
	policyVersion := func() string {
		body, _ := e.Desk.ExportPolicy(ctx)
		return string(body)
	}

	t.Run("Roles", func(t *testing.T) {
		for _, p := range []string{"/admin/processors", "/admin/processors/new", "/admin/processors/beispiel_mail"} {
			check(t, agent.get(p), 403, []string{"Kein Zugriff"}, []string{"Beispiel Mail GmbH"})
		}
		check(t, agent.post("/admin/processors", processorForm("x")), 403, nil, nil)
		check(t, dpo.get("/admin/processors/new"), 403, nil, nil)
		check(t, dpo.post("/admin/processors", processorForm("x")), 403, nil, nil)
		check(t, dpo.post("/admin/processors/beispiel_mail", processorForm("")), 403, nil, nil)
		check(t, dpo.post("/admin/processors/beispiel_mail/delete", url.Values{}), 403, nil, nil)
		// Privacy officers read the register and each entry.
		check(t, dpo.get("/admin/processors"), 200, []string{"Beispiel Mail GmbH", "E-Mail-Versand (SMTP-Relay)", "DE – EU/EWR", "unterzeichnet am 2025-03-01, unbefristet",
			`<span class="badge badge-ok">gültig</span>`, `id="integration-mail_relay"`, "smtp.beispiel-mail.example:587", "deaktiviert"},
			[]string{`href="/admin/processors/new"`})
		check(t, dpo.get("/admin/processors/beispiel_mail"), 200, []string{"Nur die Administration kann das Verzeichnis ändern.", "<fieldset disabled>", `value="Beispiel Mail GmbH"`, `value="Beispiel Rechenzentrum AG"`},
			[]string{`<button type="submit" class="primary">`, `action="/admin/processors/beispiel_mail/delete"`})
	})

	t.Run("List", func(t *testing.T) {
		check(t, admin.get("/admin/processors"), 200, []string{`href="/admin/processors/new"`, `href="/admin/processors/beispiel_mail"`, "Kontaktdaten, Anfrageinhalt"}, nil)
		check(t, admin.do("GET", "/admin/processors", nil, "Accept-Language", "en"), 200, []string{"Processors", "signed on 2025-03-01, open-ended", "DE – EU/EEA", "disabled"}, nil)
		check(t, admin.get("/admin/processors/nobody"), 404, nil, nil)
		check(t, admin.get("/admin/processors?cursor=x%27%3B"), 422, nil, nil)
	})

	t.Run("New", func(t *testing.T) {
		check(t, admin.get("/admin/processors/new"), 200, []string{`action="/admin/processors"`, `name="id"`, `name="service.en"`, `name="avv.signed_on"`, `type="date"`,
			`name="categories" value="sensitive"`, `<option value="derogation_art49">`, `name="sub_processors.1.name"`, `<label for="proc-country">Land`}, []string{"<fieldset disabled>"})
	})

	t.Run("CreateInvalid", func(t *testing.T) {
		before := policyVersion()
		f := processorForm("Example Cloud")
		f.Set("provider", xss)
		f.Set("country", "uk")
		f.Set("avv.valid_until", "2025-12-31")
		f.Set("sub_processors.0.transfer.mechanism", "derogation_art49")
		f.Set("sub_processors.0.transfer.note", "")
		f.Set("sub_processors.1.country", "XX")
		res := admin.post("/admin/processors", f)
		check(t, res, 422, []string{"Bitte prüfen Sie Ihre Angaben",
			`href="#proc-id"`, "Bitte nur Kleinbuchstaben, Ziffern und _ verwenden",
			`href="#proc-country"`, "Der ISO-Code des Vereinigten Königreichs ist GB.",
			`href="#proc-avv-valid_until"`, "Das Datum liegt vor der Unterzeichnung des AVV.",
			`href="#proc-sub_processors-0-transfer-note"`, "Unterauftragsverarbeiter 1: Anmerkung",
			// The blank row 1 with only a country became row 1 of what was
			// posted; it lacks a name and service.
			`href="#proc-sub_processors-1-name"`, `href="#proc-sub_processors-1-country"`,
			xssEscaped, `value="Example Cloud"`, `aria-invalid="true"`}, []string{xss})
		if policyVersion() != before {
			t.Error("an invalid form applied a new policy")
		}
	})

	t.Run("Create", func(t *testing.T) {
		res := admin.post("/admin/processors", processorForm("example_cloud"))
		if res.status != 303 || res.header.Get("Location") != "/admin/processors?created=example_cloud" {
			t.Fatalf("create: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		p, err := e.Desk.Processor(ctx, ada, "example_cloud")
		if err != nil {
			t.Fatal(err)
		}
		if p.Country != "US" || !p.DPFCertified || len(p.SubProcessors) != 1 || p.SubProcessors[0].Transfer == nil || p.SubProcessors[0].Transfer.Mechanism != privacy.TransferSCC || p.Transfer != nil {
			t.Errorf("stored: %+v", p)
		}
		check(t, admin.get(res.header.Get("Location")), 200, []string{"Der Auftragsverarbeiter example_cloud wurde eingetragen.", "Example Cloud Inc.", "US – Angemessenheitsbeschluss"}, nil)
		check(t, admin.post("/admin/processors", processorForm("example_cloud")), 422, []string{"Diese Kennung ist schon vergeben."}, nil)
	})

	t.Run("Update", func(t *testing.T) {
		f := processorForm("")
		f.Set("country", "IN")
		f.Del("dpf_certified")
		res := admin.post("/admin/processors/example_cloud", f)
		if res.status != 303 || res.header.Get("Location") != "/admin/processors?saved=example_cloud" {
			t.Fatalf("update: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		// India without a transfer mechanism: a warning on the entry and
		// in the compliance status.
		check(t, admin.get("/admin/processors/example_cloud"), 200, []string{"Offene Punkte", "kein Übermittlungsmechanismus (Art. 44 ff. DSGVO) eingetragen", `value="IN"`, `value="Modul 3"`}, nil)
		check(t, admin.get("/admin"), 200, []string{"Compliance-Status", "Offene Punkte – Fehler: 0, Warnungen: 1.", `<a href="/admin/processors/example_cloud">`}, nil)
		f.Set("transfer.mechanism", "scc")
		f.Set("transfer.note", "Modul 2")
		check(t, admin.post("/admin/processors/example_cloud", f), 303, nil, nil)
		check(t, admin.get("/admin"), 200, []string{"Keine offenen Punkte."}, []string{"Offene Punkte –"})
		f.Set("avv.signed_on", "15.01.2026")
		check(t, admin.post("/admin/processors/example_cloud", f), 422, []string{`href="#proc-avv-signed_on"`, "Bitte geben Sie ein gültiges Datum an"}, nil)
		check(t, admin.post("/admin/processors/nobody", f), 404, nil, nil)
	})

	t.Run("Compliance", func(t *testing.T) {
		f := processorForm("example_unsigned")
		f.Set("country", "DE")
		f.Del("dpf_certified")
		f.Set("avv.signed_on", "")
		check(t, admin.post("/admin/processors", f), 303, nil, nil)
		want := []string{"Offene Punkte – Fehler: 1, Warnungen: 0.", `<strong class="badge badge-overdue">Fehler</strong>`, `<a href="/admin/processors/example_unsigned">`,
			"Für den Auftragsverarbeiter example_unsigned (Example Cloud Inc.) ist kein unterzeichneter AVV"}
		check(t, admin.get("/admin"), 200, want, nil)
		check(t, dpo.get("/privacy"), 200, want, nil)
		check(t, dpo.get("/dashboard"), 200, []string{"Compliance – offene Fehler: 1, Warnungen: 0.", `href="/privacy#compliance"`}, nil)
		check(t, admin.get("/dashboard"), 200, []string{`href="/admin#compliance"`}, nil)
		check(t, agent.get("/dashboard"), 200, nil, []string{"Compliance"})
		check(t, admin.do("GET", "/privacy", nil, "Accept-Language", "en"), 200, []string{"Open items – errors: 1, warnings: 0.", "No signed AVV (processing agreement, Art. 28 GDPR) is recorded for the processor example_unsigned"}, nil)
	})

	t.Run("Delete", func(t *testing.T) {
		check(t, admin.post("/admin/processors/beispiel_mail/delete", url.Values{}), 409, []string{"Eine Integration nennt diesen Auftragsverarbeiter."}, nil)
		res := admin.post("/admin/processors/example_unsigned/delete", url.Values{})
		if res.status != 303 || res.header.Get("Location") != "/admin/processors?deleted=example_unsigned" {
			t.Fatalf("delete: %d %q", res.status, res.header.Get("Location"))
		}
		check(t, admin.get("/admin/processors/example_unsigned"), 404, nil, nil)
		check(t, admin.get("/admin"), 200, []string{"Keine offenen Punkte."}, nil)
		check(t, admin.post("/admin/processors/example_unsigned/delete", url.Values{}), 404, nil, nil)
	})
}
