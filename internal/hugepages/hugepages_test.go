package hugepages

import "testing"

// TestAdvise: asking for huge pages changes nothing in a slice, large or small, full
// or not, and the slice is written and read as before.
func TestAdvise(t *testing.T) {
	for _, n := range []int{0, 1, 1000, hugePage / 8, 3*hugePage/8 + 5, 5 * hugePage / 8} {
		s := make([]int64, n/2, n)
		for i := range s {
			s[i] = int64(i*7 + 1)
		}
		Advise(s)
		for i := range s {
			if s[i] != int64(i*7+1) {
				t.Fatalf("len %d: s[%d] = %d after the hint, want %d", n, i, s[i], i*7+1)
			}
		}
		s = s[:n]
		for i := range s {
			s[i] = -int64(i)
		}
		for i := range s {
			if s[i] != -int64(i) {
				t.Fatalf("len %d: s[%d] = %d, want %d", n, i, s[i], -i)
			}
		}
	}
}
