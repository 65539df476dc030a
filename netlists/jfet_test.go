package netlists_test

import (
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// jfetCases are the JFET netlists cross-checked against ngspice 39: output and transfer
// curves (both modes, the doping tail, p-channel, temperature), a self-biased amplifier's
// .ac, and a transient through cut-off and gate conduction.
var jfetCases = []crossCase{
	// 3.3e-8 of i(v1)'s swing apart, ngspice's: with reltol=1e-9 abstol=1e-16 vntol=1e-12
	// the two agree within 6.5e-11, gospice's default sweep is 1.2e-10 from that converged
	// answer and ngspice's 3.3e-8 (J1's rd and rs make internal nodes Newton stops early on).
	{"jfet_output.cir", "dc", 3e-7, []string{"i(v1)", "i(v2)", "i(vp)", "i(vgs)"}},
	{"jfet_transfer.cir", "dc", 1e-12, []string{"i(v1)", "i(v2)", "i(vgs)"}}, // 9.5e-14 measured
	{"jfet_amp.cir", "ac", 1.5e-11, []string{"vm(d)", "vp(d)", "vm(s)"}},     // 1.4e-12 measured
	// 1.7e-3 of v(d)'s swing apart, on the pulse's edges, where the two sample different
	// points: both default runs are 0.36-0.39% of the swing from a converged run (reltol
	// 1e-6, tmax 0.5 ns), where gospice and ngspice agree within 6e-4.
	{"jfet_tran.cir", "tran", 1.7e-2, []string{"v(d)", "v(o)", "v(g)", "i(vdd)"}},
	// ngspice's own JFET test, unchanged: 5.9e-4 of the swing apart at vg=0, vd=4 (RD=200
	// in the linear region), ngspice's: its .op there, its sweep with reltol=1e-9, and
	// the analytic solution of id = beta (1 + lambda v) v (2 (vgs - vto) - v) with
	// v = vd - 200 id (4.95342e-3 A) all agree with gospice's sweep; ngspice's default
	// sweep stops at 4.95652e-3.
	{sharedDir + "/corpus/ngspice-full/tests/jfet/jfet_vds-vgs.cir", "dc", 6e-3, []string{"i(vd)"}},
}

func TestJFETAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, jfetCases) }

// TestJFETUICStart runs a uic transient started from J1's IC=vds,vgs and J2's node .ic
// values. The first sub-nanosecond is a steep settling that the two simulators sample at
// different points (both default runs are 1-2% of the swing from a converged one there,
// and their tight runs agree within 0.8%): compared are the first time point, which both
// take at the same time from the given values, and the points after 50 ns.
func TestJFETUICStart(t *testing.T) {
	// 4.5e-11 V measured at the first point, 5.3e-5 of the swing after 50 ns.
	checkUICStart(t, "jfet_uic.cir", 5e-10, 5e-4)
}

// TestJFET2UICStart is TestJFETUICStart of level-2 JFETs with acgam and the dispersion
// filters (taug, taud), whose last values start as those at the initial voltages.
// ngspice's first point is 4.9e-7 V off: with reltol=1e-7 abstol=1e-15 vntol=1e-12 its
// first point is within 1.1e-9 V of gospice's (its Jacobian leaves out the gate
// charge's cross terms, and its Newton stops early). With cds it was 1.7e-4 V off (its
// Jacobian leaves out cds's conductance; its tight run is within 1.1e-8 V of gospice's),
// so cds is left to jfet2_tran.cir.
func TestJFET2UICStart(t *testing.T) {
	checkUICStart(t, "jfet2_uic.cir", 5e-6, 2e-3) // 1.9e-4 of the swing measured after 50 ns
}

// checkUICStart compares path's uic transient of v(d), v(g), v(d2), v(g2) with ngspice's
// at the first time point (within firstTol volts) and after 50 ns (within lateTol of
// each vector's swing).
func checkUICStart(t *testing.T, path string, firstTol, lateTol float64) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	vectors := []string{"v(d)", "v(g)", "v(d2)", "v(g2)"}
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
	for _, v := range vectors {
		if d := math.Abs(got.Col(v)[0] - want.Col(v)[0]); d > firstTol {
			t.Errorf("%s at the first point: gospice %g, ngspice %g", v, got.Col(v)[0], want.Col(v)[0])
		}
	}
	worst := 0.0
	ts := got.Cols[0]
	for _, v := range vectors {
		w, g := want.Col(v), got.Col(v)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range w {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		for i, tm := range ts {
			if tm < 50e-9 {
				continue
			}
			rel := math.Abs(g[i]-crosscheck.Interpolate(want.Cols[0], w, tm)) / (hi - lo)
			worst = math.Max(worst, rel)
		}
	}
	t.Logf("after 50 ns: measured %.3g of the swing at worst, tolerance %g", worst, lateTol)
	if worst > lateTol {
		t.Errorf("after 50 ns the runs differ by %.3g of the swing", worst)
	}
}
