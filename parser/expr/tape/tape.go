// Package tape compiles a folded expression (numbers, probes, time, temper, hertz,
// operators and built-in functions) into a flat program that computes its value and its
// exact derivatives with no allocation: the one evaluator of B sources, behavioural R, C
// and L, and the par('...') signals of .meas.
package tape

import (
	"fmt"
	"maps"
	"math"

	"github.com/gospice/gospice/parser/expr"
)

// A Tape is an expression compiled once into a flat list of instructions over a
// preallocated array of values, so that an evaluation walks no tree and allocates
// nothing. It computes the value and, by forward-mode automatic differentiation, its
// partial derivatives with respect to each distinct probe (v(a), v(a,b), i(vx)), exact
// but for a division's, which are ngspice's (see applyOp): every slot holds a value and
// a dense gradient of nvar entries.
//
// The slots are laid out as: the probes (their gradients are unit vectors), then time
// and hertz, then the constants (temper is one: the circuit temperature), then one slot
// per instruction result. Only instruction results are ever written during evaluation,
// so the gradients of the leading slots are set once, at compile time.
type Tape struct {
	code   []instr
	src    []expr.Node // the expression node of each instruction, for error messages
	val    []float64   // the initial value of every slot (the constants set)
	grad   []float64   // the initial gradient of every slot, nvar entries each
	nvar   int
	probes []*expr.Probe // the distinct probes, in slot order
	result int32
	hertz  bool // the expression reads hertz
	time   bool // the expression reads time
	nddt   int  // the distinct ddt() calls

	fudge float64 // what a division adds to its divisor's magnitude: ngspice's 1e-20*gmin
}

// A Workspace is what evaluating a Tape writes: the value and gradient of every slot and
// the first failure. A Tape is never written after Compile, so any number of workspaces
// (one per run, per goroutine) evaluate one Tape at once.
type Workspace struct {
	t    *Tape
	val  []float64
	grad []float64

	// The first failure of the last evaluation: the instruction whose value is not a
	// finite number (-1: none), with its operands. Kept as plain values so that a
	// failure is recorded without allocating; Fault builds the message.
	faultAt   int32
	faultArgs [2]float64
	faultGrad bool // the value was finite but a derivative was not

	// The first instruction of the last evaluation that stood in ngspice's value for one
	// that is not a finite number (-1: none), with its operand.
	standInAt  int32
	standInArg float64

	ddt []ddtHistory // per ddt() call of the tape
}

// NewWorkspace allocates a workspace for evaluating t, its probes, time and hertz at 0.
func (t *Tape) NewWorkspace() *Workspace {
	return &Workspace{t: t, val: append([]float64(nil), t.val...), grad: append([]float64(nil), t.grad...), faultAt: -1, standInAt: -1,
		ddt: make([]ddtHistory, t.nddt)}
}

const (
	slotTime  = 0 // offsets after the probes
	slotHertz = 1
)

// opcode is what one instruction computes.
type opcode uint8

const (
	opMov opcode = iota // dst = a
	opJz                // jump to instruction b if a is zero
	opJmp               // jump to instruction b

	// unary: dst = f(a)
	opNeg
	opNot
	opAbs
	opSqrt
	opExp
	opLn
	opLog10
	opSin
	opCos
	opTan
	opAsin
	opAcos
	opAtan
	opSinh
	opCosh
	opTanh
	opAsinh
	opAcosh
	opAtanh
	opFloor
	opCeil
	opTrunc
	opNint
	opSgn
	opStep  // u(x)
	opRamp  // uramp(x)
	opStep2 // u2(x)
	opDdt   // ddt(a), from the workspace's history of a (b is the ddt's index); not in applyOp

	// binary: dst = f(a, b)
	opAdd
	opSub
	opMul
	opDiv
	opPow // |a|^b: ngspice's x^y, x**y and pow(x,y)
	opPwr // sgn(a)*|a|^b
	opMod
	opAtan2
	opMin
	opMax
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opAnd
	opOr
)

// instr is one instruction: dst = op(a, b), or a jump to instruction b.
type instr struct {
	op        opcode
	dst, a, b int32
}

