package devices

import (
	"math"
	"testing"
)

// statzModels are an nmf device with rd, rs and gate charges, and a pmf one.
var statzModels = []string{
	".model zm nmf vto=-1.3 beta=0.01 b=0.3 alpha=2.5 lambda=0.05 rd=5 rs=4 cgs=0.4p cgd=0.1p pb=0.8 is=1e-13\n",
	".model zm pmf vto=-1 beta=0.006 b=0.2 alpha=3 lambda=0.02 cgs=0.3p cgd=0.15p rd=3 rs=3\n",
}

// TestStatzStampsAreDerivatives holds G and C to finite differences of F and Q at points
// of both modes (cut off, linear, saturation, the knee, gate diodes forward), for n and p
// types. The loads run without history (the last accepted vgs = vgd = 0), so that the
// gate charges' cross derivatives (qgs by vgd, qgd by vgs) are not zero.
func TestStatzStampsAreDerivatives(t *testing.T) {
	nodes := []string{"d", "g", "s", "z1#drain", "z1#source"}
	points := [][]float64{
		{3, -0.5, 0, 2.95, 0.02},      // saturation
		{0.3, -0.2, 0, 0.28, 0.01},    // linear
		{1.1, -0.4, 0, 1.08, 0.01},    // near the knee at 3/alpha
		{3, -2.5, 0, 3, 0},            // cut off
		{-0.6, -0.4, 0, -0.58, -0.01}, // inverse mode
		{0.4, 0.75, 0, 0.38, 0.03},    // gate diodes forward, charge above vmax
		{-2, -3.1, -0.5, -1.9, -0.49}, // both junctions reversed past the pinch-off
	}
	for _, model := range statzModels {
		worst := worstStampError(t, "t\nZ1 d g s zm area=1.5\n"+model+".end\n", nodes, points, 2e-5, model[:14])
		t.Logf("%.14s: stamps against finite differences: measured %.3g relative at worst, tolerance 2e-5", model, worst)
	}
}

// TestStatzGateCharge holds the gate charge's capacitances to finite differences of the
// charge, below and above vmax and in both modes.
func TestStatzGateCharge(t *testing.T) {
	d := &JFET{statz: &statz{alpha: 2.5}, vto: -1.3, pb: 0.8, czgs: 0.4e-12, czgd: 0.1e-12}
	const h = 1e-6
	worst := 0.0
	for _, v := range [][2]float64{{-0.5, -2.5}, {0.2, -1}, {0.7, 0.3}, {-2, -2.1}, {-1, 0.1}, {0.45, 0.45}} {
		q, cgs, cgd := d.statzGateCharge(v[0], v[1])
		qsp, _, _ := d.statzGateCharge(v[0]+h, v[1])
		qsm, _, _ := d.statzGateCharge(v[0]-h, v[1])
		qdp, _, _ := d.statzGateCharge(v[0], v[1]+h)
		qdm, _, _ := d.statzGateCharge(v[0], v[1]-h)
		for _, c := range [][2]float64{{cgs, (qsp - qsm) / (2 * h)}, {cgd, (qdp - qdm) / (2 * h)}} {
			rel := math.Abs(c[0]-c[1]) / (d.czgs + d.czgd)
			worst = math.Max(worst, rel)
			if rel > 1e-7 {
				t.Errorf("at vgs %g vgd %g (q %g): capacitance %g, finite difference %g", v[0], v[1], q, c[0], c[1])
			}
		}
	}
	t.Logf("capacitances against finite differences: %.3g of cgs+cgd at worst, tolerance 1e-7", worst)
}

func TestStatzLoadAllocatesNothing(t *testing.T) {
	wantLoadAllocatesNothing(t, "t\nZ1 d g 0 zm\n"+statzModels[0]+".end\n",
		[]string{"v(d)", "v(g)", "v(z1#drain)"}, []float64{3, -0.5, 2.9})
}

func TestStatzErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nZ1 d g s zm 2\n.model zm nmf\n.end\n", `t.cir:2:13: z1: unexpected "2": a Statz MESFET's area is given as area= (ngspice 39 ignores a bare number here)`},
		{"t\nZ1 d g s zm area=2 m=2\n.model zm nmf\n.end\n", "z1: give area= or m=, not both"},
		{"t\nZ1 d g s zm area=0\n.model zm nmf\n.end\n", "z1: area must be positive"},
		{"t\nZ1 d g s zm\n.model zm nmf alpha=0\n.end\n", "alpha must be positive"},
		{"t\nZ1 d g s zm\n.model zm nmf cgs=1p pb=0.5\n.end\n", "pb must exceed 0.5 V when cgs or cgd is given"},
		{"t\nZ1 d g s zm\n.model zm nmf rd=-1\n.end\n", "must not be negative"},
		{"t\nZ1 d g s zm ic=1,0\n.model zm nmf\n.end\n", `unknown Statz MESFET parameter "ic"`},
		{"t\nZ1 d g s zm\n.model zm nmf level=1 vtx=1\n.end\n", `t.cir:3:23: unknown Statz MESFET model parameter "vtx"`},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's MES model and instance tables is accepted.
	wantBuilds(t, "t\nZ1 d g s zm area=1 icvds=1 icvgs=0 off\nZ2 d g s zm m=1\n"+
		".model zm pmf level=1 vto=-2 vt0=-2 alpha=2 beta=2.5e-3 lambda=0 b=0.3 rd=0 rs=0 cgs=0 cgd=0 "+
		"pb=1 is=1e-14 fc=0.5 kf=0 af=1\n.end\n")
}
