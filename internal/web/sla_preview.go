package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/period"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// slaPage lists the SLA policies and calendars of the policy in force and
// previews which policy covers a ticket received at a moment, with its
// exact deadlines.
type slaPage struct {
	page
	WarnAt    int
	Policies  []slaPolicyRow
	Calendars []calendarRow
	Fields    []formField // request type, priority, department
	At        formField   // date and time of receipt, a datetime-local input
	Errors    []summaryItem
	Result    *slaResult
}

// slaPolicyRow is one SLA policy in the order they are tried.
type slaPolicyRow struct {
	Position  int
	ID        string
	Name      string
	AppliesTo []string // translated conditions; empty: every ticket
	Calendar  string
	Targets   []string // "Erste Antwort: 4 Std. (PT4H)"
	Escalate  []string
}

// calendarRow is one business-hours calendar.
type calendarRow struct {
	ID       string
	Name     string
	TimeZone string
	Hours    []dayHours
	Holidays string // region code, "" for none
	Closed   []string
	Special  []string // "2026-12-24: 08:00-12:00"
}

// dayHours is the opening hours of one weekday.
type dayHours struct {
	Day   string
	Hours string // "08:00-12:00, 13:00-17:00"; "" closed
}

// slaResult is a previewed service level: the covering policy and each
// target's deadline, in the calendar's time zone. It embeds the page so
// that the "sla_result" template can translate.
type slaResult struct {
	page
	RequestType string
	Department  string
	Priority    string
	PolicyID    string
	PolicyName  string
	Fallback    bool // no declared policy covers the ticket
	Calendar    string
	TimeZone    string
	WarnAt      int
	At          string
	Open        bool
	NextOpen    string
	Targets     []targetRow
}

// targetRow is one target with its deadline.
type targetRow struct {
	Name      string
	Duration  string
	Start     string
	Due       string
	Warn      string
	FromReply bool // counted from a customer's reply, shown as if at the moment of receipt
}

// weekdayKeys are the keys of calendar hours, Monday first.
var weekdayKeys = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// slaPreview shows the SLA policies and calendars and, when the form was
// sent, the preview (GET /admin/sla?request_type=&priority=&department=&at=);
// admins only. Nothing is stored.
func (h *Handler) slaPreview(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	p := h.desk.Policy()
	pg := &slaPage{page: h.newPage(r, a, "admin_sla_title"), WarnAt: p.SLA.WarnAt}
	for i, sp := range p.SLA.Policies {
		pg.Policies = append(pg.Policies, h.slaPolicyRow(pg.page, p, i+1, &sp))
	}
	for _, c := range p.Calendars {
		pg.Calendars = append(pg.Calendars, newCalendarRow(pg.page, p, c))
	}
	q := r.URL.Query()
	in := desk.SLAQuestion{RequestType: q.Get("request_type"), Priority: q.Get("priority"), Department: q.Get("department"), At: strings.TrimSpace(q.Get("at"))}
	status := http.StatusOK
	var errs fieldErrors
	if _, asked := q["request_type"]; asked {
		pv, err := h.desk.PreviewSLA(a, in)
		switch {
		case fault.Code(err) == fault.Invalid:
			status, errs = http.StatusUnprocessableEntity, fieldsOf(err)
		case err != nil:
			h.fail(w, r, err)
			return
		default:
			pg.Result = h.newSLAResult(pg.page, p, pv)
		}
	}
	if in.At == "" {
		in.At = h.desk.Now().In(p.Location()).Format("2006-01-02T15:04")
	}
	pg.Fields = []formField{
		pg.requestTypeField(p, "sla-request_type", in.RequestType, errs["request_type"]),
		pg.priorityField("sla-priority", in.Priority, "admin_sla_priority_default", errs["priority"]),
		pg.departmentField(p, in.Department, errs["department"]),
	}
	pg.At = formField{ID: "sla-at", Name: "at", Label: pg.Tf("admin_sla_at", p.Location().String()), Help: pg.T("admin_sla_at_help"), Value: in.At, RequiredText: pg.T("required_marker")}
	if errs["at"] != "" {
		// The field's own words: the API's message asks for RFC 3339.
		pg.At.Error = pg.T("admin_sla_at_invalid")
	}
	pg.Errors = summary(append(slices.Clone(pg.Fields), pg.At))
	h.render(w, r, status, "admin_sla", pg)
}

