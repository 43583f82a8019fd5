package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"frist/internal/privacy"
	"frist/internal/store"
)

// Compliance is the compliance status: every open item at a moment.
type Compliance struct {
	At    time.Time
	Items []privacy.Finding // errors first, then warnings
}

// Count returns how many items have the severity.
func (c Compliance) Count(s privacy.Severity) int {
	n := 0
	for _, f := range c.Items {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Open reports whether anything is open.
func (c Compliance) Open() bool { return len(c.Items) > 0 }

// FindRetentionOverdue is the compliance item of tickets past their
// latest deletion date (error; object "retention:overdue").
const FindRetentionOverdue = "retention.overdue"

// Compliance returns the compliance status now: the findings of the
// register of processors and its integrations (privacy.Register.Findings)
// and tickets kept past their latest deletion date. Administrators and
// privacy officers; a nil agent is the operator at the command line
// (frist compliance check). Others get fault.Forbidden.
func (d *Desk) Compliance(ctx context.Context, a *Agent) (Compliance, error) {
	if a != nil && !CanReadRegister(a) {
		return Compliance{}, errRegisterForbidden
	}
	var s store.RetentionStatus
	var now time.Time
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		now = tx.Now()
		s, err = tx.RetentionStatus(now)
		return err
	})
	if err != nil {
		return Compliance{}, err
	}
	c := Compliance{At: now}
	if s.Overdue > 0 {
		c.Items = append(c.Items, privacy.Finding{Code: FindRetentionOverdue, Severity: privacy.SeverityError, Object: "retention:overdue", Text: privacy.Text{
			DE: fmt.Sprintf("%d Tickets sind über ihr spätestes Löschdatum hinaus gespeichert; der Löschlauf muss sie löschen (Datenschutz-Übersicht).", s.Overdue),
			EN: fmt.Sprintf("%d tickets are kept past their latest deletion date; the deletion run must delete them (privacy overview).", s.Overdue),
		}})
	}
	c.Items = append(c.Items, d.Policy().Findings(now)...)
	sortFindings(c.Items)
	return c, nil
}

// sortFindings puts errors before warnings, keeping the order otherwise.
func sortFindings(fs []privacy.Finding) {
	var errs, warns []privacy.Finding
	for _, f := range fs {
		if f.Severity == privacy.SeverityError {
			errs = append(errs, f)
		} else {
			warns = append(warns, f)
		}
	}
	copy(fs, append(errs, warns...))
}

// LogCompliance writes a log line for each processor whose AVV has
// expired, ends soon, is missing or not yet in force, naming the
// processor by its id only. It is a periodic job: daily, on one node.
func (d *Desk) LogCompliance(ctx context.Context) error {
	p := d.Policy()
	for _, f := range p.Findings(d.clock.Now()) {
		id, ok := strings.CutPrefix(f.Object, "processor:")
		if !ok {
			continue
		}
		switch f.Code {
		case privacy.FindAVVExpiring:
			d.log.Warn("processor AVV ends soon", "processor", id, "finding", f.Code)
		case privacy.FindAVVExpired, privacy.FindAVVMissing, privacy.FindAVVNotInForce:
			d.log.Error("processor AVV not in force", "processor", id, "finding", f.Code)
		}
	}
	return ctx.Err()
}
