package analysis

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// ACPart is the part of a complex value an AC output shows.
type ACPart uint8

const (
	Real ACPart = iota
	Imag
	Magnitude
	Phase // degrees
	Decibel
)

// ACOutput is a named AC vector: a part of x[Plus] - x[Minus], the complex vector
// named Vector, or with OP set a quantity of the operating point (a device's report),
// whose real part is its value there at every frequency and imaginary part 0, as
// ngspice 39 writes a device quantity in an AC plot.
type ACOutput struct {
	Name        string
	Vector      string
	Quantity    Quantity // of the complex vector: Voltage or Current
	Plus, Minus int
	Part        ACPart
	OP          Probe
}

// Of is this part of v: its real or imaginary part, its magnitude, its phase in degrees,
// or its magnitude in dB (20 log10 |v|).
func (p ACPart) Of(v complex128) float64 {
	switch p {
	case Real:
		return real(v)
	case Imag:
		return imag(v)
	case Magnitude:
		return cmplx.Abs(v)
	case Phase:
		return cmplx.Phase(v) * 180 / math.Pi
	}
	return 20 * math.Log10(cmplx.Abs(v))
}

// value is the output's part of x[Plus] - x[Minus], or of op, its value at the
// operating point (opValues).
func (o ACOutput) value(x []complex128, op float64) float64 {
	if o.OP != nil {
		return o.Part.Of(complex(op, 0))
	}
	return o.Part.Of(x[o.Plus] - x[o.Minus])
}

// opValues are the outputs' values at the operating point xop: those with OP set.
func opValues(outputs []ACOutput, xop []float64) []float64 {
	v := make([]float64, len(outputs))
	for i, o := range outputs {
		if o.OP != nil {
			v[i] = o.OP.Value(xop)
		}
	}
	return v
}

// MaxACPoints bounds the frequencies of an .ac sweep: the list is made up front.
const MaxACPoints = 1e7

// ACFrequencies lists the frequencies of .ac dec|oct|lin n fstart fstop as ngspice 39
// does: n points per decade or octave from fstart up to fstop (a decade sweep's step
// stretched to end at fstop), or n points in all, linearly.
func ACFrequencies(sweep string, n int, start, stop float64) ([]float64, error) {
	return frequencies(sweep, n, start, stop, true)
}

// NoiseFrequencies lists the frequencies of .noise's dec|oct|lin n fstart fstop as
// ngspice 39 does: as ACFrequencies, but a decade sweep keeps its step of 1/n decade and
// ends at or below fstop.
func NoiseFrequencies(sweep string, n int, start, stop float64) ([]float64, error) {
	return frequencies(sweep, n, start, stop, false)
}

func frequencies(sweep string, n int, start, stop float64, stretch bool) ([]float64, error) {
	// A linear sweep may start at 0 Hz (the DC small-signal response), as in ngspice.
	lowest := start > 0 || sweep == "lin" && start == 0
	if n < 1 || !lowest || !(stop >= start) || math.IsInf(stop, 0) {
		return nil, fmt.Errorf("needs n >= 1 and 0 < fstart <= fstop (0 <= fstart for lin), got %d %g %g", n, start, stop)
	}
	var f []float64
	switch sweep {
	case "lin":
		if n > MaxACPoints {
			return nil, fmt.Errorf("%d points, more than 10 million", n)
		}
		if n == 1 {
			return []float64{start}, nil
		}
		for k := range n {
			f = append(f, start+(stop-start)*float64(k)/float64(n-1))
		}
		return f, nil
	case "dec", "oct":
		base := 10.0
		if sweep == "oct" {
			base = 2
		}
		count := math.Floor(float64(n)*math.Log(stop/start)/math.Log(base)+1e-9) + 1
		if count > MaxACPoints {
			return nil, fmt.Errorf("%.3g points, more than 10 million", count)
		}
		steps := count - 1
		if steps == 0 { // fstop less than a step above fstart: fstart alone
			return []float64{start}, nil
		}
		// fstop on the grid of 1/n decades: the grid's own points, exact at each decade
		onGrid := math.Abs(float64(n)*math.Log10(stop/start)-steps) < 1e-9
		for k := 0.0; k <= steps; k++ {
			if sweep == "dec" && stretch && !onGrid {
				// ngspice 39 spreads a decade sweep's whole steps evenly over
				// fstart..fstop, so that it ends at fstop (dec 2 1 50: 1, 3.68, 13.6,
				// 50); an octave sweep keeps its step and ends at or below fstop.
				f = append(f, start*math.Pow(stop/start, k/steps))
				continue
			}
			f = append(f, start*math.Pow(base, k/float64(n)))
		}
		return f, nil
	}
	return nil, fmt.Errorf("unknown sweep %q (dec, oct or lin)", sweep)
}

