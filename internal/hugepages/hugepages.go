// Package hugepages asks the kernel to back a large fresh slice with transparent huge
// pages, so that its first writes take one page fault per 2 MiB instead of one per 4 KiB.
// The parser's, the mna builder's and the devices' big slices of a large netlist use it.
package hugepages

// hugePage is the size of a transparent huge page on x86-64 and arm64 Linux with 4 KiB
// pages.
const hugePage = 2 << 20
