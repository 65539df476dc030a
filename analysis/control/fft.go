package control

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/gospice/gospice"
	pc "github.com/gospice/gospice/parser/control"
)

// cmdFft makes a spectrum plot (sp1, sp2 ...) of vectors of the current transient plot,
// as ngspice's fft does: the values as they are (linearize first for equal steps),
// weighted by the window specwindow names (hanning unless set), padded with zeros to a
// power of two, N of them, and transformed; the plot has N/2+1 frequencies, k/(N dt)
// with dt the time span over the number of values, and each vector the complex
// coefficients times 2/N, under the name it was given.
func (in *Interp) cmdFft(ctx context.Context, c *pc.Command, args string) error {
	names := strings.Fields(args)
	if len(names) == 0 {
		return errors.New("usage: fft vector ...")
	}
	w, err := in.windowedInput(names, "FFT")
	if err != nil {
		return err
	}
	p := &Plot{Kind: "sp", Title: in.cur.Title, Type: "Spectrum", Date: in.date()}
	p.Vecs = append(p.Vecs, w.freq)
	for k := range w.vecs {
		coef := w.coefficients(k)
		for i := range coef {
			coef[i] *= complex(2/float64(w.size), 0)
		}
		p.Vecs = append(p.Vecs, &Vector{Name: strings.ToLower(names[k]), Type: "notype", Cplx: coef})
	}
	in.addPlot(p)
	return nil
}

// windowed is what fft and psd transform: vectors of the current transient plot,
// weighted by specwindow's window, to be padded with zeros to size values, a power of
// two, and the frequencies of their size/2+1 coefficients.
type windowed struct {
	vecs    []*Vector
	weights []float64
	size    int
	freq    *Vector // k·n/(size·span), n the number of values
	fft     *fourier.FFT
	seq     []float64
}

// windowedInput reads the vectors named for fft or psd (what, as their first two lines
// name it) and prints those lines, as ngspice does: the time span, the number of values
// and of zeros padded, the resolution 1/span and the number of frequencies.
func (in *Interp) windowedInput(names []string, what string) (*windowed, error) {
	scale, vecs, err := in.timeVectors(names)
	if err != nil {
		return nil, err
	}
	window, err := in.specWindow()
	if err != nil {
		return nil, err
	}
	n := scale.Len()
	t0, span := scale.Real[0], scale.Real[n-1]-scale.Real[0]
	w := &windowed{vecs: vecs, weights: make([]float64, n), size: pow2(n)}
	for i, t := range scale.Real {
		w.weights[i] = window((t - t0) / span)
	}
	out := w.size/2 + 1
	fmt.Fprintf(in.opt.Stdout, "%s: Time span: %.6g s, input length: %d, zero padding: %d\n", what, span, n, w.size-n)
	fmt.Fprintf(in.opt.Stdout, "%s: Frequency resolution: %.6g Hz, output length: %d\n", what, 1/span, out)
	w.freq = &Vector{Name: "frequency", Type: "frequency", Real: make([]float64, out)}
	df := float64(n) / (float64(w.size) * span)
	for k := range w.freq.Real {
		w.freq.Real[k] = float64(k) * df
	}
	w.fft = fourier.NewFFT(w.size)
	w.seq = make([]float64, w.size)
	return w, nil
}

// coefficients are the size/2+1 Fourier coefficients of the k-th vector, weighted and
// padded, not scaled.
func (w *windowed) coefficients(k int) []complex128 {
	for i, x := range w.vecs[k].Real {
		w.seq[i] = w.weights[i] * x
	}
	return w.fft.Coefficients(nil, w.seq)
}

