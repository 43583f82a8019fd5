package desk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"frist/internal/pii"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// This file holds the pure rules by which a training dataset's free text
// and form fields lose their personal data: known names and addresses
// become pseudonyms, detected personal data becomes a label, ticket
// numbers become the dataset's, and dates move with the dataset's offset.

// replacement is a text to find (case-insensitively, as a whole word)
// and what to put in its place.
type replacement struct{ needle, with string }

// nameIndex holds replacements by the lower-cased first letter of their
// needle, longest first, so that a text is scanned once however many
// agents an installation has.
type nameIndex map[rune][]replacement

// nameParticles are parts of names too common to replace on their own.
var nameParticles = map[string]bool{
	"von": true, "van": true, "der": true, "den": true, "del": true, "zum": true, "zur": true, "und": true,
	"dr.": true, "prof.": true, "herr": true, "frau": true, "mrs.": true,
}

// add adds a replacement; needles shorter than three letters are left
// out (they would replace parts of ordinary words' neighbours).
func (ix nameIndex) add(needle, with string) {
	needle = strings.Join(strings.Fields(needle), " ")
	if utf8.RuneCountInString(needle) < 3 || with == "" {
		return
	}
	r, _ := utf8.DecodeRuneInString(needle)
	r = unicode.ToLower(r)
	list := append(ix[r], replacement{needle: needle, with: with})
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].needle) > len(list[j].needle) })
	ix[r] = list
}

// addPerson adds a person's full name, each part of it and their email
// address.
func (ix nameIndex) addPerson(name, email, withName, withEmail string) {
	ix.add(name, withName)
	for _, part := range strings.Fields(name) {
		if !nameParticles[strings.ToLower(part)] {
			ix.add(strings.Trim(part, ",;"), withName)
		}
	}
	ix.add(email, withEmail)
}

// isWordRune reports whether r continues a word.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// replaceNames replaces every whole-word occurrence of a needle of the
// indexes by its replacement; where needles overlap, the longest wins.
func replaceNames(text string, indexes ...nameIndex) string {
	var b strings.Builder
	last, i := 0, 0
	prevWord := false
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !prevWord {
			if rep, ok := matchName(text, i, unicode.ToLower(r), indexes); ok {
				b.WriteString(text[last:i])
				b.WriteString(rep.with)
				i += len(rep.needle)
				last, prevWord = i, true
				continue
			}
		}
		prevWord = isWordRune(r)
		i += size
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func matchName(text string, i int, first rune, indexes []nameIndex) (replacement, bool) {
	var best replacement
	found := false
	for _, ix := range indexes {
		for _, rep := range ix[first] {
			n := len(rep.needle)
			if found && n <= len(best.needle) {
				break
			}
			if i+n > len(text) || !strings.EqualFold(text[i:i+n], rep.needle) {
				continue
			}
			if next, _ := utf8.DecodeRuneInString(text[i+n:]); i+n < len(text) && isWordRune(next) {
				continue
			}
			best, found = rep, true
			break
		}
	}
	return best, found
}

// ticketNumberPattern finds ticket numbers in text ("F-100042").
var ticketNumberPattern = regexp.MustCompile(`(?i)\bF-\d{6,}\b`)

// ticketNumberLabel replaces a ticket number that is not in the dataset.
func ticketNumberLabel(lang string) string {
	if lang == "en" {
		return "[ticket number]"
	}
	return "[Ticketnummer]"
}

// replaceTicketNumbers gives ticket numbers of the dataset their new
// number and replaces any other by a label.
func replaceTicketNumbers(text string, numbers map[int64]string, lang string) string {
	return ticketNumberPattern.ReplaceAllStringFunc(text, func(s string) string {
		if id, err := ticket.ParseNumber(s); err == nil {
			if n, ok := numbers[id]; ok {
				return n
			}
		}
		return ticketNumberLabel(lang)
	})
}

var (
	germanDate = regexp.MustCompile(`\d{1,2}\.\d{1,2}\.\d{2,4}`)
	isoDate    = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
)

// shiftDates moves dates written as 3.12.2026, 03.12.26 or 2026-12-03 by
// days, keeping how each was written; other numbers stay as they are.
func shiftDates(text string, days int) string {
	if days == 0 {
		return text
	}
	text = replaceBounded(text, germanDate, false, func(s string) (string, bool) {
		parts := strings.Split(s, ".")
		if len(parts[2]) == 3 {
			return "", false
		}
		d, _ := strconv.Atoi(parts[0])
		m, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			y += 2000
		}
		t, ok := validDate(y, m, d)
		if !ok {
			return "", false
		}
		t = t.AddDate(0, 0, days)
		year := strconv.Itoa(t.Year())
		if len(parts[2]) == 2 {
			year = fmt.Sprintf("%02d", t.Year()%100)
		}
		return fmt.Sprintf("%0*d.%0*d.%s", len(parts[0]), t.Day(), len(parts[1]), int(t.Month()), year), true
	})
	return replaceBounded(text, isoDate, true, func(s string) (string, bool) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", false
		}
		return t.AddDate(0, 0, days).Format(time.DateOnly), true
	})
}

