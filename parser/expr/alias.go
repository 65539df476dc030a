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
	a, ok := aliases[n.Func]
	if !ok {
		return nil, nil, false
	}
	if len(n.Args) != 1 {
		return nil, &Error{Offset: n.Offset, Msg: fmt.Sprintf("%s() takes 1 argument, found %d", n.Func, len(n.Args))}, true
	}
	return a(n.Args[0], n.Offset), nil, true
}
