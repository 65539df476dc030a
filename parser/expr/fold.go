package expr

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Fold substitutes parameters (lookup), inlines the calls of user functions (funcs),
// and computes every part whose operands are all known, so that a constant expression
// becomes a *Num. Probes and the variables time, temper and hertz are left, and so is
// whatever depends on them. Fold never changes n; the nodes it makes are new.
//
// User functions are macros, as ngspice's .func: a call is replaced by the body with the
// arguments in place of the parameters, and the other names of the body are looked up
// where the call is. The nodes of an inlined body take the offset of the call, and
// errors inside it say which function they are in.
//
// Of c ? a : b (and ternary_fcn, if) with a known c, only the selected branch is
// computed; the other is only checked for unknown names, so that x == 0 ? 0 : 1/x with
// x = 0 folds to 0.
//
// Fold leaves the random functions unknown; FoldWith draws them.
func Fold(n Node, lookup func(name string) (float64, bool), funcs map[string]*Func) (Node, error) {
	return FoldWith(n, FoldOptions{Lookup: lookup, Funcs: funcs})
}

// FoldOptions are what FoldWith folds with.
type FoldOptions struct {
	Lookup func(name string) (float64, bool) // the parameters
	Funcs  map[string]*Func                  // the user functions

	// Rand gives the stream that a random function (see Random) draws from; it is
	// called for each call drawn, in the order of folding (operands left to right,
	// inlined bodies in place), and may give the same stream each time. An error
	// (random functions are not allowed there) fails the fold at the call. When Rand is
	// nil, the random functions are unknown, as in Fold.
	Rand func() (*rand.Rand, error)
}

// FoldWith is Fold with options; with Rand set, a random function whose arguments fold
// to constants is drawn and becomes a number, so that none survives folding. Its
// arguments must not depend on probes or variables: it is drawn once, when folding.
func FoldWith(n Node, o FoldOptions) (Node, error) {
	f := &folder{lookup: o.Lookup, funcs: o.Funcs, rand: o.Rand}
	out := f.fold(n)
	if f.err != nil {
		return nil, f.err
	}
	return out, nil
}

type folder struct {
	lookup func(string) (float64, bool)
	funcs  map[string]*Func
	rand   func() (*rand.Rand, error)
	stack  []string // the functions being inlined
	nodes  int
	err    *Error
	inBody bool // err has been placed in a function
}

func (f *folder) fail(e *Error) Node {
	if f.err == nil {
		f.err = e
	}
	return nil
}

// tooLarge reports an expression that grows past maxNodes as its functions are inlined;
// the error names the outermost function (Kind 'x'), so that a caller can refuse its
// other calls without inlining them again.
func (f *folder) tooLarge(off int) Node {
	e := &Error{Offset: off, Msg: fmt.Sprintf("expression too large (more than %d nodes with its functions inlined)", maxNodes)}
	if len(f.stack) > 0 {
		e.Name, e.Kind = f.stack[0], 'x'
		f.inBody = true // the message says it all
	}
	return f.fail(e)
}

func (f *folder) failf(off int, format string, args ...any) Node {
	return f.fail(&Error{Offset: off, Msg: fmt.Sprintf(format, args...)})
}

func (f *folder) known(name string) (float64, bool) {
	if f.lookup != nil {
		if v, ok := f.lookup(name); ok {
			return v, true
		}
	}
	v, ok := Constants[name]
	return v, ok
}

func (f *folder) fold(n Node) Node {
	if f.err != nil {
		return nil
	}
	f.nodes++
	if f.nodes > maxNodes {
		return f.tooLarge(n.Pos())
	}
	switch n := n.(type) {
	case *Num, *Probe:
		return n
	case *Ident:
		if Variables[n.Name] {
			return n
		}
		if v, ok := f.known(n.Name); ok {
			return &Num{Value: v, Offset: n.Offset}
		}
		return f.fail(&Error{Offset: n.Offset, Msg: fmt.Sprintf("unknown parameter %q", n.Name), Name: n.Name, Kind: 'p'})
	case *Unary:
		x := f.fold(n.X)
		if f.err != nil {
			return nil
		}
		if c, ok := IsConst(x); ok {
			return &Num{Value: unaryOp(n.Op, c), Offset: n.Offset}
		}
		return &Unary{Op: n.Op, X: x, Offset: n.Offset}
	case *Binary:
		return f.binary(n)
	case *Ternary:
		return f.ternary(n.Cond, n.Then, n.Else, n.Offset, func(c, a, b Node) Node {
			return &Ternary{Cond: c, Then: a, Else: b, Offset: n.Offset}
		})
	case *Call:
		return f.call(n)
	case nil:
		return f.failf(0, "empty expression")
	}
	return f.failf(n.Pos(), "unknown node %T", n)
}

