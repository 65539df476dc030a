package netlists_test

import (
	"math"
	"os"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// mosCases are the MOSFET netlists cross-checked against ngspice.
var mosCases = []crossCase{
	{"mos_inverter.cir", "dc", []string{"v(out)", "v(src)", "i(vdd)"}},
	{"mos_output.cir", "dc", []string{"i(vds)", "i(vp)"}},
	{"mos_cmos_inverter.cir", "tran", []string{"v(out)", "i(vdd)"}},
	{"mos_cmos_uic.cir", "tran", []string{"v(out)", "v(out2)", "i(vdd)"}},
	{"mos_ac.cir", "ac", []string{"vm(d)", "vp(d)"}},
}

func TestMOSAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, mosCases, 3e-3) }

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
	rel := (gp - wp) / wp
	t.Logf("period: gospice %.5g s over %d cycles, ngspice %.5g s over %d cycles: %+.3f%%",
		gp, len(gc)-1, wp, len(wc)-1, 100*rel)
	if len(gc) != len(wc) || rel > 0.01 || rel < -0.01 {
		t.Errorf("the periods differ by more than 1%% (or the cycle counts %d and %d differ)", len(gc)-1, len(wc)-1)
	}
}

// mosShiftedMismatch is the worst disagreement of a vector when each point may be matched
// anywhere on the other curve within shift in time: it forgives edges that land a little
// earlier or later, and nothing else. Both directions are checked.
func mosShiftedMismatch(want, got *crosscheck.Table, name string, shift float64) float64 {
	worst := 0.0
	one := func(ta, va, tb, vb []float64) {
		for i, t := range ta {
			lo := crosscheck.Interpolate(tb, vb, t-shift)
			hi := crosscheck.Interpolate(tb, vb, t+shift)
			lo, hi = math.Min(lo, hi), math.Max(lo, hi)
			for j, s := range tb {
				if s > t-shift && s < t+shift {
					lo, hi = math.Min(lo, vb[j]), math.Max(hi, vb[j])
				}
			}
			worst = math.Max(worst, math.Max(0, math.Max(lo-va[i], va[i]-hi)))
		}
	}
	one(want.Cols[0], want.Col(name), got.Cols[0], got.Col(name))
	one(got.Cols[0], got.Col(name), want.Cols[0], want.Col(name))
	return worst
}

// mosMidCrossings returns the times at which v crosses level either way.
func mosMidCrossings(ts, vs []float64, level float64) []float64 {
	var out []float64
	for i := 1; i < len(ts); i++ {
		if (vs[i-1] < level) != (vs[i] < level) {
			out = append(out, ts[i-1]+(level-vs[i-1])*(ts[i]-ts[i-1])/(vs[i]-vs[i-1]))
		}
	}
	return out
}

// TestMOSMemoryCell runs the corpus's MOS memory cell unchanged and compares every node and
// the supply current with ngspice's within 1% of the swing. Where the plain comparison
// fails, it must fail only at edges: the vector must then agree within 1% when points may
// shift by up to 1% of the run, and its mid-swing crossings must be as many and within 1%
// of the run of ngspice's.
func TestMOSMemoryCell(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	const path, tol = "../../shared/corpus/ngspice/tests/general/mosmem.cir", 1e-2
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is not here: %v", path, err)
	}
	vectors := []string{"v(3)", "v(4)", "v(5)", "v(6)", "v(8)", "i(vdd)"}
	want, err := crosscheck.Ngspice(path, "tran", vectors)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.Gospice(path, "tran")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := crosscheck.Compare(want, got, vectors, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	run := want.Cols[0][want.Len()-1] - want.Cols[0][0]
	for _, m := range ms {
		t.Logf("%v", m)
		if m.Relative() <= tol {
			continue
		}
		shifted := mosShiftedMismatch(want, got, m.Vector, tol*run) / m.Swing
		w, g := want.Col(m.Vector), got.Col(m.Vector)
		lo, hi := w[0], w[0]
		for _, v := range w {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		wc := mosMidCrossings(want.Cols[0], w, (lo+hi)/2)
		gc := mosMidCrossings(got.Cols[0], g, (lo+hi)/2)
		edge := 0.0
		for i := range min(len(wc), len(gc)) {
			edge = math.Max(edge, math.Abs(wc[i]-gc[i]))
		}
		t.Logf("%s fails the plain comparison; with edges free to shift by %g s: %.3g%% of its swing; %d edges here, %d in ngspice, the worst %.3g s apart (%.3g%% of the run)",
			m.Vector, tol*run, 100*shifted, len(gc), len(wc), edge, 100*edge/run)
		if shifted > tol || len(wc) != len(gc) || edge > tol*run {
			t.Errorf("%s: the mismatch is not only at edges", m.Vector)
		}
	}
}
