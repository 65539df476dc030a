package devices

import (
	"math"
	"strings"
	"testing"
)

// hfetModels are an nhfet with every resistance, the second channel (eta2, d2), p, cds
// and the junctions behind rgs and rgd; one with the junctions' resistances zero; and a
// phfet.
var hfetModels = []string{
	".model zm nhfet level=5 rd=31 rs=20 rg=5 ri=10 rf=12 rdi=3 rsi=4 eta2=1.6 d2=0.1u p=0.6 cds=2f js1s=1e-2 js1d=2e-2\n",
	".model zm nhfet level=5 rd=31 rs=20 rgs=0 rgd=0 js1s=1e-2 js1d=1e-2 lambda=0.1 nmax=5e15 gamma=2.5\n",
	".model zm phfet level=5 rd=31 rs=20 ri=10 rf=12 rdi=2 rsi=3 js1s=1e-2 js1d=1e-2 p=1.4\n",
	".model zm nhfet level=6 rd=31 rs=20 rdi=3 rsi=4 eta2=1.6 d2=0.1u p=0.6 cf=2f js=1e-2 n=1.5 ggr=40\n",
	".model zm phfet level=6 rd=31 rs=20 rdi=2 rsi=3 js=1e-2 p=1.4 knmax=1e13\n",
	".model zm nhfet level=5 gatemod=1 a1=0.05 a2=0.5 rd=31 rs=20 ri=10 rf=12 rsi=2 ck2=0.1 cm2=0.2 phib=0.7\n",
}

// TestHFETStampsAreDerivatives holds G and C to finite differences of F and Q at points
// of both modes (cut off, subthreshold, linear, saturation; the gate junctions forward
// and reversed).
func TestHFETStampsAreDerivatives(t *testing.T) {
	nodes := []string{"d", "g", "s", "z1#drain", "z1#gate", "z1#source", "z1#gs", "z1#gd"}
	points := [][]float64{
		{2, 0.4, 0, 1.9, 0.4, 0.01, 0.02, 1.8},     // saturation
		{0.2, 0.5, 0, 0.19, 0.5, 0.01, 0.0, 0.15},  // linear
		{2, -1, 0, 2, -1, 0, 0.01, 1.9},            // cut off
		{1, 0.05, 0.1, 0.9, 0.05, 0.1, 0.1, 0.9},   // subthreshold
		{-0.4, 0.3, 0, -0.39, 0.3, 0, 0.01, -0.38}, // inverse mode
		{0.5, 0.9, 0, 0.49, 0.9, 0.01, 0.0, 0.4},   // gate junctions forward
		{3, -2.5, 0, 3, -2.5, 0, 0, 3},             // far reversed (gmin's branch)
	}
	for _, model := range hfetModels {
		var pts [][]float64
		for _, p := range points {
			if strings.Contains(model, "phfet") {
				q := make([]float64, len(p))
				for k := range p {
					q[k] = -p[k]
				}
				p = q
			}
			pts = append(pts, p)
		}
		worst := worstStampError(t, "t\nZ1 d g s zm l=1u w=20u m=2\n"+model+".end\n", nodes, pts, 5e-6, strings.Fields(model)[2])
		t.Logf("%s: stamps against finite differences: measured %.3g relative at worst, tolerance 5e-6", model, worst)
	}
}

// TestHFETCapacitanceIsChargeSlope holds the gate-channel capacitance's closed form (the
// sheet density's slope by vgs, written out as ngspice writes it) to the derivative the
// forward-mode differentiation gives of the sheet density, through the capacitances at
// vds = 0 (where each takes half of it).
func TestHFETCapacitanceIsChargeSlope(t *testing.T) {
	for _, model := range hfetModels[:2] {
		d := buildHFET(t, "t\nZ1 d g 0 zm\n"+model+".end\n")
		for _, vgs := range []float64{-0.1, 0.1, 0.4, 0.8} {
			var out mesaOut
			d.ch.current(vgs, 0, &out)
			// At vds = 0 Meyer's partition (and p's, whose share is 1 there) gives
			// each side half of cgc beside its fringing cf.
			cgc := out.cgs.v + out.cgd.v - 2*d.ch.cf
			ns := func(v float64) float64 { return hfetSheet(&d.ch, v) }
			h := 1e-6
			dns := (ns(vgs+h) - ns(vgs-h)) / (2 * h)
			eta1vt := d.ch.eta1 * d.ch.vt
			cg1 := 1 / (d.ch.d1/d.ch.epsi + eta1vt*math.Exp(-(vgs-d.ch.vt1)/eta1vt))
			want := d.ch.w * d.ch.l * (dioCharge*dns + cg1)
			rel := math.Abs(cgc-want) / want
			t.Logf("vgs %g: cgc %.6g, from the sheet density's slope %.6g: %.2g apart", vgs, cgc, want, rel)
			if rel > 4e-8 { // 3.7e-9 measured (the difference quotient's rounding)
				t.Errorf("vgs %g: cgc %g, want %g", vgs, cgc, want)
			}
		}
	}
}

