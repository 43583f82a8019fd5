package store

import (
	"context"
	"sync"
)

// writeGate hands SQLite's single writer to one transaction at a time,
// foreground transactions (intake, agents) before background ones (the
// retention sweeper, search index merges), each kind in arrival order.
// database/sql's pool, which the writer connection also is, hands a
// released connection to a random waiter: with the sweeper and a merge
// step both queued, intake waited behind both, and those waits made the
// tail of intake latency during a sweep. Behind the gate a foreground
// transaction waits for at most the one transaction that holds the
// writer.
type writeGate struct {
	mu     sync.Mutex
	held   bool
	fg, bg []chan struct{} // waiters; a send hands the writer over
}

// acquire waits until the caller holds the writer or ctx ends.
func (g *writeGate) acquire(ctx context.Context, background bool) error {
	g.mu.Lock()
	// Not held means nobody waits: release hands over while any do.
	if !g.held {
		g.held = true
		g.mu.Unlock()
		return nil
	}
	c := make(chan struct{}, 1)
	if background {
		g.bg = append(g.bg, c)
	} else {
		g.fg = append(g.fg, c)
	}
	g.mu.Unlock()
	select {
	case <-c:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		removed := g.remove(c, background)
		g.mu.Unlock()
		if !removed {
			// Handed over while ctx ended: pass it on.
			<-c
			g.release()
		}
		return ctx.Err()
	}
}

// remove takes c out of its queue and reports whether it was still there.
func (g *writeGate) remove(c chan struct{}, background bool) bool {
	q := &g.fg
	if background {
		q = &g.bg
	}
	for i, w := range *q {
		if w == c {
			*q = append((*q)[:i], (*q)[i+1:]...)
			return true
		}
	}
	return false
}

// release hands the writer to the next waiter, foreground first.
func (g *writeGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	var next chan struct{}
	switch {
	case len(g.fg) > 0:
		next, g.fg = g.fg[0], g.fg[1:]
	case len(g.bg) > 0:
		next, g.bg = g.bg[0], g.bg[1:]
	default:
		g.held = false
		return
	}
	next <- struct{}{}
}
