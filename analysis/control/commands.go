package control

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// commandFunc runs a command whose variables are substituted in args.
type commandFunc func(in *Interp, ctx context.Context, c *pc.Command, args string) error

var commands map[string]commandFunc

func init() {
	commands = map[string]commandFunc{
		"op":         (*Interp).cmdOp,
		"tran":       (*Interp).cmdTran,
		"ac":         (*Interp).cmdAC,
		"sp":         (*Interp).cmdSP,  // smallsignal.go
		"pz":         (*Interp).cmdPz,  // pzcmd.go
		"pss":        (*Interp).cmdPss, // psscmd.go
		"dc":         (*Interp).cmdDC,
		"run":        (*Interp).cmdRun,
		"reset":      (*Interp).cmdReset,
		"save":       (*Interp).cmdSave, // devq.go
		"destroy":    (*Interp).cmdDestroy,
		"setplot":    (*Interp).cmdSetplot,
		"let":        (*Interp).cmdLet,
		"unlet":      (*Interp).cmdUnlet,
		"print":      (*Interp).cmdPrint,
		"echo":       (*Interp).cmdEcho,
		"set":        (*Interp).cmdSet,
		"setcs":      (*Interp).cmdSet, // set, keeping the case of values (gospice's set keeps it too)
		"unset":      (*Interp).cmdUnset,
		"alter":      (*Interp).cmdAlter,
		"altermod":   (*Interp).cmdAltermod,
		"option":     (*Interp).cmdOption,
		"options":    (*Interp).cmdOption,
		"opt":        (*Interp).cmdOption,
		"meas":       (*Interp).cmdMeas,
		"measure":    (*Interp).cmdMeas,
		"wrdata":     (*Interp).cmdWrdata,
		"wrs2p":      (*Interp).cmdWrs2p,
		"write":      (*Interp).cmdWrite,
		"display":    (*Interp).cmdDisplay,
		"compose":    (*Interp).cmdCompose,
		"shell":      (*Interp).cmdShell,
		"source":     (*Interp).cmdSource,
		"rusage":     func(*Interp, context.Context, *pc.Command, string) error { return nil }, // timing: not gospice's to print
		"version":    func(*Interp, context.Context, *pc.Command, string) error { return nil },
		"listing":    func(*Interp, context.Context, *pc.Command, string) error { return nil },
		"remcirc":    func(*Interp, context.Context, *pc.Command, string) error { return nil },
		"plot":       (*Interp).cmdPlot,
		"hardcopy":   (*Interp).cmdHardcopy,
		"gnuplot":    (*Interp).cmdGnuplot,
		"fourier":    (*Interp).cmdFourier,
		"linearize":  (*Interp).cmdLinearize,
		"cutout":     (*Interp).cmdCutout,
		"alterparam": (*Interp).cmdAlterparam,
		"setseed":    (*Interp).cmdSetseed,
		"define":     (*Interp).cmdDefine,
		"undefine":   (*Interp).cmdUndefine,
		"settype":    (*Interp).cmdSettype,
		"strcmp":     (*Interp).cmdStrcmp,
		"noise":      (*Interp).cmdNoise,
		"tf":         (*Interp).cmdTF,
		"sens":       (*Interp).cmdSens,
		"remzerovec": (*Interp).cmdRemzerovec,
		"cd":         (*Interp).cmdCd,
		"mc_source":  (*Interp).cmdMcSource,
		"fft":        (*Interp).cmdFft,
		"setscale":   (*Interp).cmdSetscale,
		"inventory":  (*Interp).cmdInventory,
		"spec":       (*Interp).cmdSpec,
		"psd":        (*Interp).cmdPsd,       // fft.go
		"reshape":    (*Interp).cmdReshape,   // multidim.go
		"transpose":  (*Interp).cmdTranspose, // multidim.go
		"stop":       (*Interp).cmdStop,      // stop.go
		"resume":     (*Interp).cmdResume,    // stop.go
		"status":     (*Interp).cmdStatus,    // stop.go
		"delete":     (*Interp).cmdDelete,    // stop.go
	}
}

// unsupported are ngspice commands gospice knows and does not run in batch, and why.
var unsupported = map[string]string{
	"asciiplot": "pictures are for later",
	"disto":     "no .disto analysis",
	"load":      "not yet", "show": "not yet", "showmod": "not yet", "sp": "no .sp analysis",
	"step":  "breakpoints are interactive",
	"iplot": "interactive", "edit": "interactive", "snsave": "not yet", "snload": "not yet",
	"alias": "not yet",
}

