package api

import "frist/internal/privacy"

// complianceShow answers the compliance status (GET /api/v1/compliance;
// administrators and privacy officers): "ok" with no items, or "open"
// with every open item, errors first. Monitoring can watch it.
func (a *API) complianceShow(c *call) (any, error) {
	s, err := a.desk.Compliance(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	out := complianceJSON{Status: "ok", At: stamp(a.desk.Policy(), s.At), Errors: s.Count(privacy.SeverityError), Warnings: s.Count(privacy.SeverityWarning),
		Items: make([]findingJSON, 0, len(s.Items))}
	if s.Open() {
		out.Status = "open"
	}
	for _, f := range s.Items {
		out.Items = append(out.Items, findingJSON{Code: f.Code, Severity: f.Severity, Object: f.Object, Message: f.Text.In(c.lang), Text: f.Text})
	}
	return out, nil
}
