package devices

import (
	"math"
	"math/rand/v2"
	"testing"
)

// besselByIntegral is e^-x I_n(x) = (1/pi) integral over [0, pi] of e^(x (cos t - 1))
// cos(n t): the trapezoidal rule on this periodic integrand converges exponentially.
func besselByIntegral(n int, x float64) float64 {
	const steps = 20000
	sum := 0.0
	for k := 0; k <= steps; k++ {
		t := math.Pi * float64(k) / steps
		w := 1.0
		if k == 0 || k == steps {
			w = 0.5
		}
		sum += w * math.Exp(x*(math.Cos(t)-1)) * math.Cos(float64(n)*t)
	}
	return sum / steps
}

// TestBesselScaled holds the scaled modified Bessel functions to their integral
// representation, on both sides of the switch from the power series to the asymptotic one.
func TestBesselScaled(t *testing.T) {
	worst := 0.0
	for _, x := range []float64{1e-3, 0.1, 1, 3, 10, 24.9, 25.1, 40, 100, 700} {
		i0, i1 := besselByIntegral(0, x), besselByIntegral(1, x)
		// Absolute errors: the integral of I1 at small x cancels to 1e-15 of 1.
		e0 := math.Abs(besselI0e(x) - i0)
		e1 := math.Abs(besselI1eOverX(x)*x - i1)
		worst = math.Max(worst, math.Max(e0, e1))
		if e0 > 1e-13 || e1 > 1e-13 { // measured 1.6e-15
			t.Errorf("x = %g: I0e %.16g (integral %.16g), I1e %.16g (integral %.16g)", x, besselI0e(x), i0, besselI1eOverX(x)*x, i1)
		}
	}
	t.Logf("worst error %.2g", worst)
	if got := besselI1eOverX(0); got != 0.5 {
		t.Errorf("I1(x)/x at 0 = %g, want 0.5", got)
	}
}

// TestLTRARampTable holds the RLC line's tables, built by quadrature, to the closed forms
// that two of its responses have: the step response of y0's continuous part is
// e^(-alpha u) I0(alpha u) - 1 and its ramp response u e^(-alpha u) (I0 + I1)(alpha u) - u;
// y0 h's step response is e^(-alpha u) I0(alpha sqrt(u^2 - tau^2)) - e^(-alpha tau); h's
// tends to 1 - e^(-alpha tau), so that H(0) = 1.
func TestLTRARampTable(t *testing.T) {
	o := &LTRA{m: ltraModel{r: 12.45, l: 8.972e-9, c: 0.468e-12, length: 16}, kind: ltraRLC}
	o.makeKernels()
	a, tau := o.sigma, o.tau
	until := 2000 / a
	worst := [3]float64{}
	for kk, k := range []*ltraKernel{&o.y0, &o.y0h, &o.h} {
		k.table.extend(k.cont, until)
		for u := k.at + 0.37*o.tableStep; u < until; u *= 1.37 {
			var want, wantSlope float64
			i := int((u - k.at) / k.table.step)
			slope := k.table.slope[i] // the step response at the node before u
			node := k.at + float64(i)*k.table.step
			switch kk {
			case 0:
				x := a * u
				want = u*(besselI0e(x)+x*besselI1eOverX(x)) - u
				wantSlope = besselI0e(a*node) - 1
			case 1:
				r := math.Sqrt(node*node - tau*tau)
				wantSlope = math.Exp(-a*(node-r))*besselI0e(a*r) - math.Exp(-a*tau)
			case 2:
				continue
			}
			if e := math.Abs(k.ramp(u)-want) / u; kk == 0 && e > worst[0] {
				worst[0] = e
			}
			worst[1] = math.Max(worst[1], math.Abs(slope-wantSlope))
		}
	}
	t.Logf("y0's ramp response off its closed form by %.2g of u; the step responses by %.2g", worst[0], worst[1])
	// Measured 1.7e-7 (in the first cell, where the cubic's error, step^4 alpha^3/384,
	// is 2e-18 s of a ramp of 5e-14 s) and 9.7e-15.
	if worst[0] > 2e-6 || worst[1] > 1e-13 {
		t.Errorf("the tables are off the closed forms by %.2g (ramp), %.2g (step)", worst[0], worst[1])
	}
	// Far out the step responses reach their DC values: y0 -1 (y0(0) = 0), h 1 - e^(-alpha tau).
	for _, c := range []struct {
		k    *ltraKernel
		want float64
	}{{&o.y0, -1}, {&o.h, 1 - math.Exp(-a*tau)}} {
		s := c.k.table.slope[len(c.k.table.slope)-1]
		if math.Abs(s-c.want) > 0.02 { // the tails fall as 1/sqrt(alpha t): 0.013 at 2000/alpha
			t.Errorf("step response at %g s = %.6g, want about %.6g", until, s, c.want)
		}
	}
}

