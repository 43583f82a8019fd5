package period

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Period
		err  bool
	}{
		{in: "P90D", want: Period{Days: 90}},
		{in: "P6Y", want: Period{Years: 6}},
		{in: "PT2H", want: Period{Hours: 2}},
		{in: "PT5S", want: Period{Seconds: 5}},
		{in: "P2W", want: Period{Weeks: 2}},
		{in: "P1Y2M10DT2H30M5S", want: Period{1, 2, 0, 10, 2, 30, 5}},
		{in: "P", err: true},
		{in: "PT", err: true},
		{in: "P1H", err: true},
		{in: "PT1D", err: true},
		{in: "P1D1D", err: true},
		{in: "90D", err: true},
		{in: "P-1D", err: true},
		{in: "P1.5D", err: true},
		{in: "", err: true},
		{in: "P1DT", err: true},
		{in: "P9999999999D", err: true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("Parse(%q) error = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if got != tc.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		if !tc.err && got.String() != tc.in && tc.in != "P1Y2M10DT2H30M5S" {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

func TestAddTo(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	for _, tc := range []struct {
		p        string
		from, to time.Time
	}{
		{"P1M", time.Date(2025, 1, 31, 10, 0, 0, 0, berlin), time.Date(2025, 2, 28, 10, 0, 0, 0, berlin)},
		{"P1M", time.Date(2024, 1, 31, 10, 0, 0, 0, berlin), time.Date(2024, 2, 29, 10, 0, 0, 0, berlin)},
		{"P1Y", time.Date(2024, 2, 29, 0, 0, 0, 0, berlin), time.Date(2025, 2, 28, 0, 0, 0, 0, berlin)},
		{"P6Y", time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), time.Date(2032, 1, 1, 0, 0, 0, 0, berlin)},
		// A calendar day across the DST change is 23 hours long.
		{"P1D", time.Date(2026, 3, 28, 12, 0, 0, 0, berlin), time.Date(2026, 3, 29, 12, 0, 0, 0, berlin)},
		{"PT24H", time.Date(2026, 3, 28, 12, 0, 0, 0, berlin), time.Date(2026, 3, 29, 13, 0, 0, 0, berlin)},
		{"PT5S", time.Date(2026, 3, 28, 12, 0, 0, 0, berlin), time.Date(2026, 3, 28, 12, 0, 5, 0, berlin)},
	} {
		got := MustParse(tc.p).AddTo(tc.from.UTC(), berlin)
		if !got.Equal(tc.to) {
			t.Errorf("%s + %s = %s, want %s", tc.from, tc.p, got.In(berlin), tc.to)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"P90D", "PT5S", "P1Y2M10DT2H30M5S", "PT", "P1W"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		q, err := Parse(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip %q -> %q -> %+v, %v", s, p.String(), q, err)
		}
	})
}