var unaryOps = map[string]opcode{
	"abs": opAbs, "sqrt": opSqrt, "exp": opExp, "ln": opLn, "log": opLn, "log10": opLog10,
	"sin": opSin, "cos": opCos, "tan": opTan, "asin": opAsin, "acos": opAcos, "atan": opAtan,
	"sinh": opSinh, "cosh": opCosh, "tanh": opTanh, "asinh": opAsinh, "acosh": opAcosh, "atanh": opAtanh,
	"floor": opFloor, "ceil": opCeil, "int": opTrunc, "nint": opNint, "sgn": opSgn,
	"u": opStep, "uramp": opRamp, "u2": opStep2,
}

var binaryOps = map[string]opcode{
	"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "^": opPow, "%": opMod,
	"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe, "&&": opAnd, "||": opOr,
	"pow": opPow, "pwr": opPwr, "atan2": opAtan2, "min": opMin, "max": opMax,
}

var opNames = map[opcode]string{
	opNeg: "-", opNot: "!", opAbs: "abs", opSqrt: "sqrt", opExp: "exp", opLn: "ln", opLog10: "log10",
	opSin: "sin", opCos: "cos", opTan: "tan", opAsin: "asin", opAcos: "acos", opAtan: "atan",
	opSinh: "sinh", opCosh: "cosh", opTanh: "tanh", opAsinh: "asinh", opAcosh: "acosh", opAtanh: "atanh",
	opFloor: "floor", opCeil: "ceil", opTrunc: "int", opNint: "nint", opSgn: "sgn", opStep: "u",
	opRamp: "uramp", opStep2: "u2", opDdt: "ddt",
	opAdd: "+", opSub: "-", opMul: "*", opDiv: "/", opPow: "^", opPwr: "pwr", opMod: "%", opAtan2: "atan2",
	opMin: "min", opMax: "max", opEq: "==", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">=",
	opAnd: "&&", opOr: "||",
}

// Env is what a tape needs to know when it is compiled.
type Env struct {
	Temp float64 // temper, in degrees Celsius
	Gmin float64 // sets what a division adds to its divisor, as ngspice's B source does
	// Ddt allows ddt(): its caller keeps the history, calling AcceptDdt at every accepted
	// time point (a .meas expression has no time points of its own).
	Ddt bool
}

// compiler builds a tape. Common subexpressions (as .func inlining and repeated terms
// produce) share one slot, within the branch of a ternary where they were first computed.
type compiler struct {
	t      *Tape
	env    Env
	probes map[string]int32 // probe name -> slot
	consts map[float64]int32
	memo   map[memoKey]int32
	vals   []float64 // initial values of every slot
	nslots int32
}

// memoKey identifies a computed value: an operation by its opcode and operand slots, so
// that equal subexpressions share a slot without their text being built; a ternary, whose
// branches are compiled lazily into jumps, by its text.
type memoKey struct {
	op   opcode
	a, b int32
	text string // a ternary's; "" for an operation
}

// Compile compiles n, a folded expression: what remains in it are numbers, probes,
// time, temper, hertz, operators and built-in functions.
func Compile(n expr.Node, env Env) (*Tape, error) {
	if n == nil {
		return nil, fmt.Errorf("empty expression")
	}
	// First pass: the distinct probes, which take the first slots.
	c := &compiler{t: &Tape{fudge: 1e-20 * env.Gmin}, env: env,
		probes: map[string]int32{}, consts: map[float64]int32{}, memo: map[memoKey]int32{}}
	expr.Walk(n, func(n expr.Node) bool {
		if p, ok := n.(*expr.Probe); ok {
			name := expr.ProbeName(p)
			if _, seen := c.probes[name]; !seen {
				c.probes[name] = int32(len(c.t.probes))
				c.t.probes = append(c.t.probes, p)
			}
		}
		return true
	})
	nvar := len(c.t.probes)
	c.t.nvar = nvar
	c.nslots = int32(nvar) + 2 // the probes, time, hertz
	c.vals = make([]float64, c.nslots)
	r, err := c.node(n)
	if err != nil {
		return nil, err
	}
	t := c.t
	if !c.written(r) {
		// The result is a leaf: copy it into a slot of its own, so that the result is
		// always an instruction's and the evaluation can check it the same way.
		dst := c.newSlot()
		c.emit(instr{op: opMov, dst: dst, a: r}, n)
		r = dst
	}
	t.result = r
	t.val = c.vals
	t.grad = make([]float64, int(c.nslots)*nvar)
	for k := 0; k < nvar; k++ {
		t.grad[k*nvar+k] = 1
	}
	return t, nil
}

