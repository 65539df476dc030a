//go:build !linux

package hugepages

// Advise does nothing where the kernel takes no madvise hint (see hugepages_linux.go).
func Advise[T any](s []T) {}
