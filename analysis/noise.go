package analysis

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// NoiseSpec is what .noise measures: the output v(OutPlus, OutMinus), the input source
// (a voltage source's branch, or a current source's nodes), the frequencies and the
// devices' temperature. Indices are unknowns, 0 for ground.
type NoiseSpec struct {
	OutPlus, OutMinus int
	InBranch          int // an input voltage source's branch; 0 for a current source
	InFrom, InTo      int // an input current source's nodes
	Freqs             []float64
	Kelvin            float64
	Summary           bool // ngspice's pts_per_summary was given: each device's noise and each of its sources' too
}

// NoiseColumns are the columns Noise delivers: ngspice's noise1 vectors (V/√Hz, and
// V/√Hz or A/√Hz at the input), then its noise2 vectors as running integrals from the
// first frequency up to this one (V, and V or A at the input): the last row's are
// ngspice's totals.
// With NoiseSpec.Summary, each device's density and each of its sources' follow the two
// spectra (onoise_q1, onoise_q1_rb ...), and their totals follow the two totals
// (onoise_total_q1, inoise_total_q1, onoise_total_q1_rb, inoise_total_q1_rb ...), as
// ngspice names them.
var NoiseColumns = []string{"frequency", "onoise_spectrum", "inoise_spectrum", "onoise_total", "inoise_total"}

// noiseDevice is one device's noise sources: sources[first:end] of the run's list.
type noiseDevice struct {
	name       string
	first, end int
}

// collectNoise lists the noise sources of the devices, at the unknowns x, grouped by
// device; noisy(k) is the k-th device's Noisy (its run Loader or its definition), if any.
func collectNoise(devs []devices.Device, noisy func(k int) (devices.Noisy, bool), x []float64, kelvin float64) ([]devices.NoiseSource, []noiseDevice) {
	var sources []devices.NoiseSource
	var groups []noiseDevice
	for k, d := range devs {
		if n, ok := noisy(k); ok {
			first := len(sources)
			sources = n.NoiseSources(sources, x, kelvin)
			if len(sources) > first {
				groups = append(groups, noiseDevice{name: d.Name(), first: first, end: len(sources)})
			}
		}
	}
	return sources, groups
}

// noiseColumnNames names Noise's columns (NoiseColumns, and with summary each device's
// and each source's).
func noiseColumnNames(sources []devices.NoiseSource, groups []noiseDevice, summary bool) []string {
	names := slices.Clone(NoiseColumns[:3])
	if summary {
		for _, g := range groups {
			names = append(names, "onoise_"+g.name)
			for _, s := range sources[g.first:g.end] {
				names = append(names, "onoise_"+s.Name)
			}
		}
	}
	names = append(names, NoiseColumns[3:]...)
	if summary {
		for _, g := range groups {
			names = append(names, "onoise_total_"+g.name, "inoise_total_"+g.name)
			for _, s := range sources[g.first:g.end] {
				names = append(names, "onoise_total_"+s.Name, "inoise_total_"+s.Name)
			}
		}
	}
	return names
}

// NoiseColumnNames names the columns Noise delivers for the devices of a system of n
// unknowns (the sources' names do not depend on the operating point).
func NoiseColumnNames(devs []devices.Device, n int, kelvin float64, summary bool) []string {
	if !summary {
		return NoiseColumns
	}
	sources, groups := collectNoise(devs, func(k int) (devices.Noisy, bool) {
		d, ok := devs[k].(devices.Noisy)
		return d, ok
	}, make([]float64, n+1), kelvin)
	return noiseColumnNames(sources, groups, true)
}

// Below these, ngspice's integration of a density between two frequencies treats the
// density (and the density times f) as flat in log-log; densities are floored at
// noiseMinDensity before their logarithm is taken.
const (
	noiseFlatExponent = 1e-10
	noiseMinDensity   = 1e-38
)

// noiseColumns are the columns of these names: the frequency, then densities and totals.
func noiseColumns(names []string) []Column {
	cols := []Column{{Name: names[0], Quantity: Frequency}}
	for _, n := range names[1:] {
		cols = append(cols, Column{Name: n, Quantity: Dimensionless})
	}
	return cols
}

