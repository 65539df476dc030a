package gospice

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// The types of the packages below, under the names a user of gospice sees.
type (
	// Error is a problem in the netlist text, at a file:line:col position.
	Error = parser.Error
	// ErrorList is every error found in a netlist, sorted by position.
	ErrorList = parser.ErrorList
	// Pos is a place in a netlist file; Line and Col count from 1.
	Pos = parser.Pos
	// Element is one element line of the flat circuit (R1, M3, x1.c2, ...).
	Element = parser.Element
	// Waveform is an independent source's transient function (Element.Source.Wave).
	Waveform = parser.Waveform
	// Unknown is one entry of the solution: a node voltage, branch current or device state.
	Unknown = mna.Unknown
	// ACPart is the part of a complex .ac value that a form like vdb(out) shows; its Of
	// method computes it.
	ACPart = analysis.ACPart
	// Column describes a column an analysis delivers to a Sink: its name, its quantity
	// (time, voltage, current ...) and for .ac the part of a complex vector it holds.
	Column = analysis.Column
	// Quantity says what a column holds: Time, Frequency, Voltage, Current ...
	Quantity = analysis.Quantity

	// OP is an .op analysis.
	OP = parser.OP
	// Tran is a .tran analysis; Stop is its stop time in seconds.
	Tran = parser.Tran
	// DC is a .dc sweep.
	DC = parser.DC
	// AC is an .ac small-signal analysis.
	AC = parser.AC

	// MeasureLine is a .meas line as read: what it computes and from which signals.
	MeasureLine = parser.Measure
	// MeasureEvent is a point a .meas line looks for: AT=, or a signal crossing a level.
	MeasureEvent = parser.MeasEvent
)

// The quantities of columns, and the parts of a complex .ac vector a column holds.
const (
	Dimensionless = analysis.Dimensionless
	Time          = analysis.Time
	Frequency     = analysis.Frequency
	Voltage       = analysis.Voltage
	Current       = analysis.Current
	Resistance    = analysis.Resistance
	Temperature   = analysis.Temperature

	Real      = analysis.Real
	Imag      = analysis.Imag
	Magnitude = analysis.Magnitude
	Phase     = analysis.Phase
	Decibel   = analysis.Decibel
)

// Nodes lists the circuit's node names in the order they were numbered, ground and the
// devices' internal nodes left out.
func (s *Simulation) Nodes() []string {
	// Sized once: a large netlist's nodes are most of its unknowns, and the list is made
	// when the most memory is in use.
	nodes := make([]string, 0, len(s.Unknowns()))
	for _, u := range s.Unknowns() {
		if u.Kind == mna.Node && !u.Internal {
			nodes = append(nodes, u.Name)
		}
	}
	return nodes
}

// Elements lists the flat circuit's elements in netlist order (subcircuit instances
// flattened into x1.r1, ...).
func (s *Simulation) Elements() []*Element { return s.Circuit.Elements }

// Title is the netlist's first line.
func (s *Simulation) Title() string { return s.Circuit.Title }

// SinkFunc returns a Sink that calls f once per accepted point with the analysis's vector
// names (the scale first: time, frequency or the swept source) and the point's values in
// that order. row is reused between calls: copy what you keep. An error from f stops the
// analysis, which then returns it.
func SinkFunc(f func(names []string, row []float64) error) Sink {
	return &funcSink{f: f}
}

type funcSink struct {
	names []string
	f     func(names []string, row []float64) error
}

func (s *funcSink) Begin(cols []Column) error {
	s.names = s.names[:0]
	for _, c := range cols {
		s.names = append(s.names, c.Name)
	}
	return nil
}

func (s *funcSink) Point(row []float64) error { return s.f(s.names, row) }

// ComplexSink receives the points of an .ac analysis as complex values.
type ComplexSink interface {
	// Begin describes the vectors: frequency, then v(node), v(a,b) or i(source), each of
	// them whole (its Part is Real).
	Begin(cols []Column) error
	// Point delivers one frequency point; the frequency comes first, as a complex number
	// with zero imaginary part. The slice is reused.
	Point(row []complex128) error
}