// slaPolicyRow describes an SLA policy for the list.
func (h *Handler) slaPolicyRow(pg page, p *policy.Policy, pos int, sp *sla.Policy) slaPolicyRow {
	row := slaPolicyRow{Position: pos, ID: sp.ID, Name: sp.Name, Calendar: calendarName(pg, sp.Calendar)}
	if ds := sp.When.Departments; len(ds) > 0 {
		var names []string
		for _, d := range ds {
			names = append(names, h.deptName(d, pg.Lang))
		}
		row.AppliesTo = append(row.AppliesTo, pg.Tf("admin_cond_departments", strings.Join(names, ", ")))
	}
	if ts := sp.When.RequestTypes; len(ts) > 0 {
		row.AppliesTo = append(row.AppliesTo, pg.Tf("admin_cond_request_types", requestTypeNames(pg, p, ts)))
	}
	if ps := sp.When.Priorities; len(ps) > 0 {
		var names []string
		for _, x := range ps {
			names = append(names, pg.PriorityName(ticket.Priority(x)))
		}
		row.AppliesTo = append(row.AppliesTo, pg.Tf("admin_cond_priorities", strings.Join(names, ", ")))
	}
	for _, t := range sla.Targets {
		var d period.Period
		switch t {
		case sla.FirstResponse:
			d = sp.FirstResponse
		case sla.NextResponse:
			d = sp.NextResponse
		case sla.Resolution:
			d = sp.Resolution
		}
		switch {
		case !d.IsZero():
			row.Targets = append(row.Targets, pg.T("admin_target_"+string(t))+": "+pg.duration(d))
		case t == sla.FirstResponse:
			row.Targets = append(row.Targets, pg.T("admin_target_"+string(t))+": "+pg.T("admin_sla_request_types_target"))
		}
	}
	e := sp.Escalate
	for _, x := range []struct {
		on  bool
		key string
	}{{e.NotifyLead, "admin_sla_notify_lead"}, {e.RaisePriority, "admin_sla_raise_priority"}, {e.Reassign, "admin_sla_reassign"}} {
		if x.on {
			row.Escalate = append(row.Escalate, pg.T(x.key))
		}
	}
	return row
}

// newCalendarRow describes a calendar for the list.
func newCalendarRow(pg page, p *policy.Policy, c policy.Calendar) calendarRow {
	row := calendarRow{ID: c.ID, Name: c.Name, TimeZone: c.TimeZone, Holidays: c.Holidays, Closed: slices.Sorted(slices.Values(c.Closed))}
	if row.TimeZone == "" {
		row.TimeZone = p.Location().String()
	}
	for _, day := range weekdayKeys {
		dh := dayHours{Day: pg.T("admin_day_" + day)}
		for k, ivs := range c.Hours {
			if strings.EqualFold(strings.TrimSpace(k), day) {
				dh.Hours = strings.Join(ivs, ", ")
			}
		}
		row.Hours = append(row.Hours, dh)
	}
	var dates []string
	for d := range c.Special {
		dates = append(dates, d)
	}
	slices.Sort(dates)
	for _, d := range dates {
		hours := strings.Join(c.Special[d], ", ")
		if hours == "" {
			hours = pg.T("admin_closed")
		}
		row.Special = append(row.Special, strings.TrimSpace(d)+": "+hours)
	}
	return row
}