func TestLTRAErrors(t *testing.T) {
	const head = "t\nv1 a 0 1\nr1 b 0 50\n"
	for _, c := range []struct{ card, want string }{
		{".model m ltra r=1 l=1n c=1p", "o1: model m: a lossy line needs its length len= (positive)"},
		{".model m ltra r=1 l=1n c=1p len=-1", "o1: model m: a lossy line needs its length len= (positive)"},
		{".model m ltra r=1 l=1n c=1p g=1m len=1", "o1: model m: a lossy line with g > 0 is supported only without l and c (the RG line), as in ngspice"},
		{".model m ltra r=1 l=1n len=1", "o1: model m: this lossy line (r=1 l=1e-09 c=0) is not one of ngspice's"},
		{".model m ltra r=-1 l=1n c=1p len=1", "o1: model m: r, l, g and c of a lossy line cannot be negative"},
		{".model m ltra r=1 l=1n c=1p len=1 tdd=1", `t.cir:5:35: unknown LTRA model parameter "tdd" (model m, used by o1 at line 4)`},
		{".model m diode is=1e-14", `t.cir:4:1: o1: model "m" (t.cir:5:1) is a "diode" model, not a lossy transmission line model`},
	} {
		wantBuildError(t, head+"o1 a 0 b 0 m\n"+c.card+"\n.end\n", DefaultEnv(), c.want)
	}
	wantBuildError(t, head+"o1 a 0 b 0\n.end\n", DefaultEnv(), `t.cir:4:11: missing model: lossy transmission line "o1" needs a model name`)
	wantBuildError(t, head+"o1 a 0 b 0 m ic=1,2,3,4,5\n.model m ltra r=1 l=1n c=1p len=1\n.end\n", DefaultEnv(), `ic of "o1" takes at most 4 values (ic=v1,i1,v2,i2), found 5`)
}

// TestLTRALoad checks the transient load of RLC and RC lines against finite differences,
// with the delayed values inside the history and past it (a step longer than the delay,
// with nosteplimit), and that the load allocates nothing.
func TestLTRALoad(t *testing.T) {
	for _, card := range []string{
		".model m ltra r=12.45 l=8.972e-9 c=0.468e-12 len=16 nosteplimit",
		".model m ltra r=12.45 l=8.972e-9 c=0.468e-12 len=16 nosteplimit lininterp",
		".model m ltra r=100 c=1e-10 len=1",
	} {
		devs, sys := build(t, "t\no1 a 0 b c m\nr1 a 0 1\nr2 b c 1\nr3 c 0 1\n"+card+"\n.end\n")
		x := make([]float64, sys.N+1)
		r := rand.New(rand.NewPCG(3, 4))
		ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Timing: Timing{Step: 1e-10, Stop: 1e-8}}
		acceptRandom(devs, ctx, r, 0, 0.4e-9, 0.9e-9, 1.5e-9, 2e-9)
		for _, now := range []float64{2.5e-9, 4e-9} { // t - td inside the history, then past it
			for i := 1; i <= sys.N; i++ {
				x[i] = r.Float64()*2 - 1
			}
			wantTranJacobian(t, card, devs, sys, x, now)
		}
		ctx.Time = 4e-9
		if n := loadAllocs(devs, ctx); n != 0 {
			t.Errorf("%s: a transient load allocates %g times", card, n)
		}
	}
}
