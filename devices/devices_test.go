package devices

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// build parses a netlist, sets up its devices in a fresh system and starts a run of them.
func build(t *testing.T, netlist string) ([]Loader, *mna.System) {
	t.Helper()
	devs := parseAndBuild(t, netlist, Env{TStep: 1e-9, TStop: 1e-6})
	return NewRun(devs), setUp(devs).Build()
}

// parseAndBuild parses netlist and builds its devices in env, failing tb on an error.
func parseAndBuild(tb testing.TB, netlist string, env Env) []Device {
	tb.Helper()
	c, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		tb.Fatal(err)
	}
	devs, err := Build(context.Background(), c, env)
	if err != nil {
		tb.Fatal(err)
	}
	return devs
}

// setUp reserves the unknowns and entries of devs in a new builder.
func setUp(devs []Device) *mna.Builder {
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for _, d := range devs {
		d.Setup(b)
	}
	return b
}

// evaluate loads every device at x.
func evaluate(devs []Loader, sys *mna.System, x []float64, mode Mode, time float64) *mna.Values {
	v := sys.NewValues()
	ctx := &Context{X: x, Values: v, Mode: mode, Time: time, SrcFactor: 1}
	for _, d := range devs {
		d.Load(ctx)
	}
	return v
}

// loadAllocs is how many times one load of every device at ctx allocates.
func loadAllocs(devs []Loader, ctx *Context) float64 {
	return testing.AllocsPerRun(100, func() {
		ctx.Values.Clear()
		for _, d := range devs {
			d.Load(ctx)
		}
	})
}

// wantBuilds fails t unless netlist parses and builds.
func wantBuilds(t *testing.T, netlist string) {
	t.Helper()
	pc, err := parser.Parse("t.cir", []byte(netlist))
	if err == nil {
		_, err = Build(context.Background(), pc, DefaultEnv())
	}
	if err != nil {
		t.Error(err)
	}
}

// checkJacobian compares G and C with central finite differences of F and Q at x.
func checkJacobian(t *testing.T, devs []Loader, sys *mna.System, x []float64, mode Mode) {
	t.Helper()
	checkJacobianTol(t, devs, sys, x, mode, 1e-12)
}

// checkJacobianTol is checkJacobian with an absolute tolerance abs besides the relative
// 1e-6: the finite differences of currents of amperes carry 1e-8 of rounding.
func checkJacobianTol(t *testing.T, devs []Loader, sys *mna.System, x []float64, mode Mode, abs float64) {
	t.Helper()
	base := evaluate(devs, sys, x, mode, 0)
	n := sys.N
	dense := func(vals []float64) [][]float64 {
		m := make([][]float64, n+1)
		for i := range m {
			m[i] = make([]float64, n+1)
		}
		for k := 0; k < sys.Pattern.NNZ(); k++ {
			r, c := sys.Pattern.At(k)
			m[r+1][c+1] += vals[k+1]
		}
		return m
	}
	g, c := dense(base.G), dense(base.C)
	for j := 1; j <= n; j++ {
		h := 1e-6 * math.Max(1, math.Abs(x[j]))
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[j] += h
		xm[j] -= h
		vp := evaluate(devs, sys, xp, mode, 0)
		vm := evaluate(devs, sys, xm, mode, 0)
		for i := 1; i <= n; i++ {
			for _, m := range []struct {
				name     string
				analytic float64
				fd       float64
			}{
				{"dF/dx", g[i][j], (vp.F[i] - vm.F[i]) / (2 * h)},
				{"dQ/dx", c[i][j], (vp.Q[i] - vm.Q[i]) / (2 * h)},
			} {
				if math.Abs(m.analytic-m.fd) > 1e-6*math.Max(math.Abs(m.analytic), math.Abs(m.fd))+abs {
					t.Errorf("%s[%s][%s] = %g, finite differences give %g",
						m.name, sys.Unknowns[i].Label(), sys.Unknowns[j].Label(), m.analytic, m.fd)
				}
			}
		}
	}
}

func TestLinearDeviceJacobians(t *testing.T) {
	devs, sys := build(t, `jacobians
R1 a b 2k m=2
C1 b 0 3p
C2 a b 1n m=3
L1 b c 1u
V1 a 0 PULSE(0 1 0 1n 1n 5n 10n)
I1 c 0 1m
R2 c 0 50
.end
`)
	x := make([]float64, sys.N+1)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 1; i <= sys.N; i++ {
		x[i] = r.Float64()*2 - 1
	}
	checkJacobian(t, devs, sys, x, ModeTran)
}

