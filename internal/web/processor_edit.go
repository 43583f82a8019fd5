package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/privacy"
)

// processorEditPage is the form of one processor: new, edited by an
// administrator, or read-only for a privacy officer.
type processorEditPage struct {
	page
	New        bool
	CanEdit    bool
	Href       string // the form's action
	DeleteHref string
	ID         string
	Status     []string // the entry's open items, translated

	Main            []formField // id (new only), provider, service in German and English, country
	Categories      []formOption
	CategoriesError string
	DPF             bool
	DPFError        string
	AVV             []formField
	Transfer        []formField
	Subs            []subProcessorRow
	Errors          []summaryItem
}

// subProcessorRow is one row of the sub-processors: filled in, or blank
// for a new one.
type subProcessorRow struct {
	Legend   string
	Fields   []formField // name, country, service, transfer mechanism, note
	DPFName  string
	DPFID    string
	DPF      bool
	DPFError string
}

// blankSubRows is how many empty sub-processor rows the form offers;
// more after saving.
const blankSubRows = 2

// maxSubRows bounds the rows a posted form is read for.
const maxSubRows = 100

// processorNew shows the empty form (GET /admin/processors/new).
func (h *Handler) processorNew(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	pg := h.newProcessorPage(r, a, "")
	pg.fill(privacy.Processor{}, nil)
	h.render(w, r, http.StatusOK, "admin_processor_edit", pg)
}

// processorEdit shows a processor's form (GET /admin/processors/{id}):
// editable for administrators, read-only for privacy officers.
func (h *Handler) processorEdit(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	p, err := h.desk.Processor(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := h.newProcessorPage(r, a, p.ID)
	pg.fill(*p, nil)
	h.render(w, r, http.StatusOK, "admin_processor_edit", pg)
}

// processorCreate adds a processor (POST /admin/processors) and returns
// to the register; bad input changes nothing and shows the form again.
func (h *Handler) processorCreate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	if !h.parseForm(w, r) {
		return
	}
	p := processorFromForm(r.PostForm)
	_, err := h.desk.CreateProcessor(r.Context(), a, p)
	h.processorSaved(w, r, a, "", p, err, "/admin/processors?created="+url.QueryEscape(p.ID))
}

// processorUpdate saves a processor's entry (POST /admin/processors/{id}).
func (h *Handler) processorUpdate(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id := r.PathValue("id")
	if _, err := h.desk.Processor(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	p := processorFromForm(r.PostForm)
	p.ID = id
	_, err := h.desk.UpdateProcessor(r.Context(), a, id, p)
	h.processorSaved(w, r, a, id, p, err, "/admin/processors?saved="+url.QueryEscape(id))
}

// processorSaved redirects after a save, or shows the form with what was
// posted and the errors.
func (h *Handler) processorSaved(w http.ResponseWriter, r *http.Request, a *desk.Agent, id string, p privacy.Processor, err error, next string) {
	if err == nil {
		seeOther(w, r, next)
		return
	}
	if fault.Code(err) != fault.Invalid {
		h.fail(w, r, err)
		return
	}
	pg := h.newProcessorPage(r, a, id)
	pg.fill(p, err)
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusUnprocessableEntity, "admin_processor_edit", pg)
}

