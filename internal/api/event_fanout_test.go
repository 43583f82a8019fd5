package api_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"frist/internal/api"
	"frist/internal/config"
	"frist/internal/events"
)

// TestEventStreamTakenOver checks the answer of an HTTP/1.1 stream, which
// the shared writers serve: a plain 200 with the event-stream header that
// ends with the connection, and no security header lost.
func TestEventStreamTakenOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["agent"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != 200 || resp.ProtoMajor != 1 || !resp.Close || resp.ContentLength != -1 || len(resp.TransferEncoding) != 0 {
		t.Errorf("status %d, %s, close %v, length %d, encoding %v; want 200, HTTP/1.1, close, no length, no chunks", resp.StatusCode, resp.Proto, resp.Close, resp.ContentLength, resp.TransferEncoding)
	}
	for k, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Accel-Buffering": "no"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	e.MustSubmit(t, e.Request("general_question"))
	timeout := time.After(5 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("stream ended without the ticket's event")
			}
			if l == "event: ticket.created" {
				return
			}
		case <-timeout:
			t.Fatal("no ticket.created within 5s")
		}
	}
}

// TestEventStreamStuckClient connects a client that never reads next to
// one that does, and publishes far more than the socket buffers hold: the
// reading client receives everything, and the server disconnects the
// stuck one instead of waiting for it.
func TestEventStreamStuckClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	stuck, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	fmt.Fprintf(stuck, "GET /api/v1/events HTTP/1.1\r\nHost: frist.test\r\nAuthorization: Bearer %s\r\n\r\n", e.tokens["agent"])
	// The stuck client is connected once its answer's first bytes arrive.
	stuck.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := stuck.Read(make([]byte, 12)); err != nil {
		t.Fatalf("stuck client: %v", err)
	}

	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["agent"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	const n = 1500
	last := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.Contains(sc.Text(), fmt.Sprintf(`"ticket_id":%d,`, n)) {
				last <- nil
				return
			}
			if sc.Text() == "event: "+events.KindResync {
				last <- fmt.Errorf("reading client got %s", events.KindResync)
				return
			}
		}
		last <- fmt.Errorf("stream ended: %v", sc.Err())
	}()

	// About 7 KB each: 10 MB in all.
	data := []byte(`{"padding":"` + strings.Repeat("x", 7000) + `"}`)
	for i := range n {
		ev := events.Event{Kind: events.KindTicketUpdated, TicketID: int64(i + 1), Department: "support", Data: data}
		if err := e.Desk.Events().Publish(t.Context(), ev); err != nil {
			t.Fatalf("publish: %v", err)
		}
	}
	select {
	case err := <-last:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the reading client did not receive the last event within 20s")
	}
	// The stuck client finds its connection closed after what the
	// buffers held.
	stuck.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.Copy(io.Discard, stuck)
	if err != nil {
		t.Fatalf("stuck client after %d bytes: %v, want the server to close the connection", got, err)
	}
	if got >= int64(n)*7000 {
		t.Errorf("stuck client read %d bytes, want less than everything", got)
	}
}

// TestEventStreamDrain ends taken-over streams when the server drains, and
// closes streams that open afterwards at once.
func TestEventStreamDrain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := api.New(api.Options{Desk: e.Desk})
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["agent"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !resp.Close {
		t.Fatal("the stream was not taken over by the shared writers")
	}
	a.Drain()
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, resp.Body)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("stream ended with %v, want a clean end", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("stream still open 5s after Drain")
	}
	// A stream that opens after Drain is closed before it answers.
	req, _ = http.NewRequest("GET", srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["agent"])
	if late, err := http.DefaultClient.Do(req); err == nil {
		late.Body.Close()
		t.Errorf("stream opened after Drain: %s, want the connection closed", late.Status)
	}
}

// TestEventStreamHTTP2 serves a stream that cannot be taken over (HTTP/2)
// with a goroutine of its own, filtered the same way.
func TestEventStreamHTTP2(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := config.Config{BaseURL: "http://frist.test", MaxBodyBytes: 64 << 10, LoginRateLimit: 1000}
	h, err := serverHandler(cfg, e, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["billing"])
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ProtoMajor != 2 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%s %s, want an HTTP/2 event stream", resp.Proto, resp.Header.Get("Content-Type"))
	}
	data := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				data <- d
			}
		}
	}()
	e.MustSubmit(t, e.Request("general_question"))
	e.MustSubmit(t, e.Request("invoice_question"))
	select {
	case d := <-data:
		if !strings.Contains(d, `"department":"billing"`) {
			t.Errorf("billing agent received %s, want only the billing event", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
}
