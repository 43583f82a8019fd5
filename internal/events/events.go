// Package events owns Frist's live-update bus: small notices that something
// happened to a ticket ("ticket.created", "sla.breach" …), fanned out to every
// subscriber on every node so that queues and the dashboard update without a
// reload.
//
// A single-process installation on SQLite uses the in-process bus from
// NewMemory. Several nodes on one PostgreSQL use NewPostgres, which carries
// events over LISTEN/NOTIFY, so an event published on one node reaches the
// subscribers of all nodes.
//
// Events are hints, not records: a subscriber whose buffer is full loses
// events (counted by Subscription.Dropped), and a node whose listener
// connection breaks loses what was published meanwhile (announced by a
// KindResync event). A view that notices either reloads its state from the
// store.
//
// Events never carry personal data (see Event).
package events

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Event kinds published by Frist.
const (
	KindTicketCreated  = "ticket.created"  // a ticket was submitted
	KindTicketUpdated  = "ticket.updated"  // status, priority or messages changed
	KindTicketAssigned = "ticket.assigned" // the ticket got another agent or department
	KindSLAWarning     = "sla.warning"     // an SLA deadline is near
	KindSLABreach      = "sla.breach"      // an SLA deadline has passed
	// KindTicketPresence says an agent is viewing or replying to a
	// ticket (collision warning); it names the agent (see Event).
	KindTicketPresence = "ticket.presence"
)

// KindResync is never published; a bus delivers it to its local subscribers
// when events may have been lost, for instance after the PostgreSQL listener
// reconnected. Subscribers should reload their state. Publish refuses it.
const KindResync = "events.resync"

// MaxPayload is the largest JSON encoding of an event, in bytes, that Publish
// accepts. PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; both
// buses enforce the same limit so that code tested on one works on the other.
const MaxPayload = 7900

// Errors returned by buses.
var (
	// ErrClosed is returned by Publish after Close.
	ErrClosed = errors.New("event bus closed")
	// ErrTooLarge is returned by Publish when the encoded event exceeds
	// MaxPayload bytes.
	ErrTooLarge = errors.New("event too large")
)

// Event is a notice that something happened to a ticket.
//
// Events never carry personal data: only ticket ids, departments, statuses,
// deadlines and similar facts. No names, email addresses, subjects or message
// text — events travel through PostgreSQL (where NOTIFY payloads may reach
// server logs) and to every connected agent regardless of role and masking,
// so anything in an event must be fit for everyone to see. The one
// exception is staff data for the collision warning: KindTicketPresence
// carries the id and display name of the agent who is on the ticket, which
// every colleague may see anyway — never anything of the customer.
type Event struct {
	// ID identifies the event uniquely: 32 hex digits (128 random bits).
	// Publish sets it when empty.
	ID string `json:"id"`
	// Kind is what happened, one of the Kind constants. Required.
	Kind string `json:"kind"`
	// TicketID is the ticket concerned, or 0 when none.
	TicketID int64 `json:"ticket_id,omitempty"`
	// Department is the department the ticket belongs to, so that views can
	// filter; empty when none.
	Department string `json:"department,omitempty"`
	// At is when it happened, in UTC. Publish sets it to the current time
	// when zero; use cases pass their transaction's time.
	At time.Time `json:"at"`
	// Data holds further details as a JSON value, e.g. {"status":"open"}.
	// It must be valid JSON when set and, like the rest, free of personal
	// data.
	Data json.RawMessage `json:"data,omitempty"`
	// Seq is the position in which this node's bus delivered the event,
	// counting from 1: later events have greater numbers. It is set on
	// delivery, is not part of the event's JSON and differs between
	// nodes. Subscription.Start relates a subscription to it.
	Seq uint64 `json:"-"`
}

// Bus delivers published events to every subscriber. Implementations are safe
// for concurrent use.
type Bus interface {
	// Publish sends e to all subscribers, on all nodes. It sets e.ID and
	// e.At when they are empty. It never waits for subscribers. It returns
	// an error when e.Kind is empty or reserved, e.Data is not valid JSON,
	// ErrTooLarge when the encoded event exceeds MaxPayload, ErrClosed after
	// Close, or the database error that prevented sending. Subscribers
	// receive the event as its JSON encoding decodes, whichever bus is used.
	// Publish after the change has committed: subscribers may reload as
	// soon as they receive the event.
	Publish(ctx context.Context, e Event) error
	// Subscribe returns a subscription whose channel receives every event
	// the bus delivers from now on, holding up to buffer undelivered events
	// (values below 1 mean 1). The caller must Close it when done.
	Subscribe(buffer int) *Subscription
	// Resume is Subscribe for a client that saw the event with ID lastID
	// and lost its connection. The bus keeps the events it delivered on
	// this node in the last WindowAge, at most WindowEvents of them (its
	// own and those from other nodes, which arrive with the same IDs).
	// When lastID is among them, Resume returns, in delivery order, every
	// event delivered after it, and ok is true; the subscription's channel
	// then receives every later event — no gap between the two and no
	// event in both. When lastID is unknown (too old, or never seen here),
	// replay is empty and ok false: the client should reload its state.
	// The caller must Close the subscription either way.
	Resume(lastID string, buffer int) (sub *Subscription, replay []Event, ok bool)
	// Close stops the bus and closes the channels of all subscriptions.
	// It is safe to call more than once.
	Close() error
}

