package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"frist/internal/events"
)

// newBusFunc returns a fresh bus for one test; the bus is closed at cleanup.
type newBusFunc func(t *testing.T) events.Bus

// testBus is the conformance suite every Bus passes.
func testBus(t *testing.T, newBus newBusFunc) {
	t.Run("FanOut", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		subs := []*events.Subscription{bus.Subscribe(10), bus.Subscribe(10), bus.Subscribe(10)}
		at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		want := []events.Event{
			{Kind: events.KindTicketCreated, TicketID: 1, Department: "billing", At: at},
			{Kind: events.KindTicketUpdated, TicketID: 1, Department: "billing", At: at, Data: json.RawMessage(`{"status":"open"}`)},
			{Kind: events.KindSLABreach, TicketID: 2, At: at, ID: "given-id"},
		}
		for _, e := range want {
			if err := bus.Publish(t.Context(), e); err != nil {
				t.Fatalf("Publish: %v", err)
			}
		}
		for i, s := range subs {
			got := receive(t, s, len(want))
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(events.Event{}, "ID", "Seq")); diff != "" {
				t.Errorf("subscriber %d: events differ (-want +got):\n%s", i, diff)
			}
			if got[2].ID != "given-id" {
				t.Errorf("subscriber %d: ID = %q, want the given one", i, got[2].ID)
			}
			if got[0].ID == "" || got[0].ID == got[1].ID {
				t.Errorf("subscriber %d: IDs %q and %q, want distinct ones set by Publish", i, got[0].ID, got[1].ID)
			}
		}
	})

	t.Run("DefaultsIDAndAt", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		s := bus.Subscribe(1)
		before := time.Now()
		if err := bus.Publish(t.Context(), events.Event{Kind: events.KindSLAWarning, TicketID: 7}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		got := receive(t, s, 1)[0]
		if len(got.ID) != 32 {
			t.Errorf("ID = %q, want 32 hex digits", got.ID)
		}
		if got.At.Location() != time.UTC || got.At.Before(before.Add(-time.Second)) || got.At.After(time.Now().Add(time.Second)) {
			t.Errorf("At = %v, want about now in UTC", got.At)
		}
	})

	t.Run("SlowSubscriber", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		slow := bus.Subscribe(1) // never read
		fast := bus.Subscribe(100)
		const n = 50
		published := make(chan error, 1)
		go func() {
			for i := range n {
				if err := bus.Publish(context.Background(), events.Event{Kind: events.KindTicketUpdated, TicketID: int64(i)}); err != nil {
					published <- err
					return
				}
			}
			published <- nil
		}()
		select {
		case err := <-published:
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Publish blocked on a slow subscriber")
		}
		got := receive(t, fast, n)
		for i, e := range got {
			if e.TicketID != int64(i) {
				t.Fatalf("fast subscriber: event %d has ticket %d, want events in order", i, e.TicketID)
			}
		}
		if d := fast.Dropped(); d != 0 {
			t.Errorf("fast subscriber dropped %d events, want 0", d)
		}
		// The listener may deliver to the slow subscriber just after the
		// fast one; wait for the count to settle.
		waitFor(t, "slow subscriber drops n-1 events", func() bool { return slow.Dropped() == n-1 })
		if e := <-slow.C; e.TicketID != 0 {
			t.Errorf("slow subscriber kept ticket %d, want the first event (0)", e.TicketID)
		}
	})

	t.Run("SubscriptionClose", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		closed := bus.Subscribe(1)
		open := bus.Subscribe(1)
		closed.Close()
		closed.Close() // idempotent
		if _, ok := <-closed.C; ok {
			t.Fatal("closed subscription received an event, want closed channel")
		}
		if err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated, TicketID: 3}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if got := receive(t, open, 1)[0].TicketID; got != 3 {
			t.Errorf("open subscription got ticket %d, want 3", got)
		}
	})

	t.Run("Close", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		s := bus.Subscribe(1)
		if err := bus.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := bus.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		select {
		case _, ok := <-s.C:
			if ok {
				t.Fatal("received an event after Close, want closed channel")
			}
		case <-time.After(time.Second):
			t.Fatal("subscription channel still open after Close")
		}
		s.Close() // still safe
		if _, ok := <-bus.Subscribe(1).C; ok {
			t.Error("Subscribe after Close: received an event, want closed channel")
		}
		err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated})
		if !errors.Is(err, events.ErrClosed) {
			t.Errorf("Publish after Close: err = %v, want ErrClosed", err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		s := bus.Subscribe(10)
		tests := []struct {
			name    string
			event   events.Event
			wantErr error // nil: any error
		}{
			{"EmptyKind", events.Event{TicketID: 1}, nil},
			{"ReservedKind", events.Event{Kind: events.KindResync}, nil},
			{"DataNotJSON", events.Event{Kind: events.KindTicketUpdated, Data: json.RawMessage(`{"status":`)}, nil},
			{"TooLarge", events.Event{Kind: events.KindTicketUpdated, Data: json.RawMessage(`"` + strings.Repeat("x", events.MaxPayload) + `"`)}, events.ErrTooLarge},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := bus.Publish(t.Context(), tt.event)
				if err == nil {
					t.Fatal("Publish: err = nil, want an error")
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("Publish: err = %v, want %v", err, tt.wantErr)
				}
			})
		}
		// Nothing was delivered: the next event is the first one received.
		if err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated, TicketID: 9}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if got := receive(t, s, 1)[0]; got.TicketID != 9 {
			t.Errorf("received %+v, want only the valid event", got)
		}
	})

	t.Run("LargestPayload", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		s := bus.Subscribe(1)
		e := events.Event{ID: strings.Repeat("0", 32), Kind: events.KindTicketUpdated, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		// Fill Data ("data":"…") so the encoding is exactly MaxPayload bytes.
		pad := events.MaxPayload - len(b) - len(`,"data":""`)
		e.Data = json.RawMessage(`"` + strings.Repeat("x", pad) + `"`)
		tooLarge := e
		tooLarge.Data = json.RawMessage(`"` + strings.Repeat("x", pad+1) + `"`)
		if err := bus.Publish(t.Context(), tooLarge); !errors.Is(err, events.ErrTooLarge) {
			t.Fatalf("Publish of MaxPayload+1 bytes: err = %v, want ErrTooLarge", err)
		}
		if err := bus.Publish(t.Context(), e); err != nil {
			t.Fatalf("Publish of exactly MaxPayload bytes: %v", err)
		}
		if got := receive(t, s, 1)[0]; len(got.Data) != pad+2 {
			t.Errorf("received data of %d bytes, want %d", len(got.Data), pad+2)
		}
	})
}

