package gospice

import (
	"strings"
	"testing"
)

// TestSizeLimits: a system with more unknowns or matrix entries than the limits is
// refused at Build, saying which limit it passed.
func TestSizeLimits(t *testing.T) {
	saved := sizeLimits
	defer func() { sizeLimits = saved }()
	// 3 unknowns, 6 matrix entries: (a,a) (a,b) (b,a) (b,b), and V1's (a,i) and (i,a); its
	// branch's diagonal is left out (mna.Builder.Build).
	const divider = "divider\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.op\n.end\n"
	cases := []struct {
		unknowns, entries int
		want              string
	}{
		{3, 6, ""},
		{2, 6, "the circuit is too large: 3 unknowns (node voltages, branch currents, device states), more than the limit of 2"},
		{3, 5, "the circuit is too large: its matrix has 6 entries, more than the limit of 5"},
	}
	for _, c := range cases {
		sizeLimits.unknowns, sizeLimits.entries = c.unknowns, c.entries
		_, err := Parse("d.cir", divider)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("limits %d, %d: %v", c.unknowns, c.entries, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("limits %d, %d: error %v, want %q", c.unknowns, c.entries, err, c.want)
		}
	}
}
