package parser

import (
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"rsh", "rsh", 0}, {"", "abc", 3}, {"rhs", "rsh", 1}, // a swap is one edit
		{"vto", "vt0", 1}, {"kitten", "sitting", 3}, {"tc3", "tc1", 1},
		{strings.Repeat("a", 65), strings.Repeat("a", 65), 0},
		{strings.Repeat("a", 65), strings.Repeat("a", 64) + "b", 1 << 20}, // too long to compare
	} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	cands := []string{"out", "in", "outt", "ou"}
	if got := Nearest("otu", cands, 1); got != "out" {
		t.Errorf("Nearest(otu) = %q, want out", got)
	}
	if got := Nearest("out", cands, 1); got != "outt" { // itself is skipped; outt and ou tie, outt is first
		t.Errorf("Nearest(out) = %q, want outt", got)
	}
	if got := Nearest("xyz", cands, 1); got != "" {
		t.Errorf("Nearest(xyz) = %q, want none", got)
	}
}
