package devices

import (
	"math"
	"testing"

	"github.com/gospice/gospice/parser"
	"gonum.org/v1/gonum/stat"
)

func randomWave(t *testing.T, kind string, args []float64, env Env, name string) waveform {
	t.Helper()
	w, err := newRandomWave(&parser.Waveform{Kind: kind, Args: args}, env, name)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestTrnoiseStatistics: TRNOISE's samples are white Gaussian noise of standard deviation
// na (mean, sd, lag-one correlation and kurtosis within four standard errors over 40000
// samples), interpolated linearly between sample times, 0 at t = 0, and repeatable.
func TestTrnoiseStatistics(t *testing.T) {
	const na, nt, n = 0.3, 1e-6, 40000
	w := randomWave(t, "trnoise", []float64{na, nt, 0, 0}, DefaultEnv(), "v1")
	if v := w.value(0, Timing{}); v != 0 {
		t.Errorf("value at 0: %g", v)
	}
	xs := make([]float64, n)
	for k := range xs {
		xs[k] = w.value(float64(k+1)*nt, Timing{})
	}
	mean, sd := stat.MeanStdDev(xs, nil)
	var r1, m4 float64
	for k := range xs {
		if k > 0 {
			r1 += (xs[k] - mean) * (xs[k-1] - mean)
		}
		m4 += math.Pow((xs[k]-mean)/sd, 4)
	}
	r1 /= float64(n-1) * sd * sd
	m4 /= n
	se := 1 / math.Sqrt(n)
	t.Logf("mean %.4g (se %.2g), sd %.5g (want %g), lag-1 correlation %.3g, kurtosis %.3f (want 3)", mean, na*se, sd, na, r1, m4)
	if math.Abs(mean) > 4*na*se || math.Abs(sd/na-1) > 4*se/math.Sqrt2 || math.Abs(r1) > 4*se || math.Abs(m4-3) > 4*math.Sqrt(24.0/n) {
		t.Error("not white Gaussian noise of the given sd")
	}
	if allocs := testing.AllocsPerRun(100, func() { w.value(3.3*nt, Timing{}) }); allocs != 0 {
		t.Errorf("a value allocates %v times", allocs)
	}
	// Linear between samples.
	a, b := w.value(5*nt, Timing{}), w.value(6*nt, Timing{})
	if m := w.value(5.25*nt, Timing{}); math.Abs(m-(0.75*a+0.25*b)) > 1e-12 {
		t.Errorf("at 5.25 nt: %g, want %g", m, 0.75*a+0.25*b)
	}
	if bp := w.next(5*nt, Timing{}); math.Abs(bp-6*nt) > 1e-18 {
		t.Errorf("next breakpoint after 5 nt: %g", bp)
	}
	// The same seed, run and name give the same samples; another name, run or seed others.
	same := randomWave(t, "trnoise", []float64{na, nt, 0, 0}, DefaultEnv(), "v1")
	other := randomWave(t, "trnoise", []float64{na, nt, 0, 0}, DefaultEnv(), "v2")
	env2 := DefaultEnv()
	env2.Run = 2
	run2 := randomWave(t, "trnoise", []float64{na, nt, 0, 0}, env2, "v1")
	at := 7.5 * nt
	if same.value(at, Timing{}) != w.value(at, Timing{}) || other.value(at, Timing{}) == w.value(at, Timing{}) || run2.value(at, Timing{}) == w.value(at, Timing{}) {
		t.Error("streams: not repeatable, or the same across names or runs")
	}
}

// TestTrrandomStatistics: each TRRANDOM type's values have the mean and standard
// deviation of its distribution, held for ts from td on, p2 before.
func TestTrrandomStatistics(t *testing.T) {
	const ts, td, n = 1e-6, 2e-6, 40000
	cases := []struct {
		typ, p1, p2 float64
		mean, sd    float64
		lo, hi      float64
	}{
		{1, 2, 5, 5, 2 / math.Sqrt(3), 3, 7},
		{2, 0.5, -1, -1, 0.5, math.Inf(-1), math.Inf(1)},
		{3, 2, 1, 3, 2, 1, math.Inf(1)},
		{4, 3, 0.5, 3.5, math.Sqrt(3), 0.5, math.Inf(1)},
	}
	for _, c := range cases {
		w := randomWave(t, "trrandom", []float64{c.typ, ts, td, c.p1, c.p2}, DefaultEnv(), "v1")
		if v := w.value(td, Timing{}); v != c.p2 {
			t.Errorf("type %g at td: %g, want p2 = %g", c.typ, v, c.p2)
		}
		xs := make([]float64, n)
		for k := range xs {
			tk := td + (float64(k)+0.5)*ts
			xs[k] = w.value(tk, Timing{})
			if k < 100 && (w.value(tk-0.4*ts, Timing{}) != xs[k] || w.value(tk+0.45*ts, Timing{}) != xs[k]) {
				t.Fatalf("type %g: not held over (td + %d ts, td + %d ts]", c.typ, k, k+1)
			}
			if xs[k] < c.lo || xs[k] > c.hi {
				t.Fatalf("type %g: %g outside [%g, %g]", c.typ, xs[k], c.lo, c.hi)
			}
		}
		mean, sd := stat.MeanStdDev(xs, nil)
		se := c.sd / math.Sqrt(n)
		t.Logf("type %g: mean %.5g (want %g, se %.2g), sd %.5g (want %.5g)", c.typ, mean, c.mean, se, sd, c.sd)
		if math.Abs(mean-c.mean) > 4*se || math.Abs(sd/c.sd-1) > 0.03 {
			t.Errorf("type %g: wrong distribution", c.typ)
		}
		if bp := w.next(td+3*ts, Timing{}); math.Abs(bp-(td+4*ts)) > 1e-18 {
			t.Errorf("type %g: next breakpoint after td + 3 ts: %g", c.typ, bp)
		}
	}
}

// TestRandomWaveErrors: what gospice does not generate, and bad arguments, are errors.
func TestRandomWaveErrors(t *testing.T) {
	for _, c := range []struct {
		kind string
		args []float64
	}{
		{"trnoise", []float64{1, 1e-6, 1, 1}},
		{"trnoise", []float64{0, 1e-6, 0, 0, 1, 1e-6, 1e-6}},
		{"trrandom", []float64{5, 1e-6}},
		{"trrandom", []float64{1, 0}},
	} {
		if _, err := newRandomWave(&parser.Waveform{Kind: c.kind, Args: c.args}, DefaultEnv(), "v1"); err == nil {
			t.Errorf("%s%v: no error", c.kind, c.args)
		} else {
			t.Logf("%s%v: %v", c.kind, c.args, err)
		}
	}
}
