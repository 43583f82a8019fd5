package api

import (
	"bytes"
	"encoding/json"

	"frist/internal/desk"
	"frist/internal/ticket"
)

// ticketPatch changes a ticket; keys left out stay as they are.
type ticketPatch struct {
	Status     *ticket.Status   `json:"status,omitempty"`
	Priority   *ticket.Priority `json:"priority,omitempty"`
	Department *string          `json:"department,omitempty"`
	AssigneeID optionalID       `json:"assignee_id,omitzero"` // null unassigns
	// Tags replace the ticket's tags; retention rules may match them.
	Tags *[]string `json:"tags,omitempty"`
}

// optionalID tells a missing key from null: null (or 0) unassigns.
type optionalID struct {
	Set bool
	ID  int64
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(b, []byte("null")) {
		o.ID = 0
		return nil
	}
	return json.Unmarshal(b, &o.ID)
}

// MarshalJSON implements json.Marshaler.
func (o optionalID) MarshalJSON() ([]byte, error) {
	if o.ID == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(o.ID)
}

// ticketUpdate changes status, priority, department or assignee in one
// transaction and records each change in the history. A forbidden status
// change or an unknown value changes nothing.
func (a *API) ticketUpdate(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	var in ticketPatch
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	u := desk.TicketUpdate{Status: in.Status, Priority: in.Priority, Department: in.Department}
	if in.AssigneeID.Set {
		u.AssigneeID = &in.AssigneeID.ID
	}
	if in.Tags != nil {
		// Tags are checked first: a bad tag changes nothing at all.
		if err := a.checkTags(*in.Tags); err != nil {
			return nil, err
		}
	}
	if u != (desk.TicketUpdate{}) {
		if _, err := a.desk.UpdateTicket(c.r.Context(), c.agent, id, u); err != nil {
			return nil, err
		}
	}
	if in.Tags != nil {
		if _, err := a.desk.SetTags(c.r.Context(), c.agent, id, *in.Tags); err != nil {
			return nil, err
		}
	}
	return a.ticketDetail(c, id)
}