// RunComplex runs an .ac analysis and streams each point as complex values: the
// frequency, then each vector that the analysis's outputs are parts of, in the order they
// first appear (.print ac vm(out) vp(out) vdb(mid) gives v(out) and v(mid)), as SPICE
// keeps them. This is what a raw file or a Bode plot needs; Run gives the real columns.
func (s *Simulation) RunComplex(ctx context.Context, a Analysis, sink ComplexSink, log func(format string, args ...any)) (Stats, error) {
	ac, ok := a.(*parser.AC)
	sp, isSP := a.(*parser.SP)
	if isSP {
		ac = &sp.AC
	} else if !ok {
		return Stats{}, fmt.Errorf("RunComplex runs .ac and .sp analyses, not .%s", a.Name())
	}
	if log == nil {
		log = func(string, ...any) {}
	}
	if err := s.runnable(a); err != nil {
		return Stats{}, err
	}
	freqs, err := analysis.ACFrequencies(ac.Sweep, ac.Points, ac.Start, ac.Stop)
	if err != nil {
		return Stats{}, parser.Errorf(ac.Pos, ".ac: %v", err)
	}
	var outs []analysis.ACOutput
	seen := map[string]bool{}
	set, measured, plan := s.startMeasures(a, &pairSink{sink: sink})
	for _, o := range s.acOutputs {
		// Each vector once (vm(out) and vp(out) are parts of v(out)); .probe's vd_r3 is
		// another vector than v(3), though it is the same difference of nodes.
		key := o.Vector
		if seen[key] {
			continue
		}
		seen[key] = true
		re, im := o, o
		re.Name, re.Part = o.Vector, analysis.Real
		im.Name, im.Part = o.Vector, analysis.Imag
		outs = append(outs, re, im)
	}
	if plan != nil {
		outs = append(outs, plan.acOutputs...)
	}
	var st analysis.Stats
	if isSP {
		st, err = s.runSP(ctx, sp, outs, measured, log) // sp.go: S, Y and Z pairs follow
	} else {
		st, err = analysis.AC(ctx, &s.ckt, s.opt, freqs, outs, measured, log)
	}
	stats := Stats{Stats: st}
	if err == nil && set != nil {
		stats.Measures = set.Results()
	}
	return stats, err
}

// pairSink turns the rows of frequency, re, im, re, im, ... into complex rows.
type pairSink struct {
	sink ComplexSink
	row  []complex128
}

func (p *pairSink) Begin(cols []Column) error {
	out := []Column{cols[0]}
	for i := 1; i < len(cols); i += 2 {
		out = append(out, Column{Name: cols[i].Vector, Quantity: cols[i].Quantity, Vector: cols[i].Vector})
	}
	p.row = make([]complex128, len(out))
	return p.sink.Begin(out)
}

func (p *pairSink) Point(row []float64) error {
	p.row[0] = complex(row[0], 0)
	for i := 1; i < len(p.row); i++ {
		p.row[i] = complex(row[2*i-1], row[2*i])
	}
	return p.sink.Point(p.row)
}

// Result holds the vectors of one analysis run to its end, or to where it stopped.
type Result struct {
	Analysis Analysis
	Stats    Stats

	names  []string
	byName map[string]int // the first vector of each name: a result may hold thousands
	cols   []Column
	real   [][]float64    // every analysis but .ac
	cplx   [][]complex128 // .ac: the frequency, then the complex vectors
}

// Collect runs one analysis and keeps every point in memory. When the analysis stops
// early, the Result holds the points before it stopped, and the error says why.
func (s *Simulation) Collect(ctx context.Context, a Analysis) (*Result, error) {
	r := &Result{Analysis: a}
	var err error
	switch a.(type) {
	case *parser.AC, *parser.SP:
		r.Stats, err = s.RunComplex(ctx, a, (*complexCollector)(r), nil)
	default:
		r.Stats, err = s.Run(ctx, a, (*realCollector)(r), nil)
	}
	return r, err
}

