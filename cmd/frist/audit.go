package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// auditVerify walks the whole audit trail and checks its hash chain. It
// prints how many entries it checked, and fails (exit status 1) when the
// chain is broken, naming the first entry that does not fit.
func (m *Main) auditVerify(ctx context.Context, args []string) error {
	cfg, rest, err := m.parse("audit verify", args, nil)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("usage: frist audit verify")
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	v, err := d.VerifyAudit(ctx, nil)
	if err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	if !v.OK {
		fmt.Fprintf(m.Stdout, "audit verify: %d entries intact, chain BROKEN at entry %d (%s)\n", v.Entries, v.BrokenAt, took)
		return fmt.Errorf("the audit trail's hash chain is broken at entry %d: it was changed outside Frist", v.BrokenAt)
	}
	fmt.Fprintf(m.Stdout, "audit verify: %d entries checked, chain OK (%s)\n", v.Entries, took)
	return nil
}