// written reports whether an instruction writes slot s (else it is a probe, a variable
// or a constant).
func (c *compiler) written(s int32) bool {
	for _, in := range c.t.code {
		if in.op != opJz && in.op != opJmp && in.dst == s {
			return true
		}
	}
	return false
}

func (c *compiler) newSlot() int32 {
	s := c.nslots
	c.nslots++
	c.vals = append(c.vals, 0)
	return s
}

func (c *compiler) constant(v float64) int32 {
	if s, ok := c.consts[v]; ok && !math.IsNaN(v) {
		return s
	}
	s := c.newSlot()
	c.vals[s] = v
	c.consts[v] = s
	return s
}

func (c *compiler) emit(in instr, src expr.Node) int {
	c.t.code = append(c.t.code, in)
	c.t.src = append(c.t.src, src)
	return len(c.t.code) - 1
}

// node compiles n and returns the slot that holds its value.
func (c *compiler) node(n expr.Node) (int32, error) {
	switch n := n.(type) {
	case *expr.Num:
		return c.constant(n.Value), nil
	case *expr.Probe:
		return c.probes[expr.ProbeName(n)], nil
	case *expr.Ident:
		switch n.Name {
		case "time":
			c.t.time = true
			return int32(c.t.nvar) + slotTime, nil
		case "hertz":
			c.t.hertz = true
			return int32(c.t.nvar) + slotHertz, nil
		case "temper":
			return c.constant(c.env.Temp), nil
		}
		if v, ok := expr.Constants[n.Name]; ok {
			return c.constant(v), nil
		}
		return 0, fmt.Errorf("unknown name %q", n.Name)
	}
	return c.compute(n)
}

// compute compiles an operation node.
func (c *compiler) compute(n expr.Node) (int32, error) {
	switch n := n.(type) {
	case *expr.Unary:
		x, err := c.node(n.X)
		if err != nil {
			return 0, err
		}
		switch n.Op {
		case "+":
			return x, nil
		case "-":
			return c.op(opNeg, x, x, n), nil
		case "!":
			return c.op(opNot, x, x, n), nil
		}
		return 0, fmt.Errorf("unknown operator %q", n.Op)
	case *expr.Binary:
		op, ok := binaryOps[n.Op]
		if !ok {
			return 0, fmt.Errorf("unknown operator %q", n.Op)
		}
		x, err := c.node(n.X)
		if err != nil {
			return 0, err
		}
		y, err := c.node(n.Y)
		if err != nil {
			return 0, err
		}
		return c.op(op, x, y, n), nil
	case *expr.Ternary:
		return c.ternary(n.Cond, n.Then, n.Else, n)
	case *expr.Call:
		return c.call(n)
	}
	return 0, fmt.Errorf("unexpected %T in an expression", n)
}

// op emits dst = op(a, b), or returns the slot where the same operation on the same
// operands was already computed.
func (c *compiler) op(op opcode, a, b int32, src expr.Node) int32 {
	key := memoKey{op: op, a: a, b: b}
	if s, ok := c.memo[key]; ok {
		return s
	}
	dst := c.newSlot()
	c.emit(instr{op: op, dst: dst, a: a, b: b}, src)
	c.memo[key] = dst
	return dst
}

// ternary compiles cond ? then : else with jumps, so that only the branch the condition
// selects is computed, as ngspice does (x > 0 ? sqrt(x) : 0 is defined everywhere).
// Subexpressions first computed inside a branch are not reused outside it.
func (c *compiler) ternary(cond, then, els, src expr.Node) (int32, error) {
	key := memoKey{op: opJz, text: expr.String(src)}
	if s, ok := c.memo[key]; ok {
		return s, nil
	}
	cs, err := c.node(cond)
	if err != nil {
		return 0, err
	}
	dst := c.newSlot()
	jz := c.emit(instr{op: opJz, a: cs}, src)
	outer := c.memo
	c.memo = maps.Clone(outer)
	ts, err := c.node(then)
	if err != nil {
		return 0, err
	}
	c.emit(instr{op: opMov, dst: dst, a: ts}, src)
	jmp := c.emit(instr{op: opJmp}, src)
	c.t.code[jz].b = int32(len(c.t.code))
	c.memo = maps.Clone(outer)
	es, err := c.node(els)
	if err != nil {
		return 0, err
	}
	c.emit(instr{op: opMov, dst: dst, a: es}, src)
	c.t.code[jmp].b = int32(len(c.t.code))
	c.memo = outer
	c.memo[key] = dst
	return dst, nil
}