// noiseTerm is the white or the flicker part of one noise source, with what its
// integration carries from one frequency to the next.
type noiseTerm struct {
	pair    int // index of the source's node pair
	src     int // index of the source
	flicker bool
	lastLn  float64 // ln of the output density at the last frequency
}

// Noise runs .noise: at the operating point, the circuit is linearized as for .ac; at
// each frequency the gain from the input source to the output gives the input-referred
// noise, and each device noise current's transfer to the output (one solve per node pair
// that carries noise) gives its share of the output noise. Both densities are
// integrated over frequency, each source on its own, as ngspice does: between two
// frequencies a density is taken as a power law of the frequency.
func Noise(done context.Context, ckt *Circuit, opt Options, spec NoiseSpec, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	if err := e.loadAtOP("noise"); err != nil {
		_ = sink.Begin(noiseColumns(NoiseColumns)) // no point will follow
		return e.finish(), err
	}
	sources, groups := collectNoise(ckt.Devices, func(k int) (devices.Noisy, bool) {
		l, ok := e.loaders[k].(devices.Noisy)
		return l, ok
	}, e.x, spec.Kelvin)
	cols := noiseColumns(noiseColumnNames(sources, groups, spec.Summary))
	if err := sink.Begin(cols); err != nil {
		return e.stats, err
	}
	pairs, terms := noisePairs(sources)
	// As in .ac, a device whose admittance alone depends on the frequency is linearized
	// again at each one, the first too (ngspice loads its AC matrix at each noise
	// frequency); the operating point stays the one solved at hertz = 0.
	_, admittance := readFrequency(e.loaders)
	lin := &acLinearization{admittanceByFrequency: admittance}
	// Each source's density at the output at this frequency and its running integrals
	// at the output and the input, for the summary's columns.
	srcOut := make([]float64, len(sources))
	srcOutTotal := make([]float64, len(sources))
	srcInTotal := make([]float64, len(sources))

	sys := e.sys
	jac := make([]complex128, sys.NumHandles())
	x := make([]complex128, sys.N+1)
	gains := make([]float64, len(pairs)) // |transfer from the pair's current to the output|²
	row := make([]float64, len(cols))
	solver := mna.NewSolver[complex128](sys)
	solver.SetPivoting(e.opt.PivRel, e.opt.PivTol)
	var outTotal, inTotal, lastF float64
	for k, f := range spec.Freqs {
		if err := e.acStep(done, "noise", lin, solver, jac, f); err != nil {
			return e.finish(), err
		}
		clear(x)
		if spec.InBranch > 0 {
			x[spec.InBranch] = 1
		} else {
			x[spec.InFrom] -= 1
			x[spec.InTo] += 1
		}
		gain, err := e.noiseSolve(solver, x, spec)
		if err != nil {
			return e.finish(), &StopError{Analysis: "noise", Err: fmt.Errorf("at %g Hz: %w", f, err)}
		}
		for p, pr := range pairs {
			clear(x)
			x[pr[0]] += 1
			x[pr[1]] -= 1
			z, err := e.noiseSolve(solver, x, spec)
			if err != nil {
				return e.finish(), &StopError{Analysis: "noise", Err: fmt.Errorf("at %g Hz: %w", f, err)}
			}
			gains[p] = z
		}
		invGain := 1 / max(gain, noiseMinDensity)
		var out float64
		clear(srcOut)
		for t := range terms {
			term := &terms[t]
			s := sources[term.src]
			density := s.White
			if term.flicker {
				density = s.Flicker / math.Pow(f, s.Exp)
			}
			d := density * gains[term.pair]
			out += d
			srcOut[term.src] += d
			ln := math.Log(max(d, noiseMinDensity))
			if k > 0 {
				o := powerLawIntegral(d, ln, term.lastLn, lastF, f)
				// As ngspice: the input-referred density's power law is the output
				// density's, both ends divided by the gain at this frequency.
				lnGain := math.Log(invGain)
				i := powerLawIntegral(d*invGain, ln+lnGain, term.lastLn+lnGain, lastF, f)
				outTotal += o
				inTotal += i
				srcOutTotal[term.src] += o
				srcInTotal[term.src] += i
			}
			term.lastLn = ln
		}
		lastF = f
		row[0], row[1], row[2] = f, math.Sqrt(out), math.Sqrt(out*invGain)
		c := 3
		if spec.Summary {
			c = summaryDensities(row, c, groups, srcOut)
		}
		row[c], row[c+1] = math.Sqrt(outTotal), math.Sqrt(inTotal)
		if spec.Summary {
			summaryTotals(row, c+2, groups, srcOutTotal, srcInTotal)
		}
		if err := e.point(sink, row); err != nil {
			return e.finish(), err
		}
	}
	return e.finishSmallSignal(solver), nil
}

