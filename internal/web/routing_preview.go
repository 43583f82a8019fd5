package web

import (
	"net/http"
	"slices"
	"strings"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/routing"
)

// routingPage lists the routing rules in the order they are tried, the
// request types' own departments that catch the rest, and a "which rule
// would match this request?" preview.
type routingPage struct {
	page
	Rules    []ruleRow
	Defaults []defaultRow
	// DefaultDepartment is the name of the policy's default_department,
	// or "" when unmatched requests go to their request type's department.
	DefaultDepartment string
	Fields            []formField // the preview form
	Errors            []summaryItem
	Result            *routingResult
}

// ruleRow is one routing rule.
type ruleRow struct {
	Position   int
	ID         string
	Name       string
	Conditions []string // translated; empty: every request
	Department string
	Priority   string // "" keeps the request's priority
	Skills     string
	Matched    bool // the preview's request matched this rule
}

// defaultRow is where a request type goes when no rule matches.
type defaultRow struct {
	RequestType string
	Department  string
	Priority    string
	Skills      string
}

// routingResult is the answer of the preview.
type routingResult struct {
	Rule        *ruleRow // nil: no rule matched
	RequestType string
	Department  string
	Priority    string
	Skills      string
	SLA         *slaResult // if the request came in now
}

// routingPreview shows the routing rules and, when the form was sent, which
// rule the request would match (GET /admin/routing?request_type=&...);
// admins only. Nothing is stored.
func (h *Handler) routingPreview(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	p := h.desk.Policy()
	pg := &routingPage{page: h.newPage(r, a, "admin_routing_title")}
	for i, rule := range p.Routing {
		pg.Rules = append(pg.Rules, h.ruleRow(pg.page, p, i+1, rule))
	}
	if p.DefaultDepartment != "" {
		pg.DefaultDepartment = h.deptName(p.DefaultDepartment, pg.Lang)
	}
	for _, rt := range p.RequestTypes {
		dept := rt.Department
		if p.DefaultDepartment != "" {
			dept = p.DefaultDepartment
		}
		pg.Defaults = append(pg.Defaults, defaultRow{RequestType: rt.Name.In(pg.Lang), Department: h.deptName(dept, pg.Lang), Priority: pg.PriorityName(rt.Priority), Skills: strings.Join(rt.Skills, ", ")})
	}

	q := r.URL.Query()
	in := desk.RoutingQuestion{RequestType: q.Get("request_type"), Language: q.Get("language"), Priority: q.Get("priority"), Subject: q.Get("subject"), Message: q.Get("message"), Fields: map[string]string{}}
	if in.Language == "" {
		in.Language = pg.Lang
	}
	fieldIDs := previewFieldIDs(p)
	for _, id := range fieldIDs {
		// Empty inputs are fields left out, as on the request form.
		if v := q.Get("field_" + id); v != "" {
			in.Fields[id] = v
		}
	}
	status := http.StatusOK
	var errs fieldErrors
	if _, asked := q["request_type"]; asked {
		pv, err := h.desk.PreviewRouting(a, in)
		switch {
		case fault.Code(err) == fault.Invalid:
			status, errs = http.StatusUnprocessableEntity, fieldsOf(err)
		case err != nil:
			h.fail(w, r, err)
			return
		default:
			pg.Result = h.newRoutingResult(pg, p, pv)
		}
	}

	cat := p.Catalogue()
	lang, _ := cat.Attribute(privacy.AttrLanguage)
	subject, _ := cat.Attribute(privacy.AttrSubject)
	message, _ := cat.Attribute(privacy.AttrMessage)
	pg.Fields = []formField{
		pg.requestTypeField(p, "rp-request_type", in.RequestType, errs["request_type"]),
		pg.attributeField(lang, "rp-language", "language", in.Language, false, errs["language"]),
		pg.priorityField("rp-priority", in.Priority, "admin_routing_priority_default", errs["priority"]),
		pg.attributeField(subject, "rp-subject", "subject", in.Subject, false, errs["subject"]),
		pg.attributeField(message, "rp-message", "message", in.Message, false, errs["message"]),
	}
	for _, id := range fieldIDs {
		at, _ := cat.Attribute(id)
		f := pg.attributeField(at, "rp-field-"+id, "field_"+id, in.Fields[id], false, errs["fields."+id])
		var users []string
		for _, rt := range p.RequestTypes {
			if slices.ContainsFunc(rt.Fields, func(f policy.FieldRef) bool { return f.ID == id }) {
				users = append(users, rt.Name.In(pg.Lang))
			}
		}
		f.Help = pg.Tf("admin_routing_field_used_by", strings.Join(users, ", "))
		pg.Fields = append(pg.Fields, f)
	}
	pg.Errors = summary(pg.Fields)
	if k := errs["fields"]; k != "" {
		pg.Errors = append(pg.Errors, summaryItem{Label: pg.T("admin_routing_fields"), Message: pg.T(k)})
	}
	h.render(w, r, status, "admin_routing", pg)
}

