package expr

import (
	"fmt"
	"strings"
)

// Limits that keep any input from exhausting the stack or the memory.
const (
	maxDepth = 200    // nesting of parentheses, calls and unary operators
	maxNodes = 100000 // nodes of one expression
)

// Parse reads an expression. The error, an *Error, carries the byte offset of the problem.
func Parse(text string) (Node, error) {
	p := &parser{s: text}
	p.next()
	if p.err != nil {
		return nil, p.err
	}
	if p.tok.kind == tokEOF {
		return nil, &Error{Offset: p.tok.off, Msg: "empty expression"}
	}
	n := p.ternary()
	if p.err == nil && p.tok.kind != tokEOF {
		p.unexpected()
	}
	if p.err != nil {
		return nil, p.err
	}
	return n, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokIdent
	tokOp // operators and punctuation
	tokBad
)

type token struct {
	kind tokKind
	text string // the operator, or the name in lowercase
	num  float64
	off  int
}

type parser struct {
	s     string
	i     int // where the next token starts
	tok   token
	depth int
	nodes int
	err   *Error
}

func (p *parser) fail(off int, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	p.tok = token{kind: tokEOF, off: len(p.s)} // stop
}

// twoChar are the operators of two characters; the first character of each may also be
// an operator alone, except & and |.
var twoChar = map[string]string{"**": "^", "==": "==", "!=": "!=", "<>": "!=", "<=": "<=", ">=": ">=", "&&": "&&", "||": "||"}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isNameStart(c byte) bool { return isLetter(c) || c == '_' }
func isNameChar(c byte) bool  { return isLetter(c) || isDigit(c) || c == '_' }

// next reads the next token into p.tok.
func (p *parser) next() {
	if p.err != nil {
		return
	}
	s := p.s
	for p.i < len(s) && isSpace(s[p.i]) {
		p.i++
	}
	start := p.i
	if start == len(s) {
		p.tok = token{kind: tokEOF, off: start}
		return
	}
	c := s[start]
	switch {
	case isDigit(c) || c == '.' && start+1 < len(s) && isDigit(s[start+1]):
		end, _ := scanNumber(s, start)
		text := s[start:end]
		v, err := ParseNumber(text)
		if err != nil {
			p.fail(start, "number out of range: %s", text)
			return
		}
		p.i = end
		p.tok = token{kind: tokNum, num: v, off: start}
	case isNameStart(c):
		end := start + 1
		for end < len(s) && isNameChar(s[end]) {
			end++
		}
		p.i = end
		p.tok = token{kind: tokIdent, text: strings.ToLower(s[start:end]), off: start}
	default:
		if start+1 < len(s) {
			if op, ok := twoChar[s[start:start+2]]; ok {
				p.i = start + 2
				p.tok = token{kind: tokOp, text: op, off: start}
				return
			}
		}
		if strings.IndexByte("+-*/%^<>!?:(){},", c) >= 0 {
			p.i = start + 1
			p.tok = token{kind: tokOp, text: string(c), off: start}
			return
		}
		switch c {
		case '=':
			p.fail(start, "unexpected '=' (== compares)")
		case '&', '|':
			p.fail(start, "unexpected '%c' (the operator is %c%c)", c, c, c)
		default:
			r := []rune(s[start:min(len(s), start+4)])[0]
			p.fail(start, "unexpected %q", r)
		}
	}
}

func (p *parser) is(op string) bool { return p.tok.kind == tokOp && p.tok.text == op }

func (p *parser) unexpected() {
	switch p.tok.kind {
	case tokEOF:
		p.fail(p.tok.off, "unexpected end of expression")
	case tokNum:
		p.fail(p.tok.off, "unexpected number %s", p.s[p.tok.off:p.i])
	case tokIdent:
		p.fail(p.tok.off, "unexpected name %q", p.s[p.tok.off:p.i])
	default:
		p.fail(p.tok.off, "unexpected '%s'", p.s[p.tok.off:p.i])
	}
}

// count counts a new node and says whether the expression is still small enough.
func (p *parser) count() bool {
	p.nodes++
	if p.nodes > maxNodes {
		p.fail(p.tok.off, "expression too long")
		return false
	}
	return true
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok.off, "expression nested too deeply")
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// ternary = or [ "?" ternary ":" ternary ]
func (p *parser) ternary() Node {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	cond := p.binary(precOr)
	if p.err != nil || !p.is("?") {
		return cond
	}
	off := p.tok.off
	p.next()
	then := p.ternary()
	if p.err != nil {
		return nil
	}
	if !p.is(":") {
		if p.tok.kind == tokEOF {
			p.fail(off, "missing ':' after '?'")
		} else {
			p.unexpected()
		}
		return nil
	}
	p.next()
	els := p.ternary()
	if p.err != nil || !p.count() {
		return nil
	}
	return &Ternary{Cond: cond, Then: then, Else: els, Offset: off}
}

