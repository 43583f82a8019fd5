package privacy

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// mailRelay is a valid processor in Germany with an open-ended AVV.
func mailRelay() Processor {
	return Processor{
		ID:         "beispiel_mail",
		Provider:   "Beispiel Mail GmbH",
		Service:    Text{DE: "E-Mail-Versand", EN: "Sending email"},
		Categories: []Category{Contact, Content},
		Country:    "DE",
		AVV:        AVV{SignedOn: "2025-03-01", Document: "DMS 2025-114"},
	}
}

func TestProcessorValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		change func(p *Processor)
		want   Problems
	}{
		"OK":                {func(p *Processor) {}, nil},
		"OKOpenEnded":       {func(p *Processor) { p.AVV = AVV{} }, nil},
		"OKUntilSameDay":    {func(p *Processor) { p.AVV.ValidUntil = "2025-03-01" }, nil},
		"OKThirdCountrySCC": {func(p *Processor) { p.Country = "IN"; p.Transfer = &Transfer{Mechanism: TransferSCC} }, nil},
		"OKUSCertified":     {func(p *Processor) { p.Country = "US"; p.DPFCertified = true }, nil},
		"IDRequired":        {func(p *Processor) { p.ID = "" }, Problems{{"id", ErrRequired}}},
		"IDInvalid":         {func(p *Processor) { p.ID = "Beispiel Mail" }, Problems{{"id", ErrID}}},
		"ProviderRequired":  {func(p *Processor) { p.Provider = "  " }, Problems{{"provider", ErrRequired}}},
		"ProviderTooLong":   {func(p *Processor) { p.Provider = strings.Repeat("x", 201) }, Problems{{"provider", ErrTooLong}}},
		"ProviderControl":   {func(p *Processor) { p.Provider = "Beispiel\nMail" }, Problems{{"provider", ErrControl}}},
		"ServiceEnglish":    {func(p *Processor) { p.Service.EN = "" }, Problems{{"service.en", ErrRequired}}},
		"NoCategories":      {func(p *Processor) { p.Categories = nil }, Problems{{"categories", ErrRequired}}},
		"UnknownCategory":   {func(p *Processor) { p.Categories = []Category{"health"} }, Problems{{"categories", ErrOption}}},
		"CategoryTwice":     {func(p *Processor) { p.Categories = []Category{Contact, Contact} }, Problems{{"categories", ErrDuplicate}}},
		"CountryRequired":   {func(p *Processor) { p.Country = "" }, Problems{{"country", ErrRequired}}},
		"CountryLower":      {func(p *Processor) { p.Country = "de" }, Problems{{"country", ErrCountry}}},
		"CountryUnknown":    {func(p *Processor) { p.Country = "XX" }, Problems{{"country", ErrCountry}}},
		"CountryUK":         {func(p *Processor) { p.Country = "UK" }, Problems{{"country", ErrCountryUK}}},
		"DPFOutsideUS":      {func(p *Processor) { p.DPFCertified = true }, Problems{{"dpf_certified", ErrDPFNotUS}}},
		"SignedNotADate":    {func(p *Processor) { p.AVV.SignedOn = "01.03.2025" }, Problems{{"avv.signed_on", ErrDate}}},
		"UntilNotADate":     {func(p *Processor) { p.AVV.ValidUntil = "2026-02-30" }, Problems{{"avv.valid_until", ErrDate}}},
		"UntilBeforeSigned": {func(p *Processor) { p.AVV.ValidUntil = "2025-02-28" }, Problems{{"avv.valid_until", ErrBeforeSigned}}},
		"UntilUnsigned":     {func(p *Processor) { p.AVV = AVV{ValidUntil: "2027-01-01"} }, Problems{{"avv.valid_until", ErrUntilUnsigned}}},
		"DocumentTooLong":   {func(p *Processor) { p.AVV.Document = strings.Repeat("x", 201) }, Problems{{"avv.document", ErrTooLong}}},
		"MechanismEmpty":    {func(p *Processor) { p.Transfer = &Transfer{} }, Problems{{"transfer.mechanism", ErrRequired}}},
		"MechanismUnknown":  {func(p *Processor) { p.Transfer = &Transfer{Mechanism: "handshake"} }, Problems{{"transfer.mechanism", ErrOption}}},
		"DerogationNoNote":  {func(p *Processor) { p.Transfer = &Transfer{Mechanism: TransferDerogation} }, Problems{{"transfer.note", ErrNoteRequired}}},
		"OKDerogation": {func(p *Processor) {
			p.Transfer = &Transfer{Mechanism: TransferDerogation, Note: "Art. 49 Abs. 1 lit. b"}
		}, nil},
		"SubProcessor": {func(p *Processor) {
			p.SubProcessors = []SubProcessor{
				{Name: "Beispiel Rechenzentrum AG", Country: "DE", Service: "Rechenzentrum"},
				{Name: "", Country: "XX", Service: "", DPFCertified: true, Transfer: &Transfer{Mechanism: "x"}},
			}
		}, Problems{
			{"sub_processors.1.name", ErrRequired},
			{"sub_processors.1.country", ErrCountry},
			{"sub_processors.1.service", ErrRequired},
			{"sub_processors.1.dpf_certified", ErrDPFNotUS},
			{"sub_processors.1.transfer.mechanism", ErrOption},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			p := mailRelay()
			tc.change(&p)
			if diff := cmp.Diff(tc.want, p.Validate()); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIntegrationValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		in   Integration
		want Problems
	}{
		"OK":           {Integration{ID: "mail", Kind: IntegrationSMTPRelay, Host: "smtp.beispiel-mail.example", Processor: "beispiel_mail", Enabled: true}, nil},
		"OKPort":       {Integration{ID: "mail", Kind: IntegrationSMTPRelay, Host: "smtp.beispiel-mail.example:587", Processor: "beispiel_mail"}, nil},
		"OKIPv6":       {Integration{ID: "hook", Kind: IntegrationWebhook, Host: "[2001:db8::1]:8443", Processor: "x"}, nil},
		"OKIPv4":       {Integration{ID: "s3", Kind: IntegrationObjectStorage, Host: "192.0.2.10", Processor: "x"}, nil},
		"Empty":        {Integration{}, Problems{{"id", ErrRequired}, {"kind", ErrRequired}, {"host", ErrRequired}, {"processor", ErrRequired}}},
		"UnknownKind":  {Integration{ID: "x", Kind: "ftp", Host: "a.example", Processor: "p"}, Problems{{"kind", ErrOption}}},
		"HostURL":      {Integration{ID: "x", Kind: IntegrationWebhook, Host: "https://hooks.example/x", Processor: "p"}, Problems{{"host", ErrHost}}},
		"HostPort0":    {Integration{ID: "x", Kind: IntegrationWebhook, Host: "hooks.example:0", Processor: "p"}, Problems{{"host", ErrHost}}},
		"HostSpace":    {Integration{ID: "x", Kind: IntegrationWebhook, Host: "hooks example", Processor: "p"}, Problems{{"host", ErrHost}}},
		"ProcessorBad": {Integration{ID: "x", Kind: IntegrationWebhook, Host: "a.example", Processor: "Beispiel"}, Problems{{"processor", ErrID}}},
		"OverrideNoReason": {Integration{ID: "x", Kind: IntegrationWebhook, Host: "a.example", Processor: "p", Override: &AVVOverride{Until: "2027-13-01"}},
			Problems{{"avv_override.reason", ErrRequired}, {"avv_override.until", ErrDate}}},
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.in.Validate()); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegisterValidate(t *testing.T) {
	p := mailRelay()
	bad := mailRelay()
	bad.Country = "XX"
	r := Register{
		Processors:   []Processor{p, p, bad},
		Integrations: []Integration{{ID: "mail", Kind: IntegrationSMTPRelay, Host: "smtp.example", Processor: "beispiel_mail"}, {ID: "mail", Kind: IntegrationSMTPRelay, Host: "smtp.example", Processor: "beispiel_mail"}},
	}
	err := r.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`processors[1] "beispiel_mail": id: is taken by another entry`,
		`processors[2] "beispiel_mail": country: is not an ISO 3166-1 alpha-2 country code`,
		`integrations[1] "mail": id: is taken by another entry`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if err := (Register{Processors: []Processor{mailRelay()}}).Validate(); err != nil {
		t.Errorf("valid register: %v", err)
	}
}

// TestProblemTexts: every key Validate may return has an English text.
func TestProblemTexts(t *testing.T) {
	for _, k := range ProblemKeys() {
		if ProblemText(k) == k || ProblemText(k) == "" {
			t.Errorf("%s has no text", k)
		}
	}
}

func TestCountryStatus(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		country string
		dpf     bool
		at      time.Time
		want    CountryStatus
	}{
		{"DE", false, at, StatusEEA},
		{"AT", false, at, StatusEEA},
		{"GR", false, at, StatusEEA},
		{"NO", false, at, StatusEEA},
		{"LI", false, at, StatusEEA},
		{"CH", false, at, StatusSwitzerland},
		{"GB", false, at, StatusAdequacy},
		{"GB", false, time.Date(2031, 12, 27, 23, 0, 0, 0, time.UTC), StatusAdequacy},
		{"GB", false, time.Date(2031, 12, 28, 0, 0, 0, 0, time.UTC), StatusThirdCountry}, // the renewal ends
		{"GB", false, time.Date(2021, 6, 27, 12, 0, 0, 0, time.UTC), StatusThirdCountry}, // before the decision
		{"JP", false, at, StatusAdequacy},
		{"KR", false, at, StatusAdequacy},
		{"CA", false, at, StatusAdequacy},
		{"NZ", false, at, StatusAdequacy},
		{"IL", false, at, StatusAdequacy},
		{"UY", false, at, StatusAdequacy},
		{"AR", false, at, StatusAdequacy},
		{"AD", false, at, StatusAdequacy},
		{"FO", false, at, StatusAdequacy},
		{"GG", false, at, StatusAdequacy},
		{"IM", false, at, StatusAdequacy},
		{"JE", false, at, StatusAdequacy},
		{"BR", false, at, StatusAdequacy},
		{"BR", false, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), StatusThirdCountry},
		{"US", true, at, StatusAdequacy},
		{"US", false, at, StatusThirdCountry},
		{"US", true, time.Date(2023, 7, 9, 12, 0, 0, 0, time.UTC), StatusThirdCountry},
		{"IN", false, at, StatusThirdCountry},
		{"CN", false, at, StatusThirdCountry},
		{"RU", false, at, StatusThirdCountry},
	} {
		if got := StatusOf(tc.country, tc.dpf, tc.at); got != tc.want {
			t.Errorf("%s dpf=%v at %s: %s, want %s", tc.country, tc.dpf, tc.at.Format(time.DateOnly), got, tc.want)
		}
	}
	if n := len(isoCountries); n != 249 {
		t.Errorf("%d ISO countries, want 249", n)
	}
	for c := range eea {
		if !ValidCountry(c) {
			t.Errorf("EEA member %s is no ISO code", c)
		}
	}
	for _, a := range Adequacies {
		if !ValidCountry(a.Country) {
			t.Errorf("adequacy for %s: no ISO code", a.Country)
		}
		if _, ok := parseDay(a.From); !ok || a.Until != "" && a.Until < a.From {
			t.Errorf("adequacy for %s: dates %q–%q", a.Country, a.From, a.Until)
		}
	}
}

