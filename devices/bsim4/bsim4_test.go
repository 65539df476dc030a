package bsim4

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// testCard is a 45 nm-like card of our own with most effects switched on: gate
// tunnelling, GIDL, substrate current, pocket implant, stress, gate and body resistors.
const testCard = `+ version=4.8 capmod=2 igcmod=1 igbmod=1 geomod=1 diomod=1 rdsmod=0 rbodymod=1 rgatemod=1
+ toxe=1.3e-9 toxp=1e-9 toxm=1.3e-9 dtox=3e-10 wint=5e-9 lint=4e-9 xl=-20e-9
+ vth0=%VTH k1=0.4 k2=-0.01 dvt0=1 dvt1=2 dvt2=-0.03 dsub=0.1 minv=0.05 dvtp0=1e-10 dvtp1=0.1
+ lpe0=0 xj=1.4e-8 ngate=1e23 ndep=3e18 nsd=2e20 voff=-0.13 nfactor=2.2 eta0=0.006 etab=-0.01
+ vfb=-0.55 u0=%U0 ua=6e-10 ub=1.2e-18 uc=1e-11 vsat=150000 a0=1 ags=0.1 a1=0 a2=1 keta=0.04
+ pclm=0.05 pdiblc1=0.002 pdiblc2=0.002 pdiblcb=-0.005 drout=0.5 pvag=1e-20 delta=0.01
+ pscbe1=8e8 pscbe2=1e-7 fprout=0.2 pdits=0.08 pditsd=0.23 pditsl=2.3e6 rsh=5 rdsw=155
+ alpha0=0.074 alpha1=0.005 beta0=30 agidl=2e-4 bgidl=2.1e9 cgidl=2e-4 egidl=0.8
+ aigbacc=0.012 bigbacc=0.0028 cigbacc=0.002 nigbacc=1 aigbinv=0.014 bigbinv=0.004
+ cigbinv=0.004 eigbinv=1.1 nigbinv=3 aigc=0.02 bigc=0.0025 cigc=0.002 aigsd=0.02
+ bigsd=0.0025 cigsd=0.002 nigc=1 poxedge=1 pigcd=1 ntox=1 cgso=1.1e-10 cgdo=1.1e-10
+ cgbo=2.56e-11 cgdl=2.6e-10 cgsl=2.6e-10 ckappas=0.03 ckappad=0.03 acde=1 moin=15
+ noff=0.9 voffcv=0.02 kt1=-0.11 kt2=0.022 ute=-1.5 ua1=4.3e-9 ub1=7.6e-18 uc1=-5.6e-11
+ jss=1e-4 jsws=1e-11 jswgs=1e-10 cjs=5e-4 cjsws=5e-10 cjswgs=3e-10 mjs=0.5 mjsws=0.33
+ rbpb=5 rbpd=15 rbps=15 rbdb=15 rbsb=15 rshg=0.4 lvth0=1e-3 wu0=1e-4 pk2=1e-5
+ saref=1e-6 sbref=1e-6 ku0=-4e-8 kvth0=5e-9 stk2=1e-10 steta0=1e-10 kf=1e-25 noia=1e41`

func testModel(typ string) string {
	vth, u0 := "0.45", "0.05"
	if typ == "pmos" {
		vth, u0 = "-0.47", "0.02"
	}
	return ".model m " + typ + " level=54\n" + strings.NewReplacer("%VTH", vth, "%U0", u0).Replace(testCard) + "\n"
}