func TestStampsByHand(t *testing.T) {
	devs, sys := build(t, "t\nR1 a 0 2k m=2\nV1 a 0 DC 3\nL1 a b 1u\nC1 b 0 2p IC=1\nI1 b 0 1m\n.end\n")
	idx := func(label string) int {
		i, ok := sys.Lookup(label)
		if !ok {
			t.Fatalf("no %s", label)
		}
		return i
	}
	a, b, iv, il := idx("v(a)"), idx("v(b)"), idx("i(v1)"), idx("i(l1)")
	x := make([]float64, sys.N+1)
	x[a], x[b], x[iv], x[il] = 2, 0.5, 1e-3, 2e-3
	v := evaluate(devs, sys, x, ModeOP, 0)
	// KCL at a: R1 (2 V / 1k) + the source's current + the inductor's current leave a.
	if want := 2/1e3 + 1e-3 + 2e-3; math.Abs(v.F[a]-want) > 1e-15 {
		t.Errorf("F[a] = %g, want %g", v.F[a], want)
	}
	// The source's branch equation: va - 3.
	if want := 2.0 - 3; v.F[iv] != want {
		t.Errorf("F[i(v1)] = %g, want %g", v.F[iv], want)
	}
	// The inductor's branch: va - vb and flux -L i.
	if v.F[il] != 1.5 || v.Q[il] != -1e-6*2e-3 {
		t.Errorf("inductor branch F = %g, Q = %g", v.F[il], v.Q[il])
	}
	// At b: the inductor's current arrives, the current source's leaves; the charge is C vb.
	if want := -2e-3 + 1e-3; math.Abs(v.F[b]-want) > 1e-18 {
		t.Errorf("F[b] = %g, want %g", v.F[b], want)
	}
	if v.Q[b] != 2e-12*0.5 {
		t.Errorf("Q[b] = %g", v.Q[b])
	}
	// With uic the capacitor's charge comes from IC=.
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTranOP, UIC: true, SrcFactor: 1}
	for _, d := range devs {
		d.Load(ctx)
	}
	if ctx.Q[b] != 2e-12*1 {
		t.Errorf("uic Q[b] = %g, want C*IC", ctx.Q[b])
	}
}

// conductance builds a one-resistor netlist and returns its conductance.
func conductance(t *testing.T, netlist string, env Env) float64 {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := Build(context.Background(), c, env)
	if err != nil {
		t.Fatal(err)
	}
	return devs[0].(*Resistor).g
}

func TestResistorModels(t *testing.T) {
	env := DefaultEnv()
	hot := env
	hot.Temp = 77 // 50 degrees above tnom
	cases := []struct {
		name, netlist string
		env           Env
		ohms          float64
	}{
		{"value and m", "t\nR1 a 0 1k m=4\n.end\n", env, 250},
		{"scale", "t\nR1 a 0 10 scale=1k\n.end\n", env, 1e4},
		{"sheet resistance", "t\nR1 a 0 rm L=10u W=1u\n.model rm r rsh=100\n.end\n", env, 1000},
		{"narrow and short", "t\nR1 a 0 rm L=10u W=2u\n.model rm r rsh=100 narrow=0.5u short=1u\n.end\n", env, 100 * 8 / 1},
		{"default geometry", "t\nR1 a 0 rm\n.model rm r rsh=100\n.end\n", env, 100},
		{"model default r", "t\nR1 a 0 rm\n.model rm r r=47\n.end\n", env, 47},
		// ngspice 39 takes the instance's resistance= on the card as the default.
		{"model default resistance", "t\nR1 a 0 rm\n.model rm r resistance=2k\n.end\n", env, 2000},
		{"instance r over model resistance", "t\nR1 a 0 rm r=5k\n.model rm r resistance=3k\n.end\n", env, 5000},
		// A width of 0 after narrowing is an infinite resistance, as in ngspice 39.
		{"zero effective width", "t\nR3 4 0 rm L=11u W=2u\n.model rm R rsh=1000 narrow=1u\n.end\n", env, math.Inf(1)},
		{"value wins over rsh", "t\nR1 a 0 2k rm L=10u W=1u\n.model rm r rsh=100\n.end\n", env, 2000},
		{"tc1 tc2", "t\nR1 a 0 1k rm\n.model rm r tc1=1e-3 tc2=1e-5\n.end\n", hot, 1000 * (1 + 0.05 + 0.025)},
		{"instance tc overrides", "t\nR1 a 0 1k rm tc1=2e-3\n.model rm r tc1=1e-3\n.end\n", hot, 1000 * 1.1},
		{"tce", "t\nR1 a 0 1k tce=1\n.end\n", hot, 1000 * math.Pow(1.01, 50)},
		{"model tnom", "t\nR1 a 0 1k rm\n.model rm r tc1=1e-3 tnom=77\n.end\n", hot, 1000},
		{"instance temp", "t\nR1 a 0 1k rm temp=127\n.model rm r tc1=1e-3\n.end\n", env, 1100},
		{"dtemp", "t\nR1 a 0 1k rm dtemp=-27\n.model rm r tc1=1e-3\n.end\n", env, 1000 * (1 - 0.027)},
	}
	for _, c := range cases {
		if got := 1 / conductance(t, c.netlist, c.env); math.Abs(got-c.ohms) > 1e-9*c.ohms && got != c.ohms {
			t.Errorf("%s: %g ohm, want %g", c.name, got, c.ohms)
		}
	}
}

