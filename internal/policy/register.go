package policy

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"frist/internal/privacy"

	"go.yaml.in/yaml/v3"
)

// Register returns the register of processors and the outbound
// integrations of the policy.
func (p *Policy) Register() privacy.Register {
	return privacy.Register{Processors: p.Processors, Integrations: p.Integrations}
}

// Processor returns the processor with the id.
func (p *Policy) Processor(id string) (*privacy.Processor, bool) { return p.Register().Processor(id) }

// Findings returns the open compliance items of the policy at now, days
// counted in the organisation's time zone; see privacy.Register.Findings.
func (p *Policy) Findings(now time.Time) []privacy.Finding {
	return p.Register().Findings(now, p.location)
}

// CheckIntegrations is the gate every outbound integration passes when a
// policy is applied: it returns an error naming each enabled integration
// whose processor is not registered or has no AVV in force at now, unless
// an avv_override in force covers it; nil when there is none.
func (p *Policy) CheckIntegrations(now time.Time) error {
	refused := privacy.Refusals(p.Findings(now))
	if len(refused) == 0 {
		return nil
	}
	msgs := make([]string, len(refused))
	for i, f := range refused {
		msgs[i] = f.Text.EN
	}
	return fmt.Errorf("integrations: %s", strings.Join(msgs, " "))
}

// Overrides returns the enabled integrations that run under an
// avv_override at now: applying the policy records each in the audit
// trail.
func (p *Policy) Overrides(now time.Time) []privacy.Integration {
	return p.Register().Overrides(now, p.location)
}

// registerComment heads a processors section that WithProcessors adds to
// a policy file without one.
const registerComment = `Register of processors (Auftragsverarbeiter, GDPR Art. 28): every
provider that receives personal data from Frist, with its AVV.`

// WithProcessors returns the policy file body with its processors section
// replaced by ps (removed when ps is empty), every other section and its
// comments kept as they were. It is how forms edit the register: the
// result is applied as a new policy version like any other.
func WithProcessors(body []byte, ps []privacy.Processor) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("policy: the file is not a mapping of sections")
	}
	root := doc.Content[0]
	var value *yaml.Node
	if len(ps) > 0 {
		value = &yaml.Node{}
		if err := value.Encode(ps); err != nil {
			return nil, fmt.Errorf("policy: processors: %w", err)
		}
		compact(value)
	}
	at := -1
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "processors" {
			at = i
		}
	}
	switch {
	case at >= 0 && value != nil:
		root.Content[at+1] = value
	case at >= 0:
		root.Content = append(root.Content[:at], root.Content[at+2:]...)
	case value != nil:
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "processors", HeadComment: registerComment}
		// Before the integrations that name them, else at the end.
		at = len(root.Content)
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "integrations" {
				at = i
			}
		}
		root.Content = append(root.Content[:at], append([]*yaml.Node{key, value}, root.Content[at:]...)...)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return separateSections(buf.Bytes()), nil
}

// separateSections puts back the blank line before each top-level section
// that YAML encoding drops: before a line at the left margin (a section's
// key or the comment above it) that follows an indented line.
func separateSections(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	var out strings.Builder
	for i, l := range lines {
		if i > 0 && l != "" && l != "\n" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "-") {
			if prev := lines[i-1]; strings.HasPrefix(prev, " ") || strings.HasPrefix(prev, "-") {
				out.WriteString("\n")
			}
		}
		out.WriteString(l)
	}
	return []byte(out.String())
}

// compact writes short values on one line, as the default policy does:
// lists of plain values ([contact, request_content]) and German and
// English texts ({de: …, en: …}).
func compact(n *yaml.Node) {
	switch n.Kind {
	case yaml.SequenceNode:
		flat := len(n.Content) > 0
		for _, c := range n.Content {
			flat = flat && c.Kind == yaml.ScalarNode
		}
		if flat {
			n.Style = yaml.FlowStyle
		}
	case yaml.MappingNode:
		if len(n.Content) == 4 && n.Content[0].Value == "de" && n.Content[2].Value == "en" {
			n.Style = yaml.FlowStyle
		}
	}
	for _, c := range n.Content {
		compact(c)
	}
}
