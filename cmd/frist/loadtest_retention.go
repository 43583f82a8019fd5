package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"

	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/loadtest"
	"frist/internal/server"
)

// retentionOptions configures the retention scenario.
type retentionOptions struct {
	rate     float64 // intake requests per second
	seconds  int     // seconds of intake load measured without the sweep
	seed     uint64  // seed of the request generator
	trace    string  // file for a Go execution trace of 10 s of the sweep
	traceAt  int     // seconds into the sweep the trace starts; negative: at 99 % swept
	separate bool    // send the intake load from a child process
}

// retentionResult is the retention scenario's one-line JSON report.
// Latencies are in milliseconds, from each request's scheduled moment.
type retentionResult struct {
	Database             string  `json:"database"`
	TicketsDue           int     `json:"tickets_due"`
	MessagesDue          int     `json:"messages_due"`
	Batch                int     `json:"batch"`
	BaselineRows         int     `json:"baseline_rows"`
	BaselineSeconds      float64 `json:"baseline_seconds"`
	BaselineRowsPerS     float64 `json:"baseline_rows_per_s"`
	BaselineTicketsPerS  float64 `json:"baseline_tickets_per_s"`
	Rate                 float64 `json:"rate_per_s"`
	IntakeRequests       int     `json:"intake_requests"`
	IntakeP50            float64 `json:"intake_p50_ms"`
	IntakeP99            float64 `json:"intake_p99_ms"`
	SweepTickets         int     `json:"sweep_tickets"`
	SweepFiles           int     `json:"sweep_files"`
	SweepSeconds         float64 `json:"sweep_seconds"`
	SweepTicketsPerS     float64 `json:"sweep_tickets_per_s"`
	DeletionSeconds      float64 `json:"deletion_seconds"`   // until the last batch was done
	CompactionSeconds    float64 `json:"compaction_seconds"` // after it: index compaction, checkpoint, audit
	IntakeRequestsDuring int     `json:"intake_requests_during"`
	IntakeP50During      float64 `json:"intake_p50_ms_during"`
	IntakeP99During      float64 `json:"intake_p99_ms_during"`
	// The load generator's p99 delay in starting requests (included in
	// the latencies), without and during the sweep.
	SendLagP99       float64 `json:"send_lag_p99_ms"`
	SendLagP99During float64 `json:"send_lag_p99_ms_during"`
	IntakeP99Ratio   float64 `json:"intake_p99_ratio"`
	// IntakeP99Windows: intake p99 in each 5-s window during the sweep.
	IntakeP99Windows []float64 `json:"intake_p99_ms_windows_during"`
	SweepVsBaseline  float64   `json:"sweep_vs_baseline"`
	Errors           int       `json:"errors"`
}

