package api

import (
	"strconv"
	"strings"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/ticket"
)

// holdInput places a legal hold on a ticket or on every ticket of a
// customer: exactly one of ticket_number and customer_email.
type holdInput struct {
	TicketNumber  string `json:"ticket_number,omitempty"`
	CustomerEmail string `json:"customer_email,omitempty"`
	Reason        string `json:"reason"`
}

// legalHoldCreate places a legal hold (privacy officers; audited). The
// tickets it covers are kept until it is lifted.
func (a *API) legalHoldCreate(c *call) (any, error) {
	var in holdInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	var target desk.HoldTarget
	switch n, e := strings.TrimSpace(in.TicketNumber), strings.TrimSpace(in.CustomerEmail); {
	case (n == "") == (e == ""):
		return nil, fault.Fields("Name either a ticket_number or a customer_email.", fault.FieldError{Field: "ticket_number", Message: "required"})
	case n != "":
		id, err := ticket.ParseNumber(n)
		if err != nil {
			return nil, fault.Fields("This is not a ticket number.", fault.FieldError{Field: "ticket_number", Message: "invalid_format"})
		}
		target.TicketID = id
	default:
		target.CustomerEmail = e
	}
	h, err := a.desk.PlaceHold(c.r.Context(), c.agent, target, in.Reason)
	if err != nil {
		return nil, err
	}
	h.PlacedName = c.agent.Name
	if target.CustomerEmail != "" {
		h.CustomerRef = strings.ToLower(target.CustomerEmail)
	}
	return newHoldJSON(a.desk.Policy(), h), nil
}

// liftInput lifts a legal hold; the reason is required.
type liftInput struct {
	Reason string `json:"reason"`
}

// legalHoldLift lifts an active legal hold (privacy officers; audited)
// and answers it. Lifting a lifted hold is a conflict.
func (a *API) legalHoldLift(c *call) (any, error) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, fault.Errorf(fault.NotFound, "Legal hold not found.")
	}
	var in liftInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	h, err := a.desk.LiftHold(c.r.Context(), c.agent, id, in.Reason)
	if err != nil {
		return nil, err
	}
	h.LiftedName = c.agent.Name
	return newHoldJSON(a.desk.Policy(), h), nil
}
