package api_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sseFrame is one server-sent event as a client sees it.
type sseFrame struct {
	id, event, data string
}

// openStream connects to the event stream as who with extra headers and
// returns its frames and the "retry:" value.
func (e *env) openStream(t *testing.T, who, query string, header ...string) (<-chan sseFrame, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/events"+query, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stream: %v %v", resp, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	frames := make(chan sseFrame, 100)
	retry := make(chan string, 1)
	go func() {
		defer close(frames)
		sc := bufio.NewScanner(resp.Body)
		var f sseFrame
		for sc.Scan() {
			line := sc.Text()
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "":
				if f.event != "" {
					frames <- f
				}
				f = sseFrame{}
			case "retry":
				retry <- v
			case "id":
				f.id = v
			case "event":
				f.event = v
			case "data":
				f.data = v
			}
		}
	}()
	select {
	case r := <-retry:
		return frames, r
	case <-time.After(5 * time.Second):
		t.Fatal("no retry: line within 5s")
	}
	return nil, ""
}

// nextFrames reads n frames, failing after a few seconds.
func nextFrames(t *testing.T, frames <-chan sseFrame, n int) []sseFrame {
	t.Helper()
	var got []sseFrame
	timeout := time.After(5 * time.Second)
	for len(got) < n {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatalf("stream ended after %d of %d frames", len(got), n)
			}
			got = append(got, f)
		case <-timeout:
			t.Fatalf("received %d of %d frames within 5s: %+v", len(got), n, got)
		}
	}
	return got
}

// TestEventStreamResume reconnects with Last-Event-ID: the stream replays
// what the client missed, filtered to its departments, then continues live
// without repeating anything; an unknown ID gets events.resync.
func TestEventStreamResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	watch, retry := e.openStream(t, "agent", "")
	if retry != "3000" {
		t.Errorf("retry: %q, want 3000", retry)
	}
	e.MustSubmit(t, e.Request("general_question"))
	e.MustSubmit(t, e.Request("invoice_question"))
	e.MustSubmit(t, e.Request("general_question"))
	seen := nextFrames(t, watch, 3)
	for _, f := range seen {
		if f.event != "ticket.created" || len(f.id) != 32 || !strings.Contains(f.data, `"id":"`+f.id+`"`) {
			t.Fatalf("frame %+v, want ticket.created with its id", f)
		}
	}

	t.Run("LastEventIDHeader", func(t *testing.T) {
		frames, _ := e.openStream(t, "agent", "", "Last-Event-ID", seen[0].id)
		got := nextFrames(t, frames, 2)
		if got[0].id != seen[1].id || got[1].id != seen[2].id {
			t.Fatalf("replayed %+v, want the second and third event", got)
		}
		e.MustSubmit(t, e.Request("general_question"))
		if live := nextFrames(t, frames, 1)[0]; live.event != "ticket.created" || live.id == seen[2].id {
			t.Errorf("after the replay: %+v, want the new ticket's event", live)
		}
	})

	t.Run("QueryAndDepartments", func(t *testing.T) {
		// The billing agent sees only the invoice question (billing).
		frames, _ := e.openStream(t, "billing", "?last_event_id="+seen[0].id)
		got := nextFrames(t, frames, 1)[0]
		if got.id != seen[1].id || !strings.Contains(got.data, `"department":"billing"`) {
			t.Fatalf("replayed %+v, want only the billing event", got)
		}
		select {
		case f := <-frames:
			if strings.Contains(f.data, `"department":"support"`) {
				t.Errorf("billing agent received %+v", f)
			}
		case <-time.After(200 * time.Millisecond):
		}
	})

	t.Run("UnknownID", func(t *testing.T) {
		frames, _ := e.openStream(t, "agent", "", "Last-Event-ID", strings.Repeat("0", 32))
		if got := nextFrames(t, frames, 1)[0]; got.event != "events.resync" || got.id != "" {
			t.Errorf("first frame %+v, want events.resync without an id", got)
		}
	})
}
