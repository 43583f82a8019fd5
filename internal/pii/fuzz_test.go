package pii

import (
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"",
	"DE89 3704 0044 0532 0130 00",
	"Karte 4111 1111 1111 1111, CVC 123",
	"AHV 756.9217.0769.85, Steuer-ID 86 095 742 719",
	"geboren am 3. März 1985 in Berlin, geboren in Frankfurt am Main",
	"Tel. +49 (0)30 / 123 45-67, erika@example.org",
	"Personalausweis T220001293",
	"@@..@", "+", "(", "0", "geb.", "Geburtsort ", "cvc", "DE", "756.", "Ü",
}

func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := Scan(text)
		end := 0
		for _, x := range fs {
			if x.Start < end || x.Start >= x.End || x.End > len(text) {
				t.Fatalf("bad finding %+v (previous end %d, len %d)", x, end, len(text))
			}
			if Label(x.Kind, "en") == "[?]" {
				t.Fatalf("unknown kind %q", x.Kind)
			}
			end = x.End
		}
		masked := Mask(text, fs, nil)
		if len(fs) == 0 && masked != text {
			t.Fatal("Mask changed a text without findings")
		}
	})
}

func fuzzValidator(f *testing.F, fn func(string) bool) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn(s)
		fn(strings.ToUpper(s))
	})
}

func FuzzValidIBAN(f *testing.F)        { fuzzValidator(f, ValidIBAN) }
func FuzzValidLuhn(f *testing.F)        { fuzzValidator(f, ValidLuhn) }
func FuzzValidPaymentCard(f *testing.F) { fuzzValidator(f, ValidPaymentCard) }
func FuzzValidAHV(f *testing.F)         { fuzzValidator(f, ValidAHV) }
func FuzzValidTaxID(f *testing.F)       { fuzzValidator(f, ValidTaxID) }
func FuzzValidIDCard(f *testing.F)      { fuzzValidator(f, ValidIDCard) }
