package api

import (
	"slices"
	"time"

	"frist/internal/desk"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// list is the shape of every list answer. NextCursor is empty on the last
// page; pass it as ?cursor= for the next one.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// ticketJSON is a ticket as lists show it.
type ticketJSON struct {
	Number           string          `json:"number"`
	Subject          string          `json:"subject"`
	Status           ticket.Status   `json:"status"`
	Priority         ticket.Priority `json:"priority"`
	Department       string          `json:"department"`
	RequestType      string          `json:"request_type"`
	Language         string          `json:"language"`
	Customer         customerJSON    `json:"customer"`
	Assignee         *agentRefJSON   `json:"assignee"`
	CreatedAt        string          `json:"created_at"`
	UpdatedAt        string          `json:"updated_at"`
	FirstResponseDue string          `json:"first_response_due"`
	FirstResponseAt  *string         `json:"first_response_at"`
	ClosedAt         *string         `json:"closed_at"`
	SLA              *ticketSLAJSON  `json:"sla"` // null for tickets received before SLA policies
	Tags             []string        `json:"tags"`
	// Deletion is the ticket's retention schedule (see retention_json.go).
	Deletion *ticketDeletionJSON `json:"deletion"`
	// EarliestDeletionAt and LatestDeletionAt repeat deletion.due and
	// deletion.latest at the top level: the end of the retention period
	// and the end of the tolerated delay of the deletion run (null while
	// pending).
	EarliestDeletionAt *string `json:"earliest_deletion_at"`
	LatestDeletionAt   *string `json:"latest_deletion_at"`
}

// customerJSON is who sent the request.
type customerJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// agentRefJSON names an agent.
type agentRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ticketDetailJSON is one ticket with everything its page shows.
type ticketDetailJSON struct {
	ticketJSON
	NoticeVersion   string          `json:"notice_version"`
	AllowedStatuses []ticket.Status `json:"allowed_statuses"`
	Fields          []fieldJSON     `json:"fields"`
	Messages        []messageJSON   `json:"messages"`
	History         []changeJSON    `json:"history"`
	Consents        []consentJSON   `json:"consents"`
	SLAHistory      []slaEventJSON  `json:"sla_history"`
	// Masking says what the caller's role sees masked (ticket_reveal.go).
	Masking maskingJSON `json:"masking"`
}

// fieldJSON is one form field's value on a ticket. A value the caller's
// role sees masked is a label such as "[Zahlungsart]" with masked set;
// hidden fields are not listed.
type fieldJSON struct {
	ID       string           `json:"id"`
	Label    string           `json:"label"`
	Category privacy.Category `json:"category"`
	Value    string           `json:"value"`
	Masked   bool             `json:"masked"`
}

// messageJSON is one message of a conversation.
type messageJSON struct {
	ID         int64             `json:"id"`
	Author     ticket.Author     `json:"author"`
	AgentName  string            `json:"agent_name,omitempty"`
	Visibility ticket.Visibility `json:"visibility"`
	Body       string            `json:"body"`
	CreatedAt  string            `json:"created_at"`
	// Files attached to the message; empty in search hits.
	Attachments []attachmentJSON `json:"attachments"`
	// PII is the personal data the policy masked or flagged in the
	// message (for the first message, in the subject too).
	PII []piiJSON `json:"pii"`
}

// changeJSON is one entry of a ticket's history.
type changeJSON struct {
	Field  string `json:"field"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"` // the rule or strategy that decided, e.g. "rule:vip", "sla:first_response"
	Actor  string `json:"actor"`
	At     string `json:"at"`
}

// consentJSON is one consent record: what the customer confirmed, when.
type consentJSON struct {
	NoticeVersion string        `json:"notice_version"`
	NoticeHash    string        `json:"notice_hash"`
	Language      string        `json:"language"`
	Accepted      bool          `json:"accepted"`
	At            string        `json:"at"`
	Purposes      []purposeJSON `json:"purposes"`
}

// purposeJSON is the answer to one optional purpose.
type purposeJSON struct {
	Purpose string `json:"purpose"`
	Granted bool   `json:"granted"`
}

// stamp formats a time in the organisation's time zone as RFC 3339.
func stamp(p *policy.Policy, t time.Time) string {
	return t.In(p.Location()).Format(time.RFC3339)
}

// maybeStamp is stamp with nil for the zero time.
func maybeStamp(p *policy.Policy, t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := stamp(p, t)
	return &s
}

func newTicketJSON(p *policy.Policy, t *ticket.Ticket) ticketJSON {
	out := ticketJSON{
		Number:           t.Number(),
		Subject:          t.Subject,
		Status:           t.Status,
		Priority:         t.Priority,
		Department:       t.Department,
		RequestType:      t.RequestType,
		Language:         t.Language,
		Customer:         customerJSON{Name: t.Customer.Name, Email: t.Customer.Email},
		CreatedAt:        stamp(p, t.CreatedAt),
		UpdatedAt:        stamp(p, t.UpdatedAt),
		FirstResponseDue: stamp(p, t.FirstResponseDue),
		FirstResponseAt:  maybeStamp(p, t.FirstResponseAt),
		ClosedAt:         maybeStamp(p, t.ClosedAt),
		SLA:              newTicketSLAJSON(p, t.SLA),
		Tags:             t.Tags,
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if t.AssigneeID != 0 {
		out.Assignee = &agentRefJSON{ID: t.AssigneeID, Name: t.Assignee}
	}
	return out
}

func newMessageJSON(p *policy.Policy, m ticket.Message) messageJSON {
	return messageJSON{ID: m.ID, Author: m.Author, AgentName: m.AgentName, Visibility: m.Visibility, Body: m.Body, CreatedAt: stamp(p, m.CreatedAt), Attachments: []attachmentJSON{}, PII: newPIIJSON(m.PII)}
}

// newTicketDetailJSON renders a ticket view for an agent, masking what the
// agent's role may not see.
func newTicketDetailJSON(p *policy.Policy, a *desk.Agent, v *desk.TicketView, lang string) ticketDetailJSON {
	t := v.Ticket
	out := ticketDetailJSON{
		ticketJSON:      newTicketJSON(p, t),
		NoticeVersion:   t.NoticeVersion,
		AllowedStatuses: ticket.Next(t.Status),
		Fields:          []fieldJSON{},
		Messages:        []messageJSON{},
		History:         []changeJSON{},
		Consents:        []consentJSON{},
		SLAHistory:      []slaEventJSON{},
		Masking:         newMaskingJSON(v.Masking),
	}
	for _, e := range v.SLA {
		out.SLAHistory = append(out.SLAHistory, newSLAEventJSON(p, e))
	}
	if out.AllowedStatuses == nil {
		out.AllowedStatuses = []ticket.Status{}
	}
	cat := p.Catalogue()
	for _, id := range fieldOrder(p, t) {
		f := fieldJSON{ID: id, Label: id, Value: t.Fields[id]}
		if at, ok := cat.Attribute(id); ok {
			f.Label, f.Category = at.Label.In(lang), at.Category
		}
		f.Masked = v.Masking.Fields[id] == privacy.Masked
		out.Fields = append(out.Fields, f)
	}
	for _, m := range v.Messages {
		mj := newMessageJSON(p, m)
		mj.Attachments = newAttachmentsJSON(t.Number(), v.Attachments[m.ID])
		out.Messages = append(out.Messages, mj)
	}
	for _, c := range v.Changes {
		out.History = append(out.History, changeJSON{Field: c.Field, From: c.From, To: c.To, Reason: c.Reason, Actor: c.Actor, At: stamp(p, c.CreatedAt)})
	}
	for _, c := range v.Consents {
		cj := consentJSON{NoticeVersion: c.NoticeVersion, NoticeHash: c.NoticeHash, Language: c.Language, Accepted: c.Accepted, At: stamp(p, c.At), Purposes: []purposeJSON{}}
		for _, x := range c.Purposes {
			cj.Purposes = append(cj.Purposes, purposeJSON{Purpose: x.Purpose, Granted: x.Granted})
		}
		out.Consents = append(out.Consents, cj)
	}
	return out
}

// fieldOrder lists a ticket's fields in the order its request type
// declares them, then any others (from an older policy) by name.
func fieldOrder(p *policy.Policy, t *ticket.Ticket) []string {
	var ids []string
	seen := map[string]bool{}
	if rt, ok := p.RequestType(t.RequestType); ok {
		for _, f := range rt.Fields {
			if _, ok := t.Fields[f.ID]; ok {
				ids = append(ids, f.ID)
				seen[f.ID] = true
			}
		}
	}
	var rest []string
	for id := range t.Fields {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	return append(ids, rest...)
}
