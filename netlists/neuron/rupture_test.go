package neuron_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gospice/gospice"
)

// The memristor of TestRuptureCountWithStateDependentHazard: a fixed bias of 1 V, beta = 0
// (so the residue stays at r0 = 0 and x = f), and a drive that does not depend on the
// state: with alpha = 1e9 the drive mu v / (alpha + 1 - x) is mu v / alpha to a part in
// 1e9. The filament then relaxes linearly towards f* = (mu v / alpha) / gamma1:
//
//	df/dt = drive - gamma1 f,  f(s) = f* + (f(0) - f*) exp(-gamma1 s)
//
// and ruptures, at the rate kappa f^m, cut it to (1 - eta) f, after which it recovers
// with the time constant 1/gamma1. The rate after a rupture is (1 - eta)^m = 0.49 of the
// rate before it, so the count is well below that of a constant rate kappa f*^m.
const (
	ruptureDrive  = 50.0  // mu v / alpha, 1/s
	ruptureGamma1 = 100.0 // 1/s
	ruptureKappa  = 800.0 // 1/s
	ruptureM      = 2.0
	ruptureEta    = 0.3
	ruptureSpan   = 1.0 // s, the length of a run
	ruptureF0     = ruptureDrive / ruptureGamma1
)

var ruptureNetlist = fmt.Sprintf(`memristor under a fixed bias, ruptures with a state-dependent rate
.model dm memristor level=diffusive mu=%g alpha=1e9 beta=0 gamma1=%g gamma2=5
+ kappa=%g m=%g eta=%g
V1 a 0 1
YMEMRISTOR y1 a 0 dm f0=%g
.tran 1m %g uic
.end
`, ruptureDrive*1e9, ruptureGamma1, ruptureKappa, ruptureM, ruptureEta, ruptureF0, ruptureSpan)

// exactRuptures simulates one run of the model's equations event by event, exactly:
// between ruptures the filament follows its closed form, the hazard's integral is in
// closed form (m = 2), and each rupture comes where that integral reaches a draw from an
// exponential distribution of mean one. It returns the number of ruptures in the span.
func exactRuptures(rng *rand.Rand) int {
	const fs, g = ruptureF0, ruptureGamma1
	f := ruptureF0
	count := 0
	for now := 0.0; ; {
		c := f - fs
		// The hazard s after the last event: kappa times the integral of f(u)^2.
		hazard := func(s float64) float64 {
			e1, e2 := -math.Expm1(-g*s), -math.Expm1(-2*g*s)
			return ruptureKappa * (fs*fs*s + 2*fs*c*e1/g + c*c*e2/(2*g))
		}
		target := rng.ExpFloat64()
		if hazard(ruptureSpan-now) < target {
			return count
		}
		// The hazard grows with s (its slope is the rate, kappa f(s)^2 > 0): Newton's
		// method, kept inside a bracket that bisection shrinks where Newton leaves it.
		lo, hi := 0.0, ruptureSpan-now
		s := target / (ruptureKappa * f * f)
		for range 100 {
			if !(s > lo && s < hi) {
				s = (lo + hi) / 2
			}
			h := hazard(s) - target
			if h < 0 {
				lo = s
			} else {
				hi = s
			}
			fsv := fs + c*math.Exp(-g*s)
			step := h / (ruptureKappa * fsv * fsv)
			s -= step
			if math.Abs(step) < 1e-14 || hi-lo < 1e-14 {
				break
			}
		}
		now += s
		f = (1 - ruptureEta) * (fs + c*math.Exp(-g*s))
		count++
	}
}

// meanAndError is the mean of counts and its standard error.
func meanAndError(counts []int) (mean, se float64) {
	for _, c := range counts {
		mean += float64(c)
	}
	mean /= float64(len(counts))
	var ss float64
	for _, c := range counts {
		ss += (float64(c) - mean) * (float64(c) - mean)
	}
	return mean, math.Sqrt(ss / float64(len(counts)-1) / float64(len(counts)))
}

// TestRuptureCountWithStateDependentHazard counts the ruptures (Stats.Events) of a
// memristor whose rupture rate changes with each rupture, over 200 seeds, against an exact
// event-by-event simulation of the same equations written here (5000 runs, on a random
// stream of its own): the mean counts agree within four standard errors of their
// difference. The count a constant rate kappa f*^m would give, 200 per run, lies tens of
// standard errors away from both, so the test sees the state dependence.
func TestRuptureCountWithStateDependentHazard(t *testing.T) {
	const runs, exactRuns = 200, 5000
	var got []int
	for seed := 1; seed <= runs; seed++ {
		sim, err := gospice.Parse("rupture.cir", ruptureNetlist, gospice.WithSeed(uint64(seed)))
		if err != nil {
			t.Fatal(err)
		}
		discard := gospice.SinkFunc(func([]string, []float64) error { return nil })
		stats, err := sim.Run(context.Background(), sim.Analyses()[0], discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, stats.Events)
	}
	rng := rand.New(rand.NewPCG(2024, 7))
	want := make([]int, exactRuns)
	for i := range want {
		want[i] = exactRuptures(rng)
	}
	gm, gse := meanAndError(got)
	wm, wse := meanAndError(want)
	se := math.Hypot(gse, wse)
	constant := ruptureKappa * math.Pow(ruptureF0, ruptureM) * ruptureSpan
	t.Logf("ruptures per %g s run: gospice %.2f +- %.2f over %d seeds; exact %.2f +- %.2f over %d runs; %.2f standard errors apart; a constant rate would give %g",
		ruptureSpan, gm, gse, runs, wm, wse, exactRuns, math.Abs(gm-wm)/se, constant)
	if math.Abs(gm-wm) > 4*se {
		t.Errorf("gospice fires %.2f ruptures per run, the exact simulation %.2f: %.1f standard errors apart", gm, wm, math.Abs(gm-wm)/se)
	}
	if math.Abs(constant-wm) < 20*se {
		t.Errorf("the constant-rate count %g is within 20 standard errors of the exact %.2f: the test cannot tell the state dependence", constant, wm)
	}
	distinct := map[int]bool{}
	for _, c := range got {
		distinct[c] = true
	}
	if len(distinct) < 5 {
		t.Errorf("the counts over %d seeds take %d values: the seeds do not change the draws", runs, len(distinct))
	}
}
