package lowprio

import (
	"runtime"
	"testing"
)

func TestRunLowersOnlyItsThread(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread priorities are set on Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, err := threadNice()
	if err != nil {
		t.Fatal(err)
	}
	var inside int
	Run(func() { inside, err = threadNice() })
	if err != nil {
		t.Fatal(err)
	}
	if inside != max(before, Nice) {
		t.Errorf("nice value in Run = %d, want %d", inside, max(before, Nice))
	}
	after, err := threadNice()
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("nice value of the caller's thread = %d after Run, want %d as before", after, before)
	}
}

func TestRunPassesPanicOn(t *testing.T) {
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("recovered %v, want boom", p)
		}
	}()
	Run(func() { panic("boom") })
	t.Error("Run returned after a panic")
}

func TestReserveProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	t.Setenv("GOMAXPROCS", "")
	before := runtime.GOMAXPROCS(0)
	if got := ReserveProcs(); got != before+Threads || runtime.GOMAXPROCS(0) != got {
		t.Errorf("ReserveProcs() = %d with GOMAXPROCS %d, want %d", got, runtime.GOMAXPROCS(0), before+Threads)
	}
	t.Setenv("GOMAXPROCS", "3")
	runtime.GOMAXPROCS(3)
	if got := ReserveProcs(); got != 3 {
		t.Errorf("ReserveProcs() = %d with GOMAXPROCS=3 set, want 3", got)
	}
}
