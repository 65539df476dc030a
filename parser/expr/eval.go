package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Builtin describes a built-in function: its argument count (Max < 0: no limit) and how
// it computes. Where ngspice's .param functions (numparam) and its B-source functions
// differ, the B-source meaning is used, so that folding a constant part of a B-source
// expression never changes its value; see Builtins.
type Builtin struct {
	Min, Max int
	Eval     func(args []float64) (float64, error)
}

// Constants are the names with a fixed value; a parameter of the same name hides one.
var Constants = map[string]float64{"pi": math.Pi, "e": math.E}

// Variables are the names whose value is known only while simulating; Fold leaves them.
var Variables = map[string]bool{"time": true, "temper": true, "hertz": true}

func unary(f func(float64) float64) Builtin {
	return Builtin{1, 1, func(a []float64) (float64, error) { return f(a[0]), nil }}
}

// domain is a function defined for the arguments where ok says so.
func domain(f func(float64) float64, ok func(float64) bool, what string) Builtin {
	return Builtin{1, 1, func(a []float64) (float64, error) {
		if !ok(a[0]) {
			return 0, fmt.Errorf("%s, got %g", what, a[0])
		}
		return f(a[0]), nil
	}}
}

// powAbs is ngspice's x^y, x**y and pow(x,y): |x| to the power y (on ngspice 39,
// (-2)^3 is 8 in .param values and in B sources alike).
func powAbs(x, y float64) float64 { return math.Pow(math.Abs(x), y) }

// Sgn is ngspice's sgn(x): 1 above 0, -1 below, 0 at 0.
func Sgn(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Step is ngspice's u(x): 0 below 0, 1 above, 0.5 at 0.
func Step(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return 0
	}
	return 0.5
}

// Builtins are the functions known by name. Edge points follow ngspice's B sources:
// u(0) = 0.5, uramp(x) = max(x, 0), sgn(0) = 0, pow(x,y) = |x|^y, pwr(x,y) =
// sgn(x)*|x|^y, nint rounds half to even (nint(2.5) = 2, as ngspice's rint), int
// truncates (numparam's), log is the natural logarithm. min and max take two or more
// arguments (numparam's do); with one, x, they are min(x, 1) and max(x, 1), as
// numparam's (alias.go). limit(x,a,b) clamps x between a and b (either order);
// ngspice 39 has no working limit, so this is PSpice's meaning. limit(nom, avar), with
// two arguments, is a random function: see Random. if(c,a,b) is
// ternary_fcn(c,a,b), HSPICE's name; atan2(y,x) is C's. ddt(x) is the time derivative
// of x, which only a B source's (or behavioural element's) compiled expression computes
// (package tape); as a value here it is that of a constant x, 0.
var Builtins = map[string]Builtin{
	"abs":   unary(math.Abs),
	"sqrt":  domain(math.Sqrt, func(x float64) bool { return x >= 0 }, "sqrt of a negative number"),
	"exp":   unary(math.Exp),
	"ln":    domain(math.Log, func(x float64) bool { return x > 0 }, "ln of a number not above 0"),
	"log":   domain(math.Log, func(x float64) bool { return x > 0 }, "log of a number not above 0"),
	"log10": domain(math.Log10, func(x float64) bool { return x > 0 }, "log10 of a number not above 0"),
	"sin":   unary(math.Sin),
	"cos":   unary(math.Cos),
	"tan":   unary(math.Tan),
	"asin":  domain(math.Asin, func(x float64) bool { return x >= -1 && x <= 1 }, "asin outside [-1, 1]"),
	"acos":  domain(math.Acos, func(x float64) bool { return x >= -1 && x <= 1 }, "acos outside [-1, 1]"),
	"atan":  unary(math.Atan),
	"sinh":  unary(math.Sinh),
	"cosh":  unary(math.Cosh),
	"tanh":  unary(math.Tanh),
	"asinh": unary(math.Asinh),
	"acosh": domain(math.Acosh, func(x float64) bool { return x >= 1 }, "acosh below 1"),
	"atanh": domain(math.Atanh, func(x float64) bool { return x > -1 && x < 1 }, "atanh outside (-1, 1)"),
	"floor": unary(math.Floor),
	"ceil":  unary(math.Ceil),
	"int":   unary(math.Trunc),
	"nint":  unary(math.RoundToEven),
	"sgn":   unary(Sgn),
	"u":     unary(Step),
	"uramp": unary(func(x float64) float64 {
		if x > 0 {
			return x
		}
		return 0
	}),
	"u2": unary(func(x float64) float64 { return math.Max(0, math.Min(1, x)) }),
	"atan2": {2, 2, func(a []float64) (float64, error) {
		return math.Atan2(a[0], a[1]), nil
	}},
	"pow": {2, 2, func(a []float64) (float64, error) { return powAbs(a[0], a[1]), nil }},
	"pwr": {2, 2, func(a []float64) (float64, error) { return Sgn(a[0]) * powAbs(a[0], a[1]), nil }},
	"min": {2, -1, func(a []float64) (float64, error) {
		m := a[0]
		for _, x := range a[1:] {
			m = math.Min(m, x)
		}
		return m, nil
	}},
	"max": {2, -1, func(a []float64) (float64, error) {
		m := a[0]
		for _, x := range a[1:] {
			m = math.Max(m, x)
		}
		return m, nil
	}},
	"limit": {3, 3, func(a []float64) (float64, error) {
		lo, hi := math.Min(a[1], a[2]), math.Max(a[1], a[2])
		return math.Max(lo, math.Min(a[0], hi)), nil
	}},
	"ddt":         unary(func(float64) float64 { return 0 }),
	"ternary_fcn": {3, 3, func(a []float64) (float64, error) { return choose(a[0], a[1], a[2]), nil }},
	"if":          {3, 3, func(a []float64) (float64, error) { return choose(a[0], a[1], a[2]), nil }},
}

