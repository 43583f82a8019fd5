package pii

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

type sample struct {
	line int
	text string
	want map[Kind]bool
}

func loadSamples(t testing.TB) []sample {
	t.Helper()
	f, err := os.Open("testdata/samples.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sample
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, kinds, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("line %d: no tab", n)
		}
		s := sample{line: n, text: text, want: map[Kind]bool{}}
		if kinds != "none" {
			for _, k := range strings.Split(kinds, ",") {
				s.want[Kind(k)] = true
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSamples measures precision and recall per kind over labelled lines
// and requires at least 0.99 of both for the structured identifiers.
func TestSamples(t *testing.T) {
	samples := loadSamples(t)
	if len(samples) < 200 {
		t.Fatalf("only %d samples, want at least 200", len(samples))
	}
	type counts struct{ tp, fp, fn int }
	per := map[Kind]*counts{}
	for _, k := range Kinds {
		per[k] = &counts{}
	}
	for _, s := range samples {
		got := map[Kind]bool{}
		for _, f := range Scan(s.text) {
			got[f.Kind] = true
		}
		for _, k := range Kinds {
			switch {
			case got[k] && s.want[k]:
				per[k].tp++
			case got[k]:
				per[k].fp++
				t.Logf("line %d: unexpected %s", s.line, k)
			case s.want[k]:
				per[k].fn++
				t.Logf("line %d: missed %s", s.line, k)
			}
		}
	}
	structured := map[Kind]bool{IBAN: true, PaymentCard: true, AHV: true, TaxID: true}
	for _, k := range Kinds {
		c := per[k]
		precision, recall := ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn)
		t.Logf("%-12s tp=%3d fp=%2d fn=%2d precision=%.3f recall=%.3f", k, c.tp, c.fp, c.fn, precision, recall)
		if structured[k] && (c.tp == 0 || precision < 0.99 || recall < 0.99) {
			t.Errorf("%s: precision %.3f, recall %.3f, want at least 0.99", k, precision, recall)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
