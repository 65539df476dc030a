// Package fourier computes ngspice's Fourier analysis of a transient waveform, shared by
// the .four analysis and the control language's fourier command: the last period
// resampled at equal steps by ngspice's sliding polynomial interpolation, and its
// harmonics.
package fourier

import (
	"errors"
	"math"
)

// Of is the Fourier analysis of data over time (increasing) at the fundamental f0, as
// ngspice's fourier and .four compute it: the last period resampled at grid equal steps
// by interpolation of the given degree (0: the data as they are), and nfreqs components
// (DC and harmonics 1 to nfreqs-1). It also returns the number of samples used.
func Of(data, time []float64, f0 float64, nfreqs, degree, grid int) (Harmonics, int, error) {
	samples, n, err := LastPeriod(data, time, f0, degree, grid)
	if err != nil {
		return Harmonics{}, 0, err
	}
	return Series(samples, nfreqs, 1, f0), n, nil
}

// ErrShortSpan is the error of a waveform shorter than one period, in ngspice's words.
var ErrShortSpan = errors.New("wavelength longer than time span")

// LastPeriod is the last period 1/f0 of data over time, resampled at grid equal steps
// from its start by Interpolate of the given degree (degree 0: the data as they are), and
// the number of samples.
func LastPeriod(data, time []float64, f0 float64, degree, grid int) ([]float64, int, error) {
	if degree == 0 {
		return data, len(data), nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range time {
		lo, hi = math.Min(lo, t), math.Max(hi, t)
	}
	period := 1 / f0
	if hi-lo < period {
		return nil, 0, ErrShortSpan
	}
	lo = hi - period
	step := (hi - lo) / float64(grid)
	ts := make([]float64, grid)
	for i := range ts {
		ts[i] = lo + float64(i)*step
	}
	samples, err := Interpolate(data, time, ts, degree)
	return samples, grid, err
}

// Interpolate resamples data, given at the increasing points of oscale, at the points of
// nscale, as ngspice's polynomial interpolation does (ft_interpolate): a window of
// degree+1 consecutive old points slides along oscale, and the polynomial through it
// gives the new points up to the window's last old point. The first window gives the
// points up to its second-to-last old point, so that with degree 1 the points between the
// first two old points come from the line through the second and third, as in ngspice. A
// window whose polynomial cannot be fitted (two equal old points) lowers the degree for
// the rest, as ngspice's does. New points after the last old one take its value.
func Interpolate(data, oscale, nscale []float64, degree int) ([]float64, error) {
	olen, nlen := len(oscale), len(nscale)
	if olen < 2 || nlen < 2 || len(data) < olen {
		return nil, errors.New("lengths too small to interpolate")
	}
	if degree < 1 || degree > olen {
		return nil, errors.New("the degree does not fit the data: can't interpolate")
	}
	sign := 1.0
	if oscale[1] < oscale[0] {
		sign = -1
	}
	out := make([]float64, nlen)
	last := -1
	// put evaluates the window's polynomial at the new points after last, up to oval.
	put := func(xs, ys []float64, oval float64) {
		end := last + 1
		for end < nlen && nscale[end]*sign <= oval*sign {
			end++
		}
		for i := last + 1; i < end; i++ {
			out[i] = lagrange(xs, ys, nscale[i])
		}
		last = end - 1
	}
	lo := 0 // the window is oscale[lo : lo+degree+1]
	for !distinct(oscale[:degree+1]) {
		if degree--; degree == 0 {
			return nil, errors.New("can't interpolate: equal points")
		}
	}
	for i := 0; i < degree; i++ {
		put(oscale[:degree+1], data[:degree+1], oscale[i])
	}
	for l := degree + 1; l < olen; l++ {
		lo = l - degree
		for !distinct(oscale[lo : l+1]) {
			if degree--; degree == 0 {
				return nil, errors.New("can't interpolate: equal points")
			}
			lo = l - degree
		}
		put(oscale[lo:l+1], data[lo:l+1], oscale[l])
	}
	if last < nlen-1 {
		out[nlen-1] = data[olen-1]
	}
	return out, nil
}

func distinct(xs []float64) bool {
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[i] == xs[j] {
				return false
			}
		}
	}
	return true
}

// lagrange is the value at x of the polynomial through the points (xs, ys).
func lagrange(xs, ys []float64, x float64) float64 {
	sum := 0.0
	for i := range xs {
		term := ys[i]
		for j := range xs {
			if j != i {
				term *= (x - xs[j]) / (xs[i] - xs[j])
			}
		}
		sum += term
	}
	return sum
}

// Harmonics is what ngspice's fourier computes of one period sampled at equal steps:
// the frequency, magnitude and phase (degrees, of a sine) of each harmonic up to n-1, the
// magnitude and phase relative to the fundamental's, and the total harmonic distortion in
// percent. Harmonic 0 is the mean, with phase 0.
type Harmonics struct {
	Freq, Mag, Phase, NormMag, NormPhase []float64
	THD                                  float64
}

// Series computes the harmonics of the samples of one period (numPeriods periods
// when more) of a signal of fundamental f0, as ngspice's fourier does.
func Series(samples []float64, n, numPeriods int, f0 float64) Harmonics {
	h := Harmonics{Freq: make([]float64, n), Mag: make([]float64, n), Phase: make([]float64, n),
		NormMag: make([]float64, n), NormPhase: make([]float64, n)}
	sines, cosines := make([]float64, n), make([]float64, n)
	m := float64(len(samples))
	for i, v := range samples {
		for j := range n {
			arg := float64(j) * 2 * math.Pi * float64(numPeriods) * float64(i) / m
			sines[j] += v * math.Sin(arg)
			cosines[j] += v * math.Cos(arg)
		}
	}
	h.Mag[0] = cosines[0] / m
	thd := 0.0
	for j := 1; j < n; j++ {
		s, c := sines[j]*2/m, cosines[j]*2/m
		h.Freq[j] = float64(j) * f0
		h.Mag[j] = math.Hypot(s, c)
		h.Phase[j] = math.Atan2(c, s) * 180 / math.Pi
		h.NormMag[j] = h.Mag[j] / h.Mag[1]
		h.NormPhase[j] = h.Phase[j] - h.Phase[1]
		if j > 1 {
			thd += h.NormMag[j] * h.NormMag[j]
		}
	}
	h.THD = 100 * math.Sqrt(thd)
	return h
}
