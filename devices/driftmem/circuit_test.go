package driftmem_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gospice/gospice"
)

// results runs every analysis of a netlist.
func results(t *testing.T, netlist string) []*gospice.Result {
	t.Helper()
	sim, err := gospice.Parse("t.cir", netlist)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestACMatchesDCSlope checks that the .ac linearization of each level is the slope of
// its .dc curve at the operating point: the state is held at xo in both, so the small
// signal conductance is di/dv at fixed x.
func TestACMatchesDCSlope(t *testing.T) {
	models := map[string]string{
		"team": ".model mm memristor level=2 ron=50 roff=1000 xoff=3e-9 xscaling=1e9 ivrelation=1",
		"yakopcic": ".model mm memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 " +
			"ap=4000 an=4000 xp=0.3 xn=0.5 alphap=1 alphan=5 eta=1",
	}
	for name, model := range models {
		const v0, dv = 0.3, 1e-4
		text := "t\nV1 a 0 dc 0.3 ac 1\nYMEMRISTOR y1 a 0 mm xo=1.5\n" + model + "\n" +
			".dc V1 0.2999 0.3001 1e-4\n.ac lin 1 1 1\n.print dc i(v1)\n.print ac ir(v1) ii(v1)\n.end\n"
		if name == "yakopcic" {
			text = strings.Replace(text, "xo=1.5", "xo=0.4", 1)
		}
		rs := results(t, text)
		idc, _ := rs[0].Vector("i(v1)")
		slope := (idc[2] - idc[0]) / (2 * dv)
		re, _ := rs[1].Vector("ir(v1)")
		im, _ := rs[1].Vector("ii(v1)")
		rel := math.Abs(re[0]-slope) / math.Abs(slope)
		t.Logf("%s at %g V: dc slope %.9g S, ac %.9g%+.3gj S, relative difference %.2g", name, v0, slope, re[0], im[0], rel)
		if rel > 2e-7 || // measured: 1.9e-8 (the central difference of the dc curve)
			math.Abs(im[0]) > 1e-12*math.Abs(slope) {
			t.Errorf("%s: ac conductance %g%+gj, dc slope %g", name, re[0], im[0], slope)
		}
	}
}

// TestRerunIsIdentical runs one built simulation twice at once: the device keeps no run
// state, so both runs give the same points (go test -race checks the sharing).
func TestRerunIsIdentical(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nV1 a 0 sin(0 1 1k)\nYMEMRISTOR y1 a b mm\nR1 b 0 50\n"+
		".model mm memristor level=2 ron=50 roff=1000 koff=1.46e-18 kon=-4.68e-22 alphaoff=10 alphaon=10 "+
		"wc=1.0e-12 ioff=115e-6 ion=-8.9e-6 xscaling=1.0e9 wt=4\n.tran 1u 2m\n.print tran n(ymemristor!y1_x) n(ymemristor!y1:r)\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan []float64, 2)
	for range 2 {
		go func() {
			rs, err := sim.Results(context.Background())
			if err != nil {
				t.Error(err)
				out <- nil
				return
			}
			x, _ := rs[0].Vector("n(ymemristor!y1_x)")
			out <- x
		}()
	}
	a, b := <-out, <-out
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("runs of %d and %d points", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("point %d: %g and %g", i, a[i], b[i])
		}
	}
	if slicesMax(a) == 0 {
		t.Errorf("x never moved")
	}
}

// TestErrors names the place of each mistake.
func TestErrors(t *testing.T) {
	for text, want := range map[string]string{
		"YMEMRISTOR y1 a 0 mm\n.model mm memristor level=2 kof=1":                                   `t.cir:3:29: unknown TEAM memristor model parameter "kof" (model mm, used by y1); did you mean "kon"?`,
		"YMEMRISTOR y1 a 0 mm\n.model mm memristor level=2 wt=5":                                    "t.cir:3:1: memristor model mm: wt must be 0, 1, 2, 3 or 4",
		"YMEMRISTOR y1 a 0 mm\n.model mm memristor level=4":                                         "t.cir:3:1: memristor model mm: a PEM model (level=4) needs its window tables, fxpdata=FILE and fxmdata=FILE",
		"YMEMRISTOR y1 a 0 mm\n.model mm memristor level=4 fxpdata=nothere.csv fxmdata=nothere.csv": `t.cir:3:37: cannot read "nothere.csv": no such file`,
		"YMEMRISTOR y1 a 0 mm ivrelation=1\n.model mm memristor level=3":                            "t.cir:2:1: y1: ivrelation is a TEAM (level=2) parameter",
	} {
		_, err := gospice.Parse("t.cir", "t\n"+text+"\nV1 a 0 1\n.op\n.end\n")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q:\n got %v\nwant %s", text, err, want)
		}
	}
}

func slicesMax(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// TestTEAMWallAtTightReltol runs Xyce's memristorTEAM_test circuit at its own
// `.options timeint reltol=1e-4`: each collapse of x ends at the Kvatinsky window's wall
// (wc = 1e-3 nm) within femtoseconds, below SPICE's minimum step (1e-11 tmax = 2e-15 s),
// where the run stopped with "timestep too small" before device states could take
// smaller steps (analysis.transient.stateFloor).
func TestTEAMWallAtTightReltol(t *testing.T) {
	rs := results(t, "t\nvsrc n1 0 sin(0 1 1000 0)\n.options reltol=1e-4\n"+
		".model mrm1 memristor level=2 ron=50 roff=1000 koff=1.46e-18 kon=-4.68e-22 alphaoff=10 alphaon=10 "+
		"wc=1.0e-12 ioff=115e-6 ion=-8.9e-6 xscaling=1.0e9 wt=4\nymemristor mr1 n1 n2 mrm1\nrptg n2 0 50\n"+
		".print tran n(ymemristor!mr1_x)\n.tran 0 10e-3\n.end\n")
	tm := rs[0].Scale()
	x, _ := rs[0].Vector("n(ymemristor!mr1_x)")
	least, short := math.Inf(1), 0
	for i := 1; i < len(tm); i++ {
		if h := tm[i] - tm[i-1]; h > 0 {
			least = math.Min(least, h)
			if h < 2e-15 {
				short++
			}
		}
	}
	t.Logf("%d points to %g s, %d steps under 2e-15 s (least %.3g s); x from %.4g to %.4g nm",
		len(tm), tm[len(tm)-1], short, least, slices.Min(x), slicesMax(x))
	if tm[len(tm)-1] != 10e-3 || short == 0 {
		t.Errorf("ended at %g s with %d steps under the minimum", tm[len(tm)-1], short)
	}
	// Xyce's gold ends each collapse at -3.1e-3 nm, three wc beyond aon = 0.
	if lo := slices.Min(x); lo < -0.01 || lo > 0 {
		t.Errorf("x stops at %g nm, not at the wall near -0.003 nm", lo)
	}
}
