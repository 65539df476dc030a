package parser

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
)

// dotCommands reads each dot command understood so far.
var dotCommands = map[string]func(e *elab, d *DotLine){
	".op":      (*elab).op,
	".tran":    (*elab).tran,
	".ac":      (*elab).ac,
	".dc":      (*elab).dcSweep,
	".end":     func(*elab, *DotLine) {}, // the lexer stops reading the file there
	".ic":      (*elab).ic,
	".nodeset": (*elab).nodeset,
	".options": (*elab).options,
	".option":  (*elab).options,
	".opt":     (*elab).options,
	".save":    (*elab).save,
	".print":   (*elab).print,
	".plot":    func(*elab, *DotLine) {}, // ngspice's line-printer plots: ignored
	".width":   func(*elab, *DotLine) {}, // the width of those: ignored
	".title":   (*elab).title,
	".model":   (*elab).model,
	".control": (*elab).controlStart,
	".endc":    (*elab).controlEnd,
	".temp":    (*elab).temp,
	".meas":    (*elab).measure,
	".measure": (*elab).measure,
	".step":    (*elab).step,
	".spikes":  (*elab).spikes,
	".tf":      (*elab).tf,    // smallsignal.go
	".sens":    (*elab).sens,  // smallsignal.go
	".four":    (*elab).four,  // smallsignal.go
	".noise":   (*elab).noise, // noise.go
	".pz":      (*elab).pz,    // pz.go
	".pss":     (*elab).pss,   // pss.go
	".sp":      (*elab).sp,    // sp.go
	".probe":   (*elab).probe, // probe.go
	".csparam": (*elab).csparam,
}

// laterCommands are ngspice dot commands not read yet.
var laterCommands = map[string]bool{
	".disto": true, ".nodeset": true,
	".data": true, ".enddata": true, ".savebias": true,
	".loadbias": true,
}

// ignoredCommands are read and ignored, with a warning that says why.
var ignoredCommands = map[string]string{}

// subcktCommands are the dot commands allowed inside a .subckt (besides those read when
// the netlist is sorted into definitions: .param, .func, .subckt, .ends, .global).
var subcktCommands = map[string]bool{
	".model": true, ".control": true, ".endc": true, ".plot": true, ".width": true,
	".csparam": true, ".probe": true,
	".ic": true, ".nodeset": true, // of the instance's nodes, as in ngspice 39 (measured)
}

// dotLine reads a dot command in the current scope.
func (e *elab) dotLine(l *srcLine) {
	name := dotName(l)
	if why, ok := ignoredCommands[name]; ok {
		e.warnf(linePos(l), "%s ignored: %s", name, why)
		return
	}
	if e.sc.inst != "" || e.sc.def.name != "" {
		if !subcktCommands[name] && dotCommands[name] != nil {
			e.errorf(linePos(l), "%s inside .subckt %s is not supported", name, e.sc.def.name)
			return
		}
	}
	ast, synErr := l.syntax(nil)
	if (ast == nil || ast.Dot == nil) && isMeasLine(l.toks) {
		// ngspice 39 reads it as a measurement that fails, and runs (buggy-meas-tran.sp)
		e.warnf(synErr.Pos, "%s; the measurement fails, as in ngspice", synErr.Msg)
		return
	}
	if ast == nil || ast.Dot == nil {
		e.errorf(synErr.Pos, "%s", synErr.Msg)
		return
	}
	e.draw = e.dotDraw(name) // .model names its own
	e.dot(ast.Dot)
}

func (e *elab) dot(d *DotLine) {
	name := strings.ToLower(d.Name)
	if f, ok := dotCommands[name]; ok {
		f(e, d)
		return
	}
	if laterCommands[name] {
		e.errorf(toPos(d.Pos), "%s is not supported yet", name)
		return
	}
	e.errorf(toPos(d.Pos), "unknown control line %q", name)
}

// numbers reads the items of a line that are all numbers, at most max of them.
func (e *elab) numbers(items []*Item, max int, usage string) ([]float64, []Pos, bool) {
	var vals []float64
	var pos []Pos
	ok := true
	for i, it := range items {
		if i == max {
			e.errorf(toPos(it.Pos), "too many arguments: %s", usage)
			return nil, nil, false
		}
		if it.Value != nil {
			e.errorf(toPos(it.Pos), "expected a number, found %s", itemText(it))
			ok = false
			continue
		}
		v, good := e.number(it.Key)
		ok = ok && good
		vals = append(vals, v)
		pos = append(pos, toPos(it.Pos))
	}
	return vals, pos, ok
}

