package store

import (
	"context"
	"testing"
	"time"
)

// A released writer goes to the waiting foreground transaction even when
// background ones queued first, and to the background ones in order.
func TestWriteGateForegroundFirst(t *testing.T) {
	var g writeGate
	ctx := context.Background()
	if err := g.acquire(ctx, true); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 3)
	wait := func(name string, background bool) {
		go func() {
			if err := g.acquire(ctx, background); err != nil {
				t.Error(err)
				return
			}
			got <- name
			g.release()
		}()
	}
	waiters := func(fg, bg int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			g.mu.Lock()
			n, m := len(g.fg), len(g.bg)
			g.mu.Unlock()
			if n == fg && m == bg {
				return
			}
		}
		t.Fatalf("waiters never reached %d foreground, %d background", fg, bg)
	}
	wait("bg1", true)
	waiters(0, 1)
	wait("bg2", true)
	waiters(0, 2)
	wait("fg", false)
	waiters(1, 2)
	g.release()
	for _, want := range []string{"fg", "bg1", "bg2"} {
		if name := <-got; name != want {
			t.Fatalf("writer went to %s, want %s", name, want)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.held || len(g.fg)+len(g.bg) != 0 {
		t.Fatalf("gate not free after all released: held %v, %d+%d waiting", g.held, len(g.fg), len(g.bg))
	}
}

// A waiter whose context ends leaves the queue; the writer still reaches
// the next one.
func TestWriteGateCancel(t *testing.T) {
	var g writeGate
	if err := g.acquire(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- g.acquire(ctx, false) }()
	for {
		g.mu.Lock()
		n := len(g.fg)
		g.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("acquire with an ended context succeeded")
	}
	g.release()
	done := make(chan struct{})
	go func() {
		if err := g.acquire(context.Background(), true); err != nil {
			t.Error(err)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("writer lost after a cancelled waiter")
	}
}
