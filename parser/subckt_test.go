package parser

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// flat renders the elements of c as name(nodes)=value[model], space-separated.
func flat(c *Circuit) string {
	var s []string
	for _, e := range c.Elements {
		v := formatFloat(e.Value)
		switch {
		case e.Expr() != nil:
			v = e.ExprKind() + ":" + expr.String(e.Expr())
		case e.Source() != nil:
			v = formatFloat(e.Source().DC)
		}
		m := ""
		if e.Model != "" {
			m = "[" + e.Model + "]"
		}
		if len(e.Controls()) > 0 {
			m += "<" + strings.Join(e.Controls(), ",") + ">"
		}
		s = append(s, e.Name+"("+strings.Join(e.Nodes, ",")+")="+v+m)
	}
	return strings.Join(s, " ")
}

func TestSubckt(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"flat names and nodes", `
.subckt div in out
R1 in mid 1k
R2 mid out 2k
.ends div
X1 a b div
X2 b 0 div`, "x1.r1(a,x1.mid)=1000 x1.r2(x1.mid,b)=2000 x2.r1(b,x2.mid)=1000 x2.r2(x2.mid,0)=2000"},
		{"defined after use", `
X1 a b div
.subckt div in out
R1 in out 1k
.ends`, "x1.r1(a,b)=1000"},
		{"nested instances", `
.subckt inner a b
R1 a b 1
.ends
.subckt outer x y
X1 x m inner
X2 m y inner
.ends
XA p q outer`, "xa.x1.r1(p,xa.m)=1 xa.x2.r1(xa.m,q)=1"},
		{"ground and global nodes", `
.global vdd
.subckt s a
R1 a 0 1
R2 a gnd 2
R3 a vdd 3
R4 a vss 4
.ends
X1 n s`, "x1.r1(n,0)=1 x1.r2(n,0)=2 x1.r3(n,vdd)=3 x1.r4(n,x1.vss)=4"},
		{"parameters, defaults and overrides", `
.param g=10
.subckt s a p=1 q={p*2} r=g
R1 a 0 {p}
R2 a 0 {q}
R3 a 0 {r}
.ends
X1 n s
X2 n s p=5
X3 n s q=7 r={g*3}`, "x1.r1(n,0)=1 x1.r2(n,0)=2 x1.r3(n,0)=10 x2.r1(n,0)=5 x2.r2(n,0)=10 x2.r3(n,0)=10 x3.r1(n,0)=1 x3.r2(n,0)=7 x3.r3(n,0)=30"},
		{"params: keyword", `
.subckt s a params: p=1
R1 a 0 {p}
.ends
X1 n s params: p=3
X2 n s PARAMS:p=4`, "x1.r1(n,0)=3 x2.r1(n,0)=4"},
		{"instance values from the caller's parameters", `
.subckt leaf a v=1
R1 a 0 {v}
.ends
.subckt mid a w=2
.param w2={w*2}
X1 a leaf v={w2+1}
.ends
X1 n mid w=5`, "x1.x1.r1(n,0)=11"},
		{"bare expressions on .subckt and X lines", `
.param stime=10n
.subckt s a beta=20e3/stime
R1 a 0 {beta}
.ends
X1 n s
X2 n s beta = 2 * 3`, "x1.r1(n,0)=2e+12 x2.r1(n,0)=6"},
		{"local models", `
.model dmod d is=1f
.subckt s a k=1
D1 a 0 dmod
D2 a 0 lmod
.model lmod d is={k*1p}
.ends
X1 n s
X2 n s k=2`, "x1.d1(n,0)=0[dmod] x1.d2(n,0)=0[x1.lmod] x2.d1(n,0)=0[dmod] x2.d2(n,0)=0[x2.lmod]"},
		{"nested definitions are scoped", `
.subckt outer a
.subckt inner b
R1 b 0 {rr}
.ends inner
X1 a inner
.ends outer
.param rr=2
X9 n outer`, "x9.x1.r1(n,0)=2"},
		{"a nested definition sees the parameters around it", `
.subckt outer a k=3
.subckt inner b
R1 b 0 {k*2}
.ends
X1 a inner
.ends
X9 n outer k=4`, "x9.x1.r1(n,0)=8"},
		{"functions local to a subcircuit", `
.param stime=10n
.subckt m plus minus beta=20e3/stime
.func f1(y)={beta*y}
Bx 0 x I={f1(V(plus)-V(minus))}
Rm plus minus r={V(x)}
Vx x 0 0
.ends
Xmem 1 0 m`, "xmem.bx(0,xmem.x)=i:2e+12*(v(1)-v(0)) xmem.rm(1,0)=value:v(xmem.x) xmem.vx(xmem.x,0)=0"},
		{"probes name flat sources", `
.subckt s a
Vx a b 0
F1 c 0 vx 2
H1 d 0 Vx 3
B1 e 0 v=i(vx)*2
E1 f 0 value={v(a,b)}
.ends
X1 n s`, "x1.vx(n,x1.b)=0 x1.f1(x1.c,0)=2<x1.vx> x1.h1(x1.d,0)=3<x1.vx> x1.b1(x1.e,0)=v:i(x1.vx)*2 x1.e1(x1.f,0)=value:v(n,x1.b)"},
		{"couplings", `
.subckt t a b
L1 a 0 1u
L2 b 0 1u
K1 L1 L2 0.9
.ends
X1 p s t`, "x1.l1(p,0)=1e-06 x1.l2(s,0)=1e-06 x1.k1()=0.9<x1.l1,x1.l2>"},
		{"ends with another name", `
.subckt s a
R1 a 0 1
.ends t
X1 n s`, "x1.r1(n,0)=1"},
		{"numbers as names", `
.subckt 74ls00 1 2
R1 1 2 1
.ends
X1 3 4 74ls00`, "x1.r1(3,4)=1"},
	}
	for _, tc := range tests {
		c, err := Parse("t.cir", []byte("title"+tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := flat(c); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestSubcktDetails(t *testing.T) {
	c := mustParse(t, `.subckt s a
R1 a b 1
C1 b 0 1p
.ends
X1 n s
.ic v(x1.b)=1
.print tran v(x1.b) i(x1.r1)`)
	r := c.Elements[0]
	if r.Pos != (Pos{"t.cir", 3, 1}) || r.NodePos[1] != (Pos{"t.cir", 3, 6}) || r.ValuePos != (Pos{"t.cir", 3, 8}) {
		t.Errorf("positions: %v %v %v", r.Pos, r.NodePos, r.ValuePos)
	}
	if c.ICs[0].Node != "x1.b" || vectorNames(c.Prints[0].Vectors) != "v(x1.b) i(x1.r1)" {
		t.Errorf("ic %v, print %v", c.ICs, c.Prints)
	}
	c = mustParse(t, ".subckt s a\n.model m d\nD1 a 0 m\n.ends\nX1 n s\nX2 n s")
	if m := c.Models["x1.m"]; m == nil || m.Name != "x1.m" || m.Pos != (Pos{"t.cir", 3, 1}) || c.Models["x2.m"] == nil || len(c.Models) != 2 {
		t.Errorf("models: %v", c.Models)
	}
}

func TestSubcktErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{".subckt nand a b y\n.ends\nX1 a b y nnd", []string{`t.cir:4:10: unknown subcircuit "nnd" (did you mean "nand"?)`}},
		{".subckt nand a b y\n.ends\nX1 a b nand", []string{`t.cir:4:1: x1 connects 2 nodes, but .subckt nand (t.cir:2) has 3 nodes`}},
		{".subckt a p\nX1 p b\n.ends\n.subckt b p\nX2 p a\n.ends\nXtop n a",
			[]string{`t.cir:6:1: recursive subcircuit: a (xtop) -> b (xtop.x1) -> a (xtop.x1.x2) (in instance xtop.x1)`}},
		{".subckt s p\nX1 p s\n.ends\nX0 n s", []string{`t.cir:3:1: recursive subcircuit: s (x0) -> s (x0.x1) (in instance x0)`}},
		{".subckt s a\n.ends\n.subckt S b\n.ends", []string{`t.cir:4:9: duplicate .subckt s (first defined at t.cir:2)`}},
		{".subckt s a p=1\n.ends\nX1 n s q=2", []string{`t.cir:4:8: unknown parameter "q" of subcircuit s (it has p)`}},
		{".subckt s a pval=1\n.ends\nX1 n s pvl=2", []string{`t.cir:4:8: unknown parameter "pvl" of subcircuit s (did you mean "pval"?)`}},
		{".subckt s a w=1 l=1\n.ends\nX1 n s ww=2", []string{`t.cir:4:8: unknown parameter "ww" of subcircuit s (did you mean "w"?)`}},
		{".subckt s a\n.ends\nX1 n s q=2", []string{`t.cir:4:8: unknown parameter "q" of subcircuit s (it has none)`}},
		{".subckt s a\n.ends\nX1 n s m=-2", []string{`t.cir:4:8: m of x1 must be positive, got -2`}},
		{".subckt s a m=1\nR1 a 0 {m}\n.ends\nX1 n s m=2", nil}, // unless the subcircuit has a parameter m
		{".subckt s a p=1\n.ends\nX1 n s p=2 p=3", []string{`t.cir:4:12: parameter "p" of x1 given twice`}},
		{".subckt s a p=1\n.ends\nX1 n s p={v(a)}", []string{`t.cir:4:8: parameter "p" of x1 must be a constant, not depend on v(a)`}},
		{".subckt s a\nR1 a 0 1", []string{`t.cir:2:1: missing .ends for .subckt s`}},
		{".ends", []string{`t.cir:2:1: .ends without .subckt`}},
		{"X1 a", []string{`t.cir:2:4: unknown subcircuit "a"`}},
		{"X1", []string{`t.cir:2:3: missing subcircuit name: Xname nodes... subckt [name=value ...]`}},
		{".subckt", []string{`t.cir:2:8: missing subcircuit name: .subckt name nodes... [params: name=value ...]`}},
		{".subckt s a a\n.ends", []string{`t.cir:2:13: node a appears twice in .subckt s`}},
		{".subckt s a p=1 p=2\n.ends", []string{`t.cir:2:17: duplicate parameter "p" of .subckt s`}},
		{".subckt s a\n.ends\nX1 n s\nX1 m s", []string{`t.cir:5:1: duplicate element name "x1" (first defined at t.cir:4)`}},
		// An error inside a subcircuit is reported at its line, once, naming the first instance.
		{".subckt s a\nR1 a 0 {1/k}\n.ends\nX1 n s\nX2 n s", []string{`t.cir:3:11: unknown parameter "k" (in instance x1)`}},
		{".subckt s a k=1\nR1 a 0 {1/k}\n.ends\nX1 n s\nX2 n s k=0", []string{`t.cir:3:10: division by zero (in instance x2)`}},
		{".subckt s a\nR1 a\n.ends\nX1 n s", []string{`t.cir:3:5: missing node: resistor "x1.r1" needs 2 nodes, found 1 (in instance x1)`}},
		// So are the errors found once the whole netlist is read, with the names as written.
		{".subckt s a\nF1 a 0 vnone 2\n.ends\nX1 n s\nX2 n s", []string{`t.cir:3:8: unknown voltage source "vnone" in "f1" (in instance x1)`}},
		{".subckt s a\nB1 a 0 i={i(vnone)}\n.ends\nX1 n s\nX2 n s", []string{`t.cir:3:11: unknown element "vnone" in i() (in instance x1)`}},
		{".subckt s a\nR1 a 0 1\nH1 a 0 r1 2\n.ends\nX1 n s\nX2 n s", []string{`t.cir:4:8: "r1" in "h1" is not a voltage source (in instance x1)`}},
		{".subckt s a\nD1 a 0 nomod\n.ends\nX1 n s", []string{`t.cir:3:8: unknown model "nomod" (in instance x1)`}},
		{".subckt s a\n.tran 1n 1u\n.ends\nX1 n s", []string{`t.cir:3:1: .tran inside .subckt s is not supported (in instance x1)`}},
		{".subckt s a\n.model m d\n.ends\nD1 a 0 m", []string{`t.cir:5:8: unknown model "m"`}}, // local to s
		{".subckt o a\n.subckt i b\n.ends\n.ends\nX1 n i", []string{`t.cir:6:6: unknown subcircuit "i"`}},
		{".subckt s a k=1\n.param k=2\n.ends\nX1 n s", nil},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	c := mustParse(t, ".subckt s a\nR1 a 0 1\n.ends t\nX1 n s")
	if len(c.Warnings) != 1 || c.Warnings[0].Error() != "t.cir:4:7: .ends t closes .subckt s (t.cir:2)" {
		t.Errorf("warnings: %v", c.Warnings)
	}
}

// TestSubcktLimits checks that a netlist that asks for a huge flat circuit stops with an
// error instead of exhausting the memory.
func TestSubcktLimits(t *testing.T) {
	saved := maxElements
	maxElements = 1000
	defer func() { maxElements = saved }()
	src := ".subckt s0 a\nR1 a 0 1\n.ends\n"
	for i := 1; i <= 20; i++ {
		src += strings.ReplaceAll(".subckt sI a\nX1 a sJ\nX2 a sJ\n.ends\n", "I", itoa(i))
		src = strings.ReplaceAll(src, "sJ", "s"+itoa(i-1))
	}
	src += "X1 n s20\n"
	got := parseErrors(t, src)
	if len(got) != 1 || !strings.Contains(got[0], "the flat circuit has more than 1000 elements") {
		t.Errorf("got %q", got)
	}
	// Instances count too, with no element in them.
	src = strings.ReplaceAll(src, "R1 a 0 1\n", "")
	got = parseErrors(t, src)
	if len(got) != 1 || !strings.Contains(got[0], "the flat circuit has more than 1000 elements and instances") {
		t.Errorf("got %q", got)
	}
	// Lines written out at the top level are not flattening: a large network's 1,500
	// element lines and 100 small instances stay within a limit of 1,000.
	var b strings.Builder
	b.WriteString(".subckt cell a\nR1 a 0 1\nC1 a 0 1p\n.ends\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "R%d n%d 0 1k\n", i, i)
	}
	for i := range 100 {
		fmt.Fprintf(&b, "X%d n%d cell\n", i, i)
	}
	if c := mustParse(t, b.String()); len(c.Elements) != 1700 {
		t.Errorf("%d elements, want 1700", len(c.Elements))
	}
}

func itoa(i int) string { return formatFloat(float64(i)) }
