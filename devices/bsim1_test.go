package devices

import (
	"fmt"
	"testing"

	"github.com/gospice/gospice/parser"
)

// bsim1TestModels are BSIM1 cards with every term of the current and the charges:
// n1 the process file of ngspice's BSIM1 test (xpart given: 0/100), n2 without xpart
// (40/60) and u0, u1 and eta large enough to clamp, p1 a p-channel one; all with
// junctions, overlaps and series resistances.
const bsim1TestModels = ".model n1 nmos level=4 tox=0.03 vdd=5 dl=0.8 dw=0.48 vfb=-1.0087 phi=0.796 k1=1.31 k2=0.147\n" +
	"+ eta=-1e-3 muz=534 u0=0.0438 u1=-0.0573 x2e=-7.7e-4 x3e=7.9e-4 x2mz=8.25 mus=540.6 x2ms=-13 x3ms=-9.4\n" +
	"+ x2u0=1.07e-3 x2u1=-0.0192 x3u1=7.8e-3 lvfb=-0.214 wvfb=0.344 lk1=0.323 wk1=-0.577 lk2=0.169 wk2=-0.188\n" +
	"+ leta=-9.5e-3 weta=0.0147 lu0=0.0638 wu0=-0.061 lu1=1.01 wu1=0.0163 lmus=621 wmus=-192 lx2ms=-64.9\n" +
	"+ n0=1.55 nb=0.09 nd=0.02 cgdo=2.7e-10 cgso=2.7e-10 cgbo=1.4e-10 xpart=1 rsh=35 cj=2.75e-4 cjsw=1.9e-10\n" +
	"+ js=1e-8 pb=0.7 pbsw=0.8 mj=0.5 mjsw=0.33\n" +
	".model n2 nmos level=4 tox=0.02 vdd=3 vfb=-0.8 phi=0.7 k1=0.9 k2=0.05 eta=0.02 x3e=0.01 muz=500\n" +
	"+ mus=450 x2ms=-5 x3ms=8 u0=0.1 x2u0=-0.01 u1=0.3 x2u1=-0.02 x3u1=0.05 n0=1.2 nb=0.1 nd=0.05\n" +
	"+ rsh=20 cj=3e-4 cjsw=2e-10 js=1e-6 pb=0.8 pbsw=0.9 mj=0.45 mjsw=0.3 cgso=2e-10 cgdo=2e-10 cgbo=1e-10\n" +
	".model p1 pmos level=4 tox=0.025 vdd=5 vfb=0.2 phi=0.75 k1=0.6 k2=0.03 eta=0.01 muz=200 mus=180\n" +
	"+ u0=0.08 u1=0.1 n0=1.4 cj=4e-4 cjsw=3e-10 js=1e-7 pb=0.8 pbsw=0.8 mj=0.5 mjsw=0.33 cgso=2e-10 cgdo=2e-10\n"

// TestBSIM1Jacobian holds BSIM1's G and C to finite differences of its F and Q (in an
// AC load, which evaluates at X without limiting) in every region of its current and
// charges: accumulation, depletion, subthreshold, triode and saturation, 0/100 and
// 40/60, both modes, n and p, forward and reverse bulk bias, vds above and below vdd.
func TestBSIM1Jacobian(t *testing.T) {
	checkBSIMJacobians(t, bsim1TestModels, []mosJacobianCase{
		{"accumulation", "n1", 1, -2, 0, 0},
		{"depletion, subthreshold", "n1", 1, 0.2, 0, -1},
		{"triode", "n1", 0.2, 3, 0, -1},
		{"saturated", "n1", 4, 2.5, 0, -2},
		{"saturated above vdd", "n1", 6, 3, 0, -1},
		{"reversed triode", "n1", -0.3, 3, 0, -1},
		{"40/60 triode", "n2", 0.3, 2, 0, -0.5},
		{"40/60 saturated", "n2", 3.5, 2, 0, 0.2},
		{"40/60 reversed saturated", "n2", -3, 1, 0, -3.5},
		{"forward drain junction", "n2", -0.4, 2, 0, 0},
		{"p saturated", "p1", 0, 1, 4, 4.5},
		{"p triode reversed", "p1", 3.9, 0, 3.6, 4.5},
	})
}