// build builds a netlist's devices at 27 C and returns its first BSIM4 device's run.
func build(t *testing.T, netlist string) (*run, []devices.Loader, *mna.System) {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := devices.Build(context.Background(), c, devices.DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for _, d := range devs {
		d.Setup(b)
	}
	loaders := devices.NewRun(devs)
	for _, l := range loaders {
		if r, ok := l.(*run); ok {
			return r, loaders, b.Build()
		}
	}
	t.Fatal("no BSIM4 device")
	return nil, nil, nil
}

// TestMinrIgnored reads a card with minr, which ngspice 39's BSIM4 does not know and
// ignores ("unrecognized parameter (minr) - ignored"): SKY130's 20 V FETs give it.
func TestMinrIgnored(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("* t\nm1 d g 0 0 n w=1u l=0.1u\n.model n nmos level=54 minr=1e-2\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := devices.Build(context.Background(), c, devices.DefaultEnv()); err != nil {
		t.Fatal(err)
	}
	if u := UnusedParams(c.Models["n"]); len(u) != 1 || u[0] != "minr" {
		t.Errorf("unused parameters %v, want [minr]", u)
	}
}

func TestUnknownParameterSuggests(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("* t\nm1 d g 0 0 n w=1u l=0.1u\n.model n nmos level=54 vth00=0.4\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = devices.Build(context.Background(), c, devices.DefaultEnv())
	if err == nil || !strings.Contains(err.Error(), `unknown BSIM4 model parameter "vth00"`) || !strings.Contains(err.Error(), `did you mean "vth0"`) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "t.cir:3:") {
		t.Errorf("error does not name file:line: %v", err)
	}
	c, _ = parser.Parse("t.cir", []byte("* t\nm1 d g 0 0 n w=1u l=0.1u sa=1u nff=2\n.model n nmos level=14\n.end\n"))
	_, err = devices.Build(context.Background(), c, devices.DefaultEnv())
	if err == nil || !strings.Contains(err.Error(), `did you mean "nf"`) {
		t.Fatalf("instance: got %v", err)
	}
}

func TestEveryNamedParameterIsAccepted(t *testing.T) {
	var b strings.Builder
	b.WriteString("* t\nm1 d g 0 0 n w=1u l=0.1u\n.model n nmos level=54")
	for _, name := range ModelNames() {
		switch name {
		case "level", "nmos", "pmos", "mtrlmod", "rdsmod", "rgatemod", "rbodymod", "trnqsmod", "acnqsmod", "rgeomod", "mobmod", "tempmod", "capmod", "diomod", "geomod":
			continue
		}
		b.WriteString("\n+ " + name + "=0")
	}
	c, err := parser.Parse("t.cir", []byte(b.String()+"\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = devices.Build(context.Background(), c, devices.DefaultEnv())
	// Zeros make some sizes invalid; what must not happen is an unknown-name error.
	if err != nil && strings.Contains(err.Error(), "unknown") {
		t.Fatal(err)
	}
	if n := len(ModelNames()); n < 800 {
		t.Errorf("only %d model parameter names", n)
	}
	m := c.Models["n"]
	if got := UnusedParams(m); len(got) == 0 {
		t.Errorf("no unused parameters listed")
	}
}

// TestJacobianAgainstFiniteDifferences checks every derivative of the intrinsic node
// currents and of the junction currents against central differences, for both types,
// both modes (vds of either sign) and forward body bias.
func TestJacobianAgainstFiniteDifferences(t *testing.T) {
	for _, typ := range []string{"nmos", "pmos", "nmos rgatemod=2", "pmos mtrlmod=1"} {
		model := testModel(strings.Fields(typ)[0])
		if strings.HasSuffix(typ, "rgatemod=2") {
			model = strings.Replace(model, "rgatemod=1", "rgatemod=2", 1)
		}
		if strings.HasSuffix(typ, "mtrlmod=1") {
			// The materials: the mobility's work-function term, GIDL's flat band, the
			// charge centroid's permittivity and toxp from eot.
			model = strings.Replace(model, "rgatemod=1", "rgatemod=1 mtrlmod=1 eot=1.4e-9 epsrsub=12 phig=4.4 easub=4.1", 1)
		}
		r, _, _ := build(t, "* t\nm1 d g s b m w=1u l=50n nf=2 sa=0.2u sb=0.3u sd=0.1u\n"+model+".end\n")
		worst := 0.0
		for _, v := range []bias{
			{0.8, 0.9, 0, 0, 0}, {0.3, 0.05, -0.2, 0.1, -0.1}, {1, -0.6, 0.1, 0.2, -0.3},
			{-0.2, 1.1, -0.5, -0.4, -0.5}, {0.6, -1.1, -0.3, -0.2, 0.1}, {0.05, 0.4, 0.3, 0.3, 0.3},
		} {
			var e evalOut
			r.eval(v, 1e-12, true, &e)
			for k := 0; k < 3; k++ {
				const h = 1e-6
				vp, vm := v, v
				vp[k] += h
				vm[k] -= h
				var ep, em evalOut
				r.eval(vp, 1e-12, true, &ep)
				r.eval(vm, 1e-12, true, &em)
				for node := range 4 {
					for _, s := range []struct {
						name       string
						an, pl, mi dl
					}{{"i", e.i[node], ep.i[node], em.i[node]}, {"q", e.q[node], ep.q[node], em.q[node]}, {"gcrg", e.gcrg, ep.gcrg, em.gcrg}} {
						fd := (s.pl.v - s.mi.v) / (2 * h)
						an := [3]float64{s.an.g, s.an.d, s.an.b}[k]
						scale := math.Abs(s.an.g) + math.Abs(s.an.d) + math.Abs(s.an.b) + 1e-15
						rel := math.Abs(fd-an) / scale
						worst = math.Max(worst, rel)
						// Measured: 1.6e-5 at worst (the differences' own truncation error).
						if rel > 2e-4 {
							t.Errorf("%s at %v: d%s[%d]/dv%d = %g, finite difference %g", typ, v, s.name, node, k, an, fd)
						}
					}
				}
			}
		}
		t.Logf("%s: worst relative difference of the analytic derivatives %.3g", typ, worst)
	}
}

func TestJunctionSlopes(t *testing.T) {
	for _, mod := range []int{0, 1, 2} {
		j := junction{czb: 1e-15, czbsw: 2e-16, czbswg: 1e-16, pb: 0.9, pbsw: 0.8, pbswg: 0.7, mj: 0.5, mjsw: 0.33, mjswg: 0.4, isat: 1e-15, nvtm: 0.0259, xjbv: 1, bv: 10, vjmFwd: 0.7, ivjmFwd: 1e-15 * math.Exp(0.7/0.0259),
			vjmRev: -10.5, ivjmRev: 2e-15, slpRev: -1e-14, slpFwd: 1e-15 * math.Exp(0.7/0.0259) / 0.0259,
			tat: [3]tatPart{{1e-16, 0.5, 10}, {1e-17, 0.5, 10}, {}}}
		for _, v := range []float64{-12, -3, -0.3, 0, 0.3, 0.6, 0.8} {
			_, g := j.current(mod, v, 1e-12)
			ip, _ := j.current(mod, v+1e-7, 1e-12)
			im, _ := j.current(mod, v-1e-7, 1e-12)
			fd := (ip - im) / 2e-7
			if math.Abs(fd-g) > 1e-5*math.Abs(g)+1e-18 {
				t.Errorf("diomod %d at %g: slope %g, finite difference %g", mod, v, g, fd)
			}
			_, c := j.charge(v)
			qp, _ := j.charge(v + 1e-7)
			qm, _ := j.charge(v - 1e-7)
			if fd := (qp - qm) / 2e-7; math.Abs(fd-c) > 1e-5*math.Abs(c) {
				t.Errorf("charge at %g: capacitance %g, finite difference %g", v, c, fd)
			}
		}
	}
}

// TestReverseGradingSqrt checks the square root that stands for (1 - v/pb)^-0.5 against
// the power it replaces, and the other grading coefficients against math.Pow: both within
// rounding (the largest relative difference measured was 3.7e-16; allowed ten times it).
func TestReverseGradingSqrt(t *testing.T) {
	worst := 0.0
	for _, mj := range []float64{0.5, 0.33, 0.4} {
		for _, v := range []float64{-1e-9, -0.01, -0.3, -1, -3, -12, -100} {
			arg, sarg := reverseGrading(v, 0.9, mj)
			want := math.Pow(1-v/0.9, -mj)
			rel := math.Abs(sarg-want) / want
			worst = max(worst, rel)
			if arg != 1-v/0.9 || rel > 4e-15 {
				t.Errorf("mj %g at %g V: (%g)^-mj = %g, math.Pow %g", mj, v, arg, sarg, want)
			}
		}
	}
	t.Logf("worst relative difference %.3g", worst)
}

func TestLoadAllocatesNothing(t *testing.T) {
	// The card as it is, and with the materials (mtrlmod 1: the mobility's work-function
	// term at every load).
	for _, model := range []string{testModel("nmos"), strings.Replace(testModel("nmos"), "rgatemod=1", "rgatemod=1 mtrlmod=1 eot=1.5e-9 phig=4.4", 1)} {
		r, _, sys := build(t, "* t\nm1 d g s b m w=1u l=50n\n"+model+".end\n")
		vals := sys.NewValues()
		x := make([]float64, sys.N+1)
		x[1], x[2] = 0.8, 0.9
		ctx := &devices.Context{X: x, Values: vals, Mode: devices.ModeTran, Gmin: 1e-12}
		if n := testing.AllocsPerRun(100, func() {
			x[1] += 1e-3
			r.Load(ctx)
		}); n != 0 {
			t.Errorf("a load allocates %g times", n)
		}
	}
}

// TestNQSLoadsAllocateNothing loads trnqsmod's deficit node in a transient and
// acnqsmod's admittance in an .ac.
func TestNQSLoadsAllocateNothing(t *testing.T) {
	model := strings.Replace(testModel("nmos"), "rgatemod=1", "rgatemod=1 trnqsmod=1 acnqsmod=1", 1)
	r, _, sys := build(t, "* t\nm1 d g s b m w=1u l=50n\n"+model+".end\n")
	vals := sys.NewValues()
	x := make([]float64, sys.N+1)
	x[1], x[2] = 0.8, 0.9
	for _, mode := range []devices.Mode{devices.ModeTran, devices.ModeAC} {
		ctx := &devices.Context{X: x, Values: vals, Mode: mode, Gmin: 1e-12, Hertz: 1e9}
		if n := testing.AllocsPerRun(100, func() {
			x[1] += 1e-3
			r.Load(ctx)
		}); n != 0 {
			t.Errorf("mode %d: a load allocates %g times", mode, n)
		}
	}
}

// TestACNQSAtZeroHertz checks that acnqsmod's admittance is the quasi-static one at 0 Hz
// (G; its C, the slope of Im Y by omega, differs there by -tau times the
// transconductances) and departs from it at the relaxation frequency.
func TestACNQSAtZeroHertz(t *testing.T) {
	loadAC := func(model string, hz float64) ([]float64, []float64) {
		r, _, sys := build(t, "* t\nm1 d g s b m w=1u l=1u\n"+model+".end\n")
		vals := sys.NewValues()
		x := make([]float64, sys.N+1)
		for i := 1; i <= sys.N; i++ {
			x[i] = 0.1 + 0.13*float64(i%7)
		}
		r.Load(&devices.Context{X: x, Values: vals, Mode: devices.ModeAC, Gmin: 1e-12, Hertz: hz})
		return append([]float64(nil), vals.G...), append([]float64(nil), vals.C...)
	}
	qs := testModel("nmos")
	nqs := strings.Replace(qs, "rgatemod=1", "rgatemod=1 acnqsmod=1", 1)
	gq, cq := loadAC(qs, 0)
	gn, cn := loadAC(nqs, 0)
	for h := range gq {
		if gq[h] != gn[h] {
			t.Errorf("entry %d at 0 Hz: G %g with acnqsmod, %g without", h, gn[h], gq[h])
		}
	}
	gn, cn = loadAC(nqs, 1e10)
	moved := 0.0
	for h := range gq {
		moved = math.Max(moved, math.Abs(cn[h]-cq[h])/(math.Abs(cq[h])+1e-18))
	}
	if moved < 1e-2 {
		t.Errorf("at 10 GHz acnqsmod moves no capacitance by more than %g", moved)
	}
	t.Logf("at 10 GHz, l=1u: capacitances move by up to %.3g", moved)
}

// BenchmarkLoad is one full evaluation and stamp of a 45 nm-like transistor with every
// effect on, charges included.
func BenchmarkLoad(b *testing.B) {
	benchmarkLoad(b, "* t\nm1 d g s b m w=1u l=50n\n"+testModel("nmos")+".end\n", 0.8, 0.9, 1e-12)
}

// benchmarkLoad loads the netlist's first BSIM4 device in a transient with its drain at
// vd (moved by up to 1e-4 V from one load to the next, so that every load evaluates) and
// its gate at vg.
func benchmarkLoad(b *testing.B, netlist string, vd, vg, gmin float64) {
	r, _, sys := build(&testing.T{}, netlist)
	ctx := &devices.Context{X: make([]float64, sys.N+1), Values: sys.NewValues(), Mode: devices.ModeTran, Gmin: gmin}
	b.ResetTimer()
	loadMoving(r, ctx, vd, vg, b.N)
}

// loadMoving loads r n times at gate vg and a drain near vd that moves by a microvolt
// every load, so that every load evaluates.
func loadMoving(r *run, ctx *devices.Context, vd, vg float64, n int) {
	x := ctx.X
	x[1], x[2] = vd, vg
	for i := range n {
		x[1] = vd + 1e-6*float64(i%100)
		r.Load(ctx)
	}
}

// TestStampsAgainstFiniteDifferences checks the assembled G and C of whole devices (every
// stamp: channel, junctions, diffusion, gate and body resistors, rgatemod 0-3) against
// finite differences of F and Q over the node voltages.
func TestStampsAgainstFiniteDifferences(t *testing.T) {
	for _, rg := range []string{"0", "1", "2", "3", "2 rdsmod=1", "0 trnqsmod=1", "3 trnqsmod=1"} {
		for _, typ := range []string{"nmos", "pmos"} {
			model := strings.Replace(testModel(typ), "rgatemod=1", "rgatemod="+rg, 1)
			model = strings.Replace(model, "rdsmod=0 rdsmod=1", "rdsmod=1", 1)
			model = strings.Replace(model, "rdsmod=0 rbodymod=1 rgatemod=2 rdsmod=1", "rdsmod=1 rbodymod=1 rgatemod=2", 1)
			r, _, sys := build(t, "* t\nm1 d g s b m w=1u l=50n nrd=2 nrs=3\n"+model+".end\n")
			sign := 1.0
			if typ == "pmos" {
				sign = -1
			}
			x := make([]float64, sys.N+1)
			for i := 1; i <= sys.N; i++ {
				x[i] = sign * (0.1 + 0.13*float64(i%7))
				if strings.Contains(sys.Unknowns[i].Label(), "charge") {
					// trnqsmod's deficit node, in units of 1e-9 C: a deficit of 2e-16 C.
					x[i] = sign * 2e-7
				}
			}
			vals := sys.NewValues()
			load := func(x []float64) ([]float64, []float64, []float64, []float64) {
				vals.Clear()
				ctx := &devices.Context{X: x, Values: vals, Mode: devices.ModeTran, Gmin: 1e-12, FirstIteration: true}
				r.evAtX = false
				r.Load(ctx)
				return append([]float64(nil), vals.F...), append([]float64(nil), vals.Q...), append([]float64(nil), vals.G...), append([]float64(nil), vals.C...)
			}
			_, _, G, C := load(x)
			handle := map[[2]int]int{}
			for k := range sys.Pattern.NNZ() {
				r, c := sys.Pattern.At(k)
				handle[[2]int{r + 1, c + 1}] = k + 1
			}
			worst := 0.0
			for col := 1; col <= sys.N; col++ {
				const h = 1e-6
				xp := append([]float64(nil), x...)
				xm := append([]float64(nil), x...)
				xp[col] += h
				xm[col] -= h
				Fp, Qp, _, _ := load(xp)
				Fm, Qm, _, _ := load(xm)
				for row := 1; row <= sys.N; row++ {
					var g, c float64
					if hd, ok := handle[[2]int{row, col}]; ok {
						g, c = G[hd], C[hd]
					}
					for _, p := range [][3]float64{{g, (Fp[row] - Fm[row]) / (2 * h), 2e-11}, {c, (Qp[row] - Qm[row]) / (2 * h), 1e-21}} {
						// Allowed: 2e-5 relative plus a floor (20 pS, 1e-21 F): the differences carry about
						// a tenth of that (their truncation and round-off).
						tol := 2e-5*math.Abs(p[0]) + p[2]
						worst = math.Max(worst, math.Abs(p[0]-p[1])/tol)
						if math.Abs(p[0]-p[1]) > tol {
							t.Errorf("rgatemod %s %s: entry (%s, %s): %g, finite difference %g", rg, typ, sys.Unknowns[row].Label(), sys.Unknowns[col].Label(), p[0], p[1])
						}
					}
				}
			}
			t.Logf("rgatemod %s %s: worst difference %.3g of the tolerance", rg, typ, worst)
		}
	}
}

// TestUnsupportedModesAreErrors checks that the modes not implemented say so, naming the
// element and the model, rather than simulating something else.
func TestUnsupportedModesAreErrors(t *testing.T) {
	for _, mode := range []string{"trnqsmod=2", "acnqsmod=2", "mtrlmod=2", "mobmod=3", "tempmod=3", "cvchargemod=1", "rgatemod=4"} {
		c, err := parser.Parse("t.cir", []byte("* t\nm1 d g 0 0 n w=1u l=0.1u\n.model n nmos level=54 "+mode+"\n.end\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = devices.Build(context.Background(), c, devices.DefaultEnv())
		name := strings.Split(mode, "=")[0]
		if err == nil || !strings.Contains(err.Error(), "m1") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v", mode, err)
		}
	}
}

// ptmCards is the 45 nm PTM file of ngspice's ISCAS85 examples (shared corpus, not part
// of the repository).
const ptmCards = "../../../shared/corpus/ngspice/examples/klu/Circuits/technology/45nm_HP.pm"

// BenchmarkLoadPTM is one load of an ISCAS85 transistor (the 45 nm PTM card, version
// 4.7, with the sizes and junctions of the circuits' gates) in a transient, at a bias
// that moves every iteration, so that every load evaluates: the cost that dominates the
// ISCAS85 benchmark.
func BenchmarkLoadPTM(b *testing.B) {
	cards, err := os.ReadFile(ptmCards)
	if err != nil {
		b.Skipf("the PTM cards are not present (the shared corpus is not part of the repository): %v", err)
	}
	for _, typ := range []string{"nmos", "pmos"} {
		b.Run(typ, func(b *testing.B) {
			benchmarkLoad(b, "* t\nm1 d g s b "+typ+" l=0.12u w=0.44u as=0.1166p ad=0.1166p ps=1.41u pd=1.41u\n"+string(cards)+"\n.end\n", 0.6, 0.7, 1e-15)
		})
	}
}

// TestNoiseSources: the card's parasitics each give a thermal source between their nodes
// (rgatemod 1's gate resistance, rbodymod 1's five body resistances), the channel its
// thermal and flicker noise, the gate its three shot sources; m=3 triples every density,
// ntnoi=2 doubles the channel's thermal noise alone. (.noise evaluates the sources once,
// at the operating point: its frequency loop only scales them.)
func TestNoiseSources(t *testing.T) {
	sources := func(inst, extra string) []devices.NoiseSource {
		r, _, sys := build(t, "* t\nm1 d g s b m w=1u l=50n "+inst+"\n"+testModel("nmos")+"+ "+extra+"\n.end\n")
		x := make([]float64, sys.N+1)
		x[r.n[tDx]], x[r.n[tGx]] = 0.8, 0.9
		x[r.n[tD]], x[r.n[tG]] = 0.8, 0.9
		return r.NoiseSources(nil, x, 300.15)
	}
	one := sources("", "ntnoi=1")
	var names []string
	for _, s := range one {
		names = append(names, strings.TrimPrefix(s.Name, "m1"))
		if !(s.White >= 0) || !(s.Flicker >= 0) {
			t.Errorf("%s: white %g flicker %g", s.Name, s.White, s.Flicker)
		}
	}
	if got := strings.Join(names, " "); got != "_rg _rbps _rbpd _rbpb _rbsb _rbdb _id _1overf _igs _igd _igb" {
		t.Fatalf("sources %s", got)
	}
	three, twice := sources("m=3", "ntnoi=1"), sources("", "ntnoi=2")
	for i, s := range one {
		if d := math.Abs(three[i].White+three[i].Flicker-3*(s.White+s.Flicker)) / (s.White + s.Flicker); d > 1e-12 {
			t.Errorf("m=3: %s is %g times, not 3", s.Name, (three[i].White+three[i].Flicker)/(s.White+s.Flicker))
		}
		want := s.White
		if s.Name == "m1_id" {
			want *= 2
		}
		if math.Abs(twice[i].White-want) > 1e-12*want {
			t.Errorf("ntnoi=2: %s white %g, want %g", s.Name, twice[i].White, want)
		}
	}
}

// TestTnoimod1NoiseNodes: as ngspice 39 does, a tnoimod 1 device whose card gives no
// diffusion resistance (testCard: rsh but no nrd, nrs, rgeomod) gets its internal drain
// and source nodes behind 1e3 S, with their thermal noise, when the netlist has a .noise,
// and only then. Measured in ngspice 39 on the QA deck of bsim4/nmos noise4: its noise
// with tnoimod 1 equals, to 7e-11, its noise with tnoimod 0 and rsh nrd = rsh nrs = 1 mohm
// (docs/bsim-qa.md); gospice's noise2 and noise4 runs were 5e-5 to 1e-4 off ngspice's
// without these resistors.
func TestTnoimod1NoiseNodes(t *testing.T) {
	for _, c := range []struct {
		tnoimod  string
		analysis string
		want     float64
	}{
		{"1", ".noise v(d) vd dec 1 1k 1meg", 1e3},
		{"0", ".noise v(d) vd dec 1 1k 1meg", 0},
		{"1", ".ac dec 1 1k 1meg", 0},
	} {
		r, _, sys := build(t, "* t\nvd d 0 0.8 ac 1\nvg g 0 0.9\nm1 d g 0 0 m w=1u l=50n\n"+testModel("nmos")+"+ tnoimod="+c.tnoimod+"\n"+c.analysis+"\n.end\n")
		if r.gdr != c.want || r.gsr != c.want {
			t.Errorf("tnoimod=%s, %s: drain and source conductances %g and %g S, want %g", c.tnoimod, c.analysis, r.gdr, r.gsr, c.want)
		}
		x := make([]float64, sys.N+1)
		var names []string
		for _, s := range r.NoiseSources(nil, x, 300.15) {
			names = append(names, strings.TrimPrefix(s.Name, "m1"))
		}
		if got, has := strings.Join(names, " "), c.want != 0; strings.Contains(got, "_rd _rs") != has {
			t.Errorf("tnoimod=%s, %s: noise sources %s", c.tnoimod, c.analysis, got)
		}
	}
}

// TestMtrlmodToxpError checks that an eot extraction that cannot give a toxp (vddeot on
// the wrong side of the threshold: ngspice's runs then end in NaN) is an error naming the
// element, the model and vddeot.
func TestMtrlmodToxpError(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("* t\nm1 d g 0 0 p w=1u l=0.1u\n.model p pmos level=54 mtrlmod=1 vddeot=1.2 ngate=1e20\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = devices.Build(context.Background(), c, devices.DefaultEnv())
	if err == nil || !strings.Contains(err.Error(), "m1") || !strings.Contains(err.Error(), "vddeot") || !strings.Contains(err.Error(), "model p") {
		t.Errorf("got %v", err)
	}
}

// TestFlickerKeta: the number fluctuation of the unified flicker noise (fnoimod 1)
// divides by Abulk before its body bias factor 1/(1 + keta Vbseff), as ngspice 39 does
// (1.4% below the whole Abulk's density at Vbs = -0.5 V, keta = -0.05; the same in
// devices/bsim3). With noib = noic = 0 and em = 0 the inversion's density is the closed
// form q^2 kT ids ueff noia ln((n0+n*)/(nl+n*)) / (1e10 Abulk' coxe leff^2), in parallel
// with the subthreshold's noia kT ids^2 / (1e10 weff leff n*^2).
func TestFlickerKeta(t *testing.T) {
	r, _, _ := build(t, "* t\nm1 d g 0 b m w=1u l=0.1u\n"+testModel("nmos")+"+ fnoimod=1 noib=0 noic=0 em=0 keta=-0.05\n.end\n")
	d := r.Device
	var o dcOut
	d.dc(0.9, 1.0, -0.5, &o)
	kt := d.p.keta * o.vbseff.v
	if kt < -0.9 || o.vbseff.v > -0.4 {
		t.Fatalf("keta Vbseff = %g, Vbseff = %g: the test wants the plain 1/(1 + keta Vbseff) well below zero", kt, o.vbseff.v)
	}
	abulkNoKeta := o.abulk.v * (1 + kt)
	nm, mc := &d.noise, &d.mc
	kT, q := noiseBoltzmann*mc.temp, noiseCharge
	ids, leff, weff := math.Abs(o.ids.v), d.p.leff-2*nm.lintnoi, d.p.weff*d.nf
	n0 := mc.coxe * o.vgsteff.v / q
	nl := mc.coxe * o.vgsteff.v * (1 - o.abulk.v/o.vgst2Vtm.v*o.vdseff.v) / q
	inv := q * q * kT * ids * o.ueff.v * nm.noia * math.Log((n0+o.nstar)/(nl+o.nstar)) /
		(1e10 * abulkNoKeta * mc.coxe * leff * leff)
	sub := nm.noia * kT * ids * ids / (1e10 * weff * leff * o.nstar * o.nstar)
	want := inv * sub / (inv + sub)
	if got := d.flicker(&o, mc.temp); !(math.Abs(got/want-1) < 1e-13) {
		t.Errorf("flicker density %g, want %g (%.2g apart)", got, want, math.Abs(got/want-1))
	}
}
