package api

import (
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// holdJSON is a legal hold: on one ticket, or on every ticket of a
// customer. While it is active, nothing it covers is deleted. Only privacy
// officers see holds: the reason is their free text and a customer hold
// names the customer's email address.
type holdJSON struct {
	ID            int64         `json:"id"`
	Active        bool          `json:"active"`
	TicketNumber  *string       `json:"ticket_number"`  // null for a hold on a customer
	CustomerID    *int64        `json:"customer_id"`    // null for a hold on a ticket
	CustomerEmail *string       `json:"customer_email"` // null for a hold on a ticket
	Reason        string        `json:"reason"`
	PlacedBy      *agentRefJSON `json:"placed_by"`
	PlacedAt      string        `json:"placed_at"`
	LiftedBy      *agentRefJSON `json:"lifted_by"`
	LiftedAt      *string       `json:"lifted_at"`
	LiftReason    string        `json:"lift_reason"`
}

func newHoldJSON(p *policy.Policy, h store.Hold) holdJSON {
	out := holdJSON{ID: h.ID, Active: h.LiftedAt.IsZero(), Reason: h.Reason, PlacedAt: stamp(p, h.PlacedAt),
		LiftedAt: maybeStamp(p, h.LiftedAt), LiftReason: h.LiftReason}
	if h.TicketID != 0 {
		n := ticket.FormatNumber(h.TicketID)
		out.TicketNumber = &n
	}
	if h.CustomerID != 0 {
		id, email := h.CustomerID, h.CustomerRef
		out.CustomerID, out.CustomerEmail = &id, &email
	}
	if h.PlacedBy != 0 {
		out.PlacedBy = &agentRefJSON{ID: h.PlacedBy, Name: h.PlacedName}
	}
	if h.LiftedBy != 0 {
		out.LiftedBy = &agentRefJSON{ID: h.LiftedBy, Name: h.LiftedName}
	}
	return out
}

// legalHoldList answers a page of legal holds, newest first (privacy
// officers):
//
//	?active=true|false  (default false: all holds)
//	&limit=1..200 (default 50) &cursor=<next_cursor>
func (a *API) legalHoldList(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "active", "limit", "cursor"); err != nil {
		return nil, err
	}
	var active bool
	switch q.Get("active") {
	case "", "false":
	case "true":
		active = true
	default:
		return nil, fault.Fields("active is true or false.", fault.FieldError{Field: "active", Message: privacy.ErrOption})
	}
	n, err := limit(q)
	if err != nil {
		return nil, err
	}
	hs, next, err := a.desk.Holds(c.r.Context(), c.agent, active, q.Get("cursor"), n)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := list[holdJSON]{Items: make([]holdJSON, 0, len(hs)), NextCursor: next}
	for _, h := range hs {
		out.Items = append(out.Items, newHoldJSON(p, h))
	}
	return out, nil
}

// ticketHoldList answers the legal holds on a ticket and on its customer,
// newest first, in one page (privacy officers).
func (a *API) ticketHoldList(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	hs, err := a.desk.TicketHolds(c.r.Context(), c.agent, id)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := list[holdJSON]{Items: make([]holdJSON, 0, len(hs))}
	for _, h := range hs {
		out.Items = append(out.Items, newHoldJSON(p, h))
	}
	return out, nil
}
