package parser

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// values renders the elements of c as name=value (or name=expression), space-separated.
func values(c *Circuit) string {
	var s []string
	for _, e := range c.Elements {
		switch {
		case e.Expr() != nil:
			s = append(s, e.Name+"="+e.ExprKind()+":"+expr.String(e.Expr()))
		case e.Source() != nil:
			s = append(s, e.Name+"="+formatFloat(e.Source().DC))
		default:
			s = append(s, e.Name+"="+formatFloat(e.Value))
		}
	}
	return strings.Join(s, " ")
}

func TestParams(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{".param a=1 b={a*2} c='b+1'\nR1 x 0 {c}", "r1=3"},
		{"R1 x 0 {c}\n.param c='b+1'\n.param b={a*2}\n.param a=1", "r1=3"}, // any order
		{".param r = 2k\nR1 x 0 r={r*2}", "r1=4000"},
		{".param x = 1 + 2 y = x * 3\nR1 a 0 {y}", "r1=9"}, // bare expressions, spaces
		{".param x = 1==1\nR1 a 0 {x+1}", "r1=2"},          // == in a bare expression
		{".param x = 2 >= 1 ? 5 : 6\nR1 a 0 {x}", "r1=5"},  // >= and ?: bare
		{".param rv=2\nR1 1 0 r=rv", "r1=2"},               // a bare name as a value
		{".param rv=2\nR1 1 0 r=rv*2", "r1=4"},             // a bare expression as a value
		{".param rv=2\nR1 1 0 rv", "r1=2"},                 // a bare name in the value's place
		{".param f(x)={x*x}\nR1 a 0 {f(3)}", "r1=9"},       // .param defines a function
		{".params a=5\nR1 a 0 {a}", "r1=5"},                // .params, HSPICE's spelling
		{".param a=1\n+ b=2\nR1 a 0 {a+b}", "r1=3"},        // continued
		{".param a=1, b=2\nR1 a 0 {a+b}", "r1=3"},          // commas
		{".param a=1\n.param a=2\nR1 a 0 {a}", "r1=2"},     // the last definition wins
		{".param pi2={2*pi}\nR1 a 0 {pi2}", "r1=" + formatFloat(2*math.Pi)},
		{".param e=3\nR1 a 0 {e}", "r1=3"}, // a parameter hides a constant
		{".param v0=1.5\nV1 a 0 DC {v0} AC {v0*2} SIN(0 {v0} 1k)", "v1=1.5"},
		{".param n=5\n.tran {1n*n} 1u", ""},
		// name=(expr): TestParenthesizedValues
		{"R4 a 0 R=(100+1)", "r4=101"},
		{"R4 a 0 r = (100 + 1)", "r4=101"},
		{".param rl=100\nR4 a 0 R=(rl+1) tc1=(0.001)", "r4=101"},
		{"C1 a b C=(1u*2)", "c1=2e-06"},
		{"L1 a b L=(1m*2) m=(1+1)", "l1=0.002"},
		{".param rl=100\nR4 a 0 R = (time<12ms ? {rl} : time<20ms ? {rl/2} : {2*rl})", "r4=value:time<0.012 ? 100 : time<0.02 ? 50 : 200"},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if got := values(c); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
	c := mustParse(t, ".param a=1 b={a*2}\n.param n=5\n.tran {1n*n} 1u\nV1 a 0 DC {a} AC {b} 45 SIN(0 {b} {1k*n})\n.ic v(a)={b}\n.options reltol={1m/a}\n.model d d is={1f*b}\nD1 a 0 d m={b}")
	if !reflect.DeepEqual(c.Params, map[string]float64{"a": 1, "b": 2, "n": 5}) {
		t.Errorf("params: %v", c.Params)
	}
	if tr := c.Analyses[0].(*Tran); tr.Step != 5e-9 {
		t.Errorf("tran: %+v", tr)
	}
	v := c.Elements[0].Source()
	if v.DC != 1 || v.ACMag != 2 || v.ACPhase != 45 || !reflect.DeepEqual(v.Wave.Args, []float64{0, 2, 5e3}) {
		t.Errorf("source: %+v %+v", v, v.Wave)
	}
	if c.ICs[0].Value != 2 || c.Options[0].Value != 1e-3 || c.Models["d"].Params[0].Value != 2e-15 || c.Elements[1].Params()[0].Value != 2 {
		t.Errorf("ic %v, options %v, model %v, element %v", c.ICs, c.Options, c.Models["d"].Params, c.Elements[1].Params())
	}
}

