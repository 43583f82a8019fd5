package privacy

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"frist/internal/pii"
)

// Replacement is a known datum of a ticket, such as the customer's name,
// to replace wherever it occurs in free text.
type Replacement struct {
	// Value is matched case-insensitively as whole words; a space in it
	// matches any run of white space. Values of fewer than three letters
	// or digits are ignored: they would match too much.
	Value string
	With  string // what replaces it, e.g. a pseudonym or "[Geburtsort]"
	// Digits matches Value as a phone number: by its digits, whatever
	// separators were typed, with or without the country code or the
	// leading 0.
	Digits bool
}

// Redaction replaces the personal data a viewer may not see in free text:
// known data of the ticket (Replacement) and what the detectors of package
// pii find. It is safe for concurrent use.
type Redaction struct {
	words  []wordValue
	phones []phoneValue
	kind   func(pii.Kind) (string, bool)
}

type wordValue struct {
	re   *regexp.Regexp
	with string
}

type phoneValue struct {
	digits string // see nationalDigits
	with   string
}

// minValueLen is the fewest letters or digits a Replacement needs.
const minValueLen = 3

// NewRedaction returns a redaction of the values and of detected personal
// data: kind says what replaces a detected kind and false to keep it; it
// is called once for each piece of personal data found.
func NewRedaction(values []Replacement, kind func(pii.Kind) (with string, replace bool)) *Redaction {
	r := &Redaction{kind: kind}
	for _, v := range values {
		if v.Digits {
			if d := nationalDigits(v.Value); len(d) >= 6 {
				r.phones = append(r.phones, phoneValue{d, v.With})
			}
			continue
		}
		words := strings.Fields(v.Value)
		n := 0
		for _, c := range v.Value {
			if unicode.IsLetter(c) || unicode.IsDigit(c) {
				n++
			}
		}
		if n < minValueLen {
			continue
		}
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		r.words = append(r.words, wordValue{re: regexp.MustCompile(`(?i)` + strings.Join(words, `\s+`)), with: v.With})
	}
	return r
}

// Detect finds personal data in free text: what pii.Scan finds, and
// payment card numbers in the truncated form that is all Frist stores of
// them (pii.TruncateCard), which is card data too.
func Detect(text string) []pii.Finding {
	found := pii.Scan(text)
	for _, m := range truncatedCards(text) {
		overlaps := false
		for _, f := range found {
			overlaps = overlaps || (m[0] < f.End && f.Start < m[1])
		}
		if !overlaps {
			found = append(found, pii.Finding{Kind: pii.PaymentCard, Start: m[0], End: m[1]})
		}
	}
	return found
}

// span is a piece of text to replace.
type span struct {
	start, end int
	with       string
	known      bool // a known value, preferred over a detection of the same length
}