func (e *elab) op(d *DotLine) {
	if len(d.Items) > 0 {
		e.unexpected(d.Items[0], "after .op")
		return
	}
	e.c.Analyses = append(e.c.Analyses, &OP{Pos: toPos(d.Pos)})
}

// tran reads .tran tstep tstop [tstart [tmax]] [uic].
func (e *elab) tran(d *DotLine) {
	const usage = ".tran tstep tstop [tstart [tmax]] [uic]"
	a := &Tran{Pos: toPos(d.Pos)}
	items := d.Items
	if n := len(items); n > 0 {
		if w, ok := plainWord(items[n-1].Key); ok && w == "uic" && items[n-1].Value == nil {
			a.UIC = true
			items = items[:n-1]
		}
	}
	vals, pos, ok := e.numbers(items, 4, usage)
	if !ok {
		return
	}
	if len(vals) < 2 {
		e.errorf(toPos(d.EndPos), "missing tstep or tstop: %s", usage)
		return
	}
	a.Step, a.Stop = vals[0], vals[1]
	if len(vals) > 2 {
		a.Start = vals[2]
	}
	if len(vals) > 3 {
		a.MaxStep = vals[3]
	}
	if a.Step == 0 && a.Stop > a.Start {
		// Xyce's .tran 0 tstop: a zero print step prints every time step, as gospice
		// always does; the step bound and the waveform defaults that tstep sets in
		// SPICE take tspan/50, the bound SPICE gives a tstep larger than that.
		a.Step = (a.Stop - a.Start) / 50
	}
	switch {
	case !(a.Step > 0):
		e.errorf(pos[0], "tstep must be positive, got %g", a.Step)
	case !(a.Stop > 0):
		e.errorf(pos[1], "tstop must be positive, got %g", a.Stop)
	case len(vals) > 2 && a.Start < 0:
		e.errorf(pos[2], "tstart must not be negative, got %g", a.Start)
	case len(vals) > 2 && !(a.Start < a.Stop):
		e.errorf(pos[2], "tstart (%g) must be less than tstop (%g)", a.Start, a.Stop)
	case len(vals) > 3 && a.MaxStep < 0:
		e.errorf(pos[3], "tmax must not be negative, got %g", a.MaxStep)
	default:
		e.c.Analyses = append(e.c.Analyses, a)
	}
}

// ac reads .ac dec|oct|lin points fstart fstop.
func (e *elab) ac(d *DotLine) {
	if a, _ := e.acSweep(d, ".ac dec|oct|lin points fstart fstop", 3); a != nil {
		e.c.Analyses = append(e.c.Analyses, a)
	}
}

// acSweep reads the sweep of .ac (or of .sp, .sens ... ac): dec|oct|lin points fstart
// fstop, then up to max-3 more numbers, which it returns; nil when the line has an error,
// reported.
func (e *elab) acSweep(d *DotLine, usage string, max int) (*AC, []float64) {
	if len(d.Items) == 0 {
		e.errorf(toPos(d.EndPos), "missing sweep type: %s", usage)
		return nil, nil
	}
	sweep, ok := plainWord(d.Items[0].Key)
	if !ok || d.Items[0].Value != nil || sweep != "dec" && sweep != "oct" && sweep != "lin" {
		e.errorf(toPos(d.Items[0].Pos), "expected dec, oct or lin, found %s", itemText(d.Items[0]))
		return nil, nil
	}
	vals, pos, ok := e.numbers(d.Items[1:], max, usage)
	if !ok {
		return nil, nil
	}
	if len(vals) < 3 {
		e.errorf(toPos(d.EndPos), "missing %s: %s", []string{"points", "fstart", "fstop"}[len(vals)], usage)
		return nil, nil
	}
	a := &AC{Sweep: sweep, Start: vals[1], Stop: vals[2], Pos: toPos(d.Pos)}
	switch n := vals[0]; {
	case !(n >= 1) || n != math.Trunc(n):
		e.errorf(pos[0], "the number of points must be a positive integer, got %g", n)
	case n > 1e9:
		e.errorf(pos[0], "too many points: %g", n)
	case sweep != "lin" && !(a.Start > 0):
		e.errorf(pos[1], "fstart must be positive for a %s sweep, got %g", sweep, a.Start)
	case a.Start < 0:
		e.errorf(pos[1], "fstart must not be negative, got %g", a.Start)
	case a.Stop < a.Start:
		e.errorf(pos[2], "fstop (%g) must not be less than fstart (%g)", a.Stop, a.Start)
	default:
		a.Points = int(n)
		return a, vals[3:]
	}
	return nil, nil
}

