package desk

import "testing"

// TestMatchesQuery holds the search filter to the index's way of
// matching: whole words or prefixes, case and accents ignored, word
// endings that stemming removes; and nothing found only in masked text.
func TestMatchesQuery(t *testing.T) {
	text := "Rückbuchung für Kunde 7F3A9C: die Häuser in [Geburtsort] und die Rechnung R-2026"
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"Rückbuchung", true},
		{"ruckbuchung", true},              // accents ignored
		{"Rück", true},                     // a prefix
		{"Rechnungen", true},               // a German plural the stemmer removes
		{"Haus", true},                     // Häuser → haus…
		{"kunde 7f3a9c", true},             // the pseudonym is text the viewer sees
		{"Geburtsort", true},               // so is the label
		{"Musterstadt", false},             // masked
		{"Rückbuchung Musterstadt", false}, // every word must be found
		{"Mustermann", false},
		{"R 2026", true},
		{"2027", false},
	} {
		if got := matchesQuery(tc.q, text); got != tc.want {
			t.Errorf("matchesQuery(%q) = %t, want %t", tc.q, got, tc.want)
		}
	}
}

func TestRelatedWords(t *testing.T) {
	for _, tc := range []struct {
		q, tok string
		want   bool
	}{
		{"rech", "rechnung", true},
		{"rechnungen", "rechnung", true},
		{"mustermanns", "mustermann", true},
		{"must", "mustermann", true},
		{"abc", "abd", false},
		{"haus", "hausmeisterei", true},
		{"hausmeisterei", "haus", false}, // nine letters more is not an ending
		{"ma", "mb", false},
	} {
		if got := relatedWords(foldWord(tc.q), foldWord(tc.tok)); got != tc.want {
			t.Errorf("relatedWords(%q, %q) = %t, want %t", tc.q, tc.tok, got, tc.want)
		}
	}
	if got := foldWord("Straße Éclair Ärger"); got != "strasse eclair arger" {
		t.Errorf("foldWord = %q", got)
	}
}
