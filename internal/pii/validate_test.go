package pii

import "testing"

func TestValidators(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"IBAN DE", ValidIBAN, "DE02120300000000202051", true},
		{"IBAN DE spaced lower", ValidIBAN, "de89 3704 0044 0532 0130 00", true},
		{"IBAN AT", ValidIBAN, "AT611904300234573201", true},
		{"IBAN CH", ValidIBAN, "CH9300762011623852957", true},
		{"IBAN wrong checksum", ValidIBAN, "DE02120300000000202052", false},
		{"IBAN wrong length", ValidIBAN, "DE0212030000000020205", false},
		{"IBAN unknown country", ValidIBAN, "XX02120300000000202051", false},
		{"IBAN junk", ValidIBAN, "DE02-1203", false},
		{"Luhn Visa", ValidLuhn, "4111 1111 1111 1111", true},
		{"Luhn Mastercard", ValidLuhn, "5555-5555-5555-4444", true},
		{"Luhn Amex", ValidLuhn, "3782 822463 10005", true},
		{"Luhn wrong", ValidLuhn, "4111 1111 1111 1112", false},
		{"Luhn letters", ValidLuhn, "4111a", false},
		{"Luhn empty", ValidLuhn, "", false},
		{"card Visa", ValidPaymentCard, "4111111111111111", true},
		{"card Amex", ValidPaymentCard, "378282246310005", true},
		{"card Luhn but no issuer", ValidPaymentCard, "1234567812345670", false},
		{"AHV", ValidAHV, "756.9217.0769.85", true},
		{"AHV no dots", ValidAHV, "7569217076985", true},
		{"AHV wrong check", ValidAHV, "756.9217.0769.86", false},
		{"AHV wrong prefix", ValidAHV, "757.9217.0769.85", false},
		{"tax ID", ValidTaxID, "86095742719", true},
		{"tax ID 2", ValidTaxID, "65929970489", true},
		{"tax ID spaced", ValidTaxID, "86 095 742 719", true},
		{"tax ID wrong check", ValidTaxID, "86095742718", false},
		{"tax ID leading zero", ValidTaxID, "06095742719", false},
		{"tax ID all distinct", ValidTaxID, "12345678903", false},
		{"ID card with check digit", ValidIDCard, "T220001293", true},
		{"ID card without check digit", ValidIDCard, "T22000129", true},
		{"ID card wrong check digit", ValidIDCard, "T220001294", false},
		{"ID card vowel", ValidIDCard, "A22000129", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLabel(t *testing.T) {
	for _, k := range Kinds {
		de, en := Label(k, "de"), Label(k, "en")
		if de == "[?]" || en == "[?]" {
			t.Errorf("%s has no label", k)
		}
	}
	if got := Label(PaymentCard, "de-CH"); got != "[Zahlungskarte]" {
		t.Errorf("de-CH label = %q", got)
	}
	if got := Label(PaymentCard, "en"); got != "[payment card]" {
		t.Errorf("en label = %q", got)
	}
}
