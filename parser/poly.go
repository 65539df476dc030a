package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// Poly is the SPICE2 polynomial of a POLY(n) controlled source:
//
//	Ename n+ n- POLY(n) nc1+ nc1- ... ncn+ ncn- p0 p1 ...
//	Gname n+ n- POLY(n) nc1+ nc1- ... ncn+ ncn- p0 p1 ...
//	Fname n+ n- POLY(n) v1 ... vn p0 p1 ...
//	Hname n+ n- POLY(n) v1 ... vn p0 p1 ...
//
// The controlling node pairs of E and G follow n+ n- in the element's Nodes (they may be
// written (nc+, nc-)); the controlling sources of F and H are its Controls. The value is
// p0 + p1 x1 + ... + pn xn + pn+1 x1^2 + pn+2 x1 x2 + ... : the terms by total degree, and
// within a degree the products x_i x_j x_k with i <= j <= k in lexicographic order, as
// SPICE2 orders them (ngspice 39 gives the same values). Unlike SPICE2, ngspice 39 takes a
// single coefficient of POLY(1) as p0, not as the gain p1, and refuses an IC= list: so
// does gospice.
type Poly struct {
	Dim    int
	Coeffs []float64
}

// polyKinds are the element letters that have a POLY form.
var polyKinds = map[byte]bool{'e': true, 'f': true, 'g': true, 'h': true}

// polyAt returns the index of the POLY word of an E, F, G or H line's tokens (after the
// name), or -1 when the line is not of the POLY form: the word POLY after two nodes.
func polyAt(toks []lexer.Token) int {
	nodes := 0
	for i, t := range toks {
		switch {
		case t.Type == TokenComma:
		case nodes < 2 && (t.Type == TokenIdent || t.Type == TokenNumber):
			nodes++
		case nodes == 2 && t.Type == TokenIdent && strings.EqualFold(t.Value, "poly"):
			return i
		default:
			return -1
		}
	}
	return -1
}

// polyLine reads an E, F, G or H line of the POLY form and reports true, or reports false
// (reading nothing) when the line is of another form.
func (e *elab) polyLine(l *srcLine, kind byte) bool {
	if l.compact.text != "" || len(l.toks) < 2 {
		return false // a compact line has no parentheses
	}
	toks := lineTokens(l)
	at := polyAt(toks)
	if at < 0 {
		return false
	}
	word := strings.ToLower(l.toks[0].Value)
	name := e.sc.prefix + word
	pos := linePos(l)
	if !e.claimName(name, pos) {
		return true
	}
	el := &Element{Name: name, Kind: kind, Pos: pos}
	for _, t := range toks[:at] {
		if t.Type != TokenComma {
			el.Nodes = append(el.Nodes, e.elementNode(t.Value))
			el.NodePos = append(el.NodePos, toPos(t.Pos))
		}
	}
	end := toPos(l.toks[len(l.toks)-1].Pos)
	n0 := e.nerr
	rest, dim, ok := e.polyDim(toks[at:], end, name)
	if !ok {
		return true
	}
	if kind == 'e' || kind == 'g' {
		rest, ok = e.polyNodes(el, rest, dim, end)
	} else {
		rest, ok = e.polySources(el, rest, dim, end)
	}
	if !ok {
		return true
	}
	poly := &Poly{Dim: dim}
	el.SetPoly(poly)
	for i, t := range rest {
		if t.Type == TokenComma || isPunctTok(t, "(") || isPunctTok(t, ")") {
			continue // the coefficients may be in parentheses, (p0, p1, p2), as ngspice 39 reads them
		}
		if assignAt(rest, i) {
			e.errorf(toPos(t.Pos), "unexpected %s= in %q: a POLY source takes its coefficients only", strings.ToLower(t.Value), name)
			return true
		}
		v, x, ok := e.tokenValue([]lexer.Token{t})
		if !ok {
			return true
		}
		if x != nil {
			e.errorf(toPos(t.Pos), "the coefficients of %q must be constants, not depend on %s", name, depends(x))
			return true
		}
		poly.Coeffs = append(poly.Coeffs, v)
	}
	if len(poly.Coeffs) == 0 {
		e.errorf(end, "missing coefficients: %q needs p0 p1 ... after its %d controls", name, dim)
		return true
	}
	if e.nerr == n0 {
		e.c.Elements = append(e.c.Elements, el)
	}
	return true
}

// polyDim reads POLY ( n ) and returns the tokens after it.
func (e *elab) polyDim(toks []lexer.Token, end Pos, name string) ([]lexer.Token, int, bool) {
	if len(toks) < 4 || !isPunctTok(toks[1], "(") || toks[2].Type != TokenNumber || !isPunctTok(toks[3], ")") {
		e.errorf(toPos(toks[0].Pos), "expected POLY(n) with n the number of controls, in %q", name)
		return nil, 0, false
	}
	v, err := parseNumber(toks[2].Value)
	if err != nil || v != float64(int(v)) || v < 1 || v > 20 {
		e.errorf(toPos(toks[2].Pos), "the dimension of POLY(n) in %q must be a whole number from 1 to 20, found %s", name, quote(toks[2].Value))
		return nil, 0, false
	}
	return toks[4:], int(v), true
}

// polyNodes reads the n controlling node pairs of a POLY E or G, each written nc+ nc-
// or (nc+, nc-).
func (e *elab) polyNodes(el *Element, toks []lexer.Token, dim int, end Pos) ([]lexer.Token, bool) {
	i := 0
	for k := 0; k < 2*dim; k++ {
		for i < len(toks) && (toks[i].Type == TokenComma || isPunctTok(toks[i], "(") || isPunctTok(toks[i], ")")) {
			i++
		}
		if i == len(toks) {
			e.errorf(end, "missing controlling node: %q has POLY(%d) and needs %d controlling nodes, found %d", el.Name, dim, 2*dim, k)
			return nil, false
		}
		t := toks[i]
		if t.Type != TokenIdent && t.Type != TokenNumber {
			e.errorf(toPos(t.Pos), "expected a controlling node of %q, found %s", el.Name, quote(t.Value))
			return nil, false
		}
		el.Nodes = append(el.Nodes, e.elementNode(t.Value))
		el.NodePos = append(el.NodePos, toPos(t.Pos))
		i++
	}
	if i < len(toks) && isPunctTok(toks[i], ")") {
		i++
	}
	return toks[i:], true
}

// polySources reads the n controlling voltage sources of a POLY F or H.
func (e *elab) polySources(el *Element, toks []lexer.Token, dim int, end Pos) ([]lexer.Token, bool) {
	i := 0
	for k := 0; k < dim; k++ {
		for i < len(toks) && toks[i].Type == TokenComma {
			i++
		}
		if i == len(toks) {
			e.errorf(end, "missing controlling source: %q has POLY(%d) and needs %d voltage sources, found %d", el.Name, dim, dim, k)
			return nil, false
		}
		t := toks[i]
		if t.Type != TokenIdent || !isLetter(strings.ToLower(t.Value)[0]) {
			e.errorf(toPos(t.Pos), "expected the name of a controlling voltage source of %q, found %s", el.Name, quote(t.Value))
			return nil, false
		}
		e.addControl(el, strings.ToLower(t.Value), toPos(t.Pos), 'v')
		i++
	}
	return toks[i:], true
}
