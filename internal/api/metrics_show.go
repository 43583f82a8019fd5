package api

import (
	"fmt"
	"net/http"
	"strings"

	"frist/internal/privacy"
)

// metricsShow answers retention and compliance gauges in the Prometheus
// text exposition format (version 0.0.4), written by hand: a handful of
// numbers need no client library. Administrators and privacy officers
// only (desk checks), by bearer token or session. The only label is the
// severity of compliance items, so no metric can carry personal data.
func (a *API) metricsShow(c *call) (any, error) {
	s, err := a.desk.RetentionStatus(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	gauge := func(name, help string, v int) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
	}
	gauge("frist_retention_overdue_objects", "Tickets past their latest deletion date and not under a legal hold: a compliance breach.", s.Overdue)
	gauge("frist_retention_due_objects", "Tickets past their deletion date and not under a legal hold, waiting for the retention sweeper.", s.DueNow)
	gauge("frist_retention_restricted_tickets", "Tickets whose processing is restricted (GDPR Art. 18).", s.Restricted)
	gauge("frist_retention_held_tickets", "Tickets kept by a legal hold.", s.Held)
	cs, err := a.desk.Compliance(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "# HELP frist_compliance_open_items Open items of the compliance status (frist compliance check), by severity.\n# TYPE frist_compliance_open_items gauge\n")
	for _, sev := range []privacy.Severity{privacy.SeverityError, privacy.SeverityWarning} {
		fmt.Fprintf(&b, "frist_compliance_open_items{severity=%q} %d\n", sev, cs.Count(sev))
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write([]byte(b.String()))
	return streamed{}, nil
}