// Results runs every analysis of the netlist in order and keeps their points. It stops at
// the first analysis that fails, returning the results so far (the failed one included,
// with its points before the failure) and the error.
func (s *Simulation) Results(ctx context.Context) ([]*Result, error) {
	var results []*Result
	for _, a := range s.Analyses() {
		r, err := s.Collect(ctx, a)
		results = append(results, r)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

type realCollector Result

func (c *realCollector) Begin(cols []Column) error {
	(*Result)(c).setColumns(slices.Clone(cols))
	c.real = make([][]float64, len(cols))
	return nil
}

// setColumns sets the result's columns and their names.
func (r *Result) setColumns(cols []Column) {
	r.cols = cols
	r.names = make([]string, len(cols))
	r.byName = make(map[string]int, len(cols))
	for i, c := range cols {
		r.names[i] = c.Name
		if _, seen := r.byName[c.Name]; !seen {
			r.byName[c.Name] = i
		}
	}
}

func (c *realCollector) Point(row []float64) error {
	for i, v := range row {
		c.real[i] = append(c.real[i], v)
	}
	return nil
}

type complexCollector Result

func (c *complexCollector) Begin(cols []Column) error {
	(*Result)(c).setColumns(slices.Clone(cols))
	c.cplx = make([][]complex128, len(cols))
	return nil
}

func (c *complexCollector) Point(row []complex128) error {
	for i, v := range row {
		c.cplx[i] = append(c.cplx[i], v)
	}
	return nil
}

// Names lists the result's vectors: the scale first where the analysis has one (time,
// frequency, the swept sources of .dc), then the outputs. The outputs of an .ac analysis
// are complex: v(out), i(v1).
func (r *Result) Names() []string { return r.names }

// Columns describes the result's vectors, in the order of Names: what quantity each is.
func (r *Result) Columns() []Column { return r.cols }

// Len is the number of points.
func (r *Result) Len() int {
	switch {
	case len(r.real) > 0:
		return len(r.real[0])
	case len(r.cplx) > 0:
		return len(r.cplx[0])
	}
	return 0
}

// IsComplex reports whether the result's outputs are complex (an .ac analysis).
func (r *Result) IsComplex() bool { return r.cplx != nil }

// Scale is the first vector of an analysis that has a scale (time, frequency, the inner
// swept source), or nil for .op.
func (r *Result) Scale() []float64 {
	if _, ok := r.Analysis.(*parser.OP); ok {
		return nil
	}
	if len(r.names) == 0 {
		return nil
	}
	v, _ := r.Vector(r.names[0])
	return v
}

func (r *Result) index(name string) int {
	if i, ok := r.byName[strings.ToLower(strings.TrimSpace(name))]; ok {
		return i
	}
	return -1
}

// Vector returns the named real vector, and whether the result has a vector of that name
// (a vector of an analysis that stopped before its first point is empty, and ok). Names
// are case-insensitive. For .ac, the frequency is real, and a complex vector's parts are
// read with SPICE's forms: vm(out) magnitude, vp(out) phase in degrees, vdb(out)
// 20 log10 of the magnitude, vr(out) and vi(out) the real and imaginary parts (im(v1),
// ip(v1), ... for currents), or re(v(out)) and im(v(out)).
func (r *Result) Vector(name string) (v []float64, ok bool) {
	if r.cplx == nil {
		if i := r.index(name); i >= 0 {
			return r.real[i], true
		}
		return nil, false
	}
	if i := r.index(name); i == 0 {
		out := make([]float64, r.Len())
		for k, v := range r.cplx[0] {
			out[k] = real(v)
		}
		return out, true
	}
	vec, part, ok := ACForm(strings.ToLower(strings.TrimSpace(name)))
	if !ok {
		return nil, false
	}
	c, ok := r.Complex(vec)
	if !ok {
		return nil, false
	}
	out := make([]float64, len(c))
	for k, v := range c {
		out[k] = part.Of(v)
	}
	return out, true
}

// acForms are the parts of a complex vector that the letters after v or i name: vm(x),
// ip(v1), vdb(x).
var acForms = map[string]analysis.ACPart{
	"r": analysis.Real, "i": analysis.Imag, "m": analysis.Magnitude, "p": analysis.Phase, "db": analysis.Decibel,
}

// ACForm splits a lower-case AC form into the complex vector and the part of it that the
// form shows: vdb(out) is the decibels of v(out), ip(v1) the phase of i(v1), re(v(a,b))
// the real part of v(a,b). ok is false for anything else, v(out) itself included.
func ACForm(name string) (vector string, part ACPart, ok bool) {
	for prefix, part := range map[string]analysis.ACPart{"re(": analysis.Real, "im(": analysis.Imag} {
		if inner, ok := strings.CutPrefix(name, prefix); ok && strings.Contains(inner, "(") && strings.HasSuffix(inner, ")") {
			return inner[:len(inner)-1], part, true
		}
	}
	open := strings.IndexByte(name, '(')
	if open < 2 || (name[0] != 'v' && name[0] != 'i') {
		return "", 0, false
	}
	if part, ok = acForms[name[1:open]]; !ok {
		return "", 0, false
	}
	return name[:1] + name[open:], part, true
}

// Complex returns the named complex vector of an .ac result (v(out), i(v1); "frequency"
// too), and whether the result has one of that name.
func (r *Result) Complex(name string) ([]complex128, bool) {
	if i := r.index(name); i >= 0 && r.cplx != nil {
		return r.cplx[i], true
	}
	return nil, false
}

// suggestUnknown returns `; did you mean "v(out)"?` for the unknown whose label is nearest
// to label among those of the same kind, when one is near; else "".
func (s *Simulation) suggestUnknown(label string) string {
	var names []string
	for _, u := range s.Unknowns() {
		if !u.Internal {
			names = append(names, u.Label())
		}
	}
	for _, d := range s.ckt.Devices {
		if _, ok := d.(currentProbe); ok {
			names = append(names, "i("+d.Name()+")")
		}
	}
	if best := Nearest(label, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// Nearest is the candidate nearest to name in edits (insertions, deletions, substitutions
// and swaps of neighbours), when at most a third of name's length (and at least one) make
// it; ties go to the earlier candidate. It is "" when none is that near: the "did you mean"
// of gospice's messages.
func Nearest(name string, candidates []string) string {
	return parser.Nearest(name, candidates, max(1, len(name)/3))
}

// ParseNumber reads a SPICE number: 1.5, 2e-3, 10u, 1meg, with unit letters after it
// ignored (10ms, 1kHz). ok is false when s is not one or its value is out of range.
func ParseNumber(s string) (v float64, ok bool) { return parser.ParseNumber(s) }

// Progress is told how far the reading of a large netlist has come: stage is "reading",
// "parsing" or "elaborating", file the one being read, done of total lines (see
// parser.Progress).
type Progress = parser.Progress

// WithProgress returns a context that carries p: ParseFileContext and ParseContext
// called with it tell p how far the reading and the elaboration have come. The build
// that follows reports nothing.
func WithProgress(ctx context.Context, p Progress) context.Context {
	return parser.WithProgress(ctx, p)
}