// analysisNames are the plot types ngspice gives each kind of analysis.
var analysisNames = map[string]string{
	"op": "Operating Point", "dc": "DC transfer characteristic", "tran": "Transient Analysis", "ac": "AC Analysis",
	"pz": "Pole-Zero Analysis", "sp": "SP Analysis",
}

// numbers reads words that are all numbers.
func numbers(words []string) ([]float64, error) {
	out := make([]float64, len(words))
	for i, w := range words {
		x, ok := gospice.ParseNumber(w)
		if !ok {
			return nil, fmt.Errorf("%q is not a number", w)
		}
		out[i] = x
	}
	return out, nil
}

func (in *Interp) cmdOp(ctx context.Context, c *pc.Command, args string) error {
	if args != "" {
		return fmt.Errorf("unexpected %q", args)
	}
	return in.analyze(ctx, &parser.OP{Pos: c.Pos})
}

func (in *Interp) cmdTran(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	uic := len(words) > 0 && strings.EqualFold(words[len(words)-1], "uic")
	if uic {
		words = words[:len(words)-1]
	}
	if len(words) < 2 || len(words) > 4 {
		return errors.New("usage: tran tstep tstop [tstart [tmax]] [uic]")
	}
	v, err := numbers(words)
	if err != nil {
		return err
	}
	a := &parser.Tran{Step: v[0], Stop: v[1], UIC: uic, Pos: c.Pos}
	if len(v) > 2 {
		a.Start = v[2]
	}
	if len(v) > 3 {
		a.MaxStep = v[3]
	}
	if !(a.Step > 0) || !(a.Stop > 0) || a.Start < 0 || a.Start >= a.Stop || a.MaxStep < 0 {
		return fmt.Errorf("bad values: tstep %g, tstop %g, tstart %g, tmax %g", a.Step, a.Stop, a.Start, a.MaxStep)
	}
	return in.analyze(ctx, a)
}

func (in *Interp) cmdAC(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) != 4 {
		return errors.New("usage: ac dec|oct|lin points fstart fstop")
	}
	sweep := strings.ToLower(words[0])
	if sweep != "dec" && sweep != "oct" && sweep != "lin" {
		return fmt.Errorf("%q: the sweep is dec, oct or lin", words[0])
	}
	v, err := numbers(words[1:])
	if err != nil {
		return err
	}
	if v[0] < 1 || v[0] > 1e7 {
		return fmt.Errorf("bad number of points %g", v[0])
	}
	return in.analyze(ctx, &parser.AC{Sweep: sweep, Points: int(v[0]), Start: v[1], Stop: v[2], Pos: c.Pos})
}

func (in *Interp) cmdDC(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) != 4 && len(words) != 8 {
		return errors.New("usage: dc source start stop step [source2 start2 stop2 step2]")
	}
	a := &parser.DC{Pos: c.Pos}
	for k := 0; k < len(words); k += 4 {
		v, err := numbers(words[k+1 : k+4])
		if err != nil {
			return err
		}
		a.Sweeps = append(a.Sweeps, parser.DCSweep{Source: strings.ToLower(words[k]), Start: v[0], Stop: v[1], Step: v[2], Pos: c.Pos})
	}
	return in.analyze(ctx, a)
}

