package desk

import (
	"context"
	"math"
	"slices"
	"time"

	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// SLAReport is the SLA attainment of the tickets received in a period, per
// department: the share of targets met and how long first answers took.
// It counts departments, never individual agents.
type SLAReport struct {
	From, To    time.Time // received in [From, To)
	Departments []SLAReportRow
	Total       SLAReportRow
}

// SLAReportRow is one department's attainment ("" for the total).
type SLAReportRow struct {
	Department    string
	Received      int
	FirstResponse Attainment
	Resolution    Attainment
	// Answered counts the tickets with a first answer; Median and P90 are
	// the wall-clock times from receipt to that answer.
	Answered    int
	Median, P90 time.Duration
}

// Attainment counts one target: met in time, late (breached or answered
// after the deadline) and still open.
type Attainment struct {
	Met, Late, Pending int
}

// Share returns the share of decided targets that were met, between 0
// and 1, and false when none was decided yet.
func (a Attainment) Share() (float64, bool) {
	n := a.Met + a.Late
	if n == 0 {
		return 0, false
	}
	return float64(a.Met) / float64(n), true
}

// maxReportSpan bounds a report's period.
const maxReportSpan = 400 * 24 * time.Hour

// SLAReport computes the SLA attainment of the tickets received in
// [from, to) that the agent may see. Returns fault.Invalid for an empty,
// reversed or longer than a year's period.
func (d *Desk) SLAReport(ctx context.Context, a *Agent, from, to time.Time) (*SLAReport, error) {
	if !to.After(from) {
		return nil, fault.Fields("The period ends before it begins.", fault.FieldError{Field: "to", Message: "before_from"})
	}
	if to.Sub(from) > maxReportSpan {
		return nil, fault.Fields("A report covers at most a year.", fault.FieldError{Field: "to", Message: "period_too_long"})
	}
	var rows []store.SLATicket
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		rows, err = tx.SLATickets(from, to, a.Departments)
		return err
	})
	if err != nil {
		return nil, err
	}
	r := &SLAReport{From: from, To: to}
	byDept := map[string]*SLAReportRow{}
	times := map[string][]time.Duration{}
	for _, x := range rows {
		row := byDept[x.Department]
		if row == nil {
			row = &SLAReportRow{Department: x.Department}
			byDept[x.Department] = row
		}
		for _, row := range []*SLAReportRow{row, &r.Total} {
			row.Received++
			switch {
			case x.FirstResponseLate:
				row.FirstResponse.Late++
			case x.FirstResponseAt.IsZero():
				row.FirstResponse.Pending++
			default:
				row.FirstResponse.Met++
			}
			switch {
			case x.ResolutionLate:
				row.Resolution.Late++
			case x.Status == ticket.Resolved || x.Status == ticket.Closed:
				row.Resolution.Met++
			default:
				row.Resolution.Pending++
			}
		}
		if !x.FirstResponseAt.IsZero() {
			dur := x.FirstResponseAt.Sub(x.CreatedAt)
			times[x.Department] = append(times[x.Department], dur)
			times[""] = append(times[""], dur)
		}
	}
	// Every department of the policy that the agent may see gets a row,
	// also without tickets; departments of an older policy follow.
	for _, dept := range d.Policy().Departments {
		if mayAccess(a, dept.ID) && byDept[dept.ID] == nil {
			byDept[dept.ID] = &SLAReportRow{Department: dept.ID}
		}
	}
	for _, dept := range d.Policy().Departments {
		if row := byDept[dept.ID]; row != nil {
			r.Departments = append(r.Departments, *row)
			delete(byDept, dept.ID)
		}
	}
	rest := make([]string, 0, len(byDept))
	for id := range byDept {
		rest = append(rest, id)
	}
	slices.Sort(rest)
	for _, id := range rest {
		r.Departments = append(r.Departments, *byDept[id])
	}
	for i := range r.Departments {
		row := &r.Departments[i]
		row.Answered = len(times[row.Department])
		row.Median, row.P90 = quantile(times[row.Department], 0.5), quantile(times[row.Department], 0.9)
	}
	r.Total.Answered = len(times[""])
	r.Total.Median, r.Total.P90 = quantile(times[""], 0.5), quantile(times[""], 0.9)
	return r, nil
}

// quantile returns the q-quantile of ds by the nearest-rank method, or 0
// for none. It sorts ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[max(i, 0)]
}

// ReportPeriod parses a report period given as two dates, YYYY-MM-DD, in
// the organisation's time zone; both days are included. Empty from means
// the first of the current month, empty to means today. It returns the
// half-open interval [from, to+1 day) and fault.Invalid for bad dates.
func (d *Desk) ReportPeriod(from, to string) (time.Time, time.Time, error) {
	loc := d.Policy().Location()
	now := d.Now().In(loc)
	var errs []fault.FieldError
	parse := func(field, s string, def time.Time) time.Time {
		if s == "" {
			return def
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			errs = append(errs, fault.FieldError{Field: field, Message: "invalid_date"})
		}
		return t
	}
	f := parse("from", from, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc))
	t := parse("to", to, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc))
	if len(errs) > 0 {
		return time.Time{}, time.Time{}, &fault.Error{Code: fault.Invalid, Message: "Please check the period.", Fields: errs}
	}
	return f, t.AddDate(0, 0, 1), nil
}