// dcSweep reads .dc src start stop step [src2 start2 stop2 step2].
func (e *elab) dcSweep(d *DotLine) {
	const usage = ".dc source start stop step [source2 start2 stop2 step2]"
	a := &DC{Pos: toPos(d.Pos)}
	items := d.Items
	for len(items) > 0 {
		if len(a.Sweeps) == 2 {
			e.errorf(toPos(items[0].Pos), "too many arguments: %s", usage)
			return
		}
		src, ok := atom(items[0])
		if !ok || !isLetter(src[0]) {
			e.errorf(toPos(items[0].Pos), "expected a source name, found %s", itemText(items[0]))
			return
		}
		n := min(len(items), 4)
		vals, pos, ok := e.numbers(items[1:n], 3, usage)
		if !ok {
			return
		}
		if len(vals) < 3 {
			e.errorf(toPos(d.EndPos), "missing %s of %s: %s", []string{"start", "stop", "step"}[len(vals)], src, usage)
			return
		}
		s := DCSweep{Source: src, Start: vals[0], Stop: vals[1], Step: vals[2], Pos: toPos(items[0].Pos)}
		switch {
		case s.Step == 0:
			e.errorf(pos[2], "the step of %s must not be zero", src)
			return
		case (s.Stop-s.Start)*s.Step < 0:
			e.errorf(pos[2], "the step of %s (%g) goes away from stop (%g)", src, s.Step, s.Stop)
			return
		case math.Abs(s.Stop-s.Start)/math.Abs(s.Step) > 1e9:
			e.errorf(pos[2], "too many points in the sweep of %s", src)
			return
		}
		a.Sweeps = append(a.Sweeps, s)
		items = items[n:]
	}
	if len(a.Sweeps) == 0 {
		e.errorf(toPos(d.EndPos), "missing source: %s", usage)
		return
	}
	e.c.Analyses = append(e.c.Analyses, a)
}

// ic reads .ic v(node)=value ...
func (e *elab) ic(d *DotLine) { e.nodeValues(d, &e.c.ICs) }

// nodeset reads .nodeset v(node)=value ...: the operating point's initial guesses.
func (e *elab) nodeset(d *DotLine) { e.nodeValues(d, &e.c.Nodesets) }

// nodeValues reads the v(node)=value items of .ic or .nodeset into dst.
func (e *elab) nodeValues(d *DotLine, dst *[]IC) {
	for _, it := range d.Items {
		k := it.Key
		if it.Value == nil || strings.ToLower(k.Word) != "v" || k.Args == nil || len(k.Args.Items) != 1 {
			e.errorf(toPos(it.Pos), "expected v(node)=value, found %s", itemText(it))
			continue
		}
		n, ok := atom(k.Args.Items[0])
		if !ok {
			e.errorf(toPos(k.Args.Items[0].Pos), "expected a node name, found %s", itemText(k.Args.Items[0]))
			continue
		}
		v, ok := e.number(it.Value)
		if !ok {
			continue
		}
		*dst = append(*dst, IC{Node: e.node(n), Value: v, Pos: toPos(it.Pos)}) // x1.n inside x1
	}
}

// optionKinds are the options read so far: numeric ones, and method and corners, which
// take a word.
var optionKinds = map[string]bool{ // true: numeric
	"reltol": true, "abstol": true, "vntol": true, "chgtol": true, "trtol": true,
	"gmin": true, "itl1": true, "itl2": true, "itl4": true, "temp": true, "tnom": true,
	"seed": true, "maxord": true, "bypass": true, "method": false, "corners": false, "savecurrents": false,
	"gminsteps": true, "srcsteps": true, "gshunt": true, "rshunt": true, "cshunt": true,
	"pivtol": true, "pivrel": true, "ramptime": true, "xmu": true, "nodedamping": true,
	"noopiter": true, "scale": true, "wnflag": true, "partition": true, "chord": true,
	"nfreqs": true, "fourgridsize": true, "polydegree": true, // .four's (smallsignal.go)
}

