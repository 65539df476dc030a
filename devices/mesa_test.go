package devices

import (
	"strings"
	"testing"
)

// mesaModels are a level-2 device with every resistance, the knee's and mobility's gate
// dependences, sidegating and ag's current, and level-3 and level-4 ones with ri and rf.
var mesaModels = []string{
	".model zm nmf level=2 rd=31 rs=20 rg=5 ri=10 rf=12 rdi=3 rsi=4 alpha=0.5 theta=0.05 tc=0.1 ks=0.05 vsg=-1 ag=0.3\n",
	".model zm nmf level=3 rd=31 rs=20 ri=10 rf=12 rdi=2.7 rsi=2.7 mu=0.2 m=2.2 vto=-1 tc=0.001 sigma0=0.02\n",
	".model zm nmf level=4 rd=31 rs=20 ri=10 rf=12 rdi=2 rsi=3 vto=-0.7 nmax=1e16 gamma=2.5\n",
}

// TestMESAStampsAreDerivatives holds G and C to finite differences of F and Q at points
// of both modes (cut off, subthreshold, linear, saturation; the gate diodes forward and
// reversed), for the three levels.
func TestMESAStampsAreDerivatives(t *testing.T) {
	nodes := []string{"d", "g", "s", "z1#drain", "z1#gate", "z1#source", "z1#gs", "z1#gd"}
	points := [][]float64{
		{3, -0.5, 0, 2.9, -0.5, 0.01, 0.02, 2.8},     // saturation
		{0.2, -0.2, 0, 0.19, -0.2, 0.01, 0.0, 0.15},  // linear
		{3, -2.5, 0, 3, -2.5, 0, 0.01, 2.9},          // cut off
		{2, -1.2, 0.1, 1.9, -1.2, 0.1, 0.1, 1.9},     // subthreshold, source lifted (sidegating)
		{-0.4, -0.6, 0, -0.39, -0.6, 0, 0.01, -0.38}, // inverse mode
		{0.5, 0.45, 0, 0.49, 0.44, 0.01, 0.0, 0.4},   // gate diodes forward
	}
	for _, model := range mesaModels {
		worst := worstStampError(t, "t\nZ1 d g s zm l=1u w=20u m=2\n"+model+".end\n", nodes, points, 2e-5, strings.Fields(model)[3])
		t.Logf("%s: stamps against finite differences: measured %.3g relative at worst, tolerance 2e-5", strings.Fields(model)[3], worst)
	}
}

func TestMESALoadAllocatesNothing(t *testing.T) {
	wantLoadAllocatesNothing(t, "t\nZ1 d g 0 zm\n"+mesaModels[0]+".end\n",
		[]string{"v(d)", "v(g)", "v(z1#drain)"}, []float64{3, -0.5, 2.9})
}

func TestMESAErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{

		{"t\nZ1 d g s zm\n.model zm nmf level=5\n.end\n", "MESFET level 5"},
		{"t\nZ1 d g s zm\n.model zm nhfet level=4\n.end\n", "HFET level 4"},
		{"t\nZ1 d g s zm\n.model zm nmos\n.end\n", "not a MESFET model"},
		{"t\nZ1 d g s zm 2\n.model zm nmf level=2\n.end\n", "t.cir:2:13: z1: unexpected \"2\" (a MESA MESFET takes l=, w=, off and name=value parameters, no area)"},
		{"t\nZ1 d g s zm l=0\n.model zm nmf level=2\n.end\n", "z1: l and w must be positive"},
		{"t\nZ1 d g s zm m=0\n.model zm nmf level=2\n.end\n", "z1: m must be positive"},
		{"t\nZ1 d g s zm\n.model zm nmf level=2 rd=-1\n.end\n", "must not be negative"},
		{"t\nZ1 d g s zm\n.model zm nmf level=2 vtx=1\n.end\n", `t.cir:3:23: unknown MESA model parameter "vtx"`},
		{"t\nZ1 d g s zm ts=-300\n.model zm nmf level=2\n.end\n", "below absolute zero"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's MESA model and instance tables is accepted.
	all := "t\nZ1 d g s zm l=1u w=20u m=1 icvds=1 icvgs=0 td=27 ts=27 dtemp=0 ic=1,0 off\n" +
		".model zm pmf level=2 vto=-1.26 vt0=-1.26 lambda=0.045 lambdahf=0.045 beta=0.0085 vs=1.5e5 rd=0 rs=0 " +
		"rg=0 ri=0 rf=0 rdi=0 rsi=0 phib=0.5 phib1=0 tphib=0 astar=4e4 ggr=40 del=0.04 xchi=0.033 tggr=0.033 " +
		"n=1 eta=1.73 m=2.5 mc=3 alpha=0 sigma0=0.081 vsigmat=1.01 vsigma=0.1 mu=0.23 theta=0 mu1=0 mu2=0 " +
		"d=0.12u nd=2e23 du=0.035u ndu=1e22 th=0.01u ndelta=6e24 delta=5 tc=0 tvto=0 alphat=0 tlambda=1000 " +
		"teta0=1000 teta1=0 tmu=27 xtm0=0 xtm1=0 xtm2=0 ks=0 vsg=0 tf=27 flo=0 delfo=0 ag=0 rtc1=0 rtc2=0 " +
		"zeta=1 nmax=2e16 gamma=3 epsi=1e-10 cas=1 cbs=1\n.end\n"
	wantBuilds(t, all)
}
