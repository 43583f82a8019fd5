package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"

	"frist/internal/events"
)

// Shared writers for event streams (docs/decisions/0009-sse-writer-pool.md).
//
// An HTTP/1.1 event stream is taken over from net/http once it is
// authorised: its connection joins one of a few shards, and the shards'
// goroutines write every event to every connection that may see it. A
// connection then costs no goroutine, no buffers and no timer of its own,
// and each event is encoded once for all of them. Streams that cannot be
// taken over (HTTP/2) keep a goroutine each (eventStream).

// Settings of the shared writers.
const (
	// writeTimeout is how long a client may take to accept one frame. A
	// client that does not is disconnected, which keeps it from holding
	// up the others of its shard; browsers reconnect with Last-Event-ID
	// and get what they missed.
	writeTimeout = time.Second
	// fanoutBuffer is how many events the shared subscription holds
	// while the shards are writing. When it overflows, every stream gets
	// events.resync.
	fanoutBuffer = 4096
	// shardQueue is how many frames a shard holds before the dispatcher
	// waits for it.
	shardQueue = 64
)

var (
	heartbeatFrame = []byte(": heartbeat\n\n")
	resyncFrame    = fmt.Appendf(nil, "event: %s\ndata: {\"kind\":%q}\n\n", events.KindResync, events.KindResync)
)

// eventFrame returns e as a server-sent event: an "id:" line, an "event:"
// line with the kind and a "data:" line with the event as JSON. A resync
// carries no "id:" line, so the client's Last-Event-ID stays that of the
// last event it really received.
func eventFrame(e events.Event) []byte {
	if e.Kind == events.KindResync {
		return resyncFrame
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil
	}
	return fmt.Appendf(nil, "id: %s\nevent: %s\ndata: %s\n\n", e.ID, e.Kind, b)
}

// mayWatch says whether a subscriber limited to departments (nil: all) may
// see an event of department.
func mayWatch(departments []string, department string) bool {
	return department == "" || departments == nil || slices.Contains(departments, department)
}

// fanout owns the shared writers of one API: one subscription to the bus,
// a dispatcher that encodes each event once and hands it to every shard,
// and the shards.
type fanout struct {
	bus  events.Bus
	sub  *events.Subscription
	stop <-chan struct{} // closed when the server drains

	mu     sync.Mutex // held while a frame is handed to the shards and while a stream joins
	shards []*shard
	next   int  // shard the next stream joins
	closed bool // the dispatcher has stopped
}

// frame is one encoded event (or heartbeat) for the shards.
type frame struct {
	seq        uint64 // the event's Seq; 0 for frames every stream gets
	department string
	b          []byte
}

// shard writes frames to its streams, one after another.
type shard struct {
	work chan frame

	mu      sync.Mutex
	streams map[*sseConn]struct{}
	closed  bool
	batch   []*sseConn // the streams of the frame being written; used by run only
}

// sseConn is one taken-over event stream.
type sseConn struct {
	mu          sync.Mutex // held while writing
	conn        net.Conn
	departments []string // nil: all
	after       uint64   // events up to this Seq were delivered before the stream joined
}

// fanout returns the API's shared writers, starting them on first use.
func (a *API) fanout() *fanout {
	a.fanOnce.Do(func() {
		n := 2 * runtime.GOMAXPROCS(0)
		f := &fanout{bus: a.desk.Events(), stop: a.draining, shards: make([]*shard, n)}
		f.sub = f.bus.Subscribe(fanoutBuffer)
		for i := range f.shards {
			s := &shard{work: make(chan frame, shardQueue), streams: make(map[*sseConn]struct{})}
			f.shards[i] = s
			go s.run()
		}
		go f.run()
		a.fan = f
	})
	return a.fan
}

// run hands every event and a heartbeat every so often to the shards
// until the server drains or the bus closes; then it closes all streams.
func (f *fanout) run() {
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	defer f.sub.Close()
	defer func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.closed = true
		for _, s := range f.shards {
			close(s.work)
		}
	}()
	var dropped uint64
	for {
		select {
		case <-f.stop:
			return
		case <-tick.C:
			f.send(frame{b: heartbeatFrame})
		case e, ok := <-f.sub.C:
			if !ok {
				return
			}
			if d := f.sub.Dropped(); d != dropped {
				// Events were lost while the shards were busy.
				dropped = d
				f.send(frame{b: resyncFrame})
			}
			if b := eventFrame(e); b != nil {
				f.send(frame{seq: e.Seq, department: e.Department, b: b})
			}
		}
	}
}

