package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"frist/internal/privacy"
)

// withRegister returns the default policy file with its processors and
// integrations sections replaced by the YAML given.
func withRegister(processors, integrations string) string {
	base := string(DefaultYAML())
	i := strings.Index(base, "\n# Register of processors")
	return base[:i] + "\nprocessors:\n" + processors + "\nintegrations:\n" + integrations
}

const relayProcessor = `  - id: beispiel_mail
    provider: Beispiel Mail GmbH
    service: {de: E-Mail-Versand, en: Sending email}
    categories: [contact]
    country: DE
    avv: {signed_on: "2025-03-01", valid_until: "2026-12-31"}
`

func TestRegisterParse(t *testing.T) {
	relay := func(extra string) string {
		return "  - {id: mail, kind: smtp_relay, host: smtp.beispiel-mail.example, processor: beispiel_mail, enabled: true" + extra + "}\n"
	}
	for name, tc := range map[string]struct{ processors, integrations, want string }{
		"OK":            {relayProcessor, relay(""), ""},
		"OKOverride":    {relayProcessor, relay(`, avv_override: {reason: "AVV liegt zur Unterschrift vor", until: "2026-12-31"}`), ""},
		"UnknownKey":    {relayProcessor + "    colour: red\n", relay(""), "colour"},
		"BadCountry":    {strings.Replace(relayProcessor, "country: DE", "country: Germany", 1), relay(""), `processors[0] "beispiel_mail": country: is not an ISO 3166-1 alpha-2 country code`},
		"UK":            {strings.Replace(relayProcessor, "country: DE", "country: UK", 1), relay(""), "the ISO code of the United Kingdom is GB"},
		"BadDate":       {strings.Replace(relayProcessor, `"2026-12-31"`, `"31.12.2026"`, 1), relay(""), "avv.valid_until: is not a date as YYYY-MM-DD"},
		"BadCategory":   {strings.Replace(relayProcessor, "[contact]", "[health]", 1), relay(""), "categories: is not one of the values offered"},
		"BadMechanism":  {relayProcessor + "    transfer: {mechanism: handshake}\n", relay(""), "transfer.mechanism: is not one of the values offered"},
		"Derogation":    {relayProcessor + "    transfer: {mechanism: derogation_art49}\n", relay(""), "transfer.note: must name the derogation"},
		"TwoProcessors": {relayProcessor + relayProcessor, relay(""), `processors[1] "beispiel_mail": id: is taken`},
		"BadKind":       {relayProcessor, "  - {id: mail, kind: carrier_pigeon, host: a.example, processor: beispiel_mail}\n", `integrations[0] "mail": kind: is not one of the values offered`},
		"BadHost":       {relayProcessor, "  - {id: mail, kind: webhook, host: \"https://hooks.example/in\", processor: beispiel_mail}\n", "host: is not a host name"},
		"NoReason":      {relayProcessor, relay(", avv_override: {until: \"2026-12-31\"}"), "avv_override.reason: is required"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(withRegister(tc.processors, tc.integrations)))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Parse error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestDefaultRegister: a fresh installation has no open items.
func TestDefaultRegister(t *testing.T) {
	p := Default()
	if len(p.Processors) == 0 || len(p.Integrations) == 0 {
		t.Fatal("the default policy has no example register")
	}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	if fs := p.Findings(now); len(fs) != 0 {
		t.Errorf("findings: %+v", fs)
	}
	if err := p.CheckIntegrations(now); err != nil {
		t.Error(err)
	}
	// Switched on, the example relay passes the gate: its AVV is signed.
	q, err := Parse([]byte(strings.Replace(string(DefaultYAML()), "enabled: false", "enabled: true", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.CheckIntegrations(now); err != nil {
		t.Error(err)
	}
}

func TestCheckIntegrations(t *testing.T) {
	relay := "  - {id: mail, kind: smtp_relay, host: smtp.beispiel-mail.example, processor: beispiel_mail, enabled: true}\n"
	for name, tc := range map[string]struct {
		processors, integrations string
		at                       time.Time
		want                     string // "" for none
		overrides                []string
	}{
		"Valid":         {relayProcessor, relay, time.Date(2026, 12, 31, 22, 59, 0, 0, time.UTC), "", nil},
		"ExpiredBerlin": {relayProcessor, relay, time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), "The integration mail sends data to beispiel_mail (Beispiel Mail GmbH), which has no valid AVV.", nil},
		"Unknown":       {relayProcessor, strings.Replace(relay, "processor: beispiel_mail", "processor: cloudhooks", 1), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), "The integration mail names the processor cloudhooks, which is not in the register.", nil},
		"Disabled":      {relayProcessor, strings.Replace(relay, "enabled: true", "enabled: false", 1), time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), "", nil},
		"Override": {relayProcessor, strings.Replace(relay, "enabled: true", `enabled: true, avv_override: {reason: "Verlängerung unterschrieben, Eintrag folgt"}`, 1),
			time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), "", []string{"mail"}},
		"OverrideLapsed": {relayProcessor, strings.Replace(relay, "enabled: true", `enabled: true, avv_override: {reason: "Testbetrieb", until: "2027-01-31"}`, 1),
			time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), "which has no valid AVV", nil},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Parse([]byte(withRegister(tc.processors, tc.integrations)))
			if err != nil {
				t.Fatal(err)
			}
			err = p.CheckIntegrations(tc.at)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error = %v, want it to mention %q", err, tc.want)
			}
			var ids []string
			for _, in := range p.Overrides(tc.at) {
				ids = append(ids, in.ID)
			}
			if diff := cmp.Diff(tc.overrides, ids); diff != "" {
				t.Errorf("overrides (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWithProcessors edits the register of the default policy file: the
// other sections stay as they were, comments included.
func TestWithProcessors(t *testing.T) {
	base := DefaultYAML()
	orig := Default()
	head := string(base[:strings.Index(string(base), "# Register of processors")])
	us := privacy.Processor{
		ID: "example_cloud", Provider: "Example Cloud Inc.", Service: privacy.Text{DE: "Objektspeicher", EN: "Object storage"},
		Categories: []privacy.Category{privacy.Content}, Country: "US", DPFCertified: true,
		AVV:           privacy.AVV{SignedOn: "2026-01-15", ValidUntil: "2027-01-14", Document: "AVV-Ordner 2026/01"},
		SubProcessors: []privacy.SubProcessor{{Name: "Example Support Pvt. Ltd.", Country: "IN", Service: "Support", Transfer: &privacy.Transfer{Mechanism: privacy.TransferSCC, Note: "Modul 3"}}},
	}
	for name, ps := range map[string][]privacy.Processor{
		"Same":   orig.Processors,
		"Added":  append(append([]privacy.Processor{}, orig.Processors...), us),
		"Edited": {us},
		"None":   nil,
	} {
		t.Run(name, func(t *testing.T) {
			body, err := WithProcessors(base, ps)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(body), head) {
				t.Errorf("the sections before the register changed:\n%s", body)
			}
			if !strings.Contains(string(body), "# Outbound integrations: every connection") {
				t.Error("the integrations' comment is gone")
			}
			p, err := Parse(body)
			if err != nil {
				t.Fatalf("%v\n%s", err, body)
			}
			if diff := cmp.Diff(ps, p.Processors, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("processors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(orig.Integrations, p.Integrations); diff != "" {
				t.Errorf("integrations changed:\n%s", diff)
			}
			if p.Summary() != orig.Summary() || len(p.Retention.Rules) != len(orig.Retention.Rules) || len(p.Calendars) != len(orig.Calendars) {
				t.Errorf("policy changed: %s", p.Summary())
			}
		})
	}
	// A file without a register gets one, before its integrations.
	bare := strings.Replace(string(base), relayDefault(string(base)), "", 1)
	body, err := WithProcessors([]byte(bare), []privacy.Processor{us})
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	if i, j := strings.Index(s, "\nprocessors:"), strings.Index(s, "\nintegrations:"); i < 0 || j < 0 || i > j || !strings.Contains(s, "# Register of processors") {
		t.Errorf("register not inserted before the integrations:\n%s", s[strings.Index(s, "retention:"):])
	}
	if _, err := WithProcessors([]byte("- a\n- b\n"), nil); err == nil {
		t.Error("a list was taken for a policy")
	}
}

// relayDefault returns the default file's processors section with its
// comment.
func relayDefault(s string) string {
	i := strings.Index(s, "# Register of processors")
	j := strings.Index(s, "# Outbound integrations")
	return s[i:j]
}

// TestDeletionConceptProcessors: the register is in the document, in
// both languages, with each AVV's state on the day of generation.
func TestDeletionConceptProcessors(t *testing.T) {
	procs := relayProcessor + `  - id: example_cloud
    provider: Example Cloud Inc.
    service: {de: Objektspeicher, en: Object storage}
    categories: [request_content, sensitive]
    country: IN
    avv: {signed_on: "2026-01-15", document: AVV-Ordner 2026/01}
    sub_processors:
      - {name: Example Backup Ltd., country: GB, service: Backup}
  - id: example_hooks
    provider: Example Hooks Inc.
    service: {de: Webhooks, en: Webhooks}
    categories: [technical]
    country: US
    dpf_certified: true
    transfer: {mechanism: scc, note: Modul 2}
`
	p, err := Parse([]byte(withRegister(procs, "  - {id: mail, kind: smtp_relay, host: smtp.beispiel-mail.example, processor: beispiel_mail, enabled: true}\n")))
	if err != nil {
		t.Fatal(err)
	}
	meta := DocumentMeta{PolicyID: 3, GeneratedAt: time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)}
	for lang, want := range map[string][]string{
		"de": {"## 9. Auftragsverarbeiter", "Beispiel Mail GmbH (`beispiel_mail`)", "E-Mail-Versand", "Kontaktdaten",
			"`DE` – EU/EWR", "unterzeichnet am 2025-03-01, gültig bis 2026-12-31 – läuft bald ab",
			"`IN` – Drittland ohne Angemessenheitsbeschluss", "kein Übermittlungsmechanismus eingetragen", "Ablage: AVV-Ordner 2026/01",
			"Example Backup Ltd., Backup – `GB` – Angemessenheitsbeschluss (EU) 2021/1772",
			"`US` – Angemessenheitsbeschluss (EU) 2023/1795", "Standardvertragsklauseln (Art. 46 Abs. 2 lit. c DSGVO) (Modul 2)",
			"| `mail` | E-Mail-Versand (SMTP-Relay) | `smtp.beispiel-mail.example` | `beispiel_mail` | ja |", "## 10. Dokumentversion"},
		"en": {"## 9. Processors", "Sending email", "Contact data", "signed on 2025-03-01, valid until 2026-12-31 – ends soon",
			"`IN` – third country without adequacy decision", "no transfer mechanism recorded", "kept at: AVV-Ordner 2026/01",
			"only organisations certified under the EU-US Data Privacy Framework", "standard contractual clauses (Art. 46(2)(c) GDPR) (Modul 2)",
			"| `mail` | outgoing mail (SMTP relay) | `smtp.beispiel-mail.example` | `beispiel_mail` | yes |"},
	} {
		doc := strings.ReplaceAll(string(p.DeletionConcept(lang, meta).Markdown()), `\`, "")
		for _, w := range want {
			if !strings.Contains(doc, w) {
				t.Errorf("%s document lacks %q", lang, w)
			}
		}
	}
}
