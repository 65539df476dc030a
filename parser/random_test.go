package parser

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

func TestStream(t *testing.T) {
	// Run 1 is the devices' stream as it always was: PCG(seed, FNV-1a(name)).
	h := fnv.New64a()
	h.Write([]byte("y1"))
	old := rand.New(rand.NewPCG(42, h.Sum64()))
	one, zero := Stream(42, 1, "y1"), Stream(42, 0, "y1")
	for range 5 {
		want := old.Uint64()
		if a, b := one.Uint64(), zero.Uint64(); a != want || b != want {
			t.Fatalf("run 1: %x %x, want %x", a, b, want)
		}
	}
	first := func(seed uint64, run int, name string) uint64 { return Stream(seed, run, name).Uint64() }
	if first(42, 2, "y1") == first(42, 1, "y1") || first(42, 2, "y1") == first(42, 3, "y1") ||
		first(42, 1, "y1") == first(43, 1, "y1") || first(42, 1, "y1") == first(42, 1, "y2") {
		t.Errorf("streams that should differ do not")
	}
	if first(42, 7, "param:p") != first(42, 7, "param:p") {
		t.Errorf("the same stream twice differs")
	}
}

// normals returns the first n normal draws of a stream, for the expected values.
func normals(seed uint64, run int, name string, n int) []float64 {
	r := Stream(seed, run, name)
	var out []float64
	for range n {
		out = append(out, r.NormFloat64())
	}
	return out
}

// elementValues maps each element's name to its value (a source's DC).
func elementValues(c *Circuit) map[string]float64 {
	m := map[string]float64{}
	for _, e := range c.Elements {
		if e.Source() != nil {
			m[e.Name] = e.Source().DC
		} else {
			m[e.Name] = e.Value
		}
	}
	return m
}

// TestRandomDraws checks which stream each random function draws from: a .param's own
// (shared by its uses), an element's or a model's (each call anew, in order), an
// instance's parameter's.
func TestRandomDraws(t *testing.T) {
	c := mustParse(t, ".param p=agauss(10,2,1) q={p*2}\nR1 a 0 {p}\nR2 a 0 {p}\nR3 a 0 {q}\n"+
		"R4 a 0 {agauss(10,2,1)}\nR5 a 0 {agauss(10,2,1)}\nV1 a 0 dc {agauss(0,1,1)} ac {agauss(0,1,1)}\n"+
		".model d d is={agauss(1,0.5,1)} n={aunif(1,0.5)}\nD1 a 0 d\n.ic v(a)={agauss(0,1,1)} v(b)={agauss(0,1,1)}")
	p := 10 + 2*normals(1, 1, "param:p", 1)[0]
	v := elementValues(c)
	if v["r1"] != p || v["r2"] != p || v["r3"] != 2*p || c.Params["p"] != p {
		t.Errorf("a random .param is drawn once: %v, p=%g", v, p)
	}
	if v["r4"] != 10+2*normals(1, 1, "elem:r4", 1)[0] || v["r5"] != 10+2*normals(1, 1, "elem:r5", 1)[0] || v["r4"] == v["r5"] {
		t.Errorf("each element draws its own: %g %g", v["r4"], v["r5"])
	}
	if n := normals(1, 1, "elem:v1", 2); c.Elements[5].Source().DC != n[0] || c.Elements[5].Source().ACMag != n[1] {
		t.Errorf("in order on the line: %+v, want %v", c.Elements[5].Source(), n)
	}
	r := Stream(1, 1, "model:d")
	is := 1 + 0.5*r.NormFloat64()
	n := 1 + 0.5*(2*r.Float64()-1)
	if m := c.Models["d"]; m.Params[0].Value != is || m.Params[1].Value != n {
		t.Errorf("model: %+v, want is=%g n=%g", m.Params, is, n)
	}
	if n := normals(1, 1, "dot:.ic", 2); c.ICs[0].Value != n[0] || c.ICs[1].Value != n[1] {
		t.Errorf(".ic: %v, want %v", c.ICs, n)
	}
	if !c.Random {
		t.Errorf("Random not set")
	}
	if c := mustParse(t, ".param p=1\nR1 a 0 {limit(5,0,p)}"); c.Random || c.Elements[0].Value != 1 {
		t.Errorf("no random function: Random %v, %g", c.Random, c.Elements[0].Value)
	}
}

