package events

import "time"

// The resume window: how much a node remembers of the events it delivered,
// so that a client whose connection broke can continue where it stopped.
const (
	// WindowEvents is the most events a node keeps for resuming.
	WindowEvents = 10_000
	// WindowAge is how long a node keeps an event for resuming.
	WindowAge = 10 * time.Minute
)

// window keeps the latest events a hub delivered, in delivery order, for
// Bus.Resume. It is not safe for concurrent use; the hub guards it.
type window struct {
	limit int
	age   time.Duration
	now   func() time.Time

	ring []retained        // grows up to limit, then wraps
	head int               // index in ring of the oldest entry
	n    int               // entries held
	next uint64            // sequence number the next entry gets
	seq  map[string]uint64 // event ID → sequence number, for entries held
}

// retained is an event in the window with when this node delivered it.
type retained struct {
	e  Event
	at time.Time
}

func newWindow(limit int, age time.Duration) *window {
	return &window{limit: limit, age: age, now: time.Now, seq: make(map[string]uint64)}
}

// add appends e, evicting what is too old or too many.
func (w *window) add(e Event) {
	now := w.now()
	w.expire(now)
	if w.n == w.limit {
		w.drop()
	}
	if w.n == len(w.ring) {
		// Grow by doubling until the limit, so a quiet installation does
		// not hold a full window's memory.
		grown := make([]retained, min(max(2*len(w.ring), 64), w.limit))
		for i := range w.n {
			grown[i] = w.ring[(w.head+i)%len(w.ring)]
		}
		w.ring, w.head = grown, 0
	}
	w.ring[(w.head+w.n)%len(w.ring)] = retained{e: e, at: now}
	w.n++
	w.seq[e.ID] = w.next
	w.next++
}

// after returns copies of the events delivered after the event with the
// given ID, oldest first, and whether that ID is still in the window.
func (w *window) after(id string) ([]Event, bool) {
	w.expire(w.now())
	s, ok := w.seq[id]
	if !ok {
		return nil, false
	}
	first := w.next - uint64(w.n) // sequence number of the oldest entry
	skip := int(s-first) + 1
	out := make([]Event, 0, w.n-skip)
	for i := skip; i < w.n; i++ {
		out = append(out, w.ring[(w.head+i)%len(w.ring)].e)
	}
	return out, true
}

// expire drops entries older than the window's age.
func (w *window) expire(now time.Time) {
	for w.n > 0 && now.Sub(w.ring[w.head].at) > w.age {
		w.drop()
	}
}

// drop removes the oldest entry.
func (w *window) drop() {
	old := &w.ring[w.head]
	if s, ok := w.seq[old.e.ID]; ok && s == w.next-uint64(w.n) {
		delete(w.seq, old.e.ID)
	}
	*old = retained{}
	w.head = (w.head + 1) % len(w.ring)
	w.n--
}
