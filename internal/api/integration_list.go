package api

import "frist/internal/privacy"

// integrationList answers the outbound integrations the policy declares,
// each with its state now (GET /api/v1/integrations; administrators and
// privacy officers). They are few and not paged.
func (a *API) integrationList(c *call) (any, error) {
	ins, err := a.desk.Integrations(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	states := map[string]string{}
	for _, f := range a.desk.Policy().Findings(a.desk.Now()) {
		switch f.Code {
		case privacy.FindUnknownProcessor:
			states[f.Object] = "unknown_processor"
		case privacy.FindNoValidAVV:
			states[f.Object] = "avv_invalid"
		case privacy.FindOverride:
			states[f.Object] = "override"
		}
	}
	out := list[integrationJSON]{Items: make([]integrationJSON, 0, len(ins))}
	for _, in := range ins {
		x := integrationJSON{ID: in.ID, Kind: in.Kind, Host: in.Host, Processor: in.Processor, Enabled: in.Enabled, State: "disabled"}
		if in.Override != nil {
			x.AVVOverride = &overrideJSON{Reason: in.Override.Reason, Until: maybeString(in.Override.Until)}
		}
		if in.Enabled {
			x.State = "ok"
			if s, ok := states[privacy.IntegrationObject(in.ID)]; ok {
				x.State = s
			}
		}
		out.Items = append(out.Items, x)
	}
	return out, nil
}
