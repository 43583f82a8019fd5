package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// WindowSeconds is the width of the windows of Result.P99Windows.
const WindowSeconds = 5

// MeasureRate sends calls open-loop at a fixed rate per second until stop
// is closed or ctx ends: call i is started at start + i/rate whether or
// not earlier calls have answered, and its latency is measured from that
// scheduled moment, so that time spent queueing behind a slow server
// counts. It then waits for the calls in flight and reports them all:
// throughput is the completed calls per second of the sending time.
func MeasureRate(ctx context.Context, rate float64, stop <-chan struct{}, do func(ctx context.Context, i int) error) (Result, error) {
	if rate <= 0 {
		return Result{}, errors.New("loadtest: rate must be positive")
	}
	var (
		mu        sync.Mutex
		durations []time.Duration
		lags      []time.Duration
		windows   [][]time.Duration
		failed    int
		wg        sync.WaitGroup
	)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	i := 0
loop:
	for {
		at := start.Add(time.Duration(i) * interval)
		timer.Reset(time.Until(at))
		select {
		case <-ctx.Done():
			break loop
		case <-stop:
			break loop
		case <-timer.C:
		}
		// Every call due by now is sent, also when the timer fired late.
		for ; !start.Add(time.Duration(i) * interval).After(time.Now()); i++ {
			n, scheduled := i, start.Add(time.Duration(i)*interval)
			wg.Go(func() {
				lag := time.Since(scheduled)
				err := do(ctx, n)
				d := time.Since(scheduled)
				w := int(scheduled.Sub(start) / WindowSeconds / time.Second)
				mu.Lock()
				durations = append(durations, d)
				lags = append(lags, lag)
				for len(windows) <= w {
					windows = append(windows, nil)
				}
				windows[w] = append(windows[w], d)
				if err != nil {
					failed++
				}
				mu.Unlock()
			})
		}
	}
	sending := time.Since(start)
	wg.Wait()
	slices.Sort(durations)
	slices.Sort(lags)
	res := Result{
		SendLagP99: Percentile(lags, 99),
		Requests:   len(durations),
		Errors:     failed,
		P50:        Percentile(durations, 50),
		P95:        Percentile(durations, 95),
		P99:        Percentile(durations, 99),
	}
	for _, w := range windows {
		slices.Sort(w)
		res.P99Windows = append(res.P99Windows, Percentile(w, 99))
	}
	if s := sending.Seconds(); s > 0 {
		res.Throughput = round(float64(len(durations))/s, 2)
	}
	return res, ctx.Err()
}

// IntakePoster reads the privacy notice and request types of the server
// at target and returns a Measure function that posts n generated intake
// requests (cycled when more calls are made) to it.
func IntakePoster(ctx context.Context, client *http.Client, target string, seed uint64, n int) (func(ctx context.Context, i int) error, error) {
	notice, err := Get[PrivacyNotice](ctx, client, target+pathNotice)
	if err != nil {
		return nil, fmt.Errorf("loadtest: privacy notice: %w", err)
	}
	types, err := Get[[]RequestType](ctx, client, target+pathTypes)
	if err != nil {
		return nil, fmt.Errorf("loadtest: request types: %w", err)
	}
	if len(types) == 0 {
		return nil, errors.New("loadtest: the target offers no request types")
	}
	bodies, err := Bodies(NewGenerator(seed, notice.Version, types), min(max(n, 1), maxBodies))
	if err != nil {
		return nil, err
	}
	return Poster(client, []string{target + pathRequests}, bodies), nil
}