func TestResistorACValue(t *testing.T) {
	hot := DefaultEnv()
	hot.Temp = 77
	c, err := parser.Parse("t.cir", []byte("t\nR1 a 0 1k ac=3k m=2 scale=2 tc1=1e-3\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := Build(context.Background(), c, hot)
	if err != nil {
		t.Fatal(err)
	}
	r := devs[0].(*Resistor)
	factor := 1 + 1e-3*50
	if want := 2 / (1e3 * factor * 2); math.Abs(r.g-want) > 1e-12*want {
		t.Errorf("g = %g, want %g", r.g, want)
	}
	if want := 2 / (3e3 * factor * 2); math.Abs(r.acG-want) > 1e-12*want {
		t.Errorf("ac conductance = %g, want %g", r.acG, want)
	}
	zero, err := parser.Parse("t.cir", []byte("t\nR1 a 0 1k ac=0\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), zero, hot); err == nil || !strings.Contains(err.Error(), "t.cir:2:11: r1: ac resistance must be positive") {
		t.Errorf("ac=0: got %v, want a refusal at the parameter", err)
	}
}

func TestWaveforms(t *testing.T) {
	env := Env{TStep: 1e-9, TStop: 100e-9}
	cases := []struct {
		kind   string
		args   []float64
		points [][2]float64 // t, value
		corner [][2]float64 // t, next corner after t
	}{
		{"pulse", []float64{0, 1, 10e-9, 2e-9, 4e-9, 5e-9, 20e-9},
			[][2]float64{{0, 0}, {10e-9, 0}, {11e-9, 0.5}, {12e-9, 1}, {17e-9, 1}, {19e-9, 0.5}, {21e-9, 0}, {32e-9, 1}, {41e-9, 0}},
			[][2]float64{{0, 10e-9}, {10e-9, 12e-9}, {12e-9, 17e-9}, {17e-9, 21e-9}, {21e-9, 30e-9}, {30.1e-9, 32e-9}}},
		// Defaults: tr = tf = tstep, pw = per = tstop.
		{"pulse", []float64{1, 2}, [][2]float64{{0, 1}, {0.5e-9, 1.5}, {50e-9, 2}}, [][2]float64{{0, 1e-9}}},
		// np = 1: a single pulse.
		{"pulse", []float64{0, 1, 0, 1e-9, 1e-9, 3e-9, 10e-9, 1}, [][2]float64{{12e-9, 0}, {2e-9, 1}}, [][2]float64{{5e-9, math.Inf(1)}}},
		{"sin", []float64{0.5, 1, 1e6, 1e-6, 0, 90},
			[][2]float64{{0, 1.5}, {1e-6 + 0.25e-6, 0.5}, {1e-6 + 0.5e-6, -0.5}},
			[][2]float64{{0, 1e-6}, {2e-6, math.Inf(1)}}},
		{"exp", []float64{0, 1, 10e-9, 5e-9, 30e-9, 10e-9},
			[][2]float64{{5e-9, 0}, {15e-9, 1 - math.Exp(-1)}, {40e-9, (1 - math.Exp(-6)) - (1 - math.Exp(-1))}},
			[][2]float64{{0, 10e-9}, {10e-9, 30e-9}, {30e-9, math.Inf(1)}}},
		{"pwl", []float64{0, 0, 10e-9, 1, 10e-9, 2, 20e-9, 0},
			[][2]float64{{-1, 0}, {5e-9, 0.5}, {15e-9, 1}, {30e-9, 0}},
			[][2]float64{{0, 10e-9}, {10e-9, 20e-9}, {20e-9, math.Inf(1)}}},
	}
	for _, c := range cases {
		w, err := newWaveform(&parser.Waveform{Kind: c.kind, Args: c.args}, Timing{Step: env.TStep, Stop: env.TStop})
		if err != nil {
			t.Fatalf("%s%v: %v", c.kind, c.args, err)
		}
		for _, p := range c.points {
			if got := w.value(p[0], Timing{Step: env.TStep, Stop: env.TStop}); math.Abs(got-p[1]) > 1e-12 {
				t.Errorf("%s%v at %g = %g, want %g", c.kind, c.args, p[0], got, p[1])
			}
		}
		for _, p := range c.corner {
			if got := w.next(p[0], Timing{Step: env.TStep, Stop: env.TStop}); math.Abs(got-p[1]) > 1e-21 && got != p[1] {
				t.Errorf("%s%v: next corner after %g = %g, want %g", c.kind, c.args, p[0], got, p[1])
			}
		}
	}
}

func TestElementErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nR1 a 0 0\n.end\n", "t.cir:2:1: r1: resistance must be finite and not zero"},
		{"t\nR3 4 0 rm L=11u W=2u\n.model rm R rsh=1000 narrow=1.5u\n.end\n", "t.cir:2:1: r3: effective size l-2*short = 1.1e-05, w-2*narrow = -1.0000000000000002e-06"},
		{"t\nR1 a 0 1k foo=2\n.end\n", `t.cir:2:11: unknown resistor parameter "foo" (on r1)`},
		{"t\nR1 a 0 1k tc3=2\n.end\n", `did you mean "tc1"?`},
		{"t\nR1 a 0 rmod\n.model rmod r rhs=1\n.end\n", `t.cir:3:15: unknown resistor model parameter "rhs" (model rmod, used by r1 at line 2); did you mean "rsh"?`},
		{"t\nR1 a 0 rmod\n.model rmod d\n.end\n", `r1: model "rmod" (t.cir:3:1) is a "d" model, not a resistor model`},
		{"t\nC1 a 0 1p m=0\n.end\n", "c1: m must be positive"},
		{"t\nR1 a 0 rmod\n.model rmod r\n.end\n", "r1: no resistance"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, Env{TStep: 1e-9, TStop: 1e-6}, c.want)
	}
}

// TestWaveformArguments: a waveform with fewer than two arguments (which the parser
// refuses, but a circuit built by other code may have) is an error, not a panic.
func TestWaveformArguments(t *testing.T) {
	for _, kind := range []string{"pulse", "sin", "exp", "pwl", "sffm", "am"} {
		for _, args := range [][]float64{nil, {1}} {
			if _, err := newWaveform(&parser.Waveform{Kind: kind, Args: args}, Timing{Step: 1e-9, Stop: 1e-6}); err == nil {
				t.Errorf("%s with %d arguments: no error", kind, len(args))
			}
		}
	}
}

// TestErrorsOncePerPlace: a misspelt model parameter is one error, not one per element
// that uses the model; so is a bad parameter on a subcircuit line, in every instance.
func TestErrorsOncePerPlace(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nD1 a 0 dm\nD2 a 0 dm\nD3 b 0 dm\n.model dm d(iss=1n)\n.end\n",
			`t.cir:5:13: unknown diode model parameter "iss" (model dm, used by d1 at line 2); did you mean "is"? (the same for 2 more elements)`},
		{"t\n.subckt s a\nR1 a 0 1k foo=2\n.ends\nX1 n s\nX2 n s\n.end\n",
			`t.cir:3:11: unknown resistor parameter "foo" (on x1.r1) (the same for 1 more element)`},
	}
	for _, c := range cases {
		pc, err := parser.Parse("t.cir", []byte(c.netlist))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Build(context.Background(), pc, DefaultEnv())
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: error\n%v\nwant\n%s", c.netlist, err, c.want)
		}
	}
}

