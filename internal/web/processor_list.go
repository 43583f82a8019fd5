package web

import (
	"net/http"
	"strings"
	"time"

	"frist/internal/desk"
	"frist/internal/privacy"
)

// processorListPage is the register of processors, a page at a time, and
// the integrations that send them data.
type processorListPage struct {
	page
	CanEdit      bool // administrators; privacy officers read
	Notice       string
	Rows         []processorRow
	NextHref     string
	FirstHref    string
	Integrations []integrationRow
}

// processorRow is one processor of the register.
type processorRow struct {
	ID         string
	Href       string
	Provider   string
	Service    string
	Categories string
	Country    string // code and status
	AVV        string // signed, until, document
	State      string // the AVV's state, translated
	StateClass string // badge class
	Transfer   string
}

// integrationRow is one outbound integration with its processor's state.
type integrationRow struct {
	ID            string
	Kind          string
	Host          string
	Processor     string
	ProcessorHref string // "" when the processor is not registered
	Enabled       bool
	Status        string
	StatusClass   string
}

func init() { pageNames = append(pageNames, "admin_processors", "admin_processor_edit") }

// processorList shows the register (GET /admin/processors?cursor=):
// administrators and privacy officers.
func (h *Handler) processorList(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	ctx := r.Context()
	q := r.URL.Query()
	cursor := q.Get("cursor")
	ps, next, err := h.desk.Processors(ctx, a, cursor, 25)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	integrations, err := h.desk.Integrations(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := &processorListPage{page: h.newPage(r, a, "processors_title"), CanEdit: desk.CanAdminister(a)}
	for _, key := range []string{"created", "saved", "deleted"} {
		if id := q.Get(key); id != "" && privacy.ValidID(id) {
			pg.Notice = pg.Tf("processors_"+key, id)
		}
	}
	pg.NextHref, pg.FirstHref, _ = listLinks("/admin/processors", nil, cursor, next)
	p := h.desk.Policy()
	now := h.desk.Now()
	for i := range ps {
		x := &ps[i]
		row := processorRow{ID: x.ID, Href: "/admin/processors/" + x.ID, Provider: x.Provider, Service: x.Service.In(pg.Lang),
			Country: x.Country + " – " + x.CountryStatus(now).Describe(pg.Lang), AVV: pg.avvSummary(x.AVV), Transfer: pg.transferSummary(x.Country, x.DPFCertified, x.Transfer, now)}
		var cats []string
		for _, c := range x.Categories {
			cats = append(cats, pg.CategoryName(c))
		}
		row.Categories = strings.Join(cats, ", ")
		state, _ := x.AVVState(now, p.Location())
		row.State, row.StateClass = pg.T("avv_state_"+string(state)), avvBadge(state)
		pg.Rows = append(pg.Rows, row)
	}
	findings := map[string]string{}
	for _, f := range p.Findings(now) {
		findings[f.Object] = f.Code
	}
	for _, in := range integrations {
		row := integrationRow{ID: in.ID, Kind: in.Kind.Describe(pg.Lang), Host: in.Host, Processor: in.Processor, Enabled: in.Enabled}
		if _, ok := p.Processor(in.Processor); ok {
			row.ProcessorHref = "/admin/processors/" + in.Processor
		}
		switch code := findings[privacy.IntegrationObject(in.ID)]; {
		case !in.Enabled:
			row.Status, row.StatusClass = pg.T("integration_disabled"), "badge"
		case code == privacy.FindUnknownProcessor:
			row.Status, row.StatusClass = pg.T("integration_unknown_processor"), "badge badge-overdue"
		case code == privacy.FindNoValidAVV:
			row.Status, row.StatusClass = pg.T("integration_avv_invalid"), "badge badge-overdue"
		case code == privacy.FindOverride:
			row.Status, row.StatusClass = pg.T("integration_override"), "badge badge-note"
		default:
			row.Status, row.StatusClass = pg.T("integration_ok"), "badge badge-ok"
		}
		pg.Integrations = append(pg.Integrations, row)
	}
	h.render(w, r, http.StatusOK, "admin_processors", pg)
}

// avvBadge returns the badge class of an AVV state.
func avvBadge(s privacy.AVVState) string {
	switch s {
	case privacy.AVVValid:
		return "badge badge-ok"
	case privacy.AVVExpiring:
		return "badge badge-note"
	}
	return "badge badge-overdue"
}

// avvSummary describes an AVV in one line.
func (p page) avvSummary(x privacy.AVV) string {
	if x.SignedOn == "" {
		return p.T("avv_none")
	}
	s := p.Tf("avv_signed", x.SignedOn)
	if x.ValidUntil == "" {
		s += ", " + p.T("avv_open_ended")
	} else {
		s += ", " + p.Tf("avv_until", x.ValidUntil)
	}
	if x.Document != "" {
		s += "; " + p.Tf("avv_document", x.Document)
	}
	return s
}

// transferSummary names the transfer mechanism, or says why none is
// needed or that one is missing.
func (p page) transferSummary(country string, dpf bool, t *privacy.Transfer, now time.Time) string {
	switch {
	case t != nil:
		return t.Mechanism.Describe(p.Lang)
	case privacy.StatusOf(country, dpf, now) == privacy.StatusThirdCountry:
		return p.T("transfer_missing")
	}
	return p.T("transfer_not_needed")
}
