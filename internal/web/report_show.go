package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"frist/internal/desk"
	"frist/internal/fault"
)

// reportPage is the SLA attainment report of a period.
type reportPage struct {
	page
	From, To   string // the form's dates
	Rows       []reportRow
	Total      reportRow
	CSVHref    string
	JSONHref   string
	FieldError map[string]string
}

// reportRow is one department's line of the report.
type reportRow struct {
	Name                string
	Received            int
	FirstMet, FirstLate int
	FirstPending        int
	FirstShare          string
	Median, P90         string
	ResMet, ResLate     int
	ResPending          int
	ResShare            string
}

// reportShow shows the SLA report (GET /reports/sla?from=&to=).
func (h *Handler) reportShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	q := r.URL.Query()
	pg := &reportPage{page: h.newPage(r, a, "report_title"), From: q.Get("from"), To: q.Get("to"), FieldError: map[string]string{}}
	from, to, err := h.desk.ReportPeriod(pg.From, pg.To)
	if err == nil {
		var rep *desk.SLAReport
		if rep, err = h.desk.SLAReport(r.Context(), a, from, to); err == nil {
			pg.From, pg.To = from.Format("2006-01-02"), to.AddDate(0, 0, -1).Format("2006-01-02")
			for _, row := range rep.Departments {
				pg.Rows = append(pg.Rows, pg.reportRow(h.deptName(row.Department, pg.Lang), row))
			}
			pg.Total = pg.reportRow(pg.T("report_total"), rep.Total)
			v := url.Values{"from": {pg.From}, "to": {pg.To}}
			pg.JSONHref = "/api/v1/reports/sla?" + v.Encode()
			v.Set("format", "csv")
			pg.CSVHref = "/api/v1/reports/sla?" + v.Encode()
		}
	}
	if fault.Code(err) == fault.Invalid {
		for _, f := range fault.FieldsOf(err) {
			pg.FieldError[f.Field] = pg.T(f.Message)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "report_sla", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "report_sla", pg)
}

func (pg *reportPage) reportRow(name string, row desk.SLAReportRow) reportRow {
	share := func(a desk.Attainment) string {
		if s, ok := a.Share(); ok {
			return fmt.Sprintf("%.1f %%", 100*s)
		}
		return "–"
	}
	out := reportRow{Name: name, Received: row.Received,
		FirstMet: row.FirstResponse.Met, FirstLate: row.FirstResponse.Late, FirstPending: row.FirstResponse.Pending, FirstShare: share(row.FirstResponse),
		ResMet: row.Resolution.Met, ResLate: row.Resolution.Late, ResPending: row.Resolution.Pending, ResShare: share(row.Resolution),
		Median: "–", P90: "–"}
	if row.Answered > 0 {
		out.Median, out.P90 = pg.Duration(row.Median), pg.Duration(row.P90)
	}
	return out
}

// Duration formats a span of time for reports: "2 h 05 min", "3 d 4 h",
// "45 min".
func (p page) Duration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 24*60:
		return fmt.Sprintf("%d h %02d min", m/60, m%60)
	}
	return fmt.Sprintf("%d %s %d h", m/(24*60), p.T("unit_days"), m%(24*60)/60)
}
