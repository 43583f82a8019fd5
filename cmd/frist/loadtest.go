package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"frist/internal/config"
	"frist/internal/loadtest"
)

func (m *Main) loadtest(ctx context.Context, args []string) error {
	var (
		o          loadtest.Options
		seed       int
		seedOpen   bool
		seedExp    bool
		ret        retentionOptions
		scenario   string
		token      string
		query      string
		department string
		fan        loadtest.FanoutOptions
		tokens     string
		listen     string
	)
	cfg, _, err := m.parse("loadtest", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&o.Target, "target", "http://localhost:8080", "base URL of a running server; several nodes separated by commas share the intake load round-robin")
		fs.IntVar(&o.Requests, "requests", 10000, "number of requests")
		fs.IntVar(&o.Concurrency, "concurrency", 16, "concurrent clients")
		fs.BoolVar(&o.Baseline, "baseline", false, "also measure a bare net/http JSON handler in the same run and report the ratio")
		fs.Uint64Var(&o.Seed, "random-seed", 1, "seed of the request generator")
		fs.IntVar(&seed, "seed", 0, "instead of a load test: fill the database in --data-dir with N fake tickets (server stopped)")
		fs.BoolVar(&seedOpen, "seed-open", false, "with --seed: every ticket new or open, with running SLA clocks (the breach job's worst case)")
		fs.BoolVar(&seedExp, "seed-expired", false, "with --seed: closed tickets whose retention is due now, each with three messages and an attached file (for the retention scenario)")
		fs.StringVar(&scenario, "scenario", "intake", "intake (POST /api/v1/requests), rate (intake sent on schedule at --rate), queue (GET /api/v1/tickets), search (GET /api/v1/search), fanout (event streams), broadcast-server (the fanout baseline, serving until stopped) or retention (the sweeper on --data-dir under intake load)")
		fs.Float64Var(&ret.rate, "rate", 200, "rate and retention scenarios: intake requests per second, sent on schedule")
		fs.BoolVar(&ret.separate, "separate-client", false, "retention scenario: send the intake load from a child process (the rate scenario) instead of the measuring process")
		fs.StringVar(&ret.trace, "trace", "", "retention scenario: write a Go execution trace of 10 s of the sweep to this file (go tool trace)")
		fs.IntVar(&ret.traceAt, "trace-at", 0, "retention scenario: seconds into the sweep the trace starts; -1: once 99 % of the tickets are swept")
		fs.IntVar(&ret.seconds, "seconds", 20, "retention scenario: seconds of intake load measured without the sweep; rate scenario: seconds measured, 0: until standard input ends")
		fs.StringVar(&token, "token", m.Getenv("FRIST_TOKEN"), "API token for the queue and search scenarios (FRIST_TOKEN)")
		fs.StringVar(&query, "query", "", "search words for the search scenario")
		fs.StringVar(&department, "department", "support", "department of the queue scenario")
		fs.IntVar(&fan.Subscribers, "subscribers", 1000, "event streams the fanout scenario connects")
		fs.IntVar(&fan.Tickets, "tickets", 50, "tickets the fanout scenario creates, one at a time")
		fs.DurationVar(&fan.Interval, "interval", 500*time.Millisecond, "pause between the fanout scenario's tickets")
		fs.StringVar(&tokens, "tokens", "", "comma-separated API tokens of agents with different departments for the fanout scenario (default: --token)")
		fs.IntVar(&fan.ServerPID, "server-pid", 0, "process id of the server, to measure its memory per idle subscriber (Linux)")
		fs.StringVar(&fan.BaselineTarget, "baseline-target", "", "base URL of a broadcast-server for the fanout baseline, instead of one in this process")
		fs.StringVar(&listen, "listen", "127.0.0.1:8099", "address of the broadcast-server scenario")
	})
	if err != nil {
		return err
	}
	if seed > 0 {
		if seedExp {
			return m.seedExpired(ctx, cfg, seed)
		}
		return m.seed(ctx, cfg, seed, seedOpen)
	}
	switch scenario {
	case "rate":
		ret.seed = o.Seed
		return m.rateScenario(ctx, o.Target, ret)
	case "retention":
		ret.seed = o.Seed
		return m.retentionScenario(ctx, cfg, ret)
	case "fanout":
		if tokens == "" {
			tokens = token
		}
		if tokens == "" {
			return errors.New("the fanout scenario needs --tokens or --token (create them with: frist token create)")
		}
		fan.Tokens = strings.Split(tokens, ",")
		fan.Target, fan.Baseline, fan.Seed = o.Target, o.Baseline, o.Seed
		res, err := loadtest.Fanout(ctx, fan)
		if err != nil {
			return err
		}
		return json.NewEncoder(m.Stdout).Encode(res)
	case "broadcast-server":
		return m.broadcastServer(ctx, listen)
	}
	if o.Requests < 1 || o.Concurrency < 1 {
		return errors.New("--requests and --concurrency must be positive")
	}
	var res loadtest.Result
	switch scenario {
	case "intake":
		res, err = loadtest.Run(ctx, o)
	case "queue", "search":
		if token == "" {
			return errors.New("the queue and search scenarios need --token (create one with: frist token create)")
		}
		path := "/api/v1/tickets?limit=50&sort=due&department=" + url.QueryEscape(department)
		if scenario == "search" {
			if query == "" {
				return errors.New("the search scenario needs --query")
			}
			path = "/api/v1/search?limit=20&q=" + url.QueryEscape(query)
		}
		res, err = loadtest.RunGet(ctx, o, path, token)
	default:
		return fmt.Errorf("unknown scenario %q", scenario)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(m.Stdout).Encode(res)
}

// broadcastServer serves the bare SSE broadcast that the fanout scenario
// compares Frist with, until ctx ends.
func (m *Main) broadcastServer(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: loadtest.NewBroadcaster(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Fprintf(m.Stdout, "broadcast server on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (m *Main) seed(ctx context.Context, cfg config.Config, n int, open bool) error {
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	last := start
	fill := d.Seed
	if open {
		fill = d.SeedOpen
	}
	err = fill(ctx, n, func(done int) {
		if time.Since(last) > 5*time.Second || done == n {
			last = time.Now()
			fmt.Fprintf(m.Stderr, "seeded %d of %d tickets (%.0f/s)\n", done, n, float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "seeded %d tickets in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}
