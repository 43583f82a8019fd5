// Package ticket owns the helpdesk vocabulary: tickets, customers, messages,
// their history, and the documented life cycle with its transitions.
//
// Types that carry personal data (Customer, Message, Ticket) implement
// slog.LogValuer so that only their IDs ever reach a log.
package ticket

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"frist/internal/pii"
	"frist/internal/privacy"
	"frist/internal/sla"
)

// Status is a step in the ticket life cycle.
type Status string

// The life cycle; see docs/lifecycle.md.
const (
	New      Status = "new"      // received, nobody has worked on it yet
	Open     Status = "open"     // an agent is working on it
	Waiting  Status = "waiting"  // waiting for the customer's answer
	Resolved Status = "resolved" // answered; the customer may still reply
	Closed   Status = "closed"   // finished; a customer reply reopens it
)

// Statuses lists all statuses in life-cycle order.
var Statuses = []Status{New, Open, Waiting, Resolved, Closed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// transitions lists for each status the statuses an agent may move a ticket
// to. A customer reply reopens waiting, resolved and closed tickets (see
// AfterCustomerReply); a customer may close their own ticket.
var transitions = map[Status][]Status{
	New:      {Open, Waiting, Resolved, Closed},
	Open:     {Waiting, Resolved, Closed},
	Waiting:  {Open, Resolved, Closed},
	Resolved: {Open, Closed},
	Closed:   {Open},
}

// Next returns the statuses an agent may move a ticket from s to.
func Next(s Status) []Status { return transitions[s] }

// CanTransition reports whether an agent may move a ticket from one status
// to another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// AfterCustomerReply returns the status a ticket takes when its customer
// writes: a ticket waiting for them, resolved or closed is reopened; new and
// open tickets stay as they are.
func AfterCustomerReply(s Status) Status {
	switch s {
	case Waiting, Resolved, Closed:
		return Open
	}
	return s
}

// Priority orders tickets by urgency.
type Priority string

// Priorities.
const (
	Low    Priority = "low"
	Normal Priority = "normal"
	High   Priority = "high"
	Urgent Priority = "urgent"
)

// Priorities lists all priorities from lowest to highest.
var Priorities = []Priority{Low, Normal, High, Urgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	for _, x := range Priorities {
		if p == x {
			return true
		}
	}
	return false
}

// Customer is the person who sent a request.
type Customer struct {
	ID       int64
	Name     string // contact data
	Email    string // contact data, stored lower-cased
	Language string // "de" or "en"
}

// LogValue logs only the ID.
func (c Customer) LogValue() slog.Value { return slog.Int64Value(c.ID) }

// Ticket is one request and its handling.
type Ticket struct {
	ID          int64
	RequestType string // id of the request type in the policy
	Department  string // id of the department in the policy
	Status      Status
	Priority    Priority
	Subject     string // request content
	Language    string // language the customer wrote in: "de" or "en"
	Customer    Customer
	AssigneeID  int64  // 0 when unassigned
	Assignee    string // display name of the assignee, when loaded
	Fields      map[string]string

	CreatedAt        time.Time
	UpdatedAt        time.Time
	FirstResponseDue time.Time // the deadline promised at intake
	FirstResponseAt  time.Time // zero until the first public agent reply
	ClosedAt         time.Time // zero unless closed

	NoticeVersion string // privacy notice version confirmed at intake

	SLA *sla.State // the SLA clocks; nil for tickets received before SLA policies existed

	Tags []string // agents' tags, sorted; retention rules may match them
	// Retention is the deletion schedule: rule, dates, field expiries.
	Retention    privacy.Schedule
	Restricted   bool      // GDPR Art. 18: only privacy officers see it
	Held         bool      // a legal hold suspends every deletion
	AnonymisedAt time.Time // zero unless anonymised
}

// Number returns the ticket number shown to people.
func (t *Ticket) Number() string { return FormatNumber(t.ID) }

// LogValue logs only the number.
func (t *Ticket) LogValue() slog.Value { return slog.StringValue(t.Number()) }

// numberOffset keeps ticket numbers at six digits or more and unlike
// small counts.
const numberOffset = 100000

// FormatNumber formats a ticket ID as a ticket number, e.g. "F-100042".
func FormatNumber(id int64) string { return "F-" + strconv.FormatInt(id+numberOffset, 10) }

// ParseNumber returns the ticket ID of a ticket number. It accepts the
// number with or without the "F-" prefix.
func ParseNumber(s string) (int64, error) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "F-")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= numberOffset {
		return 0, fmt.Errorf("invalid ticket number")
	}
	return n - numberOffset, nil
}

// Visibility says who may read a message.
type Visibility string

// Visibilities.
const (
	Public   Visibility = "public"   // the customer sees it
	Internal Visibility = "internal" // internal note, agents only
)

// Author says who wrote a message.
type Author string

// Authors.
const (
	ByCustomer Author = "customer"
	ByAgent    Author = "agent"
	BySystem   Author = "system"
)

// Message is one entry in a ticket's conversation.
type Message struct {
	ID         int64
	TicketID   int64
	Visibility Visibility
	Author     Author
	AgentID    int64  // the agent who wrote it, for ByAgent
	AgentName  string // display name, when loaded
	Body       string // request content
	CreatedAt  time.Time
	// PII is the personal data found in the message (for the first
	// message, in the subject too) that the policy masked or flagged: kind,
	// action and how often, never the value.
	PII []pii.Count
}

// LogValue logs only the ID.
func (m Message) LogValue() slog.Value { return slog.Int64Value(m.ID) }

// Change is one entry in a ticket's history: who changed which attribute
// from what to what. Values are ids and enum values, never free text.
type Change struct {
	ID        int64
	TicketID  int64
	ActorID   int64  // 0 for the customer or the system
	Actor     string // display name when loaded: agent name, "customer", "system"
	Field     string // status, priority, department, assignee, created, routed
	From, To  string
	Reason    string // which rule or strategy decided, e.g. "rule:vip" or "strategy:round_robin"
	CreatedAt time.Time
}
