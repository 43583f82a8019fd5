// Package web owns Frist's server-rendered HTML pages: the customer's
// request form and status page, and the agents' queue, ticket, search and
// admin pages. Pages work without JavaScript; the vendored htmx only adds
// progressive enhancement in the agent area.
//
// Every page calls use cases in desk and nothing below them. The server
// package wraps the route table with security headers (a strict CSP: no
// inline script or style), CSRF protection, body limits and rate limits.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"frist/internal/desk"
	"frist/internal/fault"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configures the pages.
type Options struct {
	Desk    *desk.Desk
	Log     *slog.Logger
	BaseURL string // e.g. "http://localhost:8080"; status links are BaseURL+"/t/"+secret
	Secure  bool   // set the Secure flag (and the __Host- prefix) on cookies
}

// Handler serves the HTML pages.
type Handler struct {
	desk    *desk.Desk
	log     *slog.Logger
	baseURL string
	secure  bool
	pages   map[string]*template.Template
}

// pageNames are the templates in templates/, each rendered inside
// layout.html.
var pageNames = []string{
	"request_form", "request_ack", "status", "login", "queue", "ticket", "search", "admin", "error", "report_sla",
	"admin_routing", "admin_sla", "dashboard", "privacy_audit",
	"privacy", "privacy_plan", "privacy_deletion_log", "privacy_holds",
	"document_deletion_concept", "admin_training",
}

// pagePartials are further templates a page uses, by page.
var pagePartials = map[string][]string{"ticket": {"ticket_deletion", "ticket_masking"}}

