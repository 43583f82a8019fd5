package privacy

import (
	"strings"
	"testing"
	"time"

	"frist/internal/period"
)

func testRetention(t *testing.T, jurisdiction, fyEnd string) *Retention {
	t.Helper()
	r := &Retention{
		Jurisdiction:  jurisdiction,
		FiscalYearEnd: fyEnd,
		Classes: []Class{
			{ID: "support_90d", Name: Text{DE: "Support", EN: "Support"}, Start: StartClosed, Period: period.MustParse("P90D"), Action: ActionDelete, LegalBasis: Text{DE: "Art. 17", EN: "Art. 17"}},
			{ID: "commercial_letter_6y", Name: Text{DE: "Handelsbrief", EN: "Commercial letter"}, Start: StartEndOfYearClosed, Period: period.MustParse("P6Y"), Action: ActionDelete, Obligation: true, LegalBasis: Text{DE: "HGB §257", EN: "HGB §257"}},
			{ID: "letter_received_6y", Name: Text{DE: "Eingang", EN: "Receipt"}, Start: StartEndOfYearCollected, Period: period.MustParse("P6Y"), Action: ActionDelete, Obligation: true, LegalBasis: Text{DE: "HGB §257", EN: "HGB §257"}},
			{ID: "voucher_10y", Name: Text{DE: "Beleg 10", EN: "Voucher 10"}, Start: StartEndOfFiscalYearClosed, Period: period.MustParse("P10Y"), Action: ActionDelete, Obligation: true, LegalBasis: Text{DE: "AO §147", EN: "AO §147"}},
			{ID: "voucher_8y", Name: Text{DE: "Beleg 8", EN: "Voucher 8"}, Start: StartEndOfFiscalYearClosed, Period: period.MustParse("P8Y"), Action: ActionDelete, Obligation: true, LegalBasis: Text{DE: "AO §147", EN: "AO §147"}},
			{ID: "sensitive_30d", Name: Text{DE: "Sensibel", EN: "Sensitive"}, Start: StartClosed, Period: period.MustParse("P30D"), Action: ActionDelete, LegalBasis: Text{DE: "Art. 5", EN: "Art. 5"}},
			{ID: "month", Name: Text{DE: "Monat", EN: "Month"}, Start: StartClosed, Period: period.MustParse("P1M"), Action: ActionAnonymise, LegalBasis: Text{DE: "x", EN: "x"}},
			{ID: "day", Name: Text{DE: "Tag", EN: "Day"}, Start: StartClosed, Period: period.MustParse("P1D"), Action: ActionDelete, LegalBasis: Text{DE: "x", EN: "x"}},
			{ID: "seconds", Name: Text{DE: "Sekunden", EN: "Seconds"}, Start: StartCollected, Period: period.MustParse("PT5S"), Action: ActionDelete, LegalBasis: Text{DE: "x", EN: "x"}},
			{ID: "idle_1y", Name: Text{DE: "Inaktiv", EN: "Idle"}, Start: StartLastActivity, Period: period.MustParse("P1Y"), Action: ActionDelete, LegalBasis: Text{DE: "x", EN: "x"}},
		},
		Rules: []Rule{
			{ID: "support", Name: Text{DE: "Support Standard", EN: "Support standard"}, Class: "support_90d"},
			{ID: "invoices", Name: Text{DE: "Rechnungsbezug", EN: "Invoice-related"}, Tags: []string{"invoice-related"}, Class: "commercial_letter_6y"},
			{ID: "received", Name: Text{DE: "Eingang", EN: "Receipt"}, Tags: []string{"received"}, Class: "letter_received_6y"},
			{ID: "vouchers", Name: Text{DE: "Belege", EN: "Vouchers"}, Tags: []string{"voucher"}, Class: "voucher_10y"},
			{ID: "vouchers", Name: Text{DE: "Belege (BEG IV)", EN: "Vouchers (BEG IV)"}, Tags: []string{"voucher"}, Class: "voucher_8y", EffectiveFrom: "2025-01-01"},
			{ID: "sensitive", Name: Text{DE: "Sensible Angaben", EN: "Sensitive details"}, Categories: []Category{Sensitive}, Class: "sensitive_30d"},
			{ID: "monthly", Name: Text{DE: "Monat", EN: "Month"}, Tags: []string{"month"}, Class: "month"},
			{ID: "daily", Name: Text{DE: "Tag", EN: "Day"}, Tags: []string{"day"}, Class: "day"},
			{ID: "fast", Name: Text{DE: "Schnell", EN: "Fast"}, RequestTypes: []string{"fast"}, Class: "seconds"},
			{ID: "idle", Name: Text{DE: "Inaktiv", EN: "Idle"}, Tags: []string{"idle"}, Class: "idle_1y"},
		},
	}
	cat, err := NewCatalogue(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(cat, func(id string) bool { return id == "general" || id == "fast" }); err != nil {
		t.Fatal(err)
	}
	return r
}

func at(t *testing.T, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestScheduleDates checks deletion dates counted like a lawyer counts:
// calendar periods with month-end clamping, end of calendar or fiscal
// year in the legal time zone, exact seconds.
func TestScheduleDates(t *testing.T) {
	de := testRetention(t, "DE", "")
	ch := testRetention(t, "CH", "06-30")
	now := at(t, "Europe/Berlin", "2026-11-29 12:00:00")
	cases := []struct {
		name            string
		r               *Retention
		created, closed time.Time
		tags            []string
		requestType     string    // empty: check only the date arithmetic of class wantRule
		want            time.Time // zero: pending
		wantRule        string
	}{
		{"commercial letter received 14 Mar 2025, 6 years from end of year",
			de, at(t, "Europe/Berlin", "2025-03-14 09:30:00"), time.Time{}, []string{"received"}, "general",
			at(t, "Europe/Berlin", "2032-01-01 00:00:00"), "received"},
		{"received on New Year's Eve late evening counts to that year",
			de, at(t, "Europe/Berlin", "2025-12-31 23:59:59"), time.Time{}, []string{"received"}, "general",
			at(t, "Europe/Berlin", "2032-01-01 00:00:00"), "received"},
		{"received 00:30 on 1 January Zurich time (still 2025 in UTC) counts to the new year",
			ch, at(t, "Europe/Zurich", "2026-01-01 00:30:00"), time.Time{}, []string{"received"}, "general",
			at(t, "Europe/Zurich", "2033-01-01 00:00:00"), "received"},
		{"90 days after closure",
			de, at(t, "Europe/Berlin", "2026-01-01 08:00:00"), at(t, "Europe/Berlin", "2026-01-02 10:15:00"), nil, "general",
			at(t, "Europe/Berlin", "2026-04-02 10:15:00"), "support"},
		{"one month from 31 January ends on 28 February",
			de, at(t, "Europe/Berlin", "2026-01-01 08:00:00"), at(t, "Europe/Berlin", "2026-01-31 16:00:00"), nil, "",
			at(t, "Europe/Berlin", "2026-02-28 16:00:00"), "month"},
		{"one month from 31 March 2024 ends on 30 April",
			de, at(t, "Europe/Berlin", "2024-03-01 08:00:00"), at(t, "Europe/Berlin", "2024-03-31 16:00:00"), nil, "",
			at(t, "Europe/Berlin", "2024-04-30 16:00:00"), "month"},
		{"a calendar day across the switch to summer time is 23 hours",
			de, at(t, "Europe/Berlin", "2026-03-01 08:00:00"), at(t, "Europe/Berlin", "2026-03-28 12:00:00"), nil, "",
			at(t, "Europe/Berlin", "2026-03-29 12:00:00"), "day"},
		{"PT5S after receipt",
			de, at(t, "Europe/Berlin", "2026-11-29 11:00:00"), time.Time{}, nil, "",
			at(t, "Europe/Berlin", "2026-11-29 11:00:05"), "seconds"},
		{"commercial letter closed in 2026: end of 2026 plus 6 years",
			de, at(t, "Europe/Berlin", "2026-03-14 08:00:00"), at(t, "Europe/Berlin", "2026-05-04 10:00:00"), []string{"invoice-related"}, "general",
			at(t, "Europe/Berlin", "2033-01-01 00:00:00"), "invoices"},
		{"Swiss fiscal year ending 30 June: closed in July counts from the next 30 June (new 8-year version)",
			ch, at(t, "Europe/Zurich", "2025-07-01 08:00:00"), at(t, "Europe/Zurich", "2025-07-15 10:00:00"), []string{"voucher"}, "general",
			at(t, "Europe/Zurich", "2034-07-01 00:00:00"), "vouchers"},
		{"Swiss fiscal year ending 30 June: closed on 30 June counts from that day's end",
			ch, at(t, "Europe/Zurich", "2025-06-01 08:00:00"), at(t, "Europe/Zurich", "2025-06-30 23:30:00"), []string{"voucher"}, "general",
			at(t, "Europe/Zurich", "2033-07-01 00:00:00"), "vouchers"},
		{"open ticket: 90 days after closure is pending",
			de, at(t, "Europe/Berlin", "2026-11-01 08:00:00"), time.Time{}, nil, "general",
			time.Time{}, "support"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.requestType == "" {
				// Date arithmetic of one class, whichever rule would win.
				cl, _ := c.r.Class(c.wantRule)
				got, known := c.r.end(cl, Facts{Created: c.created, Closed: c.closed, LastActivity: c.created})
				if !known || !got.Equal(c.want) {
					t.Errorf("end = %v (known %v), want %v", got.In(c.want.Location()), known, c.want)
				}
				return
			}
			s := c.r.Schedule(Facts{RequestType: c.requestType, Tags: c.tags, Created: c.created, Closed: c.closed, LastActivity: c.created}, now)
			if s.Rule != c.wantRule {
				t.Errorf("rule = %q, want %q", s.Rule, c.wantRule)
			}
			switch {
			case c.want.IsZero() && s.Due != nil:
				t.Errorf("due = %v, want pending", s.Due)
			case !c.want.IsZero() && s.Due == nil:
				t.Errorf("due pending, want %v", c.want)
			case !c.want.IsZero() && !s.Due.Equal(c.want):
				t.Errorf("due = %v, want %v", s.Due.In(c.want.Location()), c.want)
			}
			if s.Due != nil && !s.Latest.Equal(s.Due.In(c.r.Location()).AddDate(0, 0, 1)) {
				t.Errorf("latest = %v, want a day after %v", s.Latest, s.Due)
			}
		})
	}
}

func TestScheduleLongestWinsAndRestricts(t *testing.T) {
	r := testRetention(t, "DE", "")
	now := at(t, "Europe/Berlin", "2026-06-01 12:00:00")
	closed := at(t, "Europe/Berlin", "2026-05-04 10:00:00")
	s := r.Schedule(Facts{RequestType: "general", Tags: []string{"invoice-related"}, Fields: []string{"payment_method", "customer_number"},
		Created: closed.AddDate(0, 0, -3), Closed: closed, LastActivity: closed}, now)
	if s.Rule != "invoices" || s.Class != "commercial_letter_6y" {
		t.Fatalf("winner = %s/%s, want invoices/commercial_letter_6y", s.Rule, s.Class)
	}
	if len(s.Outlasted) != 1 || s.Outlasted[0].Rule != "support" {
		t.Errorf("outlasted = %+v, want support", s.Outlasted)
	}
	wantRestrict := at(t, "Europe/Berlin", "2026-08-02 10:00:00")
	if s.RestrictAt == nil || !s.RestrictAt.Equal(wantRestrict) || s.RestrictRule != "support" {
		t.Errorf("restrict at %v by %q, want %v by support", s.RestrictAt, s.RestrictRule, wantRestrict)
	}
	if len(s.Fields) != 1 || s.Fields[0].Field != "payment_method" || !s.Fields[0].Due.Equal(at(t, "Europe/Berlin", "2026-06-03 10:00:00")) {
		t.Errorf("fields = %+v, want payment_method 30 days after closure", s.Fields)
	}
	if got := s.Next(false); !got.Equal(s.Fields[0].Due) {
		t.Errorf("next = %v, want the field expiry", got)
	}
	for _, lang := range []string{"de", "en"} {
		text := r.Explain(s, false, lang)
		for _, want := range []string{"2033-01-01", "2026-08-02"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s explanation %q lacks %s", lang, text, want)
			}
		}
	}

	// Reopened: the closure is gone, the purpose runs again, so the winner
	// is pending and nothing is restricted.
	s = r.Schedule(Facts{RequestType: "general", Tags: []string{"invoice-related"}, Created: closed.AddDate(0, 0, -3), LastActivity: now}, now)
	if s.Rule != "invoices" || s.Due != nil || s.RestrictAt != nil {
		t.Errorf("reopened: %+v, want invoices pending and no restriction", s)
	}
}