// flagOptions may be written alone, meaning 1 (.options bypass).
var flagOptions = map[string]bool{"bypass": true, "nodedamping": true, "noopiter": true,
	"savecurrents": true, // read by the .control language (analysis/control's devq.go)
}

// quietOptions only change what ngspice prints; they are accepted without a word.
var quietOptions = map[string]bool{
	"acct": true, "noacct": true, "list": true, "nolist": true, "node": true, "nonode": true,
	"opts": true, "nopage": true, "nomod": true, "noinit": true, "lvlcod": true,
	"parser": true, // HSPICE's .options parser scale=...: the keyword alone means nothing
}

// xycePackages are the option packages of Xyce's .options line (.options timeint
// reltol=1e-4): the rest of the line sets options of that part of Xyce.
var xycePackages = map[string]bool{
	"timeint": true, "nonlin": true, "nonlin-tran": true, "nonlin-hb": true, "loca": true,
	"linsol": true, "linsol-hb": true, "device": true, "output": true, "restart": true,
	"hbint": true, "sensitivity": true, "measure": true, "global_params": true,
}

// options reads .options key=value and flags.
func (e *elab) options(d *DotLine) {
	if len(d.Items) > 0 && d.Items[0].Value == nil {
		if pkg, ok := plainWord(d.Items[0].Key); ok && xycePackages[pkg] {
			e.xyceOptions(pkg, d.Items[0], d.Items[1:])
			return
		}
	}
	for _, it := range d.Items {
		name, ok := plainWord(it.Key)
		if !ok {
			e.errorf(toPos(it.Pos), "expected an option name, found %s", itemText(it))
			continue
		}
		numeric, known := optionKinds[name]
		switch {
		case quietOptions[name]:
			continue
		case !known:
			e.warnf(toPos(it.Pos), "unknown option %q ignored", name)
			continue
		case it.Value == nil && flagOptions[name]:
			e.c.Options = append(e.c.Options, Option{Name: name, Value: 1, Pos: toPos(it.Pos)})
			continue
		case it.Value == nil:
			e.errorf(toPos(it.Pos), "option %s needs a value: %s=...", name, name)
			continue
		}
		op := Option{Name: name, Pos: toPos(it.Pos)}
		if numeric {
			v, ok := e.number(it.Value)
			if !ok {
				continue
			}
			op.Value = v
		} else if name == "corners" { // partitioned transients' (docs/partition.md)
			w, _ := plainWord(it.Value)
			if w != "block" && w != "whole" {
				e.errorf(toPos(it.Value.Pos), "unknown corners %s (expected block or whole)", quote(text(it.Value.Tokens)))
				continue
			}
			op.Str = w
		} else { // method
			w, _ := plainWord(it.Value)
			switch w {
			case "trap", "trapezoidal":
				op.Str = "trap"
			case "gear":
				op.Str = "gear"
			default:
				e.errorf(toPos(it.Value.Pos), "unknown integration method %s (expected trap or gear)", quote(text(it.Value.Tokens)))
				continue
			}
		}
		if name == "scale" {
			// Applied here, to the elements' geometry (models.go): kept out of Options,
			// so that no device applies it again.
			continue
		}
		e.c.Options = append(e.c.Options, op)
	}
}

// vectorFuncs are the functions of an output vector: how many arguments, and whether
// they are nodes (normalized as nodes) or device names; what the vector is, and the
// part of a complex vector it shows.
var vectorFuncs = map[string]struct {
	min, max int
	nodes    bool
	kind     VectorKind
	part     ACPart
}{
	"v": {1, 2, true, VectorVoltage, ACNone}, "vm": {1, 2, true, VectorVoltage, ACMag},
	"vp": {1, 2, true, VectorVoltage, ACPhase}, "vdb": {1, 2, true, VectorVoltage, ACDB},
	"vr": {1, 2, true, VectorVoltage, ACReal}, "vi": {1, 2, true, VectorVoltage, ACImag},
	"i": {1, 1, false, VectorCurrent, ACNone}, "im": {1, 1, false, VectorCurrent, ACMag},
	"ip": {1, 1, false, VectorCurrent, ACPhase}, "idb": {1, 1, false, VectorCurrent, ACDB},
	"ir": {1, 1, false, VectorCurrent, ACReal}, "ii": {1, 1, false, VectorCurrent, ACImag},
	"state": {1, 1, false, VectorState, ACNone},
}