// New parses the embedded templates once.
func New(o Options) (*Handler, error) {
	if o.Desk == nil {
		return nil, errors.New("web: Options.Desk is required")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	h := &Handler{
		desk:    o.Desk,
		log:     o.Log,
		baseURL: strings.TrimRight(o.BaseURL, "/"),
		secure:  o.Secure,
		pages:   map[string]*template.Template{},
	}
	for _, name := range pageNames {
		files := []string{"templates/layout.html", "templates/" + name + ".html"}
		for _, x := range pagePartials[name] {
			files = append(files, "templates/"+x+".html")
		}
		t, err := template.New(name).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return h, nil
}

// registrar is what Routes registers on: an *http.ServeMux, or a
// recorder of the route table (Patterns).
type registrar interface {
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Patterns returns the pattern of every page route in the order Routes
// registers them, e.g. "GET /tickets/{number}", for tests that must reach
// every page.
func (h *Handler) Patterns() []string {
	var r patternRecorder
	h.Routes(&r)
	return r
}

type patternRecorder []string

func (r *patternRecorder) Handle(pattern string, _ http.Handler) { *r = append(*r, pattern) }
func (r *patternRecorder) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*r = append(*r, pattern)
}

// Routes registers all page routes on mux.
func (h *Handler) Routes(mux registrar) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	mux.HandleFunc("GET /lang/{lang}", h.langSwitch)

	// Customer pages, public.
	mux.HandleFunc("GET /{$}", h.requestForm)
	mux.HandleFunc("POST /requests", h.requestSubmit)
	mux.HandleFunc("GET /t/{secret}", h.statusShow)
	mux.HandleFunc("POST /t/{secret}/reply", h.statusReply)
	mux.HandleFunc("POST /t/{secret}/close", h.statusClose)
	mux.HandleFunc("GET /t/{secret}/attachments/{aid}", h.statusAttachmentShow)

	// Agent sign-in.
	mux.HandleFunc("GET /login", h.loginShow)
	mux.HandleFunc("POST /login", h.loginSubmit)
	mux.HandleFunc("POST /logout", h.logout)

	// Agent area: every handler gets the logged-in agent.
	mux.HandleFunc("GET /queue", h.agentOnly(h.queueShow))
	mux.HandleFunc("GET /tickets/{number}", h.agentOnly(h.ticketShow))
	mux.HandleFunc("POST /tickets/{number}", h.agentOnly(h.ticketUpdate))
	mux.HandleFunc("POST /tickets/{number}/reply", h.agentOnly(h.ticketReply))
	mux.HandleFunc("POST /tickets/{number}/tags", h.agentOnly(h.ticketTags))
	mux.HandleFunc("POST /tickets/{number}/reveal", h.agentOnly(h.ticketReveal))
	mux.HandleFunc("POST /tickets/{number}/holds", h.agentOnly(h.ticketHoldCreate))
	mux.HandleFunc("POST /tickets/{number}/holds/{id}/lift", h.agentOnly(h.ticketHoldLift))
	mux.HandleFunc("GET /tickets/{number}/attachments/{aid}", h.agentOnly(h.attachmentShow))
	mux.HandleFunc("POST /me/availability", h.agentOnly(h.availabilityUpdate))
	mux.HandleFunc("GET /search", h.agentOnly(h.searchShow))
	mux.HandleFunc("GET /dashboard", h.agentOnly(h.dashboardShow))
	mux.HandleFunc("GET /reports/sla", h.agentOnly(h.reportShow))
	mux.HandleFunc("GET /admin", h.adminOnly(h.adminShow))
	mux.HandleFunc("POST /admin/users", h.adminOnly(h.userCreate))
	mux.HandleFunc("GET /admin/users/{id}", h.adminOnly(h.agentEdit))
	mux.HandleFunc("POST /admin/users/{id}", h.adminOnly(h.agentUpdate))
	mux.HandleFunc("POST /admin/policy", h.adminOnly(h.policyApply))
	mux.HandleFunc("GET /admin/routing", h.adminOnly(h.routingPreview))
	mux.HandleFunc("GET /admin/sla", h.adminOnly(h.slaPreview))
	mux.HandleFunc("GET /admin/documents/deletion-concept", h.documentsOnly(h.deletionConceptShow))
	// Register of processors: administrators change it, privacy officers
	// read it.
	mux.HandleFunc("GET /admin/processors", h.auditOnly(h.processorList))
	mux.HandleFunc("GET /admin/processors/new", h.adminOnly(h.processorNew))
	mux.HandleFunc("POST /admin/processors", h.adminOnly(h.processorCreate))
	mux.HandleFunc("GET /admin/processors/{id}", h.auditOnly(h.processorEdit))
	mux.HandleFunc("POST /admin/processors/{id}", h.adminOnly(h.processorUpdate))
	mux.HandleFunc("POST /admin/processors/{id}/delete", h.adminOnly(h.processorDelete))
	// Training datasets: administrators and privacy officers.
	mux.HandleFunc("GET /admin/training", h.trainingOnly(h.trainingShow))
	mux.HandleFunc("POST /admin/training", h.trainingOnly(h.trainingExport))

	// Data protection: administrators and privacy officers.
	mux.HandleFunc("GET /privacy/audit", h.auditOnly(h.auditShow))
	mux.HandleFunc("GET /privacy/audit/verify", h.auditOnly(h.auditVerify))
	mux.HandleFunc("GET /privacy", h.auditOnly(h.privacyShow))
	mux.HandleFunc("POST /privacy/run", h.auditOnly(h.privacyRun))
	mux.HandleFunc("GET /privacy/plan", h.auditOnly(h.privacyPlan))
	mux.HandleFunc("GET /privacy/deletion-log", h.auditOnly(h.deletionLogShow))
	// Legal holds: privacy officers only.
	mux.HandleFunc("GET /privacy/holds", h.holdsOnly(h.holdsShow))
	mux.HandleFunc("POST /privacy/holds", h.holdsOnly(h.holdCreate))
	mux.HandleFunc("POST /privacy/holds/{id}/lift", h.holdsOnly(h.holdLift))

	// Anything else is a friendly 404 page. More specific patterns (the
	// API's, health checks) take precedence.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, errNotFound)
	})
}

// cacheForever marks embedded static files as cacheable for a year; they
// change only with a new binary.
func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		next.ServeHTTP(w, r)
	})
}

// sessionCookie is the name of the agents' session cookie. With HTTPS the
// __Host- prefix pins it to this host and path "/" and requires Secure.
func (h *Handler) sessionCookie() string {
	if h.secure {
		return "__Host-frist_session"
	}
	return "frist_session"
}

// Agent returns the logged-in agent of a request (from the session
// cookie), or nil.
func (h *Handler) Agent(r *http.Request) *desk.Agent {
	c, err := r.Cookie(h.sessionCookie())
	if err != nil || c.Value == "" {
		return nil
	}
	a, err := h.desk.SessionAgent(r.Context(), c.Value)
	if err != nil {
		if fault.Code(err) != fault.Unauthorized && fault.Code(err) != fault.NotFound {
			h.log.Error("session lookup", "err", err)
		}
		return nil
	}
	if a.Disabled {
		return nil
	}
	return a
}

// agentHandler is a handler of the agent area.
type agentHandler func(w http.ResponseWriter, r *http.Request, a *desk.Agent)

// agentOnly sends visitors without a session to the login page, with the
// page they wanted as next. htmx requests get an HX-Redirect instead, so
// that the whole page changes rather than a fragment.
func (h *Handler) agentOnly(fn agentHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := h.Agent(r)
		if a == nil {
			next := r.URL.Path
			if r.Method == http.MethodGet && r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			target := "/login?next=" + url.QueryEscape(next)
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", target)
				w.WriteHeader(http.StatusOK)
				return
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		// Masked data is labelled in the page's language.
		fn(w, r.WithContext(desk.WithLanguage(r.Context(), language(r))), a)
	}
}