// TestTemperParams checks parameters that depend on temper: kept as expressions, with
// their value at 27 °C.
func TestTemperParams(t *testing.T) {
	c := mustParse(t, ".model d d is='1e-12 * temper' n=1\nD1 a 0 d area={1+temper/100}\nR1 a 0 r={1k*(1+(temper-27)*1m)}")
	is := c.Models["d"].Params[0]
	if is.Value != 27e-12 || is.Expr == nil || expr.String(is.Expr) != "1e-12*temper" || c.Models["d"].Params[1].Expr != nil {
		t.Errorf("is: %+v", is)
	}
	if v, err := expr.Eval(is.Expr, map[string]float64{"temper": 100}); err != nil || v != 1e-10 {
		t.Errorf("is at 100: %g %v", v, err)
	}
	if a, ok := c.Elements[0].Param("area"); !ok || a.Value != 1.27 || expr.String(a.Expr) != "1+temper/100" {
		t.Errorf("area: %+v", a)
	}
	r := c.Elements[1]
	if r.Expr() == nil || r.ExprKind() != "value" || r.HasValue || expr.String(r.Expr()) != "1000*(1+(temper-27)*0.001)" {
		t.Errorf("r1: %+v", r)
	}
}

func TestParamErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{".param a=b b=c c=a\nR1 x 0 {a}", []string{`t.cir:2:8: parameter cycle: a -> b -> c -> a`}},
		{".param a={a+1}", []string{`t.cir:2:8: parameter cycle: a -> a`}},
		{".param p = {ddt(3)+1}", []string{`t.cir:2:13: parameter "p": ddt() is a time derivative, which only B sources and behavioural elements take`}},
		{".param alpha=1 beta=2\n.param c={alpha+betta}", []string{`t.cir:3:17: unknown parameter "betta" (did you mean "beta"?)`}},
		{".param a=1 b=2\n.param c={a+bb}", []string{`t.cir:3:13: unknown parameter "bb" (did you mean "b"?)`}}, // too short to guess
		{".param rval=1k\nR1 a 0 {rvall}", []string{`t.cir:3:9: unknown parameter "rvall" (did you mean "rval"?)`}},
		{".param x=1\nR1 a 0 {tmper}", []string{`t.cir:3:9: unknown parameter "tmper" (did you mean "temper"?)`}},
		{"R1 a 0 {sqrtt(4)}", []string{`t.cir:2:9: unknown function "sqrtt" (did you mean "sqrt"?)`}},
		{".param a=b\n.param c={a*2}\nR1 x 0 {c}", []string{`t.cir:2:10: unknown parameter "b"`}}, // one error, not three
		{".param p={v(1)}", []string{`t.cir:2:8: parameter "p" is not a constant: it depends on v(1)`}},
		{".param p={temper*time}", []string{`t.cir:2:8: parameter "p" is not a constant: it depends on temper, time`}},
		{".param time=1", []string{`t.cir:2:8: time cannot be a parameter: it is a simulation variable`}},
		{".param a=", []string{`t.cir:2:9: missing value after '='`}},
		{".param 5", []string{`t.cir:2:8: expected name=value in .param, found "5"`}},
		{".param", []string{`t.cir:2:7: missing name=value: .param name=value ...`}},
		{".param a={1+}", []string{`t.cir:2:13: unexpected end of expression`}},
		{".param a={1/0}", []string{`t.cir:2:12: division by zero`}},
		{".param a={sqrt(-1)}", []string{`t.cir:2:11: sqrt: sqrt of a negative number, got -1`}},
		{"R1 a b {1 +\n+ 2 * * 3}", []string{`t.cir:3:7: unexpected '*'`}}, // inside braces, on a continuation line
		{"R1 a b '1 +\n+   x'", []string{`t.cir:3:5: unknown parameter "x"`}},
		{".param a=1\n.param a=2", nil},
		{"R1 a b {v(a)}", nil}, // a behavioural resistor
		{"V1 a 0 {v(b)}", []string{`t.cir:2:8: not a constant: the value depends on v(b)`}},
		{".tran 1n {time}", []string{`t.cir:2:10: not a constant: the value depends on time`}},
		{"R1 a b 1k m={1/0}", []string{`t.cir:2:15: division by zero`}},
		{".model d d is={2*v(1)}", []string{`t.cir:2:15: is must not depend on v(1)`}},
		{".param x=1\nR1 a b 1k m=y", []string{`t.cir:3:13: expected a number, found "y"`}},
		{"R1 a b r=4k7", []string{`t.cir:2:10: expected a number, found "4k7" (values in RKM notation, like 4k7, are not supported)`}},
		{"R1 a b 1k m=1n4148", []string{`t.cir:2:13: expected a number, found "1n4148"`}},
		{".tran 1n 2*3u", nil},
		{".param xyz=1\nR1 a b 1k m=xyy", []string{`t.cir:3:13: expected a number, found "xyy" (did you mean "xyz"?)`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	c := mustParse(t, ".param a=1\n.param a=2")
	if len(c.Warnings) != 1 || c.Warnings[0].Error() != `t.cir:3:8: parameter "a" defined again (first at t.cir:2): this definition is used` {
		t.Errorf("warnings: %v", c.Warnings)
	}
}

func TestFuncs(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{".func sq(x) {x*x}\nR1 a 0 {sq(3)}", "r1=9"},
		{".func sq(x) = {x*x}\nR1 a 0 {sq(3)}", "r1=9"},
		{".func sq(x) x*x\nR1 a 0 {sq(3)}", "r1=9"},
		{".func sq(x) 'x * x'\nR1 a 0 {sq(3)}", "r1=9"},
		{".func icos(x) cos(x) - 1\nR1 a 0 {icos(0)+2}", "r1=2"},
		{".func f(x, y) {x*10+y}\nR1 a 0 {f(1, 2)}", "r1=12"},
		{".func two() {2}\nR1 a 0 {two()*3}", "r1=6"},
		{".func g(x) {f(x)+1}\n.func f(x) {x*2}\nR1 a 0 {g(1)}", "r1=3"}, // any order
		{".param k=3\n.func f(x) {k*x}\nR1 a 0 {f(2)}", "r1=6"},
		{".func f(x) {2*x}\nB1 a 0 v={f(v(c))}", "b1=v:2*v(c)"},
		{".func sin(x) {42}\nR1 a 0 {sin(0)}", "r1=42"}, // a .func hides a built-in
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if got := values(c); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
	errs := []struct {
		src  string
		want []string
	}{
		{".func f(x) {f(x)}\nR1 a 0 {f(1)}", []string{`t.cir:3:9: in f(): recursive function: f -> f`}},
		{".func f(x) {x}\nR1 a 0 {f(1, 2)}", []string{`t.cir:3:9: f() takes 1 argument, found 2`}},
		{".func f(x) {x+y}\nR1 a 0 {f(1)}", []string{`t.cir:3:9: in f(): unknown parameter "y"`}},
		{".func f(x) {x}\n.func f(y) {y}", []string{`t.cir:3:7: duplicate function "f" (first defined at t.cir:2)`}},
		{".func f(x, x) {x}", []string{`t.cir:2:12: duplicate parameter "x" of function f`}},
		{".func f(x)", []string{`t.cir:2:11: missing body of function f: .func name(args) {expression}`}},
		{".func f {x}", []string{`t.cir:2:7: expected ( after the name of function f: .func name(args) {expression}`}},
		{".func v(x) {x}", []string{`t.cir:2:7: v() is a probe and cannot be redefined`}},
		{".func f(1) {1}", []string{`t.cir:2:9: expected a parameter name of function f, found "1"`}},
		{".func f(x) {x+}", []string{`t.cir:2:15: unexpected end of expression`}},
	}
	for _, tc := range errs {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	// Functions that double at each level: the inlined expression would have 2^20 nodes.
	src := ".func f0(x) {x}\n"
	for i := 1; i <= 20; i++ {
		src += ".func f" + itoa(i) + "(x) {f" + itoa(i-1) + "(x)+f" + itoa(i-1) + "(x)}\n"
	}
	src += "R1 a 0 {f20(v(a))}\nR2 a 0 {1+f20(1)}"
	want := []string{
		`t.cir:23:9: expression too large (more than 100000 nodes with its functions inlined)`,
		`t.cir:24:11: expression too large (more than 100000 nodes with its functions inlined)`,
	}
	if got := parseErrors(t, src); !reflect.DeepEqual(got, want) {
		t.Errorf("large functions:\n got %q\nwant %q", got, want)
	}
}

func TestIf(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{".param is=0\n.if (is)\nR1 a 0 1\n.else\nR2 a 0 2\n.endif", "r2=2"},
		{".param is=1\n.if (is)\nR1 a 0 1\n.else\nR2 a 0 2\n.endif", "r1=1"},
		{".param m=2\n.if (m == 1)\nR1 a 0 1\n.elseif (m == 2)\nR2 a 0 2\n.elseif (m >= 2)\nR3 a 0 3\n.else\nR4 a 0 4\n.endif", "r2=2"},
		{".param a=1 b=0\n.if (a)\n.if (b)\nR1 a 0 1\n.else\nR2 a 0 2\n.endif\n.else\n.if (1)\nR3 a 0 3\n.endif\n.endif", "r2=2"},
		{".if (0)\n.param k=1\n.else\n.param k=2\n.endif\nR1 a 0 {k}", "r1=2"},
		{".if (1)\n.subckt s a\nR1 a 0 1\n.ends\n.endif\nX1 n s", "x1.r1=1"},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if got := values(c); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
	errs := []struct {
		src  string
		want []string
	}{
		{".if (k)\n.endif\n.param k=1", []string{`t.cir:2:6: unknown parameter "k"`}},
		{".if (v(a))\n.endif", []string{`t.cir:2:5: the condition of .if must be a constant, not depend on v(a)`}},
		{".if (1)\nR1 a 0 1", []string{`t.cir:2:1: missing .endif for .if`}},
		{".else", []string{`t.cir:2:1: .else without .if`}},
		{".endif", []string{`t.cir:2:1: .endif without .if`}},
		{".if (1)\n.else\n.else\n.endif", []string{`t.cir:4:1: .else after .else`}},
		{".if\n.endif", []string{`t.cir:2:4: missing condition: .if (expression)`}},
		{".subckt s a\n.if (1)\n.endif\n.ends", []string{`t.cir:3:1: .if inside .subckt is not supported`}},
	}
	for _, tc := range errs {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// TestSubcktParamFirstWord: inside a .subckt, ngspice 39 reads a .param value written
// without braces or quotes up to its first space and drops the rest (measured with
// ngspice -b: p1 = 2 * 3 gives 2, xx * zz*5 gives 2, xx*3 gives 6); gospice does the
// same and warns. Braced and quoted values, and values at the top level, are whole.
func TestSubcktParamFirstWord(t *testing.T) {
	c := mustParse(t, `.param xx=2 zz=0 top = 2 * 3
.subckt s a
.param p1 = 2 * 3
.param
+ p2 = xx * zz*5 p3 = xx*3 p4 = {xx * 3} p5 = 'xx * 3'
r1 a 0 {p1}
r2 a 0 {p2}
r3 a 0 {p3}
r4 a 0 {p4}
r5 a 0 {p5}
r6 a 0 {top}
.ends
x1 1 s`)
	want := map[string]float64{"x1.r1": 2, "x1.r2": 2, "x1.r3": 6, "x1.r4": 6, "x1.r5": 6, "x1.r6": 6}
	for _, el := range c.Elements {
		if w, ok := want[el.Name]; ok && el.Value != w {
			t.Errorf("%s = %g, ngspice %g", el.Name, el.Value, w)
		}
	}
	if len(c.Warnings) != 2 || !strings.Contains(c.Warnings[0].Error(), "t.cir:4:15: .param p1: ngspice reads a value without braces up to the first space") {
		t.Errorf("warnings: %v", c.Warnings)
	}
}

// TestParenthesizedValues: name=(expr) on an element is an expression, as ngspice 39
// reads it (measured: R4 a 0 R=(100+1) is 101 ohm, C1 a b C=(1u*2) 2 uF), and a {x}
// among its tokens is a subexpression (examples/vdmos/dcdc.sp); a value that depends on
// time makes a behavioural resistor. In the value's place without a name, ngspice 39
// reads (100+1) as a model name: gospice refuses it.
func TestParenthesizedValues(t *testing.T) {
	// The values: TestParams.
	if _, err := Parse("t.cir", []byte("t\nR4 a 0 (100+1)\n")); err == nil || !strings.Contains(err.Error(), "t.cir:2:8:") {
		t.Errorf("a parenthesized value without a name: %v, want an error at t.cir:2:8", err)
	}
}

// TestStringParams: string parameters as ngspice 39's numparam has them (strings.cir,
// vector_param.cir, sp/file.cir): .param, a .subckt default, an instance's string or
// string parameter, and concatenation. gospice carries them to XSPICE model cards,
// which it keeps unread; where a number is needed a string is an error that shows it.
func TestStringParams(t *testing.T) {
	const sub = ".subckt pg 1 tbl=\"0000\"\n.model poly d_lut table_values=tbl\nR1 1 0 {tbl}\n.ends\n"
	tests := []struct{ src, want string }{
		{".param s=\"abc\"\nR1 a 0 {s}", `t.cir:2:8: parameter "s" is a string ("abc") where a number is needed`},
		{".param v=\"[1e-12 2e-12]\"\nR1 a 0 {v}", `parameter "v" is a string ("[1e-12 2e-12]")`},
		{".param a=\"0111\" b=\"0001\"\n.param c=a{b}\nR1 x 0 {c}", `parameter "c" is a string ("01110001")`},
		{".param a=\"01\" n=2 c=a{n}", `t.cir:2:22: parameter "c" joins strings, but n is not a string parameter`},
		{".param s=\"x\" t={s}\nR1 a 0 {t+1}", `parameter "t" is a string ("x")`},
		{sub + ".param or=\"0111\"\nX1 n pg tbl=or", `parameter "tbl" is a string ("0111") where a number is needed: gospice takes string parameters only in XSPICE model cards (in instance x1)`},
		{sub + "X1 n pg tbl=\"137MHz_BPF.s2p\"", `parameter "tbl" is a string ("137MHz_BPF.s2p")`},
		{sub + "X1 n pg", `parameter "tbl" is a string ("0000")`},
	}
	for _, tc := range tests {
		errs := parseErrors(t, tc.src)
		if len(errs) != 1 || !strings.Contains(errs[0], tc.want) {
			t.Errorf("%q: got %q, want one error with %q", tc.src, errs, tc.want)
		}
	}
	// Carried to an XSPICE model card, unused elsewhere: no error.
	mustParse(t, ".param and=\"0001\"\n.model l_and d_lut table_values=and\n.subckt pg 1 table=\"0000\"\n.model p d_lut table_values=table\nR1 1 0 1k\n.ends\nX1 n pg table=and\nX2 m pg table=\"0111\"\n")
}

// TestStringParamsCycles: a concatenation that names itself joins the caller's string
// (an error where the caller has none), and parameters that join each other in a cycle
// are an error naming one of them, not a stack overflow (found by FuzzClaimNamesBeside).
func TestStringParamsCycles(t *testing.T) {
	tests := []struct{ src, want string }{
		{".subckt s a b params: p=BB0{p}\nR2 a b 1\n.model dm d is={p*1f}\nD1 a b dm\n.ends\nX1 1 n2 s p=3\nX2 n2 0 s",
			`parameter "p" joins strings, but p is not a string parameter`},
		{".param p=\"1\" x=\"x\"\n.subckt s a params: p=x{p}\nR1 a 0 {p}\n.ends\nX1 1 s", `parameter "p" is a string ("x1")`},
		{".param p=a{q} q=b{p}\nR1 a 0 {p}", `(its parts name each other in a cycle)`},
	}
	for _, tc := range tests {
		errs := parseErrors(t, tc.src)
		if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), tc.want) {
			t.Errorf("%q: got %q, want an error with %q", tc.src, errs, tc.want)
		}
	}
}

// TestStringParamsPerInstance: a concatenation in a definition joins each instance's own
// strings.
func TestStringParamsPerInstance(t *testing.T) {
	errs := parseErrors(t, ".subckt s 1 t=\"0\"\n.param u=t{t}\nR1 1 0 {u}\n.ends\nX1 a s t=\"1\"\nX2 b s t=\"2\"\n")
	if len(errs) != 2 || !strings.Contains(errs[0], `("11")`) || !strings.Contains(errs[1], `("22")`) {
		t.Errorf("got %q", errs)
	}
}