// vector reads an output vector: v(a), v(a,b), i(v1), state(y1.f), a bare node name (which
// means v(node)), all, or ngspice's v1#branch (which is i(v1)).
func (e *elab) vector(it *Item) (Vector, bool) {
	if isExprItem(it) {
		return e.exprVector(it) // Xyce's {expression} of vectors
	}
	pos := toPos(it.Pos)
	if name, ok := atom(it); ok {
		switch {
		case name == "all":
			return Vector{Name: name, Kind: VectorAll, Pos: pos}, true
		case strings.HasPrefix(name, "@"):
			v := Vector{Name: name, Kind: VectorInternal, Device: name[1:], Pos: pos}
			if dev, param, ok := strings.Cut(name[1:], "["); ok && strings.HasSuffix(param, "]") && !strings.ContainsAny(param[:len(param)-1], "[]") {
				v.Device, v.Var = dev, param[:len(param)-1]
			}
			return v, true
		case strings.HasSuffix(name, "#branch") && len(name) > len("#branch"):
			dev := strings.TrimSuffix(name, "#branch")
			return Vector{Name: "i(" + dev + ")", Kind: VectorCurrent, Device: dev, Pos: pos}, true
		}
		n := node(name)
		return Vector{Name: "v(" + n + ")", Kind: VectorVoltage, Nodes: []string{n}, Pos: pos, Bare: true}, true
	}
	t := it.Key
	fn := strings.ToLower(t.Word)
	if v, ok, handled := e.partVector(it, fn); handled { // db(v(out)): tolerate.go
		return v, ok
	}
	spec, known := vectorFuncs[fn]
	switch {
	case it.Value != nil || t.Args == nil:
		e.errorf(pos, "expected an output vector, found %s", itemText(it))
		return Vector{}, false
	case !known && xyceVectorFuncs[fn] && len(t.Args.Items) == 1:
		return e.xyceVector(fn, t.Args.Items[0], pos)
	case !known:
		e.errorf(pos, "unknown output function %q (expected v, i, state, vm, vp, vdb, vr or vi)", fn)
		return Vector{}, false
	case len(t.Args.Items) < spec.min || len(t.Args.Items) > spec.max:
		what := "1 argument"
		if spec.max == 2 {
			what = "1 or 2 nodes"
		}
		e.errorf(pos, "%s() takes %s, found %d", fn, what, len(t.Args.Items))
		return Vector{}, false
	}
	var args, written []string
	for _, a := range t.Args.Items {
		n, ok := atom(a)
		if !ok {
			e.errorf(toPos(a.Pos), "expected a name, found %s", itemText(a))
			return Vector{}, false
		}
		written = append(written, n)
		if spec.nodes {
			n = node(n)
		} else {
			n = xyceDevice(n)
		}
		args = append(args, n)
	}
	v := Vector{Name: fmt.Sprintf("%s(%s)", fn, strings.Join(args, ",")), Kind: spec.kind, Part: spec.part, Pos: pos}
	if !spec.nodes && written[0] != args[0] {
		v.Name = fmt.Sprintf("%s(%s)", fn, written[0]) // Xyce's i(ymemristor!mr1), as written
	}
	switch spec.kind {
	case VectorVoltage:
		v.Nodes = args
	case VectorCurrent:
		v.Device = args[0]
	case VectorState:
		v.Device = args[0]
		if k := strings.LastIndexByte(args[0], '.'); k > 0 && k < len(args[0])-1 {
			v.Device, v.Var = args[0][:k], args[0][k+1:]
		}
	}
	return v, true
}

func (e *elab) save(d *DotLine) {
	for _, it := range d.Items {
		if v, ok := e.vector(it); ok {
			e.c.Saves = append(e.c.Saves, v)
		}
	}
}

// printTypes are the analysis types of .print.
var printTypes = map[string]bool{"tran": true, "op": true, "dc": true, "ac": true,
	"sens": true, "tf": true, "noise": true, "pz": true, // their results are fixed: smallsignal.go, noise.go
}

