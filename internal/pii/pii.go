package pii

import (
	"sort"
	"strings"
)

// Kind names a category of personal data.
type Kind string

// The kinds of personal data that Scan finds.
const (
	IBAN        Kind = "iban"
	PaymentCard Kind = "payment_card"
	CardCode    Kind = "card_code" // CVC/CVV next to a payment card number
	AHV         Kind = "ahv"       // Swiss social security number (AHV/AVS)
	TaxID       Kind = "tax_id"    // German Steuer-Identifikationsnummer
	Email       Kind = "email"
	Phone       Kind = "phone"
	BirthDate   Kind = "birth_date"
	BirthPlace  Kind = "birth_place"
	IDCard      Kind = "id_card" // German Personalausweis number
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{IBAN, PaymentCard, CardCode, AHV, TaxID, Email, Phone, BirthDate, BirthPlace, IDCard}

// Finding is one piece of personal data in a text. It holds byte offsets
// into the scanned text and never the text itself, so it is safe to log.
type Finding struct {
	Kind       Kind
	Start, End int // byte offsets, Start inclusive, End exclusive
}

var labels = map[Kind][2]string{
	IBAN:        {"[IBAN]", "[IBAN]"},
	PaymentCard: {"[Zahlungskarte]", "[payment card]"},
	CardCode:    {"[Kartenprüfnummer]", "[card security code]"},
	AHV:         {"[AHV-Nummer]", "[AHV number]"},
	TaxID:       {"[Steuer-ID]", "[tax ID]"},
	Email:       {"[E-Mail]", "[email]"},
	Phone:       {"[Telefonnummer]", "[phone number]"},
	BirthDate:   {"[Geburtsdatum]", "[date of birth]"},
	BirthPlace:  {"[Geburtsort]", "[place of birth]"},
	IDCard:      {"[Ausweisnummer]", "[ID card number]"},
}

// Label returns the placeholder for k in German when lang starts with "de"
// and in English otherwise. An unknown kind gives "[?]".
func Label(k Kind, lang string) string {
	l, ok := labels[k]
	if !ok {
		return "[?]"
	}
	if strings.HasPrefix(strings.ToLower(lang), "de") {
		return l[0]
	}
	return l[1]
}

// Mask returns text with each finding replaced by label(kind). Findings are
// expected as Scan returns them (sorted, non-overlapping); findings that are
// out of bounds or overlap an earlier one are skipped. A nil label uses the
// English labels.
func Mask(text string, findings []Finding, label func(Kind) string) string {
	if len(findings) == 0 {
		return text
	}
	if label == nil {
		label = func(k Kind) string { return Label(k, "en") }
	}
	var b strings.Builder
	b.Grow(len(text))
	pos := 0
	for _, f := range findings {
		if f.Start < pos || f.End > len(text) || f.Start >= f.End {
			continue
		}
		b.WriteString(text[pos:f.Start])
		b.WriteString(label(f.Kind))
		pos = f.End
	}
	b.WriteString(text[pos:])
	return b.String()
}

// Scan finds personal data in text. The findings are sorted by Start and do
// not overlap; where candidates overlap, the longest wins.
func Scan(text string) []Finding {
	s := scanner{text: text, phoneCtx: -1 << 30, idCtx: -1 << 30, numCtx: -1 << 30}
	s.run()
	return resolve(s.found)
}

// resolve keeps the longest of overlapping findings and sorts by position.
func resolve(f []Finding) []Finding {
	if len(f) < 2 {
		return f
	}
	sort.SliceStable(f, func(i, j int) bool {
		li, lj := f[i].End-f[i].Start, f[j].End-f[j].Start
		if li != lj {
			return li > lj
		}
		return f[i].Start < f[j].Start
	})
	kept := f[:0:0]
	for _, c := range f {
		ok := true
		for _, k := range kept {
			if c.Start < k.End && k.Start < c.End {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, c)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	return kept
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80 }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
func lower(c byte) byte {
	if isUpper(c) {
		return c | 0x20
	}
	return c
}

// digitsOnly strips the separators people write inside numbers and reports
// false when anything else is present.
func digitsOnly(s string, seps string) (string, bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			b = append(b, c)
		case strings.IndexByte(seps, c) >= 0:
		default:
			return "", false
		}
	}
	return string(b), true
}
