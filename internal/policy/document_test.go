package policy

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var testMeta = DocumentMeta{PolicyID: 7, PolicySHA: "5f1e0c", GeneratedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}

// renderings returns the document in every form, by name.
func renderings(p *Policy, lang string) map[string]string {
	d := p.DeletionConcept(lang, testMeta)
	return map[string]string{"markdown": string(d.Markdown()), "html": string(d.HTML()), "fragment": string(d.HTMLFragment())}
}

// TestDeletionConceptComplete checks that every class, rule and legal
// basis of the default policy is in the document, in both languages and
// all forms.
func TestDeletionConceptComplete(t *testing.T) {
	p := Default()
	for _, lang := range []string{"de", "en"} {
		for form, doc := range renderings(p, lang) {
			t.Run(lang+"/"+form, func(t *testing.T) {
				if form != "markdown" {
					doc = htmlText(doc)
				} else {
					doc = strings.ReplaceAll(doc, `\`, "")
				}
				var want []string
				for _, c := range p.Retention.Classes {
					want = append(want, c.ID, c.Name.In(lang), c.LegalBasis.In(lang), c.Describe(lang))
				}
				for _, r := range p.Retention.Rules {
					want = append(want, r.ID, r.Name.In(lang))
				}
				for _, rt := range p.RequestTypes {
					want = append(want, rt.ID, rt.Name.In(lang))
				}
				want = append(want, p.Organisation.Name, p.Retention.Responsible.In(lang), "Europe/Berlin",
					"5f1e0c", "frist audit verify", "frist retention plan", "secure_delete")
				for _, w := range want {
					if !strings.Contains(doc, w) {
						t.Errorf("document lacks %q", w)
					}
				}
			})
		}
	}
}

// htmlText undoes the escaping of the few characters the policy's texts
// use, so that they can be compared with the policy.
func htmlText(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "<code>", "", "</code>", "").Replace(s)
}

// TestDeletionConceptMatrix checks the winners and restrictions the
// document derives from the rules.
func TestDeletionConceptMatrix(t *testing.T) {
	doc := string(Default().DeletionConcept("en", testMeta).Markdown())
	for _, want := range []string{
		// Invoice questions are commercial letters: restricted after
		// the 90 days of the support purpose, deleted 6 years after the
		// end of the year of closure (2026-11-20 → 2033-01-01).
		"| Invoice question (`invoice_question`) | Invoice questions are commercial letters (`invoice_questions`); Support standard: 90 days after closure (`support_standard`) | Invoice questions are commercial letters (`invoice_questions`) | 6 years from the end of the calendar year of closure, then delete | from the end of the purpose “Support standard: 90 days after closure” (90 days after closure) | deleted on 2033-01-01; restricted from 2027-02-18 |",
		"| General question (`general_question`) | Support standard: 90 days after closure (`support_standard`) | Support standard: 90 days after closure (`support_standard`) | 90 days after closure, then delete | none | deleted on 2027-02-18 |",
		"anonymised on 2027-11-20",
		// The accounting voucher rule's 2025 version is in force and named.
		"| Complaint (`complaint`) | `accounting-voucher` | Accounting vouchers (8 years since 2025) (`accounting_vouchers`) |",
		"| Accounting vouchers (`accounting_vouchers`) | 1 (always) | superseded |",
		"| from 2025-01-01 | in force |",
		// Attribute-level deletion names the field and who asks it.
		"Invoice question (`invoice_question`): `payment_method` | 30 days after closure, then delete |",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks\n%s", want)
		}
	}
	// A tag that changes nothing for a request type is not listed.
	if strings.Contains(doc, "| Invoice question (`invoice_question`) | `invoice-related` |") {
		t.Error("invoice-related listed for invoice questions, which are commercial letters anyway")
	}
}

// TestDeletionConceptGerman checks that the German document has German
// headings only.
func TestDeletionConceptGerman(t *testing.T) {
	p := Default()
	de, en := p.DeletionConcept("de", testMeta), p.DeletionConcept("en", testMeta)
	if de.Title == en.Title || len(de.Sections) != 10 || len(en.Sections) != 10 {
		t.Fatalf("titles %q, %q; %d and %d sections", de.Title, en.Title, len(de.Sections), len(en.Sections))
	}
	english := map[string]bool{}
	for _, s := range en.Sections {
		english[s.Title] = true
		for _, b := range s.Blocks {
			if b.Heading != "" {
				english[b.Heading] = true
			}
			if b.Table != nil {
				english[b.Table.Caption] = true
				for _, h := range b.Table.Header {
					english[h] = true
				}
			}
		}
	}
	words := regexp.MustCompile(`\b(Scope|Responsibilit|Retention|Deletion|Data objects|Rules?\b|Proof|Document version|Procedure|Legal basis|Request type|Attribute|Backups|Restriction)`)
	for _, s := range de.Sections {
		var headings []string
		headings = append(headings, s.Title)
		for _, b := range s.Blocks {
			if b.Heading != "" {
				headings = append(headings, b.Heading)
			}
			if b.Table != nil {
				headings = append(headings, b.Table.Caption)
				headings = append(headings, b.Table.Header...)
			}
		}
		for _, h := range headings {
			if english[h] && h != "Name" || words.MatchString(h) {
				t.Errorf("German document has the English heading %q", h)
			}
		}
	}
	md := string(de.Markdown())
	for _, w := range []string{"## 1. Geltungsbereich und Zweck", "## 4. Löschklassen", "## 5. Löschregeln", "## 10. Dokumentversion", "nicht von Hand bearbeiten"} {
		if !strings.Contains(md, w) {
			t.Errorf("German document lacks %q", w)
		}
	}
	for _, w := range []string{" then delete", " after closure", "Legal basis", "in force"} {
		if strings.Contains(md, w) {
			t.Errorf("German document contains English %q", w)
		}
	}
}

// TestDeletionConceptEscaped checks that texts of the policy cannot
// inject markup into the HTML or the Markdown.
func TestDeletionConceptEscaped(t *testing.T) {
	body := strings.Replace(string(DefaultYAML()),
		`{de: "Support Standard: 90 Tage nach Abschluss", en: "Support standard: 90 days after closure"}`,
		`{de: "<script>alert(1)</script> | Standard", en: "<script>alert(1)</script> | standard"}`, 1)
	p, err := Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if p.Retention.Rules[0].Name.EN != "<script>alert(1)</script> | standard" {
		t.Fatal("replacement not found")
	}
	for _, lang := range []string{"de", "en"} {
		d := p.DeletionConcept(lang, testMeta)
		for name, out := range map[string]string{"html": string(d.HTML()), "fragment": string(d.HTMLFragment())} {
			if strings.Contains(out, "<script>") {
				t.Errorf("%s/%s: rule name not escaped", lang, name)
			}
			if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s/%s: escaped rule name missing", lang, name)
			}
		}
		md := string(d.Markdown())
		if strings.Contains(md, "<script>") || !strings.Contains(md, `\<script\>alert(1)\</script\> \| `) {
			t.Errorf("%s/markdown: rule name not escaped", lang)
		}
	}
}

// TestDeletionConceptFollowsPolicy checks that a change of the policy
// shows in the document.
func TestDeletionConceptFollowsPolicy(t *testing.T) {
	before := string(Default().DeletionConcept("en", testMeta).Markdown())
	body := strings.Replace(string(DefaultYAML()), "period: P90D", "period: P120D", 1)
	p, err := Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	after := string(p.DeletionConcept("en", testMeta).Markdown())
	if before == after || !strings.Contains(after, "120 days after closure, then delete") || strings.Contains(after, "| 90 days after closure, then delete") {
		t.Error("the document does not follow the changed class")
	}
}

// TestDeletionConceptWithoutRules documents a policy without retention.
func TestDeletionConceptWithoutRules(t *testing.T) {
	p := Default()
	p.Retention.Rules = nil
	p.Retention.Classes = nil
	doc := string(p.DeletionConcept("de", DocumentMeta{}).Markdown())
	for _, w := range []string{"keine Löschregeln", "keine Löschklassen", "Keine Regel löscht einzelne Angaben"} {
		if !strings.Contains(doc, w) {
			t.Errorf("document lacks %q", w)
		}
	}
}

// FuzzMarkdownText checks that no text breaks out of a table cell.
func FuzzMarkdownText(f *testing.F) {
	for _, s := range []string{"a | b", "line\nbreak", "<b>", "`x`", "\\|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mdInline(Inline{{Text: s}, {Text: s, Code: true}})
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("line break in %q", out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] == '|' && (i == 0 || out[i-1] != '\\') {
				t.Fatalf("unescaped pipe in %q", out)
			}
		}
	})
}
