// Package loadtest drives a running Frist server's public intake API with
// generated, realistic requests and measures throughput and latency.
//
// Before the run it reads the privacy notice version and the request types
// from the server, generates request bodies for those types (deterministic
// per seed, fictitious people, example.org addresses only) and then posts
// them with a fixed number of concurrent workers. Optionally it measures a
// bare net/http JSON handler on the loopback interface with the same bodies
// and concurrency, so that the server's throughput can be put in relation
// to what the machine and the HTTP stack alone can do.
//
// Nothing in this package prints or logs request bodies or personal data.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// API paths on the target.
const (
	pathNotice   = "/api/v1/privacy-notice"
	pathTypes    = "/api/v1/request-types"
	pathRequests = "/api/v1/requests"
)

const (
	// maxBodies caps the number of distinct request bodies generated
	// before a run; longer runs cycle through them.
	maxBodies = 10000
	// maxResponse caps how much of a response body is read.
	maxResponse = 10 << 20
)

// Options configures a load test run.
type Options struct {
	Target      string       // base URL, e.g. http://127.0.0.1:8080
	Requests    int          // total requests to send
	Concurrency int          // concurrent workers
	Baseline    bool         // also measure a bare net/http JSON echo handler in the same run
	Seed        uint64       // seed of the request generator
	Client      *http.Client // optional; by default NewClient(Concurrency)
}

// Result is the one-line JSON report. Latencies are in milliseconds and
// cover every request sent, failed or not.
type Result struct {
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	Throughput float64 `json:"throughput_per_s"`
	P50        float64 `json:"p50_ms"`
	P95        float64 `json:"p95_ms"`
	P99        float64 `json:"p99_ms"`
	// SendLagP99 (open-loop runs): the p99 of how late calls were
	// started after their scheduled moment, which their latency includes:
	// the load generator's own delay on a busy machine.
	SendLagP99 float64 `json:"send_lag_p99_ms,omitempty"`
	// P99Windows: the p99 of the requests scheduled in each window of
	// WindowSeconds, in order, to see when latency rose.
	P99Windows         []float64 `json:"p99_ms_windows,omitempty"`
	BaselineThroughput *float64  `json:"baseline_throughput_per_s,omitempty"`
	BaselineP99        *float64  `json:"baseline_p99_ms,omitempty"`
	Ratio              *float64  `json:"ratio,omitempty"` // Throughput / BaselineThroughput
}

// NewClient returns an HTTP client whose transport keeps up to concurrency
// idle connections per host, so that workers reuse their connections.
func NewClient(concurrency int) *http.Client {
	concurrency = max(concurrency, 1)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2 * concurrency // the target and the baseline
	t.MaxIdleConnsPerHost = concurrency
	t.MaxConnsPerHost = 0
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// Run fetches the privacy notice and request types from o.Target, posts
// o.Requests generated requests with o.Concurrency workers and reports the
// measurements; with o.Baseline it also measures a local echo handler.
// Failed requests are counted, not fatal. Run returns an error when the
// options are invalid, the target's metadata cannot be read, or ctx ends;
// in the last case the result covers the requests completed so far.
func Run(ctx context.Context, o Options) (Result, error) {
	if err := o.validate(); err != nil {
		return Result{}, err
	}
	targets := o.targets()
	target := targets[0]
	client := o.Client
	if client == nil {
		client = NewClient(o.Concurrency)
		defer client.CloseIdleConnections()
	}

	notice, err := Get[PrivacyNotice](ctx, client, target+pathNotice)
	if err != nil {
		return Result{}, fmt.Errorf("loadtest: privacy notice: %w", err)
	}
	if notice.Version == "" {
		return Result{}, errors.New("loadtest: privacy notice has no version")
	}
	types, err := Get[[]RequestType](ctx, client, target+pathTypes)
	if err != nil {
		return Result{}, fmt.Errorf("loadtest: request types: %w", err)
	}
	if len(types) == 0 {
		return Result{}, errors.New("loadtest: the target offers no request types")
	}
	bodies, err := Bodies(NewGenerator(o.Seed, notice.Version, types), min(o.Requests, maxBodies))
	if err != nil {
		return Result{}, err
	}

	urls := make([]string, len(targets))
	for i, t := range targets {
		urls[i] = t + pathRequests
	}
	res, err := Measure(ctx, o.Requests, o.Concurrency, Poster(client, urls, bodies))
	if err != nil || !o.Baseline {
		return res, err
	}
	base, err := measureBaseline(ctx, client, o.Requests, o.Concurrency, bodies)
	if err != nil {
		return res, err
	}
	res.withBaseline(base)
	return res, nil
}

// withBaseline adds the baseline's figures and the throughput ratio.
func (r *Result) withBaseline(base Result) {
	r.BaselineThroughput = &base.Throughput
	r.BaselineP99 = &base.P99
	if base.Throughput > 0 {
		ratio := round(r.Throughput/base.Throughput, 3)
		r.Ratio = &ratio
	}
}

// targets returns the base URLs of o.Target, which may name several
// nodes separated by commas.
func (o Options) targets() []string {
	var out []string
	for t := range strings.SplitSeq(o.Target, ",") {
		out = append(out, strings.TrimRight(strings.TrimSpace(t), "/"))
	}
	return out
}

func (o Options) validate() error {
	if o.Target == "" {
		return errors.New("loadtest: no target")
	}
	for _, t := range o.targets() {
		if u, err := url.Parse(t); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("loadtest: target %q is not an http(s) base URL", t)
		}
	}
	switch {
	case o.Requests <= 0:
		return errors.New("loadtest: requests must be positive")
	case o.Concurrency <= 0:
		return errors.New("loadtest: concurrency must be positive")
	}
	return nil
}

