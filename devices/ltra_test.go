package devices

import (
	"math"
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
	a, tau := o.alpha, o.tau
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