func (c *compiler) call(n *expr.Call) (int32, error) {
	args := n.Args
	b, ok := expr.Builtins[n.Func]
	if !ok {
		return 0, fmt.Errorf("unknown function %q", n.Func)
	}
	if len(args) < b.Min || b.Max >= 0 && len(args) > b.Max {
		// Fold has checked the calls of a folded expression.
		return 0, fmt.Errorf("%s() with %s", n.Func, expr.Plural(len(args), "argument"))
	}
	switch n.Func {
	case "ternary_fcn", "if":
		return c.ternary(args[0], args[1], args[2], n)
	case "ddt":
		return c.ddt(n)
	}
	slots := make([]int32, len(args))
	for i, a := range args {
		s, err := c.node(a)
		if err != nil {
			return 0, err
		}
		slots[i] = s
	}
	if op, ok := unaryOps[n.Func]; ok {
		return c.op(op, slots[0], slots[0], n), nil
	}
	switch n.Func {
	case "min", "max":
		// min(a, b, c) is min(min(a, b), c).
		r := slots[0]
		for _, s := range slots[1:] {
			r = c.op(binaryOps[n.Func], r, s, n)
		}
		return r, nil
	case "limit":
		// limit(x, a, b) clamps x between a and b, in either order: max(lo, min(x, hi)).
		lo := c.op(opMin, slots[1], slots[2], n)
		hi := c.op(opMax, slots[1], slots[2], n)
		return c.op(opMax, lo, c.op(opMin, slots[0], hi, n), n), nil
	}
	if op, ok := binaryOps[n.Func]; ok {
		return c.op(op, slots[0], slots[1], n), nil
	}
	return 0, fmt.Errorf("unknown function %q", n.Func)
}

// ddt compiles ddt(x): an instruction that records x and reads the history of its
// accepted values. Calls of ddt on the same x share one history.
func (c *compiler) ddt(n *expr.Call) (int32, error) {
	if !c.env.Ddt {
		return 0, fmt.Errorf("ddt() is only available in the expression of a B source or a behavioural E, G, R, C or L")
	}
	x, err := c.node(n.Args[0])
	if err != nil {
		return 0, err
	}
	key := memoKey{op: opDdt, a: x}
	if s, ok := c.memo[key]; ok {
		return s, nil
	}
	dst := c.newSlot()
	c.emit(instr{op: opDdt, dst: dst, a: x, b: int32(c.t.nddt)}, n)
	c.t.nddt++
	c.memo[key] = dst
	return dst, nil
}

// Probes lists the distinct probes of the expression, in the order of SetProbe and
// Gradient.
func (t *Tape) Probes() []*expr.Probe { return t.probes }

// SetProbe gives probe k its value for the next evaluation; Probe reads it back.
func (w *Workspace) SetProbe(k int, v float64) { w.val[k] = v }
func (w *Workspace) Probe(k int) float64       { return w.val[k] }

// SetTime and SetHertz give time and hertz their values for the next evaluation; both
// are 0 until set.
func (w *Workspace) SetTime(time float64)   { w.val[w.t.nvar+slotTime] = time }
func (w *Workspace) SetHertz(hertz float64) { w.val[w.t.nvar+slotHertz] = hertz }

// ReadsHertz reports whether the expression reads hertz.
func (t *Tape) ReadsHertz() bool { return t.hertz }

// ReadsTime reports whether the expression reads time.
func (t *Tape) ReadsTime() bool { return t.time }

// Value is the result of the last evaluation; Gradient its partial derivatives, one per
// probe in Probes order (the slice is the tape's own, overwritten by the next Eval).
func (w *Workspace) Value() float64 { return w.val[w.t.result] }
func (w *Workspace) Gradient() []float64 {
	r := int(w.t.result) * w.t.nvar
	return w.grad[r : r+w.t.nvar]
}

