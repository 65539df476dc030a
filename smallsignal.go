package gospice

import (
	"context"
	"math"
	"math/cmplx"
	"sort"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/analysis/fourier"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// TF is a .tf analysis: transfer function, input and output impedance.
type TF = parser.TF

// Sens is a .sens analysis: DC sensitivities.
type Sens = parser.Sens

// Four is a .four analysis: Fourier components of a transient.
type Four = parser.Four

// runTF runs .tf after resolving its output and input source.
func (s *Simulation) runTF(ctx context.Context, a *parser.TF, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	spec, err := s.tfSpec(a)
	if err != nil {
		return analysis.Stats{}, err
	}
	return analysis.TF(ctx, &s.ckt, s.opt, spec, sink, analysis.Logger(log))
}

// inputSource is where an analysis excites the circuit at the independent source named:
// a voltage source's branch, or a current source's nodes (its current flows from the
// first through it to the second).
func (s *Simulation) inputSource(name string, pos parser.Pos, what string) (branch, from, to int, err error) {
	switch s.device(name).(type) {
	case *devices.VoltageSource:
		branch, _ = s.ckt.Sys.Lookup("i(" + name + ")")
	case *devices.CurrentSource:
		nodes := s.element(name).Nodes
		from, to = s.nodeIndex(nodes[0]), s.nodeIndex(nodes[1])
	default:
		err = parser.Errorf(pos, "%s: no independent voltage or current source %q in the circuit", what, name)
	}
	return branch, from, to, err
}

// tfSpec resolves where .tf excites the circuit and reads its answer.
func (s *Simulation) tfSpec(a *parser.TF) (analysis.TFSpec, error) {
	spec := analysis.TFSpec{Names: a.TFColumns()}
	var err error
	if spec.OutPlus, spec.OutMinus, spec.OutBranch, err = s.outPort(a.Out, ".tf"); err != nil {
		return spec, err
	}
	if spec.InBranch, spec.InFrom, spec.InTo, err = s.inputSource(a.Source, a.SrcPos, ".tf"); err != nil {
		return spec, err
	}
	spec.SameSource = a.Out.Kind == parser.VectorCurrent && a.Out.Device == a.Source
	return spec, nil
}

// outPort resolves the output of .tf or .sens: the nodes of v(a,b), or the branch of the
// voltage source of i(vsrc).
func (s *Simulation) outPort(v parser.Vector, cmd string) (plus, minus, branch int, err error) {
	if v.Kind == parser.VectorCurrent {
		i, ok := s.ckt.Sys.Lookup("i(" + v.Device + ")")
		if _, isV := s.device(v.Device).(*devices.VoltageSource); !ok || !isV {
			return 0, 0, 0, parser.Errorf(v.Pos, "%s: %s must be the current of an independent voltage source", cmd, v.Name)
		}
		return 0, 0, i, nil
	}
	for k, n := range v.Nodes {
		i, ok := s.ckt.Sys.Lookup("v(" + n + ")")
		if !ok && n != "0" {
			return 0, 0, 0, parser.Errorf(v.Pos, "%s: no node %q in the circuit%s", cmd, n, s.suggestUnknown("v("+n+")"))
		}
		if k == 0 {
			plus = i
		} else {
			minus = i
		}
	}
	return plus, minus, 0, nil
}

// device is the built device of that name, or nil.
func (s *Simulation) device(name string) devices.Device {
	for _, d := range s.ckt.Devices {
		if d.Name() == name {
			return d
		}
	}
	return nil
}

// element is the flat circuit's element of that name, or nil.
func (s *Simulation) element(name string) *parser.Element {
	for _, el := range s.Circuit.Elements {
		if el.Name == name {
			return el
		}
	}
	return nil
}

// nodeIndex is a node's unknown, 0 for ground.
func (s *Simulation) nodeIndex(node string) int {
	i, _ := s.ckt.Sys.Lookup("v(" + node + ")")
	return i
}

// smallVectors names the columns .tf, .sens, .four and .noise write.
func (s *Simulation) smallVectors(a parser.Analysis) []string {
	switch a := a.(type) {
	case *parser.TF:
		names := a.TFColumns()
		return names[:]
	case *parser.Sens:
		var names []string
		if a.AC != nil {
			names = append(names, "frequency")
		}
		for _, p := range s.sensParams(a.AC != nil) {
			if a.AC != nil {
				names = append(names, "re("+p.Name+")", "im("+p.Name+")")
			} else {
				names = append(names, p.Name)
			}
		}
		return names
	case *parser.Four:
		return FourColumns(a)
	case *parser.Noise:
		return analysis.NoiseColumnNames(s.ckt.Devices, s.ckt.Sys.N, s.env.Temp+273.15, a.Summary > 0)
	}
	return nil
}

// runSmall runs .tf, .sens, .four or .noise.
func (s *Simulation) runSmall(ctx context.Context, a parser.Analysis, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	switch a := a.(type) {
	case *parser.TF:
		return s.runTF(ctx, a, sink, log)
	case *parser.Four:
		return s.runFour(ctx, a, sink, log)
	case *parser.Sens:
		return s.runSens(ctx, a, sink, log)
	case *parser.Noise:
		return s.runNoise(ctx, a, sink, log) // noise.go
	}
	return analysis.Stats{}, parser.Errorf(a.Position(), "analysis .%s is not supported", a.Name())
}

// Defaults of .four, as in ngspice: DC and 9 harmonics, 200 grid points per period.
const (
	defaultNfreqs       = 10
	defaultFourGridSize = 200
)

// FourColumns are the columns .four writes: the harmonic's number and frequency, then
// for each vector its magnitude, phase (degrees), magnitude and phase relative to the
// fundamental's, and its total harmonic distortion in percent (the same on every row).
func FourColumns(a *parser.Four) []string {
	cols := []string{"harmonic", "frequency"}
	for _, v := range a.Vectors {
		for _, part := range []string{"mag", "phase", "norm_mag", "norm_phase", "thd"} {
			cols = append(cols, part+"("+v.Name+")")
		}
	}
	return cols
}

// runFour runs the netlist's first .tran with the vectors of .four and analyses the
// last period of each.
func (s *Simulation) runFour(ctx context.Context, a *parser.Four, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	var tran *parser.Tran
	for _, an := range s.Circuit.Analyses {
		if t, ok := an.(*parser.Tran); ok {
			tran = t
			break
		}
	}
	if tran == nil {
		return analysis.Stats{}, parser.Errorf(a.Pos, ".four needs a .tran analysis in the netlist")
	}
	if err := s.topo.errFor(tran); err != nil {
		return analysis.Stats{}, err
	}
	if err := s.check(tran); err != nil {
		return analysis.Stats{}, err
	}
	outs := make([]analysis.Output, len(a.Vectors))
	for i, v := range a.Vectors {
		p, q, err := s.probe(v)
		if err != nil {
			return analysis.Stats{}, err
		}
		outs[i] = analysis.Output{Name: v.Name, Quantity: q, Probe: p}
	}
	nfreqs, grid, degree := s.FourGrid()
	keep := &lastPeriod{from: tran.Stop - 1/a.Freq, before: degree + 1, values: make([][]float64, len(outs))}
	spec := analysis.TranSpec{Step: tran.Step, Stop: tran.Stop, Start: tran.Start, MaxStep: tran.MaxStep, UIC: tran.UIC}
	st, err := analysis.Tran(ctx, &s.ckt, s.opt, spec, outs, keep, log)
	if err != nil {
		return st, err
	}
	cols := FourColumns(a)
	columns := make([]analysis.Column, len(cols))
	for i, c := range cols {
		columns[i] = analysis.Column{Name: c, Quantity: analysis.Dimensionless}
	}
	columns[1].Quantity = analysis.Frequency
	results := make([]fourier.Harmonics, len(outs))
	for i, o := range outs {
		if len(keep.times) == 0 || keep.times[0] > keep.from {
			return st, parser.Errorf(a.Pos, ".four of %s: the transient (%g s) is shorter than the period of %g Hz (%g s)", o.Name, tran.Stop-tran.Start, a.Freq, 1/a.Freq)
		}
		if results[i], _, err = fourier.Of(keep.values[i], keep.times, a.Freq, nfreqs, degree, grid); err != nil {
			return st, parser.Errorf(a.Pos, ".four of %s: %v", o.Name, err)
		}
		columns[2+5*i].Quantity = o.Quantity
	}
	if err := sink.Begin(columns); err != nil {
		return st, err
	}
	row := make([]float64, len(cols))
	for k := range nfreqs {
		row[0], row[1] = float64(k), results[0].Freq[k]
		for i, f := range results {
			copy(row[2+5*i:], []float64{f.Mag[k], f.Phase[k], f.NormMag[k], f.NormPhase[k], f.THD})
		}
		if err := sink.Point(row); err != nil {
			return st, err
		}
	}
	return st, nil
}

// FourGrid is the number of frequencies (DC included) and of grid points per period of
// .four and the degree of the polynomials that resample the last period onto the grid:
// .options nfreqs, fourgridsize and polydegree, else ngspice's 10, 200 and 1. (ngspice's
// polydegree 0, the points as they are, would need the whole transient kept: .four takes 1.)
func (s *Simulation) FourGrid() (nfreqs, grid, degree int) {
	nfreqs, grid, degree = defaultNfreqs, defaultFourGridSize, 1
	for _, o := range s.Circuit.Options {
		switch {
		case o.Name == "nfreqs" && o.Value >= 2:
			nfreqs = int(o.Value)
		case o.Name == "fourgridsize" && o.Value >= 2:
			grid = int(o.Value)
		case o.Name == "polydegree" && o.Value >= 1:
			degree = int(o.Value)
		}
	}
	return nfreqs, grid, degree
}

// lastPeriod keeps a transient's points from the last one before from on.
type lastPeriod struct {
	from   float64
	before int // points kept at or before from: the interpolation's first window
	times  []float64
	values [][]float64
}

func (l *lastPeriod) Begin([]analysis.Column) error { return nil }

func (l *lastPeriod) Point(row []float64) error {
	// Of the points at or before from, only the last l.before are kept.
	if row[0] <= l.from && len(l.times) == l.before {
		l.times = append(l.times[:0], l.times[1:]...)
		for i := range l.values {
			l.values[i] = append(l.values[i][:0], l.values[i][1:]...)
		}
	}
	l.times = append(l.times, row[0])
	for i := range l.values {
		l.values[i] = append(l.values[i], row[i+1])
	}
	return nil
}

// runSens runs .sens over the parameters sensParams finds.
func (s *Simulation) runSens(ctx context.Context, a *parser.Sens, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	spec := analysis.SensSpec{Params: s.sensParams(a.AC != nil), OutQuantity: analysis.Voltage}
	if a.AC != nil {
		freqs, err := analysis.ACFrequencies(a.AC.Sweep, a.AC.Points, a.AC.Start, a.AC.Stop)
		if err != nil {
			return analysis.Stats{}, parser.Errorf(a.AC.Pos, ".sens ac: %v", err)
		}
		spec.Freqs = freqs
	}
	if a.Out.Kind == parser.VectorCurrent {
		spec.OutQuantity = analysis.Current
	}
	var err error
	if spec.OutPlus, spec.OutMinus, spec.OutBranch, err = s.outPort(a.Out, ".sens"); err != nil {
		return analysis.Stats{}, err
	}
	return analysis.Sens(ctx, &s.ckt, s.opt, spec, sink, log)
}

// sensParams lists the parameters .sens differentiates by (DC, or AC when ac), named and
// sorted by name as ngspice 39 prints them; those ngspice lists that no output depends on
// here have a nil derivative (0). In DC: a resistor's resistance (r1), multiplier
// (r1_m), scale (r1_scale), and r1_l, r1_w, r1_bv_max, r1:bv_max, r1:ef, r1:lf, r1:wf;
// a capacitor's c1_m, c1_scale, c1_bv_max, c1:bv_max; an inductor's l1_m, l1_scale; a
// voltage source's DC value (v1); a current source's DC value (i1) and, with a DC value,
// its multiplier (i1_m). In AC besides: the resistor's AC resistance (r1_ac), the
// capacitance (c1) and c1_w, the inductance (l1) and l1:mu, the sources' AC magnitudes
// (v1_acmag, i1_acmag) and, where a phase is given, their phases in degrees (v1_acphase),
// and i1_m whatever its DC value. The resistance of a behavioural resistor (r={expr} of
// probes) is left out.
func (s *Simulation) sensParams(ac bool) []analysis.SensParam {
	var ps []analysis.SensParam
	for _, d := range s.ckt.Devices {
		el := s.element(d.Name())
		if el == nil || len(el.Nodes) < 2 {
			continue
		}
		a, b := s.nodeIndex(el.Nodes[0]), s.nodeIndex(el.Nodes[1])
		named := func(suffix string, df func(x, df []float64), dfac func(x []complex128, w float64, df []complex128)) {
			ps = append(ps, analysis.SensParam{Name: el.Name + suffix, DF: df, DFAC: dfac})
		}
		zero := func(suffixes ...string) {
			for _, suffix := range suffixes {
				named(suffix, nil, nil)
			}
		}
		switch d := d.(type) {
		case *devices.Resistor:
			if !el.HasValue || el.Value == 0 {
				continue
			}
			r, m, scale := el.Value, param(el, "m", 1), param(el, "scale", 1)
			g, fixed := d.ACConductance()
			// byR adds c times the current (DC, or AC through the AC conductance) to df.
			byR := func(c float64) (func(x, df []float64), func(x []complex128, _ float64, df []complex128)) {
				return func(x, df []float64) { pairDF(df, a, b, c*d.Current(x)) },
					func(x []complex128, _ float64, df []complex128) { pairACDF(df, a, b, complex(c*g, 0)*(x[a]-x[b])) }
			}
			dc, acR := byR(-1 / r)
			if fixed { // ac= holds the AC resistance whatever R is
				named("", dc, nil)
			} else {
				named("", dc, acR)
			}
			mDC, mAC := byR(1 / m)
			named("_m", mDC, mAC)
			sDC, sAC := byR(-1 / scale)
			named("_scale", sDC, sAC)
			zero(":bv_max", ":ef", ":lf", ":wf", "_bv_max", "_l", "_w")
			if ac {
				named("_ac", nil, func(x []complex128, _ float64, df []complex128) {
					pairACDF(df, a, b, complex(-g*g, 0)*(x[a]-x[b])) // dI/dRac = -g^2 v
				})
			}
		case *devices.Capacitor:
			c, m := d.Capacitance(), param(el, "m", 1)
			// byC adds k dI/dC, I = jwC v, to df.
			byC := func(k float64) func(x []complex128, w float64, df []complex128) {
				return func(x []complex128, w float64, df []complex128) { pairACDF(df, a, b, complex(0, k*w)*(x[a]-x[b])) }
			}
			named("_m", nil, byC(c/m))
			named("_scale", nil, byC(c))
			zero(":bv_max", "_bv_max")
			if ac {
				named("", nil, byC(param(el, "m", 1)))
				zero("_w")
			}
		case *devices.Inductor:
			l, m, k := d.Inductance(), param(el, "m", 1), d.Branch()
			// byL adds k dF/dL of the branch equation va - vb - jwL i = 0 to df.
			byL := func(c float64) func(x []complex128, w float64, df []complex128) {
				return func(x []complex128, w float64, df []complex128) { df[k] -= complex(0, c*w) * x[k] }
			}
			named("_m", nil, byL(-l/m)) // L/m of parallel inductors
			named("_scale", nil, byL(l))
			if ac {
				named("", nil, byL(1/m)) // L/m
				zero(":mu")
			}
		case *devices.VoltageSource:
			k, ok := s.ckt.Sys.Lookup("i(" + el.Name + ")")
			if !ok {
				continue
			}
			named("", func(_, df []float64) { df[k]-- }, nil)
			if ac {
				s.acSourceParams(el, d.ACValue(), named, func(df []complex128, v complex128) { df[k] -= v })
			}
		case *devices.CurrentSource:
			src := el.Source()
			named("", func(_, df []float64) { pairDF(df, a, b, 1) }, nil)
			acValue := d.ACValue()
			byAC := func(df []complex128, v complex128) { pairACDF(df, a, b, v) }
			if src != nil && (src.HasDC || src.Wave == nil) || ac {
				dc := src.DC
				named("_m", func(_, df []float64) { pairDF(df, a, b, dc) },
					func(_ []complex128, _ float64, df []complex128) { byAC(df, acValue) })
			}
			if ac {
				s.acSourceParams(el, acValue, named, byAC)
			}
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

// acSourceParams adds an independent source's AC parameters: its magnitude (v1_acmag)
// and, where a phase is given, its phase in degrees (v1_acphase). add adds a change dv
// of the source's AC value to df.
func (s *Simulation) acSourceParams(el *parser.Element, value complex128, named func(string, func(x, df []float64), func([]complex128, float64, []complex128)), add func(df []complex128, dv complex128)) {
	src := el.Source()
	if src == nil {
		return
	}
	byMag := cmplx.Rect(1, src.ACPhase*math.Pi/180)
	named("_acmag", nil, func(_ []complex128, _ float64, df []complex128) { add(df, byMag) })
	if src.ACPhase != 0 {
		byPhase := complex(0, math.Pi/180) * value
		named("_acphase", nil, func(_ []complex128, _ float64, df []complex128) { add(df, byPhase) })
	}
}

// pairDF adds dI/dp to df for a current I flowing from a through an element to b;
// pairACDF the same of a small-signal current.
func pairDF(df []float64, a, b int, di float64) {
	df[a] += di
	df[b] -= di
}

func pairACDF(df []complex128, a, b int, di complex128) {
	df[a] += di
	df[b] -= di
}

// param is the value of an element's name=value parameter, or def.
func param(el *parser.Element, name string, def float64) float64 {
	for _, p := range el.Params() {
		if p.Name == name {
			return p.Value
		}
	}
	return def
}
