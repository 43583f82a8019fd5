package api

import (
	"frist/internal/desk"
	"frist/internal/ticket"
)

// messageInput is an agent's public reply or internal note. Status sets the
// ticket's status after it; left out, a public reply waits for the
// customer and a note opens a new ticket.
type messageInput struct {
	Body     string         `json:"body"`
	Internal bool           `json:"internal,omitempty"`
	Status   *ticket.Status `json:"status,omitempty"`
}

// messageCreate adds a reply or note to a ticket.
func (a *API) messageCreate(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	var in messageInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	m, err := a.desk.Reply(c.r.Context(), c.agent, id, desk.ReplyInput{Body: in.Body, Internal: in.Internal, Status: in.Status})
	if err != nil {
		return nil, err
	}
	m.AgentName = c.agent.Name
	return newMessageJSON(a.desk.Policy(), *m), nil
}
