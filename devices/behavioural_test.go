package devices

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
)

// compileText parses and compiles an expression of the probes v(a) and v(b).
func compileText(t *testing.T, text string) *tape {
	t.Helper()
	n, err := expr.Parse(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	tp, err := compileTape(n, tapeEnv{temp: 27, gmin: 1e-12})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return tp
}

// at evaluates a tape with its probes at the values of vars (by probe name).
func at(t *testing.T, tp *tape, vars map[string]float64) (float64, []float64, bool) {
	t.Helper()
	for k, p := range tp.probes {
		v, ok := vars[expr.ProbeName(p)]
		if !ok {
			t.Fatalf("no value for %s", expr.ProbeName(p))
		}
		tp.val[k] = v
	}
	tp.setTime(vars["time"])
	ok := tp.eval()
	return tp.value(), append([]float64(nil), tp.gradient()...), ok
}

// TestTapeDerivatives checks every operation's value against expr.Eval (the parser's
// evaluator, which folding uses) and its derivatives against central finite
// differences, at random points of its domain away from kinks and jumps.
func TestTapeDerivatives(t *testing.T) {
	// Each case: an expression of x = v(a) (and y = v(b)), and the range of x and y.
	cases := []struct {
		text       string
		xlo, xhi   float64
		ylo, yhi   float64
		kinkAt     []float64 // values of x near which finite differences are skipped
		constantIn bool      // derivative is 0 everywhere it exists
	}{
		{text: "v(a) + v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "v(a) - v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "v(a) * v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "v(a) / v(b)", xlo: -3, xhi: 3, ylo: 0.5, yhi: 3},
		{text: "v(a) / v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: -0.5},
		{text: "v(a) ^ v(b)", xlo: 0.2, xhi: 3, ylo: -2, yhi: 2},
		{text: "v(a) ^ v(b)", xlo: -3, xhi: -0.2, ylo: -2, yhi: 2},
		{text: "v(a) ** 3", xlo: -3, xhi: 3, ylo: 0, yhi: 1},
		{text: "v(a) ^ 2.5", xlo: -3, xhi: 3, ylo: 0, yhi: 1, kinkAt: []float64{0}},
		{text: "pow(v(a), v(b))", xlo: -3, xhi: -0.2, ylo: -2, yhi: 2},
		{text: "pwr(v(a), v(b))", xlo: -3, xhi: -0.2, ylo: -2, yhi: 2},
		{text: "pwr(v(a), v(b))", xlo: 0.2, xhi: 3, ylo: -2, yhi: 2},
		{text: "v(a) % v(b)", xlo: 0.1, xhi: 7, ylo: 1.1, yhi: 1.9, kinkAt: []float64{1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.2, 2.4, 2.6, 2.8, 3.3, 3.6, 3.9, 4.4, 4.8, 5.5, 6, 6.6}},
		{text: "-v(a)", xlo: -3, xhi: 3},
		{text: "+v(a)", xlo: -3, xhi: 3},
		{text: "!v(a)", xlo: -3, xhi: 3, constantIn: true},
		{text: "abs(v(a))", xlo: -3, xhi: 3, kinkAt: []float64{0}},
		{text: "sqrt(v(a))", xlo: 0.1, xhi: 4},
		{text: "exp(v(a))", xlo: -5, xhi: 5},
		{text: "ln(v(a))", xlo: 0.1, xhi: 5},
		{text: "log(v(a))", xlo: 0.1, xhi: 5},
		{text: "log10(v(a))", xlo: 0.1, xhi: 5},
		{text: "sin(v(a))", xlo: -5, xhi: 5},
		{text: "cos(v(a))", xlo: -5, xhi: 5},
		{text: "tan(v(a))", xlo: -1.4, xhi: 1.4},
		{text: "asin(v(a))", xlo: -0.95, xhi: 0.95},
		{text: "acos(v(a))", xlo: -0.95, xhi: 0.95},
		{text: "atan(v(a))", xlo: -5, xhi: 5},
		{text: "sinh(v(a))", xlo: -3, xhi: 3},
		{text: "cosh(v(a))", xlo: -3, xhi: 3},
		{text: "tanh(v(a))", xlo: -3, xhi: 3},
		{text: "asinh(v(a))", xlo: -3, xhi: 3},
		{text: "acosh(v(a))", xlo: 1.1, xhi: 5},
		{text: "atanh(v(a))", xlo: -0.9, xhi: 0.9},
		{text: "floor(v(a))", xlo: -3, xhi: 3, constantIn: true, kinkAt: []float64{-3, -2, -1, 0, 1, 2, 3}},
		{text: "ceil(v(a))", xlo: -3, xhi: 3, constantIn: true, kinkAt: []float64{-3, -2, -1, 0, 1, 2, 3}},
		{text: "int(v(a))", xlo: -3, xhi: 3, constantIn: true, kinkAt: []float64{-3, -2, -1, 0, 1, 2, 3}},
		{text: "nint(v(a))", xlo: -3, xhi: 3, constantIn: true, kinkAt: []float64{-2.5, -1.5, -0.5, 0.5, 1.5, 2.5}},
		{text: "sgn(v(a))", xlo: -3, xhi: 3, constantIn: true, kinkAt: []float64{0}},
		{text: "u(v(a))", xlo: -3, xhi: 3, constantIn: true, kinkAt: []float64{0}},
		{text: "uramp(v(a))", xlo: -3, xhi: 3, kinkAt: []float64{0}},
		{text: "u2(v(a))", xlo: -1, xhi: 2, kinkAt: []float64{0, 1}},
		{text: "atan2(v(a), v(b))", xlo: -3, xhi: 3, ylo: 0.2, yhi: 3},
		{text: "min(v(a), v(b))", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "max(v(a), v(b))", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "min(v(a), v(b), 0.5)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, kinkAt: []float64{0.5}},
		{text: "max(v(a), 2*v(b), -0.5)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, kinkAt: []float64{-0.5}},
		{text: "limit(v(a), v(b), 1)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, kinkAt: []float64{1}},
		{text: "v(a) == v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true},
		{text: "v(a) != v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true},
		{text: "v(a) < v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true},
		{text: "v(a) <= v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true},
		{text: "v(a) > v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true},
		{text: "v(a) >= v(b)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true},
		{text: "v(a) > 0 && v(b) > 0", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true, kinkAt: []float64{0}},
		{text: "v(a) > 0 || v(b) > 0", xlo: -3, xhi: 3, ylo: -3, yhi: 3, constantIn: true, kinkAt: []float64{0}},
		{text: "v(a) > v(b) ? v(a)*v(b) : exp(v(b))", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "ternary_fcn(v(a) - 1, sin(v(b)), v(a)^2)", xlo: -3, xhi: 3, ylo: -3, yhi: 3, kinkAt: []float64{1}},
		{text: "if(v(a) > 0, sqrt(v(a)), -v(a)*v(b))", xlo: -3, xhi: 3, ylo: -3, yhi: 3, kinkAt: []float64{0}},
		{text: "v(a,b)*v(a) - v(b)*sin(v(a,b)) + pi*e", xlo: -3, xhi: 3, ylo: -3, yhi: 3},
		{text: "tanh(3*v(a) - 0.5*v(b))*exp(-v(b)*v(b)) / (1 + abs(v(a)))", xlo: -3, xhi: 3, ylo: -3, yhi: 3, kinkAt: []float64{0}},
		{text: "(v(a) - v(b)) / (1e6*min(max(v(a) + v(b), 0), 1) + 1e9*(exp((1 - min(max(v(a) + v(b), 0), 1))/0.2) - 1))",
			xlo: 0, xhi: 0.5, ylo: 0, yhi: 0.4},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range cases {
		tp := compileText(t, c.text)
		n, _ := expr.Parse(c.text)
		for range 200 {
			x := c.xlo + r.Float64()*(c.xhi-c.xlo)
			y := c.ylo + r.Float64()*(c.yhi-c.ylo)
			near := false
			for _, k := range c.kinkAt {
				near = near || math.Abs(x-k) < 1e-3 || math.Abs(y-k) < 1e-3 || math.Abs(x-y) < 1e-3 && strings.Contains(c.text, "limit")
			}
			if strings.Contains(c.text, "min") || strings.Contains(c.text, "max") || strings.Contains(c.text, ">") ||
				strings.Contains(c.text, "<") || strings.Contains(c.text, "limit") {
				near = near || math.Abs(x-y) < 1e-3 || math.Abs(x-2*y) < 1e-3 || math.Abs(x+y) < 1e-3 || math.Abs(x+y-1) < 1e-3
			}
			vars := map[string]float64{"v(a)": x, "v(b)": y, "v(a,b)": x - y}
			v, g, ok := at(t, tp, vars)
			if !ok {
				t.Errorf("%s at x=%g y=%g: %s", c.text, x, y, tp.faultError())
				continue
			}
			want, err := expr.Eval(n, vars)
			if err != nil || math.Abs(v-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("%s at x=%g y=%g: tape %g, expr.Eval %g (%v)", c.text, x, y, v, want, err)
			}
			if near {
				continue
			}
			for k, p := range tp.probes {
				name := expr.ProbeName(p)
				if name == "v(a,b)" {
					continue // its column is v(a)'s and v(b)'s, checked through them below
				}
				fd := func(h float64) float64 {
					plus, minus := copyVars(vars), copyVars(vars)
					plus[name] += h
					minus[name] -= h
					plus["v(a,b)"] = plus["v(a)"] - plus["v(b)"]
					minus["v(a,b)"] = minus["v(a)"] - minus["v(b)"]
					vp, _, _ := at(t, tp, plus)
					vm, _, _ := at(t, tp, minus)
					return (vp - vm) / (2 * h)
				}
				// The total derivative along this probe, v(a,b) included.
				total := g[k]
				for j, q := range tp.probes {
					if expr.ProbeName(q) == "v(a,b)" {
						if name == "v(a)" {
							total += g[j]
						} else {
							total -= g[j]
						}
					}
				}
				h := 1e-6 * math.Max(1, math.Abs(vars[name]))
				if d := fd(h); math.Abs(total-d) > 1e-5*math.Max(1, math.Abs(d)) {
					t.Errorf("%s at x=%g y=%g: d/d%s = %g, finite differences give %g", c.text, x, y, name, total, d)
				}
				if c.constantIn && total != 0 {
					t.Errorf("%s: d/d%s = %g, want 0", c.text, name, total)
				}
			}
		}
	}
}

func copyVars(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestTapeKinks: at kinks the derivative is ngspice's one-sided choice.
func TestTapeKinks(t *testing.T) {
	for _, c := range []struct {
		text   string
		x, y   float64
		dx, dy float64
	}{
		{"abs(v(a))", 0, 0, 0, 0},
		{"uramp(v(a))", 0, 0, 0.5, 0},
		{"u2(v(a))", 1, 0, 0.5, 0},
		{"min(v(a), v(b))", 1, 1, 0, 1}, // a tie follows the second operand, as ngspice's
		{"max(v(a), v(b))", 1, 1, 0, 1},
		{"sqrt(v(a))", 0, 0, 0, 0}, // infinite there: taken as 0
		{"v(a)^0.5", 0, 0, 0, 0},
		{"v(a)^2", 0, 0, 0, 0},
		{"v(a)^v(b)", 0, 2, 0, 0},
		{"v(a) > 0 ? v(a) : 2*v(a)", 0, 0, 2, 0},
	} {
		tp := compileText(t, c.text)
		_, g, ok := at(t, tp, map[string]float64{"v(a)": c.x, "v(b)": c.y})
		if !ok {
			t.Errorf("%s: %s", c.text, tp.faultError())
			continue
		}
		for k, p := range tp.probes {
			want := c.dx
			if expr.ProbeName(p) == "v(b)" {
				want = c.dy
			}
			if g[k] != want {
				t.Errorf("%s at (%g, %g): d/d%s = %g, want %g", c.text, c.x, c.y, expr.ProbeName(p), g[k], want)
			}
		}
	}
}

// TestTapeDomain: values outside a function's domain are failures, reported with the
// subexpression, as ngspice refuses them; ngspice's division fudge makes x/0 finite;
// only the selected branch of a ternary is computed.
func TestTapeDomain(t *testing.T) {
	for _, c := range []struct {
		text string
		x    float64
		want string // "" for success
	}{
		{"sqrt(v(a))", -2, "sqrt(v(a)) is not a finite number (sqrt(-2))"},
		{"ln(v(a))", 0, "ln(v(a)) is not a finite number (ln(0))"},
		{"log(v(a) - 1)", 0.5, "is not a finite number (ln(-0.5))"},
		{"log10(v(a))", -1, "log10(-1)"},
		{"asin(v(a))", 2, "asin(2)"},
		{"acosh(v(a))", 0.5, "acosh(0.5)"},
		{"atanh(v(a))", 1, "atanh(1)"},
		{"v(a)^-1", 0, "(0 ^ -1)"},
		{"exp(v(a))", 1000, "exp(1000)"},
		{"sinh(v(a))", 1000, "sinh(1000)"},
		{"v(a) % 0", 1, "(1 % 0)"},
		{"1 + 0*sqrt(v(a))", -1, "sqrt(-1)"},
		{"v(a) < 0 ? 0 : sqrt(v(a))", -1, ""},
		{"if(v(a) >= 0, sqrt(v(a)), ln(-v(a)))", -1, ""},
		{"1/v(a)", 0, ""},
	} {
		tp := compileText(t, c.text)
		_, _, ok := at(t, tp, map[string]float64{"v(a)": c.x})
		switch {
		case c.want == "" && !ok:
			t.Errorf("%s at %g: %s", c.text, c.x, tp.faultError())
		case c.want != "" && ok:
			t.Errorf("%s at %g: no failure, want %q", c.text, c.x, c.want)
		case c.want != "" && !strings.Contains(tp.faultError(), c.want):
			t.Errorf("%s at %g: %q, want %q", c.text, c.x, tp.faultError(), c.want)
		}
	}
	// x/0 is x/1e-32 with gmin 1e-12, as in ngspice 39.
	tp := compileText(t, "1/v(a)")
	if v, _, _ := at(t, tp, map[string]float64{"v(a)": 0}); v != 1e32 {
		t.Errorf("1/0 = %g, want 1e32", v)
	}
}

// TestTapeSharesSubexpressions: repeated subexpressions are computed once, but not
// across the branches of a ternary.
func TestTapeSharesSubexpressions(t *testing.T) {
	tp := compileText(t, "min(max(v(a)+v(b),0),1) + exp(min(max(v(a)+v(b),0),1))")
	if len(tp.code) != 5 { // +, max, min, exp, +
		t.Errorf("%d instructions, want 5", len(tp.code))
	}
	tp = compileText(t, "v(a) > 0 ? sqrt(v(a)) : 0")
	if v, _, ok := at(t, tp, map[string]float64{"v(a)": -1}); !ok || v != 0 {
		t.Errorf("got %g, %v", v, ok)
	}
	tp = compileText(t, "(v(a) > 0 ? sqrt(v(a)+1) : 1) + sqrt(v(a)+1)")
	if v, _, ok := at(t, tp, map[string]float64{"v(a)": -0.75}); !ok || v != 1.5 {
		t.Errorf("a subexpression of a branch not taken was reused: got %g, %v", v, ok)
	}
}

const behaviouralNetlist = `behavioural
V1 a 0 1
V2 b 0 2
B1 c 0 V = v(a)*v(b) + tanh(v(c,a)) + i(v1)*10 + time
B2 d e I = v(a) > 0.1 ? exp(v(d)) - v(e)*v(a) : 0
E1 f 0 value={v(a)^3 - v(f,b)}
G1 g h cur={1m*atan(v(g)*v(h))} m=2 tc1=0.01 temp=37
R1 a j R='1k*(1 + v(c)^2)' m=3
C1 j k C='2*(1 + 0.5*v(j,k) + time)'
L1 k l L={3*(1 + i(l1)*i(l1) + v(a))}
R2 l 0 1
R3 d 0 1
R4 e 0 1
R5 g 0 1
R6 h 0 1
.end
`

// TestBehaviouralJacobians compares the Jacobians of every behavioural element with
// finite differences at random points.
func TestBehaviouralJacobians(t *testing.T) {
	devs, sys := build(t, behaviouralNetlist)
	r := rand.New(rand.NewPCG(5, 6))
	for range 5 {
		x := make([]float64, sys.N+1)
		for i := 1; i <= sys.N; i++ {
			x[i] = r.Float64() - 0.5
		}
		checkJacobian(t, devs, sys, x, ModeTran)
		checkJacobian(t, devs, sys, x, ModeOP)
	}
}

// TestBehaviouralLoadAllocatesNothing: Load runs in the Newton loop.
func TestBehaviouralLoadAllocatesNothing(t *testing.T) {
	devs, sys := build(t, behaviouralNetlist)
	x := make([]float64, sys.N+1)
	for i := range x {
		x[i] = 0.1 * float64(i%7)
	}
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 1e-9, SrcFactor: 1}
	k := 0
	if n := testing.AllocsPerRun(100, func() {
		k++
		x[1] = 0.01 * float64(k&7)
		ctx.Values.Clear()
		for _, d := range devs {
			d.Load(ctx)
		}
	}); n != 0 {
		t.Errorf("Load allocates %g times", n)
	}
	for _, d := range devs {
		if f, ok := d.(Faulter); ok && f.Fault() != nil {
			t.Errorf("%s: %v", d.Name(), f.Fault())
		}
	}
}

// TestBehaviouralStamps checks the sign conventions by hand: B I= and G push their
// current out of n+ through the source into n-, V-type sources have a branch.
func TestBehaviouralStamps(t *testing.T) {
	devs, sys := build(t, "t\nB1 0 a I=1m*v(b)\nB2 c 0 V=2*v(b)\nR1 a 0 1k\nR2 c 0 1k\nV1 b 0 3\n.end\n")
	x := make([]float64, sys.N+1)
	b, _ := sys.Lookup("v(b)")
	a, _ := sys.Lookup("v(a)")
	c, _ := sys.Lookup("v(c)")
	k, _ := sys.Lookup("i(b2)")
	x[b] = 3
	v := evaluate(devs[:2], sys, x, ModeOP, 0)
	if v.F[a] != -3e-3 {
		t.Errorf("F[a] = %g, want -3m (3 mA into a)", v.F[a])
	}
	if v.F[k] != -6 {
		t.Errorf("F[i(b2)] = %g, want v(c) - 2*v(b) = -6", v.F[k])
	}
	x[c], x[k] = 6, 0.5
	v = evaluate(devs[:2], sys, x, ModeOP, 0)
	if v.F[k] != 0 || v.F[c] != 0.5 {
		t.Errorf("F[i(b2)] = %g, F[c] = %g; want 0, 0.5", v.F[k], v.F[c])
	}
}

// TestBehaviouralFault: an expression out of its domain is an error naming the element
// and the subexpression, at the expression's place; no panic.
func TestBehaviouralFault(t *testing.T) {
	devs, sys := build(t, "t\nV1 a 0 -1\nB1 b 0 V=1 + sqrt(v(a))\nR1 b 0 1\n.end\n")
	x := make([]float64, sys.N+1)
	a, _ := sys.Lookup("v(a)")
	x[a] = -4
	v := evaluate(devs, sys, x, ModeOP, 0)
	_ = v
	err := devs[1].(Faulter).Fault()
	var pe *parser.Error
	if !errors.As(err, &pe) || pe.Pos.Line != 3 || pe.Pos.Col != 10 {
		t.Fatalf("got %v, want an error at t.cir:3:10", err)
	}
	for _, want := range []string{"b1:", "sqrt(v(a))", "sqrt(-4)", "v(a) = -4"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	x[a] = 4
	evaluate(devs, sys, x, ModeOP, 0)
	if err := devs[1].(Faulter).Fault(); err != nil {
		t.Errorf("the fault stayed: %v", err)
	}
}

// TestBehaviouralErrors: probes that cannot be resolved, and parameters a behavioural
// element does not take, are errors naming the element.
func TestBehaviouralErrors(t *testing.T) {
	for _, c := range []struct{ netlist, want string }{
		{"B1 a 0 V=i(r1)\nR1 a 0 1", "b1: i(r1): r1 (a R element) has no branch current"},
		{"B1 a 0 V=v(nowhere)\nR1 a 0 1", `b1: v(nowhere): no element connects node "nowhere"`},
		{"B1 a 0 V=v(a) foo=2\nR1 a 0 1", `unknown behavioural source parameter "foo"`},
		{"R1 a 0 R='1k*(1+v(a))' tc1=0.1", "tc1 is not supported on a resistor whose value is an expression"},
		{"C1 a 0 C={1p*(1+v(a))} ic=1\nR1 a 0 1", "ic is not supported on a capacitor whose value is an expression"},
		{"R1 a 0 R={1k*temper} temp=30", "temp is not supported on a resistor whose value is an expression"},
		{"C1 a 0 C='1p*(1+v(a))' rmod\nR1 a 0 1\n.model rmod r", "a capacitor whose value is an expression takes no model"},
	} {
		c2, err := parser.Parse("t.cir", []byte("t\n"+c.netlist+"\n.end\n"))
		if err != nil {
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: parser: %v", c.netlist, err)
			}
			continue
		}
		_, err = Build(c2, DefaultEnv())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.netlist, err, c.want)
		}
	}
}

// TestBehaviouralTemper: an R, C or L whose value depends on temper only is an ordinary
// element with the value at the circuit temperature; a B source's temper is the
// circuit temperature too.
func TestBehaviouralTemper(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("t\nR1 a 0 R={1k*(1+temper/100)}\nB1 b 0 V=temper+v(a)\nR2 b 0 1\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	env := DefaultEnv()
	env.Temp = 50
	devs, err := Build(c, env)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := devs[0].(*Resistor)
	if !ok || math.Abs(r.g-1/1500.0) > 1e-15 {
		t.Errorf("R1: got %#v, want a resistor of 1.5k", devs[0])
	}
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for _, d := range devs {
		d.Setup(b)
	}
	sys := b.Build()
	v := evaluate(devs, sys, make([]float64, sys.N+1), ModeOP, 0)
	k, _ := sys.Lookup("i(b1)")
	if v.F[k] != -50 {
		t.Errorf("B1's branch residual %g, want -temper = -50", v.F[k])
	}
}

// TestParamsAtTemperature: parameters that depend on temper get their value at the
// circuit temperature, on elements and models, without changing the circuit.
func TestParamsAtTemperature(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("t\nD1 a 0 dt\n.model dt D is='1e-12*temper'\nR1 a 0 1k tc1='temper/1000'\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, temp := range []float64{27, 80} {
		env := DefaultEnv()
		env.Temp = temp
		out, err := atTemperature(c, temp)
		if err != nil {
			t.Fatal(err)
		}
		if is := out.Models["dt"].Params[0].Value; math.Abs(is-1e-12*temp) > 1e-24 {
			t.Errorf("at %g C: is = %g, want %g", temp, is, 1e-12*temp)
		}
		if tc := out.Elements[1].Params[0].Value; math.Abs(tc-temp/1000) > 1e-15 {
			t.Errorf("at %g C: tc1 = %g", temp, tc)
		}
		if _, err := Build(c, env); err != nil {
			t.Fatal(err)
		}
	}
	if is := c.Models["dt"].Params[0].Value; is != 27e-12 {
		t.Errorf("the circuit's model changed: is = %g", is)
	}
}
