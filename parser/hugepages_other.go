//go:build !linux

package parser

// adviseHuge does nothing where the kernel takes no madvise hint (see hugepages_linux.go).
func adviseHuge[T any](s []T) {}
