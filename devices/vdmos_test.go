package devices

import (
	"testing"
)

// vdmosCard has every resistance (with rb), both capacitances, the body diode's charges
// and breakdown, and the channel's theta, lambda, mtriode and weak inversion.
const vdmosCard = "vto=3 kp=8 lambda=0.02 theta=0.05 mtriode=0.7 ksubthres=0.15 subshift=0.05 rd=0.2 rs=0.1 rg=2 rb=0.3 " +
	"rds=1k cgdmin=20p cgdmax=1n a=0.5 cgs=800p cjo=400p tt=50n is=1e-10 bv=30 ibv=1m"

// TestVDMOSStampsAreDerivatives holds G and C to finite differences of F and Q at points
// in every region of both modes (weak inversion, linear, saturation; drain below the
// source with the body diode forward; near breakdown), for an n- and a p-channel device
// with and without self-heating and quasi-saturation (whose current slopes by the temperature are central
// differences of 1 mK), to 1e-6 relative and 1e-7 absolute.
func TestVDMOSStampsAreDerivatives(t *testing.T) {
	points := [][]float64{ // d, g, s, tj, tc
		{5, 6, 0, 10, 3},      // saturation
		{0.5, 8, 0, 20, 5},    // linear
		{5, 2.5, 0, 0, 0},     // weak inversion
		{-0.6, 4, 0, 30, 10},  // inverse mode, body diode forward
		{-0.65, 1, 0, 5, 1},   // inverse mode, saturation (in weak inversion)
		{29.8, 0, 0, 1, 0.5},  // near breakdown
		{2, 3.2, 0.3, 50, 20}, // source above ground
	}
	for _, c := range []struct {
		lines string
		typ   float64
		nodes []string
	}{
		{"M1 d g s m1\n.model m1 vdmos " + vdmosCard, 1, nil},
		{"M1 d g s m1\n.model m1 vdmos pchan " + vdmosCard, -1, nil},
		{"M1 d g s m1\n.model m1 vdmos rq=2 vq=20 texp1=0.4 " + vdmosCard, 1, nil},
		{"M1 d g s m1\n.model m1 vdmos pchan rq=2 vq=-20 " + vdmosCard, -1, nil},
		{"M1 d g s tj tc m1 thermal\nR1 tc 0 1\n.model m1 vdmos rthjc=0.5 rthca=100 cthj=1m tcvth=-5m mu=-1.3 texp0=1.5 " + vdmosCard,
			1, []string{"tj", "tc"}},
		{"M1 d g s tj tc m1 thermal\nR1 tc 0 1\n.model m1 vdmos pchan rthjc=0.5 rthca=100 cthj=1m tcvth=-5m " + vdmosCard,
			-1, []string{"tj", "tc"}},
	} {
		vdmosCheckStamps(t, "t\n"+c.lines+"\n.end\n", c.typ, c.nodes, points)
	}
}

func vdmosCheckStamps(t *testing.T, netlist string, typ float64, thermal []string, points [][]float64) {
	t.Helper()
	devs, sys := diodeBuild(t, netlist, DefaultEnv())
	for _, pt := range points {
		v := map[string]float64{"d": typ * pt[0], "g": typ * pt[1], "s": typ * pt[2]}
		for k, n := range thermal {
			v[n] = pt[3+k] // temperatures are not in the device's frame
		}
		// The internal nodes a little off their terminals, so that every resistance
		// carries a current.
		v["m1#drain"] = v["d"] - 0.01*typ
		v["m1#gate"] = v["g"] - 0.02*typ
		v["m1#source"] = v["s"] + 0.005*typ
		v["m1#body diode"] = v["s"] - 0.003*typ // rb on the source side in both
		x := nodeX(t, sys, v)
		mosLoad(devs, sys, x, ModeTran, 0) // the evaluation the next loads limit against
		checkJacobianTol(t, devs, sys, x, ModeTran, 1e-7)
	}
}