// A pending start event counts as at least now: a rule that needs the
// ticket closed outlasts a rule whose known end is nearer than that.
func TestSchedulePendingOutlastsNearerKnownEnd(t *testing.T) {
	r := testRetention(t, "DE", "")
	created := at(t, "Europe/Berlin", "2026-11-29 11:00:00")
	s := r.Schedule(Facts{RequestType: "fast", Created: created, LastActivity: created}, created.Add(time.Second))
	if s.Rule != "support" || s.Due != nil {
		t.Fatalf("got %s due %v, want support pending", s.Rule, s.Due)
	}
}

func TestRuleVersions(t *testing.T) {
	r := testRetention(t, "DE", "")
	closed := at(t, "Europe/Berlin", "2020-06-15 10:00:00")
	f := Facts{RequestType: "general", Tags: []string{"voucher"}, Created: closed, Closed: closed, LastActivity: closed}
	before := at(t, "Europe/Berlin", "2024-12-31 23:59:59")
	after := at(t, "Europe/Berlin", "2025-01-01 00:00:00")
	s1, s2 := r.Schedule(f, before), r.Schedule(f, after)
	if s1.RuleVersion != "1" || !s1.Due.Equal(at(t, "Europe/Berlin", "2031-01-01 00:00:00")) {
		t.Errorf("before: version %s due %v, want 1 and 2031-01-01", s1.RuleVersion, s1.Due)
	}
	if s2.RuleVersion != "2025-01-01" || !s2.Due.Equal(at(t, "Europe/Berlin", "2029-01-01 00:00:00")) {
		t.Errorf("after: version %s due %v, want 2025-01-01 and 2029-01-01", s2.RuleVersion, s2.Due)
	}
	if r.Fingerprint(before) == r.Fingerprint(after) {
		t.Error("fingerprint did not change with the rule version")
	}
	if got := r.NextVersionChange(before); !got.Equal(after) {
		t.Errorf("next version change = %v, want %v", got, after)
	}
	if got := r.NextVersionChange(after); !got.IsZero() {
		t.Errorf("next version change after the last = %v, want none", got)
	}
}

