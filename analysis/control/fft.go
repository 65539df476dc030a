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
	scale := in.cur.Scale()
	if scale == nil || scale.IsComplex() || scale.Type != "time" {
		return errors.New("fft needs a real time scale: the current plot is not a transient analysis's")
	}
	n := scale.Len()
	if n < 2 {
		return fmt.Errorf("the time scale has %d values", n)
	}
	var vecs []*Vector
	for _, name := range names {
		v, err := in.lookup(name)
		if err != nil {
			return err
		}
		if v.IsComplex() || v.Len() != n {
			return fmt.Errorf("%s is complex or not as long as the time scale (%d values)", name, n)
		}
		vecs = append(vecs, v)
	}
	window, err := in.specWindow()
	if err != nil {
		return err
	}
	t0, span := scale.Real[0], scale.Real[n-1]-scale.Real[0]
	if !(span > 0) {
		return fmt.Errorf("the time span is %g", span)
	}
	weights := make([]float64, n)
	for i, t := range scale.Real {
		weights[i] = window((t - t0) / span)
	}
	size := 1
	for size < n {
		size *= 2
	}
	out := size/2 + 1
	fmt.Fprintf(in.opt.Stdout, "FFT: Time span: %g s, input length: %d, zero padding: %d\n", span, n, size-n)
	fmt.Fprintf(in.opt.Stdout, "FFT: Frequency resolution: %g Hz, output length: %d\n", 1/span, out)

	p := &Plot{Kind: "sp", Title: in.cur.Title, Type: "Spectrum", Date: in.date()}
	freq := &Vector{Name: "frequency", Type: "frequency", Real: make([]float64, out)}
	df := float64(n) / (float64(size) * span)
	for k := range freq.Real {
		freq.Real[k] = float64(k) * df
	}
	p.Vecs = append(p.Vecs, freq)
	fft := fourier.NewFFT(size)
	seq := make([]float64, size)
	for k, v := range vecs {
		for i, x := range v.Real {
			seq[i] = weights[i] * x
		}
		coef := fft.Coefficients(nil, seq)
		for i := range coef {
			coef[i] *= complex(2/float64(size), 0)
		}
		p.Vecs = append(p.Vecs, &Vector{Name: strings.ToLower(names[k]), Type: "notype", Cplx: coef})
	}
	in.addPlot(p)
	return nil
}

// specWindow is the window of fft, by the variable specwindow, as a function of where a
// value is in the time span (0 to 1). Each is scaled to a mean near 1, as ngspice's,
// so a constant keeps its value; specwindoworder is the gaussian's order (2 unless set,
// at least 2).
func (in *Interp) specWindow() (func(x float64) float64, error) {
	name := "hanning"
	if v, ok := in.vars["specwindow"]; ok && len(v) > 0 {
		name = strings.ToLower(v[0])
	}
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
