// Package expr is the expression language of netlists, as ngspice's .param values and
// B-source expressions have it: parsing with positions, constant folding, evaluation.
//
// Operators, from the loosest to the tightest binding (as measured on ngspice 39, which
// agrees with itself in .param values and B sources on all of these):
//
//	c ? a : b           right-associative: 0 ? 1 : 0 ? 3 : 4 is 4
//	||
//	&&
//	== != <>            <> is !=
//	< <= > >=
//	+ -
//	* / %               % is C's fmod (numparam has it; B sources do not)
//	unary - + !         -2^2 is -4, !0+1 is 2
//	^ **                left-associative: 2^3^2 is 64; x^y is |x|^y (ngspice: (-2)^3 is 8)
//	primary             number, name, f(args), v(node), v(n1,n2), i(source), (e), {e}
//
// The right operand of ^ may carry its own sign: 2^-1 is 0.5. Braces group like
// parentheses, as they do inside ngspice's B-source expressions.
package expr

import (
	"errors"
	"strconv"
	"strings"
)

// Node is an expression tree node. Pos is the byte offset in the text it was parsed
// from, for error columns.
type Node interface{ Pos() int }

// Num is a number.
type Num struct {
	Value  float64
	Offset int
}

// Ident is a name: a parameter, a constant (pi, e) or a variable (time, temper, hertz);
// lowercase.
type Ident struct {
	Name   string
	Offset int
}

// Probe is v(node), v(node1,node2) or i(source); the names are lowercase.
type Probe struct {
	Kind   byte // 'v' or 'i'
	Names  []string
	Offset int
}

// Unary is -x, +x or !x.
type Unary struct {
	Op     string
	X      Node
	Offset int
}

// Binary is x op y; Op is one of + - * / % ^ == != < <= > >= && || (** is read as ^
// and <> as !=).
type Binary struct {
	Op     string
	X, Y   Node
	Offset int // of the operator
}

// Ternary is cond ? then : else.
type Ternary struct {
	Cond, Then, Else Node
	Offset           int
}

// Call is a function call; Func is lowercase.
type Call struct {
	Func   string
	Args   []Node
	Offset int
}

func (n *Num) Pos() int     { return n.Offset }
func (n *Ident) Pos() int   { return n.Offset }
func (n *Probe) Pos() int   { return n.Offset }
func (n *Unary) Pos() int   { return n.Offset }
func (n *Binary) Pos() int  { return n.Offset }
func (n *Ternary) Pos() int { return n.Offset }
func (n *Call) Pos() int    { return n.Offset }

// Func is a user function (.func name(params) body); Fold inlines its calls.
type Func struct {
	Params []string // lowercase
	Body   Node
}

// Error is a problem in an expression at a byte offset of its text.
type Error struct {
	Offset int
	Msg    string
	// Name is set when the problem is an unknown name (Kind 'p' for a parameter, 'f' for
	// a function), so that the caller can suggest the names it knows, or a user function
	// that is too large once inlined (Kind 'x').
	Name string
	Kind byte
}

func (e *Error) Error() string { return "offset " + strconv.Itoa(e.Offset) + ": " + e.Msg }

// Message is err's message without the offset into the expression: the Msg of an
// *Error (wrapped or not), for callers that report the position themselves.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return err.Error()
}

// String renders n as expression text that Parse reads back to a tree of the same value
// (numbers with all their digits, parentheses where the precedence needs them).
func String(n Node) string {
	var b strings.Builder
	write(&b, n, 0)
	return b.String()
}

// Precedence levels, loosest first.
const (
	precTernary = iota + 1
	precOr
	precAnd
	precEq
	precRel
	precAdd
	precMul
	precUnary
	precPow
	precPrimary
)

var binaryPrec = map[string]int{
	"||": precOr, "&&": precAnd, "==": precEq, "!=": precEq,
	"<": precRel, "<=": precRel, ">": precRel, ">=": precRel,
	"+": precAdd, "-": precAdd, "*": precMul, "/": precMul, "%": precMul, "^": precPow,
}

func prec(n Node) int {
	switch n := n.(type) {
	case *Ternary:
		return precTernary
	case *Binary:
		return binaryPrec[n.Op]
	case *Unary:
		return precUnary
	case *Num:
		if n.Value < 0 {
			return precUnary // printed with its sign
		}
	}
	return precPrimary
}

// write renders n, in parentheses when its precedence is below min.
func write(b *strings.Builder, n Node, min int) {
	p := prec(n)
	if p < min {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch n := n.(type) {
	case *Num:
		b.WriteString(strconv.FormatFloat(n.Value, 'g', -1, 64))
	case *Ident:
		b.WriteString(n.Name)
	case *Probe:
		b.WriteByte(n.Kind)
		b.WriteByte('(')
		b.WriteString(strings.Join(n.Names, ","))
		b.WriteByte(')')
	case *Unary:
		b.WriteString(n.Op)
		write(b, n.X, precUnary) // -(-x) is written --x, which reads back the same
	case *Binary:
		// Left-associative: the left operand may share the level, the right may not.
		// The right operand of ^ may be a unary: 2^-1.
		write(b, n.X, p)
		b.WriteString(n.Op)
		_, unary := n.Y.(*Unary)
		switch {
		case n.Op == "^" && unary:
			write(b, n.Y, precUnary)
		default:
			write(b, n.Y, p+1)
		}
	case *Ternary:
		write(b, n.Cond, precOr)
		b.WriteString(" ? ")
		write(b, n.Then, precTernary)
		b.WriteString(" : ")
		write(b, n.Else, precTernary)
	case *Call:
		b.WriteString(n.Func)
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			write(b, a, precTernary)
		}
		b.WriteByte(')')
	}
}

// Walk calls f for n and, when f returns true, for its operands, depth first.
func Walk(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch n := n.(type) {
	case *Unary:
		Walk(n.X, f)
	case *Binary:
		Walk(n.X, f)
		Walk(n.Y, f)
	case *Ternary:
		Walk(n.Cond, f)
		Walk(n.Then, f)
		Walk(n.Else, f)
	case *Call:
		for _, a := range n.Args {
			Walk(a, f)
		}
	}
}

// IsConst reports whether n is a number, and its value.
func IsConst(n Node) (float64, bool) {
	if c, ok := n.(*Num); ok {
		return c.Value, true
	}
	return 0, false
}
