package expr

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func eval(t *testing.T, text string, vars map[string]float64) (float64, error) {
	t.Helper()
	n, err := Parse(text)
	if err != nil {
		return 0, err
	}
	return Eval(n, vars)
}

// TestPrecedence checks operators against values measured on ngspice 39 (the same in a
// .param value and a B source unless noted).
func TestPrecedence(t *testing.T) {
	tests := []struct {
		text string
		want float64
	}{
		{"1+2*3", 7},
		{"2+3*4^2", 50},
		{"-2^2", -4},  // unary minus binds looser than ^
		{"-2**2", -4}, // ** is ^
		{"2^3^2", 64}, // left-associative, as ngspice
		{"2**3**2", 64},
		{"2^0.5^2", 2},
		{"2^-1", 0.5}, // the exponent may carry a sign
		{"-2^-2", -0.25},
		{"2^-2^2", 0.0625},
		{"(-2)^3", 8}, // |x|^y
		{"(-2)^2", 4},
		{"(-8)^(1/3)", 2},
		{"-(-2)^3", -8},
		{"-sqrt(4)^2", -4},
		{"0^0", 1},
		{"2*-3", -6},
		{"- -2", 2},
		{"-(2)^2", -4},
		{"!0", 1},
		{"!2", 0},
		{"!0+1", 2},
		{"!1+1", 1},
		{"!0^2", 1},
		{"1+!0", 2},
		{"2-1-1", 0},
		{"8/2/2", 2},
		{"7%3", 1}, // numparam's %; B sources have none
		{"-5%3", -2},
		{"5.5%2", 1.5},
		{"2*3%4", 2},
		{"7%4*2", 6},
		{"8/4%3", 2},
		{"1<2", 1},
		{"2<=2", 1},
		{"1==1", 1},
		{"1!=1", 0},
		{"1<>2", 1},
		{"1<2==1", 1},
		{"3==3<2", 0}, // == below <, as B sources (numparam says 1)
		{"0==1<2", 0}, // B sources; numparam says 1
		{"2==2>1", 0},
		{"3>2>1", 0},
		{"1+1==2", 1},
		{"-1 < 0", 1},
		{"-2>-3", 1},
		{"!0 == 1", 1},
		{"1 && 0", 0},
		{"1 || 0", 1},
		{"0.5 && 1", 1},
		{"1||0&&0", 1},
		{"0&&1||1", 1},
		{"1 > 0 && 2 > 1", 1},
		{"1 ? 2 : 3", 2},
		{"0 ? 2 : 3", 3},
		{"1>0 ? 2 : 3", 2},
		{"1?2:0?3:4", 2},
		{"0?1:0?3:4", 4},
		{"0 ? 1 : 2 + 3", 5},
		{"1?2:3+10", 2},
		{"(1?2:3)+10", 12},
		{"0||0?5:6", 6},
		{"{1+2}*3", 9},
		{"2k*3", 6000},
		{"1meg+1", 1000001},
		{"1.5u*1e6", 1.5},
		{"1e3", 1000},
		{"1.e3", 1000},
		{".5", 0.5},
		{"5.", 5},
		{"10mil", 254e-6},
		{"1f", 1e-15},
		{"1a", 1}, // a is not a scale
		{"2e", 2}, // an e without digits is a unit letter
		{"2*pi", 2 * math.Pi},
		{"ln(e)", 1},
		{"  1 +\t2 ", 3},
	}
	for _, tc := range tests {
		got, err := eval(t, tc.text, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%q = %g, want %g", tc.text, got, tc.want)
		}
	}
}