// Eval runs the tape with the probe values, time and hertz set. It reports whether every
// value and derivative is a finite number, each function's own; if not, the first failure
// is recorded for Fault. Where ngspice's B source stands in a finite value for one that
// is not (ln(0) is -1e99, exp beyond overflow 1e99), so does Eval: it still reports false,
// but StandIn reports true and Value and Gradient hold those values.
func (w *Workspace) Eval() bool {
	t := w.t
	w.faultAt, w.standInAt = -1, -1
	for k := range w.ddt {
		w.ddt[k].evaluated = false
	}
	val, grad, nv := w.val, w.grad, t.nvar
	code := t.code
	for pc := 0; pc < len(code); pc++ {
		in := code[pc]
		switch in.op {
		case opJz:
			if val[in.a] == 0 {
				pc = int(in.b) - 1
			}
			continue
		case opJmp:
			pc = int(in.b) - 1
			continue
		case opDdt:
			h := &w.ddt[in.b]
			h.arg, h.evaluated = val[in.a], true
			val[in.dst] = h.value(val[nv+slotTime])
			if nv > 0 {
				clear(grad[int(in.dst)*nv : int(in.dst)*nv+nv])
			}
			continue
		}
		a, b := val[in.a], val[in.b]
		v, da, db, standIn := applyOp(in.op, a, b, t.fudge)
		val[in.dst] = v
		if standIn && w.standInAt < 0 {
			w.standInAt, w.standInArg = int32(pc), a
		}
		if v-v != 0 { // NaN or infinite
			w.faultAt, w.faultArgs, w.faultGrad = int32(pc), [2]float64{a, b}, false
			return false
		}
		if nv == 0 {
			continue
		}
		d := grad[int(in.dst)*nv : int(in.dst)*nv+nv]
		ga := grad[int(in.a)*nv : int(in.a)*nv+nv]
		if in.op < opAdd || db == 0 {
			for k := range d {
				d[k] = da * ga[k]
			}
		} else {
			gb := grad[int(in.b)*nv : int(in.b)*nv+nv]
			for k := range d {
				d[k] = da*ga[k] + db*gb[k]
			}
		}
	}
	for _, g := range w.Gradient() {
		if g-g != 0 {
			w.faultAt, w.faultGrad = -2, true
			return false
		}
	}
	return w.standInAt < 0
}

// ddtHistory is what ddt(x) keeps of x: its value at the last evaluation and at the last
// two accepted transient time points after the initial one.
type ddtHistory struct {
	arg       float64 // x at the last evaluation
	evaluated bool    // the last evaluation computed x (not in an untaken ternary branch)
	t1, x1    float64 // the last accepted point
	t2, x2    float64 // the one before
	n         int     // how many of those two there are
}

// value is ddt(x) at time, as ngspice 39's B source has it: 0 in .op, .dc, .ac and at
// the transient's initial point (time 0), and until two time points after it are
// accepted; then the slope of x between the last two accepted points, whatever the
// present iterate. So ddt lags by a step and adds nothing to the Jacobian.
func (h *ddtHistory) value(time float64) float64 {
	if time == 0 || h.n < 2 {
		return 0
	}
	return (h.x1 - h.x2) / (h.t1 - h.t2)
}

// HasDdt reports whether the expression has a ddt() call, whose history AcceptDdt keeps.
func (t *Tape) HasDdt() bool { return t.nddt > 0 }

// AcceptDdt records, for each ddt(x), the x of the last evaluation as its value at the
// accepted time point of that evaluation: the caller evaluates at the accepted solution
// first. At the transient's initial point (tran false) it clears the history instead,
// so that a workspace serves one transient after another.
func (w *Workspace) AcceptDdt(tran bool) {
	time := w.val[w.t.nvar+slotTime]
	for k := range w.ddt {
		h := &w.ddt[k]
		switch {
		case !tran:
			*h = ddtHistory{}
		case h.evaluated:
			h.t2, h.x2 = h.t1, h.x1
			h.t1, h.x1 = time, h.arg
			h.n = min(h.n+1, 2)
		}
	}
}

// StandIn reports whether the last evaluation failed only where ngspice stands in a
// finite value (ln(0) = -1e99, exp(x) = 1e99 beyond overflow), which Value and Gradient
// then hold: a Newton iterate may pass there (ngspice's first iterate from zero meets
// ln(0)), but a solution there is out of the expression's domain.
func (w *Workspace) StandIn() bool { return w.faultAt == -1 && w.standInAt >= 0 }

