package bsim3

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// testCard is a model card of this test's own (not the QA decks'), exercising most of
// the model: rdsw, prwg, the narrow-width terms, substrate current, poly depletion.
const testCard = `+ tox=9n nch=3e17 vth0=0.55 k1=0.6 k2=-0.02 k3=60 w0=1e-6 dvt0=2 dvt1=0.5 dvt2=-0.03
+ dvt0w=0.2 dvt1w=4e6 u0=400 ua=2e-9 ub=6e-19 uc=-4e-11 vsat=9e4 a0=1.1 ags=0.2 a1=0.01 a2=0.9
+ keta=-0.04 rdsw=300 prwg=0.1 prwb=-0.05 wr=1 pclm=1.2 pdiblc1=0.3 pdiblc2=0.01 pdiblcb=-0.05
+ drout=0.5 pscbe1=4e8 pscbe2=1e-5 pvag=0.2 delta=0.01 alpha0=1e-6 alpha1=0.5 beta0=25
+ ngate=5e19 cgdl=2e-10 cgsl=2e-10 ckappa=0.6 cj=1e-3 cjsw=3e-10 cjswg=4e-10 mj=0.45 mjsw=0.3
+ js=1e-5 jsw=1e-11 lint=2e-8 wint=3e-8 dlc=3e-8 xj=1.2e-7 nfactor=1.2 cdsc=2e-4 cit=1e-5
+ voff=-0.09 eta0=0.06 etab=-0.05 dsub=0.5 kt1=-0.12 ute=-1.4 rsh=20 lvth0=0.01 wu0=10 pk1=0.001`

// build parses netlist and returns one run of its devices with their system.
func build(t testing.TB, netlist string, temp float64) ([]devices.Loader, *mna.System) {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	env := devices.DefaultEnv()
	env.Temp = temp
	devs, err := devices.Build(context.Background(), c, env)
	if err != nil {
		t.Fatal(err)
	}
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for _, d := range devs {
		d.Setup(b)
	}
	return devices.NewRun(devs), b.Build()
}

func load(devs []devices.Loader, sys *mna.System, x []float64, mode devices.Mode) *mna.Values {
	v := sys.NewValues()
	ctx := &devices.Context{X: x, Values: v, Mode: mode, SrcFactor: 1, Gmin: 1e-12, FirstIteration: true}
	for _, d := range devs {
		d.Load(ctx)
	}
	return v
}

// checkJacobian compares G and C with central differences of F and Q at x, and returns
// the largest relative difference.
func checkJacobian(t *testing.T, devs []devices.Loader, sys *mna.System, x []float64, mode devices.Mode, tol float64) float64 {
	t.Helper()
	n := sys.N
	base := load(devs, sys, x, mode)
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
	worst := 0.0
	for j := 1; j <= n; j++ {
		h := 1e-6
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[j] += h
		xm[j] -= h
		vp, vm := load(devs, sys, xp, mode), load(devs, sys, xm, mode)
		// Scales: the largest entry of each row, so that a tiny entry beside a large one
		// is held to the row's precision.
		for i := 1; i <= n; i++ {
			rowG, rowC := 0.0, 0.0
			for k := 1; k <= n; k++ {
				rowG, rowC = math.Max(rowG, math.Abs(g[i][k])), math.Max(rowC, math.Abs(c[i][k]))
			}
			for _, m := range []struct {
				name         string
				an, fd, scal float64
			}{
				{"dF/dx", g[i][j], (vp.F[i] - vm.F[i]) / (2 * h), rowG},
				{"dQ/dx", c[i][j], (vp.Q[i] - vm.Q[i]) / (2 * h), rowC},
			} {
				if m.scal == 0 {
					continue
				}
				rel := math.Abs(m.an-m.fd) / m.scal
				worst = math.Max(worst, rel)
				if rel > tol {
					t.Errorf("%s[%s][%s] = %g, finite differences give %g (%.2g of the row's largest)",
						m.name, sys.Unknowns[i].Label(), sys.Unknowns[j].Label(), m.an, m.fd, rel)
				}
			}
		}
	}
	return worst
}

