package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"frist/internal/loadtest"
)

// measuringPrefix starts the line on standard error with which the rate
// scenario says that its warm-up is over and its measurement begins.
const measuringPrefix = "measuring intake at "

// rateScenario sends intake requests open-loop at o.rate to target: after
// a warm-up of two seconds that opens the connections (not reported), for
// o.seconds, or with o.seconds 0 until standard input ends. It reports a
// loadtest.Result as one JSON line.
func (m *Main) rateScenario(ctx context.Context, target string, o retentionOptions) error {
	if o.rate <= 0 || o.seconds < 0 {
		return errors.New("--rate must be positive and --seconds not negative")
	}
	stop, err := m.startInlineLoad(ctx, target, o, o.seconds)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "%s%.0f/s\n", measuringPrefix, o.rate)
	if o.seconds == 0 {
		io.Copy(io.Discard, m.Stdin)
	}
	res, err := stop()
	if err != nil {
		return err
	}
	return json.NewEncoder(m.Stdout).Encode(res)
}

// after returns a channel that is closed after d.
func after(d time.Duration) <-chan struct{} {
	c := make(chan struct{})
	time.AfterFunc(d, func() { close(c) })
	return c
}

// startIntakeLoad starts an open-loop intake load at o.rate against
// target and returns once it is warmed up and measuring; stop ends it
// (with seconds 0; otherwise it waits for the seconds to pass) and returns
// the result. The load comes from this process, whose busy server then
// also delays the sending (send_lag_p99_ms says how much), or with
// o.separate from a child process running the rate scenario, which
// competes with the server for the CPU instead (decision 0019).
func (m *Main) startIntakeLoad(ctx context.Context, target string, o retentionOptions, seconds int) (stop func() (loadtest.Result, error), err error) {
	if !o.separate {
		return m.startInlineLoad(ctx, target, o, seconds)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, "loadtest", "--scenario", "rate", "--target", target,
		"--rate", strconv.FormatFloat(o.rate, 'f', -1, 64), "--seconds", strconv.Itoa(seconds),
		"--random-seed", strconv.FormatUint(o.seed, 10))
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	errs, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	measuring := make(chan struct{})
	var lines []string
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(errs)
		started := false
		for sc.Scan() {
			if !started && strings.HasPrefix(sc.Text(), measuringPrefix) {
				close(measuring)
				started = true
				continue
			}
			lines = append(lines, sc.Text())
		}
	}()
	wait := func() (loadtest.Result, error) {
		in.Close()
		<-scanned
		err := cmd.Wait()
		if err != nil {
			return loadtest.Result{}, fmt.Errorf("intake load: %w: %s", err, strings.Join(lines, "; "))
		}
		var res loadtest.Result
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			return loadtest.Result{}, fmt.Errorf("intake load: %w", err)
		}
		return res, nil
	}
	select {
	case <-measuring:
		return wait, nil
	case <-scanned:
		_, err := wait()
		if err == nil {
			err = errors.New("intake load: ended before measuring")
		}
		return nil, err
	}
}

// startInlineLoad is startIntakeLoad's load in this process.
func (m *Main) startInlineLoad(ctx context.Context, target string, o retentionOptions, seconds int) (func() (loadtest.Result, error), error) {
	client := loadtest.NewClient(256)
	post, err := loadtest.IntakePoster(ctx, client, target, o.seed, 10000)
	if err != nil {
		return nil, err
	}
	if _, err := loadtest.MeasureRate(ctx, o.rate, after(2*time.Second), post); err != nil {
		return nil, err
	}
	// The measurement ends after seconds, or with seconds 0 when the
	// returned func is called.
	var end <-chan struct{}
	stop := func() {}
	if seconds > 0 {
		end = after(time.Duration(seconds) * time.Second)
	} else {
		c := make(chan struct{})
		end, stop = c, func() { close(c) }
	}
	var res loadtest.Result
	var resErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, resErr = loadtest.MeasureRate(ctx, o.rate, end, post)
		client.CloseIdleConnections()
	}()
	return func() (loadtest.Result, error) {
		stop()
		<-done
		return res, resErr
	}, nil
}