// Fault describes the failure of the last evaluation, or is "".
func (w *Workspace) Fault() string {
	if w.faultGrad {
		return "a derivative of the expression is not a finite number"
	}
	at, a, b := w.faultAt, w.faultArgs[0], w.faultArgs[1]
	if at < 0 {
		at, a, b = w.standInAt, w.standInArg, 0
	}
	if at < 0 {
		return ""
	}
	in := w.t.code[at]
	what := expr.String(w.t.src[at])
	name := opNames[in.op]
	switch {
	case in.op == opMov:
		return fmt.Sprintf("%s is not a finite number", what)
	case in.op >= opAdd && (name[0] < 'a' || name[0] > 'z'):
		return fmt.Sprintf("%s is not a finite number (%g %s %g)", what, a, name, b)
	case in.op >= opAdd:
		return fmt.Sprintf("%s is not a finite number (%s(%g, %g))", what, name, a, b)
	}
	return fmt.Sprintf("%s is not a finite number (%s(%g))", what, name, a)
}

// applyOp computes one operation and its partial derivatives with respect to its operands.
// The values are ngspice's B-source functions'. Where a function has a kink the
// derivative is ngspice's one-sided choice: abs' = sgn (0 at 0), uramp'(0) = 0.5,
// min and max follow the operand that the comparison a-b < 0 (min) or > 0 (max)
// selects, the other one at a tie, and |x|^1 has slope 1 at 0 as x does. Where the true
// derivative is infinite at a single point (sqrt and |x|^y with 0 < y < 1 at 0, asin at
// ±1, acosh at 1) it is taken as 0, which lets Newton move off the point; ngspice's
// sqrt' is 1/(2*0 + 1e-32) there and its 0^(y-1) an error. ln(0) and exp beyond
// overflow are ngspice's stand-ins, reported by standIn.
func applyOp(op opcode, a, b, fudge float64) (v, da, db float64, standIn bool) {
	switch op {
	case opMov:
		return a, 1, 0, false
	case opNeg:
		return -a, -1, 0, false
	case opNot:
		return expr.Truth(a == 0), 0, 0, false
	case opAbs:
		return math.Abs(a), expr.Sgn(a), 0, false
	case opSqrt:
		if a < 0 {
			return math.NaN(), 0, 0, false
		}
		v = math.Sqrt(a)
		if v > 0 {
			da = 0.5 / v
		}
		return v, da, 0, false
	case opExp:
		// ngspice's exp is 1e99 beyond e^227.9559242 = 1e99, its derivative too; where
		// the true value overflows, that is a stand-in.
		if a > expArgMax {
			return huge, huge, 0, math.IsInf(math.Exp(a), 1)
		}
		v = math.Exp(a)
		return v, v, 0, false
	case opLn, opLog10:
		// ngspice: ln(0) is -1e99 (a Newton iterate from zero meets it), below 0 an
		// error; the derivative 1/x, or log10(e)/x, divides by x plus the fudge.
		scale := 1.0
		if op == opLog10 {
			scale = math.Log10E
		}
		switch {
		case a < 0 || a != a:
			return math.NaN(), 0, 0, false
		case a == 0:
			return -huge, scale / fudge, 0, true
		case op == opLog10:
			return math.Log10(a), scale / (a + fudge), 0, false
		}
		return math.Log(a), scale / (a + fudge), 0, false
	case opSin:
		return math.Sin(a), math.Cos(a), 0, false
	case opCos:
		return math.Cos(a), -math.Sin(a), 0, false
	case opTan:
		c := math.Cos(a)
		return math.Tan(a), 1 / (c * c), 0, false
	case opAsin, opAcos:
		if a < -1 || a > 1 {
			return math.NaN(), 0, 0, false
		}
		if a > -1 && a < 1 {
			da = 1 / math.Sqrt(1-a*a)
		}
		if op == opAcos {
			return math.Acos(a), -da, 0, false
		}
		return math.Asin(a), da, 0, false
	case opAtan:
		return math.Atan(a), 1 / (1 + a*a), 0, false
	case opSinh:
		return math.Sinh(a), math.Cosh(a), 0, false
	case opCosh:
		return math.Cosh(a), math.Sinh(a), 0, false
	case opTanh:
		v = math.Tanh(a)
		return v, 1 - v*v, 0, false
	case opAsinh:
		return math.Asinh(a), 1 / math.Sqrt(a*a+1), 0, false
	case opAcosh:
		if a < 1 {
			return math.NaN(), 0, 0, false
		}
		if a > 1 {
			da = 1 / math.Sqrt(a*a-1)
		}
		return math.Acosh(a), da, 0, false
	case opAtanh:
		if a <= -1 || a >= 1 {
			return math.NaN(), 0, 0, false
		}
		return math.Atanh(a), 1 / (1 - a*a), 0, false
	case opFloor:
		return math.Floor(a), 0, 0, false
	case opCeil:
		return math.Ceil(a), 0, 0, false
	case opTrunc:
		return math.Trunc(a), 0, 0, false
	case opNint:
		return math.RoundToEven(a), 0, 0, false
	case opSgn:
		return expr.Sgn(a), 0, 0, false
	case opStep:
		return expr.Step(a), 0, 0, false
	case opRamp:
		if a > 0 {
			return a, 1, 0, false
		}
		return 0, expr.Step(a), 0, false
	case opStep2:
		return math.Max(0, math.Min(1, a)), expr.Step(a) - expr.Step(a-1), 0, false
	case opAdd:
		return a + b, 1, 1, false
	case opSub:
		return a - b, 1, -1, false
	case opMul:
		return a * b, b, a, false
	case opDiv:
		// ngspice moves the divisor away from zero by a fudge (1e-20 * gmin), so that
		// x/0 is large rather than infinite, and its derivative d(a/b) is
		// (da*b - a*db) / (b^2 + fudge): at b = 0 it is a*db/fudge (1e32 for 1/x), not
		// the square of that, which keeps Newton's first step from zero as ngspice's.
		bf := b + fudge
		if b < 0 {
			bf = b - fudge
		}
		if bf == 0 {
			return math.NaN(), 0, 0, false
		}
		d := b*b + fudge
		return a / bf, b / d, -a / d, false
	case opPow, opPwr:
		m := math.Abs(a)
		if m == 0 {
			if b < 0 {
				return math.NaN(), 0, 0, false // 0 to a negative power
			}
			v = math.Pow(0, b) // 1 for b == 0, else 0
			if b == 1 {
				// |x| and sgn(x)|x| = x: slope 1 at 0, as ngspice gives (its
				// b*|a|^(b-1) is 1 there), so that Newton is not stuck at 0.
				return v, 1, 0, false
			}
			return v, 0, 0, false // 0 for b > 1, infinite for 0 < b < 1 (taken as 0)
		}
		v = math.Pow(m, b)
		da = b * v / m
		db = v * math.Log(m)
		if op == opPwr {
			// sgn(a)*|a|^b: the sign cancels in d/da.
			return expr.Sgn(a) * v, da, expr.Sgn(a) * db, false
		}
		return v, expr.Sgn(a) * da, db, false
	case opMod:
		if b == 0 {
			return math.NaN(), 0, 0, false
		}
		return math.Mod(a, b), 1, -math.Trunc(a / b), false
	case opAtan2:
		r := a*a + b*b
		if r == 0 {
			return math.Atan2(a, b), 0, 0, false
		}
		return math.Atan2(a, b), b / r, -a / r, false
	case opMin:
		v = a
		if a > b {
			v = b
		}
		if a-b < 0 {
			return v, 1, 0, false
		}
		return v, 0, 1, false
	case opMax:
		v = b
		if a > b {
			v = a
		}
		if a-b > 0 {
			return v, 1, 0, false
		}
		return v, 0, 1, false
	case opEq:
		return expr.Truth(a == b), 0, 0, false
	case opNe:
		return expr.Truth(a != b), 0, 0, false
	case opLt:
		return expr.Truth(a < b), 0, 0, false
	case opLe:
		return expr.Truth(a <= b), 0, 0, false
	case opGt:
		return expr.Truth(a > b), 0, 0, false
	case opGe:
		return expr.Truth(a >= b), 0, 0, false
	case opAnd:
		return expr.Truth(a != 0 && b != 0), 0, 0, false
	case opOr:
		return expr.Truth(a != 0 || b != 0), 0, 0, false
	}
	return math.NaN(), 0, 0, false
}

// huge is what ngspice's B source gives for ln(0) (negated) and for exp of more than
// expArgMax, where exp reaches it.
const (
	huge      = 1e99
	expArgMax = 227.9559242
)