// checkBSIMJacobians holds an early BSIM's G and C to finite differences of its F and Q
// for M1 d g s b of each case (W=20u L=3u with junctions), models defining the cases'
// models, in an AC load (which evaluates at X, without limiting).
func checkBSIMJacobians(t *testing.T, models string, cases []mosJacobianCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			netlist := "t\nM1 d g s b " + c.model + " W=20u L=3u AD=40p AS=40p PD=44u PS=44u\n" + models + ".end\n"
			devs := parseAndBuild(t, netlist, DefaultEnv())
			b := setUp(devs)
			run, sys := NewRun(devs), b.Build()
			x := nodeX(t, sys, map[string]float64{"d": c.vd, "g": c.vg, "s": c.vs, "b": c.vb})
			m := run[0].(*bsimRun)
			x[m.t[mosD]], x[m.t[mosS]] = c.vd, c.vs
			checkJacobian(t, run, sys, x, ModeAC)
		})
	}
}

// TestBSIM1LoadAllocatesNothing: Load runs in the Newton loop.
func TestBSIM1LoadAllocatesNothing(t *testing.T) {
	devs := parseAndBuild(t, "t\nM1 d g 0 b n1 W=20u L=3u AD=40p AS=40p PD=44u PS=44u\n"+bsim1TestModels+".end\n", DefaultEnv())
	b := setUp(devs)
	run, sys := NewRun(devs), b.Build()
	x := nodeX(t, sys, map[string]float64{"d": 2, "g": 2, "b": -1})
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12}
	if n := loadAllocs(run, ctx); n != 0 {
		t.Errorf("Load allocates %g times per call", n)
	}
}

// TestBSIM1Params: BSIM1's own table (no kp, no instance temp), its errors, and the
// parameters gospice check lists as accepted and unused.
func TestBSIM1Params(t *testing.T) {
	for _, c := range []struct{ netlist, err string }{
		{"t\nM1 d g 0 0 a\n.model a nmos level=4 kp=1e-5\n.end\n", `unknown BSIM1 model parameter "kp"`},
		{"t\nM1 d g 0 0 a\n.model a nmos level=4 lk3=1\n.end\n", `did you mean "lk1"?`},
		{"t\nM1 d g 0 0 a temp=50\n.model a nmos level=4 tox=0.02 vdd=5\n.end\n", `unknown BSIM1 parameter "temp"`},
		{"t\nM1 d g 0 0 a\n.model a nmos level=4 vdd=5\n.end\n", "tox (in micron) must be positive"},
		{"t\nM1 d g 0 0 a\n.model a nmos level=4 tox=0.02\n.end\n", "vdd, the supply voltage mus is measured at, must be positive"},
		{"t\nM1 d g 0 0 a L=1u\n.model a nmos level=4 tox=0.02 vdd=5 dl=1\n.end\n", "effective channel length l - dl"},
		{"t\nM1 d g 0 0 a\n.model a nmos level=4 tox=0.02 vdd=5 mj=1\n.end\n", "mj and mjsw must not be 1"},
	} {
		wantBuildError(t, c.netlist, DefaultEnv(), c.err)
	}
	pc, err := parser.Parse("t.cir", []byte("t\n.model a nmos level=4 temp=27 wdf=0 tox=0.02\n.model b nmos level=4\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "[temp wdf]", "b": "[]"} {
		if got := fmt.Sprint(UnusedModelParams(pc.Models[name])); got != want {
			t.Errorf("model %s: unused %s, want %s", name, got, want)
		}
	}
}
