package privacy

import (
	"bytes"
	"strings"
	"testing"
)

func TestPseudonym(t *testing.T) {
	key := bytes.Repeat([]byte{7}, PseudonymKeySize)
	other := bytes.Repeat([]byte{8}, PseudonymKeySize)
	a := Pseudonym(key, PseudonymCustomer, 42, "de")
	if a != Pseudonym(key, PseudonymCustomer, 42, "de") {
		t.Fatal("pseudonym not stable")
	}
	if !strings.HasPrefix(a, "Kunde ") || len(a) != len("Kunde ")+6 {
		t.Fatalf("pseudonym %q: want Kunde and six hex digits", a)
	}
	if en := Pseudonym(key, PseudonymCustomer, 42, "en"); en != "Customer "+a[len("Kunde "):] {
		t.Fatalf("English pseudonym %q does not match %q", en, a)
	}
	if a == Pseudonym(key, PseudonymCustomer, 43, "de") {
		t.Fatal("two customers share a pseudonym")
	}
	if a == Pseudonym(other, PseudonymCustomer, 42, "de") {
		t.Fatal("pseudonym does not depend on the key")
	}
	if PseudonymCode(key, PseudonymCustomer, 42) == PseudonymCode(key, PseudonymAgent, 42) {
		t.Fatal("pseudonym does not depend on the kind")
	}
	if e := PseudonymEmailAddress(key, 42); !strings.HasSuffix(e, "@example.invalid") {
		t.Fatalf("pseudonymous address %q not under example.invalid", e)
	}
	seen := map[string]bool{}
	for id := int64(1); id <= 2000; id++ {
		seen[PseudonymCode(key, PseudonymCustomer, id)] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("%d distinct codes for 2000 customers", len(seen))
	}
}
