package privacy

import (
	"fmt"
	"slices"

	"frist/internal/pii"
)

// Visibility is how much of a data category a role sees.
type Visibility string

// Visibilities, from most to least shown.
const (
	// Visible shows the data as stored.
	Visible Visibility = "visible"
	// Masked replaces the data by a stand-in that says what it is:
	// customers' names and email addresses by keyed pseudonyms ("Kunde
	// 7F3A9C", consistent across tickets), everything else by a label
	// such as "[Zahlungsart]" or "[IBAN]". The viewer knows that the datum
	// exists, never its value.
	Masked Visibility = "masked"
	// Hidden leaves the data out: form fields are not listed at all, the
	// customer has no name or address. Inside free text, where leaving a
	// gap unmarked would change the meaning, it is replaced by HiddenLabel.
	Hidden Visibility = "hidden"
)

// Visibilities lists all visibilities.
var Visibilities = []Visibility{Visible, Masked, Hidden}

// Valid reports whether v is a known visibility.
func (v Visibility) Valid() bool { return slices.Contains(Visibilities, v) }

// HiddenLabel replaces hidden data inside free text.
const HiddenLabel = "[…]"

// MaskLabel returns the stand-in of masked data named name, e.g.
// "[Zahlungsart]" for the payment method.
func MaskLabel(name string) string { return "[" + name + "]" }

// ContentLabel is the stand-in of subjects and messages for a role that
// sees request content masked.
var ContentLabel = Text{DE: "[Anfrageinhalt]", EN: "[request content]"}

// RoleVisibility is what one role sees of each data category, and what it
// may do about what it does not see.
type RoleVisibility struct {
	Contact        Visibility `yaml:"contact,omitempty"`
	RequestContent Visibility `yaml:"request_content,omitempty"`
	Sensitive      Visibility `yaml:"sensitive,omitempty"`
	Technical      Visibility `yaml:"technical,omitempty"`
	// OwnDepartmentOnly lists categories shown at most masked, and not
	// audited, on tickets outside the departments the account is a member
	// of (the departments listed on the account; an account without a list
	// works every department's queue but is a member of none).
	OwnDepartmentOnly []Category `yaml:"own_department_only,omitempty"`
	// Reveal lists categories whose values the role may reveal wherever
	// it sees them masked: one deliberate act with a reason each, recorded
	// in the audit trail.
	Reveal []Category `yaml:"reveal,omitempty"`
	// AuditViews lists visible categories of which every view is recorded
	// in the audit trail (ticket and category, never the value).
	AuditViews []Category `yaml:"audit_views,omitempty"`
}

// MarshalYAML writes the setting back as it was given: an omitted list
// stays omitted (it keeps the default), an empty one is written as [] (it
// clears the default).
func (r RoleVisibility) MarshalYAML() (any, error) {
	type lists struct {
		Contact           Visibility  `yaml:"contact,omitempty"`
		RequestContent    Visibility  `yaml:"request_content,omitempty"`
		Sensitive         Visibility  `yaml:"sensitive,omitempty"`
		Technical         Visibility  `yaml:"technical,omitempty"`
		OwnDepartmentOnly *[]Category `yaml:"own_department_only,omitempty"`
		Reveal            *[]Category `yaml:"reveal,omitempty"`
		AuditViews        *[]Category `yaml:"audit_views,omitempty"`
	}
	out := lists{Contact: r.Contact, RequestContent: r.RequestContent, Sensitive: r.Sensitive, Technical: r.Technical}
	if r.OwnDepartmentOnly != nil {
		out.OwnDepartmentOnly = &r.OwnDepartmentOnly
	}
	if r.Reveal != nil {
		out.Reveal = &r.Reveal
	}
	if r.AuditViews != nil {
		out.AuditViews = &r.AuditViews
	}
	return out, nil
}