// TestJacobianAgainstFiniteDifferences holds the exact Jacobian of currents and charges
// (dual numbers) against central differences over the charge models, the partitions, the
// mobility models, both channel types, both modes and the regions of operation.
func TestJacobianAgainstFiniteDifferences(t *testing.T) {
	// Bias points (vd, vg, vs, vb) for an n-channel device; a p-channel one takes minus.
	points := [][4]float64{
		{1.5, 1.2, 0, -0.3},   // saturation
		{0.08, 1.6, 0, 0},     // linear
		{1.0, 0.3, 0, -0.5},   // subthreshold
		{-0.7, 1.1, 0, -0.2},  // reverse mode
		{0.6, 0.9, 0.1, 0.25}, // forward-biased bulk
		{1.2, -0.8, 0, 0},     // accumulation
	}
	const tol = 6e-9 // of the row's largest entry; 6.1e-10 measured (central differences, h = 1 uV)
	// ngspice's derivatives differ from the exact ones by up to 2.4e-6 of the row's largest
	// entry at these points (the Vbseff bound, forward-biased bulk): exact ones here.
	ngspiceDerivatives = false
	defer func() { ngspiceDerivatives = true }()
	worst := 0.0
	for _, typ := range []string{"nmos", "pmos"} {
		for capmod := range 4 {
			for _, xpart := range []float64{0, 0.5, 1} {
				mobmod := 1 + (capmod+int(2*xpart))%3
				version := "3.3"
				if capmod == 3 && xpart == 0.5 {
					version = "3.2.4" // its capmod 3 inversion charge
				}
				netlist := fmt.Sprintf("t\nm1 d g s b m1 w=2u l=0.25u ad=1p as=1.2p pd=4u ps=1u\n"+
					".model m1 %s level=49 version=%s capmod=%d xpart=%g mobmod=%d\n%s\n.end\n",
					typ, version, capmod, xpart, mobmod, testCard)
				devs, sys := build(t, netlist, 60)
				for _, p := range points {
					if typ == "pmos" {
						p = [4]float64{-p[0], -p[1], -p[2], -p[3]}
					}
					x := make([]float64, sys.N+1)
					for k, name := range []string{"d", "g", "s", "b"} {
						i, _ := sys.Lookup("v(" + name + ")")
						x[i] = p[k]
					}
					// The internal drain and source sit a little inside.
					if i, ok := sys.Lookup("v(m1#drain)"); ok {
						x[i] = 0.99 * p[0]
					}
					if i, ok := sys.Lookup("v(m1#source)"); ok {
						x[i] = p[2] + 0.01*(p[0]-p[2])
					}
					name := fmt.Sprintf("%s %s capmod=%d xpart=%g mobmod=%d at %v", typ, version, capmod, xpart, mobmod, p)
					t.Run(name, func(t *testing.T) {
						worst = math.Max(worst, checkJacobian(t, devs, sys, x, devices.ModeTran, tol))
					})
				}
			}
		}
	}
	t.Logf("largest difference from finite differences: %.2g of the row's largest entry (tolerance %g)", worst, tol)
}

// TestNQSJacobianAgainstFiniteDifferences holds nqsmod's deficit node (its row, and its
// current in the gate, drain and source rows) to central differences, in a transient
// and in an .ac (where the node is the small-signal model).
func TestNQSJacobianAgainstFiniteDifferences(t *testing.T) {
	points := [][4]float64{{1.5, 1.2, 0, -0.3}, {0.08, 1.6, 0, 0}, {-0.7, 1.1, 0, -0.2}, {1.0, 0.3, 0, -0.5}}
	// Of the row's largest entry: measured 5.4e-9, the round-off of central differences in
	// the rows that the deficit leaves with the overlap capacitances alone (3.9e-18 F) next
	// to junction charges 1000 times larger.
	const tol = 6e-8
	worst := 0.0
	for _, typ := range []string{"nmos", "pmos"} {
		for _, capmod := range []int{0, 2, 3} {
			netlist := fmt.Sprintf("t\nm1 d g s b m1 w=2u l=0.25u m=2\n.model m1 %s level=49 capmod=%d nqsmod=1\n%s\n.end\n", typ, capmod, testCard)
			devs, sys := build(t, netlist, 27)
			q, ok := sys.Lookup("v(m1#charge)")
			if !ok {
				t.Fatal("no deficit node m1#charge")
			}
			for _, p := range points {
				sign := 1.0
				if typ == "pmos" {
					sign = -1
				}
				x := make([]float64, sys.N+1)
				for k, name := range []string{"d", "g", "s", "b"} {
					i, _ := sys.Lookup("v(" + name + ")")
					x[i] = sign * p[k]
				}
				if i, ok := sys.Lookup("v(m1#drain)"); ok {
					x[i] = sign * 0.99 * p[0]
				}
				if i, ok := sys.Lookup("v(m1#source)"); ok {
					x[i] = sign * (p[2] + 0.01*(p[0]-p[2]))
				}
				x[q] = sign * 2e-7 // a deficit of 2e-16 C
				for _, mode := range []devices.Mode{devices.ModeTran, devices.ModeAC} {
					t.Run(fmt.Sprintf("%s capmod=%d %v mode %d", typ, capmod, p, mode), func(t *testing.T) {
						worst = math.Max(worst, checkJacobian(t, devs, sys, x, mode, tol))
					})
				}
			}
		}
	}
	t.Logf("largest difference from finite differences: %.2g of the row's largest entry (tolerance %g)", worst, tol)
}