// Bodies returns n JSON-encoded requests from g.
func Bodies(g *Generator, n int) ([][]byte, error) {
	bodies := make([][]byte, n)
	for i := range bodies {
		b, err := json.Marshal(g.Next())
		if err != nil {
			return nil, fmt.Errorf("loadtest: encode request: %w", err)
		}
		bodies[i] = b
	}
	return bodies, nil
}

// Poster returns a Measure function that posts bodies[i % len(bodies)] as
// JSON to urls[i % len(urls)], spreading the load over several nodes. It fails on a transport error or a non-2xx status; the
// response body is drained and closed so the connection can be reused.
func Poster(client *http.Client, urls []string, bodies [][]byte) func(ctx context.Context, i int) error {
	return func(ctx context.Context, i int) error {
		url := urls[i%len(urls)]
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(bodies[i%len(bodies)]))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return fmt.Errorf("POST %s: %s", url, resp.Status)
		}
		return nil
	}
}

// Get fetches url and decodes its JSON body into a T. Any status but 200
// is an error. A nil client means http.DefaultClient.
func Get[T any](ctx context.Context, client *http.Client, url string) (T, error) {
	var v T
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return v, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return v, err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return v, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(&v); err != nil {
		return v, fmt.Errorf("GET %s: decode: %w", url, err)
	}
	return v, nil
}

// Measure calls do for i = 0 … n-1 from concurrency workers and reports the
// throughput (completed calls per second of wall time) and the nearest-rank
// latency percentiles of all calls. A call that returns an error counts as
// an error; the run goes on. If ctx ends first, Measure stops handing out
// calls, waits for those in flight and returns the result so far together
// with ctx's error.
func Measure(ctx context.Context, n, concurrency int, do func(ctx context.Context, i int) error) (Result, error) {
	if n <= 0 {
		return Result{}, errors.New("loadtest: n must be positive")
	}
	if concurrency <= 0 {
		return Result{}, errors.New("loadtest: concurrency must be positive")
	}
	concurrency = min(concurrency, n)

	// Each index is claimed by exactly one worker, which alone writes its
	// slot, so durations needs no lock. Claimed indices form a prefix.
	durations := make([]time.Duration, n)
	var next, done, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t0 := time.Now()
				err := do(ctx, i)
				durations[i] = time.Since(t0)
				if err != nil {
					failed.Add(1)
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	completed := int(done.Load())
	d := durations[:completed]
	slices.Sort(d)
	res := Result{
		Requests: completed,
		Errors:   int(failed.Load()),
		P50:      Percentile(d, 50),
		P95:      Percentile(d, 95),
		P99:      Percentile(d, 99),
	}
	if s := elapsed.Seconds(); s > 0 {
		res.Throughput = round(float64(completed)/s, 2)
	}
	return res, ctx.Err()
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted
// durations by the nearest-rank method, in milliseconds rounded to two
// decimals. It returns 0 for no durations.
func Percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return round(float64(sorted[rank-1])/float64(time.Millisecond), 2)
}

func round(x float64, decimals int) float64 {
	f := math.Pow10(decimals)
	return math.Round(x*f) / f
}

// measureBaseline runs the same bodies against a bare net/http handler on
// the loopback interface and shuts it down afterwards.
func measureBaseline(ctx context.Context, client *http.Client, n, concurrency int, bodies [][]byte) (Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, fmt.Errorf("loadtest: baseline: %w", err)
	}
	srv := &http.Server{Handler: EchoHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		_ = srv.Close()
		client.CloseIdleConnections()
	}()
	res, err := Measure(ctx, n, concurrency, Poster(client, []string{"http://" + ln.Addr().String() + pathRequests}, bodies))
	if err != nil {
		return res, fmt.Errorf("loadtest: baseline: %w", err)
	}
	return res, nil
}

// EchoHandler is the baseline: a plain net/http handler that decodes an
// intake request from POST /api/v1/requests and answers 201 with a small
// JSON body, doing no other work.
func EchoHandler() http.Handler {
	var id atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+pathRequests, func(w http.ResponseWriter, r *http.Request) {
		var req IntakeRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid request"}`+"\n")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(struct {
			ID          int64  `json:"id"`
			RequestType string `json:"request_type"`
			Status      string `json:"status"`
		}{id.Add(1), req.RequestType, "new"})
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"items":[],"next_cursor":""}`+"\n")
	})
	return mux
}

// RunGet measures an authenticated GET of path (with its query) on
// o.Target, e.g. a queue page or a search; with o.Baseline it also
// measures the same GET on a local echo handler. Answers other than 200
// count as errors.
func RunGet(ctx context.Context, o Options, path, token string) (Result, error) {
	if err := o.validate(); err != nil {
		return Result{}, err
	}
	client := o.Client
	if client == nil {
		client = NewClient(o.Concurrency)
		defer client.CloseIdleConnections()
	}
	get := func(base string) func(ctx context.Context, _ int) error {
		return func(ctx context.Context, _ int) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		}
	}
	res, err := Measure(ctx, o.Requests, o.Concurrency, get(strings.TrimRight(o.Target, "/")))
	if err != nil || !o.Baseline {
		return res, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, fmt.Errorf("loadtest: baseline: %w", err)
	}
	srv := &http.Server{Handler: EchoHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base, err := Measure(ctx, o.Requests, o.Concurrency, get("http://"+ln.Addr().String()))
	if err != nil {
		return res, fmt.Errorf("loadtest: baseline: %w", err)
	}
	res.withBaseline(base)
	return res, nil
}
