package policy

import (
	"strings"
	"testing"

	"frist/internal/pii"
)

func TestPIIAction(t *testing.T) {
	p := &Policy{PII: PII{
		PIIActions: PIIActions{
			Customer: PIIRules{pii.Email: pii.ActionFlag, pii.IBAN: pii.ActionMask},
			Agent:    PIIRules{pii.Phone: pii.ActionFlag},
		},
		RequestTypes: map[string]PIIActions{
			"invoice_question":  {Customer: PIIRules{pii.IBAN: pii.ActionLeave}, Agent: PIIRules{pii.IBAN: pii.ActionLeave}},
			"technical_problem": {Customer: PIIRules{pii.BirthDate: pii.ActionMask}},
			// Hand-built to show that PIIAction holds even where
			// validation was skipped.
			"complaint": {Customer: PIIRules{pii.PaymentCard: pii.ActionLeave}},
		},
	}}
	tests := []struct {
		rt   string
		src  PIISource
		kind pii.Kind
		want pii.Action
	}{
		// Built-in defaults where no rule names the kind.
		{"general_question", PIICustomer, pii.PaymentCard, pii.ActionMask},
		{"general_question", PIICustomer, pii.CardCode, pii.ActionMask},
		{"general_question", PIICustomer, pii.AHV, pii.ActionFlag},
		{"general_question", PIICustomer, pii.TaxID, pii.ActionFlag},
		{"general_question", PIICustomer, pii.IDCard, pii.ActionFlag},
		{"general_question", PIICustomer, pii.BirthDate, pii.ActionFlag},
		{"general_question", PIICustomer, pii.BirthPlace, pii.ActionFlag},
		{"general_question", PIICustomer, pii.Phone, pii.ActionLeave},
		{"general_question", PIIAgent, pii.Email, pii.ActionLeave},
		{"general_question", PIIAgent, pii.IBAN, pii.ActionFlag},
		// General rules, per source.
		{"general_question", PIICustomer, pii.Email, pii.ActionFlag},
		{"general_question", PIICustomer, pii.IBAN, pii.ActionMask},
		{"general_question", PIIAgent, pii.Phone, pii.ActionFlag},
		{"general_question", PIICustomer, pii.Phone, pii.ActionLeave},
		// Request type rules win, per kind and source.
		{"invoice_question", PIICustomer, pii.IBAN, pii.ActionLeave},
		{"invoice_question", PIIAgent, pii.IBAN, pii.ActionLeave},
		{"invoice_question", PIICustomer, pii.Email, pii.ActionFlag},
		{"technical_problem", PIICustomer, pii.BirthDate, pii.ActionMask},
		{"technical_problem", PIIAgent, pii.BirthDate, pii.ActionFlag},
		{"technical_problem", PIICustomer, pii.IBAN, pii.ActionMask},
		// Cards are masked, whatever a rule says.
		{"complaint", PIICustomer, pii.PaymentCard, pii.ActionMask},
		{"unknown_type", PIIAgent, pii.PaymentCard, pii.ActionMask},
	}
	for _, tt := range tests {
		if got := p.PIIAction(tt.rt, tt.src, tt.kind); got != tt.want {
			t.Errorf("PIIAction(%s, %s, %s) = %s, want %s", tt.rt, tt.src, tt.kind, got, tt.want)
		}
	}
}

func TestPIIDefaultPolicy(t *testing.T) {
	p := Default()
	for _, src := range []PIISource{PIICustomer, PIIAgent} {
		for _, k := range pii.Kinds {
			if got, want := p.PIIAction("general_question", src, k), DefaultPIIAction(k); got != want {
				t.Errorf("default policy, %s %s: %s, built-in %s", src, k, got, want)
			}
		}
	}
	if got := p.PIIAction("invoice_question", PIIAgent, pii.IBAN); got != pii.ActionLeave {
		t.Errorf("invoice replies: IBAN %s, want leave", got)
	}
	if got := p.PIIAction("technical_problem", PIICustomer, pii.BirthDate); got != pii.ActionMask {
		t.Errorf("technical problems: birth date %s, want mask", got)
	}
	// The section survives an export.
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.PIIAction("technical_problem", PIICustomer, pii.BirthPlace); got != pii.ActionMask {
		t.Errorf("after export: birth place %s, want mask", got)
	}
}

func TestPIIParseErrors(t *testing.T) {
	base := string(DefaultYAML())
	for name, tc := range map[string]struct{ old, new, want string }{
		"CardFlagged":     {"  customer:\n    payment_card: mask", "  customer:\n    payment_card: flag", `pii.customer.payment_card: payment card numbers are always masked (PCI DSS); "flag" is not allowed`},
		"CardLeft":        {"  agent:\n    payment_card: mask", "  agent:\n    payment_card: leave", `pii.agent.payment_card: payment card numbers are always masked`},
		"CodeLeft":        {"    card_code: mask\n    iban: flag", "    card_code: leave\n    iban: flag", `card security codes are always masked`},
		"CardPerType":     {"agent: {iban: leave}", "agent: {payment_card: flag}", `pii.request_types.invoice_question.agent.payment_card: payment card numbers are always masked`},
		"UnknownKind":     {"    iban: flag\n    ahv: flag", "    card: flag\n    ahv: flag", `pii.customer.card: unknown kind "card"; kinds are iban, payment_card,`},
		"UnknownAction":   {"    iban: flag\n    ahv: flag", "    iban: hide\n    ahv: flag", `pii.customer.iban: action "hide" is not one of mask, flag, leave`},
		"UnknownType":     {"    invoice_question:\n      agent:", "    invoice_questions:\n      agent:", `pii.request_types: request type "invoice_questions" is not declared`},
		"UnknownSource":   {"      agent: {iban: leave}", "      trainee: {iban: leave}", "trainee"},
		"UnknownKeyInPII": {"pii:\n  customer:", "pii:\n  intake: {}\n  customer:", "intake"},
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(base, tc.old, tc.new, 1)
			if src == base {
				t.Fatalf("replacement %q not found", tc.old)
			}
			_, err := Parse([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestPIISectionOptional(t *testing.T) {
	base := string(DefaultYAML())
	start := strings.Index(base, "\npii:\n")
	end := strings.Index(base, "# Deletion concept")
	if start < 0 || end < start {
		t.Fatal("pii section not found in the default policy")
	}
	p, err := Parse([]byte(base[:start+1] + base[end:]))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range pii.Kinds {
		if got, want := p.PIIAction("invoice_question", PIIAgent, k), DefaultPIIAction(k); got != want {
			t.Errorf("without a pii section, %s: %s, want %s", k, got, want)
		}
	}
}
