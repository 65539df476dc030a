package analysis_test

import (
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// tightDecks drive a diode's junction capacitance (1 fF, reverse biased from 0 to 1.8 V
// in 1 ns) with tolerances so tight (chgtol 1e-20) that the truncation error asks for
// steps near 1e-19 s after the first: there alpha*C times an ulp of a node at 1.8 V is a
// residual of about 1e-12 A, against currents of 1e-6 A and reltol 1e-7. Before the
// tests took that resolution into account (resolution, branchResolution in engine.go),
// gospice stopped both at 1e-14 s ("timestep too small"), the first on the residual of
// v(g), the second on i(vg) drifting; ngspice 39 runs them.
var tightDecks = []struct{ name, deck string }{
	{"series resistance", `* a diode's junction through its series resistance
vg g 0 1.8
vd d 0 pwl(0 1.8 1n 0)
d1 d g dmod
.model dmod d cjo=1f rs=10
.options reltol=1e-7 abstol=1e-18 vntol=1e-12 chgtol=1e-20
.tran 1p 1n 0 1p
.end
`},
	{"resistor and capacitor", `* a diode's junction fed through a resistor, a capacitor on its anode
vg g 0 1.8
vd d 0 pwl(0 1.8 1n 0)
r1 d n 1k
d1 n g dmod
c1 n 0 1f
.model dmod d cjo=1f
.options reltol=1e-7 abstol=1e-18 vntol=1e-12 chgtol=1e-20
.tran 1p 1n 0 1p
.end
`},
}

// TestTightTolerancesAtSmallSteps runs tightDecks to the end and compares them with
// ngspice's run of the same decks (skipped when ngspice is absent). The first also
// against its junction's charge: the gate source delivers it, Q(v) = 2 cjo (1 -
// sqrt(1 - v)) for v from 0 to the junction's final voltage.
func TestTightTolerancesAtSmallSteps(t *testing.T) {
	for k, d := range tightDecks {
		t.Run(d.name, func(t *testing.T) {
			got := crosscheck.MustRun(t, d.deck, "tran")
			times := got.Col("time")
			if end := times[len(times)-1]; math.Abs(end-1e-9) > 1e-21 {
				t.Fatalf("the run ended at %g s", end)
			}
			if k == 0 {
				// The junction's charge at the end, its voltage 1.8 V less the series
				// resistance's drop (the current at the end, 1.08e-6 A, times 10 ohm).
				ig := got.Col("i(vg)")
				iEnd := ig[len(ig)-1]
				v := -1.8 + 10*math.Abs(iEnd)
				want := 2e-15 * (1 - math.Sqrt(1-v))
				// The charge the gate source delivered, by the trapezoidal rule; over the
				// first step with the current at its end, as the ramp's slope starts at
				// 0+ (the point at 0 is the operating point's, with no current).
				q := ig[1] * times[1]
				for i := 2; i < len(times); i++ {
					q += (ig[i] + ig[i-1]) / 2 * (times[i] - times[i-1])
				}
				t.Logf("charge delivered %.10g C, the junction's %.10g C: %.3g apart", q, want, q/want-1)
				// Measured: 6.8e-7.
				if math.Abs(q/want-1) > 7e-6 {
					t.Errorf("charge delivered %g C, the junction's %g C", q, want)
				}
			}
			want := crosscheck.MustNgspice(t, d.deck, "tran", []string{"i(vg)", "i(vd)"})
			ms, err := crosscheck.Compare(want, got, []string{"i(vg)", "i(vd)"}, 1e-9)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				t.Logf("%v", m)
				// Measured: 5.5e-7 of the swing (i(vg) of the first deck, just after the
				// first step), 1.4e-7 at most elsewhere.
				if m.Relative() > 5e-6 {
					t.Errorf("%v", m)
				}
			}
		})
	}
}
