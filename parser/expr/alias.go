package expr

import "fmt"

// aliases are ngspice's functions that are other expressions: numparam's sqr(x), x*x,
// and arctan(x), atan; the B source's comparisons with zero eq0(x), ne0, gt0, lt0, ge0
// and le0, 1 where x == 0 (and so on) else 0. Each takes one argument. (ngspice 39 reads
// sqr and arctan only in .param-style expressions and eq0... only in B sources; gospice
// has one set of functions for both.) A .func of the same name comes first.
var aliases = map[string]func(x Node, off int) Node{
	"sqr":    func(x Node, off int) Node { return &Binary{Op: "*", X: x, Y: x, Offset: off} },
	"arctan": func(x Node, off int) Node { return &Call{Func: "atan", Args: []Node{x}, Offset: off} },
	"eq0":    compareZero("=="),
	"ne0":    compareZero("!="),
	"gt0":    compareZero(">"),
	"lt0":    compareZero("<"),
	"ge0":    compareZero(">="),
	"le0":    compareZero("<="),
}

func compareZero(op string) func(x Node, off int) Node {
	return func(x Node, off int) Node { return &Binary{Op: op, X: x, Y: &Num{Offset: off}, Offset: off} }
}

// expandAlias returns the expression an alias call stands for, or an error for a wrong
// argument count; ok is false when n is not an alias.
func expandAlias(n *Call) (x Node, err *Error, ok bool) {
	if n.Func == "pwl" {
		x, err := expandPWL(n)
		return x, err, true
	}
	if (n.Func == "min" || n.Func == "max") && len(n.Args) == 1 {
		// ngspice 39's .param reads min(x) as min(x, 1) and max(x) as max(x, 1)
		// (measured: max(-3) = 1, max(3) = 3, min(7) = 1; its B source crashes on them).
		return &Call{Func: n.Func, Args: []Node{n.Args[0], &Num{Value: 1, Offset: n.Offset}}, Offset: n.Offset}, nil, true
	}
	a, ok := aliases[n.Func]
	if !ok {
		return nil, nil, false
	}
	if len(n.Args) != 1 {
		return nil, &Error{Offset: n.Offset, Msg: fmt.Sprintf("%s() takes 1 argument, found %d", n.Func, len(n.Args))}, true
	}
	return a(n.Args[0], n.Offset), nil, true
}

// expandPWL returns the expression of the B source's pwl(x, x1, y1, x2, y2, ...): the
// line through the points, continued beyond the first and the last with the slopes of
// the first and last segments (ngspice 39: tests/regression/parser/bxpressn-1.cir checks
// pwl(-100, -10,-8, 2,4, 12,9, 22,19) = -98 and pwl(100, ...) = 97). It is
//
//	y1 + s1 (min(x, x2) - x1) + sum over the inner segments of sk (limit(x, xk, xk+1) - xk)
//	   + sn-1 (max(x, xn-1) - xn-1)
//
// so that its derivative is the slope of the segment x is on. The x values must increase.
func expandPWL(n *Call) (Node, *Error) {
	a, off := n.Args, n.Offset
	if len(a) < 3 || len(a)%2 == 0 {
		return nil, &Error{Offset: off, Msg: fmt.Sprintf("pwl() takes x and pairs of points (x, x1, y1, x2, y2, ...), found %s", Plural(len(a), "argument"))}
	}
	x, pts := a[0], a[1:]
	for k := 2; k < len(pts); k += 2 {
		lo, okLo := IsConst(pts[k-2])
		hi, okHi := IsConst(pts[k])
		if okLo && okHi && hi <= lo {
			return nil, &Error{Offset: off, Msg: fmt.Sprintf("pwl(): the x values must increase (%g after %g)", hi, lo)}
		}
	}
	bin := func(op string, l, r Node) Node { return &Binary{Op: op, X: l, Y: r, Offset: off} }
	call := func(f string, args ...Node) Node { return &Call{Func: f, Args: args, Offset: off} }
	segs := len(pts)/2 - 1
	if segs == 0 {
		return pts[1], nil
	}
	slope := func(k int) Node { // of the segment from point k to k+1
		return bin("/", bin("-", pts[2*k+3], pts[2*k+1]), bin("-", pts[2*k+2], pts[2*k]))
	}
	xk := func(k int) Node { return pts[2*k] }
	if segs == 1 {
		return bin("+", pts[1], bin("*", slope(0), bin("-", x, xk(0)))), nil
	}
	y := bin("+", pts[1], bin("*", slope(0), bin("-", call("min", x, xk(1)), xk(0))))
	for k := 1; k < segs-1; k++ {
		y = bin("+", y, bin("*", slope(k), bin("-", call("limit", x, xk(k), xk(k+1)), xk(k))))
	}
	last := segs - 1
	y = bin("+", y, bin("*", slope(last), bin("-", call("max", x, xk(last)), xk(last))))
	return y, nil
}
