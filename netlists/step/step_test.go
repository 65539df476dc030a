// Package step holds the regression netlists of .step and Monte Carlo runs: a stepped
// RC filter, a stepped divider and a Monte Carlo divider, held to the same netlists run
// once per value, to ngspice, and to the analytic statistics of the Monte Carlo output.
package step

import (
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// runAll runs every step point of a netlist and returns the runs in order.
func runAll(t *testing.T, sim *gospice.Simulation) []*gospice.StepRun {
	t.Helper()
	var runs []*gospice.StepRun
	err := sim.RunSteps(context.Background(), nil, 0, func(r *gospice.StepRun) error {
		if r.Err != nil {
			return fmt.Errorf("run %d: %w", r.Run, r.Err)
		}
		runs = append(runs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != sim.Runs() {
		t.Fatalf("%d runs of %d", len(runs), sim.Runs())
	}
	return runs
}

// withoutSteps is the netlist text without its .step lines, with each edit applied (a
// regular expression and its replacement).
func withoutSteps(t *testing.T, text string, edits ...string) string {
	t.Helper()
	text = regexp.MustCompile(`(?m)^\.step .*\n`).ReplaceAllString(text, "")
	for k := 0; k < len(edits); k += 2 {
		re := regexp.MustCompile(edits[k])
		if !re.MatchString(text) {
			t.Fatalf("%q is not in the netlist", edits[k])
		}
		text = re.ReplaceAllString(text, edits[k+1])
	}
	return text
}

// sameVectors fails unless two results hold the same vectors to the bit.
func sameVectors(t *testing.T, what string, a, b *gospice.Result) {
	t.Helper()
	if strings.Join(a.Names(), ",") != strings.Join(b.Names(), ",") || a.Len() != b.Len() {
		t.Fatalf("%s: vectors %v (%d points) and %v (%d points)", what, a.Names(), a.Len(), b.Names(), b.Len())
	}
	for _, name := range a.Names() {
		if a.IsComplex() {
			x, _ := a.Complex(name)
			y, _ := b.Complex(name)
			for k := range x {
				if x[k] != y[k] {
					t.Fatalf("%s: %s differs at point %d: %v and %v", what, name, k, x[k], y[k])
				}
			}
			continue
		}
		x, _ := a.Vector(name)
		y, _ := b.Vector(name)
		for k := range x {
			if math.Float64bits(x[k]) != math.Float64bits(y[k]) {
				t.Fatalf("%s: %s differs at point %d: %v and %v", what, name, k, x[k], y[k])
			}
		}
	}
}

// value writes a step value as the netlist would: shortest exact form.
func value(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// perValue lists, for every run of a stepped netlist, the same netlist written for that
// run's values alone.
type perValue func(t *testing.T, values []float64) string

var stepped = []struct {
	path string
	text perValue
}{
	{"rc_filter.cir", func(t *testing.T, v []float64) string {
		return withoutSteps(t, read(t, "rc_filter.cir"), `\.param rval=1k`, ".param rval="+value(v[0]))
	}},
	{"divider.cir", func(t *testing.T, v []float64) string {
		return withoutSteps(t, read(t, "divider.cir"), `(?m)^R2 out 0 1k$`, "R2 out 0 "+value(v[0]), `(?m)^V1 in 0 DC 5$`, "V1 in 0 DC "+value(v[1]))
	}},
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStepRunsAreTheNetlistPerValue: every run of a stepped netlist gives, to the bit,
// what the same netlist written with that run's values gives.
func TestStepRunsAreTheNetlistPerValue(t *testing.T) {
	for _, c := range stepped {
		t.Run(c.path, func(t *testing.T) {
			sim, err := gospice.ParseFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			for _, run := range runAll(t, sim) {
				one, err := gospice.Parse(c.path, c.text(t, run.Values))
				if err != nil {
					t.Fatal(err)
				}
				results, err := one.Results(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				for k, res := range results {
					sameVectors(t, fmt.Sprintf("run %d %v, %s", run.Run, run.Values, res.Analysis.Name()), run.Results[k], res)
				}
			}
		})
	}
}

// TestStepAgreesWithNgspice: each run agrees with ngspice running the netlist written for
// that run's values (ngspice has no .step), within what each case measures.
func TestStepAgreesWithNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); .ci/run installs it")
	}
	cases := []struct {
		path, kind string
		vectors    []string
		tol        float64 // of the swing: about ten times what was measured
	}{
		// Measured 2.9e-13 of the swing: both land on the same PULSE corners and take the
		// same steps.
		{"rc_filter.cir", "tran", []string{"v(out)"}, 3e-12},
		// Measured below 1e-14: a linear divider.
		{"divider.cir", "op", []string{"v(out)", "i(v1)"}, 1e-12},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			sim, err := gospice.ParseFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			text := stepped[0].text
			for _, s := range stepped {
				if s.path == c.path {
					text = s.text
				}
			}
			worst := 0.0
			for _, run := range runAll(t, sim) {
				src := text(t, run.Values)
				want, err := crosscheck.NgspiceText(src, ".", c.kind, c.vectors)
				if err != nil {
					t.Fatal(err)
				}
				got, err := crosscheck.RunText(src, c.kind)
				if err != nil {
					t.Fatal(err)
				}
				ms, err := crosscheck.Compare(want, got, c.vectors, 1e-12)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					worst = math.Max(worst, m.Relative())
					if !(m.Relative() <= c.tol) {
						t.Errorf("run %d %v: %v (tolerance %.3g of the swing)", run.Run, run.Values, m, c.tol)
					}
				}
			}
			t.Logf("worst difference from ngspice over the runs: %.3g of the swing (tolerance %.3g)", worst, c.tol)
		})
	}
}

// dividerMoments is the mean and standard deviation of R2/(R1+R2) for independent R1, R2
// normal of mean mu and standard deviation sigma, by Gauss-Hermite quadrature in both.
func dividerMoments(mu, sigma float64) (mean, sd float64) {
	const n = 40
	moment := func(g func(float64) float64) float64 {
		// E[g] = 1/pi * int int g(r1(x), r2(y)) e^-(x^2+y^2) dx dy, r = mu + sqrt(2) sigma x.
		r := func(x float64) float64 { return mu + math.Sqrt2*sigma*x }
		return quad.Fixed(func(x float64) float64 {
			return quad.Fixed(func(y float64) float64 {
				return g(r(y) / (r(x) + r(y)))
			}, math.Inf(-1), math.Inf(1), n, quad.Hermite{}, 0)
		}, math.Inf(-1), math.Inf(1), n, quad.Hermite{}, 0) / math.Pi
	}
	m1 := moment(func(v float64) float64 { return v })
	m2 := moment(func(v float64) float64 { return v * v })
	return m1, math.Sqrt(m2 - m1*m1)
}

// TestMonteCarloDividerStatistics: over 2000 runs, the mean and standard deviation of a
// divider's output whose two resistors draw their own agauss lie within 3 standard errors
// of the analytic values, and the drawn resistances have the asked spread.
func TestMonteCarloDividerStatistics(t *testing.T) {
	sim, err := gospice.ParseFile("mc_divider.cir")
	if err != nil {
		t.Fatal(err)
	}
	runs := runAll(t, sim)
	vout := make([]float64, len(runs))
	r2 := make([]float64, len(runs))
	for k, run := range runs {
		v, _ := run.Results[0].Vector("v(out)")
		i, _ := run.Results[0].Vector("i(v1)")
		vout[k] = v[0]
		r2[k] = v[0] / -i[0] // the current through the divider, R2 = v(out) / i
	}
	n := float64(len(runs))
	mean, sd := stat.MeanStdDev(vout, nil)
	wantMean, wantSD := dividerMoments(10e3, 500)
	seMean, seSD := wantSD/math.Sqrt(n), wantSD/math.Sqrt(2*(n-1))
	t.Logf("v(out) over %d runs: mean %.6g (analytic %.6g, %.2f standard errors), sd %.6g (analytic %.6g, %.2f standard errors)",
		len(runs), mean, wantMean, (mean-wantMean)/seMean, sd, wantSD, (sd-wantSD)/seSD)
	if math.Abs(mean-wantMean) > 3*seMean || math.Abs(sd-wantSD) > 3*seSD {
		t.Errorf("v(out): mean %g and sd %g, analytic %g and %g: more than 3 standard errors (%g, %g) apart", mean, sd, wantMean, wantSD, seMean, seSD)
	}
	rMean, rSD := stat.MeanStdDev(r2, nil)
	if math.Abs(rMean-10e3) > 3*500/math.Sqrt(n) || math.Abs(rSD-500) > 3*500/math.Sqrt(2*(n-1)) {
		t.Errorf("R2 drawn with mean %g and sd %g, want 10k and 500", rMean, rSD)
	}
}

// TestStepForms: each kind of .step sets what it names, and nested .step lines run with
// the first varying fastest.
func TestStepForms(t *testing.T) {
	cases := []struct {
		name, netlist string
		want          func(values []float64, res *gospice.Result) (got, want float64)
		tol           float64 // relative: about ten times what was measured
	}{
		{"temperature", "t\nV1 a 0 1\nR1 a 0 1k tc1=0.01\n.step temp list 0 27 100\n.op\n.end\n",
			func(v []float64, res *gospice.Result) (float64, float64) {
				i, _ := res.Vector("i(v1)")
				return -i[0], 1 / (1e3 * (1 + 0.01*(v[0]-27)))
			}, 1e-12},
		{"source", "t\nV1 a 0 1\nR1 a b 1k\nR2 b 0 3k\n.step v1 -2 4 3\n.op\n.end\n",
			func(v []float64, res *gospice.Result) (float64, float64) {
				b, _ := res.Vector("v(b)")
				return b[0], 0.75 * v[0]
			}, 1e-12},
		{"model parameter", "t\nI1 0 a 1m\nD1 a 0 dm\n.model dm d is=1e-14\n.step dec dm(is) 1e-15 1e-13 1\n.op\n.end\n",
			func(v []float64, res *gospice.Result) (float64, float64) {
				a, _ := res.Vector("v(a)")
				vt := 1.38064852e-23 * 300.15 / 1.6021766208e-19
				return a[0], vt * math.Log(1e-3/v[0]+1)
				// Newton stops within its tolerance of the junction voltage: measured
				// 2.3e-7 of it.
			}, 3e-6},
		{"nested, the first fastest", "t\n.param a=0 b=0\nV1 x 0 {a+10*b}\nR1 x 0 1\n.step param a list 1 2\n.step param b 1 3 1\n.op\n.end\n",
			func(v []float64, res *gospice.Result) (float64, float64) {
				x, _ := res.Vector("v(x)")
				return x[0], v[0] + 10*v[1]
			}, 1e-12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sim, err := gospice.Parse("t.cir", c.netlist)
			if err != nil {
				t.Fatal(err)
			}
			runs := runAll(t, sim)
			worst := 0.0
			for _, run := range runs {
				got, want := c.want(run.Values, run.Results[0])
				rel := math.Abs(got-want) / math.Abs(want)
				worst = math.Max(worst, rel)
				if !(rel <= c.tol) {
					t.Errorf("run %d %v: %g, want %g (%.2g apart, tolerance %.2g)", run.Run, run.Values, got, want, rel, c.tol)
				}
			}
			t.Logf("worst relative difference %.2g", worst)
			if c.name == "nested, the first fastest" {
				var order []string
				for _, run := range runs {
					order = append(order, fmt.Sprint(run.Values))
				}
				if got := strings.Join(order, " "); got != "[1 1] [2 1] [1 2] [2 2] [1 3] [2 3]" {
					t.Errorf("runs in the order %s", got)
				}
			}
		})
	}
}