func TestRetentionValidate(t *testing.T) {
	cat, _ := NewCatalogue(nil, nil)
	base := func() *Retention {
		return &Retention{
			Classes: []Class{{ID: "c", Name: Text{DE: "c", EN: "c"}, Start: StartClosed, Period: period.MustParse("P90D"), Action: ActionDelete, LegalBasis: Text{DE: "x", EN: "x"}}},
			Rules:   []Rule{{ID: "r", Name: Text{DE: "r", EN: "r"}, Class: "c"}},
		}
	}
	cases := []struct {
		name   string
		change func(*Retention)
		want   string
	}{
		{"ok", func(*Retention) {}, ""},
		{"jurisdiction", func(r *Retention) { r.Jurisdiction = "FR" }, "jurisdiction"},
		{"fiscal year end", func(r *Retention) { r.FiscalYearEnd = "13-01" }, "fiscal_year_end"},
		{"period too short", func(r *Retention) { r.Classes[0].Period = period.MustParse("PT4S") }, "between PT5S and P10Y"},
		{"period too long", func(r *Retention) { r.Classes[0].Period = period.MustParse("P11Y") }, "between PT5S and P10Y"},
		{"action", func(r *Retention) { r.Classes[0].Action = "shred" }, "action"},
		{"start", func(r *Retention) { r.Classes[0].Start = "someday" }, "start"},
		{"legal basis", func(r *Retention) { r.Classes[0].LegalBasis = Text{} }, "legal_basis"},
		{"unknown class", func(r *Retention) { r.Rules[0].Class = "x" }, "not declared"},
		{"unknown request type", func(r *Retention) {
			r.Rules = append(r.Rules, Rule{ID: "t", Name: Text{DE: "t", EN: "t"}, RequestTypes: []string{"nope"}, Class: "c"})
		}, "request type"},
		{"unknown field", func(r *Retention) {
			r.Rules = append(r.Rules, Rule{ID: "f", Name: Text{DE: "f", EN: "f"}, Fields: []string{"nope"}, Class: "c"})
		}, "catalogue"},
		{"no catch-all", func(r *Retention) { r.Rules[0].Tags = []string{"x"} }, "every ticket"},
		{"bad tag", func(r *Retention) { r.Rules[0].Tags = []string{"Bad Tag"} }, "tag"},
		{"duplicate version", func(r *Retention) { r.Rules = append(r.Rules, r.Rules[0]) }, "two versions"},
		{"bad date", func(r *Retention) {
			v := r.Rules[0]
			v.EffectiveFrom = "2025-13-01"
			r.Rules = append(r.Rules, v)
		}, "effective_from"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := base()
			c.change(r)
			err := r.Validate(cat, func(id string) bool { return id == "general" })
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	c := Class{Start: StartEndOfYearCollected, Period: period.MustParse("P6Y"), Action: ActionDelete}
	if got := c.Describe("de"); got != "6 Jahre ab Ende des Kalenderjahres des Eingangs, dann löschen" {
		t.Errorf("de: %q", got)
	}
	if got := c.Describe("en"); got != "6 years from the end of the calendar year of receipt, then delete" {
		t.Errorf("en: %q", got)
	}
	if got := DescribePeriod(period.MustParse("P1Y2M"), "en"); got != "1 year and 2 months" {
		t.Errorf("period: %q", got)
	}
}
