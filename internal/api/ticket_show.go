package api

import (
	"frist/internal/fault"
	"frist/internal/ticket"
)

// ticketID reads the {number} path value, e.g. F-100042. Malformed numbers
// are simply not found.
func ticketID(c *call) (int64, error) {
	id, err := ticket.ParseNumber(c.r.PathValue("number"))
	if err != nil {
		return 0, fault.Errorf(fault.NotFound, "Ticket not found.")
	}
	return id, nil
}

// ticketShow answers one ticket with conversation, history and consent
// records; sensitive fields are masked for trainees.
func (a *API) ticketShow(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	return a.ticketDetail(c, id)
}

func (a *API) ticketDetail(c *call, id int64) (any, error) {
	v, err := a.desk.Ticket(c.r.Context(), c.agent, id)
	if err != nil {
		return nil, err
	}
	out := newTicketDetailJSON(a.desk.Policy(), c.agent, v, c.lang)
	a.withRetention(&out.ticketJSON, v.Ticket, c.lang)
	return out, nil
}
