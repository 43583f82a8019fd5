package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"frist/internal/desk"
	"frist/internal/policy"
	"frist/internal/privacy"
)

// requestFormPage is the customer's request form. Without a chosen type it
// lists the types; with one it shows the whole form.
type requestFormPage struct {
	page
	Types           []typeChoice
	Type            *typeChoice // nil until a type is chosen
	Core            []formField
	Fields          []formField
	NoticeVersion   string
	NoticeText      string
	NoticeOpen      bool
	ConsentAccepted bool
	ConsentError    string
	Purposes        []purposeChoice
	PurposesError   string
	Errors          []summaryItem

	AttachmentsError string // the first problem with the attached files, translated
	FilesAgain       bool   // files were sent with a form shown again: choose them again
}

// typeChoice is a request type as the form offers it.
type typeChoice struct {
	ID          string
	Name        string
	Description string
	Href        string
}

// purposeChoice is an optional purpose's unticked checkbox.
type purposeChoice struct {
	ID          string
	Label       string
	Description string
	Checked     bool
}

// requestForm shows the request form (GET /, GET /?type=invoice_question).
func (h *Handler) requestForm(w http.ResponseWriter, r *http.Request) {
	typeID := r.URL.Query().Get("type")
	errs := fieldErrors{}
	var order []string
	if typeID != "" {
		if _, ok := h.desk.Policy().RequestType(typeID); !ok {
			errs["request_type"] = desk.ErrUnknownType
			order = []string{"request_type"}
			typeID = ""
		}
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusNotFound
	}
	h.render(w, r, status, "request_form", h.buildRequestForm(r, typeID, url.Values{}, errs, order))
}

// buildRequestForm fills the form for a type with posted values and
// validation errors (order lists the error fields as desk reported them).
func (h *Handler) buildRequestForm(r *http.Request, typeID string, v url.Values, errs fieldErrors, order []string) *requestFormPage {
	p := h.desk.Policy()
	cat := p.Catalogue()
	pg := &requestFormPage{page: h.newPage(r, nil, "request_title")}
	lang := pg.Lang
	for _, rt := range p.RequestTypes {
		pg.Types = append(pg.Types, typeChoice{
			ID:          rt.ID,
			Name:        rt.Name.In(lang),
			Description: rt.Description.In(lang),
			Href:        "/?type=" + url.QueryEscape(rt.ID),
		})
	}
	rt, _ := p.RequestType(typeID)
	if rt != nil {
		pg.Path = "/?type=" + url.QueryEscape(rt.ID)
		pg.Type = &typeChoice{ID: rt.ID, Name: rt.Name.In(lang), Description: rt.Description.In(lang)}
		for _, id := range []string{privacy.AttrName, privacy.AttrEmail, privacy.AttrSubject, privacy.AttrMessage} {
			a, _ := cat.Attribute(id)
			f := pg.attributeField(a, id, id, v.Get(id), true, errs[id])
			switch id {
			case privacy.AttrName:
				f.Autocomplete = "name"
			case privacy.AttrEmail:
				f.Autocomplete = "email"
			}
			pg.Core = append(pg.Core, f)
		}
		for _, ref := range rt.Fields {
			a, ok := cat.Attribute(ref.ID)
			if !ok {
				continue
			}
			name := "field_" + ref.ID
			pg.Fields = append(pg.Fields, pg.attributeField(a, name, name, v.Get(name), ref.Required, errs["fields."+ref.ID]))
		}
	}
	pg.NoticeVersion = p.Notice.Version
	pg.NoticeText = p.Notice.Text.In(lang)
	pg.ConsentAccepted = v.Get("consent_accepted") != "" && errs["consent.notice_version"] == ""
	if k := errs["consent.accepted"]; k != "" {
		pg.ConsentError = pg.T(k)
	} else if k := errs["consent.notice_version"]; k != "" {
		pg.ConsentError = pg.T(k)
		pg.NoticeOpen = true
	}
	if k := errs["consent.purposes"]; k != "" {
		pg.PurposesError = pg.T(k)
	}
	ticked := v["purposes"]
	for _, x := range p.OptionalPurposes() {
		pg.Purposes = append(pg.Purposes, purposeChoice{
			ID:          x.ID,
			Label:       x.Label.In(lang),
			Description: x.Description.In(lang),
			Checked:     slices.Contains(ticked, x.ID),
		})
	}
	for _, field := range order {
		pg.Errors = append(pg.Errors, pg.summaryFor(p, rt, field, errs[field]))
		if attachmentField(field) && pg.AttachmentsError == "" {
			pg.AttachmentsError = pg.T(errs[field])
		}
	}
	return pg
}

// summaryFor returns the error summary entry of a field error of the
// request form.
func (pg *requestFormPage) summaryFor(p *policy.Policy, rt *policy.RequestType, field, key string) summaryItem {
	it := summaryItem{Message: pg.T(key)}
	cat := p.Catalogue()
	switch {
	case field == "request_type":
		it.Label = pg.T("field_request_type")
	case field == "language":
		it.Label = pg.T("field_language")
	case field == "fields":
		it.Label = pg.T("field_fields")
	case field == "consent.accepted" || field == "consent.notice_version":
		it.Href, it.Label = "#consent_accepted", pg.T("field_consent")
	case field == "consent.purposes":
		it.Href, it.Label = "#purposes", pg.T("field_purposes")
	case attachmentField(field):
		it.Href, it.Label = "#attachments", pg.T("field_attachments")
	case strings.HasPrefix(field, "fields."):
		id := strings.TrimPrefix(field, "fields.")
		it.Label = id
		if a, ok := cat.Attribute(id); ok {
			it.Label = a.Label.In(pg.Lang)
		}
		if rt != nil && slices.ContainsFunc(rt.Fields, func(f policy.FieldRef) bool { return f.ID == id }) {
			it.Href = "#field_" + id
		}
	default:
		it.Label = field
		if a, ok := cat.Attribute(field); ok {
			it.Label = a.Label.In(pg.Lang)
			it.Href = "#" + field
		}
	}
	return it
}
