package parser

import (
	"fmt"
	"strings"

	"github.com/gospice/gospice/parser/expr"
)

// Pos is a place in a netlist file. Line and Col count from 1.
type Pos struct {
	File string
	Line int32 // 32 bits: a file read is at most 64 MiB, and a flat circuit holds a Pos per node of every element
	Col  int32
}

func (p Pos) String() string {
	if p.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Error is a problem found in the netlist text; it prints as file:line:col: message.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errorf builds an *Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Circuit is the flat circuit: what the netlist says, with every name lowercased,
// every number evaluated and every place remembered. Devices are built from it.
type Circuit struct {
	Title    string
	Elements []*Element // in netlist order
	Models   map[string]*Model
	Analyses []Analysis // in netlist order
	Options  []Option   // in netlist order; a later value of the same key wins
	// CSParams are the .csparam values: vectors of the control language's const plot.
	CSParams []Option
	ICs      []IC       // .ic v(node)=value
	Nodesets []IC       // .nodeset v(node)=value
	Saves    []Vector   // .save
	Probes   []Vector   // .probe: added to .save's vectors or the default set
	Prints   []Print    // .print
	Measures []*Measure // .meas and .measure, in netlist order
	Spikes   []Spikes   // .spikes
	Warnings []*Error   // things accepted but worth telling the user (unknown options, ignored lines)

	// Params holds the values of the top level's .param parameters (those that could be
	// evaluated), by lowercase name. Subcircuit parameters are not here: they are
	// substituted in each instance.
	Params map[string]float64

	// Temp is the circuit temperature in °C given by .temp (the last .temp line; its
	// first value). ngspice reads .temp t as .options temp=t, so when both are written
	// the later of TempPos and the option's Pos wins; the parser keeps both as written.
	Temp    float64
	HasTemp bool
	TempPos Pos // of the value

	// Steps are the .step lines, in netlist order (at most three): the runs of the
	// circuit go over every combination of their values, the first line varying
	// fastest, as the first source of .dc. Each run is an elaboration of Deck with the
	// Variant that sets the stepped parameter, or a change of the built circuit for temp,
	// a source, a device or a model parameter.
	Steps []Step

	// Random is set when a random function (gauss, agauss, unif, aunif, limit) was drawn:
	// the netlist is a Monte Carlo one, whose values change with Variant.Seed and Run.
	Random bool

	// Deck is the netlist the circuit was elaborated from, and Variant the values it was
	// elaborated with (Run at least 1, names lowercase): Deck.Elaborate makes the circuit
	// again, with other values, without reading the netlist again.
	Deck    *Deck
	Variant Variant
}

// Element is one element line: R1 a b 1k, V1 in 0 PULSE(...), M1 d g s b nmod W=1u ...
// Elements of subcircuits are flattened: their names, nodes, models and the names in their
// expressions carry the instance's prefix (x1.r1, x1.out, x1.dmod, v(x1.out), i(x1.vx));
// ground (0, gnd) and .global nodes keep their names. Positions stay those of the lines
// inside the .subckt.
//
// The elements with a model (D, M, Q, S) have their nodes in Nodes (Q: 3, or 4 with the
// substrate), the model name in Model, their positional words in Args (a number right
// after the model of D and Q is the area, Args[0] with IsNumber; the flags off, and on
// for S, are Words) and their name=value pairs in Params, unvalidated: the device
// checks the names.
//
// Controlled sources and couplings:
//   - E (VCVS), G (VCCS) linear: Nodes n+ n- nc+ nc-, Value the gain (HasValue).
//   - E, G behavioural (value={expr}, vol= for E, cur= for G): Nodes n+ n-, Expr the
//     output voltage (E) or current (G), ExprKind "value".
//   - F (CCCS), H (CCVS): Nodes n+ n-, Controls the controlling voltage source, Value the
//     gain or transresistance.
//   - B: Nodes n+ n-, Expr the voltage (ExprKind "v") or current ("i").
//   - K: no nodes, Controls the two inductors, Value the coupling factor.
//
// An R, C or L whose value depends on probes, time or temper (R1 a b r='1k*(1+v(c))') has
// Expr with ExprKind "value" and HasValue false.
type Element struct {
	Name     string // lowercase, unique in the circuit, e.g. "r1", "x1.r1"
	Kind     byte   // lowercase first letter: 'r', 'c', 'l', 'v', 'i', ...
	HasValue bool   // the element's primary value (ohms, farads, henries, gain) was given; beside Kind, which it packs with
	Nodes    []string
	NodePos  []Pos
	Model    string // model name (lowercase, flat: "x1.dmod" for a model of a subcircuit) where the element refers to one
	Value    float64
	Pos      Pos
	ValuePos Pos // of the value, where HasValue or Expr

	// extra holds what most elements leave empty (see Type, Args, Params, Source,
	// ModelPos, Expr, ExprKind, Controls and Poly): nil for a plain R or C, which is
	// then 152 bytes, not 280 (a large netlist holds hundreds of thousands of them).
	extra *elementExtra
}

// elementExtra is what an element has beyond its name, nodes, model and value: nil for
// most elements. The setters of its public fields make a new one (an element copied
// by value, changed and built again, as .alter and .step do, leaves the original alone).
type elementExtra struct {
	typ      string
	args     []Arg
	params   []Param
	source   *Source
	modelPos Pos
	expr     expr.Node
	exprKind string

	controls   []string
	controlPos []Pos
	poly       *Poly
}

// Type is the device type of a Y element: "memristor" for YMEMRISTOR.
func (e *Element) Type() string { return e.read().typ }

// Args are the positional words or numbers left after nodes, value and model: area,
// off, on.
func (e *Element) Args() []Arg { return e.read().args }

// Params are the element's name=value pairs, in order.
func (e *Element) Params() []Param { return e.read().params }

// Source is the value of a V or I source; nil for other elements.
func (e *Element) Source() *Source { return e.read().source }

// ModelPos is the place of the model name, where Model is set.
func (e *Element) ModelPos() Pos { return e.read().modelPos }

// Expr is an expression the element computes while simulating, after folding:
// parameters substituted, .func calls inlined, constant parts computed; what remains
// depends on probes (v(node), v(n1,n2), i(source), with flat names), time, temper or
// hertz. nil for most elements.
func (e *Element) Expr() expr.Node { return e.read().expr }

// ExprKind says what Expr gives: "v" or "i" for B, "value" for E and G (output) and
// for R, C, L (resistance, capacitance, inductance); empty without Expr.
func (e *Element) ExprKind() string { return e.read().exprKind }

// SetType sets Type.
func (e *Element) SetType(t string) { e.changed().typ = t }

// SetArgs sets Args.
func (e *Element) SetArgs(a []Arg) { e.changed().args = a }

// SetParams sets Params.
func (e *Element) SetParams(p []Param) { e.changed().params = p }

// SetSource sets Source.
func (e *Element) SetSource(s *Source) { e.changed().source = s }

// SetModelPos sets ModelPos.
func (e *Element) SetModelPos(p Pos) { e.changed().modelPos = p }

// SetExpr sets Expr and ExprKind.
func (e *Element) SetExpr(x expr.Node, kind string) {
	r := e.changed()
	r.expr, r.exprKind = x, kind
}

// noExtra is what read gives for an element without extra: empty, and never written.
var noExtra elementExtra

// read is e.extra for reading: noExtra when nil.
func (e *Element) read() *elementExtra {
	if e.extra == nil {
		return &noExtra
	}
	return e.extra
}

// changed is a new copy of e.extra (an empty one when nil), made e's.
func (e *Element) changed() *elementExtra {
	r := &elementExtra{}
	if e.extra != nil {
		*r = *e.extra
	}
	e.extra = r
	return r
}

// Controls names the elements this one refers to: the controlling voltage source of F
// and H, the two inductors of K (lowercase, flat names; the parser checks that they
// exist and are of that kind).
func (e *Element) Controls() []string { return e.read().controls }

// ControlPos are the places of the names Controls lists.
func (e *Element) ControlPos() []Pos { return e.read().controlPos }

// AddControl appends an element this one refers to, and its place (see Controls).
func (e *Element) AddControl(name string, pos Pos) {
	r := e.more()
	r.controls = append(r.controls, name)
	r.controlPos = append(r.controlPos, pos)
}

// Poly is the polynomial of a POLY(n) E, F, G or H (poly.go); nil otherwise.
func (e *Element) Poly() *Poly { return e.read().poly }

// SetPoly makes p the element's polynomial (see Poly).
func (e *Element) SetPoly(p *Poly) { e.more().poly = p }

// more is e.extra, made when nil: for the elaboration, which fills an element it has
// just made (the public setters make a new one instead, see elementExtra).
func (e *Element) more() *elementExtra {
	if e.extra == nil {
		e.extra = &elementExtra{}
	}
	return e.extra
}

// Param returns the named parameter (lowercase name) and whether it was given.
func (e *Element) Param(name string) (Param, bool) {
	for _, p := range e.Params() {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Arg is a positional word or number.
type Arg struct {
	Word     string // lowercase; empty for a number
	Number   float64
	IsNumber bool
	Pos      Pos
}

// Param is name=value on an element or a model card.
type Param struct {
	Name  string  // lowercase
	Value float64 // the value; for a vector parameter, its first value
	// List holds every value of a vector parameter, one or more, as in IC=0.6,5 on a
	// BJT (commas or blanks between them); it is nil for the other parameters.
	List []float64
	Pos  Pos
	// Expr is set when the value depends on temper (is='1e-12*temper'): the folded
	// expression, to evaluate at the circuit's temperature; Value is then its value at
	// 27 °C. It is nil for a constant.
	Expr expr.Node
}

// Source is the value of an independent V or I source.
type Source struct {
	DC      float64
	HasDC   bool // DC was written (V1 a b 5, DC 5); else .op uses the waveform's value at t=0
	ACMag   float64
	ACPhase float64 // degrees
	HasAC   bool
	Wave    *Waveform // nil for a DC source
	Port    *Port     // an RF port of .sp (portnum N [z0 R] [pwr P] [freq F]): sp.go; nil for most
}

// Waveform is a transient source function with its arguments as written;
// defaults that depend on the analysis (tstep, tstop) are resolved by the device.
//
//	pulse    v1 v2 [td tr tf pw per np]
//	sin      vo va [freq td theta phase]
//	exp      v1 v2 [td1 tau1 td2 tau2]
//	pwl      t1 v1 [t2 v2 ...]
//	sffm     vo va [fc mdi fs phasec phases x]  vo + va*sin(2π fc t + phasec +
//	         mdi*sin(2π fs t + phases)) on ngspice 39, phases in degrees (measured; a
//	         zero or absent fc or fs is 1/tstop; the 8th argument is ignored). Newer
//	         ngspice manuals write SFFM(VO VA FM MDI FC TD PHASEM PHASEC).
//	am       va vo [mf fc td phasec phases x]  0 up to td, then va*(vo + sin(2π mf τ +
//	         phases))*sin(2π fc τ + phases), τ = t-td, on ngspice 39 (measured: a zero
//	         or absent mf is 1/tstop, an absent fc is 0, phasec and the 8th argument
//	         are ignored). Newer manuals write AM(VO VMO VMA FM FC TD PHASEM PHASEC).
//	trnoise  na nt [nalpha namp rtsam rtscapt rtsemt]
//	trrandom type ts [td param1 param2]
type Waveform struct {
	Kind string    // "pulse", "sin", "pwl", "exp", "sffm", "am", "trnoise", "trrandom"
	Args []float64 // as written, in order; pwl: t1 v1 t2 v2 ... (read from File, if given)
	Pos  Pos

	// PWL's options, as ngspice 39 defines them: r= repeats the points from the one at
	// time Repeat (one of the t's, before the last) to the last, for ever; td= delays the
	// whole waveform by Delay. File is LTspice's file=, the data file the points were read
	// from, as written ("" for points written on the line).
	Repeat    float64
	HasRepeat bool
	Delay     float64
	File      string
}

// Model is a .model card. Its parameter names are checked by the device that uses it.
type Model struct {
	Name   string // lowercase
	Type   string // lowercase: "r", "d", "nmos", "npn", "sw", "memristor", ...
	Params []Param
	// Version is the text of version=... as written (3.3.0, 4.8.1: not numbers), kept
	// out of Params; empty when not given. level=N is an ordinary parameter.
	Version    string
	VersionPos Pos
	// LevelName is a level given as a word (level=diffusive on a memristor model), kept
	// out of Params; a numeric level=N stays an ordinary parameter.
	LevelName string
	LevelPos  Pos
	// Files are the parameters that name data files (fxpdata=fxp_table.csv of Xyce's PEM
	// memristor), kept out of Params, with the files' contents.
	Files []ModelFile
	Pos   Pos
}

// ModelFile is a model parameter that names a data file: the name as written (relative
// paths are read from the folder of the netlist that names them) and the file's bytes.
type ModelFile struct {
	Name string // the parameter, lowercase
	Path string // as written
	Data []byte
	Pos  Pos // of the file name
}

// Analysis is one analysis line: *OP or *Tran (dc and ac follow).
type Analysis interface {
	Name() string // "op", "tran": the file suffix of its output
	Position() Pos
}

// OP is .op.
type OP struct{ Pos Pos }

// Tran is .tran tstep tstop [tstart [tmax]] [uic]. Zero Start and MaxStep mean not given.
type Tran struct {
	Step, Stop, Start, MaxStep float64
	UIC                        bool
	Pos                        Pos
}

func (*OP) Name() string      { return "op" }
func (a *OP) Position() Pos   { return a.Pos }
func (*Tran) Name() string    { return "tran" }
func (a *Tran) Position() Pos { return a.Pos }

// AC is .ac dec|oct|lin points fstart fstop: Points per decade or octave, or in all for lin.
type AC struct {
	Sweep       string // "dec", "oct", "lin"
	Points      int
	Start, Stop float64
	Pos         Pos
}

// DC is .dc src start stop step [src2 start2 stop2 step2]; the first sweep is the inner loop.
type DC struct {
	Sweeps []DCSweep
	Pos    Pos
}

// DCSweep is one swept source (or "temp") of a .dc line.
type DCSweep struct {
	Source            string // lowercase
	Start, Stop, Step float64
	Pos               Pos
}

func (*AC) Name() string    { return "ac" }
func (a *AC) Position() Pos { return a.Pos }
func (*DC) Name() string    { return "dc" }
func (a *DC) Position() Pos { return a.Pos }

// Option is one key of .options; Value is set for numeric keys, Str for words (method=gear).
type Option struct {
	Name  string // lowercase
	Value float64
	Str   string // lowercase; empty for a number
	Pos   Pos
}

// IC is .ic v(node)=value (or .nodeset's).
type IC struct {
	Node  string
	Value float64
	Pos   Pos
}

// Vector names an output: "v(out)", "v(a,b)", "i(v1)", "state(y1.f)", and in .ac the
// parts of a complex one, "vdb(out)", "ip(v1)"; always lowercase. Name is the vector's
// name (the column of its values); the other fields say what it is, so that it need not
// be read again: String gives Name back from them.
type Vector struct {
	Name   string
	Kind   VectorKind
	Nodes  []string // VectorVoltage: the node, or the two of v(a,b) (flat names; gnd is 0)
	Device string   // VectorCurrent: the element of i(v1); VectorState: the device of state(y1.f); VectorInternal: of @r1[i]
	Var    string   // VectorState: the state variable of state(y1.f); VectorInternal: the parameter of @r1[i]
	Part   ACPart   // the part of a complex vector that vm(), vp(), vdb(), vr(), vi() (and im() ...) show
	Pos    Pos
	Bare   bool      // written as a node's name alone (out for v(out)): ngspice's .print names its column so
	Expr   expr.Node // VectorExpr: the folded expression; its probes read flat names
	// Ammeters are the zero-volt sources of a .probe p(dev) (VectorPower): the current
	// into each terminal, whose node is Nodes[k]; the power is the sum of v(Nodes[k])
	// times their currents, or with one ammeter, v(Nodes[0], Nodes[1]) times its current.
	Ammeters []string
}

// VectorKind says what an output vector is.
type VectorKind int

const (
	VectorVoltage  VectorKind = iota + 1 // v(a), v(a,b), a bare node name
	VectorCurrent                        // i(v1), v1#branch: a source's, inductor's or device's current
	VectorState                          // state(y1.f): a device's state variable
	VectorAll                            // all: every node voltage, branch current and state
	VectorInternal                       // @device[param], ngspice's device parameters
	VectorPower                          // Xyce's p(device): the power a device takes
	VectorExpr                           // Xyce's {expression} of node voltages and currents
)

// ACPart is the part of a complex (.ac) vector that an output shows.
type ACPart int

const (
	ACNone  ACPart = iota // v(), i(): the vector itself
	ACReal                // vr(), ir()
	ACImag                // vi(), ii()
	ACMag                 // vm(), im(): the magnitude
	ACPhase               // vp(), ip(): the phase, in degrees
	ACDB                  // vdb(), idb(): 20 log10 of the magnitude
)

// acSuffix is the letters of each part after v or i: vdb, ip.
var acSuffix = [...]string{ACNone: "", ACReal: "r", ACImag: "i", ACMag: "m", ACPhase: "p", ACDB: "db"}

// String is the vector's canonical name, built from its fields: v(out), v(a,b),
// vdb(out), i(v1), im(v1), state(y1.f), all, @r1[i]; "" for the zero Vector. It is
// the same as Name.
func (v Vector) String() string {
	part := ""
	if v.Part >= 0 && int(v.Part) < len(acSuffix) {
		part = acSuffix[v.Part]
	}
	switch v.Kind {
	case VectorVoltage:
		return "v" + part + "(" + strings.Join(v.Nodes, ",") + ")"
	case VectorCurrent:
		return "i" + part + "(" + v.Device + ")"
	case VectorState:
		if v.Var == "" {
			return "state(" + v.Device + ")"
		}
		return "state(" + v.Device + "." + v.Var + ")"
	case VectorAll:
		return "all"
	case VectorPower:
		return "p(" + v.Device + ")"
	case VectorInternal:
		if v.Var == "" {
			return "@" + v.Device
		}
		return "@" + v.Device + "[" + v.Var + "]"
	case VectorExpr:
		return v.Name // the expression as written
	}
	return ""
}

// Print is a .print line: its analysis type ("tran", "op", "dc", "ac") and vectors.
type Print struct {
	Type    string
	Vectors []Vector
	Pos     Pos
}
