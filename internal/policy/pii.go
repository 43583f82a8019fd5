package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"frist/internal/pii"
)

// PIISource is whose free text is screened for personal data.
type PIISource string

// The sources of free text.
const (
	// PIICustomer is the customer's text: the request's subject and
	// message and the replies on the status page.
	PIICustomer PIISource = "customer"
	// PIIAgent is agents' text: public replies and internal notes.
	PIIAgent PIISource = "agent"
)

// PIIRules is an action per kind of personal data (pii.Kind names such as
// iban, payment_card, birth_date).
type PIIRules map[pii.Kind]pii.Action

// PIIActions holds the rules for customers' and for agents' text.
type PIIActions struct {
	Customer PIIRules `yaml:"customer,omitempty"`
	Agent    PIIRules `yaml:"agent,omitempty"`
}

func (a PIIActions) rules(src PIISource) PIIRules {
	if src == PIIAgent {
		return a.Agent
	}
	return a.Customer
}

// PII decides what happens to personal data found in free text when it is
// stored: masked (replaced before anything is stored, indexed or sent),
// flagged for the agent, or left. The top-level rules apply to every
// request type; RequestTypes override them kind by kind. Kinds no rule
// names get the built-in defaults (DefaultPIIAction). Payment card numbers
// and card security codes are always masked (PCI DSS), whatever the file
// says: a policy that asks otherwise is refused.
type PII struct {
	PIIActions   `yaml:",inline"`
	RequestTypes map[string]PIIActions `yaml:"request_types,omitempty"`
}

// alwaysMasked are the kinds PCI DSS forbids storing: a card number beyond
// its first six and last four digits, and the security code.
var alwaysMasked = map[pii.Kind]string{
	pii.PaymentCard: "payment card numbers",
	pii.CardCode:    "card security codes",
}

// DefaultPIIAction is the built-in action for a kind: payment cards and
// their security codes are masked; bank, social security, tax and ID card
// numbers and dates and places of birth are flagged; email addresses and
// phone numbers, which customers and agents give to be reached, are left.
func DefaultPIIAction(k pii.Kind) pii.Action {
	switch k {
	case pii.PaymentCard, pii.CardCode:
		return pii.ActionMask
	case pii.Email, pii.Phone:
		return pii.ActionLeave
	}
	return pii.ActionFlag
}

// PIIAction returns what happens to personal data of kind k in text from
// src on a ticket of the request type: the request type's rule, else the
// general rule, else the built-in default.
func (p *Policy) PIIAction(requestType string, src PIISource, k pii.Kind) pii.Action {
	if _, ok := alwaysMasked[k]; ok {
		return pii.ActionMask
	}
	if a, ok := p.PII.RequestTypes[requestType].rules(src)[k]; ok {
		return a
	}
	if a, ok := p.PII.rules(src)[k]; ok {
		return a
	}
	return DefaultPIIAction(k)
}

// PIIDecider returns PIIAction for one request type and source, as
// pii.Redact takes it.
func (p *Policy) PIIDecider(requestType string, src PIISource) func(pii.Kind) pii.Action {
	return func(k pii.Kind) pii.Action { return p.PIIAction(requestType, src, k) }
}

func (x *PII) validate(types map[string]bool) error {
	if err := x.PIIActions.validate("pii"); err != nil {
		return err
	}
	ids := make([]string, 0, len(x.RequestTypes))
	for id := range x.RequestTypes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !types[id] {
			return fmt.Errorf("pii.request_types: request type %q is not declared", id)
		}
		if err := x.RequestTypes[id].validate("pii.request_types." + id); err != nil {
			return err
		}
	}
	return nil
}

func (a PIIActions) validate(path string) error {
	for _, src := range []PIISource{PIICustomer, PIIAgent} {
		rules := a.rules(src)
		kinds := make([]string, 0, len(rules))
		for k := range rules {
			kinds = append(kinds, string(k))
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			kind, action := pii.Kind(k), rules[pii.Kind(k)]
			at := path + "." + string(src) + "." + k
			switch {
			case !slices.Contains(pii.Kinds, kind):
				return fmt.Errorf("%s: unknown kind %q; kinds are %s", at, k, kindList())
			case !action.Valid():
				return fmt.Errorf("%s: action %q is not one of mask, flag, leave", at, action)
			case alwaysMasked[kind] != "" && action != pii.ActionMask:
				return fmt.Errorf("%s: %s are always masked (PCI DSS); %q is not allowed", at, alwaysMasked[kind], action)
			}
		}
	}
	return nil
}

func kindList() string {
	s := make([]string, len(pii.Kinds))
	for i, k := range pii.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