// summaryDensities writes each device's output density and then each of its sources'
// (V/√Hz) into row from column c, in noiseColumnNames' order, and returns the column
// after them.
func summaryDensities(row []float64, c int, groups []noiseDevice, srcOut []float64) int {
	for _, g := range groups {
		var sum float64
		for _, d := range srcOut[g.first:g.end] {
			sum += d
		}
		row[c] = math.Sqrt(sum)
		c++
		for _, d := range srcOut[g.first:g.end] {
			row[c] = math.Sqrt(d)
			c++
		}
	}
	return c
}

// summaryTotals writes each device's integrated noise at the output and the input and
// then each of its sources' (V, or A at a current source's input) into row from column
// c: as ngspice, a device's is the sum of its sources' integrals.
func summaryTotals(row []float64, c int, groups []noiseDevice, srcOut, srcIn []float64) {
	for _, g := range groups {
		var o, i float64
		for s := g.first; s < g.end; s++ {
			o += srcOut[s]
			i += srcIn[s]
		}
		row[c], row[c+1] = math.Sqrt(o), math.Sqrt(i)
		c += 2
		for s := g.first; s < g.end; s++ {
			row[c], row[c+1] = math.Sqrt(srcOut[s]), math.Sqrt(srcIn[s])
			c += 2
		}
	}
}

// noiseSolve solves for the excitation in x and returns |v(out)|².
func (e *engine) noiseSolve(solver *mna.Solver[complex128], x []complex128, spec NoiseSpec) (float64, error) {
	x[0] = 0
	if err := solver.Solve(x); err != nil {
		return 0, err
	}
	v := cmplx.Abs(x[spec.OutPlus] - x[spec.OutMinus])
	return v * v, nil
}

// noisePairs lists the distinct node pairs the sources flow between (one solve each per
// frequency) and the terms to integrate: each source's white part, and its flicker part
// where it has one.
func noisePairs(sources []devices.NoiseSource) ([][2]int, []noiseTerm) {
	var pairs [][2]int
	index := map[[2]int]int{}
	var terms []noiseTerm
	for i, s := range sources {
		if s.White == 0 && s.Flicker == 0 {
			continue // a source ngspice names but that makes no noise here (rc of a BJT without one)
		}
		key := [2]int{s.A, s.B}
		if s.A > s.B {
			key = [2]int{s.B, s.A}
		}
		p, ok := index[key]
		if !ok {
			p = len(pairs)
			index[key] = p
			pairs = append(pairs, key)
		}
		terms = append(terms, noiseTerm{pair: p, src: i})
		if s.Flicker != 0 {
			terms = append(terms, noiseTerm{pair: p, src: i, flicker: true})
		}
	}
	return pairs, terms
}

// powerLawIntegral is the integral from f0 to f1 of a density that is d1 at f1 (ln1 its
// logarithm, ln0 the logarithm of the density at f0), taken as a power law a f^n through
// the two points, as ngspice integrates noise.
func powerLawIntegral(d1, ln1, ln0, f0, f1 float64) float64 {
	lnF0, lnF1 := math.Log(f0), math.Log(f1)
	n := (ln1 - ln0) / (lnF1 - lnF0)
	if math.Abs(n) < noiseFlatExponent {
		return d1 * (f1 - f0)
	}
	a := math.Exp(ln1 - n*lnF1)
	n++
	if math.Abs(n) < noiseFlatExponent {
		return a * (lnF1 - lnF0)
	}
	return a * (math.Exp(n*lnF1) - math.Exp(n*lnF0)) / n
}