// Of returns the role's visibility of category c; "" when unset.
func (r RoleVisibility) Of(c Category) Visibility {
	switch c {
	case Contact:
		return r.Contact
	case Content:
		return r.RequestContent
	case Sensitive:
		return r.Sensitive
	case Technical:
		return r.Technical
	}
	return ""
}

// set sets the role's visibility of category c.
func (r *RoleVisibility) set(c Category, v Visibility) {
	switch c {
	case Contact:
		r.Contact = v
	case Content:
		r.RequestContent = v
	case Sensitive:
		r.Sensitive = v
	case Technical:
		r.Technical = v
	}
}

// Merge returns base with what r sets: each category r gives a visibility
// for, and each list r gives (an empty list clears base's, an omitted one
// keeps it).
func (r RoleVisibility) Merge(base RoleVisibility) RoleVisibility {
	out := base
	for _, c := range Categories {
		if v := r.Of(c); v != "" {
			out.set(c, v)
		}
	}
	if r.OwnDepartmentOnly != nil {
		out.OwnDepartmentOnly = r.OwnDepartmentOnly
	}
	if r.Reveal != nil {
		out.Reveal = r.Reveal
	}
	if r.AuditViews != nil {
		out.AuditViews = r.AuditViews
	}
	return out
}

// Validate checks a complete role visibility: a valid visibility for
// every category, known categories listed once, reveal only of what can be
// masked (a masked category, or a visible one limited to the own
// departments), audited views only of visible categories. The error names
// the setting, for the policy's error message.
func (r RoleVisibility) Validate() error {
	for _, c := range Categories {
		if v := r.Of(c); !v.Valid() {
			return fmt.Errorf("%s: %q is not one of %v", c, v, Visibilities)
		}
	}
	lists := []struct {
		name string
		cs   []Category
	}{{"own_department_only", r.OwnDepartmentOnly}, {"reveal", r.Reveal}, {"audit_views", r.AuditViews}}
	for _, l := range lists {
		seen := map[Category]bool{}
		for _, c := range l.cs {
			if !c.Valid() {
				return fmt.Errorf("%s: category %q is not one of %v", l.name, c, Categories)
			}
			if seen[c] {
				return fmt.Errorf("%s: category %q listed twice", l.name, c)
			}
			seen[c] = true
		}
	}
	for _, c := range r.Reveal {
		v := r.Of(c)
		if v != Masked && !(v == Visible && slices.Contains(r.OwnDepartmentOnly, c)) {
			return fmt.Errorf("reveal: %s is %s and never masked; only masked data can be revealed", c, v)
		}
	}
	for _, c := range r.AuditViews {
		if r.Of(c) != Visible {
			return fmt.Errorf("audit_views: %s is %s, only views of visible data can be audited", c, r.Of(c))
		}
	}
	return nil
}

// Access is what one viewer may do with one data category on one ticket.
type Access struct {
	Visibility Visibility
	Reveal     bool // masked values may be revealed, with a reason
	Audit      bool // showing the visible data is recorded in the audit trail
}

// Access returns what a viewer of this role visibility may do with
// category c on a ticket; own says whether the ticket belongs to one of
// the viewer's own departments (see OwnDepartmentOnly).
func (r RoleVisibility) Access(c Category, own bool) Access {
	v := r.Of(c)
	if !v.Valid() {
		v = Hidden // an incomplete setting never shows more
	}
	audit := slices.Contains(r.AuditViews, c)
	if !own && slices.Contains(r.OwnDepartmentOnly, c) {
		if v == Visible {
			v = Masked
		}
		audit = false
	}
	return Access{Visibility: v, Reveal: v == Masked && slices.Contains(r.Reveal, c), Audit: v == Visible && audit}
}

// FreeTextCategory returns the data category of personal data a detector
// found in free text: email addresses and phone numbers are contact data,
// everything else (bank and card details, social security and tax
// numbers, ID cards, dates and places of birth) is sensitive.
func FreeTextCategory(k pii.Kind) Category {
	switch k {
	case pii.Email, pii.Phone:
		return Contact
	}
	return Sensitive
}
