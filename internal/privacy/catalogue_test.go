package privacy

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	c, err := NewCatalogue(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		attr, in, want, msg string
	}{
		{AttrEmail, " Erika@Example.org ", "erika@example.org", ""},
		{AttrEmail, "erika@example", "", ErrEmail},
		{AttrEmail, "Erika <erika@example.org>", "", ErrEmail},
		{AttrEmail, "erika@@example.org", "", ErrEmail},
		{AttrEmail, "", "", ""},
		{AttrName, "Erika Mustermann", "Erika Mustermann", ""},
		{AttrName, "Erika\nMustermann", "", ErrControl},
		{AttrName, strings.Repeat("a", 201), "", ErrTooLong},
		{AttrName, "\xff", "", ErrControl},
		{AttrMessage, "Zeile 1\r\nZeile 2", "Zeile 1\nZeile 2", ""},
		{AttrMessage, "<script>alert(1)</script>", "<script>alert(1)</script>", ""},
		{AttrLanguage, "en", "en", ""},
		{AttrLanguage, "fr", "", ErrOption},
		{"customer_number", "K-1042", "K-1042", ""},
		{"customer_number", "K 1042", "", ErrPattern},
		{"birth_date", "1964-08-12", "1964-08-12", ""},
		{"birth_date", "12.08.1964", "", ErrDate},
		{"payment_method", "card", "card", ""},
		{"payment_method", "bitcoin", "", ErrOption},
		{"phone", "+49 30 1234567", "+49 30 1234567", ""},
		{"phone", "call me", "", ErrPattern},
	} {
		a, ok := c.Attribute(tc.attr)
		if !ok {
			t.Fatalf("no attribute %q", tc.attr)
		}
		got, msg := a.Normalize(tc.in)
		if got != tc.want || msg != tc.msg {
			t.Errorf("%s.Normalize(%q) = %q, %q; want %q, %q", tc.attr, tc.in, got, msg, tc.want, tc.msg)
		}
	}
}

func TestCatalogueRejects(t *testing.T) {
	for name, a := range map[string]Attribute{
		"NoCategory":     {ID: "x", Purpose: PurposeHandling, Label: Text{"X", "X"}},
		"UnknownPurpose": {ID: "x", Category: Contact, Purpose: "profiling", Label: Text{"X", "X"}},
		"Duplicate":      {ID: "email", Category: Contact, Purpose: PurposeHandling, Label: Text{"X", "X"}},
		"BadID":          {ID: "X-Y", Category: Contact, Purpose: PurposeHandling, Label: Text{"X", "X"}},
		"NoEnglish":      {ID: "x", Category: Contact, Purpose: PurposeHandling, Label: Text{DE: "X"}},
		"BadPattern":     {ID: "x", Category: Contact, Purpose: PurposeHandling, Label: Text{"X", "X"}, Pattern: "("},
		"EmptySelect":    {ID: "x", Category: Contact, Purpose: PurposeHandling, Label: Text{"X", "X"}, Kind: KindSelect},
	} {
		if _, err := NewCatalogue([]Attribute{a}, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := NewCatalogue([]Attribute{{ID: "meter", Category: Content, Purpose: PurposeHandling, Label: Text{"Zähler", "Meter"}, Pattern: "[0-9]{6}"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Extra()) != 1 || c.ByCategory()[Content] == nil {
		t.Error("extra attribute missing")
	}
}

func TestNoticeHash(t *testing.T) {
	n := Notice{Version: "1", Text: Text{DE: "Hinweis", EN: "Notice"}}
	if n.Hash("de") == n.Hash("en") || len(n.Hash("de")) != 64 {
		t.Error("hash must differ per language text")
	}
	if (Notice{Version: "1", Text: Text{DE: "x"}}).Validate() == nil {
		t.Error("notice without English accepted")
	}
}

func FuzzNormalize(f *testing.F) {
	c, _ := NewCatalogue(nil, nil)
	for _, s := range []string{"erika@example.org", "K-1042", "1964-08-12", "a\x00b", "<b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range c.Attributes() {
			out, msg := a.Normalize(s)
			if msg != "" && out != "" {
				t.Fatalf("%s: both value and error", a.ID)
			}
			if msg == "" && (!utf8.ValidString(out) || utf8.RuneCountInString(out) > a.MaxLen) {
				t.Fatalf("%s: accepted invalid %q", a.ID, out)
			}
			if msg == "" && out != "" {
				if again, msg2 := a.Normalize(out); again != out || msg2 != "" {
					t.Fatalf("%s: not idempotent: %q -> %q (%s)", a.ID, out, again, msg2)
				}
			}
		}
	})
}