// validDate returns the date if y-m-d is one.
func validDate(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// replaceBounded replaces matches of re that stand alone (no digit or dot
// right before or after, nor a dash with dashed) by fn's result, where fn
// accepts them.
func replaceBounded(text string, re *regexp.Regexp, dashed bool, fn func(string) (string, bool)) string {
	locs := re.FindAllStringIndex(text, -1)
	if len(locs) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		if b := l[0]; b > 0 && (isDigitOrDot(text[b-1]) || dashed && text[b-1] == '-') {
			continue // part of a longer number
		}
		if e := l[1]; e < len(text) && (isDigit(text[e]) || (text[e] == '.' || dashed && text[e] == '-') && e+1 < len(text) && isDigit(text[e+1])) {
			continue // part of a longer number; a sentence's full stop is fine
		}
		s, ok := fn(text[l[0]:l[1]])
		if !ok {
			continue
		}
		b.WriteString(text[last:l[0]])
		b.WriteString(s)
		last = l[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isDigitOrDot(c byte) bool { return isDigit(c) || c == '.' }

// maskPII replaces the personal data pii.Scan finds by its label in lang.
func maskPII(text, lang string) string {
	return pii.Mask(text, pii.Scan(text), func(k pii.Kind) string { return pii.Label(k, lang) })
}

// fieldCode returns six hex digits derived from a form field's value with
// the installation's key: the same value gives the same code in every
// ticket, and nobody without the key can tell the value from it.
func fieldCode(key []byte, field, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("field:" + field))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)[:3]))
}

// pseudonymField returns the pseudonym of a form field's value that names
// or identifies someone (contact data, and identifiers such as invoice
// or customer numbers, which lead back to a person through other
// records): an address under example.invalid for emails, the value's
// letter prefix and a code ("K-7F3A9C") or digits ("+49 000 12345678")
// where the field's format needs them. It reports false when no
// pseudonym fits the field's format; the field is then left out. The
// options of a select stay: they name no one.
func pseudonymField(key []byte, a *privacy.Attribute, value string) (string, bool) {
	code := fieldCode(key, a.ID, value)
	var candidates []string
	switch a.Kind {
	case privacy.KindSelect:
		return value, true
	case privacy.KindDate:
		return "", false
	case privacy.KindEmail:
		candidates = []string{"kontakt-" + strings.ToLower(code) + "@example.invalid"}
	default:
		n, _ := strconv.ParseUint(code, 16, 64)
		candidates = []string{letterPrefix(value) + code, "P-" + code, fmt.Sprintf("+49 000 %08d", n%100000000)}
	}
	for _, c := range candidates {
		if v, msg := a.Normalize(c); msg == "" && v != "" {
			return v, true
		}
	}
	return "", false
}

// letterPrefix returns the letters an identifier starts with and the dash
// or slash after them ("K-" of "K-1042", "RE/" of "RE/2026/17"), at most
// four letters; "" when it starts otherwise.
func letterPrefix(v string) string {
	i := 0
	for i < len(v) && i < 4 && (v[i]|0x20 >= 'a' && v[i]|0x20 <= 'z') {
		i++
	}
	if i == 0 || i >= len(v) || (v[i] != '-' && v[i] != '/') {
		return ""
	}
	return v[:i+1]
}

// identifies reports whether a form field's value is pseudonymised rather
// than kept or redacted as text: contact data, and request content that
// is an identifier (a one-line field with a format, such as an invoice
// number).
func identifies(a *privacy.Attribute) bool {
	return a.Category == privacy.Contact || a.Category == privacy.Content && a.Kind == privacy.KindText && a.Pattern != ""
}
