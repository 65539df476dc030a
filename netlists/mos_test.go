package netlists_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// mosCases are the MOSFET netlists cross-checked against ngspice.
var mosCases = []crossCase{
	// ngspice's default sweep is 6.4e-5 of the swing off a converged one (reltol 1e-6),
	// gospice's 4e-8 (see ngspiceCases).
	{"mos_inverter.cir", "dc", 7e-4, []string{"v(out)", "v(src)", "i(vdd)"}},
	{"mos_output.cir", "dc", 5e-11, []string{"i(vds)", "i(vp)"}},
	{"mos_cmos_inverter.cir", "tran", 4e-3, []string{"v(out)", "i(vdd)"}},
	{"mos_cmos_uic.cir", "tran", 5e-3, []string{"v(out)", "v(out2)", "i(vdd)"}},
	{"mos_ac.cir", "ac", 1e-12, []string{"vm(d)", "vp(d)"}},
}

func TestMOSAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, mosCases) }

// mosRisingCrossings returns the times at which v rises through level, interpolated
// linearly, after t0.
func mosRisingCrossings(ts, vs []float64, level, t0 float64) []float64 {
	var out []float64
	for i := 1; i < len(ts); i++ {
		if ts[i] <= t0 || !(vs[i-1] < level && vs[i] >= level) {
			continue
		}
		out = append(out, ts[i-1]+(level-vs[i-1])*(ts[i]-ts[i-1])/(vs[i]-vs[i-1]))
	}
	return out
}

// mosMeanPeriod is the average spacing of the crossings.
func mosMeanPeriod(t *testing.T, name string, c []float64) float64 {
	t.Helper()
	if len(c) < 3 {
		t.Fatalf("%s: only %d rising crossings; the ring does not oscillate", name, len(c))
	}
	return (c[len(c)-1] - c[0]) / float64(len(c)-1)
}

// TestMOSRingOscillatorPeriod compares the ring's period in both simulators, measured
// from the rising crossings of vdd/2 after the start-up.
func TestMOSRingOscillatorPeriod(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	const path, level, settle = "mos_ring.cir", 1.65, 3e-9
	want, err := crosscheck.Ngspice(path, "tran", []string{"v(n1)"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.Gospice(path, "tran")
	if err != nil {
		t.Fatal(err)
	}
	wc := mosRisingCrossings(want.Cols[0], want.Col("v(n1)"), level, settle)
	gc := mosRisingCrossings(got.Cols[0], got.Col("v(n1)"), level, settle)
	wp, gp := mosMeanPeriod(t, "ngspice", wc), mosMeanPeriod(t, "gospice", gc)
	const tol = 8e-4 // relative; 7.2e-5 measured
	rel := (gp - wp) / wp
	t.Logf("period: gospice %.6g s over %d cycles, ngspice %.6g s over %d cycles: measured %.3g apart, relative; tolerance %g",
		gp, len(gc)-1, wp, len(wc)-1, rel, tol)
	if len(gc) != len(wc) || math.Abs(rel) > tol {
		t.Errorf("the periods differ by more than %g (or the cycle counts %d and %d differ)", tol, len(gc)-1, len(wc)-1)
	}
}

// mosMemoryCell is the corpus's MOS memory cell, run unchanged and compared edge by edge
// (see edgeCase): its node voltages, and apart from them the supply current, whose spikes
// at the switching are narrow and sampled at different points by the two simulators
// (point by point they differ by 44% of the swing at 1.04 us).
var mosMemoryCell = []edgeCase{
	{corpusDir + "/tests/general/mosmem.cir", []string{"v(3)", "v(4)", "v(5)", "v(6)", "v(8)"}, 2e-4, 6e-4, 0},
	{corpusDir + "/tests/general/mosmem.cir", []string{"i(vdd)"}, 7e-3, 2e-2, 0},
}

func TestMOSMemoryCell(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	for _, c := range mosMemoryCell {
		t.Run(strings.Join(c.vectors, ","), func(t *testing.T) { checkEdgeCase(t, c) })
	}
}
