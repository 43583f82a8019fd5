package api

import (
	"time"

	"frist/internal/desk"
)

// presenceInput reports what the caller is doing on a ticket.
type presenceInput struct {
	Activity string `json:"activity"` // viewing or replying
}

// presenceJSON is another agent on the same ticket.
type presenceJSON struct {
	AgentID  int64     `json:"agent_id"`
	Name     string    `json:"name"`
	Activity string    `json:"activity"`
	Until    time.Time `json:"until"`
}

// presenceCreate records that the caller is viewing or replying to a ticket
// for the next 40 seconds, tells the other agents through the event stream
// (ticket.presence), and answers who else is on the ticket.
func (a *API) presenceCreate(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	var in presenceInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	others, err := a.desk.ReportPresence(c.r.Context(), c.agent, id, in.Activity)
	if err != nil {
		return nil, err
	}
	return newPresenceJSON(others), nil
}

func newPresenceJSON(ps []desk.Presence) []presenceJSON {
	out := make([]presenceJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, presenceJSON{AgentID: p.AgentID, Name: p.Name, Activity: p.Activity, Until: p.Until})
	}
	return out
}