// TestFunctions checks the built-in functions, at their edge points especially.
func TestFunctions(t *testing.T) {
	tests := []struct {
		text string
		want float64
	}{
		{"abs(-3)", 3},
		{"abs(-0)", 0},
		{"sqrt(4)", 2},
		{"sqrt(0)", 0},
		{"exp(1)", math.E},
		{"exp(-1)", math.Exp(-1)},
		{"ln(10)", math.Log(10)},
		{"log(10)", math.Log(10)}, // natural, as ngspice
		{"log10(100)", 2},
		{"pow(2,0.5)", math.Sqrt2},
		{"pow(-2,2)", 4},
		{"pow(-2,3)", 8},  // B sources: |x|^y (numparam says -8)
		{"pwr(-2,3)", -8}, // sgn(x)*|x|^y (B sources; numparam says 8)
		{"pwr(-2,2)", -4},
		{"pwr(2,0.5)", math.Sqrt2},
		{"pwr(0,2)", 0},
		{"sin(pi/2)", 1},
		{"cos(0)", 1},
		{"tan(1)", math.Tan(1)},
		{"asin(1)", math.Pi / 2},
		{"acos(1)", 0},
		{"atan(1)", math.Pi / 4},
		{"atan2(1,1)", math.Pi / 4},
		{"atan2(1,-1)", 3 * math.Pi / 4},
		{"sinh(1)", math.Sinh(1)},
		{"cosh(0)", 1},
		{"tanh(1)", math.Tanh(1)},
		{"asinh(1)", math.Asinh(1)},
		{"acosh(2)", math.Acosh(2)},
		{"atanh(0.5)", math.Atanh(0.5)},
		{"min(1,2)", 1},
		{"min(-1,-2)", -2},
		{"max(1,2)", 2},
		{"max(1,2,3)", 3},
		// One argument: ngspice 39's .param compares it with 1.
		{"max(3)", 3},
		{"max(-3)", 1},
		{"min(7)", 1},
		{"min(-7)", -7},
		{"limit(5,0,3)", 3},
		{"limit(-1,0,3)", 0},
		{"limit(2,0,3)", 2},
		{"limit(5,3,0)", 3},
		{"floor(-2.5)", -3},
		{"floor(2.5)", 2},
		{"ceil(-2.5)", -2},
		{"ceil(2.1)", 3},
		{"int(-2.5)", -2},
		{"int(2.7)", 2},
		{"int(-0.7)", 0},
		{"nint(2.5)", 2}, // half to even, as ngspice
		{"nint(-2.5)", -2},
		{"nint(1.5)", 2},
		{"nint(0.5)", 0},
		{"nint(-0.5)", 0},
		{"nint(3.5)", 4},
		{"sgn(0)", 0},
		{"sgn(-3)", -1},
		{"sgn(5)", 1},
		{"u(0)", 0.5}, // B sources
		{"u(1)", 1},
		{"u(-1)", 0},
		{"uramp(-1)", 0},
		{"uramp(2)", 2},
		{"u2(0.5)", 0.5},
		{"u2(2)", 1},
		{"ternary_fcn(1,2,3)", 2},
		{"ternary_fcn(0,2,3)", 3},
		{"if(0,2,3)", 3},
		{"if(1,2,1/0)", 2}, // the other branch is not computed
		{"MAX(1, 2)", 2},
	}
	for _, tc := range tests {
		got, err := eval(t, tc.text, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%q = %g, want %g", tc.text, got, tc.want)
		}
	}
}

func TestVariables(t *testing.T) {
	vars := map[string]float64{"a": 2, "time": 1e-3, "temper": 50, "v(out)": 3, "v(a,b)": -1, "i(v1)": 1e-3, "pi": 3}
	tests := []struct {
		text string
		want float64
	}{
		{"a*2", 4},
		{"A*2", 4},
		{"time*1k", 1},
		{"temper", 50},
		{"v(out)", 3},
		{"V( OUT )", 3},
		{"v(a, b)", -1},
		{"i(V1)*1k", 1},
		{"pi", 3}, // a parameter hides a constant
		{"e", math.E},
	}
	for _, tc := range tests {
		got, err := eval(t, tc.text, vars)
		if err != nil || got != tc.want {
			t.Errorf("%q = %g, %v; want %g", tc.text, got, err, tc.want)
		}
	}
}

