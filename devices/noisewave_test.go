package devices

import (
	"math"
	"testing"

	"github.com/gospice/gospice/parser"
	"gonum.org/v1/gonum/dsp/fourier"
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
		{"trnoise", []float64{-1, 1e-6}},
		{"trnoise", []float64{1, 1e-6, 2.5, 1}},
		{"trnoise", []float64{0, 1e-6, 0, 0, 1, -1e-6, 1e-6}},
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

// TestTrnoiseOneOverF: TRNOISE's 1/f part has the spectral density of Kasdin's
// generator, amp² / |2 sin(π f nt)|^alpha per unit of normalised frequency: its
// periodogram, averaged over 16 records and over octaves, follows it within 15% from
// 1/256 to 1/4 of the sampling rate, and the slope fitted in log-log is -alpha within
// 0.05, for alpha 1 and 1.5.
func TestTrnoiseOneOverF(t *testing.T) {
	const nt, amp, records, size = 1e-6, 2e-3, 16, 4096
	for _, alpha := range []float64{1, 1.5} {
		env := DefaultEnv()
		env.TStop = records * size * nt
		w := randomWave(t, "trnoise", []float64{0, nt, alpha, amp}, env, "v1")
		fft := fourier.NewFFT(size)
		power := make([]float64, size/2+1)
		xs := make([]float64, size)
		for r := range records {
			for k := range xs {
				xs[k] = w.value(float64(r*size+k)*nt, Timing{})
			}
			// A 1/f record has a trend that leaks through a plain periodogram: the
			// record's straight line from its first to its last value is taken off.
			first, last := xs[0], xs[size-1]
			for k := range xs {
				xs[k] -= first + (last-first)*float64(k)/float64(size-1)
			}
			for i, c := range fft.Coefficients(nil, xs) {
				power[i] += real(c)*real(c) + imag(c)*imag(c)
			}
		}
		var lx, ly []float64
		worst := 0.0
		for lo := size / 256; lo < size/4; lo *= 2 {
			var got, want float64
			for i := lo; i < 2*lo; i++ {
				got += power[i] / (records * size)
				want += amp * amp / math.Pow(2*math.Sin(math.Pi*float64(i)/size), alpha)
			}
			worst = max(worst, math.Abs(got/want-1))
			f := (float64(lo) + 0.5*float64(lo)) / size
			lx, ly = append(lx, math.Log(f)), append(ly, math.Log(got/float64(lo)))
		}
		_, slope := stat.LinearRegression(lx, ly, nil, false)
		t.Logf("alpha %g: density within %.2g of Kasdin's, slope %.3f", alpha, worst, slope)
		if worst > 0.15 || math.Abs(slope+alpha) > 0.05 {
			t.Errorf("alpha %g: density off by %.2g, slope %.3f", alpha, worst, slope)
		}
		if v := w.value(0, Timing{}); v != 0 {
			t.Errorf("value at 0: %g", v)
		}
	}
}

// TestTrnoiseTelegraph: TRNOISE's random telegraph signal is 0 from t = 0, then rtsam
// and 0 in turn, with mean times rtsemt at rtsam and rtscapt at 0 (within four standard
// errors over about 5000 switches), its switches breakpoints.
func TestTrnoiseTelegraph(t *testing.T) {
	const am, capt, emt = 5e-3, 18e-6, 30e-6
	env := DefaultEnv()
	env.TStop = 0.12
	w := randomWave(t, "trnoise", []float64{0, 0, 0, 0, am, capt, emt}, env, "v1")
	var dwell [2][]float64
	level, since := 0, 0.0
	for tk := 0.0; tk < env.TStop; {
		next := w.next(tk, Timing{})
		if v := w.value((tk+next)/2, Timing{}); v != [2]float64{0, am}[level] {
			t.Fatalf("at %g: %g, want level %d", (tk+next)/2, v, level)
		}
		if v := w.value(next, Timing{}); v != [2]float64{0, am}[level] {
			t.Fatalf("at the switch %g: %g, want the level before it", next, v)
		}
		dwell[level] = append(dwell[level], next-since)
		level, since, tk = 1-level, next, next
	}
	for i, want := range []float64{capt, emt} {
		mean := stat.Mean(dwell[i], nil)
		se := want / math.Sqrt(float64(len(dwell[i])))
		t.Logf("level %d: %d dwells, mean %.4g s (want %g, se %.2g)", i, len(dwell[i]), mean, want, se)
		if math.Abs(mean-want) > 4*se {
			t.Errorf("level %d: mean dwell %g, want %g", i, mean, want)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { w.value(1e-3, Timing{}); w.next(1e-3, Timing{}) }); allocs != 0 {
		t.Errorf("a value allocates %v times", allocs)
	}
}