func (f *folder) binary(n *Binary) Node {
	x := f.fold(n.X)
	y := f.fold(n.Y)
	if f.err != nil {
		return nil
	}
	cx, xok := IsConst(x)
	cy, yok := IsConst(y)
	switch {
	case xok && yok:
		v, err := binaryOp(n.Op, cx, cy)
		if err == nil {
			v, err = finiteOp(v, n.Offset, n.Op, cx, cy)
		}
		if err != nil {
			return f.failf(n.Offset, "%s", Message(err))
		}
		return &Num{Value: v, Offset: n.Offset}
	case xok && n.Op == "&&" && cx == 0, xok && n.Op == "||" && cx != 0:
		return &Num{Value: Truth(cx != 0), Offset: n.Offset}
	}
	return &Binary{Op: n.Op, X: x, Y: y, Offset: n.Offset}
}

// ternary folds a choice; make builds it again when the condition is not known.
func (f *folder) ternary(cond, then, els Node, off int, make func(c, a, b Node) Node) Node {
	c := f.fold(cond)
	if f.err != nil {
		return nil
	}
	if v, ok := IsConst(c); ok {
		chosen, other := then, els
		if v == 0 {
			chosen, other = els, then
		}
		f.checkNames(other)
		return f.fold(chosen)
	}
	a := f.fold(then)
	b := f.fold(els)
	if f.err != nil {
		return nil
	}
	return make(c, a, b)
}

// checkNames reports the unknown names and functions of a branch that is not computed.
func (f *folder) checkNames(n Node) {
	Walk(n, func(n Node) bool {
		if f.err != nil {
			return false
		}
		switch n := n.(type) {
		case *Ident:
			if _, ok := f.known(n.Name); !ok && !Variables[n.Name] {
				f.fail(&Error{Offset: n.Offset, Msg: fmt.Sprintf("unknown parameter %q", n.Name), Name: n.Name, Kind: 'p'})
			}
		case *Call:
			if fn, ok := f.funcs[n.Func]; ok {
				if len(n.Args) != len(fn.Params) {
					f.failf(n.Offset, "%s() takes %s, found %d", n.Func, Plural(len(fn.Params), "argument"), len(n.Args))
				}
				return true // its body is checked when it is inlined
			}
			if _, err, ok := expandAlias(n); ok {
				if err != nil {
					f.fail(err)
				}
				return true
			}
			if _, err := f.resolve(n); err != nil {
				f.fail(err)
			}
		}
		return true
	})
}

func (f *folder) call(n *Call) Node {
	if fn, ok := f.funcs[n.Func]; ok {
		return f.inline(n, fn)
	}
	if x, err, ok := expandAlias(n); ok { // alias.go
		if err != nil {
			return f.fail(err)
		}
		return f.fold(x)
	}
	r, err := f.resolve(n)
	if err != nil {
		return f.fail(err)
	}
	if r != nil {
		return f.random(n, r)
	}
	if n.Func == "ternary_fcn" || n.Func == "if" {
		return f.ternary(n.Args[0], n.Args[1], n.Args[2], n.Offset, func(c, a, b Node) Node {
			return &Call{Func: n.Func, Args: []Node{c, a, b}, Offset: n.Offset}
		})
	}
	args := make([]Node, len(n.Args))
	vals := make([]float64, len(n.Args))
	constant := true
	for i, a := range n.Args {
		args[i] = f.fold(a)
		if f.err != nil {
			return nil
		}
		var ok bool
		vals[i], ok = IsConst(args[i])
		constant = constant && ok
	}
	if constant {
		v, err := callBuiltin(n.Func, n.Offset, vals)
		if err != nil {
			return f.fail(err.(*Error))
		}
		return &Num{Value: v, Offset: n.Offset}
	}
	return &Call{Func: n.Func, Args: args, Offset: n.Offset}
}

// resolve finds what a call of a built-in or random function is: r is the random
// function when f draws them and the argument count is its own, else nil for a
// built-in. err reports an unknown function or a wrong argument count.
func (f *folder) resolve(n *Call) (r *RandomFunc, err *Error) {
	rf, random := Random[n.Func]
	random = random && f.rand != nil
	b, builtin := Builtins[n.Func]
	switch {
	case random && len(n.Args) == rf.Args:
		return &rf, nil
	case random && builtin && checkArgs(n.Func, b, len(n.Args), n.Offset) != nil:
		// limit: 2 arguments (random) or 3 (the clamp).
		return nil, &Error{Offset: n.Offset, Msg: fmt.Sprintf("%s() takes %d or %s, found %d", n.Func, rf.Args, Plural(b.Min, "argument"), len(n.Args))}
	case random && !builtin:
		b = Builtin{Min: rf.Args, Max: rf.Args}
	case !builtin:
		return nil, &Error{Offset: n.Offset, Msg: fmt.Sprintf("unknown function %q", n.Func), Name: n.Func, Kind: 'f'}
	}
	if e := checkArgs(n.Func, b, len(n.Args), n.Offset); e != nil {
		return nil, e.(*Error)
	}
	return nil, nil
}

