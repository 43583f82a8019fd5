package web

import (
	"context"
	"strings"

	"frist/internal/desk"
	"frist/internal/privacy"
)

// compliancePanel lists the open items of the compliance status, with a
// link to where each is mended; the admin page and the privacy overview
// show it (template compliance_panel), the dashboard a one-line warning.
type compliancePanel struct {
	Errors   int
	Warnings int
	Items    []complianceItem
}

// complianceItem is one open item.
type complianceItem struct {
	Error bool   // severity error, else warning
	Text  string // in the page's language
	Href  string // where to mend it
	Code  string
}

func init() {
	for _, name := range []string{"admin", "privacy"} {
		pagePartials[name] = append(pagePartials[name], "compliance_panel")
	}
}

// compliancePanel returns the panel for the agent, nil for agents who may
// not see the compliance status.
func (h *Handler) compliancePanel(ctx context.Context, pg page, a *desk.Agent) (*compliancePanel, error) {
	if !desk.CanReadRegister(a) {
		return nil, nil
	}
	c, err := h.desk.Compliance(ctx, a)
	if err != nil {
		return nil, err
	}
	p := &compliancePanel{Errors: c.Count(privacy.SeverityError), Warnings: c.Count(privacy.SeverityWarning)}
	for _, f := range c.Items {
		p.Items = append(p.Items, complianceItem{Error: f.Severity == privacy.SeverityError, Text: f.Text.In(pg.Lang), Href: findingHref(f), Code: f.Code})
	}
	return p, nil
}

// findingHref returns the page where a finding's object is mended.
func findingHref(f privacy.Finding) string {
	kind, id, _ := strings.Cut(f.Object, ":")
	switch kind {
	case "processor":
		return "/admin/processors/" + id
	case "integration":
		return "/admin/processors#integration-" + id
	}
	return "/privacy"
}
