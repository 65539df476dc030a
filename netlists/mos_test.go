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

// TestMOSRingUICStart runs the ring oscillator started with uic from alternating .ic
// values, its supply without one: VDD jumps from 0 to 3.3 V in the first step, which
// both simulators take at 50 fs in about 97 Newton iterations (gospice stopped there,
// after 10, until the first time point got ngspice's 100). Compared: every node and
// i(vdd) at that first point, where both land; then the rising crossings of vdd/2 at
// v(n1) after the start-up, and the period. The crossings of both default runs lead a
// converged run's (reltol 1e-6, tmax 0.5 ps, where the two agree within 25 fs) by
// 0.1-2.0 ps (gospice) and 1.3-3.8 ps (ngspice).
func TestMOSRingUICStart(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	const path, level, settle, run = "mos_ring_uic.cir", 1.65, 2e-9, 10e-9
	vectors := []string{"v(n1)", "v(n2)", "v(n3)", "v(n4)", "v(n5)", "i(vdd)"}
	want, err := crosscheck.Ngspice(path, "tran", vectors)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.Gospice(path, "tran")
	if err != nil {
		t.Fatal(err)
	}
	if w, g := want.Cols[0][0], got.Cols[0][0]; w != g {
		t.Fatalf("first points at %g s (ngspice) and %g s (gospice)", w, g)
	}
	const firstTol = 3e-3 // of each vector's swing; 2.9e-4 measured (i(vdd))
	worst := 0.0
	for _, v := range vectors {
		w, g := want.Col(v), got.Col(v)
		lo, hi := w[0], w[0]
		for _, x := range w {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		rel := math.Abs(g[0]-w[0]) / (hi - lo)
		worst = math.Max(worst, rel)
		if rel > firstTol {
			t.Errorf("%s at the first point: gospice %g, ngspice %g", v, g[0], w[0])
		}
	}
	t.Logf("first point: measured %.3g of the swing at worst, tolerance %g", worst, firstTol)

	wc := mosRisingCrossings(want.Cols[0], want.Col("v(n1)"), level, settle)
	gc := mosRisingCrossings(got.Cols[0], got.Col("v(n1)"), level, settle)
	if len(wc) != len(gc) {
		t.Fatalf("%d rising crossings in gospice, %d in ngspice", len(gc), len(wc))
	}
	const crossTol = 3e-3 // of the run; 2.6e-4 measured
	apart := 0.0
	for i := range wc {
		apart = math.Max(apart, math.Abs(gc[i]-wc[i])/run)
	}
	t.Logf("%d rising crossings: measured %.3g of the run apart at worst, tolerance %g", len(wc), apart, crossTol)
	if apart > crossTol {
		t.Errorf("crossings %v (gospice), %v (ngspice)", gc, wc)
	}
	wp, gp := mosMeanPeriod(t, "ngspice", wc), mosMeanPeriod(t, "gospice", gc)
	const periodTol = 8e-4 // relative; 7.4e-5 measured
	rel := (gp - wp) / wp
	t.Logf("period: gospice %.6g s, ngspice %.6g s: measured %.3g apart, relative; tolerance %g", gp, wp, rel, periodTol)
	if math.Abs(rel) > periodTol {
		t.Errorf("the periods differ by more than %g", periodTol)
	}
}
