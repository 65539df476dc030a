package netlists_test

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// devqVectors are the device quantities of devq.cir that ngspice 39 reports, by its
// names (ngspice's "show" lists them).
var devqVectors = []string{
	"@q1[ic]", "@q1[ib]", "@q1[ie]", "@q1[vbe]", "@q1[vbc]", "@q1[gm]", "@q1[gpi]", "@q1[gmu]", "@q1[go]",
	"@d1[id]", "@d1[gd]", "@d1[vd]",
	"@m1[id]", "@m1[is]", "@m1[ib]", "@m1[gm]", "@m1[gds]", "@m1[gmbs]", "@m1[vgs]", "@m1[vds]", "@m1[vdsat]", "@m1[von]",
	"@m2[id]", "@m2[gm]", "@m2[gds]", "@m2[vgs]", "@m2[vds]",
	"@m3[id]", "@m3[gm]", "@m3[gds]", "@m3[gmbs]", "@m3[vth]", "@m3[vdsat]",
	"@r1[i]", "@r1[p]",
}

// TestDeviceQuantitiesAgainstNgspice cross-checks the device quantities of a BJT, a
// diode, level-1 n and p MOSFETs and a BSIM4 MOSFET against ngspice 39, at the operating
// point and along a .dc sweep.
//
// ngspice reports the values of its last load, one Newton iteration behind the solution
// it prints: along its default .dc sweep @q1[ic] is 0.2% of its swing off
// (v(vc) - v(c))/rc, the current through the collector's resistor in ngspice's own
// solution, where gospice's agrees to 3e-10 (TestDeviceQuantitiesConsistent). With
// reltol=1e-9 abstol=1e-15 vntol=1e-12 ngspice converges onto gospice's values, so the
// sweep is compared with ngspice at those tolerances.
func TestDeviceQuantitiesAgainstNgspice(t *testing.T) {
	checkAgainstNgspice(t, []crossCase{{"devq.cir", "op", 1e-7, devqVectors},
		// vds < 0: ngspice's level-1 id keeps the sign of the drain's current, BSIM4's is
		// the local drain's; both report gm, gds, gmbs by the local voltages. (The bulk of
		// m1 is reverse-biased: where the local vbs is forward, ngspice's level-1 gmbs is
		// not the derivative of its own von, gospice's is.)
		{"devq_reverse.cir", "op", 1e-7, []string{"@m1[id]", "@m1[is]", "@m1[gm]", "@m1[gds]", "@m1[gmbs]", "@m1[vgs]",
			"@m1[vds]", "@m1[von]", "@m1[vdsat]", "@m3[id]", "@m3[gm]", "@m3[gds]", "@m3[gmbs]", "@m3[vth]", "@m3[vgs]", "@m3[vds]"}}})
	src, err := os.ReadFile("devq.cir")
	if err != nil {
		t.Fatal(err)
	}
	tight := strings.Replace(string(src), "\n.end", "\n.options reltol=1e-9 abstol=1e-15 vntol=1e-12\n.end", 1)
	want := crosscheck.MustNgspice(t, tight, "dc", devqVectors)
	got, err := crosscheck.Gospice("devq.cir", "dc")
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, want, got, devqVectors, 3e-5)
}

// TestDeviceQuantitiesConsistent holds the reported terminal currents of devq.cir's
// devices to the currents through the resistors in series with them, along the .dc
// sweep: the same currents as computed from the solution's node voltages. (Not the
// BSIM4 device's: ngspice's id leaves out its substrate, GIDL and gate currents, which
// flow through the drain resistor too.)
func TestDeviceQuantitiesConsistent(t *testing.T) {
	tab, err := crosscheck.Gospice("devq.cir", "dc")
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) []float64 {
		c := tab.Col(name)
		if c == nil {
			t.Fatalf("no vector %s", name)
		}
		return c
	}
	checks := []struct {
		name string
		want func(r int) float64
	}{
		{"@q1[ic]", func(r int) float64 { return (3 - col("v(c)")[r]) / 1e3 }},
		{"@d1[id]", func(r int) float64 { return col("v(dd)")[r] / 1e3 }},
		{"@m2[id]", func(r int) float64 { return col("v(y)")[r] / 5e3 }}, // n-channel frame: out of the p drain
		{"@r1[i]", func(r int) float64 { return (3 - col("v(x)")[r]) / 2e3 }},
	}
	for _, c := range checks {
		worst := 0.0
		got := col(c.name)
		for r := range got {
			w := c.want(r)
			d := math.Abs(got[r] - w)
			// Newton stops within its tolerances: q1's internal nodes 1e-8 A apart at most.
			if d > 1e-7 {
				t.Errorf("%s at row %d: %g, want %g", c.name, r, got[r], w)
			}
			worst = math.Max(worst, d)
		}
		t.Logf("%s: worst difference %.3g A", c.name, worst)
	}
}

