package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/policy"
)

// retentionSweepInterval is how often serve runs the retention sweeper.
const retentionSweepInterval = 10 * time.Second

// retentionPlan prints what the retention sweeper will do as of a day or
// a time (default now), as a table or JSON. It changes nothing.
func (m *Main) retentionPlan(ctx context.Context, args []string) error {
	var asOf string
	var asJSON bool
	cfg, rest, err := m.parse("retention plan", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&asOf, "as-of", "", "a day (YYYY-MM-DD, from 00:00 in the retention time zone) or an RFC 3339 time; default now")
		fs.BoolVar(&asJSON, "json", false, "print the plan as JSON")
	})
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("usage: frist retention plan [--as-of DATE] [--json]")
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	p := d.Policy()
	at, err := parseAsOf(p, asOf)
	if err != nil {
		return err
	}
	plan, err := d.RetentionPlan(ctx, nil, at)
	if err != nil {
		return err
	}
	if asJSON {
		return m.printPlanJSON(p, plan)
	}
	m.printPlan(p, plan)
	return nil
}

// retentionRun runs the retention sweeper once, as the server does every
// 10 seconds, printing progress and the counts; with --dry-run it prints
// the plan as of now instead and changes nothing.
func (m *Main) retentionRun(ctx context.Context, args []string) error {
	var dry bool
	cfg, rest, err := m.parse("retention run", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.BoolVar(&dry, "dry-run", false, "print what would be done now, and change nothing")
	})
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("usage: frist retention run [--dry-run]")
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	p := d.Policy()
	if dry {
		plan, err := d.RetentionPlan(ctx, nil, time.Time{})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, "retention run --dry-run: nothing is changed; a run now would do this:")
		m.printPlan(p, plan)
		return nil
	}
	start := time.Now()
	run, err := d.SweepRetention(ctx, func(done int) {
		fmt.Fprintf(m.Stdout, "retention run: %d tickets handled so far\n", done)
	})
	if run.Recomputation != nil {
		r := run.Recomputation
		fmt.Fprintf(m.Stdout, "retention run: deletion dates recomputed (%s): %d tickets examined, %d changed\n", r.Cause, r.Examined, r.Changed)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "retention run: %d deleted, %d anonymised, %d restricted, %d field values deleted, %d files removed, %d rescheduled in %s\n",
		run.Deleted, run.Anonymised, run.Restricted, run.FieldsExpired, run.Files, run.Rescheduled, time.Since(start).Round(time.Millisecond))
	if run.CheckpointBusy {
		fmt.Fprintln(m.Stdout, "retention run: readers kept the SQLite write-ahead log from being truncated; the next run tries again")
	}
	return nil
}

// parseAsOf reads --as-of: empty for now, a day (its start in the
// retention time zone) or an RFC 3339 time.
func parseAsOf(p *policy.Policy, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, p.Retention.Location()); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q is neither a day (YYYY-MM-DD) nor an RFC 3339 time", s)
	}
	return t, nil
}

// printPlan prints the plan as a table, dates as days in the retention
// time zone.
func (m *Main) printPlan(p *policy.Policy, plan *desk.RetentionPlan) {
	r := &p.Retention
	fmt.Fprintf(m.Stdout, "retention plan as of %s (%s): %d tickets affected, %d held\n",
		plan.AsOf.In(r.Location()).Format("2006-01-02 15:04"), r.Location(), plan.Tickets, plan.Held)
	if len(plan.Groups) == 0 {
		fmt.Fprintln(m.Stdout, "nothing is due")
		return
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tVERSION\tACTION\tDUE\tTICKETS\tMESSAGES\tATTACHMENTS\tFIELDS")
	for _, g := range plan.Groups {
		due := r.FormatDate(g.First)
		if last := r.FormatDate(g.Last); last != due {
			due += " – " + last
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", g.Rule, g.RuleVersion, g.Action, due, g.Tickets, g.Messages, g.Attachments, g.Fields)
	}
	tw.Flush()
}

// planJSON is the plan as --json prints it: the shape of GET
// /api/v1/retention/plan.
type planJSON struct {
	AsOf    string          `json:"as_of"`
	Tickets int             `json:"tickets"`
	Held    int             `json:"held"`
	Groups  []planGroupJSON `json:"groups"`
}

type planGroupJSON struct {
	Rule        string `json:"rule"`
	RuleName    string `json:"rule_name"`
	RuleVersion string `json:"rule_version"`
	Class       string `json:"class"`
	Action      string `json:"action"`
	FirstDue    string `json:"first_due"`
	LastDue     string `json:"last_due"`
	Tickets     int    `json:"tickets"`
	Messages    int    `json:"messages"`
	Attachments int    `json:"attachments"`
	Fields      int    `json:"fields"`
}

func (m *Main) printPlanJSON(p *policy.Policy, plan *desk.RetentionPlan) error {
	loc := p.Location()
	out := planJSON{AsOf: plan.AsOf.In(loc).Format(time.RFC3339), Tickets: plan.Tickets, Held: plan.Held, Groups: []planGroupJSON{}}
	for _, g := range plan.Groups {
		out.Groups = append(out.Groups, planGroupJSON{Rule: g.Rule, RuleName: p.Retention.RuleName(g.Rule, "en"), RuleVersion: g.RuleVersion,
			Class: g.Class, Action: string(g.Action), FirstDue: g.First.In(loc).Format(time.RFC3339), LastDue: g.Last.In(loc).Format(time.RFC3339),
			Tickets: g.Tickets, Messages: g.Messages, Attachments: g.Attachments, Fields: g.Fields})
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