// cmdRun runs the netlist's own analyses, each into a plot of its own, in ngspice's
// order (ac, dc, op, tran, tf, noise, sens), as ngspice 39's run does. A netlist
// without analyses makes no plot and no error ($sim_status 0), as in ngspice 39:
// scripts that ran their own dc before a `run` go on to plot it.
func (in *Interp) cmdRun(ctx context.Context, c *pc.Command, args string) error {
	if len(in.circuit.Analyses) == 0 {
		in.vars["sim_status"] = []string{"0"}
		return nil
	}
	for _, a := range in.dotAnalyses() {
		if err := in.analyze(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// RunDotAnalyses runs the netlist's analyses as ngspice -b does after the .control blocks,
// when the netlist has .print lines: each into a plot of its own, in ngspice's order (ac,
// dc, op, tran).
func (in *Interp) RunDotAnalyses(ctx context.Context) error {
	defer in.abandonStopped() // stop.go: one a stop holds ends there, as ngspice's batch run
	for _, a := range in.dotAnalyses() {
		if err := in.analyze(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// analyze runs one analysis on the current circuit into a new plot, which becomes the
// current one. The netlist's .meas lines of its type run on it and print their results.
func (in *Interp) analyze(ctx context.Context, a parser.Analysis) error {
	switch a := a.(type) { // smallsignal.go: the plots ngspice makes of these
	case *parser.Noise:
		return in.noisePlots(ctx, a)
	case *parser.TF:
		return in.onePointPlot(ctx, a, "Transfer Function", 1)
	case *parser.Sens:
		if a.AC != nil {
			return in.acSensPlot(ctx, a) // smallsignal.go
		}
		return in.onePointPlot(ctx, a, "Sensitivity Analysis", 0)
	case *parser.PSS:
		return in.pssPlots(ctx, a) // psscmd.go
	}
	in.abandonStopped() // stop.go
	if k := a.Name(); len(in.stops) > 0 && (k == "tran" || k == "dc") {
		return in.runStoppable(ctx, a) // stop.go
	} else if len(in.stops) > 0 && k == "ac" {
		in.warn("stop holds a tran or a dc: the ac runs to its end (ngspice 39 stops it too)")
	}
	res, runErr := in.collect(ctx, a)
	if res != nil && (res.Len() > 0 || runErr == nil) {
		in.addPlot(in.resultPlot(res, a))
		for _, m := range res.Stats.Measures {
			in.printMeasure(m)
		}
	}
	return runErr
}

// resultPlot is the plot of an analysis's result, with the device quantities and
// sources' values the script asked of it.
func (in *Interp) resultPlot(res *gospice.Result, a parser.Analysis) *Plot {
	p := in.plotOf(res)
	in.takeDeviceValues(p) // devq.go
	if err := in.addSourceValues(p, a); err != nil {
		in.warn(err.Error())
	}
	return p
}

// collect runs one analysis on the current circuit, with the netlist's .meas lines of its
// type; the result is nil when the circuit could not be built.
func (in *Interp) collect(ctx context.Context, a parser.Analysis) (*gospice.Result, error) {
	sim, err := in.simFor(ctx, a)
	if err != nil {
		return nil, err
	}
	res, err := sim.Collect(ctx, a)
	if err == nil {
		in.vars["sim_status"] = []string{"0"}
	}
	return res, err
}

// simFor builds the current circuit to run a alone, with the netlist's .meas lines of
// its type.
func (in *Interp) simFor(ctx context.Context, a parser.Analysis) (*gospice.Simulation, error) {
	c := in.cloneCircuit()
	c.Analyses = []parser.Analysis{a}
	c.Prints, c.Steps = nil, nil // every vector is kept; .step is not ngspice's
	in.probed = in.probed[:0]
	switch a.(type) {
	case *parser.OP, *parser.DC, *parser.Tran, *parser.AC: // the analyses that write .probe outputs
		in.addDeviceProbes(c) // devq.go
	}
	var measures []*parser.Measure
	for _, m := range c.Measures {
		if m.Analysis == a.Name() {
			measures = append(measures, m)
		}
	}
	c.Measures = measures
	in.vars["sim_status"] = []string{"1"} // 0 once the analysis has run, as ngspice sets it
	return gospice.BuildContext(ctx, c)
}

// plotOf turns a Result into a plot, its vectors named as ngspice names them: out for
// v(out), v1#branch for i(v1), v-sweep for the swept source of a .dc.
func (in *Interp) plotOf(r *gospice.Result) *Plot {
	kind := r.Analysis.Name()
	p := &Plot{Kind: kind, Title: in.circuit.Title, Type: analysisNames[kind], Date: in.date()}
	p.tran, _ = r.Analysis.(*parser.Tran)
	if ac, ok := r.Analysis.(*parser.AC); ok && ac.Sweep != "lin" {
		p.Grid = "grid=3"
	}
	if sp, ok := r.Analysis.(*parser.SP); ok && sp.Sweep != "lin" {
		p.Grid = "grid=3"
	}
	if kind == "pz" {
		p.Vecs = pzVectors(r) // pzcmd.go
		return p
	}
	cols := r.Columns()
	outer := 0 // the values of a nested .dc's outer sources: columns 1 to outer, not vectors in ngspice
	if dc, ok := r.Analysis.(*parser.DC); ok {
		outer = len(dc.Sweeps) - 1
	}
	for i, name := range r.Names() {
		if i >= 1 && i <= outer {
			continue
		}
		q := cols[i].Quantity
		v := &Vector{Name: ngspiceName(name), Type: q.NgspiceType()}
		if i == 0 && kind == "dc" {
			v.Name = map[gospice.Quantity]string{gospice.Voltage: "v-sweep", gospice.Current: "i-sweep",
				gospice.Resistance: "res-sweep", gospice.Temperature: "temp-sweep"}[q]
		}
		if r.IsComplex() && i > 0 {
			v.Cplx, _ = r.Complex(name)
		} else {
			v.Real, _ = r.Vector(name)
		}
		p.Vecs = append(p.Vecs, v)
	}
	return p
}

// ngspiceName is the name ngspice gives a vector gospice names v(out) or i(v1).
func ngspiceName(name string) string {
	if inner, ok := strings.CutPrefix(name, "v("); ok && strings.HasSuffix(inner, ")") && !strings.Contains(inner, ",") {
		return inner[:len(inner)-1]
	}
	if inner, ok := strings.CutPrefix(name, "i("); ok && strings.HasSuffix(inner, ")") {
		return inner[:len(inner)-1] + "#branch"
	}
	return name
}

// addPlot names a plot after its kind and makes it current. The number is ngspice 39's:
// one counter for every kind, which a new plot moves up only past the names taken (op1,
// op2, destroy op1, op makes op3; op1, op2, destroy op2, op makes op2, and a tran then
// tran2), and destroy all sets back to 1.
func (in *Interp) addPlot(p *Plot) {
	for in.plotNamed(fmt.Sprintf("%s%d", p.Kind, in.plotNum)) != nil {
		in.plotNum++
	}
	p.Name = fmt.Sprintf("%s%d", p.Kind, in.plotNum)
	in.plots = append(in.plots, p)
	in.cur = p
}

// plotNamed is the plot of that name, or nil.
func (in *Interp) plotNamed(name string) *Plot {
	for _, p := range in.plots {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func (in *Interp) cmdReset(ctx context.Context, c *pc.Command, args string) error {
	circuit, err := in.resetCircuit(ctx)
	if err != nil {
		return err
	}
	in.circuit = circuit
	in.seedFromOptions()
	return nil
}

func (in *Interp) cmdDestroy(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(strings.ToLower(args))
	if len(words) == 0 {
		words = []string{in.cur.Name}
	}
	var err error
	for _, w := range words {
		switch p := in.plotNamed(w); {
		case w == "all":
			in.plots = in.plots[:1] // const stays
			in.plotNum = 1
		case p == nil:
			err = errors.Join(err, fmt.Errorf("no such plot %s", w))
		case p.Kind == "const":
			err = errors.Join(err, errors.New("can't destroy the constant plot"))
		default:
			in.plots = slices.DeleteFunc(in.plots, func(q *Plot) bool { return q == p })
		}
	}
	if !slices.Contains(in.plots, in.cur) {
		in.cur = in.plots[len(in.plots)-1]
	}
	return err
}

func (in *Interp) cmdSetplot(ctx context.Context, c *pc.Command, args string) error {
	name := strings.ToLower(strings.TrimSpace(args))
	switch name {
	case "":
		fmt.Fprintln(in.opt.Stdout, "List of plots available:")
		fmt.Fprintln(in.opt.Stdout)
		for i := len(in.plots) - 1; i >= 0; i-- {
			p := in.plots[i]
			mark := "\t"
			if p == in.cur {
				mark = "Current "
			}
			if p.Kind == "const" {
				fmt.Fprintf(in.opt.Stdout, "%s%s\t%s (%s)\n", mark, p.Name, p.Title, p.Type)
			} else {
				fmt.Fprintf(in.opt.Stdout, "%s%s\t%s (%s)\n", mark, p.Name, p.Title, p.Type)
			}
		}
		return nil
	case "new":
		in.addPlot(&Plot{Kind: "unknown", Title: "Anonymous", Type: "unknown", Date: in.date()})
		return nil
	case "previous", "next":
		k := slices.Index(in.plots, in.cur)
		if name == "previous" && k > 1 {
			in.cur = in.plots[k-1]
		} else if name == "next" && k+1 < len(in.plots) {
			in.cur = in.plots[k+1]
		}
		return nil
	}
	if p := in.plotNamed(name); p != nil {
		in.cur = p
		return nil
	}
	return fmt.Errorf("no such plot %s", name)
}

// cmdLet assigns the value of an expression to a vector of the current plot: let x = expr,
// or let x[i] = expr (x[i][j] ... of a multi-dimensional x) for the values at that index,
// which the expression must fill exactly, as in ngspice.
func (in *Interp) cmdLet(ctx context.Context, c *pc.Command, args string) error {
	lhs, rhs, ok := strings.Cut(args, "=")
	if !ok {
		return in.cmdDisplay(ctx, c, args)
	}
	name, idxTexts, err := splitIndices(lowerName(lhs))
	if err != nil {
		return err
	}
	if name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("bad vector name %q", strings.TrimSpace(lhs))
	}
	var idx []int
	for _, t := range idxTexts {
		e, err := pc.ParseExpr(t)
		if err != nil {
			return err
		}
		k, err := in.indexValue(e)
		if err != nil {
			return err
		}
		idx = append(idx, k)
	}
	e, err := pc.ParseExpr(rhs)
	if err != nil {
		return err
	}
	v, err := in.eval(e)
	if err != nil {
		return err
	}
	target := in.letPlot(name)
	if idx == nil {
		target.set(v.copyAs(name))
		return nil
	}
	old := target.Vector(name)
	if old == nil {
		return fmt.Errorf("no such vector %s", name)
	}
	nv, err := assignAt(old, idx, v)
	if err != nil {
		return err
	}
	target.set(nv)
	return nil
}

// splitIndices reads name[i][j] ...: the name and the text of each index.
func splitIndices(s string) (string, []string, error) {
	open := strings.IndexByte(s, '[')
	if open < 0 {
		return s, nil, nil
	}
	name, rest := s[:open], s[open:]
	var idx []string
	for rest != "" {
		if rest[0] != '[' {
			return "", nil, fmt.Errorf("bad index in %q", s)
		}
		depth, end := 0, -1
		for k := range len(rest) {
			switch rest[k] {
			case '[':
				depth++
			case ']':
				depth--
			}
			if depth == 0 {
				end = k
				break
			}
		}
		if end < 0 {
			return "", nil, fmt.Errorf("unclosed [ in %q", s)
		}
		idx = append(idx, rest[1:end])
		rest = strings.TrimSpace(rest[end+1:])
	}
	return name, idx, nil
}

// assignAt is old with v's values put at old[idx[0]][idx[1]] ...: as many values as
// that index holds (one for a full index, a block of a multi-dimensional vector for
// fewer indices), no more, no fewer, as ngspice 39 requires.
func assignAt(old *Vector, idx []int, v *Vector) (*Vector, error) {
	strides := old.strides()
	dims := old.Dims
	if len(dims) < 2 {
		dims = []int{old.Len()}
	}
	if len(idx) > len(dims) {
		return nil, fmt.Errorf("%d indices of %s, which has %d dimensions", len(idx), old.Name, len(dims))
	}
	need := strides[len(idx)-1]
	if v.Len() != need {
		return nil, fmt.Errorf("data for an index vector must fit exactly: the indexed range of %s needs %d values, the expression has %d", old.Name, need, v.Len())
	}
	offset := 0
	for k, i := range idx {
		if i < 0 || i >= dims[k] {
			return nil, fmt.Errorf("index %d out of range: %s has %d values", i, old.Name, dims[k])
		}
		offset += i * strides[k]
	}
	nv := old.copyAs(old.Name)
	if nv.Cplx == nil && v.IsComplex() {
		nv.Cplx = make([]complex128, nv.Len())
		for i := range nv.Cplx {
			nv.Cplx[i] = old.At(i)
		}
		nv.Real = nil
	}
	for i := range need {
		if nv.Cplx != nil {
			nv.Cplx[offset+i] = v.At(i)
		} else {
			nv.Real[offset+i] = v.RealAt(i)
		}
	}
	return nv, nil
}

// letPlot is the plot a let of name changes: the current one, unless the vector is one
// of the const plot's (made by a let before the first analysis), which every plot sees,
// as in ngspice.
func (in *Interp) letPlot(name string) *Plot {
	if in.cur.Vector(name) == nil && in.plots[0].Vector(name) != nil {
		return in.plots[0]
	}
	return in.cur
}

// cmdUnlet removes vectors of the current plot; its scale stays, with a warning, as in
// ngspice 39.
func (in *Interp) cmdUnlet(ctx context.Context, c *pc.Command, args string) error {
	for _, w := range strings.Fields(strings.ToLower(args)) {
		if sc := in.cur.Scale(); sc != nil && sc.Name == w {
			// ngspice 39 keeps it, warns and goes on (MC_ring_ts.sp's mc_runsp)
			fmt.Fprintf(in.opt.Stderr, "%s: warning: unlet: %s is the scale of plot %s, which cannot be deleted (as in ngspice)\n", c.Pos, w, in.cur.Name)
			continue
		}
		n := len(in.cur.Vecs)
		in.cur.Vecs = slices.DeleteFunc(in.cur.Vecs, func(v *Vector) bool { return v.Name == w })
		if len(in.cur.Vecs) == n {
			return fmt.Errorf("no such vector %s", w)
		}
	}
	return nil
}

func (in *Interp) cmdEcho(ctx context.Context, c *pc.Command, args string) error {
	fmt.Fprintln(in.opt.Stdout, strings.Join(splitWords(args), " "))
	return nil
}

// cmdSet sets variables: set name, set name = value, set name = ( a b c ).
func (in *Interp) cmdSet(ctx context.Context, c *pc.Command, args string) error {
	// Spaces around = join its sides: set a = 1 is set a=1.
	s := strings.TrimSpace(args)
	for strings.Contains(s, " =") || strings.Contains(s, "= ") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " =", "="), "= ", "=")
	}
	for s != "" {
		var word string
		if eq := strings.Index(s, "=\""); eq >= 0 && eq < strings.IndexAny(s+" ", " \t") {
			// name="words with spaces": the value ends at the closing quote
			end := strings.IndexByte(s[eq+2:], '"')
			if end < 0 {
				return fmt.Errorf("missing \" in the value of %s", s[:eq])
			}
			word, s = s[:eq+2+end+1], strings.TrimSpace(s[eq+2+end+1:])
		} else if i := strings.IndexAny(s, " \t"); i >= 0 {
			word, s = s[:i], strings.TrimSpace(s[i:])
		} else {
			word, s = s, ""
		}
		name, val, has := strings.Cut(word, "=")
		name = strings.ToLower(name)
		if !has {
			in.vars[name] = []string{}
			continue
		}
		if strings.HasPrefix(val, "(") {
			list := val + " " + s
			end := strings.IndexByte(list, ')')
			if end < 0 {
				return fmt.Errorf("missing ) in the list of %s", name)
			}
			in.vars[name] = splitWords(list[1:end])
			s = strings.TrimSpace(list[end+1:])
			continue
		}
		val = strings.Trim(val, "\"")
		if done, err := in.setPlotVar(name, val); done || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		in.vars[name] = []string{val}
		if optionVars[name] {
			// ngspice 39 passes a variable that is also a simulator option on to the
			// circuit: set temp=100 runs the next analyses at 100 C (ro_17_4.cir)
			if err := in.cmdOption(ctx, c, name+"="+val); err != nil {
				return err
			}
		}
	}
	return nil
}

// optionVars are the variables set passes on to the circuit as options, as ngspice 39
// does: the temperatures and the tolerances.
var optionVars = map[string]bool{"temp": true, "tnom": true, "reltol": true, "abstol": true,
	"vntol": true, "chgtol": true, "trtol": true, "gmin": true}

// setPlotVar sets the variables that are the current plot's, as ngspice does: curplot
// (new makes a plot, as setplot new; a name chooses one), curplottitle, curplotname. It
// says whether name was one of them.
func (in *Interp) setPlotVar(name, val string) (bool, error) {
	switch name {
	case "curplot":
		return true, in.cmdSetplot(context.Background(), nil, val)
	case "curplottitle":
		in.cur.Title = strings.ToLower(val)
		return true, nil
	case "curplotname":
		in.cur.Type = val
		return true, nil
	}
	return false, nil
}

func (in *Interp) cmdUnset(ctx context.Context, c *pc.Command, args string) error {
	for _, w := range strings.Fields(strings.ToLower(args)) {
		delete(in.vars, w)
	}
	return nil
}

func (in *Interp) cmdDisplay(ctx context.Context, c *pc.Command, args string) error {
	fmt.Fprintf(in.opt.Stdout, "Here are the vectors currently active:\n\nTitle: %s\nName: %s (%s)\nDate: %s\n\n", in.cur.Title, in.cur.Name, in.cur.Type, in.cur.Date)
	vecs := slices.Clone(in.cur.Vecs) // in order of names, as ngspice lists them
	slices.SortStableFunc(vecs, func(a, b *Vector) int { return compareNames(a.Name, b.Name) })
	for _, v := range vecs {
		in.describeVector(v)
	}
	return nil
}

// describeVector prints a line of display: the vector's name, type, values and length,
// and whether it is the current plot's scale.
func (in *Interp) describeVector(v *Vector) {
	kind := "real"
	if v.IsComplex() {
		kind = "complex"
	}
	scale := ""
	if v == in.cur.Scale() {
		scale = " [default scale]"
	}
	dims := ""
	if len(v.Dims) > 1 {
		dims = ", dims = " + dimsText(v.Dims)
	}
	fmt.Fprintf(in.opt.Stdout, "    %-20s: %s, %s, %d long%s%s\n", v.Name, v.Type, kind, v.Len(), dims, scale)
}

// cmdCompose makes a vector: compose name values 1 2 3, or compose name start=0 stop=1
// step=0.1 (or len=).
func (in *Interp) cmdCompose(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(strings.ToLower(args))
	if len(words) < 2 {
		return errors.New("usage: compose name values v1 v2 ... | compose name start=a stop=b step=c")
	}
	v := &Vector{Name: words[0], Type: "notype"}
	if words[1] == "values" {
		vals, err := in.composeValues(strings.Join(words[2:], " "))
		if err != nil {
			return err
		}
		vals.Name = v.Name
		in.letPlot(v.Name).set(vals)
		return nil
	}
	kv := map[string]float64{}
	joined := strings.Join(words[1:], " ")
	joined = strings.ReplaceAll(strings.ReplaceAll(joined, " =", "="), "= ", "=")
	for _, w := range strings.Fields(joined) {
		k, val, ok := strings.Cut(w, "=")
		x, good := gospice.ParseNumber(val)
		if !ok || !good {
			return fmt.Errorf("expected name=number, found %q", w)
		}
		kv[k] = x
	}
	start, stop := kv["start"], kv["stop"]
	n := 0
	if l, ok := kv["len"]; ok {
		n = int(l)
	} else if step, ok := kv["step"]; ok && step != 0 {
		n = int((stop-start)/step+1e-9) + 1
	}
	if n < 1 || n > maxValues {
		return fmt.Errorf("%d values", n)
	}
	for i := range n {
		x := start
		if n > 1 {
			x = start + (stop-start)*float64(i)/float64(n-1)
		}
		if step, ok := kv["step"]; ok {
			x = start + step*float64(i)
		}
		v.Real = append(v.Real, x)
	}
	in.letPlot(v.Name).set(v)
	return nil
}

// composeValues are the values of compose name values ...: the rest of the line read as
// a list of expressions, as print reads it (so 3 -2 is 1, as in ngspice; v(n1) and
// ln(2.7) are values too), their values one after the other.
func (in *Interp) composeValues(text string) (*Vector, error) {
	exprs, err := pc.ParseExprs(text)
	if err != nil {
		return nil, err
	}
	var all []*Vector
	cplx := false
	for _, e := range exprs {
		v, err := in.eval(e)
		if err != nil {
			return nil, err
		}
		all = append(all, v)
		cplx = cplx || v.IsComplex()
	}
	out := &Vector{Type: "notype", Real: []float64{}}
	if cplx {
		out.Real = nil
	}
	for _, v := range all {
		for i := range v.Len() {
			if cplx {
				out.Cplx = append(out.Cplx, v.At(i))
			} else {
				out.Real = append(out.Real, v.Real[i])
			}
		}
	}
	return out, nil
}

// cmdSetscale makes a vector the current plot's scale (setscale alone names it).
func (in *Interp) cmdSetscale(ctx context.Context, c *pc.Command, args string) error {
	name := strings.TrimSpace(args)
	if name == "" {
		if s := in.cur.Scale(); s != nil {
			in.describeVector(s)
		}
		return nil
	}
	v := in.cur.Vector(name)
	if v == nil {
		return fmt.Errorf("no such vector %s in the current plot", name)
	}
	k := slices.Index(in.cur.Vecs, v)
	in.cur.Vecs = append([]*Vector{v}, slices.Delete(in.cur.Vecs, k, k+1)...)
	return nil
}

// cmdSetseed seeds the stream of sgauss, sunif and rnd. Its values are gospice's, not
// ngspice's: a Monte Carlo agrees with ngspice's in its statistics, not run by run.
func (in *Interp) cmdSetseed(ctx context.Context, c *pc.Command, args string) error {
	x, ok := gospice.ParseNumber(strings.TrimSpace(args))
	if !ok || x < 0 {
		return fmt.Errorf("%q is not a seed", args)
	}
	in.rng = rand.New(rand.NewPCG(uint64(x), 0))
	return nil
}

// cmdShell runs its line with /bin/sh under --allow-shell. Without it the command is
// skipped with a warning, not failed: a netlist is not trusted to run programs, and
// the corpus's scripts only open an image viewer with it, so the rest of the script and
// the exit status go on as if it had run.
func (in *Interp) cmdShell(ctx context.Context, c *pc.Command, args string) error {
	if !in.opt.AllowShell {
		in.warn("shell: skipped: shell commands run only with --allow-shell")
		return nil
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", args)
	cmd.Stdout, cmd.Stderr = in.opt.Stdout, in.opt.Stderr
	return cmd.Run()
}

// cmdSource reads a file as ngspice does: a script (its first line *ng_script) runs the
// lines of its .control blocks, or all its lines when it has none; any other file is a
// circuit, which replaces the current one (reset and mc_source go back to it) and runs
// its own .control blocks.
func (in *Interp) cmdSource(ctx context.Context, c *pc.Command, args string) error {
	name := strings.Trim(strings.TrimSpace(args), "\"")
	if in.readDir != "" && !filepath.IsAbs(name) {
		name = filepath.Join(in.readDir, name)
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	first, _, _ := strings.Cut(string(src), "\n")
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(first)), "*ng_script") {
		return in.sourceCircuit(ctx, name, src)
	}
	var lines []parser.ControlLine
	inBlock, sawBlock := false, false
	for i, l := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.EqualFold(t, ".control"):
			inBlock, sawBlock = true, true
			lines = nil
			continue
		case strings.EqualFold(t, ".endc"):
			inBlock = false
			continue
		}
		if t == "" || t[0] == '*' || (sawBlock && !inBlock) || (!sawBlock && strings.HasPrefix(t, ".")) {
			continue
		}
		lines = append(lines, parser.ControlLine{Pos: parser.Pos{File: name, Line: int32(i + 1), Col: 1}, Text: t})
	}
	return in.runLines(ctx, lines)
}

// sourceCircuit makes the netlist text src the circuit, as ngspice's source of a circuit
// file, and runs its .control blocks.
func (in *Interp) sourceCircuit(ctx context.Context, name string, src []byte) error {
	circuit, err := parser.Parse(name, src)
	if err != nil {
		return err
	}
	in.orig, in.circuit = circuit, circuit
	in.paramOverrides, in.mcRuns = nil, 0
	in.seedFromOptions()
	fmt.Fprintf(in.opt.Stdout, "\nCircuit: %s\n\n", circuit.Title)
	for _, b := range circuit.Deck.Control() {
		if err := in.runLines(ctx, b.Lines); err != nil {
			return err
		}
	}
	return nil
}

// runLines parses and runs control lines; their errors are reported, as a block's are.
func (in *Interp) runLines(ctx context.Context, lines []parser.ControlLine) error {
	cmds, errs, warnings := pc.Parse(lines)
	in.reportParse(errs, warnings)
	if in.runTop(ctx, cmds) == flowStop && !in.Quit {
		return ctx.Err()
	}
	return nil
}

// cmdStrcmp sets a variable to the comparison of two words: strcmp name a b sets name to
// C's strcmp of them, as ngspice does (0 when equal, else the difference of the first
// bytes that differ: strcmp f sens1 unknown1 sets f to -2).
func (in *Interp) cmdStrcmp(ctx context.Context, c *pc.Command, args string) error {
	words := splitWords(args)
	if len(words) != 3 {
		return errors.New("usage: strcmp variable string1 string2")
	}
	a, b := words[1]+"\x00", words[2]+"\x00"
	d := 0
	for i := 0; i < len(a) && i < len(b); i++ {
		if d = int(a[i]) - int(b[i]); d != 0 || a[i] == 0 {
			break
		}
	}
	in.vars[strings.ToLower(words[0])] = []string{fmt.Sprint(d)}
	return nil
}
