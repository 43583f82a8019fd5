package desk

import (
	"fmt"
	"strings"

	"frist/internal/pii"
	"frist/internal/policy"
)

// Personal data in free text. Subjects, messages, replies and notes are
// scanned before they are stored, and the policy's pii section decides per
// request type, source and kind: masked text is replaced before the
// transaction writes it, so the original reaches neither the database nor
// the search index, an event, a log line or a page; flagged text is kept
// and the message records the kind for the agent. Each message stores only
// kinds, actions and counts (ticket.Message.PII), never a value.

// screen applies the policy to text from src on a ticket of the request
// type, given the findings pii.Scan returned for it. Masked spans are
// replaced with labels in lang (payment cards truncated).
func screen(p *policy.Policy, requestType string, src policy.PIISource, lang, text string, found []pii.Finding) (string, []pii.Count) {
	return pii.Redact(text, found, p.PIIDecider(requestType, src), lang)
}

// screenRequest scans a request's subject and message as one text, so that
// a card security code in the message is found next to a card number in
// the subject, and applies the policy for the customer's text. It returns
// the subject and message to store and the findings of both.
func screenRequest(p *policy.Policy, requestType, lang, subject, message string) (string, string, []pii.Count) {
	const gap = "\n\n" // no detector reads across a line break
	found := pii.Scan(subject + gap + message)
	if len(found) == 0 {
		return subject, message, nil
	}
	cut := len(subject)
	var inSubject, inMessage []pii.Finding
	for _, f := range found {
		switch {
		case f.End <= cut:
			inSubject = append(inSubject, f)
		case f.Start >= cut+len(gap):
			f.Start -= cut + len(gap)
			f.End -= cut + len(gap)
			inMessage = append(inMessage, f)
		}
	}
	subject, a := screen(p, requestType, policy.PIICustomer, lang, subject, inSubject)
	message, b := screen(p, requestType, policy.PIICustomer, lang, message, inMessage)
	return subject, message, addCounts(a, b)
}

// addCounts merges two lists of findings into one in the order of
// pii.Kinds, adding the counts of the same kind and action.
func addCounts(a, b []pii.Count) []pii.Count {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	var out []pii.Count
	for _, k := range pii.Kinds {
		for _, action := range pii.Actions {
			n := 0
			for _, c := range append(a, b...) {
				if c.Kind == k && c.Action == action {
					n += c.N
				}
			}
			if n > 0 {
				out = append(out, pii.Count{Kind: k, Action: action, N: n})
			}
		}
	}
	return out
}

// WithAction returns the findings the policy handled with action, e.g.
// pii.ActionMask for what the customer is told was masked.
func WithAction(counts []pii.Count, action pii.Action) []pii.Count {
	var out []pii.Count
	for _, c := range counts {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// piiNouns names one and several of a kind, with the indefinite article:
// German and English, singular and plural (%d is the count).
var piiNouns = map[pii.Kind][4]string{
	pii.IBAN:        {"eine IBAN", "%d IBANs", "an IBAN", "%d IBANs"},
	pii.PaymentCard: {"eine Kartennummer", "%d Kartennummern", "a card number", "%d card numbers"},
	pii.CardCode:    {"eine Kartenprüfnummer", "%d Kartenprüfnummern", "a card security code", "%d card security codes"},
	pii.AHV:         {"eine AHV-Nummer", "%d AHV-Nummern", "an AHV number", "%d AHV numbers"},
	pii.TaxID:       {"eine Steuer-Identifikationsnummer", "%d Steuer-Identifikationsnummern", "a tax ID", "%d tax IDs"},
	pii.Email:       {"eine E-Mail-Adresse", "%d E-Mail-Adressen", "an email address", "%d email addresses"},
	pii.Phone:       {"eine Telefonnummer", "%d Telefonnummern", "a phone number", "%d phone numbers"},
	pii.BirthDate:   {"ein Geburtsdatum", "%d Geburtsdaten", "a date of birth", "%d dates of birth"},
	pii.BirthPlace:  {"einen Geburtsort", "%d Geburtsorte", "a place of birth", "%d places of birth"},
	pii.IDCard:      {"eine Ausweisnummer", "%d Ausweisnummern", "an ID card number", "%d ID card numbers"},
}

// DescribePII lists findings in words, in German when lang starts with
// "de" and in English otherwise: "eine Kartennummer und eine
// Kartenprüfnummer", "2 IBANs and a date of birth". Kinds it does not know
// are left out.
func DescribePII(counts []pii.Count, lang string) string {
	de := strings.HasPrefix(lang, "de")
	var parts []string
	for _, c := range counts {
		n, ok := piiNouns[c.Kind]
		if !ok || c.N <= 0 {
			continue
		}
		i := 2
		if de {
			i = 0
		}
		if c.N > 1 {
			parts = append(parts, fmt.Sprintf(n[i+1], c.N))
		} else {
			parts = append(parts, n[i])
		}
	}
	and := " and "
	if de {
		and = " und "
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
}

// MaskedNotice is what the customer is told when personal data in their
// text was masked, e.g. "Zu Ihrem Schutz haben wir eine Kartennummer
// unkenntlich gemacht." It is empty when nothing was masked.
func MaskedNotice(counts []pii.Count, lang string) string {
	masked := WithAction(counts, pii.ActionMask)
	what := DescribePII(masked, lang)
	if what == "" {
		return ""
	}
	card := false
	for _, c := range masked {
		card = card || c.Kind == pii.PaymentCard
	}
	if strings.HasPrefix(lang, "de") {
		s := "Zu Ihrem Schutz haben wir " + what + " unkenntlich gemacht."
		if card {
			s += " Von Kartennummern speichern wir höchstens die ersten sechs und die letzten vier Ziffern; bitte senden Sie uns Kartendaten nicht per Nachricht."
		}
		return s
	}
	s := "For your protection, we have made " + what + " unreadable."
	if card {
		s += " Of card numbers we store at most the first six and the last four digits; please do not send us card details in a message."
	}
	return s
}
