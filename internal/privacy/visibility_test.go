package privacy

import (
	"strings"
	"testing"

	"frist/internal/pii"
)

func TestRoleVisibilityAccess(t *testing.T) {
	agent := RoleVisibility{Contact: Visible, RequestContent: Visible, Sensitive: Visible, Technical: Visible,
		OwnDepartmentOnly: []Category{Sensitive}, Reveal: []Category{Sensitive}}
	masked := RoleVisibility{Contact: Visible, RequestContent: Visible, Sensitive: Masked, Technical: Visible,
		OwnDepartmentOnly: []Category{Sensitive}, Reveal: []Category{Sensitive}}
	officer := RoleVisibility{Contact: Visible, RequestContent: Visible, Sensitive: Visible, Technical: Visible,
		AuditViews: []Category{Sensitive}}
	local := RoleVisibility{Contact: Visible, RequestContent: Visible, Sensitive: Visible, Technical: Hidden,
		OwnDepartmentOnly: []Category{Sensitive, Technical}, AuditViews: []Category{Sensitive}}
	for _, tc := range []struct {
		name string
		r    RoleVisibility
		c    Category
		own  bool
		want Access
	}{
		{"AgentContact", agent, Contact, false, Access{Visibility: Visible}},
		{"AgentSensitiveOwn", agent, Sensitive, true, Access{Visibility: Visible}},
		{"AgentSensitiveElsewhere", agent, Sensitive, false, Access{Visibility: Masked, Reveal: true}},
		{"MaskedRevealOwn", masked, Sensitive, true, Access{Visibility: Masked, Reveal: true}},
		{"MaskedRevealElsewhere", masked, Sensitive, false, Access{Visibility: Masked, Reveal: true}},
		{"OfficerAudited", officer, Sensitive, false, Access{Visibility: Visible, Audit: true}},
		{"OfficerContactNotAudited", officer, Contact, false, Access{Visibility: Visible}},
		{"VisibleOwnOnly", local, Sensitive, true, Access{Visibility: Visible, Audit: true}},
		{"VisibleElsewhereMasked", local, Sensitive, false, Access{Visibility: Masked}},
		{"HiddenStaysHidden", local, Technical, false, Access{Visibility: Hidden}},
		{"UnsetIsHidden", RoleVisibility{}, Contact, true, Access{Visibility: Hidden}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Access(tc.c, tc.own); got != tc.want {
				t.Errorf("Access(%s, own=%t) = %+v, want %+v", tc.c, tc.own, got, tc.want)
			}
		})
	}
}

func TestRoleVisibilityValidate(t *testing.T) {
	ok := RoleVisibility{Contact: Visible, RequestContent: Visible, Sensitive: Masked, Technical: Visible}
	with := func(f func(*RoleVisibility)) RoleVisibility {
		r := ok
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		r    RoleVisibility
		err  string
	}{
		{"OK", ok, ""},
		{"RevealMasked", with(func(r *RoleVisibility) { r.Reveal = []Category{Sensitive} }), ""},
		{"Missing", with(func(r *RoleVisibility) { r.Technical = "" }), `technical: "" is not one of`},
		{"Unknown", with(func(r *RoleVisibility) { r.Contact = "blurred" }), `contact: "blurred" is not one of`},
		{"UnknownCategory", with(func(r *RoleVisibility) { r.Reveal = []Category{"health"} }), `reveal: category "health"`},
		{"Twice", with(func(r *RoleVisibility) { r.OwnDepartmentOnly = []Category{Sensitive, Sensitive} }), "listed twice"},
		{"RevealVisible", with(func(r *RoleVisibility) { r.Reveal = []Category{Contact} }), "only masked data can be revealed"},
		{"RevealVisibleElsewhere", with(func(r *RoleVisibility) {
			r.Contact, r.OwnDepartmentOnly, r.Reveal = Visible, []Category{Contact}, []Category{Contact}
		}), ""},
		{"RevealHidden", with(func(r *RoleVisibility) { r.Sensitive = Hidden; r.Reveal = []Category{Sensitive} }), "only masked data can be revealed"},
		{"AuditMasked", with(func(r *RoleVisibility) { r.AuditViews = []Category{Sensitive} }), "only views of visible data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("Validate() = %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("Validate() = %v, want %q", err, tc.err)
			}
		})
	}
}

func TestRoleVisibilityMerge(t *testing.T) {
	base := RoleVisibility{Contact: Visible, RequestContent: Visible, Sensitive: Masked, Technical: Visible, Reveal: []Category{Sensitive}, OwnDepartmentOnly: []Category{Sensitive}}
	got := RoleVisibility{Contact: Masked, Reveal: []Category{}}.Merge(base)
	if got.Contact != Masked || got.Sensitive != Masked || got.Technical != Visible {
		t.Errorf("visibilities = %+v", got)
	}
	if len(got.Reveal) != 0 {
		t.Errorf("an empty list did not clear reveal: %v", got.Reveal)
	}
	if len(got.OwnDepartmentOnly) != 1 {
		t.Errorf("an omitted list did not keep own_department_only: %v", got.OwnDepartmentOnly)
	}
}

