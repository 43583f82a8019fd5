package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"frist/internal/config"
	"frist/internal/privacy"
)

// Exit statuses of frist compliance check.
const (
	exitComplianceErrors   = 1 // at least one item of severity error is open
	exitComplianceWarnings = 2 // only warnings are open
)

// complianceJSON is what frist compliance check --json prints: the same
// shape as GET /api/v1/compliance.
type complianceJSON struct {
	Status   string        `json:"status"` // ok or open
	At       string        `json:"at"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Items    []findingJSON `json:"items"`
}

type findingJSON struct {
	Code     string           `json:"code"`
	Severity privacy.Severity `json:"severity"`
	Object   string           `json:"object"`
	Message  string           `json:"message"`
	Text     privacy.Text     `json:"text"`
}

// complianceCheck prints the compliance status — missing, expired or
// ending AVVs, transfers without a safeguard, integrations without a valid
// AVV, tickets kept past their deletion date — and exits 0 when nothing
// is open, 1 when an error is open and 2 when only warnings are, so that
// monitoring can watch it.
func (m *Main) complianceCheck(ctx context.Context, args []string) error {
	var asJSON bool
	var lang string
	cfg, rest, err := m.parse("compliance check", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.BoolVar(&asJSON, "json", false, "print the status as JSON, as GET /api/v1/compliance answers it")
		fs.StringVar(&lang, "lang", "", "de (German) or en (English); default from LANG, else English")
	})
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("usage: frist compliance check [--json] [--lang de|en]")
	}
	switch lang {
	case "":
		lang = "en"
		if strings.HasPrefix(m.Getenv("LANG"), "de") {
			lang = "de"
		}
	case "de", "en":
	default:
		return fmt.Errorf("--lang %q: use de or en", lang)
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	c, err := d.Compliance(ctx, nil)
	if err != nil {
		return err
	}
	nErr, nWarn := c.Count(privacy.SeverityError), c.Count(privacy.SeverityWarning)
	if asJSON {
		out := complianceJSON{Status: "ok", At: c.At.In(d.Policy().Location()).Format(time.RFC3339), Errors: nErr, Warnings: nWarn, Items: []findingJSON{}}
		if c.Open() {
			out.Status = "open"
		}
		for _, f := range c.Items {
			out.Items = append(out.Items, findingJSON{Code: f.Code, Severity: f.Severity, Object: f.Object, Message: f.Text.In(lang), Text: f.Text})
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		t := func(de, en string) string {
			if lang == "de" {
				return de
			}
			return en
		}
		if !c.Open() {
			fmt.Fprintln(m.Stdout, t("Compliance: nichts offen.", "compliance: nothing is open"))
		} else {
			fmt.Fprintf(m.Stdout, t("Compliance: %d offen (Fehler: %d, Warnungen: %d)\n", "compliance: %d open (errors: %d, warnings: %d)\n"), len(c.Items), nErr, nWarn)
		}
		for _, f := range c.Items {
			sev := t("WARNUNG", "WARNING")
			if f.Severity == privacy.SeverityError {
				sev = t("FEHLER", "ERROR")
			}
			fmt.Fprintf(m.Stdout, "%-8s %s %s\n         %s\n", sev, f.Code, f.Object, f.Text.In(lang))
		}
	}
	switch {
	case nErr > 0:
		return &exitError{status: exitComplianceErrors, err: fmt.Errorf("compliance: open errors: %d", nErr)}
	case nWarn > 0:
		return &exitError{status: exitComplianceWarnings, err: fmt.Errorf("compliance: open warnings: %d", nWarn)}
	}
	return nil
}

// exitError ends the program with its status instead of 1.
type exitError struct {
	status int
	err    error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitStatus returns the exit status of a command's error: 0 for none,
// an exitError's status, else 1.
func exitStatus(err error) int {
	var e *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &e):
		return e.status
	}
	return 1
}
