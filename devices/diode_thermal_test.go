package devices

import (
	"math"
	"testing"
)

// A self-heating diode's card: rs moving with the temperature, charges, breakdown and a
// knee current, so that every slope by the junction temperature is exercised.
const diodeThermalNetlist = "t\nD1 a k tj dm thermal\n.model dm d(is=1e-14 rs=0.5 trs=3e-3 cjo=1p tt=1n bv=5 ikf=1 " +
	"rth0=100 cth0=1u xti=3 eg=1.11)\n.end\n"

// TestDiodeThermalJacobian holds G and C of a self-heating diode to finite differences
// of F and Q, forward, reverse and in breakdown, in transients and at DC.
func TestDiodeThermalJacobian(t *testing.T) {
	devs, sys := diodeBuild(t, diodeThermalNetlist, DefaultEnv())
	for _, pt := range [][4]float64{{0.75, 0.7, 20, 1e-3}, {-2, -2.001, 3, -1e-4}, {-5.5, -5.4, 40, 0}, {0.3, 0.3, 0, 0}} {
		x := nodeX(t, sys, map[string]float64{"a": pt[0], "d1#internal": pt[1], "tj": pt[2], "d1#heat": pt[3], "k": 0.01})
		for _, mode := range []Mode{ModeOP, ModeTran, ModeAC} {
			mosLoad(devs, sys, x, mode, 0) // the evaluation the next loads limit against
			checkJacobianTol(t, devs, sys, x, mode, 1e-7)
		}
	}
}

// TestDiodeThermalIsThePlainDiodeHotter: with the junction voltages and v(tj) of a
// solution, the self-heating diode's current is the plain diode's at the device
// temperature plus v(tj), and the residual of tj is rth0's current less the power.
func TestDiodeThermalIsThePlainDiodeHotter(t *testing.T) {
	const va, vp, rise = 0.9, 0.8, 40.0
	devs, sys := diodeBuild(t, diodeThermalNetlist, DefaultEnv())
	x := nodeX(t, sys, map[string]float64{"a": va, "d1#internal": vp, "tj": rise})
	mosLoad(devs, sys, x, ModeOP, 0)
	v := mosLoad(devs, sys, x, ModeOP, 0)
	hot := diodeOne(t, "is=1e-14 rs=0.5 trs=3e-3 cjo=1p tt=1n bv=5 ikf=1 xti=3 eg=1.11", "temp=67", DefaultEnv())
	want, _ := hot.current(vp, 0)
	p, _ := sys.Lookup("v(d1#internal)")
	a, _ := sys.Lookup("v(a)")
	tj, _ := sys.Lookup("v(tj)")
	if got := v.F[p] + v.F[a]; !diodeClose(got, want, 1e-12) { // the junction's current leaves the internal node
		t.Errorf("junction current %.12g, want the plain diode's at 67 C %.12g", got, want)
	}
	ir := hot.gs * (va - vp)
	power := want*vp + ir*(va-vp)
	if got := v.F[tj]; math.Abs(got-(rise/100-power)) > 1e-12*power {
		t.Errorf("residual of tj %.12g, want rise/rth0 - power = %.12g", got, rise/100-power)
	}
	if got := devs[0].(*diodeRun).Current(x); !diodeClose(got, ir, 1e-12) {
		t.Errorf("i(d1) = %g, want %g (rs's current at 67 C)", got, ir)
	}
}

func TestDiodeThermalLoadAllocatesNothing(t *testing.T) {
	devs, sys := diodeBuild(t, diodeThermalNetlist, DefaultEnv())
	x := nodeX(t, sys, map[string]float64{"a": 0.8, "d1#internal": 0.75, "tj": 10})
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12, SrcFactor: 1}
	if n := loadAllocs(devs, ctx); n != 0 {
		t.Errorf("Load allocates %g times per call", n)
	}
}

func TestDiodeThermalErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nD1 a 0 dm thermal\n.model dm d rth0=10\n.end\n", "d1: thermal needs a thermal node"},
		{"t\nD1 a 0 tj dm thermal\n.model dm d rth0=0\n.end\n", "d1: rth0 must be positive"},
		{"t\nD1 a 0 tj dm thermal\n.model dm d rth0=1 cth0=-1\n.end\n", "d1: cth0 must not be negative"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
}
