package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Paths of the event stream on the target and of the bare broadcast server.
const (
	pathEvents    = "/api/v1/events"
	pathBroadcast = "/broadcast"
	pathStream    = "/stream"
)

// FanoutOptions configures a fan-out run: many connected event-stream
// subscribers, tickets created one at a time, and the time from each
// ticket's creation to its event arriving at each subscriber.
type FanoutOptions struct {
	Target      string        // base URL of the Frist server
	Tokens      []string      // API tokens; subscriber i uses Tokens[i % len(Tokens)], so agents with different departments filter differently
	Subscribers int           // connected event streams
	Tickets     int           // tickets created, one at a time
	Interval    time.Duration // pause between tickets, so that each fan-out is measured on its own
	Baseline    bool          // also measure a bare SSE broadcast to as many loopback clients
	// BaselineTarget is the base URL of a bare broadcast server started
	// separately (frist loadtest --scenario broadcast-server), for runs
	// whose two ends of every connection would not fit the file
	// descriptor limit of one process. Empty: the baseline runs in this
	// process.
	BaselineTarget string
	ServerPID      int    // when set, the Frist server's resident memory is read from /proc before and after the subscribers connect
	Seed           uint64 // seed of the request generator
}

// FanoutResult is the report of a fan-out run. Latencies are in
// milliseconds from the event's "at" (set when the ticket was committed) to
// its arrival at a subscriber.
type FanoutResult struct {
	Subscribers int     `json:"subscribers"`
	Tickets     int     `json:"tickets"`
	Deliveries  int     `json:"deliveries"` // ticket.created events received, over all subscribers
	Resyncs     int     `json:"resyncs"`    // events.resync received: events dropped for slow subscribers
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	Max         float64 `json:"max_ms"`
	// IdleBytesPerSubscriber is the growth of the server's resident memory
	// while the subscribers connected, divided by their number; set when
	// ServerPID was given.
	IdleBytesPerSubscriber *float64 `json:"idle_bytes_per_subscriber,omitempty"`
	BaselineDeliveries     *int     `json:"baseline_deliveries,omitempty"`
	BaselineP50            *float64 `json:"baseline_p50_ms,omitempty"`
	BaselineP99            *float64 `json:"baseline_p99_ms,omitempty"`
	Ratio                  *float64 `json:"ratio,omitempty"` // P99 / BaselineP99
}

func (o FanoutOptions) validate() error {
	switch {
	case o.Target == "":
		return errors.New("loadtest: no target")
	case len(o.Tokens) == 0:
		return errors.New("loadtest: fan-out needs at least one API token")
	case o.Subscribers <= 0 || o.Tickets <= 0:
		return errors.New("loadtest: subscribers and tickets must be positive")
	}
	return nil
}

// Fanout connects o.Subscribers event streams to o.Target, creates
// o.Tickets tickets through the public intake, one every o.Interval, and
// measures when each subscriber receives each ticket.created event; with
// o.Baseline it measures a bare SSE broadcast of as many messages to as
// many loopback clients the same way. Every stream is a file descriptor at
// both ends; Go raises a process's soft open-file limit to the hard limit
// at start, which must cover the subscribers.
func Fanout(ctx context.Context, o FanoutOptions) (FanoutResult, error) {
	if err := o.validate(); err != nil {
		return FanoutResult{}, err
	}
	target := strings.TrimRight(o.Target, "/")
	client := streamClient()
	defer client.CloseIdleConnections()

	notice, err := Get[PrivacyNotice](ctx, client, target+pathNotice)
	if err != nil {
		return FanoutResult{}, fmt.Errorf("loadtest: privacy notice: %w", err)
	}
	types, err := Get[[]RequestType](ctx, client, target+pathTypes)
	if err != nil {
		return FanoutResult{}, fmt.Errorf("loadtest: request types: %w", err)
	}
	bodies, err := Bodies(NewGenerator(o.Seed, notice.Version, types), o.Tickets)
	if err != nil {
		return FanoutResult{}, err
	}

	rss0 := residentBytes(o.ServerPID)
	subs, err := connect(ctx, client, o.Subscribers, func(i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, target+pathEvents, nil)
		req.Header.Set("Authorization", "Bearer "+o.Tokens[i%len(o.Tokens)])
		return req
	})
	defer subs.close()
	if err != nil {
		return FanoutResult{}, err
	}
	res := FanoutResult{Subscribers: o.Subscribers, Tickets: o.Tickets}
	if o.ServerPID > 0 {
		time.Sleep(time.Second) // let the server settle
		if rss1 := residentBytes(o.ServerPID); rss0 > 0 && rss1 > 0 {
			per := round(float64(rss1-rss0)/float64(o.Subscribers), 0)
			res.IdleBytesPerSubscriber = &per
		}
	}

	post := Poster(client, []string{target + pathRequests}, bodies)
	trigger := func(ctx context.Context, i int) error { return post(ctx, i) }
	lat, resyncs, err := subs.measure(ctx, o.Tickets, o.Interval, trigger)
	if err != nil {
		return res, err
	}
	res.Deliveries, res.Resyncs = len(lat), resyncs
	res.P50, res.P99, res.Max = Percentile(lat, 50), Percentile(lat, 99), Percentile(lat, 100)
	subs.close()
	client.CloseIdleConnections()
	if !o.Baseline {
		return res, nil
	}

	base, err := broadcastBaseline(ctx, o)
	if err != nil {
		return res, err
	}
	res.BaselineDeliveries = &base.Deliveries
	res.BaselineP50, res.BaselineP99 = &base.P50, &base.P99
	if base.P99 > 0 {
		r := round(res.P99/base.P99, 2)
		res.Ratio = &r
	}
	return res, nil
}