// processorDelete removes a processor (POST /admin/processors/{id}/delete).
// While an integration names it the form shows why it stays.
func (h *Handler) processorDelete(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id := r.PathValue("id")
	err := h.desk.DeleteProcessor(r.Context(), a, id)
	if fault.Code(err) == fault.Conflict {
		p, err2 := h.desk.Processor(r.Context(), a, id)
		if err2 != nil {
			h.fail(w, r, err2)
			return
		}
		pg := h.newProcessorPage(r, a, id)
		pg.fill(*p, nil)
		pg.Errors = append(pg.Errors, summaryItem{Label: pg.T("processor_delete"), Message: pg.T("processor_delete_named")})
		w.Header().Set("Cache-Control", "no-store")
		h.render(w, r, http.StatusConflict, "admin_processor_edit", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, "/admin/processors?deleted="+url.QueryEscape(id))
}

func (h *Handler) newProcessorPage(r *http.Request, a *desk.Agent, id string) *processorEditPage {
	pg := &processorEditPage{page: h.newPage(r, a, "processor_new_title"), New: id == "", CanEdit: desk.CanAdminister(a), ID: id}
	pg.Href, pg.Path = "/admin/processors", "/admin/processors/new"
	if id != "" {
		pg.Href = "/admin/processors/" + id
		pg.Path, pg.DeleteHref = pg.Href, pg.Href+"/delete"
		pg.Title = pg.Tf("processor_edit_title", id)
		p := h.desk.Policy()
		for _, f := range p.Findings(h.desk.Now()) {
			if f.Object == privacy.ProcessorObject(id) {
				pg.Status = append(pg.Status, f.Text.In(pg.Lang))
			}
		}
	}
	return pg
}

// processorFromForm reads a processor from the posted form, whose fields
// are named like the JSON fields' paths (avv.signed_on,
// sub_processors.0.country). Rows of sub-processors left blank are
// skipped, so that the others are numbered as stored.
func processorFromForm(f url.Values) privacy.Processor {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	p := privacy.Processor{
		ID:           get("id"),
		Provider:     get("provider"),
		Service:      privacy.Text{DE: get("service.de"), EN: get("service.en")},
		Country:      strings.ToUpper(get("country")),
		DPFCertified: f.Get("dpf_certified") == "1",
		AVV:          privacy.AVV{SignedOn: get("avv.signed_on"), ValidUntil: get("avv.valid_until"), Document: get("avv.document")},
		Transfer:     transferFromForm(get("transfer.mechanism"), get("transfer.note")),
	}
	for _, c := range f["categories"] {
		p.Categories = append(p.Categories, privacy.Category(c))
	}
	for i := range maxSubRows {
		at := "sub_processors." + strconv.Itoa(i) + "."
		s := privacy.SubProcessor{
			Name:         get(at + "name"),
			Country:      strings.ToUpper(get(at + "country")),
			Service:      get(at + "service"),
			DPFCertified: f.Get(at+"dpf_certified") == "1",
			Transfer:     transferFromForm(get(at+"transfer.mechanism"), get(at+"transfer.note")),
		}
		if s != (privacy.SubProcessor{}) {
			p.SubProcessors = append(p.SubProcessors, s)
		}
	}
	return p
}

func transferFromForm(mechanism, note string) *privacy.Transfer {
	if mechanism == "" && note == "" {
		return nil
	}
	return &privacy.Transfer{Mechanism: privacy.TransferMechanism(mechanism), Note: note}
}

// fill sets the form's fields from p and the errors of err, if any.
func (pg *processorEditPage) fill(p privacy.Processor, err error) {
	errs := fieldsOf(err)
	msg := func(field string) string {
		if key, ok := errs[field]; ok {
			return pg.T(key)
		}
		return ""
	}
	field := func(name, label, help, value string, kind privacy.Kind, maxLen int) formField {
		return formField{ID: processorFieldID(name), Name: name, Label: label, Help: help, Kind: kind, Value: value, MaxLen: maxLen,
			Error: msg(name), RequiredText: pg.T("required_marker"), ChooseText: pg.T("transfer_none")}
	}
	required := func(f formField) formField { f.Required = true; return f }
	if pg.New {
		pg.Main = append(pg.Main, required(field("id", pg.T("field_processor_id"), pg.T("help_processor_id"), p.ID, privacy.KindText, 63)))
	}
	pg.Main = append(pg.Main,
		required(field("provider", pg.T("field_provider"), pg.T("help_provider"), p.Provider, privacy.KindText, 200)),
		required(field("service.de", pg.T("field_service_de"), "", p.Service.DE, privacy.KindText, 200)),
		required(field("service.en", pg.T("field_service_en"), "", p.Service.EN, privacy.KindText, 200)),
		required(field("country", pg.T("field_country"), pg.T("help_country"), p.Country, privacy.KindText, 2)),
	)
	for _, c := range privacy.Categories {
		pg.Categories = append(pg.Categories, formOption{Value: string(c), Label: pg.CategoryName(c), Selected: slices.Contains(p.Categories, c)})
	}
	pg.CategoriesError, pg.DPF, pg.DPFError = msg("categories"), p.DPFCertified, msg("dpf_certified")
	pg.AVV = []formField{
		field("avv.signed_on", pg.T("field_avv_signed_on"), pg.T("help_avv_signed_on"), p.AVV.SignedOn, privacy.KindDate, 10),
		field("avv.valid_until", pg.T("field_avv_valid_until"), pg.T("help_avv_valid_until"), p.AVV.ValidUntil, privacy.KindDate, 10),
		field("avv.document", pg.T("field_avv_document"), pg.T("help_avv_document"), p.AVV.Document, privacy.KindText, 200),
	}
	mechanism := func(name string, t *privacy.Transfer) formField {
		f := field(name, pg.T("field_transfer_mechanism"), pg.T("help_transfer_mechanism"), "", privacy.KindSelect, 0)
		if t != nil {
			f.Value = string(t.Mechanism)
		}
		for _, m := range privacy.TransferMechanisms {
			f.Options = append(f.Options, formOption{Value: string(m), Label: m.Describe(pg.Lang), Selected: f.Value == string(m)})
		}
		return f
	}
	note := func(t *privacy.Transfer) string {
		if t == nil {
			return ""
		}
		return t.Note
	}
	pg.Transfer = []formField{
		mechanism("transfer.mechanism", p.Transfer),
		field("transfer.note", pg.T("field_transfer_note"), pg.T("help_transfer_note"), note(p.Transfer), privacy.KindTextarea, 1000),
	}
	subs := append(slices.Clone(p.SubProcessors), make([]privacy.SubProcessor, blankSubRows)...)
	if !pg.CanEdit {
		subs = p.SubProcessors
	}
	for i, s := range subs {
		at := "sub_processors." + strconv.Itoa(i) + "."
		row := subProcessorRow{Legend: pg.Tf("sub_processor_n", i+1), DPFName: at + "dpf_certified", DPFID: processorFieldID(at + "dpf_certified"), DPF: s.DPFCertified, DPFError: msg(at + "dpf_certified")}
		row.Fields = []formField{
			field(at+"name", pg.T("field_sub_name"), "", s.Name, privacy.KindText, 200),
			field(at+"country", pg.T("field_country"), "", s.Country, privacy.KindText, 2),
			field(at+"service", pg.T("field_sub_service"), "", s.Service, privacy.KindText, 200),
			mechanism(at+"transfer.mechanism", s.Transfer),
			field(at+"transfer.note", pg.T("field_transfer_note"), "", note(s.Transfer), privacy.KindText, 1000),
		}
		pg.Subs = append(pg.Subs, row)
	}
	for _, fe := range fault.FieldsOf(err) {
		pg.Errors = append(pg.Errors, summaryItem{Href: "#" + processorFieldID(fe.Field), Label: pg.processorFieldLabel(fe.Field), Message: pg.T(fe.Message)})
	}
}

// processorFieldID returns the element id of a form field.
func processorFieldID(name string) string {
	return "proc-" + strings.NewReplacer(".", "-").Replace(name)
}

// processorFieldLabel names a field for the error summary.
func (pg *processorEditPage) processorFieldLabel(name string) string {
	if rest, ok := strings.CutPrefix(name, "sub_processors."); ok {
		n, field, _ := strings.Cut(rest, ".")
		i, _ := strconv.Atoi(n)
		return fmt.Sprintf("%s: %s", pg.Tf("sub_processor_n", i+1), pg.processorFieldLabel(field))
	}
	key := map[string]string{
		"id": "field_processor_id", "provider": "field_provider", "service.de": "field_service_de", "service.en": "field_service_en",
		"categories": "field_categories", "country": "field_country", "dpf_certified": "field_dpf_certified",
		"avv.signed_on": "field_avv_signed_on", "avv.valid_until": "field_avv_valid_until", "avv.document": "field_avv_document",
		"transfer.mechanism": "field_transfer_mechanism", "transfer.note": "field_transfer_note",
		"name": "field_sub_name", "service": "field_sub_service",
	}[name]
	if key == "" {
		return name
	}
	return pg.T(key)
}
