package control

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The functions fft(v) and ifft(v) of vectors, as ngspice 39 computes them (measured
// on small vectors, TestAgainstNgspice/fft-functions): over the current plot's scale,
// whose span and length set the frequencies and the inverse's length, without a window,
// and each adds its own scale, fft_scale or ifft_scale, to the current plot.

// keepScale adds fft_scale or ifft_scale to the current plot, unless it has one: in
// ngspice 39 the first one made stays what the name finds (measured: a second fft of
// another length leaves fft_scale as the first made it).
func (in *Interp) keepScale(v *Vector) {
	if in.cur.Vector(v.Name) == nil {
		in.cur.set(v)
	}
}

// pow2 is the least power of two not below n.
func pow2(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	return size
}

// padded is v's values as complex numbers, padded with zeros to a power of two.
func padded(v *Vector) ([]complex128, error) {
	n := v.Len()
	if n == 0 {
		return nil, errors.New("an empty vector")
	}
	seq := make([]complex128, pow2(n))
	for i := range n {
		seq[i] = v.At(i)
	}
	return seq, nil
}

// spanOfPlot is the current plot's real scale and its span.
func (in *Interp) spanOfPlot() (*Vector, float64, error) {
	scale := in.cur.Scale()
	if scale == nil || scale.IsComplex() || scale.Len() < 2 {
		return nil, 0, errors.New("the current plot has no real scale of two values or more")
	}
	span := scale.Real[scale.Len()-1] - scale.Real[0]
	if span <= 0 {
		return nil, 0, errors.New("the current plot's scale does not increase")
	}
	return scale, span, nil
}

// fftOf is fft(v): v padded with zeros to N values, a power of two, transformed
// (e^-j2πkn/N); of a real v the N/2+1 coefficients times 2/N, of a complex one all N
// over N. fft_scale holds their frequencies k n/(N span), n the values of v (the first
// n of them).
func (in *Interp) fftOf(v *Vector) (*Vector, error) {
	_, span, err := in.spanOfPlot()
	if err != nil {
		return nil, err
	}
	seq, err := padded(v)
	if err != nil {
		return nil, err
	}
	n, size := v.Len(), len(seq)
	coef := fourier.NewCmplxFFT(size).Coefficients(nil, seq)
	out, gain := size, 1/float64(size)
	if !v.IsComplex() {
		out, gain = size/2+1, 2/float64(size)
	}
	res := &Vector{Type: v.Type, Cplx: coef[:out]}
	if v.IsComplex() {
		res.Type = "notype"
	}
	for i := range res.Cplx {
		res.Cplx[i] *= complex(gain, 0)
	}
	fmt.Fprintf(in.opt.Stdout, "FFT: Time span: %.6g s, input length: %d, zero padding: %d\n", span, n, size-n)
	fmt.Fprintf(in.opt.Stdout, "FFT: Frequency resolution: %.6g Hz, output length: %d\n", 1/span, out)
	freq := &Vector{Name: "fft_scale", Type: "frequency", Real: make([]float64, out)}
	for k := range min(out, n) {
		// of a complex v, ngspice 39 sets only the first n of its N frequencies (the rest
		// is whatever its memory held, measured): 0 here
		freq.Real[k] = float64(k) * float64(n) / (float64(size) * span)
	}
	in.keepScale(freq)
	return res, nil
}

// ifftOf is ifft(v): v's L values padded with zeros to N, a power of two, transformed
// back (e^+j2πkn/N) at the M values of the current plot's scale, times M/N (so that
// ifft(fft(x)) is x M/N, as in ngspice 39). ifft_scale holds their times, n span/(M-1).
// A real v is read as complex (ngspice 39 reads its memory as complex pairs).
func (in *Interp) ifftOf(v *Vector) (*Vector, error) {
	scale, span, err := in.spanOfPlot()
	if err != nil {
		return nil, err
	}
	coef, err := padded(v)
	if err != nil {
		return nil, err
	}
	l, m, size := v.Len(), scale.Len(), len(coef)
	seq := fourier.NewCmplxFFT(size).Sequence(nil, coef)
	res := &Vector{Type: "notype", Cplx: make([]complex128, m)}
	gain := complex(float64(m)/float64(size), 0)
	for i := range res.Cplx {
		res.Cplx[i] = seq[i%size] * gain
	}
	dt := span / float64(m-1)
	fmt.Fprintf(in.opt.Stdout, "IFFT: Frequency span: %.6g Hz, input length: %d, zero padding: %d\n", float64(l)/span, l, size-l)
	fmt.Fprintf(in.opt.Stdout, "IFFT: Time resolution: %.6g s, output length: %d\n", dt, m)
	times := &Vector{Name: "ifft_scale", Type: "time", Real: make([]float64, m)}
	for i := range times.Real {
		times.Real[i] = float64(i) * dt
	}
	in.keepScale(times)
	return res, nil
}