// wantBuildError parses and builds netlist (file t.cir) and fails the test unless one
// of the two steps gives an error containing want.
func wantBuildError(t *testing.T, netlist string, env Env, want string) {
	t.Helper()
	pc, err := parser.Parse("t.cir", []byte(netlist))
	if err == nil {
		_, err = Build(context.Background(), pc, env)
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%q: error %v, want it to contain %q", netlist, err, want)
	}
}

// wantLoadAllocatesNothing loads netlist's devices in a transient at the node voltages
// given, and fails if a load allocates.
func wantLoadAllocatesNothing(t *testing.T, netlist string, nodes []string, volts []float64) {
	t.Helper()
	devs, sys := diodeBuild(t, netlist, DefaultEnv())
	x := make([]float64, sys.N+1)
	for k, n := range nodes {
		i, _ := sys.Lookup(n)
		x[i] = volts[k]
	}
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12}
	if n := loadAllocs(devs, ctx); n != 0 {
		t.Errorf("Load allocates %g times per call", n)
	}
}

// worstStampError builds netlist and holds G and C to finite differences of F and Q
// at each of points (the voltages of nodes, in order) with fdCheck's usual steps and
// floors; it returns the worst relative error (fdCheck reports each beyond tol).
func worstStampError(t *testing.T, netlist string, nodes []string, points [][]float64, tol float64, what string) float64 {
	t.Helper()
	built := parseAndBuild(t, netlist, DefaultEnv())
	b := setUp(built)
	idx := make([]int, len(nodes))
	for k, n := range nodes {
		idx[k] = b.Node(n)
	}
	handle := map[[2]int]mna.Handle{}
	for _, r := range idx {
		for _, c := range idx {
			handle[[2]int{r, c}] = b.Entry(r, c)
		}
	}
	sys := b.Build()
	check := fdCheck{built: built, sys: sys, handle: handle, idx: idx, h: 1e-6, absFloor: 1e-9, relFl: 1e-6, tol: tol}
	worst := 0.0
	for _, pt := range points {
		x := make([]float64, sys.N+1)
		for k, i := range idx {
			x[i] = pt[k]
		}
		worst = math.Max(worst, check.at(t, x, fmt.Sprintf("%s at %v", what, pt)))
	}
	return worst
}

