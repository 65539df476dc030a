package parser

import (
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// TestExprVectors reads Xyce's {expression} on .print, .save and .meas: the column is
// named by the expression as written, parameters are substituted and probes read flat
// names (Xyce's device names in i(): TestExprVectorErrors and netlists/xyce).
func TestExprVectors(t *testing.T) {
	c := mustParse(t, `.param k=2
v1 a 0 1
r1 a b 1k
r2 b 0 1k
.subckt s p
r3 p 0 1k
.ends
x1 b s
.print tran v(a) {K*(v(a)-v(b))*i(v1)} { v(x1.p) }
.save {v(a,b)/temper}
.meas tran pk max {v(b)*k}
.tran 1u 1m
.end
`)
	got := c.Prints[0].Vectors[1]
	if got.Kind != VectorExpr || got.Name != "{k*(v(a)-v(b))*i(v1)}" || got.String() != got.Name {
		t.Errorf("vector %+v, want the expression named as written", got)
	}
	if s := expr.String(got.Expr); s != "2*(v(a)-v(b))*i(v1)" {
		t.Errorf("folded %s, want 2*(v(a)-v(b))*i(v1)", s)
	}
	if v := c.Prints[0].Vectors[2]; v.Name != "{ v(x1.p) }" || expr.String(v.Expr) != "v(x1.p)" {
		t.Errorf("vector %q folded %s", v.Name, expr.String(v.Expr))
	}
	if v := c.Saves[0]; v.Kind != VectorExpr || v.Name != "{v(a,b)/temper}" {
		t.Errorf(".save vector %+v", v)
	}
	if m := c.Measures[0]; m.Signal.Expr == nil || expr.String(m.Signal.Expr) != "v(b)*2" {
		t.Errorf(".meas signal %+v", m.Signal)
	}
}

// TestExprVectorErrors: what an output expression cannot read is an error at its column.
func TestExprVectorErrors(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{".print tran {v(a)*time}", "t.cir:4:13: time has no value in an output expression"},
		{".print tran v(a) {v(a)*nope}", `t.cir:4:24: unknown parameter "nope"`},
		{".save {v(a)*}", "t.cir:4:"},
		{".print tran {i(ymemristor!mr1)}", `t.cir:4:14: unknown element "mr1" in i()`},
		{".meas ac m max {v(a)}", "t.cir:4:16: an expression is not supported in .meas ac"},
	} {
		errs := parseErrors(t, "v1 a 0 1\nr1 a 0 1k\n"+tc.line+"\n.tran 1u 1m\n.ac dec 1 1 10\n.end\n")
		if len(errs) == 0 || !strings.Contains(errs[0], tc.want) {
			t.Errorf("%s: errors %q, want %q", tc.line, errs, tc.want)
		}
	}
}
