// Package api owns Frist's JSON API v1: one route table, one file per
// resource, errors as RFC 9457 problem documents with per-field errors, and
// the OpenAPI 3.1 document that describes the table.
//
// Agents and integrations authenticate with "Authorization: Bearer <token>"
// (frist token create) or the browser's session cookie; the intake, the
// request types and the privacy notice are public.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"frist/internal/desk"
	"frist/internal/fault"
)

// Options configure the API.
type Options struct {
	Desk    *desk.Desk
	Log     *slog.Logger
	BaseURL string // public URL of the server, for status links

	// SessionAgent returns the agent of the request's browser session, or
	// nil. It lets the pages' own scripts and a logged-in browser use the
	// API; cross-site requests are refused by the server's CSRF check.
	SessionAgent func(*http.Request) *desk.Agent
}

// API serves the JSON API.
type API struct {
	desk    *desk.Desk
	log     *slog.Logger
	baseURL string
	session func(*http.Request) *desk.Agent
	methods *http.ServeMux // the route table's paths without methods, to tell 405 from 404

	drainOnce sync.Once
	draining  chan struct{} // closed when the server shuts down: streams end

	fanOnce sync.Once
	fan     *fanout // shared writers of event streams, see fanout()
}

// Drain ends open event streams, so that a graceful shutdown does not
// wait for them; clients reconnect to another node.
func (a *API) Drain() { a.drainOnce.Do(func() { close(a.draining) }) }

// New returns the API.
func New(o Options) *API {
	a := &API{desk: o.Desk, log: o.Log, baseURL: strings.TrimRight(o.BaseURL, "/"), session: o.SessionAgent, draining: make(chan struct{})}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	return a
}

// access says who may call a route.
type access int

const (
	public access = iota // anyone, e.g. the intake
	agent                // any signed-in account
	admin                // administrators only
)

// route is one entry of the route table. The OpenAPI document describes
// exactly these routes, and a test holds the two together: paths, methods,
// success statuses and the JSON fields of request and response types.
type route struct {
	method   string
	path     string
	access   access
	status   int // status of success
	request  any // the JSON body's type, or nil
	response any // the answer's type, or nil for none
	handle   func(*call) (any, error)
}

