package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestLoadtestFanout runs the fanout scenario with a few subscribers of two
// agents, one for all departments and one for billing only, plus the bare
// broadcast baseline: every subscriber of the first agent receives every
// ticket's event, those of the second only billing's, none are dropped.
func TestLoadtestFanout(t *testing.T) {
	t.Parallel()
	s := MustServe(t, "")
	var tokens []string
	for _, u := range []struct{ email, departments string }{
		{"erika@example.org", ""},
		{"max@example.org", "billing"},
	} {
		if out, err := run(t, "secret passphrase\n", "user", "add", "--data-dir", s.Dir, "--email", u.email, "--name", "Erika Mustermann", "--role", "agent", "--departments", u.departments); err != nil {
			t.Fatal(out, err)
		}
		out, err := run(t, "", "token", "create", "--data-dir", s.Dir, "--email", u.email, "--name", "fanout")
		if err != nil {
			t.Fatal(out, err)
		}
		words := strings.Fields(out)
		tokens = append(tokens, words[len(words)-1])
	}
	const subscribers, tickets = 50, 6
	out, err := run(t, "", "loadtest", "--scenario", "fanout", "--target", s.URL, "--tokens", strings.Join(tokens, ","),
		"--subscribers", strconv.Itoa(subscribers), "--tickets", strconv.Itoa(tickets), "--interval", "50ms", "--baseline",
		"--server-pid", strconv.Itoa(os.Getpid()))
	if err != nil {
		t.Fatal(out, err)
	}
	var res struct {
		Deliveries         int      `json:"deliveries"`
		Resyncs            int      `json:"resyncs"`
		P99                float64  `json:"p99_ms"`
		BaselineDeliveries int      `json:"baseline_deliveries"`
		Ratio              *float64 `json:"ratio"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	all := subscribers / 2 * tickets
	if res.Deliveries < all || res.Deliveries > 2*all || res.Resyncs != 0 || res.P99 <= 0 {
		t.Errorf("fanout: %s; want between %d and %d deliveries, none dropped", out, all, 2*all)
	}
	if res.BaselineDeliveries != subscribers*tickets || res.Ratio == nil {
		t.Errorf("baseline: %s; want %d deliveries and a ratio", out, subscribers*tickets)
	}
}
