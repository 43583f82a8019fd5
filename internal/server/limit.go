package server

import (
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket per client address, kept in memory only: the
// address is personal data and never stored.
type limiter struct {
	rate, burst float64 // tokens per second, bucket size
	mu          sync.Mutex
	buckets     map[string]*bucket
	lastSweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newLimiter returns a limiter, or nil (no limit) for a zero rate.
func newLimiter(rate, burst float64) *limiter {
	if rate <= 0 {
		return nil
	}
	return &limiter{rate: rate, burst: math.Max(burst, 1), buckets: map[string]*bucket{}}
}

// allow takes a token for key and reports whether there was one, and if
// not, how long until there is.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last).Seconds()*l.rate >= l.burst {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// rateLimit answers 429 when the limiter chosen for a request has no token
// for the client's address.
func rateLimit(next http.Handler, choose func(*http.Request) *limiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := choose(r); l != nil {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				host = r.RemoteAddr
			}
			if ok, wait := l.allow(host, time.Now()); !ok {
				w.Header().Set("Retry-After", itoa(int(math.Ceil(wait.Seconds()))))
				if strings.HasPrefix(r.URL.Path, "/api/") {
					w.Header().Set("Content-Type", "application/problem+json")
					w.WriteHeader(http.StatusTooManyRequests)
					w.Write([]byte(`{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"Too many requests; please try again shortly."}`))
					return
				}
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte("Zu viele Anfragen – bitte versuchen Sie es gleich noch einmal.\nToo many requests – please try again shortly.\n"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func itoa(n int) string {
	if n < 1 {
		n = 1
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