// Apply returns text with the known values and the detected personal data
// replaced. Where matches overlap, the longest wins, and on equal length a
// known value wins over a detection (the customer's own address becomes
// their pseudonymous address rather than "[E-Mail]").
func (r *Redaction) Apply(text string) string {
	if text == "" {
		return text
	}
	var spans []span
	for _, w := range r.words {
		for _, m := range w.re.FindAllStringIndex(text, -1) {
			if wordBoundary(text, m[0], m[1]) {
				spans = append(spans, span{m[0], m[1], w.with, true})
			}
		}
	}
	if len(r.phones) > 0 {
		for _, m := range numberRuns(text) {
			d := nationalDigits(text[m[0]:m[1]])
			for _, p := range r.phones {
				if samePhone(p.digits, d) {
					spans = append(spans, span{m[0], m[1], p.with, true})
					break
				}
			}
		}
	}
	if r.kind != nil {
		for _, f := range Detect(text) {
			if with, ok := r.kind(f.Kind); ok {
				spans = append(spans, span{f.Start, f.End, with, false})
			}
		}
	}
	if len(spans) == 0 {
		return text
	}
	sort.SliceStable(spans, func(i, j int) bool {
		li, lj := spans[i].end-spans[i].start, spans[j].end-spans[j].start
		if li != lj {
			return li > lj
		}
		if spans[i].known != spans[j].known {
			return spans[i].known
		}
		return spans[i].start < spans[j].start
	})
	kept := spans[:0:0]
	for _, s := range spans {
		ok := true
		for _, k := range kept {
			if s.start < k.end && k.start < s.end {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, s)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	var b strings.Builder
	b.Grow(len(text))
	pos := 0
	for _, s := range kept {
		b.WriteString(text[pos:s.start])
		b.WriteString(s.with)
		pos = s.end
	}
	b.WriteString(text[pos:])
	return b.String()
}

// wordBoundary reports whether text[start:end] is not part of a longer
// word or number.
func wordBoundary(text string, start, end int) bool {
	if start > 0 {
		c, _ := utf8.DecodeLastRuneInString(text[:start])
		first, _ := utf8.DecodeRuneInString(text[start:])
		if isWordRune(c) && isWordRune(first) {
			return false
		}
	}
	if end < len(text) {
		c, _ := utf8.DecodeRuneInString(text[end:])
		last, _ := utf8.DecodeLastRuneInString(text[:end])
		if isWordRune(c) && isWordRune(last) {
			return false
		}
	}
	return true
}

func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

// numberRuns returns the byte ranges of numbers as people type phone
// numbers: a digit or "+", then digits and the separators " ()/.-",
// ending in a digit; not glued to a letter or digit before.
func numberRuns(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		c := text[i]
		if !(c >= '0' && c <= '9' || c == '+') {
			i++
			continue
		}
		if i > 0 {
			if p, _ := utf8.DecodeLastRuneInString(text[:i]); isWordRune(p) {
				for i < len(text) && (text[i] >= '0' && text[i] <= '9' || text[i] == '+') {
					i++
				}
				continue
			}
		}
		start, lastDigit := i, -1
		j := i
		for ; j < len(text); j++ {
			c := text[j]
			if c >= '0' && c <= '9' {
				lastDigit = j
				continue
			}
			if (c == '+' && j == start) || strings.IndexByte(" ()/.-", c) >= 0 {
				continue
			}
			break
		}
		if lastDigit >= 0 {
			end := lastDigit + 1
			if end >= len(text) || !isWordRune(rune(text[end])) {
				out = append(out, [2]int{start, end})
			}
		}
		i = max(j, i+1)
	}
	return out
}

// nationalDigits returns the digits of a phone number without an
// international prefix "00" or a trunk prefix "0".
func nationalDigits(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	d := strings.TrimPrefix(string(b), "00")
	return strings.TrimPrefix(d, "0")
}

// samePhone reports whether two phone numbers in nationalDigits form are
// the same number, one perhaps with a country code (one to three digits)
// the other lacks.
func samePhone(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	return len(b) >= 6 && len(a)-len(b) <= 3 && strings.HasSuffix(a, b)
}

// truncatedCards returns the byte ranges of payment card numbers in the
// form pii.TruncateCard leaves: 13 to 19 digits and asterisks, spaces or
// dashes between them, at least four of each.
func truncatedCards(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		c := text[i]
		if !(c >= '0' && c <= '9' || c == '*') || (i > 0 && isWordRune(rune(text[i-1]))) {
			i++
			continue
		}
		start, end, digits, stars := i, i, 0, 0
	scan:
		for j := i; j < len(text); j++ {
			switch c := text[j]; {
			case c >= '0' && c <= '9':
				digits++
				end = j + 1
			case c == '*':
				stars++
				end = j + 1
			case c == ' ' || c == '-':
			default:
				break scan
			}
		}
		if n := digits + stars; n >= 13 && n <= 19 && digits >= 4 && stars >= 4 && (end >= len(text) || !isWordRune(rune(text[end]))) {
			out = append(out, [2]int{start, end})
		}
		i = max(end, i+1)
	}
	return out
}
