package parser

import "fmt"

// Pos is a place in a netlist file. Line and Col count from 1.
type Pos struct {
	File string
	Line int
	Col  int
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
	ICs      []IC       // .ic v(node)=value
	Saves    []Vector   // .save
	Prints   []Print    // .print
	Warnings []*Error   // things accepted but worth telling the user (unknown options, ignored lines)

	// Temp is the circuit temperature in °C given by .temp (the last .temp line; its
	// first value). ngspice reads .temp t as .options temp=t, so when both are written
	// the later of TempPos and the option's Pos wins; the parser keeps both as written.
	Temp    float64
	HasTemp bool
	TempPos Pos // of the value
}

// Element is one element line: R1 a b 1k, V1 in 0 PULSE(...), M1 d g s b nmod W=1u ...
//
// The elements with a model (D, M, Q, S) have their nodes in Nodes (Q: 3, or 4 with the
// substrate), the model name in Model, their positional words in Args (a number right
// after the model of D and Q is the area, Args[0] with IsNumber; the flags off, and on
// for S, are Words) and their name=value pairs in Params, unvalidated: the device
// checks the names.
type Element struct {
	Name     string // lowercase, unique in the circuit, e.g. "r1"
	Kind     byte   // lowercase first letter: 'r', 'c', 'l', 'v', 'i', ...
	Type     string // the device type of a Y element: "memristor" for YMEMRISTOR
	Nodes    []string
	NodePos  []Pos
	Model    string // model name (lowercase) where the element refers to one
	Value    float64
	HasValue bool    // the element's primary value (ohms, farads, henries) was given
	Args     []Arg   // positional words or numbers left after nodes, value and model: area, off, on
	Params   []Param // name=value pairs, in order
	Source   *Source // V and I sources
	Pos      Pos
	ValuePos Pos // of the value, where HasValue
	ModelPos Pos // of the model name, where Model is set
}

// Param returns the named parameter (lowercase name) and whether it was given.
func (e *Element) Param(name string) (Param, bool) {
	for _, p := range e.Params {
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
}

// Source is the value of an independent V or I source.
type Source struct {
	DC      float64
	HasDC   bool // DC was written (V1 a b 5, DC 5); else .op uses the waveform's value at t=0
	ACMag   float64
	ACPhase float64 // degrees
	HasAC   bool
	Wave    *Waveform // nil for a DC source
}

// Waveform is a transient source function with its arguments as written;
// defaults that depend on the analysis (tstep, tstop) are resolved by the device.
type Waveform struct {
	Kind string    // "pulse", "sin", "pwl", "exp"
	Args []float64 // as written, in order; pwl: t1 v1 t2 v2 ...
	Pos  Pos
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
	Pos       Pos
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

// IC is .ic v(node)=value.
type IC struct {
	Node  string
	Value float64
	Pos   Pos
}

// Vector names an output: "v(out)", "v(a,b)", "i(v1)", "state(y1.f)"; always lowercase.
type Vector struct {
	Name string
	Pos  Pos
}

// Print is a .print line: its analysis type ("tran", "op", "dc", "ac") and vectors.
type Print struct {
	Type    string
	Vectors []Vector
	Pos     Pos
}