// TestLoadAllocatesNothing: Load runs in the Newton loop.
func TestLoadAllocatesNothing(t *testing.T) {
	devs, sys := build(t, "t\nm1 d g 0 b m1 w=2u l=0.25u nqsmod=1\n.model m1 nmos level=8 acnqsmod=1\n"+testCard+"\n.end\n", 27)
	x := make([]float64, sys.N+1)
	for name, v := range map[string]float64{"d": 1.2, "g": 1, "b": -0.2} {
		i, _ := sys.Lookup("v(" + name + ")")
		x[i] = v
	}
	ctx := &devices.Context{X: x, Values: sys.NewValues(), Mode: devices.ModeTran, SrcFactor: 1, Gmin: 1e-12}
	k := 0
	if n := testing.AllocsPerRun(100, func() {
		k++
		x[1] += 1e-3 * float64(k%3-1) // limiting against the last evaluation
		devs[0].Load(ctx)
	}); n != 0 {
		t.Errorf("Load allocates %g times", n)
	}
}

// TestModelCardErrors: misspelt and unsupported parameters are errors at their
// position, with a suggestion; binned and unused parameters are accepted.
func TestModelCardErrors(t *testing.T) {
	cases := []struct{ card, inst, want string }{
		{"vth00=0.5", "", `t.cir:3:24: unknown BSIM3 model parameter "vth00"`},
		{"vth00=0.5", "", `did you mean "vth0"?`},
		{"capmod=4", "", "capmod must be 0, 1, 2 or 3"},
		{"acm=2", "", "acm=2 is not supported"},
		{"nqsmod=2", "", "nqsmod must be 0 or 1"},
		{"acnqsmod=2", "", "acnqsmod must be 0 or 1"},
		{"", "acnqsmod=3", "acnqsmod must be 0 or 1"},
		{"version=3.1", "", "BSIM3 version 3.1 is not supported"},
		{"", "lw=1u", `unknown BSIM3 instance parameter "lw" on m1; did you mean "l"?`},
		{"", "nqsmod=3", "nqsmod must be 0 or 1"},
		{"lint=3u", "", "effective channel length"},
	}
	for _, c := range cases {
		netlist := "t\nm1 d g 0 0 m1 l=1u w=1u " + c.inst + "\n.model m1 nmos level=8 " + c.card + "\n.end\n"
		cir, err := parser.Parse("t.cir", []byte(netlist))
		if err == nil {
			_, err = devices.Build(context.Background(), cir, devices.DefaultEnv())
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: got %v, want an error containing %q", c.card, c.inst, err, c.want)
		}
	}
	// Binned variants, aliases, the instances' l and w and the parameters gospice does
	// not use.
	netlist := "t\nm1 d g 0 0 m1 delvto=0.1 m=2 nrd=2 nrs=2 off\n.model m1 nmos level=8 l=1u w=1u\n" +
		"+ version=3.3.0 lvth0=0.01 wua=1e-11 pu0=1 vtho=0.6 noimod=2 kf=1e-26 af=1.1 lintnoi=1e-8 paramchk=1 npeak=2e17\n.end\n"
	cir, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := devices.Build(context.Background(), cir, devices.DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	if s := devs[0].(*Device).s; s.leff != 1e-6 || s.weff != 1e-6 {
		t.Errorf("leff %g, weff %g: the model's l and w are the instance's", s.leff, s.weff)
	}
	if got := strings.Join(devs[0].(*Device).UnusedParams(), " "); got != "paramchk" {
		t.Errorf("unused parameters %q, want %q", got, "paramchk")
	}
}

// TestBinning: a binned parameter's value at a size is xxx + lxxx/Leff + wxxx/Weff +
// pxxx/(Leff Weff), in microns.
func TestBinning(t *testing.T) {
	netlist := "t\nm1 d g 0 0 m1 l=0.5u w=4u delvto=0.05\n.model m1 nmos level=8 vth0=0.6 lvth0=0.02 wvth0=0.04 pvth0=0.01 lint=0.05u wint=0.5u\n.end\n"
	cir, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := devices.Build(context.Background(), cir, devices.DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	s := devs[0].(*Device).s
	leff, weff := 0.4, 3.0 // microns
	want := 0.6 + 0.02/leff + 0.04/weff + 0.01/(leff*weff) + 0.05
	if math.Abs(s.leff-leff*1e-6) > 1e-15 || math.Abs(s.weff-weff*1e-6) > 1e-15 || math.Abs(s.vth0-want) > 1e-12 {
		t.Errorf("leff %g weff %g vth0 %g, want %g %g %g", s.leff, s.weff, s.vth0, leff*1e-6, weff*1e-6, want)
	}
}

// BenchmarkLoad is one load of a device with charges, as in a transient's Newton step.
func BenchmarkLoad(b *testing.B) {
	devs, sys := build(b, "t\nm1 d g 0 b m1 w=2u l=0.25u\n.model m1 nmos level=8\n"+testCard+"\n.end\n", 27)
	x := make([]float64, sys.N+1)
	for name, v := range map[string]float64{"d": 1.2, "g": 1, "b": -0.2} {
		i, _ := sys.Lookup("v(" + name + ")")
		x[i] = v
	}
	ctx := &devices.Context{X: x, Values: sys.NewValues(), Mode: devices.ModeTran, SrcFactor: 1, Gmin: 1e-12}
	for b.Loop() {
		devs[0].Load(ctx)
	}
}