func (e *elab) print(d *DotLine) {
	if len(d.Items) == 0 {
		e.errorf(toPos(d.EndPos), "missing analysis type: .print tran|op|dc|ac vectors...")
		return
	}
	typ, ok := atom(d.Items[0])
	if !ok || !printTypes[typ] {
		e.errorf(toPos(d.Items[0].Pos), "expected an analysis type (tran, op, dc or ac), found %s", itemText(d.Items[0]))
		return
	}
	p := Print{Type: typ, Pos: toPos(d.Pos)}
	if len(d.Items) == 1 {
		e.errorf(toPos(d.EndPos), "missing vectors: .print %s vectors...", typ)
		return
	}
	ok = true
	for _, it := range d.Items[1:] {
		v, good := e.vector(it)
		ok = ok && good
		p.Vectors = append(p.Vectors, v)
	}
	if ok {
		e.c.Prints = append(e.c.Prints, p)
	}
}

func (e *elab) title(d *DotLine) {
	e.c.Title = ""
	if d.Text != nil {
		e.c.Title = *d.Text
	}
}

// model reads .model name type [(] name=value ... [)]; the parameters may be in parentheses
// after the type, or not.
// ciderModels are the model types of ngspice's CIDER numerical devices.
var ciderModels = map[string]bool{"numd": true, "nbjt": true, "numos": true}

// xspiceModels are the model types of ngspice 39's XSPICE code models, which only A
// elements use. Their parameters are the code models' own (strings, vectors, booleans:
// input_file="data.txt", amploffset=[0.1 0.1], timerelative=false): gospice keeps such a
// card without reading them, and an A element that uses it is what it refuses.
var xspiceModels = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`gain summer mult divide limit ilimit climit pwl filesource int d_dt
		s_xfer slew lcouple core hyst cmeter lmeter sine triangle square oneshot aswitch zener
		multi_input_pwl table2d table3d delay pswitch sidiode seegen xfer
		adc_bridge dac_bridge bidi_bridge d_to_real real_delay real_gain real_to_int int_to_real
		d_buffer d_inverter d_and d_nand d_or d_nor d_xor d_xnor d_tristate d_pullup d_pulldown
		d_open_c d_open_e d_dff d_jkff d_tff d_srff d_dlatch d_srlatch d_state d_osc d_source
		d_ram d_lut d_genlut d_fdiv d_process d_cosim`) {
		xspiceModels[t] = true
	}
}

func (e *elab) model(d *DotLine) {
	const usage = ".model name type (name=value ...)"
	if len(d.Items) < 2 {
		e.errorf(toPos(d.EndPos), "missing model %s: %s", []string{"name", "type"}[len(d.Items)], usage)
		return
	}
	name, ok := atom(d.Items[0])
	if !ok {
		e.errorf(toPos(d.Items[0].Pos), "expected a model name, found %s", itemText(d.Items[0]))
		return
	}
	tt := d.Items[1]
	if tt.Value != nil || tt.Key.Word == "" {
		e.errorf(toPos(tt.Pos), "expected a model type, found %s", itemText(tt))
		return
	}
	name = e.sc.prefix + name // a model of a subcircuit is one per instance
	e.draw = &drawCtx{key: "model:" + name}
	m := &Model{Name: name, Type: strings.ToLower(tt.Key.Word), Pos: toPos(d.Pos)}
	if ciderModels[m.Type] {
		// its cards (title, x.mesh, doping ...) are CIDER's language: one error for the
		// model, kept so that its devices find it and add none
		e.errorf(toPos(tt.Pos), "model %s: %s is a CIDER numerical device model, which gospice does not simulate", quote(name), quote(m.Type))
		e.c.Models[name] = m
		return
	}
	if xspiceModels[m.Type] {
		e.c.Models[name] = m
		return
	}
	var items []*Item
	if tt.Key.Args != nil {
		items = append(items, tt.Key.Args.Items...)
	}
	params := paramList{owner: name, model: true}
	items = append(items, d.Items[2:]...)
	if m.Type == "cpl" {
		items = e.cplLists(&params, items) // cpl.go: its matrices, before stray numbers are dropped
	}
	items = e.modelItems(items) // tolerate.go
	n := e.nerr
	for _, it := range items {
		if k, _ := plainWord(it.Key); k == "version" && it.Value != nil {
			e.version(m, &params, it)
			continue
		}
		if k, _ := plainWord(it.Key); k == "level" && it.Value != nil && it.Value.Word != "" && it.Value.Args == nil &&
			!e.isParam(strings.ToLower(it.Value.Word)) {
			// level=diffusive: a named level (memristor models), not a number.
			if _, ok := e.claim(&params, it); ok {
				m.LevelName, m.LevelPos = strings.ToLower(it.Value.Word), toPos(it.Value.Pos)
			}
			continue
		}
		if e.vdmosString(m, &params, it) {
			continue
		}
		if e.ltraFlag(m, &params, it) {
			continue
		}
		if k, _ := plainWord(it.Key); modelFileParams[m.Type][k] && it.Value != nil {
			if _, ok := e.claim(&params, it); ok {
				e.modelFile(m, k, it)
			}
			continue
		}
		e.addParam(&params, it)
	}
	m.Params = params.params
	if first, dup := e.c.Models[name]; dup {
		e.errorf(toPos(d.Items[0].Pos), "duplicate model name %q (first defined at %s)", name, lineOf(first.Pos))
		return
	}
	if e.nerr == n {
		e.c.Models[name] = m
	}
}

