package pii

import (
	"reflect"
	"testing"
)

func TestRedact(t *testing.T) {
	policy := map[Kind]Action{PaymentCard: ActionMask, CardCode: ActionMask, IBAN: ActionFlag, Email: ActionLeave, BirthDate: ActionMask}
	decide := func(k Kind) Action { return policy[k] }
	tests := []struct {
		name, lang, text, want string
		counts                 []Count
	}{
		{"card and code", "de", "Karte 4111 1111 1111 1111, CVC 123, bitte abbuchen",
			"Karte 4111 11** **** 1111, CVC [Kartenprüfnummer], bitte abbuchen",
			[]Count{{PaymentCard, ActionMask, 1}, {CardCode, ActionMask, 1}}},
		{"card with dashes", "en", "card 5555-5555-5555-4444",
			"card 5555-55**-****-4444", []Count{{PaymentCard, ActionMask, 1}}},
		{"two cards", "en", "4111111111111111 and 5555555555554444",
			"411111******1111 and 555555******4444", []Count{{PaymentCard, ActionMask, 2}}},
		{"flagged IBAN is kept", "de", "IBAN DE89 3704 0044 0532 0130 00",
			"IBAN DE89 3704 0044 0532 0130 00", []Count{{IBAN, ActionFlag, 1}}},
		{"left email is neither changed nor counted", "de", "Mail an erika@example.org",
			"Mail an erika@example.org", nil},
		{"masked birth date in English", "en", "born on 12.03.1985 in Köln",
			"born on [date of birth] in Köln", []Count{{BirthDate, ActionMask, 1}}},
		{"mixed", "de", "IBAN DE89370400440532013000, Karte 4111111111111111",
			"IBAN DE89370400440532013000, Karte 411111******1111",
			[]Count{{IBAN, ActionFlag, 1}, {PaymentCard, ActionMask, 1}}},
		{"nothing found", "de", "Meine Rechnung 4711 ist falsch", "Meine Rechnung 4711 ist falsch", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, counts := Redact(tt.text, Scan(tt.text), decide, tt.lang)
			if got != tt.want {
				t.Errorf("text %q, want %q", got, tt.want)
			}
			if !reflect.DeepEqual(counts, tt.counts) {
				t.Errorf("counts %v, want %v", counts, tt.counts)
			}
		})
	}
}

func TestRedactSkipsBadFindings(t *testing.T) {
	got, counts := Redact("abcdef", []Finding{{Email, 1, 3}, {Email, 2, 4}, {Phone, 5, 99}}, nil, "en")
	if want := "a[email]def"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if want := []Count{{Email, ActionMask, 1}}; !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
}

func TestTruncateCard(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4111 1111 1111 1111", "4111 11** **** 1111"},
		{"4111111111111111", "411111******1111"},
		{"3782 822463 10005", "3782 82**** *0005"},
		{"4222222222222", "422222***2222"},
		{"6011-0009-9013-9424-123", "6011-00**-****-***4-123"},
		{"1234567890", "**********"},
	}
	for _, tt := range tests {
		if got := TruncateCard(tt.in); got != tt.want {
			t.Errorf("TruncateCard(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestActionValid(t *testing.T) {
	for _, a := range Actions {
		if !a.Valid() {
			t.Errorf("%s is not valid", a)
		}
	}
	for _, a := range []Action{"", "Mask", "hide", "remove"} {
		if a.Valid() {
			t.Errorf("%q is valid", a)
		}
	}
}
