package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// streamed is returned by handlers that wrote their answer themselves.
type streamed struct{}

// heartbeat keeps idle event streams open through proxies.
const heartbeat = 20 * time.Second

// eventStream streams ticket events as server-sent events, filtered to the
// departments the caller may see: one "event:" line with the kind and one
// "data:" line with the event as JSON (ids, departments, statuses — never
// personal data). Events published on any node arrive. A client that
// reconnects, or gets an "events.resync" event, reloads what it shows.
func (a *API) eventStream(c *call) (any, error) {
	flusher, ok := c.w.(http.Flusher)
	if !ok {
		return nil, fmt.Errorf("event stream: response cannot flush")
	}
	sub := a.desk.Events().Subscribe(256)
	defer sub.Close()
	h := c.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c.w.WriteHeader(http.StatusOK)
	fmt.Fprint(c.w, ": frist events\n\n")
	flusher.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-c.r.Context().Done():
			return streamed{}, nil
		case <-a.draining:
			return streamed{}, nil
		case <-tick.C:
			fmt.Fprint(c.w, ": heartbeat\n\n")
			flusher.Flush()
		case e, ok := <-sub.C:
			if !ok {
				return streamed{}, nil
			}
			if e.Department != "" && c.agent.Departments != nil && !slices.Contains(c.agent.Departments, e.Department) {
				continue
			}
			b, err := json.Marshal(e)
			if err != nil {
				continue
			}
			fmt.Fprintf(c.w, "id: %s\nevent: %s\ndata: %s\n\n", e.ID, e.Kind, b)
			flusher.Flush()
		}
	}
}
