package api

import (
	"frist/internal/desk"
	"frist/internal/ticket"
)

// routingPreviewInput is a request as the intake would receive it, without
// the customer's name, email and consent.
type routingPreviewInput struct {
	RequestType string            `json:"request_type"`
	Subject     string            `json:"subject,omitempty"`
	Message     string            `json:"message,omitempty"`
	Language    string            `json:"language,omitempty"` // "de" or "en"; default from Accept-Language
	Priority    string            `json:"priority,omitempty"` // default the request type's
	Fields      map[string]string `json:"fields,omitempty"`
}

// routingPreviewJSON says where a request would go and why, and the
// service level it would get if it came in now.
type routingPreviewJSON struct {
	Rule       *ruleRefJSON    `json:"rule"` // null: no rule matched, the request type's department
	Department string          `json:"department"`
	Priority   ticket.Priority `json:"priority"`
	Skills     []string        `json:"skills"`
	Reason     string          `json:"reason"`
	SLA        slaPreviewJSON  `json:"sla"`
}

// ruleRefJSON names a routing rule.
type ruleRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// routingPreview answers POST /api/v1/routing/preview: which routing rule
// would match the request, with exactly intake's computation.
// Administrators only; nothing is stored, and the request's text is
// neither logged nor echoed.
func (a *API) routingPreview(c *call) (any, error) {
	var in routingPreviewInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	lang := in.Language
	if lang == "" {
		lang = c.lang
	}
	pv, err := a.desk.PreviewRouting(c.agent, desk.RoutingQuestion{RequestType: in.RequestType, Subject: in.Subject, Message: in.Message, Language: lang, Priority: in.Priority, Fields: in.Fields})
	if err != nil {
		return nil, err
	}
	r := pv.Route
	out := routingPreviewJSON{Department: r.Department, Priority: r.Priority, Skills: r.Skills, Reason: r.Explain(), SLA: newSLAPreviewJSON(pv)}
	if out.Skills == nil {
		out.Skills = []string{}
	}
	if rule := r.Decision.Rule; rule != nil {
		out.Rule = &ruleRefJSON{ID: rule.ID, Name: rule.Name}
	}
	return out, nil
}