// cmdPsd makes a plot of the single-sided power spectral densities of vectors of the
// current transient plot, as ngspice 39's psd ave vector ...: the coefficients X of fft
// (same window, same padding to N values), the power of each frequency |X|²/N², twice
// that between 0 Hz and the last; their sum printed as the total noise power (and its
// square root as the noise voltage or current); then each a moving average of ave
// neighbours (fewer at the ends) times the number of frequencies over the highest, in
// V²/Hz (or A²/Hz), a complex vector of the vector's name as ngspice writes it.
func (in *Interp) cmdPsd(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) < 2 {
		return errors.New("usage: psd ave vector ...")
	}
	ave, ok := gospice.ParseNumber(words[0])
	if !ok || ave < 1 || ave != math.Trunc(ave) || ave > maxValues {
		return fmt.Errorf("the number of values to average, %q, is not a whole number from 1 to %d", words[0], maxValues)
	}
	w, err := in.windowedInput(words[1:], "PSD")
	if err != nil {
		return err
	}
	p := &Plot{Kind: "sp", Title: in.cur.Title, Type: "PSD", Date: in.date()}
	p.Vecs = append(p.Vecs, w.freq)
	fpts := w.freq.Len()
	nyquist := w.freq.Real[fpts-1]
	for k := range w.vecs {
		power := make([]float64, fpts)
		total := 0.0
		for i, x := range w.coefficients(k) {
			power[i] = real(x)*real(x) + imag(x)*imag(x)
			power[i] /= float64(w.size) * float64(w.size)
			if i > 0 && i < fpts-1 {
				power[i] *= 2
			}
			total += power[i]
		}
		fmt.Fprintf(in.opt.Stdout, "Total noise power up to Nyquist frequency %5.3e Hz: %e V^2 (or A^2), \nNoise voltage or current: %e V (or A)\n", nyquist, total, math.Sqrt(total))
		psd := &Vector{Name: strings.ToLower(words[1+k]), Type: "notype", Cplx: make([]complex128, fpts)}
		for i, x := range movingAverage(power, int(ave)) {
			psd.Cplx[i] = complex(x*float64(fpts)/nyquist, 0)
		}
		p.Vecs = append(p.Vecs, psd)
	}
	in.addPlot(p)
	return nil
}

// movingAverage is psd's smoothing of x over width neighbours, as ngspice 39 does it:
// from width/2 before to the rest after; near the start the mean of the first width/2+i
// values, near the end of the values from i-width/2+1 to the last.
func movingAverage(x []float64, width int) []float64 {
	n, half := len(x), width/2
	mean := func(lo, hi int) float64 { // of x[lo:hi]
		lo, hi = max(lo, 0), min(hi, n)
		if hi <= lo {
			return 0
		}
		sum := 0.0
		for _, v := range x[lo:hi] {
			sum += v
		}
		return sum / float64(hi-lo)
	}
	out := make([]float64, n)
	for i := range out {
		switch {
		case i < half:
			out[i] = mean(0, half+i)
		case i < n-half:
			out[i] = mean(i-half, i-half+width)
		default:
			out[i] = mean(i-half+1, n)
		}
	}
	return out
}

// cmdSpec makes a spectrum plot of vectors of the current transient plot at the
// frequencies fstart, fstart+fstep ... fstop, as ngspice's spec does: each value the
// Fourier sum of the values as they are, weighted by the window of fft, at that
// frequency, over the sum of the weights (times 2 above 0 Hz), so that a sine of
// amplitude A is A at its frequency; the vectors keep their type.
func (in *Interp) cmdSpec(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) < 4 {
		return errors.New("usage: spec fstart fstop fstep vector ...")
	}
	f, err := numbers(words[:3])
	if err != nil {
		return err
	}
	start, stop, step := f[0], f[1], f[2]
	if start < 0 || stop <= start || step <= 0 || (stop-start)/step > maxValues {
		return fmt.Errorf("bad frequencies: start %g, stop %g, step %g", start, stop, step)
	}
	scale, vecs, err := in.timeVectors(words[3:])
	if err != nil {
		return err
	}
	switch in.specWindowName() {
	case "flattop":
		return errors.New(`unknown window type "flattop" (spec has none, as in ngspice)`)
	case "gaussian":
		return errors.New("spec does not take the gaussian window yet (fft does)")
	}
	window, err := in.specWindow()
	if err != nil {
		return err
	}
	n := scale.Len()
	t0, span := scale.Real[0], scale.Real[n-1]-scale.Real[0]
	if step < (1-1e-9)/span {
		return fmt.Errorf("time span limits step freq to %g Hz", 1/span)
	}
	if limit := float64(n-1) / span / 2; stop > limit*(1+1e-9) {
		return fmt.Errorf("time step limits stop freq to %g Hz", limit)
	}
	// The weighted mean is taken off the values above 0 Hz, and the phases are of the
	// time from 0, not from the first value, as ngspice's.
	weights := make([]float64, n)
	sum, mean := 0.0, make([]float64, len(vecs))
	for i, t := range scale.Real[:n-1] {
		weights[i] = window((t - t0) / span)
		sum += weights[i]
		for k, v := range vecs {
			mean[k] += weights[i] * v.Real[i]
		}
	}
	count := int((stop-start)/step+1e-9) + 1
	p := &Plot{Kind: "sp", Title: in.cur.Title, Type: "Spectrum", Date: in.date()}
	freq := &Vector{Name: "frequency", Type: "frequency", Real: make([]float64, count)}
	for k := range freq.Real {
		freq.Real[k] = start + float64(k)*step
	}
	p.Vecs = append(p.Vecs, freq)
	for k, v := range vecs {
		out := &Vector{Name: strings.ToLower(words[3+k]), Type: v.Type, Cplx: make([]complex128, count)}
		for j, fr := range freq.Real {
			if fr == 0 {
				out.Cplx[j] = complex(mean[k]/sum, 0)
				continue
			}
			var acc complex128
			for i, t := range scale.Real[:n-1] {
				s, c := math.Sincos(2 * math.Pi * fr * t)
				acc += complex(weights[i]*(v.Real[i]-mean[k]/sum), 0) * complex(c, s)
			}
			out.Cplx[j] = acc * complex(2/sum, 0)
		}
		p.Vecs = append(p.Vecs, out)
	}
	in.addPlot(p)
	return nil
}

