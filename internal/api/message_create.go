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
	// Attachments of the reply or note, base64-encoded.
	Attachments []attachmentInput `json:"attachments,omitempty"`
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
	files, err := decodeUploads(in.Attachments)
	if err != nil {
		return nil, err
	}
	m, err := a.desk.Reply(c.r.Context(), c.agent, id, desk.ReplyInput{Body: in.Body, Internal: in.Internal, Status: in.Status, Attachments: files})
	if err != nil {
		return nil, uploadError(err)
	}
	m.AgentName = c.agent.Name
	out := newMessageJSON(a.desk.Policy(), *m)
	if len(files) > 0 {
		list, err := a.desk.MessageAttachments(c.r.Context(), c.agent, id, m.ID)
		if err != nil {
			return nil, err
		}
		out.Attachments = newAttachmentsJSON(ticket.FormatNumber(id), list)
	}
	return out, nil
}
