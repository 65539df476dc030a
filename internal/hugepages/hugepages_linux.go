package hugepages

import (
	"syscall"
	"unsafe"
)

// Advise asks the kernel to back the whole 2 MiB pages inside s's memory with huge
// pages (madvise MADV_HUGEPAGE, which a system whose transparent huge pages are set to
// "madvise" needs): one page fault for 2 MiB instead of 512. It is a hint: its failure
// changes nothing, and nothing in s changes.
func Advise[T any](s []T) {
	var zero T
	size := uintptr(cap(s)) * unsafe.Sizeof(zero)
	if size < 2*hugePage {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	lo, hi := (start+hugePage-1)&^(hugePage-1), (start+size)&^(hugePage-1)
	if hi > lo {
		syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, 14 /* MADV_HUGEPAGE */)
	}
}