// Subscription receives events from a Bus.
type Subscription struct {
	// C receives the events in the order this node received them. It is
	// closed by Close and when the bus closes. When the subscriber does not
	// keep up and the buffer is full, further events are dropped for this
	// subscription only and counted by Dropped.
	C <-chan Event

	c       chan Event
	hub     *hub
	start   uint64
	dropped atomic.Uint64
	once    sync.Once
}

// Dropped returns how many events were dropped for this subscription because
// its buffer was full. A subscriber that sees the number grow should reload
// its state.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Start returns the Seq of the first event C receives: every event the bus
// delivered before has a smaller Seq (and is in Resume's replay when it
// came after lastID), every later one a Seq of at least Start.
func (s *Subscription) Start() uint64 { return s.start }

// Close ends the subscription and closes C; events already buffered can still
// be read. It is safe to call more than once and concurrently with delivery.
func (s *Subscription) Close() {
	s.once.Do(func() { s.hub.remove(s) })
}

// hub fans events out to local subscriptions; both buses use it.
//
// deliver holds the read lock while it sends (without blocking), and closing
// a channel takes the write lock, so no send ever hits a closed channel.
// deliver also records the event in the resume window; resume reads the
// window and adds its subscription under the write lock, so every event is
// either in its replay or sent to its channel, never both. Deliveries are
// serialised by order, so the window's order is the order every channel
// sees.
type hub struct {
	order  sync.Mutex // held by deliver
	mu     sync.RWMutex
	subs   map[*Subscription]struct{}
	win    *window // written by deliver under order and mu.RLock, read under mu.Lock
	seq    uint64  // Seq of the last delivered event; like win
	closed bool
}

func newHub() *hub {
	return &hub{subs: make(map[*Subscription]struct{}), win: newWindow(WindowEvents, WindowAge)}
}

func (h *hub) subscribe(buffer int) *Subscription {
	s, _, _ := h.resume("", buffer)
	return s
}

// resume adds a subscription and, when lastID is not empty, returns the
// window's events after it.
func (h *hub) resume(lastID string, buffer int) (*Subscription, []Event, bool) {
	c := make(chan Event, max(buffer, 1))
	s := &Subscription{C: c, c: c, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	s.start = h.seq + 1
	var replay []Event
	ok := false
	if lastID != "" {
		replay, ok = h.win.after(lastID)
	}
	if h.closed {
		close(c)
		return s, replay, ok
	}
	h.subs[s] = struct{}{}
	return s, replay, ok
}

func (h *hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.c)
	}
}

// deliver sends e to every subscription that has room and counts a drop for
// every other one.
func (h *hub) deliver(e Event) {
	h.order.Lock()
	defer h.order.Unlock()
	h.mu.RLock()
	defer h.mu.RUnlock()
	h.seq++
	e.Seq = h.seq
	h.win.add(e)
	for s := range h.subs {
		select {
		case s.c <- e:
		default:
			s.dropped.Add(1)
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for s := range h.subs {
		close(s.c)
	}
	clear(h.subs)
}

// encode completes e (ID, At in UTC), validates it and returns its JSON
// encoding, which is what travels between nodes.
func encode(e Event) ([]byte, error) {
	switch e.Kind {
	case "":
		return nil, errors.New("publish: kind is empty")
	case KindResync:
		return nil, fmt.Errorf("publish: kind %s is reserved", e.Kind)
	}
	if e.ID == "" {
		e.ID = newID()
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC()
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("publish %s: encode: %w", e.Kind, err)
	}
	if len(b) > MaxPayload {
		return nil, fmt.Errorf("publish %s: %d bytes: %w", e.Kind, len(b), ErrTooLarge)
	}
	return b, nil
}

// decode is the inverse of encode.
func decode(b []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(b, &e); err != nil {
		return Event{}, fmt.Errorf("decode event: %w", err)
	}
	if e.Kind == "" {
		return Event{}, errors.New("decode event: kind is empty")
	}
	return e, nil
}

// newID returns 128 random bits as 32 hex digits.
func newID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails; see crypto/rand.Read
	return hex.EncodeToString(b[:])
}

// resync returns the event that tells subscribers to reload.
func resync() Event {
	return Event{ID: newID(), Kind: KindResync, At: time.Now().UTC()}
}