func choose(c, a, b float64) float64 {
	if c != 0 {
		return a
	}
	return b
}

// Truth is the value of a condition: 1 if b, else 0.
func Truth(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// unaryOp computes op x.
func unaryOp(op string, x float64) float64 {
	switch op {
	case "-":
		return -x
	case "!":
		return Truth(x == 0)
	}
	return x
}

// binaryOp computes x op y. && and || are not short-circuited here (their operands are
// already values).
func binaryOp(op string, x, y float64) (float64, error) {
	switch op {
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	case "/":
		if y == 0 {
			return 0, fmt.Errorf("division by zero")
		}
		return x / y, nil
	case "%":
		if y == 0 {
			return 0, fmt.Errorf("modulo by zero")
		}
		return math.Mod(x, y), nil
	case "^":
		if x == 0 && y < 0 {
			return 0, fmt.Errorf("0 raised to a negative power")
		}
		return powAbs(x, y), nil
	case "==":
		return Truth(x == y), nil
	case "!=":
		return Truth(x != y), nil
	case "<":
		return Truth(x < y), nil
	case "<=":
		return Truth(x <= y), nil
	case ">":
		return Truth(x > y), nil
	case ">=":
		return Truth(x >= y), nil
	case "&&":
		return Truth(x != 0 && y != 0), nil
	case "||":
		return Truth(x != 0 || y != 0), nil
	}
	return 0, fmt.Errorf("unknown operator %q", op)
}

// callBuiltin checks the argument count of a built-in function and computes it.
func callBuiltin(name string, off int, args []float64) (float64, error) {
	b, ok := Builtins[name]
	if !ok {
		return 0, &Error{Offset: off, Msg: fmt.Sprintf("unknown function %q", name), Name: name, Kind: 'f'}
	}
	if err := checkArgs(name, b, len(args), off); err != nil {
		return 0, err
	}
	v, err := b.Eval(args)
	if err != nil {
		return 0, &Error{Offset: off, Msg: fmt.Sprintf("%s: %v", name, err)}
	}
	return finiteCall(v, off, name, args)
}

func checkArgs(name string, b Builtin, n, off int) error {
	if n >= b.Min && (b.Max < 0 || n <= b.Max) {
		return nil
	}
	want := Plural(b.Min, "argument")
	if b.Max < 0 {
		want = "at least " + want
	}
	return &Error{Offset: off, Msg: fmt.Sprintf("%s() takes %s, found %d", name, want, n)}
}

// finiteCall passes on v, the value of name(args...), or fails naming that call
// (exp(1000)) when it is not a finite number.
func finiteCall(v float64, off int, name string, args []float64) (float64, error) {
	if !math.IsInf(v, 0) && !math.IsNaN(v) {
		return v, nil
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = strconv.FormatFloat(a, 'g', -1, 64)
	}
	return 0, &Error{Offset: off, Msg: name + "(" + strings.Join(parts, ", ") + ") is not a finite number"}
}

// finiteOp passes on v, the value of x op y, or fails naming the operation (1e+308 * 10)
// when it is not a finite number.
func finiteOp(v float64, off int, op string, x, y float64) (float64, error) {
	if !math.IsInf(v, 0) && !math.IsNaN(v) {
		return v, nil
	}
	g := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	return 0, &Error{Offset: off, Msg: g(x) + " " + op + " " + g(y) + " is not a finite number"}
}

// ProbeName is the name of a probe as a vector: "v(a)", "v(a,b)", "i(v1)".
func ProbeName(p *Probe) string {
	return string(p.Kind) + "(" + strings.Join(p.Names, ",") + ")"
}

// Eval computes n. Names are looked up in vars, then in Constants; a probe is looked up in
// vars by its ProbeName ("v(out)"); time, temper and hertz must be in vars when used.
// User functions must have been inlined by Fold. Errors (an *Error) are unknown names,
// wrong argument counts, division by zero, arguments outside a function's domain and
// results that are not finite. Only the branch of c ? a : b that c selects is computed.
func Eval(n Node, vars map[string]float64) (float64, error) {
	switch n := n.(type) {
	case *Num:
		return n.Value, nil
	case *Ident:
		if v, ok := vars[n.Name]; ok {
			return v, nil
		}
		if v, ok := Constants[n.Name]; ok {
			return v, nil
		}
		if Variables[n.Name] {
			return 0, &Error{Offset: n.Offset, Msg: fmt.Sprintf("%s has no value here", n.Name)}
		}
		return 0, &Error{Offset: n.Offset, Msg: fmt.Sprintf("unknown parameter %q", n.Name), Name: n.Name, Kind: 'p'}
	case *Probe:
		name := ProbeName(n)
		if v, ok := vars[name]; ok {
			return v, nil
		}
		return 0, &Error{Offset: n.Offset, Msg: fmt.Sprintf("%s has no value here", name)}
	case *Unary:
		x, err := Eval(n.X, vars)
		if err != nil {
			return 0, err
		}
		return unaryOp(n.Op, x), nil
	case *Binary:
		x, err := Eval(n.X, vars)
		if err != nil {
			return 0, err
		}
		y, err := Eval(n.Y, vars)
		if err != nil {
			return 0, err
		}
		v, err := binaryOp(n.Op, x, y)
		if err != nil {
			return 0, &Error{Offset: n.Offset, Msg: err.Error()}
		}
		return finiteOp(v, n.Offset, n.Op, x, y)
	case *Ternary:
		c, err := Eval(n.Cond, vars)
		if err != nil {
			return 0, err
		}
		if c != 0 {
			return Eval(n.Then, vars)
		}
		return Eval(n.Else, vars)
	case *Call:
		if x, err, ok := expandAlias(n); ok { // alias.go
			if err != nil {
				return 0, err
			}
			return Eval(x, vars)
		}
		if n.Func == "ternary_fcn" || n.Func == "if" {
			if len(n.Args) != 3 {
				return 0, checkArgs(n.Func, Builtins[n.Func], len(n.Args), n.Offset)
			}
			return Eval(&Ternary{Cond: n.Args[0], Then: n.Args[1], Else: n.Args[2], Offset: n.Offset}, vars)
		}
		args := make([]float64, len(n.Args))
		for i, a := range n.Args {
			v, err := Eval(a, vars)
			if err != nil {
				return 0, err
			}
			args[i] = v
		}
		return callBuiltin(n.Func, n.Offset, args)
	case nil:
		return 0, &Error{Msg: "empty expression"}
	}
	return 0, &Error{Offset: n.Pos(), Msg: fmt.Sprintf("unknown node %T", n)}
}