// memristorMC is a memristor with device-to-device spread and ruptures, stepped over runs.
const memristorMC = `memristor runs
.model dm memristor level=diffusive mu=190 d2d=0.1 kappa=1000 m=2 eta=0.3
V1 in 0 PULSE(0 1 0 1u 1u 5m 10m)
YMEMRISTOR y1 in g dm
Cg g 0 10p
Rc g 0 250meg
.step param run 1 3 1
.tran 10u 5m
.end
`

// TestMemristorDrawsPerRun: the memristor's spread and ruptures draw from the run's
// stream: the runs differ, a run built again gives the same to the bit, and run 1 is the
// netlist without .step.
func TestMemristorDrawsPerRun(t *testing.T) {
	sim, err := gospice.Parse("m.cir", memristorMC)
	if err != nil {
		t.Fatal(err)
	}
	runs := runAll(t, sim)
	final := func(r *gospice.Result) float64 {
		f, _ := r.Vector("state(y1.f)")
		return f[len(f)-1]
	}
	if a, b, c := final(runs[0].Results[0]), final(runs[1].Results[0]), final(runs[2].Results[0]); a == b || b == c || a == c {
		t.Errorf("the runs' filaments end at %g, %g, %g: the same draws", a, b, c)
	}
	again, err := sim.StepPoint(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	res, err := again.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, "run 2 built again", runs[1].Results[0], res[0])
	plain, err := gospice.Parse("m.cir", strings.Replace(memristorMC, ".step param run 1 3 1\n", "", 1))
	if err != nil {
		t.Fatal(err)
	}
	res, err = plain.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, "run 1 and the netlist without .step", runs[0].Results[0], res[0])
}