// finding is a finding without its text, for comparisons.
type finding struct {
	Code     string
	Severity Severity
	Object   string
}

func codes(fs []Finding) []finding {
	out := []finding{}
	for _, f := range fs {
		out = append(out, finding{f.Code, f.Severity, f.Object})
	}
	return out
}

func TestFindings(t *testing.T) {
	// 2026-11-29 12:00 in Berlin.
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, berlin)
	mail := func(change func(p *Processor)) []Processor {
		p := mailRelay()
		change(&p)
		return []Processor{p}
	}
	relay := func(change func(in *Integration)) []Integration {
		in := Integration{ID: "mail", Kind: IntegrationSMTPRelay, Host: "smtp.beispiel-mail.example", Processor: "beispiel_mail", Enabled: true}
		change(&in)
		return []Integration{in}
	}
	none := func(*Integration) {}
	same := func(*Processor) {}
	proc := ProcessorObject("beispiel_mail")
	integ := IntegrationObject("mail")
	for name, tc := range map[string]struct {
		r    Register
		now  time.Time
		want []finding
	}{
		"OK":          {Register{mail(same), relay(none)}, now, []finding{}},
		"Empty":       {Register{}, now, []finding{}},
		"SignedToday": {Register{mail(func(p *Processor) { p.AVV.SignedOn = "2026-11-29" }), relay(none)}, now, []finding{}},
		"SignedTomorrow": {Register{mail(func(p *Processor) { p.AVV.SignedOn = "2026-11-30" }), relay(none)}, now, []finding{
			{FindNoValidAVV, SeverityError, integ}, {FindAVVNotInForce, SeverityError, proc}}},
		"Missing": {Register{mail(func(p *Processor) { p.AVV = AVV{} }), relay(none)}, now, []finding{
			{FindNoValidAVV, SeverityError, integ}, {FindAVVMissing, SeverityError, proc}}},
		"MissingUnused": {Register{mail(func(p *Processor) { p.AVV = AVV{} }), nil}, now, []finding{
			{FindAVVMissing, SeverityError, proc}}},
		"MissingDisabled": {Register{mail(func(p *Processor) { p.AVV = AVV{} }), relay(func(in *Integration) { in.Enabled = false })}, now, []finding{
			{FindAVVMissing, SeverityError, proc}}},
		// valid_until is the last day: in force through 23:59:59 of it.
		"LastDayToday": {Register{mail(func(p *Processor) { p.AVV.ValidUntil = "2026-11-29" }), relay(none)}, now, []finding{
			{FindAVVExpiring, SeverityWarning, proc}}},
		"ExpiredYesterday": {Register{mail(func(p *Processor) { p.AVV.ValidUntil = "2026-11-28" }), relay(none)}, now, []finding{
			{FindNoValidAVV, SeverityError, integ}, {FindAVVExpired, SeverityError, proc}}},
		"ExpiredAtMidnight": {Register{mail(func(p *Processor) { p.AVV.ValidUntil = "2026-11-29" }), relay(none)},
			time.Date(2026, 11, 30, 0, 0, 0, 0, berlin), []finding{
				{FindNoValidAVV, SeverityError, integ}, {FindAVVExpired, SeverityError, proc}}},
		"OneSecondBeforeMidnight": {Register{mail(func(p *Processor) { p.AVV.ValidUntil = "2026-11-29" }), relay(none)},
			time.Date(2026, 11, 29, 23, 59, 59, 0, berlin), []finding{{FindAVVExpiring, SeverityWarning, proc}}},
		// 30 days ahead: ends at the start of 2026-12-30, exactly 30 days from 2026-11-30 00:00.
		"ExpiringIn30Days": {Register{mail(func(p *Processor) { p.AVV.ValidUntil = "2026-12-29" }), relay(none)},
			time.Date(2026, 11, 30, 0, 0, 0, 0, berlin), []finding{{FindAVVExpiring, SeverityWarning, proc}}},
		"ValidFor31Days": {Register{mail(func(p *Processor) { p.AVV.ValidUntil = "2026-12-30" }), relay(none)},
			time.Date(2026, 11, 30, 0, 0, 0, 0, berlin), []finding{}},
		"UnknownProcessor": {Register{mail(same), relay(func(in *Integration) { in.Processor = "cloudhooks" })}, now, []finding{
			{FindUnknownProcessor, SeverityError, integ}}},
		"UnknownProcessorDisabled": {Register{nil, relay(func(in *Integration) { in.Processor = "cloudhooks"; in.Enabled = false })}, now, []finding{}},
		"Override": {Register{mail(func(p *Processor) { p.AVV = AVV{} }), relay(func(in *Integration) {
			in.Override = &AVVOverride{Reason: "AVV liegt zur Unterschrift vor"}
		})}, now, []finding{{FindAVVMissing, SeverityError, proc}, {FindOverride, SeverityWarning, integ}}},
		"OverrideUnknown": {Register{nil, relay(func(in *Integration) {
			in.Override = &AVVOverride{Reason: "Testbetrieb", Until: "2026-11-29"}
		})}, now, []finding{{FindOverride, SeverityWarning, integ}}},
		"OverrideLapsed": {Register{nil, relay(func(in *Integration) {
			in.Override = &AVVOverride{Reason: "Testbetrieb", Until: "2026-11-28"}
		})}, now, []finding{{FindUnknownProcessor, SeverityError, integ}}},
		"OverrideNotNeeded": {Register{mail(same), relay(func(in *Integration) {
			in.Override = &AVVOverride{Reason: "alt"}
		})}, now, []finding{}},
		"ThirdCountry": {Register{mail(func(p *Processor) { p.Country = "IN" }), nil}, now, []finding{
			{FindTransfer, SeverityWarning, proc}}},
		"ThirdCountrySCC": {Register{mail(func(p *Processor) { p.Country = "IN"; p.Transfer = &Transfer{Mechanism: TransferSCC} }), nil}, now, []finding{}},
		"Switzerland":     {Register{mail(func(p *Processor) { p.Country = "CH" }), nil}, now, []finding{}},
		"Adequacy":        {Register{mail(func(p *Processor) { p.Country = "JP" }), nil}, now, []finding{}},
		"USCertified":     {Register{mail(func(p *Processor) { p.Country = "US"; p.DPFCertified = true }), nil}, now, []finding{}},
		"USNotCertified": {Register{mail(func(p *Processor) { p.Country = "US" }), nil}, now, []finding{
			{FindTransfer, SeverityWarning, proc}}},
		"UKAfterAdequacyEnds": {Register{mail(func(p *Processor) { p.Country = "GB" }), nil}, time.Date(2032, 1, 1, 0, 0, 0, 0, berlin), []finding{
			{FindTransfer, SeverityWarning, proc}}},
		"SubProcessors": {Register{mail(func(p *Processor) {
			p.SubProcessors = []SubProcessor{
				{Name: "Beispiel Rechenzentrum AG", Country: "AT", Service: "Rechenzentrum"},
				{Name: "Example Cloud Inc.", Country: "US", Service: "Backup", DPFCertified: true},
				{Name: "Example Support Pvt. Ltd.", Country: "IN", Service: "Support", Transfer: &Transfer{Mechanism: TransferSCC}},
			}
		}), nil}, now, []finding{}},
		"SubProcessorWithoutSafeguard": {Register{mail(func(p *Processor) {
			p.SubProcessors = []SubProcessor{
				{Name: "Example Cloud Inc.", Country: "US", Service: "Backup"},
				{Name: "Example Support Pvt. Ltd.", Country: "IN", Service: "Support"},
			}
		}), nil}, now, []finding{{FindSubTransfer, SeverityWarning, proc}, {FindSubTransfer, SeverityWarning, proc}}},
	} {
		t.Run(name, func(t *testing.T) {
			got := tc.r.Findings(tc.now, berlin)
			if diff := cmp.Diff(tc.want, codes(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if f.Text.DE == "" || f.Text.EN == "" || f.Text.DE == f.Text.EN {
					t.Errorf("%s: text %+v", f.Code, f.Text)
				}
			}
			gate := map[string]bool{}
			for _, f := range Refusals(got) {
				gate[f.Object] = true
			}
			for _, f := range got {
				if refuse := f.Code == FindUnknownProcessor || f.Code == FindNoValidAVV; refuse != gate[f.Object] {
					t.Errorf("%s: refused = %v", f.Code, gate[f.Object])
				}
			}
		})
	}
}

func TestFindingTexts(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, berlin)
	p := mailRelay()
	p.AVV.ValidUntil = "2026-12-01"
	fs := Register{Processors: []Processor{p}}.Findings(now, berlin)
	if len(fs) != 1 {
		t.Fatalf("findings: %+v", fs)
	}
	want := Text{
		DE: "Der AVV mit beispiel_mail (Beispiel Mail GmbH) gilt nur noch bis 2026-12-01 (noch 3 Tage).",
		EN: "The AVV with beispiel_mail (Beispiel Mail GmbH) is valid only until 2026-12-01 (3 days left).",
	}
	if diff := cmp.Diff(want, fs[0].Text); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestOverrides(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, berlin)
	r := Register{Integrations: []Integration{
		{ID: "hook", Kind: IntegrationWebhook, Host: "hooks.example", Processor: "unknown", Enabled: true, Override: &AVVOverride{Reason: "Pilot"}},
		{ID: "off", Kind: IntegrationWebhook, Host: "hooks.example", Processor: "unknown", Enabled: false, Override: &AVVOverride{Reason: "Pilot"}},
	}}
	got := r.Overrides(now, berlin)
	if len(got) != 1 || got[0].ID != "hook" {
		t.Errorf("overrides: %+v", got)
	}
}