// TestRandomIndependence checks that a draw does not depend on the other elements, on
// the order of the lines, or on where a parameter is first used.
func TestRandomIndependence(t *testing.T) {
	base := mustParse(t, ".param p=agauss(1,1,1)\nR1 a 0 {agauss(1,1,1)}\nR2 a 0 {p}")
	for _, src := range []string{
		"R0 a 0 {agauss(1,1,1)}\n.param z=aunif(0,1)\nR2 a 0 {p}\nR1 a 0 {agauss(1,1,1)}\n.param p=agauss(1,1,1)",
		".param p=agauss(1,1,1) p2={p+1}\n.if (p2 > 0)\nR9 a 0 1\n.endif\nR1 a 0 {agauss(1,1,1)}\nR2 a 0 {p}",
		"C1 a 0 {aunif(1,0.5)} ic={agauss(0,1,1)}\nR1 a 0 {agauss(1,1,1)}\n.model d d is={agauss(1,1,1)}\nR2 a 0 {p}\n.param p=agauss(1,1,1)",
	} {
		c := mustParse(t, src)
		v, w := elementValues(c), elementValues(base)
		if v["r1"] != w["r1"] || v["r2"] != w["r2"] || c.Params["p"] != base.Params["p"] {
			t.Errorf("%q: r1 %g r2 %g p %g, want %g %g %g", src, v["r1"], v["r2"], c.Params["p"], w["r1"], w["r2"], base.Params["p"])
		}
	}
}

// TestRandomSubckt checks that the draws of a subcircuit are keyed by flat names.
func TestRandomSubckt(t *testing.T) {
	c := mustParse(t, ".subckt s a params: p=agauss(1,1,1)\n.param q=agauss(1,1,1)\nR1 a 0 {p}\nR2 a 0 {q}\nR3 a 0 {agauss(1,1,1)}\n.ends\n"+
		".func rg(x) {agauss(x,1,1)}\nX1 a s\nX2 b s\nX3 c s p={agauss(5,1,1)}\nR4 a 0 {rg(1)+rg(1)}")
	v := elementValues(c)
	g := func(name string) float64 { return 1 + normals(1, 1, name, 1)[0] }
	want := map[string]float64{
		"x1.r1": g("param:x1.p"), "x2.r1": g("param:x2.p"), "x3.r1": 4 + g("param:x3.p"),
		"x1.r2": g("param:x1.q"), "x2.r2": g("param:x2.q"),
		"x1.r3": g("elem:x1.r3"), "x2.r3": g("elem:x2.r3"),
	}
	for name, w := range want {
		if v[name] != w {
			t.Errorf("%s = %g, want %g", name, v[name], w)
		}
	}
	if v["x1.r1"] == v["x2.r1"] || v["x1.r3"] == v["x2.r3"] {
		t.Errorf("instances draw alike: %v", v)
	}
	// .func calls draw anew at each call, from the element's stream.
	if n := normals(1, 1, "elem:r4", 2); v["r4"] != (1+n[0])+(1+n[1]) {
		t.Errorf("r4 = %g, want %g", v["r4"], 2+n[0]+n[1])
	}
}