func TestVDMOSLoadAllocatesNothing(t *testing.T) {
	netlist := "t\nM1 d g 0 tj tc m1 thermal\nR1 tc 0 1\n.model m1 vdmos rthjc=0.5 " + vdmosCard + "\n.end\n"
	devs, sys := diodeBuild(t, netlist, DefaultEnv())
	x := make([]float64, sys.N+1)
	for k, n := range []string{"v(d)", "v(g)", "v(tj)"} {
		i, _ := sys.Lookup(n)
		x[i] = []float64{5, 6, 10}[k]
	}
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12, SrcFactor: 1}
	if n := loadAllocs(devs, ctx); n != 0 {
		t.Errorf("Load allocates %g times per call", n)
	}
}

func TestVDMOSErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nM1 d g s m1 m=0\n.model m1 vdmos\n.end\n", "m1: m must be positive"},
		{"t\nM1 d g s m1 on\n.model m1 vdmos\n.end\n", `t.cir:2:13: unexpected "on" in "m1"`},
		{"t\nM1 d g s m1\n.model m1 vdmos vtx=1\n.end\n", `t.cir:3:17: unknown VDMOS model parameter "vtx"`},
		{"t\nM1 d g s m1\n.model m1 vdmos rd=-1\n.end\n", "must not be negative"},
		{"t\nM1 d g s tj tc m1 thermal\n.model m1 vdmos rd=1 rq=1 vq=2 rthjc=1\n.end\n", "quasi-saturation (rq, vq) with self-heating is not supported"},
		{"t\nM1 d g s m1 thermal\n.model m1 vdmos rthjc=1\n.end\n", "thermal needs the nodes tj and tc"},
		{"t\nM1 d g s s m1\n.model m1 vdmos\n.end\n", "a VDMOS has 3 nodes (d g s) or 5 (d g s tj tc), got 4"},
		{"t\nM1 d g s tj tc m1 thermal\n.model m1 vdmos rthjc=0\n.end\n", "rthjc and rthca must be positive"},
		{"t\nM1 d g s m1\n.model m1 vdmos m=1\n.end\n", "grading coefficient m must be below 1"},
		{"t\nM1 d g s m1\n.model m1 vdmos mfg=1\n.end\n", `t.cir:3:17: unknown VDMOS model parameter "mfg"`},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's VDMOS model and instance tables is accepted, and
	// LTspice's data-sheet words.
	all := "t\nM1 d g s tj tc m1 m=1 temp=27 dtemp=0 ic=1,2 off thermal\nR1 tc 0 1\n.model m1 vdmos nchan vto=1 vth0=1 kp=1 phi=0.6 " +
		"lambda=0 theta=0 rd=0 rs=0 rg=0 tnom=27 kf=0 af=1 mtriode=1 tcvth=0 vtotc=0 mu=-1.5 bex=-1.5 texp0=1.5 " +
		"texp1=0.3 trd1=0 trd2=0 trg1=0 trg2=0 trs1=0 trs2=0 trb1=0 trb2=0 subshift=0 ksubthres=0.1 tksubthres1=0 " +
		"tksubthres2=0 bv=100 ibv=1e-10 nbv=1 rds=1e15 rb=0 n=1 tt=0 eg=1.11 xti=3 is=1e-14 vj=0.8 cjo=0 m=0.5 " +
		"fc=0.5 cgdmin=0 cgdmax=0 a=1 cgs=0 rthjc=1 rthca=1000 cthj=1e-5 vgs_max=20 vgd_max=20 vds_max=100 " +
		"vgsr_max=20 vgdr_max=20 pd_max=100 id_max=10 idr_max=10 te_max=150 rth_ext=1 derating=0 " +
		"mfg=International_Rectifier vds=100 ron=0.1 qg=10n\n.end\n"
	wantBuilds(t, all)
}
