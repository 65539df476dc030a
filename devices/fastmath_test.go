package devices

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is the distance of got from want in units in the last place of want.
func ulps(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / (math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want))
}

// TestFastMath compares fastLog and fastExp with math.Log and math.Exp: each within one
// ulp of the other (so at most about 1.5 ulp from the exact values), the logarithm near 1
// within 1e-16 absolute, and the special values handed over.
func TestFastMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worstLog, worstExp, worstAbs := 0.0, 0.0, 0.0
	for range 2_000_000 {
		// Logarithms across the whole range and densely near 1.
		x := math.Exp(rng.Float64()*1400 - 700)
		if got, want := fastLog(x), math.Log(x); ulps(got, want) > worstLog {
			worstLog = ulps(got, want)
			if worstLog > 2 {
				t.Errorf("fastLog(%v) = %v, math.Log gives %v (%.2f ulp)", x, got, want, worstLog)
			}
		}
		x = 0.5 + 2*rng.Float64()
		if d := math.Abs(fastLog(x) - math.Log(x)); d > worstAbs {
			worstAbs = d
			if d > 2.3e-16 {
				t.Errorf("fastLog(%v) = %v, math.Log gives %v", x, fastLog(x), math.Log(x))
			}
		}
		for _, y := range []float64{rng.Float64()*1400 - 700, rng.Float64()*6 - 3} {
			if got, want := fastExp(y), math.Exp(y); ulps(got, want) > worstExp {
				worstExp = ulps(got, want)
				if worstExp > 2 {
					t.Errorf("fastExp(%v) = %v, math.Exp gives %v (%.2f ulp)", y, got, want, worstExp)
				}
			}
		}
	}
	t.Logf("largest differences from package math: log %.2f ulp (%.2g near 1), exp %.2f ulp", worstLog, worstAbs, worstExp)
	for _, x := range []float64{0, -1, math.Inf(1), math.NaN(), 1e-310, 1, 2, 0.5, math.MaxFloat64} {
		if got, want := fastLog(x), math.Log(x); got != want && !(math.IsNaN(got) && math.IsNaN(want)) && ulps(got, want) > 1 {
			t.Errorf("fastLog(%v) = %v, want %v", x, got, want)
		}
	}
	for _, x := range []float64{0, 1, -1, 700, -700, 709, -745, 1000, -1000, math.Inf(1), math.Inf(-1), math.NaN()} {
		if got, want := fastExp(x), math.Exp(x); got != want && !(math.IsNaN(got) && math.IsNaN(want)) && ulps(got, want) > 1 {
			t.Errorf("fastExp(%v) = %v, want %v", x, got, want)
		}
	}
	if fastLog(1) != 0 || fastExp(0) != 1 {
		t.Errorf("fastLog(1) = %v, fastExp(0) = %v", fastLog(1), fastExp(0))
	}
}

var fastSink float64

func BenchmarkFastLog(b *testing.B) {
	s, x := 0.0, 1.3
	for b.Loop() {
		s += fastLog(x)
		x += 1e-9
	}
	fastSink = s
}

func BenchmarkFastExp(b *testing.B) {
	s, x := 0.0, -0.3
	for b.Loop() {
		s += fastExp(x)
		x += 1e-9
	}
	fastSink = s
}

func BenchmarkMathLog(b *testing.B) {
	s, x := 0.0, 1.3
	for b.Loop() {
		s += math.Log(x)
		x += 1e-9
	}
	fastSink = s
}

func BenchmarkMathExp(b *testing.B) {
	s, x := 0.0, -0.3
	for b.Loop() {
		s += math.Exp(x)
		x += 1e-9
	}
	fastSink = s
}
