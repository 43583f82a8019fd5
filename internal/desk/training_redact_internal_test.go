package desk

import (
	"strings"
	"testing"

	"frist/internal/privacy"
)

func TestReplaceNames(t *testing.T) {
	ix := nameIndex{}
	ix.addPerson("Erika von Mustermann", "erika@example.org", "Kunde 7F3A9C", "kunde-7f3a9c@example.invalid")
	staff := nameIndex{}
	staff.addPerson("Max Müller", "max@example.org", "Mitarbeiter/in 0A1B2C", "agent-0a1b2c@example.invalid")
	staff.addPerson("Özlem Öztürk", "", "Mitarbeiter/in 3D4E5F", "")
	for _, c := range []struct{ in, want string }{
		{"Erika von Mustermann schreibt.", "Kunde 7F3A9C schreibt."},
		{"Sehr geehrte Frau Mustermann,", "Sehr geehrte Frau Kunde 7F3A9C,"},
		{"MUSTERMANN, erika", "Kunde 7F3A9C, Kunde 7F3A9C"},
		{"Mail: erika@example.org!", "Mail: kunde-7f3a9c@example.invalid!"},
		{"Grüße, Max Müller (max@example.org)", "Grüße, Mitarbeiter/in 0A1B2C (agent-0a1b2c@example.invalid)"},
		{"Frau Öztürk und Max", "Frau Mitarbeiter/in 3D4E5F und Mitarbeiter/in 0A1B2C"},
		// Only whole words; particles stay.
		{"Maxima, Mustermanns, Erikas, von", "Maxima, Mustermanns, Erikas, von"},
		{"", ""},
	} {
		if got := replaceNames(c.in, ix, staff); got != c.want {
			t.Errorf("replaceNames(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestShiftDates(t *testing.T) {
	for _, c := range []struct {
		in   string
		days int
		want string
	}{
		{"Bestellung vom 03.11.2026.", -14, "Bestellung vom 20.10.2026."},
		{"am 3.1.2026 und 2026-01-03", -7, "am 27.12.2025 und 2025-12-27"},
		{"Lieferung 01.03.26", -7, "Lieferung 22.02.26"},
		{"Version 1.2.3.2026, Nummer 12.12.20261, 31.02.2026", -7, "Version 1.2.3.2026, Nummer 12.12.20261, 31.02.2026"},
		{"Bestellnummer 2026-11-03-17", -7, "Bestellnummer 2026-11-03-17"},
		{"vom 03.11.2026-05.11.2026", -7, "vom 27.10.2026-29.10.2026"},
		{"03.11.2026", 0, "03.11.2026"},
	} {
		if got := shiftDates(c.in, c.days); got != c.want {
			t.Errorf("shiftDates(%q, %d) = %q, want %q", c.in, c.days, got, c.want)
		}
	}
}

func TestReplaceTicketNumbers(t *testing.T) {
	numbers := map[int64]string{42: "F-512345"}
	got := replaceTicketNumbers("siehe F-100042, f-100042 und F-100043; Rechnung F-12", numbers, "de")
	if want := "siehe F-512345, F-512345 und [Ticketnummer]; Rechnung F-12"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMaskTruncatedCards(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Karte 4111 11** **** 1111 bitte", "Karte [Zahlungskarte] bitte"},
		{"Karte 411111******1111", "Karte [Zahlungskarte]"},
		{"Note 2*3 und 12 * 4", "Note 2*3 und 12 * 4"},
	} {
		if got := maskTruncatedCards(c.in, "de"); got != c.want {
			t.Errorf("maskTruncatedCards(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPseudonymField(t *testing.T) {
	key := make([]byte, privacy.PseudonymKeySize)
	cat, err := privacy.NewCatalogue(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	attr := func(id string) *privacy.Attribute {
		a, ok := cat.Attribute(id)
		if !ok {
			t.Fatalf("no attribute %s", id)
		}
		return a
	}
	for _, c := range []struct {
		field, value, prefix string
		ok                   bool
	}{
		{"customer_number", "K-1042", "K-", true},
		{"invoice_number", "RE/2026/17", "RE/", true},
		{"order_number", "4711", "", true},
		{"phone", "+49 30 1234567", "+49 000 ", true},
		{"payment_method", "card", "card", true},
		{"birth_date", "1980-05-17", "", false},
	} {
		a := attr(c.field)
		got, ok := pseudonymField(key, a, c.value)
		if ok != c.ok || !strings.HasPrefix(got, c.prefix) {
			t.Errorf("%s %q: %q %v, want prefix %q %v", c.field, c.value, got, ok, c.prefix, c.ok)
		}
		if ok && got != "card" {
			if _, msg := a.Normalize(got); msg != "" || got == c.value {
				t.Errorf("%s: pseudonym %q does not fit the field (%s)", c.field, got, msg)
			}
			if again, _ := pseudonymField(key, a, c.value); again != got {
				t.Errorf("%s: %q then %q for the same value", c.field, got, again)
			}
		}
	}
	if identifies(attr("product")) || !identifies(attr("invoice_number")) || !identifies(attr("phone")) || identifies(attr("birthplace")) {
		t.Error("identifies: want contact data and identifiers, not free text or sensitive data")
	}
}