// timeVectors are the current plot's time scale and the vectors named, which must be
// real and as long as it: what fft and spec transform.
func (in *Interp) timeVectors(names []string) (*Vector, []*Vector, error) {
	scale := in.cur.Scale()
	if scale == nil || scale.IsComplex() || scale.Type != "time" {
		return nil, nil, errors.New("needs a real time scale: the current plot is not a transient analysis's")
	}
	n := scale.Len()
	if n < 2 || !(scale.Real[n-1] > scale.Real[0]) {
		return nil, nil, fmt.Errorf("the time scale has %d values, over %g s", n, scale.Real[n-1]-scale.Real[0])
	}
	var vecs []*Vector
	for _, name := range names {
		v, err := in.lookup(name)
		if err != nil {
			return nil, nil, err
		}
		if v.IsComplex() || v.Len() != n {
			return nil, nil, fmt.Errorf("%s is complex or not as long as the time scale (%d values)", name, n)
		}
		vecs = append(vecs, v)
	}
	return scale, vecs, nil
}

// specWindowName is the window specwindow names, hanning unless set.
func (in *Interp) specWindowName() string {
	if v, ok := in.vars["specwindow"]; ok && len(v) > 0 {
		return strings.ToLower(v[0])
	}
	return "hanning"
}

// specWindow is the window of fft, by the variable specwindow, as a function of where a
// value is in the time span (0 to 1). Each is scaled to a mean near 1, as ngspice's,
// so a constant keeps its value; specwindoworder is the gaussian's order (2 unless set,
// at least 2).
func (in *Interp) specWindow() (func(x float64) float64, error) {
	name := in.specWindowName()
	cosines := func(a ...float64) func(float64) float64 { // a[0] - a[1]cos 2πx + a[2]cos 4πx - ...
		return func(x float64) float64 {
			w, sign := a[0], -1.0
			for k := 1; k < len(a); k++ {
				w += sign * a[k] * math.Cos(2*math.Pi*float64(k)*x)
				sign = -sign
			}
			return w
		}
	}
	switch name {
	case "none", "rectangular":
		return func(float64) float64 { return 1 }, nil
	case "hanning", "hann", "cosine":
		return cosines(1, 1), nil
	case "hamming":
		return cosines(1, 0.46/0.54), nil
	case "blackman":
		return cosines(1, 0.5/0.42, 0.08/0.42), nil
	case "bartlet", "bartlett", "triangle":
		return func(x float64) float64 { return 2 * (1 - math.Abs(2*x-1)) }, nil
	case "flattop":
		return cosines(1, 1.93, 1.29, 0.388, 0.032), nil
	case "gaussian":
		order := 2.0
		if v, ok := in.vars["specwindoworder"]; ok && len(v) > 0 {
			o, good := gospice.ParseNumber(v[0])
			if !good {
				return nil, fmt.Errorf("specwindoworder %q is not a number", v[0])
			}
			order = max(o, 2) // ngspice takes a smaller order for 2
		}
		return func(x float64) float64 {
			u := 2 * order * (x - 0.5)
			return 0.83 * order * math.Exp(-u*u/2)
		}, nil
	}
	return nil, fmt.Errorf("unknown window type %q (specwindow)", name)
}
