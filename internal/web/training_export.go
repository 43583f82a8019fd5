package web

import (
	"net/http"
	"strconv"
	"strings"

	"frist/internal/audit"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// trainingPage chooses tickets for a training dataset and lists the
// latest exports.
type trainingPage struct {
	page
	// The form's values.
	Numbers, Since, Until, Sample, Format, Language string
	RequestTypes, Departments, Statuses             []formOption
	FieldError                                      map[string]string
	Errors                                          []summaryItem

	Recent    []auditRow // the newest training.export entries
	AuditHref string     // all of them in the audit trail
}

// trainingFields are the form's fields with their element ids and label
// keys, for the error summary.
var trainingFields = []struct{ field, id, label string }{
	{"tickets", "training-tickets", "training_tickets"},
	{"request_type", "training-request-type", "field_request_type"},
	{"department", "training-department", "field_department"},
	{"status", "training-status", "field_status"},
	{"since", "training-since", "training_since"},
	{"until", "training-until", "training_until"},
	{"sample", "training-sample", "training_sample"},
	{"format", "training-format", "training_format"},
	{"language", "training-language", "training_language"},
}

// trainingOnly is agentOnly for training exports: administrators and
// privacy officers; others get a friendly 403 page.
func (h *Handler) trainingOnly(fn agentHandler) http.HandlerFunc {
	return h.agentOnly(func(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
		if !desk.CanExportTraining(a) {
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r, a)
	})
}

// trainingShow shows the form (GET /admin/training).
func (h *Handler) trainingShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	pg := h.newTrainingPage(r, a, desk.TrainingChoice{Format: desk.TrainingJSON, Language: language(r)}, "")
	h.renderTraining(w, r, a, pg, http.StatusOK)
}

// trainingExport exports the chosen tickets as a download (POST
// /admin/training): a JSON dataset or a SQLite training database. A bad
// choice re-shows the form with the errors and records nothing.
func (h *Handler) trainingExport(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	sample := strings.TrimSpace(f.Get("sample"))
	choice := desk.TrainingChoice{
		Numbers:     strings.FieldsFunc(f.Get("tickets"), func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\r' || c == '\t' }),
		RequestType: f.Get("request_type"),
		Department:  f.Get("department"),
		Statuses:    f["status"],
		Since:       f.Get("since"),
		Until:       f.Get("until"),
		Format:      f.Get("format"),
		Language:    f.Get("language"),
	}
	var err error
	if sample != "" {
		if choice.Sample, err = strconv.Atoi(sample); err != nil {
			err = fault.Fields("The sample size must be a number.", fault.FieldError{Field: "sample", Message: desk.ErrInvalidSample})
		}
	}
	var plan *desk.TrainingPlan
	if err == nil {
		plan, err = h.desk.PlanTrainingExport(r.Context(), a, choice)
	}
	if fault.Code(err) == fault.Invalid {
		pg := h.newTrainingPage(r, a, choice, sample)
		pg.Numbers = f.Get("tickets")
		for _, fe := range fault.FieldsOf(err) {
			msg := pg.T(fe.Message)
			if _, dup := pg.FieldError[fe.Field]; dup {
				continue
			}
			pg.FieldError[fe.Field] = msg
			for _, x := range trainingFields {
				if x.field == fe.Field {
					pg.Errors = append(pg.Errors, summaryItem{Href: "#" + x.id, Label: pg.T(x.label), Message: msg})
				}
			}
		}
		h.renderTraining(w, r, a, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	dl := &download{w: w, name: trainingFileName(h.desk, plan), contentType: trainingContentType(plan)}
	if _, err := h.desk.WriteTraining(r.Context(), a, plan, dl); err != nil {
		if !dl.started {
			h.fail(w, r, err)
			return
		}
		// The download has begun; it ends cut off, which the reader of
		// the file notices (the dataset names its number of tickets).
		h.log.Error("training export", "err", err)
	}
}

// trainingFileName names a download, e.g. frist-training-2026-11-30.json.
func trainingFileName(d *desk.Desk, plan *desk.TrainingPlan) string {
	ext := ".json"
	if plan.Choice.Format == desk.TrainingSQLite {
		ext = ".db"
	}
	return "frist-training-" + d.Now().In(d.Policy().Location()).Format("2006-01-02") + ext
}

func trainingContentType(plan *desk.TrainingPlan) string {
	if plan.Choice.Format == desk.TrainingSQLite {
		return "application/vnd.sqlite3"
	}
	return "application/json"
}

// download is a response that becomes a file download with its first
// byte, so that an error before it can still answer an error page.
type download struct {
	w                 http.ResponseWriter
	name, contentType string
	started           bool
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", d.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		h.Set("Cache-Control", "no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}

func (h *Handler) newTrainingPage(r *http.Request, a *desk.Agent, c desk.TrainingChoice, sample string) *trainingPage {
	pg := &trainingPage{page: h.newPage(r, a, "training_title"), FieldError: map[string]string{},
		Numbers: strings.Join(c.Numbers, ", "), Since: c.Since, Until: c.Until, Sample: sample, Format: c.Format, Language: c.Language,
		AuditHref: "/privacy/audit?action=" + audit.TrainingExport}
	if pg.Format == "" {
		pg.Format = desk.TrainingJSON
	}
	if pg.Language == "" {
		pg.Language = pg.Lang
	}
	p := h.desk.Policy()
	for _, rt := range p.RequestTypes {
		pg.RequestTypes = append(pg.RequestTypes, formOption{Value: rt.ID, Label: rt.Name.In(pg.Lang), Selected: rt.ID == c.RequestType})
	}
	for _, d := range p.Departments {
		pg.Departments = append(pg.Departments, formOption{Value: d.ID, Label: d.Name.In(pg.Lang), Selected: d.ID == c.Department})
	}
	for _, s := range ticket.Statuses {
		selected := false
		for _, x := range c.Statuses {
			selected = selected || x == string(s)
		}
		pg.Statuses = append(pg.Statuses, formOption{Value: string(s), Label: pg.StatusName(s), Selected: selected})
	}
	pg.Path = "/admin/training"
	return pg
}

func (h *Handler) renderTraining(w http.ResponseWriter, r *http.Request, a *desk.Agent, pg *trainingPage, status int) {
	entries, _, err := h.desk.AuditLog(r.Context(), a, store.AuditFilter{Action: audit.TrainingExport}, "", 10)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ap := &auditPage{page: pg.page}
	for _, e := range entries {
		pg.Recent = append(pg.Recent, auditRow{ID: e.ID, At: pg.Date(e.At), Actor: ap.actorName(e), Object: e.Object, Detail: e.Detail})
	}
	h.render(w, r, status, "admin_training", pg)
}