// version reads version=... of a model card: a word such as 3.3.0 or 4.8.1, or a number,
// kept as written in Model.Version (BSIM cards carry it; it is not a number).
func (e *elab) version(m *Model, params *paramList, it *Item) {
	if _, ok := e.claim(params, it); !ok {
		return
	}
	v := it.Value
	switch {
	case v.Word != "" && v.Args == nil:
		m.Version = v.Word
	case v.Number != "":
		m.Version = v.Number
	default:
		e.errorf(toPos(v.Pos), "expected a version, found %s", quote(text(trimCommas(v.Tokens))))
		return
	}
	m.VersionPos = toPos(v.Pos)
}

// csparam reads .csparam name=value: a value the control language has as a vector of its
// const plot, as ngspice 39 makes it (one a line: ngspice drops the rest of the line).
func (e *elab) csparam(d *DotLine) {
	if len(d.Items) == 0 {
		e.errorf(toPos(d.EndPos), "missing name=value: .csparam name=value ...")
		return
	}
	if e.sc.inst != "" {
		e.warnf(toPos(d.Pos), ".csparam inside a subcircuit ignored: only the top level's make vectors")
		return
	}
	it := d.Items[0]
	name, ok := plainWord(it.Key)
	if !ok || it.Value == nil {
		e.errorf(toPos(it.Pos), "expected name=value in .csparam, found %s", itemText(it))
		return
	}
	if len(d.Items) > 1 {
		e.warnf(toPos(d.Items[1].Pos), ".csparam makes one vector a line: the rest ignored, as in ngspice 39")
	}
	if v, ok := e.number(it.Value); ok {
		e.c.CSParams = append(e.c.CSParams, Option{Name: name, Value: v, Pos: toPos(it.Pos)})
	}
}

// temp reads .temp t: the circuit temperature in °C; a later .temp line replaces an
// earlier one. A line of several temperatures is ignored, as ngspice 39 ignores it
// ("Could not set temperature to 0 25 50"), and leaves the default temperature, even
// after an earlier .temp (measured: .temp 40 then .temp 50 75 runs at 27).
func (e *elab) temp(d *DotLine) {
	const usage = ".temp value (degrees C)"
	if len(d.Items) == 0 {
		e.errorf(toPos(d.EndPos), "missing temperature: %s", usage)
		return
	}
	vals, pos, ok := e.numbers(d.Items, len(d.Items), usage)
	if !ok {
		return
	}
	if t := vals[0]; t < -273.15 {
		e.errorf(pos[0], "temperature below absolute zero: %g degrees C", t)
		return
	}
	if len(vals) > 1 {
		e.warnf(pos[1], ".temp with several temperatures ignored, as in ngspice: the circuit is at the default temperature")
		e.c.Temp, e.c.HasTemp = 0, false
		return
	}
	if e.c.HasTemp {
		e.warnf(toPos(d.Pos), ".temp given again (first at %s): the last one is used", lineOf(e.c.TempPos))
	}
	e.c.Temp, e.c.HasTemp, e.c.TempPos = vals[0], true, pos[0]
}

func (e *elab) controlStart(d *DotLine) {
	p := toPos(d.Pos)
	if e.control != nil { // cannot happen: the lexer skips to .endc
		return
	}
	e.control = &p
}