// TestErrors checks the messages and offsets of errors, from Parse and Eval.
func TestErrors(t *testing.T) {
	tests := []struct {
		text string
		off  int
		msg  string
	}{
		{"", 0, "empty expression"},
		{"   ", 3, "empty expression"},
		{"1+", 2, "unexpected end of expression"},
		{"(1+2", 0, "missing ')'"},
		{"{1+2", 0, "missing '}'"},
		{"(1+2}", 4, "unexpected '}'"},
		{"1+2)", 3, "unexpected ')'"},
		{"1 2", 2, "unexpected number 2"},
		{"a b", 2, `unexpected name "b"`},
		{"a = b", 2, "unexpected '=' (== compares)"},
		{"a & b", 2, "unexpected '&' (the operator is &&)"},
		{"a | b", 2, "unexpected '|' (the operator is ||)"},
		{"1 ? 2", 2, "missing ':' after '?'"},
		{"1 ? 2 3", 6, "unexpected number 3"},
		{"f(1,", 4, "unexpected end of expression"},
		{"f(1 2", 4, "unexpected number 2"},
		{"f(1", 1, "missing ')'"},
		{"v()", 2, "expected a node name in v()"},
		{"v(a,b,c)", 0, "v() takes 1 or 2 node names, found 3"},
		{"i(a,b)", 0, "i() takes 1 source name, found 2"},
		{"v(a", 1, "missing ')'"},
		{"v(a b)", 4, `unexpected 'b' in v()`},
		{"1e999", 0, "number out of range: 1e999"},
		{"2 # 3", 2, "unexpected '#'"},
		{"x + 1", 0, `unknown parameter "x"`},
		{"1 + foo(2)", 4, `unknown function "foo"`},
		{"sqrt(-1)", 0, "sqrt: sqrt of a negative number, got -1"},
		{"log(0)", 0, "log: log of a number not above 0, got 0"},
		{"1/0", 1, "division by zero"},
		{"1 % 0", 2, "modulo by zero"},
		{"0^-1", 1, "0 raised to a negative power"},
		{"exp(1000)", 0, "exp(1000) is not a finite number"},
		{"1e308*10", 5, "1e+308 * 10 is not a finite number"},
		{"sin(1,2)", 0, "sin() takes 1 argument, found 2"},
		{"min()", 0, "min() takes at least 2 arguments, found 0"},
		{"limit(1,2)", 0, "limit() takes 3 arguments, found 2"},
		{"time", 0, "time has no value here"},
		{"v(a)", 0, "v(a) has no value here"},
		{strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300), 100, "expression nested too deeply"},
		{strings.Repeat("-", 300) + "1", 199, "expression nested too deeply"},
	}
	for _, tc := range tests {
		_, err := eval(t, tc.text, nil)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: error %v, want an *Error", tc.text, err)
			continue
		}
		if e.Offset != tc.off || e.Msg != tc.msg {
			t.Errorf("%q: got %d %q, want %d %q", tc.text, e.Offset, e.Msg, tc.off, tc.msg)
		}
	}
	_, err := eval(t, "ab + 1", nil)
	if e := err.(*Error); e.Name != "ab" || e.Kind != 'p' {
		t.Errorf("unknown name: %+v", e)
	}
	_, err = eval(t, "fo(1)", nil)
	if e := err.(*Error); e.Name != "fo" || e.Kind != 'f' {
		t.Errorf("unknown function: %+v", e)
	}
}

func TestParseTree(t *testing.T) {
	tests := []struct{ text, want string }{
		{"1+2*x", "1+2*x"},
		{"(1+2)*x", "(1+2)*x"},
		{"-x^2", "-x^2"},
		{"(-x)^2", "(-x)^2"},
		{"x^-2", "x^-2"},
		{"x^(2^3)", "x^(2^3)"},
		{"x^2^3", "x^2^3"},
		{"a-(b-c)", "a-(b-c)"},
		{"a-b-c", "a-b-c"},
		{"a ? b : c ? d : e", "a ? b : c ? d : e"},
		{"(a ? b : c) ? d : e", "(a ? b : c) ? d : e"},
		{"V(Out,0) + I(Vx)", "v(out,0)+i(vx)"},
		{"v(x1.out) * v(net-1)", "v(x1.out)*v(net-1)"},
		{"f(a, b+1)", "f(a,b+1)"},
		{"!a == b", "!a==b"},
		{"a ** b", "a^b"},
		{"a <> b", "a!=b"},
		{"{a}", "a"},
	}
	for _, tc := range tests {
		n, err := Parse(tc.text)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if got := String(n); got != tc.want {
			t.Errorf("%q: String = %q, want %q", tc.text, got, tc.want)
		}
	}
	n, _ := Parse("a + v(b)*2")
	bin := n.(*Binary)
	if bin.Offset != 2 || bin.X.Pos() != 0 || bin.Y.(*Binary).X.(*Probe).Offset != 4 {
		t.Errorf("offsets: %+v", bin)
	}
}

