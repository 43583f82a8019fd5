// Package lowprio runs Frist's background work — the retention sweeper,
// the WAL checkpointer, the attachment file deleter and the search index
// merger — on operating-system threads of lower scheduling priority, so
// that on a small machine the kernel gives a core to a request's thread
// first. See docs/decisions/0020-background-threads-and-checkpoint-pause.md.
package lowprio

import (
	"os"
	"runtime"
)

// Nice is the nice value of a background thread (0 is the default, 19
// the lowest priority). The kernel then weighs a request's thread about
// 68 times as much as a background one; unlike SCHED_IDLE, a background
// thread still advances on a saturated machine, so that the one holding
// the SQLite writer does not keep intake waiting without end. Measured
// against 10: intake p99 during a retention sweep 1.67–1.91× its p99
// without one in seven runs, against 1.98–2.17× in two (decision 0020).
const Nice = 19

// Threads is how many Go processors ReserveProcs adds: one for the
// retention sweeper or the search merger (background writers take the
// single SQLite writer in turn) and one for the checkpointer; the file
// deleter spends its time in system calls, whose processor the runtime
// hands on.
const Threads = 2

// Go runs fn in a new goroutine on a thread of its own with the nice
// value Nice (on Linux; elsewhere at the normal priority). The thread is
// not handed back: it ends with fn, so no other goroutine ever runs at
// the lower priority.
func Go(fn func()) {
	go func() {
		runtime.LockOSThread()
		// Not unlocked: a goroutine that ends while locked ends its
		// thread, and the raised nice value cannot be lowered again
		// without privileges.
		lower()
		fn()
	}()
}

// Run runs fn like Go and waits for it to return.
func Run(fn func()) {
	done := make(chan struct{})
	var p any
	Go(func() {
		defer close(done)
		defer func() { p = recover() }()
		fn()
	})
	<-done
	if p != nil {
		panic(p)
	}
}

// ReserveProcs raises GOMAXPROCS by Threads unless the GOMAXPROCS
// environment variable sets it. A background thread keeps its Go
// processor (P) while the kernel lets it wait for a core, and while it
// is in a long system call (a checkpoint's fsync) until the runtime
// takes the P back; with as many Ps as cores, a request's goroutine then
// waits for a P although a core is free. It returns the new value.
func ReserveProcs() int {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	n := runtime.GOMAXPROCS(0) + Threads
	runtime.GOMAXPROCS(n)
	return n
}