// testResume is the part of the conformance suite about Bus.Resume.
func testResume(t *testing.T, newBus newBusFunc) {
	t.Run("Replay", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		first := bus.Subscribe(10)
		for i := range 4 {
			if err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketUpdated, TicketID: int64(i + 1)}); err != nil {
				t.Fatalf("Publish: %v", err)
			}
		}
		seen := receive(t, first, 4)
		sub, replay, ok := bus.Resume(seen[1].ID, 10)
		defer sub.Close()
		if !ok {
			t.Fatalf("Resume after the second event: ok = false, want true")
		}
		if diff := cmp.Diff(seen[2:], replay); diff != "" {
			t.Errorf("replay differs from the events after the second (-want +got):\n%s", diff)
		}
		if err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketUpdated, TicketID: 5}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if got := receive(t, sub, 1)[0]; got.TicketID != 5 {
			t.Errorf("live event after the replay: ticket %d, want 5", got.TicketID)
		}

		_, replay, ok = bus.Resume(seen[3].ID, 10)
		if !ok || len(replay) != 1 || replay[0].TicketID != 5 {
			t.Errorf("Resume after the fourth event: ok %v, replay %+v; want the fifth event only", ok, replay)
		}
	})

	t.Run("UnknownID", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		sub, replay, ok := bus.Resume("00000000000000000000000000000000", 10)
		defer sub.Close()
		if ok || len(replay) != 0 {
			t.Fatalf("Resume with an unknown id: ok %v, %d replayed; want false and none", ok, len(replay))
		}
		// The subscription is live all the same.
		if err := bus.Publish(t.Context(), events.Event{Kind: events.KindTicketCreated, TicketID: 9}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if got := receive(t, sub, 1)[0]; got.TicketID != 9 {
			t.Errorf("received ticket %d, want 9", got.TicketID)
		}
	})

	// Race resumes while events are being published: every resumed client
	// sees each later event exactly once, in order, whether it came by
	// replay or live.
	t.Run("Race", func(t *testing.T) {
		t.Parallel()
		bus := newBus(t)
		const n = 1500
		watch := bus.Subscribe(n)
		go func() {
			for i := range n {
				if err := bus.Publish(context.Background(), events.Event{Kind: events.KindTicketUpdated, TicketID: int64(i)}); err != nil {
					return
				}
			}
		}()
		type resumed struct {
			from   int64
			sub    *events.Subscription
			replay []events.Event
		}
		var all []resumed
		for _, e := range receive(t, watch, n) {
			if e.TicketID%100 != 0 || e.TicketID == n-1 {
				continue
			}
			sub, replay, ok := bus.Resume(e.ID, n)
			if !ok {
				t.Fatalf("Resume after ticket %d: ok = false", e.TicketID)
			}
			defer sub.Close()
			all = append(all, resumed{e.TicketID, sub, replay})
		}
		for _, r := range all {
			got := r.replay
			if rest := n - 1 - int(r.from) - len(got); rest > 0 {
				got = append(got, receive(t, r.sub, rest)...)
			}
			for i, e := range got {
				if want := r.from + 1 + int64(i); e.TicketID != want {
					t.Fatalf("resumed after %d (%d replayed): event %d is ticket %d, want %d", r.from, len(r.replay), i, e.TicketID, want)
				}
				// Seq counts deliveries: the replay lies before the
				// subscription's Start, the live events from it on.
				if i > 0 && e.Seq != got[i-1].Seq+1 {
					t.Fatalf("resumed after %d: event %d has Seq %d after %d, want consecutive numbers", r.from, i, e.Seq, got[i-1].Seq)
				}
				if live := i >= len(r.replay); live != (e.Seq >= r.sub.Start()) {
					t.Fatalf("resumed after %d: event %d (live %v) has Seq %d, subscription starts at %d", r.from, i, live, e.Seq, r.sub.Start())
				}
			}
			select {
			case e := <-r.sub.C:
				t.Errorf("resumed after %d: extra event for ticket %d", r.from, e.TicketID)
			default:
			}
		}
	})
}

