package api

import (
	"fmt"
	"net/http"
	"time"

	"frist/internal/events"
)

// streamed is returned by handlers that wrote their answer themselves.
type streamed struct{}

// Event stream settings.
const (
	// heartbeat keeps idle event streams open through proxies.
	heartbeat = 20 * time.Second
	// reconnectMillis is the "retry:" the stream asks browsers to wait
	// before they reconnect.
	reconnectMillis = 3000
	// streamBuffer is how many events a stream holds while its client is
	// slow. Each connected agent costs its size times about 100 bytes, so
	// it is kept small; a stream that drops events tells its client to
	// reload (events.resync).
	streamBuffer = 32
)

// eventStream streams ticket events as server-sent events, filtered to the
// departments the caller may see: an "id:" line with the event's ID, an
// "event:" line with the kind and a "data:" line with the event as JSON
// (ids, departments, statuses — never customer data). Events published on
// any node arrive. HTTP/1.1 streams are handed to the shared writers
// (event_fanout.go); others keep their request's goroutine.
//
// A client that reconnects sends the ID it saw last as Last-Event-ID (or
// ?last_event_id=): the stream first replays what this node delivered
// after it (see events.Bus.Resume), then continues live. When that ID is
// unknown or the stream had to drop events, it sends "events.resync": the
// client reloads what it shows.
func (a *API) eventStream(c *call) (any, error) {
	lastID := c.r.Header.Get("Last-Event-ID")
	if lastID == "" {
		lastID = c.r.URL.Query().Get("last_event_id")
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	if conn, head, ok := takeOver(c); ok {
		a.fanout().join(conn, head, lastID, c.agent.Departments)
		return streamed{}, nil
	}

	// A stream that cannot be taken over keeps this goroutine.
	flusher, ok := c.w.(http.Flusher)
	if !ok {
		return nil, fmt.Errorf("event stream: response cannot flush")
	}
	bus := a.desk.Events()
	var sub *events.Subscription
	var replay []events.Event
	resync := false
	if lastID == "" {
		sub = bus.Subscribe(streamBuffer)
	} else {
		sub, replay, ok = bus.Resume(lastID, streamBuffer)
		resync = !ok
	}
	defer sub.Close()

	c.w.WriteHeader(http.StatusOK)
	fmt.Fprintf(c.w, ": frist events\nretry: %d\n\n", reconnectMillis)
	s := stream{w: c.w, departments: c.agent.Departments}
	if resync {
		c.w.Write(resyncFrame)
	}
	for _, e := range replay {
		s.send(e)
	}
	flusher.Flush()

	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	var dropped uint64
	for {
		select {
		case <-c.r.Context().Done():
			return streamed{}, nil
		case <-a.draining:
			return streamed{}, nil
		case <-tick.C:
			c.w.Write(heartbeatFrame)
			flusher.Flush()
		case e, ok := <-sub.C:
			if !ok {
				return streamed{}, nil
			}
			if d := sub.Dropped(); d != dropped {
				// Events were lost while this client was slow.
				dropped = d
				c.w.Write(resyncFrame)
			}
			if s.send(e) {
				flusher.Flush()
			}
		}
	}
}

// stream writes events for one subscriber that has a goroutine of its own.
type stream struct {
	w           http.ResponseWriter
	departments []string // nil: all
}

// send writes e unless the subscriber may not see its department, and says
// whether it wrote.
func (s stream) send(e events.Event) bool {
	if !mayWatch(s.departments, e.Department) {
		return false
	}
	b := eventFrame(e)
	if b == nil {
		return false
	}
	s.w.Write(b)
	return true
}