// hfetSheet is the channel's sheet density at vgs and vds = 0, from the current's
// conductance at vds = 0 (gch = q W mu ns / L when rsi = rdi = 0).
func hfetSheet(ch *hfetChannel, vgs float64) float64 {
	c := *ch
	c.rt, c.rsi = 0, 0
	var out mesaOut
	c.current(vgs, 0, &out)
	return out.id.d / c.gchi0
}

func buildHFET(t *testing.T, netlist string) *HFET {
	t.Helper()
	for _, d := range parseAndBuild(t, netlist, DefaultEnv()) {
		if h, ok := d.(*HFET); ok {
			return h
		}
	}
	t.Fatal("no HFET built")
	return nil
}

func TestHFETLoadAllocatesNothing(t *testing.T) {
	wantLoadAllocatesNothing(t, "t\nZ1 d g 0 zm\n"+hfetModels[0]+".end\n",
		[]string{"v(d)", "v(g)", "v(z1#drain)"}, []float64{2, 0.4, 1.9})
}

func TestHFETErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nZ1 d g s zm\n.model zm nhfet\n.end\n", "an HFET model needs a level"},
		{"t\nZ1 d g s zm\n.model zm nhfet level=7\n.end\n", "HFET level 7"},
		{"t\nZ1 d g s zm\n.model zm nhfet level=6 rgs=1\n.end\n", `t.cir:3:25: unknown HFET2 model parameter "rgs"`},
		{"t\nZ1 d g s zm\n.model zm nhfet level=6 n=0\n.end\n", "n must be positive"},
		{"t\nZ1 d g s zm temp=100\n.model zm nhfet level=6 knmax=1e15\n.end\n", "nmax at 100 C is not positive"},
		{"t\nZ1 d g s zm\n.model zm nhfet level=5 gatemod=1 mt1=0\n.end\n", "mt1, mt2 and mv1 must be positive"},
		{"t\nZ1 d g s zm 2\n.model zm nhfet level=5\n.end\n", "t.cir:2:13: z1: unexpected \"2\" (an HFET takes l=, w=, off and name=value parameters, no area)"},
		{"t\nZ1 d g s zm l=0\n.model zm nhfet level=5\n.end\n", "z1: l and w must be positive"},
		{"t\nZ1 d g s zm m=0\n.model zm nhfet level=5\n.end\n", "z1: m must be positive"},
		{"t\nZ1 d g s zm\n.model zm nhfet level=5 rgs=-1\n.end\n", "must not be negative"},
		{"t\nZ1 d g s zm\n.model zm nhfet level=5 vtx=1\n.end\n", `t.cir:3:25: unknown HFET1 model parameter "vtx"`},
		{"t\nZ1 d g s zm temp=-300\n.model zm nhfet level=5\n.end\n", "below absolute zero"},
		{"t\nZ1 d g s zm temp=100\n.model zm nhfet level=5 mu=0.1 kmu=0.01\n.end\n", "the mobility or nmax at 100 C is not positive"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's HFET1 model and instance tables is accepted.
	all := "t\nZ1 d g s zm l=1u w=20u m=1 icvds=1 icvgs=0 temp=27 dtemp=0 off\n" +
		".model zm nhfet level=5 vt0=0.15 vto=0.15 lambda=0.15 rd=0 rs=0 rg=0 rdi=0 rsi=0 rgs=90 rgd=90 ri=0 rf=0 " +
		"eta=1.28 m=3 mc=3 gamma=3 sigma0=0.057 vsigmat=0.3 vsigma=0.1 mu=0.4 di=0.04u delta=3 vs=1.5e5 " +
		"nmax=2e16 deltad=4.5n js1d=1 js2d=1.15e6 js1s=1 js2s=1.15e6 m1d=1.32 m2d=6.9 m1s=1.32 m2s=6.9 " +
		"epsi=1.08e-10 p=1 cm3=0.17 a1=0 a2=0 mv1=3 kappa=0 delf=0 fgds=0 tf=27 cds=0 phib=0.5 talpha=1200 " +
		"mt1=3.5 mt2=9.9 ck1=1 ck2=0 cm1=3 cm2=0 astar=4e4 eta1=2 d1=0.03u vt1=1 eta2=2 d2=0.2u vt2=0.15 " +
		"ggr=40 del=0.04 gatemod=0 klambda=0 kmu=0 kvto=0\n.end\n"
	wantBuilds(t, all)
	all = "t\nZ1 d g s zm l=1u w=20u m=1 icvds=1 icvgs=0 temp=27 dtemp=0 off\n" +
		".model zm phfet level=6 cf=0 d1=0.03u d2=0.2u del=0.04 delta=3 deltad=4.5n di=0.04u epsi=1.08e-10 " +
		"eta=1.4 eta1=2 eta2=2 gamma=3 ggr=0 js=0 klambda=0 kmu=0 knmax=0 kvto=0 lambda=0.15 m=3 mc=3 mu=0.03 " +
		"n=5 nmax=2e16 p=1 rd=0 rdi=0 rs=0 rsi=0 sigma0=0.057 vs=0.8e5 vsigma=0.1 vsigmat=0.3 vt0=-0.15 vt1=1 " +
		"vt2=-0.15 vto=-0.15\n.end\n"
	wantBuilds(t, all)
}
