package pii

import "strings"

// Action is what happens to a finding when text is stored.
type Action string

// The actions a policy may choose per kind.
const (
	ActionMask  Action = "mask"  // replaced in storage; the original is never stored
	ActionFlag  Action = "flag"  // kept, and the message is marked for the agent
	ActionLeave Action = "leave" // kept and not marked
)

// Actions lists every action in a stable order.
var Actions = []Action{ActionMask, ActionFlag, ActionLeave}

// Valid reports whether a is one of Actions.
func (a Action) Valid() bool { return a == ActionMask || a == ActionFlag || a == ActionLeave }

// Count says how often one kind of personal data was found in a text and
// what was done with it. It never holds the text.
type Count struct {
	Kind   Kind
	Action Action
	N      int
}

// Redact applies an action to each finding in text, as Scan returns them.
// ActionMask replaces a payment card number by TruncateCard's form and any
// other kind by Label(kind, lang); ActionFlag and ActionLeave keep the
// text. It returns the new text and, in the order of Kinds, how many
// findings of each kind were masked or flagged; left findings are not
// counted. A nil action masks everything.
func Redact(text string, findings []Finding, action func(Kind) Action, lang string) (string, []Count) {
	if len(findings) == 0 {
		return text, nil
	}
	var masked, flagged [16]int
	var b strings.Builder
	pos := 0
	for _, f := range findings {
		if f.Start < pos || f.End > len(text) || f.Start >= f.End {
			continue
		}
		a := ActionMask
		if action != nil {
			a = action(f.Kind)
		}
		switch a {
		case ActionFlag:
			flagged[kindIndex(f.Kind)]++
		case ActionMask:
			masked[kindIndex(f.Kind)]++
			if b.Len() == 0 {
				b.Grow(len(text) + 16)
			}
			b.WriteString(text[pos:f.Start])
			if f.Kind == PaymentCard {
				b.WriteString(TruncateCard(text[f.Start:f.End]))
			} else {
				b.WriteString(Label(f.Kind, lang))
			}
			pos = f.End
		}
	}
	out := text
	if pos > 0 {
		b.WriteString(text[pos:])
		out = b.String()
	}
	var counts []Count
	for i, k := range Kinds {
		if masked[i] > 0 {
			counts = append(counts, Count{Kind: k, Action: ActionMask, N: masked[i]})
		}
		if flagged[i] > 0 {
			counts = append(counts, Count{Kind: k, Action: ActionFlag, N: flagged[i]})
		}
	}
	return out, counts
}

// kindIndex returns k's position in Kinds; unknown kinds share the last
// slot, which Redact never reports.
func kindIndex(k Kind) int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return 15
}

// TruncateCard returns a payment card number with every digit but the
// first six and the last four replaced by '*', keeping the spaces and
// dashes it was written with: "4111 1111 1111 1111" becomes
// "4111 11** **** 1111". This is the most of a card number PCI DSS allows
// to be stored. A number of ten digits or fewer is replaced entirely.
func TruncateCard(s string) string {
	digits := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	b := []byte(s)
	n := 0
	for i, c := range b {
		if !isDigit(c) {
			continue
		}
		if digits <= 10 || n >= 6 && n < digits-4 {
			b[i] = '*'
		}
		n++
	}
	return string(b)
}
