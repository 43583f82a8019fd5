package server

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := newLimiter(1, 3)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatalf("request %d refused within burst", i)
		}
	}
	if ok, wait := l.allow("a", now); ok || wait <= 0 {
		t.Fatalf("fourth request allowed (wait %s)", wait)
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Fatal("other client refused")
	}
	if ok, _ := l.allow("a", now.Add(1100*time.Millisecond)); !ok {
		t.Fatal("refill did not happen")
	}
	if newLimiter(0, 10) != nil {
		t.Fatal("zero rate must mean no limiter")
	}
}