func (e *elab) controlEnd(d *DotLine) {
	if e.control == nil {
		e.errorf(toPos(d.Pos), ".endc without .control")
		return
	}
	e.warnf(*e.control, ".control block ignored (lines %d-%d): interactive commands are not supported", e.control.Line, d.Pos.Line)
	e.control = nil
}

// xyceOptions reads the options of a Xyce package (.options timeint reltol=1e-4). They
// are Xyce's own and are ignored, each with a warning: Xyce's time integrator measures
// its error as a weighted norm of the solution, SPICE's (and gospice's) by divided
// differences of the charges, so that even timeint reltol is not SPICE's reltol.
func (e *elab) xyceOptions(pkg string, at *Item, items []*Item) {
	if len(items) == 0 {
		e.warnf(toPos(at.Pos), "Xyce's .options %s does not apply to gospice; ignored", pkg)
	}
	for _, it := range items {
		e.warnf(toPos(it.Pos), "Xyce's .options %s %s does not apply to gospice; ignored", pkg, strings.Trim(itemText(it), `"`))
	}
}

// modelFileParams are the parameters of a model type that name a data file rather than
// hold a number: the window tables of Xyce's PEM memristor (fxpdata=fxp_table.csv).
var modelFileParams = map[string]map[string]bool{
	"memristor": {"fxpdata": true, "fxmdata": true},
}

// modelFile reads the data file a model parameter names, relative to the netlist that
// names it, into Model.Files; the device reads its contents.
func (e *elab) modelFile(m *Model, name string, it *Item) {
	pos := toPos(it.Value.Pos)
	written := strings.Trim(text(trimCommas(it.Value.Tokens)), `"'`)
	if written == "" {
		e.errorf(pos, "%s needs a file name", name)
		return
	}
	path := written
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(pos.File), path)
	}
	path = filepath.Clean(path)
	d := e.deck
	if d == nil || d.read == nil {
		e.errorf(pos, "cannot read %s: no file access", quote(written))
		return
	}
	data, err := d.read(path)
	if err != nil {
		e.errorf(pos, "cannot read %s: %v", quote(written), err)
		return
	}
	m.Files = append(m.Files, ModelFile{Name: name, Path: written, Data: data, Pos: pos})
}

// xyceVectorFuncs are Xyce's output functions beyond SPICE's: n() of a device's internal
// variable, p() and w() of its power.
var xyceVectorFuncs = map[string]bool{"n": true, "p": true, "w": true}

// xyceDevice is the name of the device that Xyce calls ymemristor!mr1 (a Y device's
// type, '!', its name): mr1. Other names are returned as they are.
func xyceDevice(name string) string {
	if k := strings.IndexByte(name, '!'); k > 1 && name[0] == 'y' && k < len(name)-1 {
		return name[k+1:]
	}
	return name
}

// xyceVector reads Xyce's output functions of a device, keeping the name as written:
//
//	n(ymemristor!mr1_x)  the internal variable x: state(mr1.x)
//	n(ymemristor!mr1:r)  the quantity r the device reports: @mr1[r] (its resistance)
//	n(node)              a node's voltage: v(node)
//	p(mr1), w(mr1)       the power the device takes, v(n+, n-) i(mr1), in watts
func (e *elab) xyceVector(fn string, arg *Item, pos Pos) (Vector, bool) {
	a, ok := atom(arg)
	if !ok {
		e.errorf(toPos(arg.Pos), "expected a name, found %s", itemText(arg))
		return Vector{}, false
	}
	name := fn + "(" + a + ")"
	dev := xyceDevice(a)
	switch {
	case fn != "n":
		return Vector{Name: name, Kind: VectorPower, Device: dev, Pos: pos}, true
	case dev == a:
		n := node(a)
		return Vector{Name: name, Kind: VectorVoltage, Nodes: []string{n}, Pos: pos}, true
	}
	if k := strings.LastIndexByte(dev, ':'); k > 0 && k < len(dev)-1 {
		return Vector{Name: name, Kind: VectorInternal, Device: dev[:k], Var: dev[k+1:], Pos: pos}, true
	}
	if k := strings.LastIndexByte(dev, '_'); k > 0 && k < len(dev)-1 {
		return Vector{Name: name, Kind: VectorState, Device: dev[:k], Var: dev[k+1:], Pos: pos}, true
	}
	e.errorf(toPos(arg.Pos), "n(%s): expected a device variable, ymemristor!name_var or ymemristor!name:var", a)
	return Vector{}, false
}
