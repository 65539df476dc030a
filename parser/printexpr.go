package parser

import (
	"strings"

	"github.com/gospice/gospice/parser/expr"
)

// exprVector reads Xyce's expression of vectors on .print and .save lines,
// {(v(n2)-v(n3))*i(ymemristor!mr1)}: its column is named by the expression as written
// (lowercase, as every vector name), its parameters are substituted and its probes read
// the flat circuit's nodes and sources; Xyce's ymemristor!mr1 in i() is the device mr1.
// It reads node voltages and currents only: time has no value there.
func (e *elab) exprVector(it *Item) (Vector, bool) {
	pos := toPos(it.Pos)
	toks := trimCommas(it.Tokens)
	src := exprFrom(toks)
	n, ok := e.parseExpr(src)
	if !ok {
		return Vector{}, false
	}
	n, ok = e.foldExpr(xyceProbes(n), src)
	if !ok {
		return Vector{}, false
	}
	bad := ""
	expr.Walk(n, func(n expr.Node) bool {
		if id, ok := n.(*expr.Ident); ok && id.Name != "temper" && bad == "" {
			bad = id.Name
		}
		return bad == ""
	})
	if bad != "" {
		e.errorf(pos, "%s has no value in an output expression: it may read v(...) and i(...)", bad)
		return Vector{}, false
	}
	return Vector{Name: strings.ToLower(text(toks)), Kind: VectorExpr, Expr: n, Pos: pos}, true
}

// isExprItem reports whether it is an expression in braces alone: {v(a)*i(v1)}.
func isExprItem(it *Item) bool {
	return it.Value == nil && it.Key != nil && strings.HasPrefix(it.Key.Expr, "{")
}

// xyceProbes renames Xyce's device names in the i() probes of n (ymemristor!mr1 is mr1),
// in place: n is a freshly parsed tree.
func xyceProbes(n expr.Node) expr.Node {
	expr.Walk(n, func(n expr.Node) bool {
		if p, ok := n.(*expr.Probe); ok && p.Kind == 'i' && len(p.Names) == 1 {
			p.Names[0] = xyceDevice(p.Names[0])
		}
		return true
	})
	return n
}