// previewFieldIDs lists the fields the request types ask for, each once, in
// the order they first appear.
func previewFieldIDs(p *policy.Policy) []string {
	var ids []string
	for _, rt := range p.RequestTypes {
		for _, f := range rt.Fields {
			if !slices.Contains(ids, f.ID) {
				ids = append(ids, f.ID)
			}
		}
	}
	return ids
}

// ruleRow describes a routing rule with its conditions in words.
func (h *Handler) ruleRow(pg page, p *policy.Policy, pos int, rule routing.Rule) ruleRow {
	row := ruleRow{Position: pos, ID: rule.ID, Name: rule.Name, Department: h.deptName(rule.Department, pg.Lang), Skills: strings.Join(rule.Skills, ", ")}
	if rule.Priority != "" {
		row.Priority = pg.PriorityName(rule.Priority)
	}
	w := rule.When
	if len(w.RequestTypes) > 0 {
		row.Conditions = append(row.Conditions, pg.Tf("admin_cond_request_types", requestTypeNames(pg, p, w.RequestTypes)))
	}
	fields := make([]string, 0, len(w.Fields))
	for id := range w.Fields {
		fields = append(fields, id)
	}
	slices.Sort(fields)
	cat := p.Catalogue()
	for _, id := range fields {
		label := id
		if at, ok := cat.Attribute(id); ok {
			label = at.Label.In(pg.Lang)
		}
		row.Conditions = append(row.Conditions, pg.Tf("admin_cond_field", label, strings.Join(w.Fields[id], ", ")))
	}
	if len(w.Words) > 0 {
		row.Conditions = append(row.Conditions, pg.Tf("admin_cond_words", strings.Join(w.Words, ", ")))
	}
	if len(w.Languages) > 0 {
		var names []string
		for _, l := range w.Languages {
			names = append(names, pg.T("lang_"+l))
		}
		row.Conditions = append(row.Conditions, pg.Tf("admin_cond_languages", strings.Join(names, ", ")))
	}
	if len(w.Priorities) > 0 {
		var names []string
		for _, x := range w.Priorities {
			names = append(names, pg.PriorityName(x))
		}
		row.Conditions = append(row.Conditions, pg.Tf("admin_cond_priorities", strings.Join(names, ", ")))
	}
	return row
}

// newRoutingResult describes a preview's route and marks the matched rule
// in the list.
func (h *Handler) newRoutingResult(pg *routingPage, p *policy.Policy, pv *desk.Preview) *routingResult {
	res := &routingResult{
		RequestType: pv.RequestType.Name.In(pg.Lang),
		Department:  h.deptName(pv.Route.Department, pg.Lang),
		Priority:    pg.PriorityName(pv.Route.Priority),
		Skills:      strings.Join(pv.Route.Skills, ", "),
		SLA:         h.newSLAResult(pg.page, p, pv),
	}
	if rule := pv.Route.Decision.Rule; rule != nil {
		for i := range pg.Rules {
			if pg.Rules[i].ID == rule.ID {
				pg.Rules[i].Matched = true
				res.Rule = &pg.Rules[i]
			}
		}
	}
	return res
}
