package analysis

import (
	"fmt"
	"math"
)

// Fourier is the Fourier analysis of one waveform over its last period, as .four gives
// it: Harmonics[0] is the DC value, Harmonics[k] the k-th harmonic of the fundamental.
type Fourier struct {
	Freq, Mag, Phase   []float64 // Hz; the amplitude; degrees, of a sine (a sine of phase 0 has phase 0)
	NormMag, NormPhase []float64 // relative to the fundamental's (harmonic 1)
	THD                float64   // total harmonic distortion in percent: harmonics 2 and up over the fundamental
}

// FourierOf analyses the waveform v(t) (t increasing) at the fundamental fund, as ngspice's
// .four does: the last period of the waveform (the span [t_end - 1/fund, t_end]) is
// interpolated linearly at grid points spaced 1/(fund grid) from its start, and the
// first nfreqs components (DC and harmonics 1 to nfreqs-1) are the discrete Fourier
// sums over those points. ngspice's phases are those of sines: atan2 of the cosine
// part over the sine part.
func FourierOf(t, v []float64, fund float64, nfreqs, grid int) (Fourier, error) {
	if len(t) < 2 || len(t) != len(v) {
		return Fourier{}, fmt.Errorf("needs at least two time points")
	}
	if nfreqs < 2 || grid < 2 {
		return Fourier{}, fmt.Errorf("needs at least two frequencies and two grid points, got %d and %d", nfreqs, grid)
	}
	period := 1 / fund
	end := t[len(t)-1]
	if end-t[0] < period*(1-1e-12) {
		return Fourier{}, fmt.Errorf("the transient (%g s) is shorter than the period of %g Hz (%g s)", end-t[0], fund, period)
	}
	start := end - period
	step := period / float64(grid)
	sines := make([]float64, nfreqs)
	cosines := make([]float64, nfreqs)
	j := 0
	for i := range grid {
		at := start + float64(i)*step
		for j < len(t)-2 && t[j+1] < at {
			j++
		}
		y := v[j]
		if dt := t[j+1] - t[j]; dt > 0 {
			y += (v[j+1] - v[j]) * (at - t[j]) / dt
		}
		for k := range nfreqs {
			s, c := math.Sincos(2 * math.Pi * float64(k) * float64(i) / float64(grid))
			sines[k] += y * s
			cosines[k] += y * c
		}
	}
	f := Fourier{
		Freq: make([]float64, nfreqs), Mag: make([]float64, nfreqs), Phase: make([]float64, nfreqs),
		NormMag: make([]float64, nfreqs), NormPhase: make([]float64, nfreqs),
	}
	f.Mag[0] = cosines[0] / float64(grid)
	for k := 1; k < nfreqs; k++ {
		s, c := 2*sines[k]/float64(grid), 2*cosines[k]/float64(grid)
		f.Freq[k] = float64(k) * fund
		f.Mag[k] = math.Hypot(s, c)
		f.Phase[k] = math.Atan2(c, s) * 180 / math.Pi
	}
	var sum float64
	for k := 1; k < nfreqs; k++ {
		f.NormMag[k] = f.Mag[k] / f.Mag[1]
		f.NormPhase[k] = f.Phase[k] - f.Phase[1]
		if k > 1 {
			sum += f.NormMag[k] * f.NormMag[k]
		}
	}
	f.THD = 100 * math.Sqrt(sum)
	return f, nil
}
