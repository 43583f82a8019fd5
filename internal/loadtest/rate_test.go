package loadtest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestMeasureRateOpenLoop: calls go out on schedule although each takes
// longer than the interval, and latency counts from the scheduled moment.
func TestMeasureRateOpenLoop(t *testing.T) {
	var calls atomic.Int64
	stop := make(chan struct{})
	time.AfterFunc(500*time.Millisecond, func() { close(stop) })
	res, err := MeasureRate(context.Background(), 100, stop, func(ctx context.Context, i int) error {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 100/s for 0.5 s: about 50 calls, although one worker at a time
	// would have made 10.
	if res.Requests < 35 || res.Requests > 60 || int(calls.Load()) != res.Requests {
		t.Fatalf("%d requests, %d calls", res.Requests, calls.Load())
	}
	if res.P50 < 50 {
		t.Fatalf("p50 %.1f ms, want at least the call's 50 ms", res.P50)
	}
	// Calls start on schedule, not after the previous one: a call started
	// only when one before it returned would be 50 ms late or more.
	if res.SendLagP99 >= 50 {
		t.Fatalf("send lag p99 %.1f ms: calls waited for each other", res.SendLagP99)
	}
}
