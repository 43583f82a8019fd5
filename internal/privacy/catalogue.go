// Package privacy owns Frist's data-protection vocabulary: the catalogue of
// every stored attribute with its data category and purpose, legal bases,
// optional purposes, versioned privacy notices and consent records.
package privacy

import (
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Category classifies an attribute by how much protection it needs.
type Category string

// Data categories.
const (
	Contact   Category = "contact"         // name, email, phone, customer number
	Content   Category = "request_content" // what the customer wrote
	Sensitive Category = "sensitive"       // birthplace, payment method, bank details…
	Technical Category = "technical"       // language, timestamps
)

// Categories lists all categories.
var Categories = []Category{Contact, Content, Sensitive, Technical}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if c == x {
			return true
		}
	}
	return false
}

// Text is a text in German and English.
type Text struct {
	DE string `yaml:"de" json:"de"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("de" or "en"), falling back to German.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	if t.DE == "" {
		return t.EN
	}
	return t.DE
}

// Kind is how an attribute is entered and validated.
type Kind string

// Kinds of attributes.
const (
	KindText     Kind = "text"     // one line
	KindTextarea Kind = "textarea" // several lines
	KindEmail    Kind = "email"
	KindDate     Kind = "date"   // YYYY-MM-DD
	KindSelect   Kind = "select" // one of Options
)

// Option is one choice of a select attribute.
type Option struct {
	Value string `yaml:"value" json:"value"`
	Label Text   `yaml:"label" json:"label"`
}

// Attribute is one catalogued datum Frist may store about a customer or a
// ticket. Nothing that is not catalogued is ever stored.
type Attribute struct {
	ID       string   `yaml:"id" json:"id"`             // stable key, e.g. "customer_number"
	Category Category `yaml:"category" json:"category"` // how sensitive it is
	Purpose  string   `yaml:"purpose" json:"purpose"`   // id of the purpose it serves
	Label    Text     `yaml:"label" json:"label"`
	Help     Text     `yaml:"help,omitempty" json:"help"` // why it is asked, shown next to the field
	Kind     Kind     `yaml:"kind" json:"kind"`
	MaxLen   int      `yaml:"max_length,omitempty" json:"max_length,omitempty"`
	Pattern  string   `yaml:"pattern,omitempty" json:"pattern,omitempty"` // regular expression the whole value must match
	Options  []Option `yaml:"options,omitempty" json:"options,omitempty"`
	// Core attributes are asked by every form (name, email, subject,
	// message); request types cannot declare them as form fields.
	Core bool `yaml:"-" json:"-"`

	re *regexp.Regexp
}

// Core attribute ids.
const (
	AttrName     = "name"
	AttrEmail    = "email"
	AttrSubject  = "subject"
	AttrMessage  = "message"
	AttrLanguage = "language"
)

// Validation message keys returned by Attribute.Normalize. The web and API
// layers translate them; they never contain the value.
const (
	ErrRequired = "required"
	ErrTooLong  = "too_long"
	ErrEmail    = "invalid_email"
	ErrDate     = "invalid_date"
	ErrOption   = "invalid_option"
	ErrPattern  = "invalid_format"
	ErrControl  = "invalid_characters"
	ErrUnknown  = "unknown_field"
)

// Normalize trims and validates a submitted value. It returns the value to
// store, or a message key saying why the value is invalid. An empty value
// is valid here; whether it is required is the request type's business.
func (a *Attribute) Normalize(v string) (string, string) {
	if !utf8.ValidString(v) {
		return "", ErrControl
	}
	v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
	if v == "" {
		return "", ""
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(a.Kind == KindTextarea && (r == '\n' || r == '\t')) {
			return "", ErrControl
		}
	}
	if a.MaxLen > 0 && utf8.RuneCountInString(v) > a.MaxLen {
		return "", ErrTooLong
	}
	switch a.Kind {
	case KindEmail:
		addr, err := mail.ParseAddress(v)
		if err != nil || addr.Address != v || addr.Name != "" || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
			return "", ErrEmail
		}
		v = strings.ToLower(v)
	case KindDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "", ErrDate
		}
	case KindSelect:
		ok := false
		for _, o := range a.Options {
			ok = ok || o.Value == v
		}
		if !ok {
			return "", ErrOption
		}
	}
	if a.re != nil && !a.re.MatchString(v) {
		return "", ErrPattern
	}
	return v, ""
}

// Catalogue is the set of all attributes Frist may store.
type Catalogue struct {
	attrs map[string]*Attribute
	ids   []string
}

// NewCatalogue returns the built-in catalogue extended by extra attributes
// from the policy. It fails if an extra attribute lacks a category or
// purpose, repeats an id, or has a bad pattern.
func NewCatalogue(extra []Attribute, purposes []Purpose) (*Catalogue, error) {
	known := map[string]bool{}
	for _, p := range append(BuiltInPurposes(), purposes...) {
		known[p.ID] = true
	}
	c := &Catalogue{attrs: map[string]*Attribute{}}
	all := append(BuiltIn(), extra...)
	for i := range all {
		a := all[i]
		switch {
		case !validID(a.ID):
			return nil, fmt.Errorf("attribute %q: id must be lower-case letters, digits and underscores", a.ID)
		case c.attrs[a.ID] != nil:
			return nil, fmt.Errorf("attribute %q declared twice", a.ID)
		case !a.Category.Valid():
			return nil, fmt.Errorf("attribute %q: category must be one of %v", a.ID, Categories)
		case !known[a.Purpose]:
			return nil, fmt.Errorf("attribute %q: purpose %q is not declared", a.ID, a.Purpose)
		case a.Label.DE == "" || a.Label.EN == "":
			return nil, fmt.Errorf("attribute %q: label needs German and English", a.ID)
		}
		switch a.Kind {
		case "":
			a.Kind = KindText
		case KindText, KindTextarea, KindEmail, KindDate:
		case KindSelect:
			if len(a.Options) == 0 {
				return nil, fmt.Errorf("attribute %q: a select needs options", a.ID)
			}
		default:
			return nil, fmt.Errorf("attribute %q: unknown kind %q", a.ID, a.Kind)
		}
		if a.MaxLen == 0 {
			a.MaxLen = 200
		}
		if a.Pattern != "" {
			re, err := regexp.Compile("^(?:" + a.Pattern + ")$")
			if err != nil {
				return nil, fmt.Errorf("attribute %q: pattern: %w", a.ID, err)
			}
			a.re = re
		}
		c.attrs[a.ID] = &a
		c.ids = append(c.ids, a.ID)
	}
	return c, nil
}

// Attribute returns the attribute with the id.
func (c *Catalogue) Attribute(id string) (*Attribute, bool) {
	a, ok := c.attrs[id]
	return a, ok
}

// Attributes returns all attributes in declaration order.
func (c *Catalogue) Attributes() []*Attribute {
	out := make([]*Attribute, 0, len(c.ids))
	for _, id := range c.ids {
		out = append(out, c.attrs[id])
	}
	return out
}

// Extra returns the attributes that are not built in, for exporting the
// policy.
func (c *Catalogue) Extra() []Attribute {
	builtin := map[string]bool{}
	for _, a := range BuiltIn() {
		builtin[a.ID] = true
	}
	var out []Attribute
	for _, id := range c.ids {
		if !builtin[id] {
			out = append(out, *c.attrs[id])
		}
	}
	return out
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

func validID(s string) bool { return idRE.MatchString(s) }

// ValidID reports whether s is a valid id for policy objects.
func ValidID(s string) bool { return validID(s) }

// ByCategory groups attribute ids by category, sorted, for documents.
func (c *Catalogue) ByCategory() map[Category][]string {
	out := map[Category][]string{}
	for _, a := range c.attrs {
		out[a.Category] = append(out[a.Category], a.ID)
	}
	for _, ids := range out {
		sort.Strings(ids)
	}
	return out
}