// send hands fr to every shard.
func (f *fanout) send(fr frame) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.shards {
		s.work <- fr
	}
}

// join adds a taken-over connection: it writes head (status line and
// header), the stream's preamble and — for a client that resumes after
// lastID — the events it missed, then the stream receives every later
// event its departments allow. The replay and the live events meet without
// gap or repeat: the stream joins while no frame is being handed out, and
// the shards skip events up to the last one the replay covers.
func (f *fanout) join(conn net.Conn, head []byte, lastID string, departments []string) {
	c := &sseConn{conn: conn, departments: departments}
	c.mu.Lock() // the preamble goes out before any live frame
	defer c.mu.Unlock()
	f.mu.Lock()
	select {
	case <-f.stop:
		f.closed = true
	default:
	}
	if f.closed {
		f.mu.Unlock()
		conn.Close()
		return
	}
	var sub *events.Subscription
	var replay []events.Event
	known := true
	if lastID == "" {
		sub = f.bus.Subscribe(1)
	} else {
		sub, replay, known = f.bus.Resume(lastID, 1)
	}
	sub.Close()
	c.after = sub.Start() - 1
	s := f.shards[f.next%len(f.shards)]
	f.next++
	joined := s.add(c)
	f.mu.Unlock()
	if !joined {
		conn.Close()
		return
	}

	var b bytes.Buffer
	b.Write(head)
	fmt.Fprintf(&b, ": frist events\nretry: %d\n\n", reconnectMillis)
	if !known {
		b.Write(resyncFrame)
	}
	for _, e := range replay {
		if mayWatch(departments, e.Department) {
			b.Write(eventFrame(e))
		}
	}
	if c.writeLocked(b.Bytes()) != nil {
		s.drop(c)
	}
}

// add adds c unless the shard has closed, and says whether it did.
func (s *shard) add(c *sseConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.streams[c] = struct{}{}
	return true
}

// drop removes c and closes its connection.
func (s *shard) drop(c *sseConn) {
	s.mu.Lock()
	delete(s.streams, c)
	s.mu.Unlock()
	c.conn.Close()
}

// run writes each frame to the shard's streams that may see it, dropping
// those whose client fails or is too slow, until the dispatcher stops;
// then it closes all its streams.
func (s *shard) run() {
	for fr := range s.work {
		s.mu.Lock()
		s.batch = s.batch[:0]
		for c := range s.streams {
			s.batch = append(s.batch, c)
		}
		s.mu.Unlock()
		for _, c := range s.batch {
			if fr.seq != 0 && fr.seq <= c.after || !mayWatch(c.departments, fr.department) {
				continue
			}
			if c.write(fr.b) != nil {
				s.drop(c)
			}
		}
		clear(s.batch)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for c := range s.streams {
		c.conn.Close()
	}
	clear(s.streams)
}

// write sends b to the client within writeTimeout.
func (c *sseConn) write(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writeLocked(b)
}

func (c *sseConn) writeLocked(b []byte) error {
	if err := c.conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	_, err := c.conn.Write(b)
	return err
}

// takeOver hijacks the connection of an HTTP/1.1 event stream and returns
// it with the status line and header to write first (the header set so
// far, and "Connection: close": the body has no length and ends with the
// connection). It returns ok false when the connection cannot be taken
// over, as under HTTP/2 or in tests with a recorder.
func takeOver(c *call) (net.Conn, []byte, bool) {
	if c.r.Method != http.MethodGet || !c.r.ProtoAtLeast(1, 1) || c.r.ProtoMajor != 1 {
		return nil, nil, false
	}
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	if err := c.w.Header().Write(&head); err != nil {
		return nil, nil, false
	}
	head.WriteString("Connection: close\r\n\r\n")
	conn, _, err := http.NewResponseController(c.w).Hijack()
	if err != nil {
		return nil, nil, false
	}
	// Nothing is read any more; writes get a deadline each.
	conn.SetDeadline(time.Time{})
	return conn, head.Bytes(), true
}