// TestRandomSeedAndRun checks where the seed comes from and that runs differ.
func TestRandomSeedAndRun(t *testing.T) {
	src := ".param p=agauss(0,1,1)\nR1 a 0 {agauss(0,1,1)}"
	elab := func(src string, v Variant) *Circuit {
		t.Helper()
		d, err := ParseDeck(context.Background(), "t.cir", []byte("t\n"+src))
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.Elaborate(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		src  string
		v    Variant
		seed uint64
		run  int
	}{
		{src, Variant{}, DefaultSeed, 1},
		{src, Variant{Run: 1}, DefaultSeed, 1},
		{src, Variant{Run: 2}, DefaultSeed, 2},
		{src, Variant{Run: 3, Seed: 5, HasSeed: true}, 5, 3},
		{src, Variant{Seed: 0, HasSeed: true}, 0, 1},
		{src + "\n.options seed=7", Variant{}, 7, 1},
		{src + "\n.param s=8\n.options seed={s}", Variant{}, 8, 1},
		{src + "\n.options seed=7\n.options reltol=1m seed=9", Variant{Run: 4}, 9, 4},
		{src + "\n.options seed=7", Variant{Seed: 3, HasSeed: true}, 3, 1},
	}
	for _, tc := range tests {
		c := elab(tc.src, tc.v)
		if p, r1 := normals(tc.seed, tc.run, "param:p", 1)[0], normals(tc.seed, tc.run, "elem:r1", 1)[0]; c.Params["p"] != p || c.Elements[0].Value != r1 {
			t.Errorf("%q %+v: p %g r1 %g, want %g %g", tc.src, tc.v, c.Params["p"], c.Elements[0].Value, p, r1)
		}
	}
	if a, b := elab(src, Variant{Run: 1}), elab(src, Variant{Run: 2}); a.Params["p"] == b.Params["p"] || a.Elements[0].Value == b.Elements[0].Value {
		t.Errorf("runs 1 and 2 draw alike")
	}
	// An invalid seed is an error only when something is drawn.
	if got := parseErrors(t, src+"\n.options seed=-1"); len(got) != 1 || got[0] != "t.cir:4:10: .options seed must be a non-negative integer, got -1" {
		t.Errorf("invalid seed: %q", got)
	}
	if got := parseErrors(t, "R1 a 0 1\n.options seed=1.5"); got != nil {
		t.Errorf("invalid seed without random functions: %q", got)
	}
	if got := parseErrors(t, src+"\n.options seed={aunif(5,1)}"); len(got) != 1 || got[0] != "t.cir:4:16: aunif(): random functions are not allowed in .options seed" {
		t.Errorf("random seed: %q", got)
	}
}

// TestRandomMonteCarlo draws a random .param over many runs, and a random value over
// many elements of one run: both must have the distribution asked for.
func TestRandomMonteCarlo(t *testing.T) {
	const n = 3000
	d, err := ParseDeck(context.Background(), "t.cir", []byte("t\n.param p=gauss(10,0.3,3)\nR1 a 0 {p}"))
	if err != nil {
		t.Fatal(err)
	}
	var ps []float64
	for run := 1; run <= n; run++ {
		c, err := d.Elaborate(context.Background(), Variant{Run: run})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, c.Params["p"])
	}
	checkMoments(t, "gauss(10,0.3,3) over runs", ps, 10, 1, 3)

	var b strings.Builder
	b.WriteString("t\n")
	for i := range n {
		b.WriteString("R" + strings.Repeat("x", i%3) + formatFloat(float64(i)) + " a 0 {aunif(5,2)}\n")
		b.WriteString("V" + formatFloat(float64(i)) + " a 0 {limit(1,0.5)}\n")
	}
	c, err := Parse("t.cir", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	var rs []float64
	up := 0
	for _, e := range c.Elements {
		if e.Kind == 'r' {
			rs = append(rs, e.Value)
		} else if e.Source().DC == 1.5 {
			up++
		} else if e.Source().DC != 0.5 {
			t.Fatalf("%s: limit(1,0.5) = %g", e.Name, e.Source().DC)
		}
	}
	checkMoments(t, "aunif(5,2) over elements", rs, 5, 2/math.Sqrt(3), 1.8)
	if p := float64(up) / n; math.Abs(p-0.5) > 4*math.Sqrt(0.25/n) {
		t.Errorf("limit: %g of the elements above, want 1/2", p)
	}
}

// checkMoments compares the mean and standard deviation of xs with analytic values,
// within 4 standard errors (kurtosis: of the distribution).
func checkMoments(t *testing.T, what string, xs []float64, mean, sd, kurtosis float64) {
	t.Helper()
	m, s := 0.0, 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	s = math.Sqrt(s / float64(len(xs)-1))
	n := float64(len(xs))
	if se, seSD := sd/math.Sqrt(n), sd*math.Sqrt((kurtosis-1)/(4*n)); math.Abs(m-mean) > 4*se || math.Abs(s-sd) > 4*seSD {
		t.Errorf("%s: mean %g sd %g, want %g %g", what, m, s, mean, sd)
	}
}

// TestRandomInExpressions checks that random functions never survive into the
// expressions kept for the simulation.
func TestRandomInExpressions(t *testing.T) {
	c := mustParse(t, "B1 a 0 v=v(b)*agauss(1,0.1,1)\nR1 a 0 r={1k*(1+v(a))*aunif(1,0.1)}\n.model d d is={1e-12*temper*agauss(1,0.1,1)}")
	g := 1 + 0.1*normals(1, 1, "elem:b1", 1)[0]
	if got, want := expr.String(c.Elements[0].Expr()), "v(b)*"+formatFloat(g); got != want {
		t.Errorf("b1: %s, want %s", got, want)
	}
	for _, n := range []expr.Node{c.Elements[0].Expr(), c.Elements[1].Expr(), c.Models["d"].Params[0].Expr} {
		expr.Walk(n, func(n expr.Node) bool {
			if call, ok := n.(*expr.Call); ok && expr.Random[call.Func].Draw != nil {
				t.Errorf("%s survives in %s", call.Func, expr.String(n))
			}
			return true
		})
	}
	if c.Models["d"].Params[0].Expr == nil || !c.Random {
		t.Errorf("model: %+v", c.Models["d"].Params[0])
	}
}

func TestRandomErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"B1 a 0 v=agauss(v(b),0.1,1)", "t.cir:2:10: agauss() is drawn once, when the netlist is read: its arguments must not depend on v(b)"},
		{"R1 a 0 {gauss(1,0.1,temper)}", "t.cir:2:9: gauss() is drawn once, when the netlist is read: its arguments must not depend on temper"},
		{"R1 a 0 {agauss(1,2)}", "t.cir:2:9: agauss() takes 3 arguments, found 2"},
		{"R1 a 0 {limit(1)}", "t.cir:2:9: limit() takes 2 or 3 arguments, found 1"},
		{"R1 a 0 {agauss(1,2,0)}", "t.cir:2:9: agauss: sigma must not be zero"},
		{".param p=unif(1)\nR1 a 0 {p}", "t.cir:2:10: unif() takes 2 arguments, found 1"},
		{"R1 a 0 {agaus(1,2,3)}", `t.cir:2:9: unknown function "agaus" (did you mean "agauss"?)`},
		{".meas tran m param='agauss(1,1,1)'", "t.cir:2:21: agauss() is not supported in .meas PARAM=: random functions are drawn when the netlist is read (use a .param)"},
		{".meas tran m param='limit(1,1)'", "t.cir:2:21: limit() is not supported in .meas PARAM=: random functions are drawn when the netlist is read (use a .param)"},
	}
	for _, tc := range tests {
		if got := strings.Join(parseErrors(t, tc.src), "\n"); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
	// limit with three arguments is still the clamp, in .meas PARAM= too.
	if c := mustParse(t, ".meas tran m param='limit(5,0,3)'\nR1 a 0 {limit(5,0,3)}"); c.Elements[0].Value != 3 || c.Random {
		t.Errorf("limit(5,0,3): %g", c.Elements[0].Value)
	}
}

// TestRandomSeedInInstance checks that an invalid seed met first inside an instance is
// reported as the top level's.
func TestRandomSeedInInstance(t *testing.T) {
	got := parseErrors(t, ".subckt s a\nR1 a 0 {agauss(1,1,1)}\n.ends\nX1 a s\n.options seed=2.5")
	if len(got) != 1 || got[0] != "t.cir:6:10: .options seed must be a non-negative integer, got 2.5" {
		t.Errorf("%q", got)
	}
}