func TestFold(t *testing.T) {
	params := map[string]float64{"a": 2, "b": 3, "zero": 0}
	lookup := func(name string) (float64, bool) { v, ok := params[name]; return v, ok }
	funcs := map[string]*Func{}
	def := func(name, params, body string) {
		n, err := Parse(body)
		if err != nil {
			t.Fatal(err)
		}
		var ps []string
		if params != "" {
			ps = strings.Split(params, ",")
		}
		funcs[name] = &Func{Params: ps, Body: n}
	}
	def("sq", "x", "x*x")
	def("f1", "y", "b*y+1")
	def("two", "", "2")
	def("g", "x,y", "sq(x)+y")
	def("usesv", "x", "v(out)*x")
	def("rec", "x", "rec(x)+1")
	def("ra", "x", "rb(x)")
	def("rb", "x", "ra(x)")
	def("bad", "x", "x + nothere")
	def("sin", "x", "42") // a user function hides a built-in
	tests := []struct{ text, want string }{
		{"a*b+1", "7"},
		{"a*v(out)", "2*v(out)"},
		{"v(out)*(a+b)", "v(out)*5"},
		{"sq(a)", "4"},
		{"sq(v(x))", "v(x)*v(x)"},
		{"f1(a)", "7"},
		{"two()", "2"},
		{"g(b, 1)", "10"},
		{"usesv(a)", "v(out)*2"},
		{"time*a", "time*2"},
		{"temper > 30 ? a : b", "temper>30 ? 2 : 3"},
		{"a > 1 ? v(x) : 1/zero", "v(x)"},
		{"zero == 0 ? 0 : 1/zero", "0"},
		{"ternary_fcn(zero, 1/zero, a)", "2"},
		{"0 && v(x)", "0"},
		{"1 || v(x)", "1"},
		{"v(x) && 1", "v(x)&&1"},
		{"-a", "-2"},
		{"-v(x)", "-v(x)"},
		{"max(a, v(x), 1)", "max(2,v(x),1)"},
		{"pi", "3.141592653589793"},
		{"sin(0)", "42"},
		{"hertz*a", "hertz*2"},
	}
	for _, tc := range tests {
		n, err := Parse(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Fold(n, lookup, funcs)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if got := String(out); got != tc.want {
			t.Errorf("%q: folded to %q, want %q", tc.text, got, tc.want)
		}
	}
	errs := []struct {
		text string
		off  int
		msg  string
	}{
		{"a + c", 4, `unknown parameter "c"`},
		{"sq(a, b)", 0, "sq() takes 1 argument, found 2"},
		{"g(a)", 0, "g() takes 2 arguments, found 1"},
		{"1 + rec(1)", 4, "in rec(): recursive function: rec -> rec"},
		{"ra(1)", 0, "in rb(): recursive function: ra -> rb -> ra"},
		{"2*bad(1)", 2, `in bad(): unknown parameter "nothere"`},
		{"a > 1 ? 1 : nope", 12, `unknown parameter "nope"`},
		{"1/zero", 1, "division by zero"},
		{"sq(1/zero)", 4, "division by zero"},
		{"log(-a)", 0, "log: log of a number not above 0, got -2"},
		{"sin(v(x), 1)", 0, "sin() takes 1 argument, found 2"},
		{"cos(v(x), 1)", 0, "cos() takes 1 argument, found 2"},
		{"nofunc(1)", 0, `unknown function "nofunc"`},
	}
	for _, tc := range errs {
		n, err := Parse(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Fold(n, lookup, funcs)
		var e *Error
		if !errors.As(err, &e) || e.Offset != tc.off || e.Msg != tc.msg {
			t.Errorf("%q: got %v, want %d %q", tc.text, err, tc.off, tc.msg)
		}
	}
}

// TestStringRoundTrip checks that String's text reads back to the same value.
func TestStringRoundTrip(t *testing.T) {
	vars := map[string]float64{"x": -1.5, "y": 2, "z": 0.25}
	for _, text := range []string{
		"-x^2", "(-x)^y", "x^-y^z", "x-(y-z)", "x/(y/z)", "x ? y : z ? 1 : 2", "(x ? y : z) + 1",
		"!x == 0", "-(-x)", "x^(y^z)", "pwr(x, y) % z", "x < y == (z < 1)", "-(x^y)", "(x+y)^-(z)",
	} {
		n, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(String(n))
		if err != nil {
			t.Errorf("%q -> %q: %v", text, String(n), err)
			continue
		}
		a, err1 := Eval(n, vars)
		b, err2 := Eval(m, vars)
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("%q -> %q: %g %v, %g %v", text, String(n), a, err1, b, err2)
		}
	}
	// Folded trees, with negative numbers, print readably too.
	n, _ := Parse("time^b - c")
	f, _ := Fold(n, func(s string) (float64, bool) { v, ok := map[string]float64{"b": -1, "c": -2}[s]; return v, ok }, nil)
	if got := String(f); got != "time^(-1)--2" {
		t.Errorf("folded: %q", got)
	}
	if v, err := Eval(f, map[string]float64{"time": 4}); err != nil || v != 2.25 {
		t.Errorf("folded value %g %v", v, err)
	}
}

func TestNumbers(t *testing.T) {
	for s, want := range map[string]int{"1k": 2, "1.5e-3V": 7, "2meg+": 4, ".5)": 2, "x": 0, ".": 0, "1e": 2, "1e+": 2, "12": 2} {
		if got, _ := scanNumber(s, 0); got != want {
			t.Errorf("scanNumber(%q, 0) = %d, want %d", s, got, want)
		}
	}
	if _, err := ParseNumber("1e400"); err != ErrRange {
		t.Errorf("range: %v", err)
	}
	if _, err := ParseNumber("1n4148"); err != ErrNotNumber {
		t.Errorf("not a number: %v", err)
	}
	if !IsNumber("-2.5meg") || IsNumber("4k7") {
		t.Errorf("IsNumber")
	}
}

// TestNumberValueSpelling: numberValue spells the number it parses in a buffer on the
// stack; the spelling parses as the concatenation it made before does, for short and
// long mantissas, a final '.', every scale letter and exponents near the ends.
func TestNumberValueSpelling(t *testing.T) {
	mants := []string{"0", "1", "10", "1.", "-2.5", "+.5", "3.14159", "12345678901234567890123456789012345", "9.99999999999999999999999999999999999999"}
	exps := []string{"", "e0", "e-3", "e+12", "e308", "e-330", "e99999999999999999999", "e-99999999999999999999"}
	letters := []string{"", "f", "p", "n", "u", "m", "k", "g", "t", "meg", "mil", "MEG", "Mil", "x", "µ"}
	for _, m := range mants {
		for _, x := range exps {
			for _, l := range letters {
				mant, exp, _ := scaled(m+x, l)
				var buf [32]byte
				got, err := strconv.ParseFloat(string(mantissaExp(buf[:0], mant, exp)), 64)
				if strings.HasSuffix(mant, ".") {
					mant += "0"
				}
				want, werr := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp), 64)
				if got != want || (err == nil) != (werr == nil) {
					t.Errorf("%q %q: spelt on the stack %v, %v; concatenated %v, %v", m+x, l, got, err, want, werr)
				}
			}
		}
	}
}
