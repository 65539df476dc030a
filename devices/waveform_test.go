package devices

import (
	"math"
	"testing"

	"github.com/gospice/gospice/parser"
)

// TestPWLRepeatAndDelay holds r= and td= to what ngspice 39 gives (measured with
// ngspice -b on the same sources): r= repeats the stretch from its time point to the last
// for ever, starting each repetition with the value at r (a jump where the two differ);
// td= shifts the whole waveform, the value before it being the first point's.
func TestPWLRepeatAndDelay(t *testing.T) {
	cases := []struct {
		name   string
		w      parser.Waveform
		points [][2]float64 // t, value
	}{
		{"r=0", parser.Waveform{Args: []float64{0, 0, 1e-3, 1, 2e-3, 0}, HasRepeat: true},
			[][2]float64{{0.5e-3, 0.5}, {2e-3, 0}, {2.3e-3, 0.3}, {3.02e-3, 0.98}, {4.02e-3, 0.02}, {1001.25e-3, 0.75}}},
		// ngspice: 1.0 at 3 ms, 0.994 at 3.012 ms, 0.05 at 2.9 ms.
		{"r=1m, a jump", parser.Waveform{Args: []float64{0, 0, 1e-3, 1, 2e-3, 0.5, 3e-3, 0}, Repeat: 1e-3, HasRepeat: true},
			[][2]float64{{2.9e-3, 0.05}, {3e-3, 1}, {3.012e-3, 0.994}, {4e-3, 0.5}, {5e-3, 1}, {4.9e-3, 0.05}}},
		// ngspice: 0 up to 0.5 ms, 0.5 at 1 ms, 0.92 at 1.42 ms, 0.08 at 2.42 ms.
		{"td=0.5m", parser.Waveform{Args: []float64{0, 0, 1e-3, 1, 2e-3, 0}, Delay: 0.5e-3},
			[][2]float64{{0, 0}, {0.5e-3, 0}, {1e-3, 0.5}, {1.42e-3, 0.92}, {2.42e-3, 0.08}, {5e-3, 0}}},
		// ngspice: 0.5 at 0, 0.8664 at 0.6336 ms, 0 from 1.5 ms.
		{"td=-0.5m", parser.Waveform{Args: []float64{0, 0, 1e-3, 1, 2e-3, 0}, Delay: -0.5e-3},
			[][2]float64{{0, 0.5}, {0.6336e-3, 0.8664}, {1.5e-3, 0}, {3e-3, 0}}},
		// ngspice: 0.2 before 0.75 ms, 0.6 at 1 ms, 0.25 at 2 ms, 0.95 at 2.3 ms, 0.25 at 3 ms.
		{"r=1m td=0.25m", parser.Waveform{Args: []float64{0.5e-3, 0.2, 1e-3, 1, 2e-3, 0}, Repeat: 1e-3, HasRepeat: true, Delay: 0.25e-3},
			[][2]float64{{0, 0.2}, {0.75e-3, 0.2}, {1e-3, 0.6}, {2e-3, 0.25}, {2.3e-3, 0.95}, {3e-3, 0.25}, {3.25e-3, 1}}},
		// Two points at 1 ms: r= starts from the first, ngspice's 1.96 at 2.02 ms.
		{"r at a jump", parser.Waveform{Args: []float64{0, 0, 1e-3, 1, 1e-3, 2, 2e-3, 0}, Repeat: 1e-3, HasRepeat: true},
			[][2]float64{{1e-3, 1}, {2.02e-3, 1.96}, {2.5e-3, 1}}},
	}
	for _, c := range cases {
		c.w.Kind = "pwl"
		w, err := newWaveform(&c.w, Timing{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, p := range c.points {
			if got := w.value(p[0], Timing{}); math.Abs(got-p[1]) > 1e-12 {
				t.Errorf("%s at %g = %.15g, want %g", c.name, p[0], got, p[1])
			}
		}
	}
}

// TestPWLRepeatCorners: next gives every corner of every repetition in order, each once,
// shifted by the delay, over 10000 periods.
func TestPWLRepeatCorners(t *testing.T) {
	w, err := newWaveform(&parser.Waveform{Kind: "pwl", Args: []float64{0, 0, 0.1e-3, 1, 0.3e-3, 1, 0.7e-3, 0, 1e-3, 0.5},
		Repeat: 0.3e-3, HasRepeat: true, Delay: 7e-6}, Timing{})
	if err != nil {
		t.Fatal(err)
	}
	// The first pass: 0, 0.1, 0.3, 0.7, 1 ms; then 1.4, 1.7 ms and every 0.7 ms after.
	want := []float64{0, 0.1e-3, 0.3e-3, 0.7e-3, 1e-3}
	t0 := -1.0
	for k := 0; k < 10000; k++ {
		for _, c := range []float64{0.4e-3, 0.7e-3} {
			want = append(want, 1e-3+float64(k)*0.7e-3+c)
		}
	}
	for i, c := range want {
		got := w.next(t0, Timing{})
		if math.Abs(got-(c+7e-6)) > 2e-15*(c+7e-6) || !(got > t0) { // a few ulps
			t.Fatalf("corner %d after %g: %g, want %g", i, t0, got, c+7e-6)
		}
		t0 = got
	}
}

// TestPWLChecks: r= must be one of the time points, before the last; td= finite.
func TestPWLChecks(t *testing.T) {
	for _, w := range []parser.Waveform{
		{Args: []float64{0, 0, 1e-3, 1}, Repeat: 0.5e-3, HasRepeat: true},
		{Args: []float64{0, 0, 1e-3, 1}, Repeat: 1e-3, HasRepeat: true},
		{Args: []float64{0, 0, 1e-3, 1, 1e-3, 2}, Repeat: 1e-3, HasRepeat: true},
		{Args: []float64{0, 0, 1e-3, 1}, Delay: math.Inf(1)},
	} {
		w.Kind = "pwl"
		if _, err := newWaveform(&w, Timing{}); err == nil {
			t.Errorf("%+v: no error", w)
		}
	}
}
