package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"time"

	"frist/internal/config"
	"frist/internal/loadtest"
)

func (m *Main) loadtest(ctx context.Context, args []string) error {
	var (
		o          loadtest.Options
		seed       int
		scenario   string
		token      string
		query      string
		department string
	)
	cfg, _, err := m.parse("loadtest", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&o.Target, "target", "http://localhost:8080", "base URL of a running server; several nodes separated by commas share the intake load round-robin")
		fs.IntVar(&o.Requests, "requests", 10000, "number of requests")
		fs.IntVar(&o.Concurrency, "concurrency", 16, "concurrent clients")
		fs.BoolVar(&o.Baseline, "baseline", false, "also measure a bare net/http JSON handler in the same run and report the ratio")
		fs.Uint64Var(&o.Seed, "random-seed", 1, "seed of the request generator")
		fs.IntVar(&seed, "seed", 0, "instead of a load test: fill the database in --data-dir with N fake tickets (server stopped)")
		fs.StringVar(&scenario, "scenario", "intake", "intake (POST /api/v1/requests), queue (GET /api/v1/tickets) or search (GET /api/v1/search)")
		fs.StringVar(&token, "token", m.Getenv("FRIST_TOKEN"), "API token for the queue and search scenarios (FRIST_TOKEN)")
		fs.StringVar(&query, "query", "", "search words for the search scenario")
		fs.StringVar(&department, "department", "support", "department of the queue scenario")
	})
	if err != nil {
		return err
	}
	if seed > 0 {
		return m.seed(ctx, cfg, seed)
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

func (m *Main) seed(ctx context.Context, cfg config.Config, n int) error {
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	last := start
	err = d.Seed(ctx, n, func(done int) {
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