// AC runs a small-signal analysis: the operating point, the circuit linearized there
// (G and C), and (G + j omega C) x = b at each frequency, b the sources' AC values.
//
// When an expression reads hertz (a devices.FrequencyDependent device says so), the
// operating point and the linearization depend on the frequency: at each one, as
// ngspice does, the loads get the frequency and the operating point is solved again,
// from the previous one, before the circuit is linearized. A device whose admittance
// alone depends on the frequency (devices.AdmittanceByFrequency) is linearized again at
// each frequency, from the same operating point. ngspice also solves one
// first at hertz = 0 and discards it, so that R={1k*hertz} fails there; here the first
// operating point is at the first frequency.
func AC(done context.Context, ckt *Circuit, opt Options, freqs []float64, outputs []ACOutput, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	cols := []Column{{Name: "frequency", Quantity: Frequency}}
	for _, o := range outputs {
		cols = append(cols, Column{Name: o.Name, Quantity: o.Quantity, Part: o.Part, Vector: o.Vector})
	}
	if err := sink.Begin(cols); err != nil {
		return e.stats, err
	}
	lin := newACLinearization(e, freqs)
	if err := e.loadAtOP("ac"); err != nil {
		return e.finish(), err
	}
	ops := opValues(outputs, e.x)

	sys := e.sys
	excitation := e.acExcitation()
	jac := make([]complex128, sys.NumHandles())
	x := make([]complex128, sys.N+1)
	row := make([]float64, len(outputs)+1)
	solver := mna.NewSolver[complex128](sys)
	for _, f := range freqs {
		if err := e.acStep(done, "ac", lin, solver, jac, f); err != nil {
			return e.finish(), err
		}
		copy(x, excitation)
		if err := acSolve(solver, x, "ac", f); err != nil {
			return e.finish(), err
		}
		row[0] = f
		for i, o := range outputs {
			row[i+1] = o.value(x, ops[i])
		}
		if err := e.point(sink, row); err != nil {
			return e.finish(), err
		}
	}
	return e.finishSmallSignal(solver), nil
}

// acSolve solves the system factored at frequency f in place; its error names the
// analysis and f.
func acSolve(solver *mna.Solver[complex128], x []complex128, analysis string, f float64) error {
	if err := solver.Solve(x); err != nil {
		return &StopError{Analysis: analysis, Err: fmt.Errorf("at %g Hz: %w", f, err)}
	}
	return nil
}

// point counts a point of a frequency sweep and hands its row to the sink.
func (e *engine) point(sink Sink, row []float64) error {
	e.stats.Points++
	return sink.Point(row)
}

// finishSmallSignal is finish with the complex solver's factorizations counted.
func (e *engine) finishSmallSignal(solver *mna.Solver[complex128]) Stats {
	stats := e.finish()
	stats.Factorizations += solver.Factors
	return stats
}

// acStep makes the small-signal system at frequency f: it stops when done is, has lin
// linearize the circuit again there when it depends on f, and factors G + jwC into
// solver (jac its work space). Its error is the analysis's StopError.
func (e *engine) acStep(done context.Context, analysis string, lin *acLinearization, solver *mna.Solver[complex128], jac []complex128, f float64) error {
	if err := done.Err(); err != nil {
		return &StopError{Analysis: analysis, Err: err}
	}
	if err := lin.at(e, f); err != nil {
		return &StopError{Analysis: analysis, Err: err}
	}
	w := 2 * math.Pi * f
	for h := range jac {
		jac[h] = complex(e.vals.G[h], w*e.vals.C[h])
	}
	if err := solver.Factor(jac); err != nil {
		return &StopError{Analysis: analysis, Err: fmt.Errorf("at %g Hz: %w", f, err)}
	}
	return nil
}

// acExcitation is the right-hand side of the small-signal system: the sources' AC values.
func (e *engine) acExcitation() []complex128 {
	b := make([]complex128, e.sys.N+1)
	for _, d := range e.loaders {
		if s, ok := d.(devices.ACSource); ok {
			s.ACExcite(b)
		}
	}
	b[0] = 0
	return b
}

// acLinearization says whether a small-signal analysis must linearize the circuit again
// at each frequency (AC's doc comment says when), and does it.
type acLinearization struct {
	byFrequency, admittanceByFrequency bool
	first                              bool // at the first frequency, where loadAtOP linearized it
}

// newACLinearization looks at the devices and, when they read the frequency, sets the
// first one in the load context, for the operating point.
func newACLinearization(e *engine, freqs []float64) *acLinearization {
	l := &acLinearization{first: true}
	l.byFrequency, l.admittanceByFrequency = readFrequency(e.loaders)
	if (l.byFrequency || l.admittanceByFrequency) && len(freqs) > 0 {
		e.ctx.Hertz = freqs[0]
	}
	return l
}

// readFrequency says whether any of the loaders reads the frequency in its operating
// point and linearization (devices.FrequencyDependent), and whether any in its
// admittance alone (devices.AdmittanceByFrequency).
func readFrequency(loaders []devices.Loader) (operating, admittance bool) {
	for _, d := range loaders {
		if fd, ok := d.(devices.FrequencyDependent); ok && fd.ReadsFrequency() {
			operating = true
		}
		if fd, ok := d.(devices.AdmittanceByFrequency); ok && fd.AdmittanceReadsFrequency() {
			admittance = true
		}
	}
	return operating, admittance
}

// at linearizes the circuit at frequency f when it depends on it.
func (l *acLinearization) at(e *engine, f float64) error {
	first := l.first
	l.first = false
	switch {
	case first:
	case l.byFrequency:
		e.ctx.Hertz = f
		if err := e.reoperate(); err != nil {
			return fmt.Errorf("operating point at %g Hz: %w", f, err)
		}
		e.ctx.Mode = devices.ModeAC
		e.load(e.x)
	case l.admittanceByFrequency:
		// Only the linearization depends on the frequency: load it again there.
		e.ctx.Hertz = f
		e.load(e.x)
	}
	return nil
}

// reoperate solves the operating point again after a device changed (hertz at the next
// frequency): Newton from the present one, which is close, else from zero with the
// convergence aids.
func (e *engine) reoperate() error {
	e.ctx.Mode = devices.ModeOP
	if _, err := e.newton(e.opt.ITL1); err == nil || e.done.Err() != nil {
		return err
	}
	return e.operatingPoint()
}
