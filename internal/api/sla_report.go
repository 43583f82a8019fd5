package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"frist/internal/desk"
)

// slaReportJSON is the SLA attainment of a period, per department.
type slaReportJSON struct {
	From        string             `json:"from"` // first day, YYYY-MM-DD
	To          string             `json:"to"`   // last day, included
	TimeZone    string             `json:"time_zone"`
	Departments []slaReportRowJSON `json:"departments"`
	Total       slaReportRowJSON   `json:"total"`
}

// slaReportRowJSON is one department's attainment; the total has an empty
// department.
type slaReportRowJSON struct {
	Department    string         `json:"department"`
	Received      int            `json:"received"`
	FirstResponse attainmentJSON `json:"first_response"`
	Resolution    attainmentJSON `json:"resolution"`
	// Wall-clock seconds from receipt to the first answer; null when
	// nothing was answered.
	FirstResponseMedianSeconds *int64 `json:"first_response_median_seconds"`
	FirstResponseP90Seconds    *int64 `json:"first_response_p90_seconds"`
}

// attainmentJSON counts one target. share_met is met / (met + late), null
// while nothing is decided.
type attainmentJSON struct {
	Met      int      `json:"met"`
	Late     int      `json:"late"`
	Pending  int      `json:"pending"`
	ShareMet *float64 `json:"share_met"`
}

// slaReport answers the SLA attainment of the tickets received in a
// period, per department the caller may see:
//
//	?from=2026-11-01&to=2026-11-30  (days in the organisation's time zone, both included;
//	                                 default: this month up to today)
//	&format=json|csv  (default json; "Accept: text/csv" also gives CSV)
func (a *API) slaReport(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "from", "to", "format"); err != nil {
		return nil, err
	}
	format, err := exportFormat(c)
	if err != nil {
		return nil, err
	}
	from, to, err := a.desk.ReportPeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		return nil, err
	}
	r, err := a.desk.SLAReport(c.r.Context(), c.agent, from, to)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := slaReportJSON{From: from.Format("2006-01-02"), To: to.AddDate(0, 0, -1).Format("2006-01-02"), TimeZone: p.Organisation.TimeZone,
		Departments: []slaReportRowJSON{}, Total: newReportRowJSON(r.Total)}
	for _, row := range r.Departments {
		out.Departments = append(out.Departments, newReportRowJSON(row))
	}
	if format != "csv" {
		return out, nil
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="sla-`+out.From+`-`+out.To+`.csv"`)
	c.w.WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.w)
	w.Write([]string{"department", "received", "first_response_met", "first_response_late", "first_response_pending", "first_response_share_met",
		"first_response_median_seconds", "first_response_p90_seconds", "resolution_met", "resolution_late", "resolution_pending", "resolution_share_met"})
	for _, row := range append(out.Departments, out.Total) {
		dept := row.Department
		if dept == "" {
			dept = "total"
		}
		w.Write([]string{dept, strconv.Itoa(row.Received),
			strconv.Itoa(row.FirstResponse.Met), strconv.Itoa(row.FirstResponse.Late), strconv.Itoa(row.FirstResponse.Pending), share(row.FirstResponse.ShareMet),
			seconds(row.FirstResponseMedianSeconds), seconds(row.FirstResponseP90Seconds),
			strconv.Itoa(row.Resolution.Met), strconv.Itoa(row.Resolution.Late), strconv.Itoa(row.Resolution.Pending), share(row.Resolution.ShareMet)})
	}
	w.Flush()
	return streamed{}, nil
}

func newReportRowJSON(r desk.SLAReportRow) slaReportRowJSON {
	out := slaReportRowJSON{Department: r.Department, Received: r.Received,
		FirstResponse: newAttainmentJSON(r.FirstResponse), Resolution: newAttainmentJSON(r.Resolution)}
	if r.Answered > 0 {
		m, p := int64(r.Median.Seconds()), int64(r.P90.Seconds())
		out.FirstResponseMedianSeconds, out.FirstResponseP90Seconds = &m, &p
	}
	return out
}

func newAttainmentJSON(a desk.Attainment) attainmentJSON {
	out := attainmentJSON{Met: a.Met, Late: a.Late, Pending: a.Pending}
	if s, ok := a.Share(); ok {
		out.ShareMet = &s
	}
	return out
}

func share(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 4, 64)
}

func seconds(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
