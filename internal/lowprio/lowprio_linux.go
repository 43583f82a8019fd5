package lowprio

import "syscall"

// lower raises the calling thread's nice value to Nice. On Linux a nice
// value belongs to a thread, not to the process. A failure leaves the
// thread at the normal priority, which is only slower for requests.
func lower() {
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), Nice)
}

// threadNice returns the calling thread's nice value.
func threadNice() (int, error) {
	// The system call returns 20 - nice, so that it is never negative.
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	return 20 - p, err
}
