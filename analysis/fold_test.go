package analysis_test

import (
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// foldNetlist is a relaxation oscillator whose comparator (gain 200, loop gain about
// 170) has a fold: at each threshold the solution jumps to the other branch within a
// step at any step size (netlists/fold_bsource.cir explains it).
const foldNetlist = `fold
V1 vdd 0 5
R1 vdd fb 100k
R2 fb 0 100k
R3 out fb 100k
B1 out 0 V={2.5+2.5*tanh(200*(v(fb)-v(cap)))}
RC out cap 1meg
C1 cap 0 1n
.ic v(cap)=IC
OPTIONS
.tran 10u 10m
.end
`

// TestTransientThroughFold: from three starting points, with the trapezoidal rule and
// Gear's and with reltol 1e-4, the transient gets across every jump (14 in 10 ms) rather
// than cutting the step down to its minimum, as it did with itl4 = 10 iterations a point
// from the last accepted solution: it stopped at 2.2, 1.76, 1.54, 2.9 and 1.54 ms. (ngspice
// 39 runs all but the last to the end; with reltol 1e-4 it stops at 4.26 ms.)
func TestTransientThroughFold(t *testing.T) {
	for _, c := range []struct{ ic, options string }{
		{"1", ""}, {"0", ""}, {"4", ""}, {"1", ".options method=gear"}, {"1", ".options reltol=1e-4"},
	} {
		text := strings.NewReplacer("IC", c.ic, "OPTIONS", c.options).Replace(foldNetlist)
		got, err := crosscheck.RunText(text, "tran")
		if err != nil {
			t.Errorf(".ic v(cap)=%s %s: %v", c.ic, c.options, err)
			continue
		}
		rising := len(crosscheck.Crossings(got, "v(out)", 2.5))
		t.Logf(".ic v(cap)=%s %s: %d points, %d rising jumps", c.ic, c.options, got.Len(), rising)
		if rising < 6 {
			t.Errorf(".ic v(cap)=%s %s: %d rising jumps of v(out), want 7", c.ic, c.options, rising)
		}
	}
}