// TestDeviceQuantityMeasure: .meas reads a device quantity as any vector. The largest
// @q1[ic] of the sweep is at its end, where it is the current through rc.
func TestDeviceQuantityMeasure(t *testing.T) {
	sim, err := gospice.Parse("m.cir", `meas of a device quantity
vcc vc 0 5
vb b 0 0.7
rc vc c 1k
q1 c b 0 qn
.model qn npn bf=100 is=1e-15
.dc vb 0.6 0.8 0.01
.meas dc icmax max @q1[ic]
.meas dc vcmin min v(c)
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	icmax, err := res.Measure("icmax")
	if err != nil {
		t.Fatal(err)
	}
	vcmin, err := res.Measure("vcmin")
	if err != nil {
		t.Fatal(err)
	}
	want := (5 - vcmin) / 1e3
	// 2.4e-9 A apart (5e-7 of it): within the Newton tolerances of the last point.
	if d := math.Abs(icmax - want); d > 3e-8 {
		t.Errorf("icmax %g, want (5 - vcmin)/1k = %g", icmax, want)
	} else {
		t.Logf("icmax %.10g A, (5 - vcmin)/1k %.10g A, %.2g apart", icmax, want, d)
	}
}

// vdmosVectors are the VDMOS quantities of devq_vdmos.cir that ngspice 39 reports.
var vdmosVectors = func() []string {
	var v []string
	for _, m := range []string{"m1", "m2"} {
		for _, q := range []string{"id", "is", "vgs", "vds", "von", "gm", "gds", "cds", "idio"} {
			v = append(v, "@"+m+"["+q+"]")
		}
	}
	return v
}()

// TestVDMOSQuantitiesAgainstNgspice cross-checks an n and a p VDMOS's quantities against
// ngspice 39 along a .dc sweep of the gate, and their gate-drain capacitance cgd along a
// transient ramp of it: in a .dc ngspice 39 reports cgd as 0 (it evaluates the gate
// charges only in a transient or AC, cgs too), where gospice gives the capacitances at
// the point. The .dc's worst is m1's cds, 4.2e-7 of its value off: ngspice's is
// 3.710237e-10 F, gospice's 3.710236e-10 F, the analytic cjo (1 + 5/vj)^-m at vds = 5 V
// 3.7102359e-10 F; the other quantities agree within 3.3e-10 of their swings. Along the
// transient (1 ms steps, so that interpolating between the two simulators' time points
// costs nothing) cgd agrees within 2.2e-12 of its swing.
func TestVDMOSQuantitiesAgainstNgspice(t *testing.T) {
	checkAgainstNgspice(t, []crossCase{{"devq_vdmos.cir", "dc", 4e-6, vdmosVectors}})
	src, err := os.ReadFile("devq_vdmos.cir")
	if err != nil {
		t.Fatal(err)
	}
	tran := strings.NewReplacer("vg g 0 0", "vg g 0 pwl(0 -4 1 4)", ".dc vg -4 4 0.25", ".tran 20m 1 0 1m").Replace(string(src))
	vecs := []string{"@m1[cgd]", "@m2[cgd]", "@m1[cgs]", "@m2[cgs]"}
	tran = strings.Replace(tran, "\n.end", "\n.save "+strings.Join(vecs, " ")+"\n.end", 1)
	want := crosscheck.MustNgspice(t, tran, "tran", vecs)
	got, err := crosscheck.RunText(tran, "tran")
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, want, got, vecs, 2e-11)
}

// TestSaveCurrentsAgainstNgspice: under .options savecurrents a .dc writes every
// device's currents, named and valued as ngspice 39's (at tight tolerances, so that
// ngspice's last load is its solution: TestDeviceQuantitiesAgainstNgspice).
func TestSaveCurrentsAgainstNgspice(t *testing.T) {
	vecs := []string{"@r1[i]", "@d1[id]", "@r2[i]", "@q1[ic]", "@q1[ie]", "@q1[ib]", "@q1[is]", "@re[i]",
		"@m1[id]", "@m1[is]", "@m1[ig]", "@m1[ib]", "@rs[i]", "@m2[id]", "@rs2[i]", "@l1[i]", "@rx[i]",
		"@m3[id]", "@m3[is]", "@m3[ig]", "@rs3[i]", "@g1[i]", "@rg[i]",
		"@r.x1.rsub[i]", "@m.x1.msub[id]", "@m.x1.msub[is]"}
	checkAgainstNgspice(t, []crossCase{{"savecurrents.cir", "dc", 1e-7, vecs}})
}

// TestDeviceQuantitiesInAC: an .ac writes a device quantity as ngspice 39 does, its value
// at the operating point (real, imaginary part 0) at every frequency: here those of the
// same circuit's .op, which TestDeviceQuantitiesAgainstNgspice and
// TestVDMOSQuantitiesAgainstNgspice hold to ngspice.
func TestDeviceQuantitiesInAC(t *testing.T) {
	const deck = `device quantities in .ac
v1 a 0 dc 0.5 ac 1
d1 a 0 dm
vd d 0 dc -0.5 ac 1
m1 d 0 0 vn
.model dm d cjo=1p is=1e-14
.model vn vdmos(vto=1 kp=1 cjo=2n is=1e-12 rb=0.01)
.save all @d1[id] @d1[cd] @m1[cds] @m1[idio]
`
	op, err := crosscheck.RunText(deck+".op\n.end\n", "op")
	if err != nil {
		t.Fatal(err)
	}
	ac, err := crosscheck.RunText(deck+".ac dec 2 1 1meg\n.end\n", "ac")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"@d1[id]", "@d1[cd]", "@m1[cds]", "@m1[idio]"} {
		want, re, im := op.Col(q), ac.Col("re("+q+")"), ac.Col("im("+q+")")
		if len(want) != 1 || len(re) < 10 || len(im) != len(re) {
			t.Fatalf("%s: %d op values, %d and %d ac values", q, len(want), len(re), len(im))
		}
		if want[0] == 0 {
			t.Fatalf("%s is 0 at the operating point: the check checks nothing", q)
		}
		for k := range re {
			if re[k] != want[0] || im[k] != 0 {
				t.Errorf("%s at row %d: %g%+gi, want %g", q, k, re[k], im[k], want[0])
			}
		}
	}
}
