package tape

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// compileText parses and compiles an expression of the probes v(a) and v(b).
func compileText(t *testing.T, text string) *Workspace {
	t.Helper()
	n, err := expr.Parse(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	tp, err := Compile(n, Env{Temp: 27, Gmin: 1e-12})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return tp.NewWorkspace()
}

// at evaluates a tape with its probes at the values of vars (by probe name).
func at(t *testing.T, tp *Workspace, vars map[string]float64) (float64, []float64, bool) {
	t.Helper()
	for k, p := range tp.t.Probes() {
		v, ok := vars[expr.ProbeName(p)]
		if !ok {
			t.Fatalf("no value for %s", expr.ProbeName(p))
		}
		tp.SetProbe(k, v)
	}
	tp.SetTime(vars["time"])
	tp.SetHertz(vars["hertz"])
	ok := tp.Eval()
	return tp.Value(), append([]float64(nil), tp.Gradient()...), ok
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
				t.Errorf("%s at x=%g y=%g: %s", c.text, x, y, tp.Fault())
				continue
			}
			want, err := expr.Eval(n, vars)
			if err != nil || math.Abs(v-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("%s at x=%g y=%g: tape %g, expr.Eval %g (%v)", c.text, x, y, v, want, err)
			}
			if near {
				continue
			}
			for k, p := range tp.t.probes {
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
				for j, q := range tp.t.probes {
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
		// |x|^1 and sgn(x)*|x|^1 have slope 1 at 0, as ngspice 39 gives in .ac.
		{"pwr(v(a), 1)", 0, 0, 1, 0},
		{"pow(v(a), 1)", 0, 0, 1, 0},
		{"v(a)^1", 0, 0, 1, 0},
		{"pwr(v(a), v(b))", 0, 1, 1, 0},
		{"v(a) > 0 ? v(a) : 2*v(a)", 0, 0, 2, 0},
	} {
		tp := compileText(t, c.text)
		_, g, ok := at(t, tp, map[string]float64{"v(a)": c.x, "v(b)": c.y})
		if !ok {
			t.Errorf("%s: %s", c.text, tp.Fault())
			continue
		}
		for k, p := range tp.t.probes {
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
			t.Errorf("%s at %g: %s", c.text, c.x, tp.Fault())
		case c.want != "" && ok:
			t.Errorf("%s at %g: no failure, want %q", c.text, c.x, c.want)
		case c.want != "" && !strings.Contains(tp.Fault(), c.want):
			t.Errorf("%s at %g: %q, want %q", c.text, c.x, tp.Fault(), c.want)
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
	if len(tp.t.code) != 5 { // +, max, min, exp, +
		t.Errorf("%d instructions, want 5", len(tp.t.code))
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

// TestTapeHertz: hertz is a variable like time, 0 until set; ReadsHertz says whether the
// expression reads it, which decides whether an .ac analysis must set it.
func TestTapeHertz(t *testing.T) {
	tp := compileText(t, "v(a)*(1 + hertz*1e-3)")
	if !tp.t.ReadsHertz() {
		t.Error("ReadsHertz is false")
	}
	for _, c := range []struct{ hertz, v, d float64 }{{0, 2, 1}, {1e3, 4, 2}, {1e5, 202, 101}} {
		v, g, ok := at(t, tp, map[string]float64{"v(a)": 2, "hertz": c.hertz})
		if !ok || v != c.v || g[0] != c.d {
			t.Errorf("at hertz=%g: %g, d/dv(a) %v (%v); want %g, %g", c.hertz, v, g, ok, c.v, c.d)
		}
	}
	if compileText(t, "v(a)*time").t.ReadsHertz() {
		t.Error("v(a)*time reads hertz")
	}
	if _, err := Compile(nil, Env{}); err == nil {
		t.Error("an empty expression compiled")
	}
}

// BenchmarkCompileLongSum compiles a sum of 16384 distinct terms, which must take time
// linear in its length (the memo of common subexpressions once keyed every node by the
// text of its whole subtree, which made it quadratic).
func BenchmarkCompileLongSum(b *testing.B) {
	var sb strings.Builder
	for i := range 16384 {
		if i > 0 {
			sb.WriteString("+")
		}
		fmt.Fprintf(&sb, "v(a)*%d", i+1)
	}
	n, err := expr.Parse(sb.String())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Compile(n, Env{Temp: 27, Gmin: 1e-12}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTapeStandIns: where ngspice's B source stands in a finite value for one that is not
// (ln(0) and log10(0) are -1e99, exp beyond 227.9559242 is 1e99), the tape computes the
// same, with ngspice's derivatives; a stand-in makes Eval report false and StandIn true
// (ln(0) is out of the domain) except where the true value is finite (exp(300) is
// 1e99 as in ngspice, an answer). A later value that is not a number is a failure.
func TestTapeStandIns(t *testing.T) {
	for _, c := range []struct {
		text      string
		x         float64
		value, dx float64
		ok        bool // Eval's answer
		standIn   bool
		fault     string
	}{
		// The derivative 1/(x + 1e-20*gmin) is ngspice's 1/x through its fudged division.
		{"ln(v(a))", 0, -1e99, 1e32, false, true, "ln(v(a)) is not a finite number (ln(0))"},
		{"log10(v(a))", 0, -1e99, math.Log10E * 1e32, false, true, "log10(0)"},
		{"log(v(a))", 2, math.Ln2, 0.5, true, false, ""},
		{"exp(v(a))", 300, 1e99, 1e99, true, false, ""},
		{"exp(v(a))", 1000, 1e99, 1e99, false, true, "exp(v(a)) is not a finite number (exp(1000))"},
		{"2*ln(v(a)) + 1", 0, -2e99 + 1, 2e32, false, true, "ln(0)"},
		{"ln(v(a))", -1, math.NaN(), 0, false, false, "ln(-1)"},
		{"sqrt(ln(v(a)))", 0, math.NaN(), 0, false, false, "sqrt(-1e+99)"},
	} {
		tp := compileText(t, c.text)
		v, g, ok := at(t, tp, map[string]float64{"v(a)": c.x})
		if ok != c.ok || tp.StandIn() != c.standIn {
			t.Errorf("%s at %g: Eval %v, StandIn %v; want %v, %v", c.text, c.x, ok, tp.StandIn(), c.ok, c.standIn)
		}
		if !strings.Contains(tp.Fault(), c.fault) || c.fault == "" && tp.Fault() != "" {
			t.Errorf("%s at %g: fault %q, want %q", c.text, c.x, tp.Fault(), c.fault)
		}
		if math.IsNaN(c.value) {
			continue
		}
		if v != c.value || g[0] != c.dx {
			t.Errorf("%s at %g = %g, d/dx %g; want %g, %g", c.text, c.x, v, g[0], c.value, c.dx)
		}
	}
}

// TestTapeDivisionDerivative: d(a/b) is ngspice's (da*b - a*db) / (b^2 + fudge), which
// is the exact derivative wherever b^2 is far above the fudge (1e-32 with gmin 1e-12)
// and, where b = 0, a*db/fudge (1e32 for 1/x) rather than its square: Newton's first
// step from zero then goes where ngspice's goes.
func TestTapeDivisionDerivative(t *testing.T) {
	for _, c := range []struct {
		text     string
		x        float64
		value, d float64
	}{
		{"1/v(a)", 0, 1e32, -1e32},
		{"1/v(a)", 2, 0.5, -0.25},
		{"1/v(a)", -4, -0.25, -1.0 / 16},
		{"v(a)/v(a)", 0, 0, 0},
		{"v(a)/v(a)", 3, 1, 0},
		{"v(a)/2", 0, 0, 0.5},
	} {
		tp := compileText(t, c.text)
		v, g, ok := at(t, tp, map[string]float64{"v(a)": c.x})
		if !ok || v != c.value || g[0] != c.d {
			t.Errorf("%s at %g = %g, d/dx %g (ok %v); want %g, %g", c.text, c.x, v, g[0], ok, c.value, c.d)
		}
	}
}

// TestTapeDdt follows ddt(x) through a transient's accepted points: 0 at time 0 and
// until two points after it are accepted, then the slope of x between the last two,
// whatever the present probe values (so its derivative is 0); x in an untaken ternary
// branch is not recorded; the initial point of a new transient clears the history; an
// evaluation allocates nothing; without Env.Ddt, ddt() is refused.
func TestTapeDdt(t *testing.T) {
	n, err := expr.Parse("ddt(v(a)*v(a)) + 2*ddt(v(a)*v(a)) + (v(b) > 0 ? ddt(v(b)) : 0)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(n, Env{Temp: 27}); err == nil || !strings.Contains(err.Error(), "ddt() is only available") {
		t.Errorf("without Env.Ddt: got %v, want ddt() refused", err)
	}
	tp, err := Compile(n, Env{Temp: 27, Ddt: true})
	if err != nil {
		t.Fatal(err)
	}
	if tp.nddt != 2 {
		t.Errorf("%d ddt histories, want 2 (the two calls on v(a)*v(a) share one)", tp.nddt)
	}
	ws := tp.NewWorkspace()
	accept := func(time, a, b float64) {
		ws.SetTime(time)
		ws.SetProbe(0, a)
		ws.SetProbe(1, b)
		if !ws.Eval() {
			t.Fatalf("eval at %g: %s", time, ws.Fault())
		}
		ws.AcceptDdt(time > 0)
	}
	check := func(what string, time, want float64) {
		t.Helper()
		ws.SetTime(time)
		ws.SetProbe(0, 100) // the present iterate does not count
		ws.SetProbe(1, 1)
		if !ws.Eval() {
			t.Fatalf("%s: %s", what, ws.Fault())
		}
		if got := ws.Value(); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: got %.15g, want %.15g", what, got, want)
		}
		for k, g := range ws.Gradient() {
			if g != 0 {
				t.Errorf("%s: derivative %d is %g, want 0", what, k, g)
			}
		}
	}
	accept(0, 1, 1)
	check("at time 0", 0, 0)
	check("first step", 1, 0)
	accept(1, 2, 1)
	check("second step", 2, 0)
	accept(2, 3, -1) // v(b) <= 0: ddt(v(b)) is not evaluated, and keeps its last point
	check("third step", 2.5, 3*(9-4)/1.0)
	accept(2.5, 4, 5)
	// v(a)^2 from 9 at 2 to 16 at 2.5; v(b) from 1 at 1 to 5 at 2.5.
	check("fourth step", 3, 3*(16-9)/0.5+(5-1)/1.5)
	accept(0, 4, 5) // a new transient
	check("new transient", 1, 0)
	if a := testing.AllocsPerRun(100, func() { ws.Eval(); ws.AcceptDdt(true) }); a != 0 {
		t.Errorf("Eval and AcceptDdt allocate %g times", a)
	}
}
