package sparse

import "testing"

// TestNewPattern: the pattern of distinct entries is the Builder's; an entry outside the
// matrix or given twice is refused.
func TestNewPattern(t *testing.T) {
	rows, cols := []int32{0, 1, 1, 2, 0}, []int32{0, 1, 0, 2, 2}
	b := NewBuilder(3)
	for k := range rows {
		b.Entry(int(rows[k]), int(cols[k]))
	}
	want := b.Pattern()
	got, err := NewPattern(3, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	if got.n != want.n || len(got.rows) != len(want.rows) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for k := range got.rows {
		if got.rows[k] != want.rows[k] || got.cols[k] != want.cols[k] {
			t.Fatalf("entry %d: got (%d, %d), want (%d, %d)", k, got.rows[k], got.cols[k], want.rows[k], want.cols[k])
		}
	}
	for _, c := range []struct {
		n          int
		rows, cols []int32
	}{
		{3, []int32{0, 1, 0}, []int32{2, 1, 2}}, // (0, 2) twice
		{3, []int32{0, 3}, []int32{0, 0}},       // row 3 outside
		{3, []int32{0}, []int32{-1}},            // negative column
		{3, []int32{0, 1}, []int32{0}},          // lengths differ
	} {
		if _, err := NewPattern(c.n, c.rows, c.cols); err == nil {
			t.Errorf("NewPattern(%d, %v, %v) accepted", c.n, c.rows, c.cols)
		} else {
			t.Logf("NewPattern(%d, %v, %v): %v", c.n, c.rows, c.cols, err)
		}
	}
}
