package events

import (
	"context"
	"fmt"
	"sync/atomic"
)

// memory is the in-process Bus.
type memory struct {
	hub    *hub
	closed atomic.Bool
}

// NewMemory returns a Bus that delivers events within this process only: for
// a single node on SQLite, and for tests.
func NewMemory() Bus {
	return &memory{hub: newHub()}
}

// Publish implements Bus. The event goes through the same JSON encoding as on
// PostgreSQL, so subscribers see identical events on both buses.
func (m *memory) Publish(ctx context.Context, e Event) error {
	if m.closed.Load() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	b, err := encode(e)
	if err != nil {
		return err
	}
	e, err = decode(b)
	if err != nil {
		return err
	}
	m.hub.deliver(e)
	return nil
}

// Subscribe implements Bus.
func (m *memory) Subscribe(buffer int) *Subscription {
	return m.hub.subscribe(buffer)
}

// Close implements Bus.
func (m *memory) Close() error {
	m.closed.Store(true)
	m.hub.close()
	return nil
}

// Resume implements Bus.
func (m *memory) Resume(lastID string, buffer int) (*Subscription, []Event, bool) {
	return m.hub.resume(lastID, buffer)
}
