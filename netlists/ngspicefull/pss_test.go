package ngspicefull

import (
	"math"
	"testing"
)

// periodPlot is one period of sin(2 pi (t/T + phase)) and its third harmonic, sampled at
// n+1 times from t0.
func periodPlot(t0, period, phase float64, n int) *Plot {
	tm, v, w := make([]float64, n+1), make([]float64, n+1), make([]float64, n+1)
	for k := range tm {
		tm[k] = t0 + period*float64(k)/float64(n)
		th := 2 * math.Pi * (float64(k)/float64(n) + phase)
		v[k], w[k] = math.Sin(th), 0.1*math.Sin(3*th)
	}
	return realPlot(pssTime, []string{"time", "v(a)", "v(b)"}, tm, v, w)
}

// TestPSSPeriodsInPhase: two periods of the same waveform started at other phases, at
// other times and with periods 0.2% apart meet in phase (measured 6.1e-5 apart, linear
// interpolation at 256 points; the tolerance ten times that); a waveform 1% larger is found.
func TestPSSPeriodsInPhase(t *testing.T) {
	ng := periodPlot(5.15e-4, 2.985e-7, 0.37, 256)
	gs := periodPlot(5.0e-4, 2.991e-7, 0, 256)
	for i := 1; i <= 2; i++ {
		d, _, note := difference(ng, i, gs, i)
		t.Logf("%s: %.3g apart", ng.Vars[i], d)
		if !(d <= 6e-4) || note != "" {
			t.Errorf("%s: %g apart (%s), want the same waveform", ng.Vars[i], d, note)
		}
	}
	off := periodPlot(5.0e-4, 2.991e-7, 0, 256)
	for k := range off.Re[1] {
		off.Re[1][k] *= 1.01
	}
	if d, _, _ := difference(ng, 1, off, 1); !(math.Abs(d-0.01) <= 6e-4) {
		t.Errorf("an amplitude 1%% larger is %g apart, want 0.01", d)
	}
}

// TestPSSSpectraByHarmonic: spectra meet harmonic by harmonic whatever their frequencies.
func TestPSSSpectraByHarmonic(t *testing.T) {
	ng := realPlot(pssSpectrum, []string{"frequency", "v(a)"}, []float64{0, 3.3499e6, 6.6998e6}, []float64{0.5, 1, 0.1})
	gs := realPlot(pssSpectrum, []string{"frequency", "v(a)"}, []float64{0, 3.3434e6, 6.6868e6}, []float64{0.5, 1.001, 0.1})
	if d, at, note := difference(ng, 1, gs, 1); !(math.Abs(d-0.001) <= 1e-12) || note != "" {
		t.Errorf("%g apart at %g (%s), want 0.001 at the fundamental", d, at, note)
	}
}