// binary reads the left-associative levels from prec down to the multiplicative one.
func (p *parser) binary(prec int) Node {
	if prec > precMul {
		return p.unary()
	}
	x := p.binary(prec + 1)
	for p.err == nil && p.tok.kind == tokOp && binaryPrec[p.tok.text] == prec {
		op, off := p.tok.text, p.tok.off
		p.next()
		y := p.binary(prec + 1)
		if p.err != nil || !p.count() {
			return nil
		}
		x = &Binary{Op: op, X: x, Y: y, Offset: off}
	}
	return x
}

// unary = ("-" | "+" | "!") unary | power
func (p *parser) unary() Node { return p.prefixed(p.unary, p.power) }

// prefixed reads a unary operator and what again reads after it, or else what operand reads.
func (p *parser) prefixed(again, operand func() Node) Node {
	if !(p.is("-") || p.is("+") || p.is("!")) {
		return operand()
	}
	if !p.enter() {
		return nil
	}
	defer p.leave()
	op, off := p.tok.text, p.tok.off
	p.next()
	x := again()
	if p.err != nil || !p.count() {
		return nil
	}
	return &Unary{Op: op, X: x, Offset: off}
}

// power = primary { "^" exponent }, left-associative as in ngspice; the exponent may
// carry unary operators: 2^-1.
func (p *parser) power() Node {
	x := p.primary()
	for p.err == nil && p.is("^") {
		off := p.tok.off
		p.next()
		y := p.exponent()
		if p.err != nil || !p.count() {
			return nil
		}
		x = &Binary{Op: "^", X: x, Y: y, Offset: off}
	}
	return x
}

// exponent = ("-" | "+" | "!") exponent | primary
func (p *parser) exponent() Node { return p.prefixed(p.exponent, p.primary) }

// closing is the bracket that closes each opening one.
var closing = map[string]string{"(": ")", "{": "}"}

// primary = number | name | name "(" args ")" | probe | "(" ternary ")" | "{" ternary "}"
func (p *parser) primary() Node {
	if p.err != nil || !p.count() {
		return nil
	}
	t := p.tok
	switch {
	case t.kind == tokNum:
		p.next()
		return &Num{Value: t.num, Offset: t.off}
	case t.kind == tokIdent:
		p.next()
		if !p.is("(") {
			return &Ident{Name: t.text, Offset: t.off}
		}
		if t.text == "v" || t.text == "i" {
			return p.probe(t)
		}
		return p.call(t)
	case p.is("(") || p.is("{"):
		if !p.enter() {
			return nil
		}
		defer p.leave()
		p.next()
		x := p.ternary()
		if p.err != nil {
			return nil
		}
		if !p.is(closing[t.text]) {
			if p.tok.kind == tokEOF {
				p.fail(t.off, "missing '%s'", closing[t.text])
			} else {
				p.unexpected()
			}
			return nil
		}
		p.next()
		return x
	}
	p.unexpected()
	return nil
}

// call reads the arguments of name(...); the current token is the "(".
func (p *parser) call(name token) Node {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	open := p.tok.off
	p.next()
	c := &Call{Func: name.text, Offset: name.off}
	if p.is(")") {
		p.next()
		return c
	}
	for {
		a := p.ternary()
		if p.err != nil {
			return nil
		}
		c.Args = append(c.Args, a)
		switch {
		case p.is(","):
			p.next()
			continue
		case p.is(")"):
			p.next()
			return c
		case p.tok.kind == tokEOF:
			p.fail(open, "missing ')'")
		default:
			p.unexpected()
		}
		return nil
	}
}

// probe reads v(node), v(node,node) or i(source). The names are read raw, up to a comma,
// a parenthesis or white space, since node names may hold any character (net-1, a[0],
// x1.out).
func (p *parser) probe(kind token) Node {
	s := p.s
	open := p.tok.off
	i := p.i // after the "("
	pr := &Probe{Kind: kind.text[0], Offset: kind.off}
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) && strings.IndexByte(",(){}'\"", s[i]) < 0 {
			i++
		}
		if i == start {
			if i == len(s) {
				p.fail(open, "missing ')'")
			} else {
				p.fail(i, "expected a %s name in %s()", map[byte]string{'v': "node", 'i': "source"}[pr.Kind], kind.text)
			}
			return nil
		}
		pr.Names = append(pr.Names, strings.ToLower(s[start:i]))
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i < len(s) && s[i] == ',' {
			i++
			continue
		}
		if i < len(s) && s[i] == ')' {
			i++
			break
		}
		if i == len(s) {
			p.fail(open, "missing ')'")
		} else {
			p.fail(i, "unexpected %q in %s()", s[i], kind.text)
		}
		return nil
	}
	if max := map[byte]int{'v': 2, 'i': 1}[pr.Kind]; len(pr.Names) > max {
		what := "1 or 2 node names"
		if pr.Kind == 'i' {
			what = "1 source name"
		}
		p.fail(kind.off, "%s() takes %s, found %d", kind.text, what, len(pr.Names))
		return nil
	}
	p.i = i
	p.next()
	return pr
}
