package pii

import (
	"reflect"
	"testing"
)

func TestScan(t *testing.T) {
	type span struct {
		Kind Kind
		Text string
	}
	tests := []struct {
		name string
		text string
		want []span
	}{
		{"IBAN grouped", "IBAN: DE89 3704 0044 0532 0130 00.", []span{{IBAN, "DE89 3704 0044 0532 0130 00"}}},
		{"IBAN lower case", "konto ch9300762011623852957", []span{{IBAN, "ch9300762011623852957"}}},
		{"IBAN wrong checksum", "IBAN DE02120300000000202052", nil},
		{"card with CVC", "Karte 5555 5555 5555 4444, CVC: 123", []span{{PaymentCard, "5555 5555 5555 4444"}, {CardCode, "123"}}},
		{"Amex", "Amex 3782 822463 10005 bitte", []span{{PaymentCard, "3782 822463 10005"}}},
		{"order number failing Luhn", "Bestellnummer 4111 1111 1111 1112", nil},
		{"CVC without card", "Der CVC 123 wurde abgelehnt", nil},
		{"AHV", "AHV-Nr. 756.9217.0769.85", []span{{AHV, "756.9217.0769.85"}}},
		{"tax ID", "Steuer-ID 86095742719", []span{{TaxID, "86095742719"}}},
		{"tax ID after abbreviation", "IdNr.86095742719", []span{{TaxID, "86095742719"}}},
		{"decimals are not a tax ID", "Betrag 1.86095742719", nil},
		{"email", "an erika.mustermann@example.org.", []span{{Email, "erika.mustermann@example.org"}}},
		{"phone international", "Tel. +41 44 668 18 00", []span{{Phone, "+41 44 668 18 00"}}},
		{"phone national in context", "Telefon: 030 / 1234567", []span{{Phone, "030 / 1234567"}}},
		{"product code is not a phone", "Artikelnummer 0815-4711-22", nil},
		{"date of birth", "Geburtsdatum: 12.03.1985", []span{{BirthDate, "12.03.1985"}}},
		{"date of birth in words", "geboren am 3. März 1985 in Köln", []span{{BirthDate, "3. März 1985"}}},
		{"order date is not a birthday", "Bestellung vom 03.04.2024", nil},
		{"place of birth", "geboren in Frankfurt am Main.", []span{{BirthPlace, "Frankfurt am Main"}}},
		{"place of birth with umlaut", "Geburtsort: Überlingen", []span{{BirthPlace, "Überlingen"}}},
		{"ID card with check digit", "Ausweis T220001293", []span{{IDCard, "T220001293"}}},
		{"ID card wrong check digit", "Ausweis T220001294", nil},
		{"ID card without check digit needs context", "Gerät T22000129", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []span
			for _, f := range Scan(tt.text) {
				got = append(got, span{f.Kind, tt.text[f.Start:f.End]})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	text := "IBAN DE89370400440532013000, Mail erika@example.org"
	got := Mask(text, Scan(text), func(k Kind) string { return Label(k, "de") })
	if want := "IBAN [IBAN], Mail [E-Mail]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Overlapping and out-of-range findings are skipped, not panicked on.
	got = Mask("abcdef", []Finding{{Email, 1, 3}, {Email, 2, 4}, {Phone, 5, 99}}, nil)
	if want := "a[email]def"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestScanLongestWins(t *testing.T) {
	got := resolve([]Finding{{Phone, 0, 5}, {TaxID, 0, 11}, {Email, 12, 20}, {Phone, 10, 13}})
	want := []Finding{{TaxID, 0, 11}, {Email, 12, 20}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