// newSLAResult describes a preview's service level, with times in the
// calendar's time zone.
func (h *Handler) newSLAResult(pg page, p *policy.Policy, pv *desk.Preview) *slaResult {
	sl := pv.SLA
	loc := sl.Calendar.Location()
	at := func(t time.Time) string { return formatDate(pg.Lang, t.In(loc)) }
	res := &slaResult{
		page:        pg,
		RequestType: pv.RequestType.Name.In(pg.Lang),
		Department:  h.deptName(pv.Route.Department, pg.Lang),
		Priority:    pg.PriorityName(pv.Route.Priority),
		PolicyID:    sl.Policy.ID,
		PolicyName:  sl.Policy.Name,
		Fallback:    !slices.ContainsFunc(p.SLA.Policies, func(x sla.Policy) bool { return x.ID == sl.Policy.ID }),
		Calendar:    calendarName(pg, sl.CalendarID),
		TimeZone:    loc.String(),
		WarnAt:      sl.WarnAt,
		At:          at(pv.At),
		Open:        pv.Open,
		NextOpen:    at(pv.NextOpen),
	}
	for _, t := range pv.Targets {
		res.Targets = append(res.Targets, targetRow{
			Name: pg.T("admin_target_" + string(t.Target)), Duration: pg.duration(t.Length),
			Start: at(t.Start), Due: at(t.Due), Warn: at(t.Warn), FromReply: !t.Received,
		})
	}
	return res
}

// calendarName shows a calendar id; around the clock is said in words.
func calendarName(pg page, id string) string {
	if id == "" || id == sla.AlwaysOpen {
		return pg.T("admin_calendar_24x7")
	}
	return id
}

// duration shows a target length in words with its ISO 8601 form:
// "4 Std. (PT4H)".
func (p page) duration(d period.Period) string {
	var parts []string
	for _, x := range []struct {
		n   int
		key string
	}{{d.Weeks, "admin_unit_weeks"}, {d.Days, "admin_unit_days"}, {d.Hours, "admin_unit_hours"}, {d.Minutes, "admin_unit_minutes"}} {
		if x.n != 0 {
			parts = append(parts, p.Tf(x.key, x.n))
		}
	}
	if len(parts) == 0 {
		return d.String()
	}
	return fmt.Sprintf("%s (%s)", strings.Join(parts, " "), d)
}

// requestTypeNames lists request types by name.
func requestTypeNames(pg page, p *policy.Policy, ids []string) string {
	var names []string
	for _, id := range ids {
		if rt, ok := p.RequestType(id); ok {
			names = append(names, rt.Name.In(pg.Lang))
		} else {
			names = append(names, id)
		}
	}
	return strings.Join(names, ", ")
}

// requestTypeField is the request type select of a preview form.
func (p page) requestTypeField(pol *policy.Policy, id, value, errKey string) formField {
	f := formField{ID: id, Name: "request_type", Label: p.T("field_request_type"), Kind: privacy.KindSelect, Required: true,
		RequiredText: p.T("required_marker"), ChooseText: p.T("choose_option"), Value: value}
	for _, rt := range pol.RequestTypes {
		f.Options = append(f.Options, formOption{Value: rt.ID, Label: rt.Name.In(p.Lang), Selected: rt.ID == value})
	}
	if errKey != "" {
		f.Error = p.T(errKey)
	}
	return f
}

// priorityField is an optional priority select; its empty choice means
// the request type's priority.
func (p page) priorityField(id, value, chooseKey, errKey string) formField {
	f := formField{ID: id, Name: "priority", Label: p.T("admin_priority"), Kind: privacy.KindSelect, ChooseText: p.T(chooseKey), Value: value}
	for _, x := range ticket.Priorities {
		f.Options = append(f.Options, formOption{Value: string(x), Label: p.PriorityName(x), Selected: string(x) == value})
	}
	if errKey != "" {
		f.Error = p.T(errKey)
	}
	return f
}

// departmentField is the optional department select of the SLA preview.
func (p page) departmentField(pol *policy.Policy, value, errKey string) formField {
	f := formField{ID: "sla-department", Name: "department", Label: p.T("admin_department"), Kind: privacy.KindSelect, ChooseText: p.T("admin_sla_department_default"), Value: value}
	for _, d := range pol.Departments {
		f.Options = append(f.Options, formOption{Value: d.ID, Label: d.Name.In(p.Lang), Selected: d.ID == value})
	}
	if errKey != "" {
		f.Error = p.T(errKey)
	}
	return f
}

// summary lists the fields with errors for the error summary.
func summary(fields []formField) []summaryItem {
	var out []summaryItem
	for _, f := range fields {
		if f.Error != "" {
			out = append(out, summaryItem{Href: "#" + f.ID, Label: f.Label, Message: f.Error})
		}
	}
	return out
}