// seedExpired fills the database in cfg with n tickets whose retention is
// due now (server stopped).
func (m *Main) seedExpired(ctx context.Context, cfg config.Config, n int) error {
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	last := start
	err = d.SeedExpired(ctx, n, func(done int) {
		if time.Since(last) > 5*time.Second || done == n {
			last = time.Now()
			fmt.Fprintf(m.Stderr, "seeded %d of %d expired tickets (%.0f/s)\n", done, n, float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "seeded %d expired tickets in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

// retentionScenario measures the retention sweeper on the data in cfg
// (seeded with --seed N --seed-expired, server stopped): first plain
// SQLite deleting as many messages with their search entries in a scratch
// database (the baseline), then an open-loop intake load at o.rate
// against Frist's HTTP server on this data for o.seconds, then the same
// load while the sweeper deletes everything due, until it is done (see
// startIntakeLoad for where the load comes from).
func (m *Main) retentionScenario(ctx context.Context, cfg config.Config, o retentionOptions) error {
	if o.rate <= 0 || o.seconds <= 0 {
		return errors.New("--rate and --seconds must be positive")
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	db, d, err := m.open(ctx, cfg, true, nil, log)
	if err != nil {
		return err
	}
	res := retentionResult{Database: db.Dialect(), Batch: desk.RetentionBatch, Rate: o.rate}
	plan, err := d.RetentionPlan(ctx, nil, time.Time{})
	if err != nil {
		return err
	}
	for _, g := range plan.Groups {
		res.MessagesDue += g.Messages
	}
	res.TicketsDue = plan.Tickets
	if res.TicketsDue == 0 {
		return errors.New("nothing is due for deletion: fill the data directory with --seed N --seed-expired first")
	}
	fmt.Fprintf(m.Stderr, "%d tickets with %d messages due; measuring the baseline\n", res.TicketsDue, res.MessagesDue)

	tmp, err := os.MkdirTemp("", "frist-baseline-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	perTicket := max(1, int(math.Round(float64(res.MessagesDue)/float64(res.TicketsDue))))
	base, err := loadtest.MeasureSQLiteDelete(ctx, tmp, res.TicketsDue, perTicket, desk.RetentionBatch)
	if err != nil {
		return err
	}
	os.RemoveAll(tmp)
	res.BaselineRows, res.BaselineSeconds = base.Rows, base.Seconds
	res.BaselineRowsPerS, res.BaselineTicketsPerS = base.RowsPerSecond, base.TicketsPerSecond

	// Frist's own HTTP server on this data, as serve builds it, without
	// the intake rate limit and without the periodic jobs.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	cfg.Addr, cfg.BaseURL = ln.Addr().String(), "http://"+ln.Addr().String()
	cfg.IntakeRateLimit, cfg.LoginRateLimit, cfg.MaxBodyBytes = 0, config.DefaultLoginRateLimit, config.DefaultMaxBodyBytes
	d.Start()
	m.closers = append(m.closers, d.Close)
	srv, err := server.New(cfg, d, log)
	if err != nil {
		return err
	}
	go srv.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	fmt.Fprintf(m.Stderr, "intake at %.0f/s for %d s without the sweep\n", o.rate, o.seconds)
	stopLoad, err := m.startIntakeLoad(ctx, cfg.BaseURL, o, o.seconds)
	if err != nil {
		return err
	}
	without, err := stopLoad()
	if err != nil {
		return err
	}
	res.IntakeRequests, res.IntakeP50, res.IntakeP99 = without.Requests, without.P50, without.P99

	fmt.Fprintf(m.Stderr, "intake at %.0f/s while the sweeper runs\n", o.rate)
	stopLoad, err = m.startIntakeLoad(ctx, cfg.BaseURL, o, 0)
	if err != nil {
		return err
	}
	// The trace starts traceAt seconds into the sweep, or with a negative
	// traceAt once 99 % of the tickets are swept (to see the compaction).
	var traceMu sync.Mutex
	var traceOnce sync.Once
	var stopTrace func()
	startTrace := func() {
		traceOnce.Do(func() {
			traceMu.Lock()
			defer traceMu.Unlock()
			if stop, err := traceFor(o.trace, 10*time.Second); err == nil {
				stopTrace = stop
			} else {
				fmt.Fprintf(m.Stderr, "trace: %v\n", err)
			}
		})
	}
	if o.trace != "" {
		if o.traceAt >= 0 {
			begin := time.AfterFunc(time.Duration(o.traceAt)*time.Second, startTrace)
			defer begin.Stop()
		}
		defer func() {
			traceMu.Lock()
			defer traceMu.Unlock()
			if stopTrace != nil {
				stopTrace()
			}
		}()
	}
	start := time.Now()
	lastBatch, lastPrint := start, start
	run, err := d.RunRetention(ctx, nil, func(done int) {
		lastBatch = time.Now()
		if o.trace != "" && o.traceAt < 0 && done >= res.TicketsDue*99/100 {
			go startTrace()
		}
		if lastBatch.Sub(lastPrint) > 5*time.Second {
			lastPrint = lastBatch
			fmt.Fprintf(m.Stderr, "swept %d tickets (%.0f/s)\n", done, float64(done)/lastBatch.Sub(start).Seconds())
		}
	})
	end := time.Now()
	during, duringErr := stopLoad()
	if err != nil {
		return err
	}
	if duringErr != nil {
		return duringErr
	}
	res.SweepTickets, res.SweepFiles = run.Deleted+run.Anonymised, run.Files
	res.SweepSeconds = round2(end.Sub(start).Seconds())
	res.DeletionSeconds = round2(lastBatch.Sub(start).Seconds())
	res.CompactionSeconds = round2(end.Sub(lastBatch).Seconds())
	res.SweepTicketsPerS = round2(float64(res.SweepTickets) / end.Sub(start).Seconds())
	res.IntakeRequestsDuring, res.IntakeP50During, res.IntakeP99During = during.Requests, during.P50, during.P99
	res.IntakeP99Windows = during.P99Windows
	res.SendLagP99, res.SendLagP99During = without.SendLagP99, during.SendLagP99
	if res.IntakeP99 > 0 {
		res.IntakeP99Ratio = round2(res.IntakeP99During / res.IntakeP99)
	}
	if res.BaselineTicketsPerS > 0 {
		res.SweepVsBaseline = math.Round(res.SweepTicketsPerS/res.BaselineTicketsPerS*1000) / 1000
	}
	res.Errors = without.Errors + during.Errors
	return json.NewEncoder(m.Stdout).Encode(res)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// traceFor writes a Go execution trace (go tool trace) to path for at most
// d, or until the returned function is called.
func traceFor(path string, d time.Duration) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, err
	}
	// CPU samples go into the trace while a CPU profile runs.
	pprof.StartCPUProfile(io.Discard)
	var once sync.Once
	stop := func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			trace.Stop()
			f.Close()
		})
	}
	time.AfterFunc(d, stop)
	return stop, nil
}