// routes is the route table, grouped by resource.
func (a *API) routes() []route {
	return []route{
		// Customers and forms: public.
		{"POST", "/api/v1/requests", public, http.StatusCreated, requestInput{}, receiptJSON{}, a.requestCreate},
		{"GET", "/api/v1/request-types", public, http.StatusOK, nil, []requestTypeJSON{}, a.requestTypeList},
		{"GET", "/api/v1/privacy-notice", public, http.StatusOK, nil, noticeJSON{}, a.noticeShow},

		// Tickets: agents.
		{"GET", "/api/v1/tickets", agent, http.StatusOK, nil, list[ticketJSON]{}, a.ticketList},
		{"GET", "/api/v1/tickets/{number}", agent, http.StatusOK, nil, ticketDetailJSON{}, a.ticketShow},
		{"PATCH", "/api/v1/tickets/{number}", agent, http.StatusOK, ticketPatch{}, ticketDetailJSON{}, a.ticketUpdate},
		{"POST", "/api/v1/tickets/{number}/messages", agent, http.StatusCreated, messageInput{}, messageJSON{}, a.messageCreate},
		{"POST", "/api/v1/tickets/{number}/reveal", agent, http.StatusOK, revealInput{}, revealJSON{}, a.ticketReveal},
		{"GET", "/api/v1/tickets/{number}/attachments/{id}", agent, http.StatusOK, nil, nil, a.attachmentShow},
		{"GET", "/api/v1/search", agent, http.StatusOK, nil, list[searchHitJSON]{}, a.searchList},
		{"GET", "/api/v1/events", agent, http.StatusOK, nil, nil, a.eventStream},
		{"POST", "/api/v1/tickets/{number}/presence", agent, http.StatusOK, presenceInput{}, []presenceJSON{}, a.presenceCreate},

		// Live overview: agents.
		{"GET", "/api/v1/dashboard", agent, http.StatusOK, nil, dashboardJSON{}, a.dashboardShow},
		{"GET", "/api/v1/dashboard/agents", agent, http.StatusOK, nil, []agentTicketsJSON{}, a.agentLoadList},
		{"GET", "/api/v1/reports/sla", agent, http.StatusOK, nil, slaReportJSON{}, a.slaReport},

		// Previews of the policy: administrators.
		{"POST", "/api/v1/routing/preview", admin, http.StatusOK, routingPreviewInput{}, routingPreviewJSON{}, a.routingPreview},
		{"GET", "/api/v1/sla/preview", admin, http.StatusOK, nil, slaPreviewJSON{}, a.slaPreview},

		// Accounts and presence: each agent their own presence,
		// administrators every account's assignment settings.
		{"PUT", "/api/v1/me/availability", agent, http.StatusOK, availabilityInput{}, availabilityJSON{}, a.availabilityUpdate},
		{"GET", "/api/v1/users", admin, http.StatusOK, nil, list[userJSON]{}, a.userList},
		{"PATCH", "/api/v1/users/{id}", admin, http.StatusOK, userPatch{}, userJSON{}, a.userUpdate},

		// Audit trail: administrators and privacy officers (desk checks).
		{"GET", "/api/v1/audit", agent, http.StatusOK, nil, list[auditEntryJSON]{}, a.auditList},
		{"GET", "/api/v1/audit/verify", agent, http.StatusOK, nil, auditVerificationJSON{}, a.auditVerify},

		// Documents generated from the policy: administrators and privacy
		// officers (desk checks).
		{"GET", "/api/v1/documents/deletion-concept", agent, http.StatusOK, nil, nil, a.deletionConceptShow},

		// Retention (deletion concept): privacy officers and
		// administrators; legal holds privacy officers only (desk checks).
		{"GET", "/api/v1/retention/plan", agent, http.StatusOK, nil, retentionPlanJSON{}, a.retentionPlan},
		{"POST", "/api/v1/retention/run", agent, http.StatusOK, nil, retentionRunJSON{}, a.retentionRun},
		{"GET", "/api/v1/retention/status", agent, http.StatusOK, nil, retentionStatusJSON{}, a.retentionStatus},
		{"GET", "/api/v1/deletion-log", agent, http.StatusOK, nil, list[deletionEntryJSON]{}, a.deletionLog},
		{"GET", "/api/v1/legal-holds", agent, http.StatusOK, nil, list[holdJSON]{}, a.legalHoldList},
		{"POST", "/api/v1/legal-holds", agent, http.StatusCreated, holdInput{}, holdJSON{}, a.legalHoldCreate},
		{"POST", "/api/v1/legal-holds/{id}/lift", agent, http.StatusOK, liftInput{}, holdJSON{}, a.legalHoldLift},
		{"GET", "/api/v1/tickets/{number}/legal-holds", agent, http.StatusOK, nil, list[holdJSON]{}, a.ticketHoldList},
		// Register of processors: administrators change it, privacy
		// officers read it (desk checks); the compliance status for both.
		{"GET", "/api/v1/processors", agent, http.StatusOK, nil, list[processorJSON]{}, a.processorList},
		{"POST", "/api/v1/processors", admin, http.StatusCreated, processorInput{}, processorJSON{}, a.processorCreate},
		{"GET", "/api/v1/processors/{id}", agent, http.StatusOK, nil, processorJSON{}, a.processorShow},
		{"PUT", "/api/v1/processors/{id}", admin, http.StatusOK, processorInput{}, processorJSON{}, a.processorUpdate},
		{"DELETE", "/api/v1/processors/{id}", admin, http.StatusNoContent, nil, nil, a.processorDelete},
		{"GET", "/api/v1/integrations", agent, http.StatusOK, nil, list[integrationJSON]{}, a.integrationList},
		{"GET", "/api/v1/compliance", agent, http.StatusOK, nil, complianceJSON{}, a.complianceShow},

		// Training datasets: administrators and privacy officers (desk checks).
		{"POST", "/api/v1/training/exports", agent, http.StatusOK, trainingExportInput{}, desk.TrainingDataset{}, a.trainingExportCreate},

		// Prometheus metrics, outside /api/v1: administrators and privacy officers.
		{"GET", "/metrics", agent, http.StatusOK, nil, nil, a.metricsShow},

		// Test clock: administrators of a --test-clock installation.
		{"GET", "/api/v1/test-clock", agent, http.StatusOK, nil, clockJSON{}, a.testClockShow},
		{"POST", "/api/v1/test-clock", admin, http.StatusOK, clockInput{}, clockJSON{}, a.testClockUpdate},

		// This description.
		{"GET", "/api/v1/openapi.json", public, http.StatusOK, nil, nil, a.openAPIShow},
	}
}

// Routes registers the API on mux. Unknown paths under /api/ answer 404
// and known paths with another method 405, both as problem documents.
func (a *API) Routes(mux *http.ServeMux) {
	a.methods = http.NewServeMux()
	allowed := map[string][]string{}
	for _, rt := range a.routes() {
		mux.Handle(rt.method+" "+rt.path, a.serve(rt))
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for path, methods := range allowed {
		allow := strings.Join(methods, ", ")
		a.methods.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			a.fail(w, r, &fault.Error{Code: methodNotAllowed, Message: "This method is not allowed here; see the Allow header."})
		})
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := a.methods.Handler(r); pattern != "" {
			a.methods.ServeHTTP(w, r)
			return
		}
		a.fail(w, r, fault.Errorf(fault.NotFound, "There is no such API endpoint; see /api/v1/openapi.json."))
	})
}

