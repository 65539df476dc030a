package netlists_test

import (
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// foldCases are relaxation oscillators whose comparator, a behavioural source in a loop
// of high gain, has a fold: at each threshold the solution jumps to the other branch
// within one step at any step size, and Newton must get across it (analysis/tran.go,
// ngspiceIterations). Before, gospice cut the step down to its minimum and stopped there.
var foldCases = []struct {
	path     string
	gain, ic float64 // the comparator's gain and v(cap) at t = 0
}{
	{"fold_bsource.cir", 200, 1},
	{"fold_esource.cir", 1000, 0},
}

// foldTmax is the netlists' largest step: a jump lands on the first step past the fold,
// so each comes up to a step late and a period (two jumps) is up to two steps off.
const foldTmax = 10e-6

// TestFoldsAgainstExact: both oscillators run to the end with the default options, and
// their jumps come where the exact solution's do, within a step each (measured: the
// period 4.1 us long at gain 200 and 6.6 us at gain 1000, 0.30 % and 0.48 %; the first
// rising jump 7.2 and 2.9 us late).
func TestFoldsAgainstExact(t *testing.T) {
	for _, c := range foldCases {
		t.Run(c.path, func(t *testing.T) {
			got, err := crosscheck.Gospice(c.path, "tran")
			if err != nil {
				t.Fatal(err)
			}
			first, half := foldSolution(c.gain, c.ic)
			// Crossings gives the rising jumps of v(out): the first comes after a
			// falling one, two jumps after t = 0.
			jumps := crosscheck.Crossings(got, "v(out)", 2.5)
			if len(jumps) < 5 {
				t.Fatalf("%d rising jumps, want 7", len(jumps))
			}
			late := jumps[0] - (first + half)
			period := meanPeriod(jumps, 0)
			t.Logf("first rising jump %.6g s, exact %.6g s (%.3g s late); period %.6g s, exact %.6g s (%.3g s off)",
				jumps[0], first+half, late, period, 2*half, period-2*half)
			if !(late >= 0 && late <= 2*foldTmax) {
				t.Errorf("first rising jump at %.6g s, the exact one at %.6g s: not within two steps after it", jumps[0], first+half)
			}
			if !(math.Abs(period-2*half) <= 2*foldTmax) {
				t.Errorf("period %.6g s, the exact %.6g s: more than two steps apart", period, 2*half)
			}
		})
	}
}

// TestFoldsAgainstNgspice: ngspice 39 runs both to the end too; the periods and the
// waveforms of v(cap) agree within the steps' resolution. Against the exact solution
// (TestFoldsAgainstExact) ngspice's period is 4.0 us long at gain 200 (gospice's 4.1 us)
// and 10.3 us at gain 1000 (gospice's 6.6 us): each simulator's jumps land on the first
// of its own steps past the fold, so they differ by the step sequences, and gospice's
// is as close to the exact solution or closer.
func TestFoldsAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	for _, c := range foldCases {
		t.Run(c.path, func(t *testing.T) {
			want, err := crosscheck.Ngspice(c.path, "tran", []string{"v(cap)", "v(out)"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := crosscheck.Gospice(c.path, "tran")
			if err != nil {
				t.Fatal(err)
			}
			pw := meanPeriod(crosscheck.Crossings(want, "v(out)", 2.5), 0)
			pg := meanPeriod(crosscheck.Crossings(got, "v(out)", 2.5), 0)
			d := math.Abs(pg-pw) / pw
			t.Logf("period: ngspice %.7g s, gospice %.7g s, %.3g apart (tolerance %.3g)", pw, pg, d, foldPeriodTol)
			if !(d <= foldPeriodTol) {
				t.Errorf("period %.7g s, ngspice's %.7g s", pg, pw)
			}
			checkClose(t, want, got, []string{"v(cap)"}, foldCapTol)
		})
	}
}

// The tolerances of TestFoldsAgainstNgspice, about ten times what it measured: the
// periods 5.7e-5 and 2.7e-3 apart, v(cap) 3.2 % and 2.0 % of its swing apart (a jump a
// step later moves v(cap) by its slope times the step, up to 1.3 % of the swing).
const (
	foldPeriodTol = 3e-2 // of the period
	foldCapTol    = 0.3  // of v(cap)'s swing
)

// foldSolution is the exact solution of the fold oscillators for a comparator of gain
// g: the time of the first jump from v(cap) = ic and the half period. On a branch
// u = v(fb) - v(cap) gives out = 2.5 + 2.5 tanh(g u), fb = (5 + out)/3 and so
// cap(u) = 2.5 + (2.5/3) tanh(g u) - u; C1's equation RC dcap/dt = out - cap turns into
// dt = RC cap'(u) du / (out - cap), integrated along the branch to its end, the fold,
// where cap'(u) = 0. The folds are symmetric about 2.5 V, so every half period is the
// same: from the lower branch at the upper fold's v(cap) to the lower fold.
func foldSolution(g, ic float64) (first, half float64) {
	const rc = 1e-3
	capAt := func(u float64) float64 { return 2.5 + 2.5/3*math.Tanh(g*u) - u }
	rate := func(u float64) float64 {
		x := math.Min(math.Abs(g*u), 350)
		sech := 2 / (math.Exp(x) + math.Exp(-x))
		dcap := 2.5/3*g*sech*sech - 1
		out := 2.5 + 2.5*math.Tanh(g*u)
		return rc * dcap / (out - capAt(u))
	}
	fold := math.Acosh(math.Sqrt(2.5*g/3)) / g // cap'(fold) = 0
	upper := bisect(func(u float64) float64 { return capAt(u) - ic }, fold, 10)
	lower := bisect(func(u float64) float64 { return capAt(u) - capAt(fold) }, -10, -fold)
	return simpson(rate, upper, fold), simpson(rate, lower, -fold)
}

// bisect finds a root of f between a and b, where f changes sign.
func bisect(f func(float64) float64, a, b float64) float64 {
	fa := f(a)
	for range 200 {
		m := (a + b) / 2
		if fm := f(m); (fm > 0) == (fa > 0) {
			a, fa = m, fm
		} else {
			b = m
		}
	}
	return (a + b) / 2
}

// simpson integrates f from a to b by Simpson's rule on 200000 intervals (the integrands
// here change over 1/g in u, and these resolve it to 1e-9 of the result).
func simpson(f func(float64) float64, a, b float64) float64 {
	const n = 200000
	h := (b - a) / n
	s := f(a) + f(b)
	for k := 1; k < n; k++ {
		w := 2.0
		if k%2 == 1 {
			w = 4
		}
		s += w * f(a+float64(k)*h)
	}
	return s * h / 3
}
