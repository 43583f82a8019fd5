package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// slaSweep runs the SLA breach job once, as the server does every few
// seconds, and says what it found and how long it took.
func (m *Main) slaSweep(ctx context.Context, args []string) error {
	cfg, rest, err := m.parse("sla sweep", args, nil)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("usage: frist sla sweep")
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := d.SweepSLA(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "sla sweep: %d tickets due, %d warnings, %d breaches, %d escalations in %s\n",
		st.Tickets, st.Warnings, st.Breaches, st.Escalations, time.Since(start).Round(time.Millisecond))
	return nil
}
