// Package server owns the HTTP server around Frist's pages and API: the
// route table's assembly, security headers, CSRF protection, body limits,
// rate limits, request logs without personal data, health checks and
// graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/trace"
	"strings"
	"time"

	"frist/internal/api"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/web"
)

// Server serves one Desk over HTTP.
type Server struct {
	http *http.Server
	log  *slog.Logger
}

// New builds the handler chain. It does not listen yet.
func New(cfg config.Config, d *desk.Desk, log *slog.Logger, opts ...Option) (*Server, error) {
	h, drain, err := handler(cfg, d, log, opts...)
	if err != nil {
		return nil, err
	}
	srv := &Server{
		log: log,
		http: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}
	srv.http.RegisterOnShutdown(drain)
	return srv, nil
}

// Option adjusts the server.
type Option func(*options)

type options struct {
	leader func() bool
}

// JobsLeader tells /healthz whether this node runs the periodic jobs.
func JobsLeader(f func() bool) Option { return func(o *options) { o.leader = f } }

// Handler returns Frist's whole HTTP handler with its middleware.
func Handler(cfg config.Config, d *desk.Desk, log *slog.Logger, opts ...Option) (http.Handler, error) {
	h, _, err := handler(cfg, d, log, opts...)
	return h, err
}

// handler returns the handler and a function that ends long-lived
// responses (event streams) at shutdown.
func handler(cfg config.Config, d *desk.Desk, log *slog.Logger, opts ...Option) (http.Handler, func(), error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	w, err := web.New(web.Options{Desk: d, Log: log, BaseURL: cfg.BaseURL, Secure: cfg.Secure()})
	if err != nil {
		return nil, nil, err
	}
	a := api.New(api.Options{Desk: d, Log: log, BaseURL: cfg.BaseURL, SessionAgent: w.Agent})
	mux := http.NewServeMux()
	w.Routes(mux)
	a.Routes(mux)
	// Health for load balancers and operators: 200 while serving, and
	// whether this node runs the periodic jobs of the cluster.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "{\"status\":\"ok\",\"jobs_leader\":%t}\n", o.leader != nil && o.leader())
	})

	intake := newLimiter(cfg.IntakeRateLimit, 10*cfg.IntakeRateLimit)
	login := newLimiter(cfg.LoginRateLimit/60, cfg.LoginRateLimit)
	limited := func(r *http.Request) *limiter {
		if r.Method != http.MethodPost {
			return nil
		}
		switch r.URL.Path {
		case "/requests", "/api/v1/requests":
			return intake
		case "/login":
			return login
		}
		return nil
	}

	csrf := http.NewCrossOriginProtection()
	var h http.Handler = mux
	h = csrf.Handler(h)
	h = limitBodies(h, cfg.MaxBodyBytes)
	h = rateLimit(h, limited)
	h = securityHeaders(h)
	h = logRequests(h, mux, log)
	h = traceRequests(h)
	return h, a.Drain, nil
}

// traceRequests marks each request as a region of a Go execution trace
// (frist loadtest --trace); without a trace running it costs nothing.
func traceRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !trace.IsEnabled() {
			next.ServeHTTP(w, r)
			return
		}
		defer trace.StartRegion(r.Context(), "http").End()
		next.ServeHTTP(w, r)
	})
}

// Serve serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits for in-flight requests
// to finish, at most until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

// securityHeaders sets a strict Content-Security-Policy and friends on
// every response. Pages use no inline script or style at all.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBodies caps every request body; handlers see an error when reading
// past the limit and answer 413. Routes that accept attachments get the
// larger of max and attachment.MaxRequestBytes (see uploadLimit).
func limitBodies(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := uploadLimit(w, r, limit)
		if r.ContentLength > max {
			tooLarge(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		w.Write([]byte(`{"type":"about:blank","title":"Request Entity Too Large","status":413,"detail":"The request body is too large."}`))
		return
	}
	http.Error(w, "Die Anfrage ist zu groß. / The request is too large.", http.StatusRequestEntityTooLarge)
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush lets server-sent events through.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs method, route pattern (never the path, which may hold a
// status link secret or a ticket number, nor the query, which may hold
// search words), status and duration.
func logRequests(next http.Handler, mux *http.ServeMux, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		_, pattern := mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		level := slog.LevelDebug
		if rec.status >= 500 {
			level = slog.LevelError
		} else if rec.status >= 400 {
			level = slog.LevelInfo
		}
		log.Log(r.Context(), level, "request", "route", pattern, "status", rec.status, "ms", time.Since(start).Milliseconds())
	})
}
