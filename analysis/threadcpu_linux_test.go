package analysis

import (
	"runtime"
	"syscall"
	"unsafe"
)

// threadCPU is the calling thread's CPU time in nanoseconds. It locks the calling
// goroutine to its thread, so that a benchmark's loop, run on one goroutine, is timed on
// one thread.
func threadCPU() int64 {
	runtime.LockOSThread()
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}