// random draws a random function whose arguments fold to constants.
func (f *folder) random(n *Call, r *RandomFunc) Node {
	vals := make([]float64, len(n.Args))
	for i, a := range n.Args {
		x := f.fold(a)
		if f.err != nil {
			return nil
		}
		c, ok := IsConst(x)
		if !ok {
			return f.failf(n.Offset, "%s() is drawn once, when the netlist is read: its arguments must not depend on %s", n.Func, firstVariable(x))
		}
		vals[i] = c
	}
	rng, err := f.rand()
	if err != nil {
		return f.failf(n.Offset, "%s(): %v", n.Func, err)
	}
	v, err := r.Draw(rng, vals)
	if err != nil {
		return f.failf(n.Offset, "%s: %v", n.Func, err)
	}
	if v, err = finiteCall(v, n.Offset, n.Func, vals); err != nil {
		return f.fail(err.(*Error))
	}
	return &Num{Value: v, Offset: n.Offset}
}

// firstVariable names the first probe or variable of a folded expression.
func firstVariable(n Node) string {
	name := ""
	Walk(n, func(n Node) bool {
		switch n := n.(type) {
		case *Probe:
			name = ProbeName(n)
		case *Ident:
			name = n.Name
		}
		return name == ""
	})
	return name
}

// inline replaces a call of a user function by its body, arguments in place of parameters.
func (f *folder) inline(n *Call, fn *Func) Node {
	if len(n.Args) != len(fn.Params) {
		return f.failf(n.Offset, "%s() takes %s, found %d", n.Func, Plural(len(fn.Params), "argument"), len(n.Args))
	}
	if slices.Contains(f.stack, n.Func) {
		chain := append(append([]string{}, f.stack[slices.Index(f.stack, n.Func):]...), n.Func)
		return f.failf(n.Offset, "recursive function: %s", strings.Join(chain, " -> "))
	}
	if len(f.stack) >= maxDepth {
		return f.failf(n.Offset, "functions nested too deeply")
	}
	args := map[string]Node{}
	for i, a := range n.Args {
		args[fn.Params[i]] = f.fold(a)
		if f.err != nil {
			return nil
		}
	}
	body := f.substitute(fn.Body, args, n.Offset)
	if f.err != nil {
		return nil
	}
	f.stack = append(f.stack, n.Func)
	out := f.fold(body)
	f.stack = f.stack[:len(f.stack)-1]
	if f.err != nil && !f.inBody {
		// Say which function the error is in (the innermost one).
		f.err.Msg = "in " + n.Func + "(): " + f.err.Msg
		f.inBody = true
	}
	return out
}

// substitute copies body with args in place of the parameter names and every offset set
// to off.
func (f *folder) substitute(n Node, args map[string]Node, off int) Node {
	if f.err != nil {
		return nil
	}
	f.nodes++
	if f.nodes > maxNodes {
		return f.tooLarge(off)
	}
	switch n := n.(type) {
	case *Num:
		return &Num{Value: n.Value, Offset: off}
	case *Ident:
		if a, ok := args[n.Name]; ok {
			return a
		}
		return &Ident{Name: n.Name, Offset: off}
	case *Probe:
		return &Probe{Kind: n.Kind, Names: n.Names, Offset: off}
	case *Unary:
		return &Unary{Op: n.Op, X: f.substitute(n.X, args, off), Offset: off}
	case *Binary:
		return &Binary{Op: n.Op, X: f.substitute(n.X, args, off), Y: f.substitute(n.Y, args, off), Offset: off}
	case *Ternary:
		return &Ternary{Cond: f.substitute(n.Cond, args, off), Then: f.substitute(n.Then, args, off),
			Else: f.substitute(n.Else, args, off), Offset: off}
	case *Call:
		c := &Call{Func: n.Func, Offset: off, Args: make([]Node, len(n.Args))}
		for i, a := range n.Args {
			c.Args[i] = f.substitute(a, args, off)
		}
		return c
	}
	return f.failf(off, "unknown node %T", n)
}

// Plural is n what, in the plural unless n is 1: "1 argument", "2 arguments".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