// methodNotAllowed is an HTTP-only error code for the 405 answer.
const methodNotAllowed = "method_not_allowed"

// call is one API request on its way through a handler.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	agent *desk.Agent // nil on public routes
	lang  string      // "de" or "en", from Accept-Language
}

// serve wraps a handler with authentication, the problem writer and the
// JSON encoder.
func (a *API) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, lang: language(r)}
		if rt.access != public {
			ag, err := a.authenticate(r)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="frist"`)
				a.fail(w, r, err)
				return
			}
			if rt.access == admin && !desk.CanAdminister(ag) {
				a.fail(w, r, fault.Errorf(fault.Forbidden, "Only administrators may do this."))
				return
			}
			c.agent = ag
			// Masked data is labelled in the caller's language.
			c.r = r.WithContext(desk.WithLanguage(r.Context(), c.lang))
		}
		out, err := rt.handle(c)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if _, ok := out.(streamed); ok {
			return
		}
		if raw, ok := out.(json.RawMessage); ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rt.status)
			w.Write(raw)
			return
		}
		writeJSON(w, rt.status, out)
	})
}

// authenticate returns the agent of a bearer token or a browser session.
func (a *API) authenticate(r *http.Request) (*desk.Agent, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return nil, fault.Errorf(fault.Unauthorized, "Use Authorization: Bearer <token>.")
		}
		ag, err := a.desk.TokenAgent(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return nil, err
		}
		if ag.Disabled {
			return nil, fault.Errorf(fault.Unauthorized, "This account is disabled.")
		}
		return ag, nil
	}
	if a.session != nil {
		if ag := a.session(r); ag != nil {
			return ag, nil
		}
	}
	return nil, fault.Errorf(fault.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>.")
}

// writeJSON answers v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if v == nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// problem is an RFC 9457 problem document with Frist's extensions: a
// stable code and, for validation errors, one entry per bad field.
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail"`
	Code   string         `json:"code"`
	Errors []problemField `json:"errors,omitempty"`
}

// problemField is one invalid input field: its name (a JSON path such as
// "fields.customer_number"), a stable code and a message in the caller's
// language. The submitted value is never repeated.
type problemField struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// fail answers err as a problem document. Internal errors are logged here,
// once, without personal data, and shown with a generic text.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := fault.Code(err)
	status := fault.Status(err)
	if code == methodNotAllowed {
		status = http.StatusMethodNotAllowed
	}
	if status >= 500 {
		a.log.Error("api", "method", r.Method, "err", err)
	}
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: fault.Message(err), Code: code}
	lang := language(r)
	for _, f := range fault.FieldsOf(err) {
		msg := fault.Text(lang, f.Message)
		if msg == "" {
			msg = f.Message
		}
		p.Errors = append(p.Errors, problemField{Field: f.Field, Code: f.Message, Message: msg})
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", lang)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// language picks German or English from Accept-Language; German is the
// default, as on the pages.
func language(r *http.Request) string {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		switch {
		case tag == "de" || strings.HasPrefix(tag, "de-"):
			return "de"
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return "en"
		}
	}
	return "de"
}

// errMalformed builds the 400 answer for a body that is not the JSON the
// route expects.
func errMalformed(field, key, msg string) error {
	e := &fault.Error{Code: fault.Malformed, Message: msg}
	if field != "" {
		e.Fields = []fault.FieldError{{Field: field, Message: key}}
	}
	return e
}

// decode reads a JSON body into v: application/json only, one object, no
// keys the type does not know. A body over the server's limit is 413.
func decode(r *http.Request, v any) error {
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	if ct != "application/json" && ct != "application/merge-patch+json" {
		return fault.Errorf(fault.Unsupported, "Send the body as application/json.")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return errMalformed("", "", "The body must hold exactly one JSON object.")
		}
		if _, err := dec.Token(); err == nil {
			return errMalformed("", "", "The body must hold exactly one JSON object.")
		}
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return fault.Errorf(fault.TooLarge, "The request body is larger than %d bytes.", tooBig.Limit)
	case errors.As(err, &typeErr):
		return errMalformed(typeErr.Field, "invalid_type", "A value in the body has the wrong type.")
	case errors.As(err, &syntaxErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errMalformed("", "", "The body is not valid JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if len(key) > 64 {
			key = key[:64]
		}
		return errMalformed(key, "unknown_key", "The body has a key this endpoint does not know.")
	default:
		return errMalformed("", "", "The body is not valid JSON.")
	}
}
