package web

import (
	"strings"

	"frist/internal/privacy"
)

// formField is one input as the "field" template renders it: label tied
// with for, help text and error tied with aria-describedby.
type formField struct {
	ID           string // the element id
	Name         string // the form field name
	Label        string
	Help         string
	Kind         privacy.Kind
	Options      []formOption
	Required     bool
	RequiredText string // "Pflichtfeld" for screen readers
	ChooseText   string // first, empty option of a select
	Value        string
	Error        string // translated; "" when valid
	MaxLen       int
	Autocomplete string
}

// formOption is one choice of a select.
type formOption struct {
	Value    string
	Label    string
	Selected bool
}

// InputType returns the type attribute of an input element.
func (f formField) InputType() string {
	switch f.Kind {
	case privacy.KindEmail:
		return "email"
	case privacy.KindDate:
		return "date"
	}
	return "text"
}

// DescribedBy returns the ids of the help text and error, for
// aria-describedby.
func (f formField) DescribedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Help != "" {
		ids = append(ids, f.ID+"-help")
	}
	return strings.Join(ids, " ")
}

// attributeField builds the input of a catalogued attribute.
func (p page) attributeField(a *privacy.Attribute, id, name, value string, required bool, errKey string) formField {
	f := formField{
		ID:           id,
		Name:         name,
		Label:        a.Label.In(p.Lang),
		Help:         a.Help.In(p.Lang),
		Kind:         a.Kind,
		Required:     required,
		RequiredText: p.T("required_marker"),
		ChooseText:   p.T("choose_option"),
		Value:        value,
		MaxLen:       a.MaxLen,
	}
	if errKey != "" {
		f.Error = p.T(errKey)
	}
	for _, o := range a.Options {
		f.Options = append(f.Options, formOption{Value: o.Value, Label: o.Label.In(p.Lang), Selected: o.Value == value})
	}
	return f
}