// adminOnly is agentOnly for the admin area: other roles get a friendly
// 403 page.
func (h *Handler) adminOnly(fn agentHandler) http.HandlerFunc {
	return h.agentOnly(func(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
		if !desk.CanAdminister(a) {
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r, a)
	})
}

// parseForm parses a posted form, url-encoded or, with files,
// multipart/form-data (see uploads), or answers a friendly 400 page (413
// for a body over the limit) and returns false.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	var err error
	if isMultipart(r) {
		err = r.ParseMultipartForm(multipartMemory)
	} else {
		err = r.ParseForm()
	}
	if tooLargeBody(err) {
		h.tooLarge(w, r)
		return false
	}
	if err != nil {
		h.fail(w, r, fault.Errorf(fault.Invalid, "Invalid form."))
		return false
	}
	return true
}

// safeNext returns next when it is a path on this site, else fallback. It
// refuses "//host" and "/\host", which browsers read as other sites.
func safeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	if strings.ContainsAny(next, "\r\n\t") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}

// page is what every page shows around its content: language, test clock
// banner, navigation. Page structs embed it; templates call its methods
// to translate and format.
type page struct {
	Lang      string
	Title     string // translated, without the organisation
	Org       string
	Agent     *desk.Agent // nil on customer pages
	TestClock string      // the test clock's time, formatted; "" when off
	// TrainingInstallation: made from a training dataset; a banner says so.
	TrainingInstallation bool
	Path                 string // this page's path and query, for the language switch
	Query                string // the search box's text
	loc                  *time.Location
}

// newPage fills the common parts of a page.
func (h *Handler) newPage(r *http.Request, a *desk.Agent, titleKey string) page {
	p := h.desk.Policy()
	pg := page{
		Lang:  language(r),
		Org:   p.Organisation.Name,
		Agent: a,
		Path:  r.URL.Path,
		loc:   p.Location(),
	}
	switch {
	case r.Method != http.MethodGet:
		// A page answering a POST switches language on a page one can
		// GET; builders set a better one where there is.
		pg.Path = "/"
	case r.URL.RawQuery != "":
		pg.Path += "?" + r.URL.RawQuery
	}
	pg.Title = pg.T(titleKey)
	if c := h.desk.TestClock(); c != nil {
		pg.TestClock = pg.Date(c.Now())
	}
	pg.TrainingInstallation = h.desk.Training()
	return pg
}

// LangPath returns the link that switches the page to another language.
func (p page) LangPath(lang string) string {
	return "/lang/" + lang + "?next=" + url.QueryEscape(p.Path)
}

// CanAdminister reports whether the agent sees the admin area.
func (p page) CanAdminister() bool { return desk.CanAdminister(p.Agent) }

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		h.log.Error("render page", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("Interner Fehler. / Internal error.\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Cookie, Accept-Language")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the 404, 403 and 500 page.
type errorPage struct {
	page
	Status  int
	Message string
}

// fail renders the error page for err. Internal errors are logged once,
// here, without details on the page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := fault.Status(err)
	var key string
	switch status {
	case http.StatusNotFound:
		key = "error_not_found"
	case http.StatusForbidden:
		key = "error_forbidden"
	case http.StatusUnauthorized:
		key = "error_unauthorized"
	case http.StatusUnprocessableEntity, http.StatusConflict:
		key = "error_invalid"
	default:
		status = http.StatusInternalServerError
		key = "error_internal"
		h.log.Error("page failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	var a *desk.Agent
	if !strings.HasPrefix(r.URL.Path, "/t/") {
		a = h.Agent(r)
	}
	pg := errorPage{page: h.newPage(r, a, key+"_title"), Status: status}
	pg.Message = pg.T(key)
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "error", &pg)
}

// seeOther redirects after a successful POST (Post/Redirect/Get).
func seeOther(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// fieldErrors maps validation errors by field name.
type fieldErrors map[string]string

func fieldsOf(err error) fieldErrors {
	out := fieldErrors{}
	for _, f := range fault.FieldsOf(err) {
		if _, ok := out[f.Field]; !ok {
			out[f.Field] = f.Message
		}
	}
	return out
}

// summaryItem is one entry in a form's error summary: a link to the field
// and the translated message.
type summaryItem struct {
	Href    string // "#id" of the field, or "" when no field shows it
	Label   string
	Message string
}

// errNotFound renders the 404 page.
var errNotFound = fault.Errorf(fault.NotFound, "Page not found.")