// fdCheck holds the G and C entries a load stamps among the unknowns idx to central
// finite differences (step h) of F and Q at x, relative to the larger of the entry,
// absFloor and relFloor times its row's largest entry; it returns the worst relative
// difference and reports every one above tol.
type fdCheck struct {
	built              []Device
	sys                *mna.System
	handle             map[[2]int]mna.Handle
	idx                []int
	h, absFloor, relFl float64
	tol                float64
}

func (c fdCheck) at(t *testing.T, x []float64, what string) float64 {
	t.Helper()
	load := func(x []float64) *Context {
		ctx := &Context{X: x, Values: c.sys.NewValues(), Mode: ModeTran, Gmin: 1e-12, FirstIteration: true}
		for _, d := range NewRun(c.built) {
			d.Load(ctx)
		}
		return ctx
	}
	base := load(x)
	rowMax := map[int]float64{}
	for _, row := range c.idx {
		for _, col := range c.idx {
			hd := c.handle[[2]int{row, col}]
			rowMax[row] = math.Max(rowMax[row], math.Max(math.Abs(base.G[hd]), math.Abs(base.C[hd])))
		}
	}
	worst := 0.0
	for _, col := range c.idx {
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[col] += c.h
		xm[col] -= c.h
		p, m := load(xp), load(xm)
		for _, row := range c.idx {
			hd := c.handle[[2]int{row, col}]
			for _, e := range []struct {
				what     string
				num, ana float64
			}{
				{"G", (p.F[row] - m.F[row]) / (2 * c.h), base.G[hd]},
				{"C", (p.Q[row] - m.Q[row]) / (2 * c.h), base.C[hd]},
			} {
				scale := math.Max(math.Abs(e.ana), math.Max(c.absFloor, c.relFl*rowMax[row]))
				rel := math.Abs(e.num-e.ana) / scale
				worst = math.Max(worst, rel)
				if rel > c.tol {
					t.Errorf("%s: %s[%d][%d] = %g, finite difference %g", what, e.what, row, col, e.ana, e.num)
				}
			}
		}
	}
	return worst
}
