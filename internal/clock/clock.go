// Package clock owns Frist's notion of time: one injectable Clock for the
// whole process, and the test clock that an admin may set and advance on an
// installation started with --test-clock.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time. All times are UTC.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns the current UTC time.
func (Real) Now() time.Time { return time.Now().UTC() }

// Test is a clock whose time runs with the wall clock from an offset that
// can be set and advanced. The zero value behaves like Real.
type Test struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns wall time plus the offset.
func (c *Test) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().UTC().Add(c.offset)
}

// Set moves the clock so that Now returns t (and runs on from there).
func (c *Test) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

// Offset returns the current offset from the wall clock.
func (c *Test) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// SetOffset sets the offset from the wall clock, e.g. when restoring a
// persisted test clock.
func (c *Test) SetOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = d
}

// Fixed is a clock that always returns the same time; for unit tests.
type Fixed time.Time

// Now returns the fixed time.
func (f Fixed) Now() time.Time { return time.Time(f).UTC() }