// broadcastBaseline measures the bare broadcast: at o.BaselineTarget, or
// on a server started here.
func broadcastBaseline(ctx context.Context, o FanoutOptions) (FanoutResult, error) {
	base := strings.TrimRight(o.BaselineTarget, "/")
	if base == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return FanoutResult{}, fmt.Errorf("loadtest: baseline: %w", err)
		}
		srv := &http.Server{Handler: NewBroadcaster(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()
		base = "http://" + ln.Addr().String()
	}
	client := streamClient()
	defer client.CloseIdleConnections()
	subs, err := connect(ctx, client, o.Subscribers, func(int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+pathStream, nil)
		return req
	})
	defer subs.close()
	if err != nil {
		return FanoutResult{}, fmt.Errorf("loadtest: baseline: %w", err)
	}
	trigger := func(ctx context.Context, _ int) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+pathBroadcast, nil)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			return fmt.Errorf("POST %s: %s", pathBroadcast, resp.Status)
		}
		return nil
	}
	lat, _, err := subs.measure(ctx, o.Tickets, o.Interval, trigger)
	if err != nil {
		return FanoutResult{}, fmt.Errorf("loadtest: baseline: %w", err)
	}
	return FanoutResult{Deliveries: len(lat), P50: Percentile(lat, 50), P99: Percentile(lat, 99)}, nil
}

// streamClient returns a client without timeouts (streams stay open) and
// without a connection limit.
func streamClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = 0
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t}
}

// subscribers are open event streams and what they received.
type subscribers struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	lat      []time.Duration // arrival minus the event's time
	resyncs  int
	received atomic.Int64 // events counted, for waiting until a fan-out ends
}

// connect opens n streams, at most 256 connecting at a time so that the
// listen backlog does not overflow, and returns once all are open.
func connect(ctx context.Context, client *http.Client, n int, request func(i int) *http.Request) (*subscribers, error) {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &subscribers{cancel: cancel}
	open := make(chan error, n)
	sem := make(chan struct{}, 256)
	for i := range n {
		sem <- struct{}{}
		s.wg.Go(func() {
			req := request(i).WithContext(sctx)
			resp, err := client.Do(req)
			<-sem
			if err == nil && resp.StatusCode != http.StatusOK {
				resp.Body.Close()
				err = fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
			}
			open <- err
			if err != nil {
				return
			}
			defer resp.Body.Close()
			s.read(resp)
		})
	}
	for range n {
		if err := <-open; err != nil {
			return s, fmt.Errorf("loadtest: connect subscriber: %w", err)
		}
	}
	return s, nil
}

// read consumes one stream: ticket.created events (Frist) and bare
// broadcasts count, events.resync is counted apart, all else is skipped.
func (s *subscribers) read(resp *http.Response) {
	r := bufio.NewReaderSize(resp.Body, 1024)
	var kind string
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		now := time.Now()
		line = bytes.TrimRight(line, "\n")
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			kind = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")):
			switch kind {
			case "ticket.created", "broadcast":
				var e struct {
					At time.Time `json:"at"`
				}
				if json.Unmarshal(line[len("data: "):], &e) == nil && !e.At.IsZero() {
					s.mu.Lock()
					s.lat = append(s.lat, now.Sub(e.At))
					s.mu.Unlock()
					s.received.Add(1)
				}
			case "events.resync":
				s.mu.Lock()
				s.resyncs++
				s.mu.Unlock()
			}
		case len(line) == 0:
			kind = ""
		}
	}
}

// measure triggers n events, one every interval, waits until deliveries
// have stopped for a while, and returns the sorted latencies.
func (s *subscribers) measure(ctx context.Context, n int, interval time.Duration, trigger func(context.Context, int) error) ([]time.Duration, int, error) {
	for i := range n {
		if err := trigger(ctx, i); err != nil {
			return nil, 0, fmt.Errorf("loadtest: create ticket: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(interval):
		}
	}
	// The fan-out of the last event ends when nothing arrives for a second.
	last := int64(-1)
	for last != s.received.Load() {
		last = s.received.Load()
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	return lat, s.resyncs, nil
}

// close ends all streams and waits for their readers.
func (s *subscribers) close() {
	s.cancel()
	s.wg.Wait()
}

// Broadcaster is the bare SSE broadcast the fan-out is compared with: GET
// /stream subscribes, POST /broadcast sends one message with the current
// time to every subscriber. It does nothing else — no authentication, no
// filter, no event bus.
type Broadcaster struct {
	mu   sync.Mutex
	subs map[chan []byte]struct{}
}

// NewBroadcaster returns an empty Broadcaster.
func NewBroadcaster() *Broadcaster {
	return &Broadcaster{subs: make(map[chan []byte]struct{})}
}

// ServeHTTP implements http.Handler.
func (b *Broadcaster) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == pathStream:
		c := make(chan []byte, 32)
		b.mu.Lock()
		b.subs[c] = struct{}{}
		b.mu.Unlock()
		defer func() {
			b.mu.Lock()
			delete(b.subs, c)
			b.mu.Unlock()
		}()
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case m := <-c:
				w.Write(m)
				w.(http.Flusher).Flush()
			}
		}
	case r.Method == http.MethodPost && r.URL.Path == pathBroadcast:
		at, _ := time.Now().UTC().MarshalText()
		m := []byte("event: broadcast\ndata: {\"at\":\"" + string(at) + "\"}\n\n")
		b.mu.Lock()
		for c := range b.subs {
			select {
			case c <- m:
			default:
			}
		}
		b.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// residentBytes returns the resident memory of process pid from
// /proc/<pid>/status, or 0 when unknown (no pid, not Linux).
func residentBytes(pid int) int64 {
	if pid <= 0 || runtime.GOOS != "linux" {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
