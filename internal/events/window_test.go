package events

import (
	"fmt"
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	w := newWindow(100, time.Minute)
	w.now = func() time.Time { return now }
	id := func(i int) string { return fmt.Sprintf("%032d", i) }
	for i := range 250 {
		w.add(Event{ID: id(i), Kind: KindTicketUpdated, TicketID: int64(i)})
	}
	if _, ok := w.after(id(149)); ok {
		t.Errorf("after(149) found an event beyond the limit of 100")
	}
	got, ok := w.after(id(150))
	if !ok || len(got) != 99 || got[0].TicketID != 151 || got[98].TicketID != 249 {
		t.Fatalf("after(150): ok %v, %d events; want tickets 151 to 249", ok, len(got))
	}
	if got, ok := w.after(id(249)); !ok || len(got) != 0 {
		t.Errorf("after(249): ok %v, %d events; want true and none", ok, len(got))
	}
	if len(w.seq) != 100 {
		t.Errorf("index holds %d ids, want 100", len(w.seq))
	}

	now = now.Add(30 * time.Second)
	w.add(Event{ID: id(250), Kind: KindTicketUpdated, TicketID: 250})
	now = now.Add(31 * time.Second) // the first 100 are now older than a minute
	if _, ok := w.after(id(249)); ok {
		t.Errorf("after(249) found an event older than the window's age")
	}
	if got, ok := w.after(id(250)); !ok || len(got) != 0 {
		t.Errorf("after(250): ok %v, %d events; want true and none", ok, len(got))
	}
	if w.n != 1 || len(w.seq) != 1 {
		t.Errorf("window holds %d entries and %d ids, want 1 each", w.n, len(w.seq))
	}
}