func TestFreeTextCategory(t *testing.T) {
	for _, k := range pii.Kinds {
		want := Sensitive
		if k == pii.Email || k == pii.Phone {
			want = Contact
		}
		if got := FreeTextCategory(k); got != want {
			t.Errorf("FreeTextCategory(%s) = %s, want %s", k, got, want)
		}
	}
}

func TestRedaction(t *testing.T) {
	values := []Replacement{
		{Value: "Erika Mustermann", With: "Kunde 7F3A9C"},
		{Value: "Mustermann", With: "Kunde 7F3A9C"},
		{Value: "erika@example.org", With: "kunde-7f3a9c@example.invalid"},
		{Value: "+49 30 1234567", With: "[Telefonnummer]", Digits: true},
		{Value: "K-4711", With: "[Kundennummer]"},
		{Value: "Al", With: "[zu kurz]"},
	}
	sensitive := func(k pii.Kind) (string, bool) {
		if FreeTextCategory(k) == Sensitive {
			return pii.Label(k, "de"), true
		}
		return "", false
	}
	masked := func(k pii.Kind) (string, bool) { return pii.Label(k, "de"), true }
	for _, tc := range []struct {
		name string
		kind func(pii.Kind) (string, bool)
		in   string
		want string
	}{
		{"FullName", nil, "Gruß, Erika Mustermann", "Gruß, Kunde 7F3A9C"},
		{"NameAcrossLines", nil, "Erika\nMustermann", "Kunde 7F3A9C"},
		{"CaseInsensitive", nil, "FRAU MUSTERMANN", "FRAU Kunde 7F3A9C"},
		{"PartOfWordKept", nil, "Mustermannstraße 5", "Mustermannstraße 5"},
		{"OwnEmailPseudonym", masked, "Mail an erika@example.org", "Mail an kunde-7f3a9c@example.invalid"},
		{"OtherEmailLabel", masked, "Mail an max@example.org", "Mail an [E-Mail]"},
		{"PhoneOtherFormat", nil, "Rückruf unter 030/1234567 bitte", "Rückruf unter [Telefonnummer] bitte"},
		{"PhoneInternational", nil, "Tel. 0049 30 1234567.", "Tel. [Telefonnummer]."},
		{"OtherNumberKept", nil, "Bestellung 1234567890", "Bestellung 1234567890"},
		{"CustomerNumber", nil, "Kundennr. k-4711, danke", "Kundennr. [Kundennummer], danke"},
		{"ShortValueIgnored", nil, "Also gut", "Also gut"},
		{"IBANMasked", sensitive, "IBAN DE89 3704 0044 0532 0130 00 bitte", "IBAN [IBAN] bitte"},
		{"CardMasked", sensitive, "Karte 4111 1111 1111 1111", "Karte [Zahlungskarte]"},
		{"TruncatedCardMasked", sensitive, "Karte 4111 11** **** 1111, danke", "Karte [Zahlungskarte], danke"},
		{"StarsAloneKept", sensitive, "Note: ***** (5 Sterne) 2024", "Note: ***** (5 Sterne) 2024"},
		{"EmailKeptWhenVisible", sensitive, "max@example.org", "max@example.org"},
		{"Nothing", masked, "Die Waschmaschine ist kaputt.", "Die Waschmaschine ist kaputt."},
		{"Empty", masked, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NewRedaction(values, tc.kind).Apply(tc.in); got != tc.want {
				t.Errorf("Apply(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSamePhone(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"+49 30 1234567", "030 1234567", true},
		{"+41 44 123 45 67", "044 123 45 67", true},
		{"0049301234567", "(030) 123-4567", true},
		{"030 1234567", "030 1234568", false},
		{"12345", "12345", false}, // too short to be sure
		{"+49 30 1234567", "1234567", false},
	} {
		if got := samePhone(nationalDigits(tc.a), nationalDigits(tc.b)); got != tc.want {
			t.Errorf("samePhone(%q, %q) = %t", tc.a, tc.b, got)
		}
	}
}

func FuzzRedaction(f *testing.F) {
	for _, s := range []string{"Erika Mustermann, 030 1234567", "+49 (0)30-1234567", "IBAN DE89 3704 0044 0532 0130 00", "ä+1 2", "Mustermann"} {
		f.Add(s)
	}
	r := NewRedaction([]Replacement{{Value: "Erika Mustermann", With: "X"}, {Value: "+49 30 1234567", With: "Y", Digits: true}},
		func(k pii.Kind) (string, bool) { return "Z", true })
	name := NewRedaction([]Replacement{{Value: "Erika Mustermann", With: "X"}}, nil)
	f.Fuzz(func(t *testing.T, s string) {
		out := r.Apply(s)
		if again := name.Apply(out); again != out {
			t.Errorf("the name survived as a whole word in %q", out)
		}
	})
}