func TestMemory(t *testing.T) {
	newBus := func(t *testing.T) events.Bus {
		bus := events.NewMemory()
		t.Cleanup(func() { bus.Close() })
		return bus
	}
	testBus(t, newBus)
	testResume(t, newBus)
}

// receive reads n events from s, failing the test if they do not arrive
// within a few seconds.
func receive(t *testing.T, s *events.Subscription, n int) []events.Event {
	t.Helper()
	var got []events.Event
	timeout := time.After(5 * time.Second)
	for len(got) < n {
		select {
		case e, ok := <-s.C:
			if !ok {
				t.Fatalf("subscription closed after %d of %d events", len(got), n)
			}
			got = append(got, e)
		case <-timeout:
			t.Fatalf("received %d of %d events within 5s", len(got), n)
		}
	}
	return got
}

// waitFor polls cond until it holds, failing the test after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestChannel(t *testing.T) {
	t.Parallel()
	if got := events.Channel(""); got != events.DefaultChannel {
		t.Errorf("Channel(\"\") = %q, want DefaultChannel", got)
	}
	seen := map[string]string{}
	for _, ns := range []string{"", "public", "frist", "t_1", "t_2", strings.Repeat("x", 200)} {
		c := events.Channel(ns)
		if c != events.Channel(ns) {
			t.Errorf("Channel(%q) is not deterministic", ns)
		}
		if len(c) > 63 {
			t.Errorf("Channel(%q) = %q, want at most 63 bytes", ns, c)
		}
		if other, ok := seen[c]; ok {
			t.Errorf("Channel(%q) = Channel(%q) = %q, want distinct channels", ns, other, c)
		}
		seen[c] = ns
	}
}
