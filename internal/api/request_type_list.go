package api

import (
	"frist/internal/privacy"
)

// requestTypeJSON is a request type with the fields a form asks for it,
// each with the data category and purpose that justify asking.
type requestTypeJSON struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Description   string          `json:"description"`
	FirstResponse string          `json:"first_response"`
	LegalBasis    string          `json:"legal_basis"`
	Fields        []formFieldJSON `json:"fields"`
}

// formFieldJSON is one field of a request form. Core fields (name, email,
// subject, message) go top-level in the intake body, the others into its
// "fields" object.
type formFieldJSON struct {
	ID        string           `json:"id"`
	Label     string           `json:"label"`
	Help      string           `json:"help"`
	Kind      privacy.Kind     `json:"kind"`
	Required  bool             `json:"required"`
	Core      bool             `json:"core"`
	Category  privacy.Category `json:"category"`
	Purpose   string           `json:"purpose"`
	MaxLength int              `json:"max_length,omitempty"`
	Options   []optionJSON     `json:"options,omitempty"`
}

// optionJSON is one choice of a select field.
type optionJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// coreFields are asked on every request form.
var coreFields = []string{privacy.AttrName, privacy.AttrEmail, privacy.AttrSubject, privacy.AttrMessage}

// requestTypeList answers the request types of the policy in force,
// localised by Accept-Language.
func (a *API) requestTypeList(c *call) (any, error) {
	p := a.desk.Policy()
	cat := p.Catalogue()
	field := func(id string, required, core bool) formFieldJSON {
		at, _ := cat.Attribute(id)
		f := formFieldJSON{ID: id, Label: at.Label.In(c.lang), Help: at.Help.In(c.lang), Kind: at.Kind, Required: required, Core: core, Category: at.Category, Purpose: at.Purpose, MaxLength: at.MaxLen}
		for _, o := range at.Options {
			f.Options = append(f.Options, optionJSON{Value: o.Value, Label: o.Label.In(c.lang)})
		}
		return f
	}
	out := []requestTypeJSON{}
	for _, rt := range p.RequestTypes {
		j := requestTypeJSON{ID: rt.ID, Name: rt.Name.In(c.lang), Description: rt.Description.In(c.lang), FirstResponse: rt.FirstResponse.String(), LegalBasis: string(rt.LegalBasis)}
		for _, id := range coreFields {
			j.Fields = append(j.Fields, field(id, true, true))
		}
		for _, f := range rt.Fields {
			j.Fields = append(j.Fields, field(f.ID, f.Required, false))
		}
		out = append(out, j)
	}
	return out, nil
}
