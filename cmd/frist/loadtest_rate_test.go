package main

import (
	"encoding/json"
	"testing"

	"frist/internal/store/storetest"
)

// TestLoadtestRate sends intake at a fixed rate against the real server
// for a second: the requests go out on schedule and are all accepted.
func TestLoadtestRate(t *testing.T) {
	t.Parallel()
	s := MustServe(t, "")
	out, err := run(t, "", "loadtest", "--scenario", "rate", "--target", s.URL, "--rate", "40", "--seconds", "1")
	if err != nil {
		t.Fatal(out, err)
	}
	var res struct {
		Requests   int     `json:"requests"`
		Errors     int     `json:"errors"`
		P99        float64 `json:"p99_ms"`
		SendLagP99 float64 `json:"send_lag_p99_ms"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(out, err)
	}
	// 40 requests a second for one second, give or take the edges.
	if res.Requests < 30 || res.Requests > 50 || res.Errors != 0 || res.P99 <= 0 || res.SendLagP99 < 0 {
		t.Fatalf("rate scenario: %s", out)
	}
	// With --seconds 0 it measures until standard input ends: here at once.
	out, err = run(t, "", "loadtest", "--scenario", "rate", "--target", s.URL, "--rate", "40", "--seconds", "0")
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Errors != 0 || res.Requests > 5 {
		t.Fatalf("rate scenario until end of input: %s %v", out, err)
	}
	for _, args := range [][]string{{"--rate", "0"}, {"--rate", "10", "--seconds", "-1"}} {
		if out, err := run(t, "", append([]string{"loadtest", "--scenario", "rate", "--target", s.URL}, args...)...); err == nil {
			t.Errorf("%v accepted: %s", args, out)
		}
	}
}

// TestLoadtestRetention runs the retention scenario on a small seed, with
// the intake load from a child process (this test binary, running as
// frist): the sweeper deletes every ticket due, and the report says so.
func TestLoadtestRetention(t *testing.T) {
	if storetest.Backend() != "sqlite" {
		t.Skip("runs once, in the SQLite pass")
	}
	t.Parallel()
	dir := t.TempDir()
	if out, err := run(t, "", "loadtest", "--data-dir", dir, "--seed", "200", "--seed-expired"); err != nil {
		t.Fatal(out, err)
	}
	out, err := run(t, "", "loadtest", "--data-dir", dir, "--scenario", "retention", "--rate", "20", "--seconds", "1", "--separate-client")
	if err != nil {
		t.Fatal(out, err)
	}
	var res retentionResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(out, err)
	}
	if res.TicketsDue != 200 || res.SweepTickets != 200 || res.SweepFiles != 200 || res.Errors != 0 ||
		res.IntakeRequests < 10 || res.IntakeP99 <= 0 || res.BaselineTicketsPerS <= 0 {
		t.Fatalf("retention scenario: %s", out)
	}
	// Swept: nothing is due any more.
	if out, err := run(t, "", "loadtest", "--data-dir", dir, "--scenario", "retention", "--rate", "20", "--seconds", "1"); err == nil {
		t.Fatalf("second run on a swept directory: %s", out)
	}
}
