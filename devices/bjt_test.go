package devices

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// bjtCircuit builds a netlist's devices at env, starts a run of them and returns the
// first BJT's.
func bjtCircuit(t *testing.T, netlist string, env Env) (*bjtRun, []Loader, *mna.System) {
	t.Helper()
	devs := parseAndBuild(t, netlist, env)
	b := setUp(devs)
	run := NewRun(devs)
	var q *bjtRun
	for _, l := range run {
		if bd, ok := l.(*bjtRun); ok && q == nil {
			q = bd
		}
	}
	return q, run, b.Build()
}

// bjtLoad loads every device once at x and returns the context.
func bjtLoad(devs []Loader, sys *mna.System, x []float64, mode Mode, gmin float64, first bool) *Context {
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: mode, SrcFactor: 1, Gmin: gmin, FirstIteration: first}
	for _, d := range devs {
		d.Load(ctx)
	}
	return ctx
}

func bjtIndex(t *testing.T, sys *mna.System, label string) int {
	t.Helper()
	i, ok := sys.Lookup(label)
	if !ok {
		t.Fatalf("no unknown %s", label)
	}
	return i
}

func bjtClose(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)+1e-30
}

// bjtVt is kT/q at a temperature in Celsius, from CODATA 2014 as ngspice 39 has it.
func bjtVt(celsius float64) float64 { return 1.38064852e-23 * (celsius + 273.15) / 1.6021766208e-19 }

// bjtDiode is the ideal junction current, continued below -3 n vt as SPICE does.
func bjtDiode(is, v, nvt float64) float64 {
	if v >= -3*nvt {
		return is * (math.Exp(v/nvt) - 1)
	}
	a := 3 * nvt / (v * math.E)
	return -is * (1 + a*a*a)
}

// TestBJTCurrentsByHand compares the terminal currents with the Gummel-Poon equations
// written out, in the four regions, for an npn and for the mirrored pnp.
func TestBJTCurrentsByHand(t *testing.T) {
	const (
		is, bf, br, vaf, vbr, ikf, ikr = 2e-15, 120.0, 3.0, 60.0, 20.0, 30e-3, 8e-3
		ise, ne, isc, nc, nf, nr       = 3e-14, 1.6, 5e-14, 1.8, 1.01, 1.03
		gmin                           = 1e-12
	)
	card := "is=2e-15 bf=120 br=3 vaf=60 var=20 ikf=30m ikr=8m ise=3e-14 ne=1.6 isc=5e-14 nc=1.8 nf=1.01 nr=1.03"
	vt := bjtVt(27)
	want := func(vbe, vbc float64) (ic, ib float64) {
		cbe, cbc := bjtDiode(is, vbe, nf*vt), bjtDiode(is, vbc, nr*vt)
		q1 := 1 / (1 - vbc/vaf - vbe/vbr)
		q2 := cbe/ikf + cbc/ikr
		qb := q1 * (1 + math.Sqrt(1+4*q2)) / 2
		leakBE := bjtDiode(ise, vbe, ne*vt) + gmin*vbe
		leakBC := bjtDiode(isc, vbc, nc*vt) + gmin*vbc
		ic = (cbe-cbc)/qb - cbc/br - leakBC
		ib = cbe/bf + leakBE + cbc/br + leakBC
		return ic, ib
	}
	regions := []struct {
		name     string
		vbe, vce float64
	}{
		{"forward active", 0.72, 3},
		{"saturation", 0.75, 0.1},
		{"reverse active", 0.05, -0.7},
		{"cutoff", -0.5, 2},
		{"deep cutoff (cubic tail)", -3, 4},
	}
	for _, typ := range []string{"npn", "pnp"} {
		sign := 1.0
		if typ == "pnp" {
			sign = -1
		}
		q, devs, sys := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm "+typ+" "+card+"\n.end\n", DefaultEnv())
		if q.typ != sign {
			t.Fatalf("%s: type %g", typ, q.typ)
		}
		c, b, e := bjtIndex(t, sys, "v(c)"), bjtIndex(t, sys, "v(b)"), bjtIndex(t, sys, "v(e)")
		for _, r := range regions {
			x := make([]float64, sys.N+1)
			x[e] = 0.3 * sign // an emitter off ground checks that only differences count
			x[b] = x[e] + sign*r.vbe
			x[c] = x[e] + sign*r.vce
			ctx := bjtLoad(devs, sys, x, ModeOP, gmin, true)
			ic, ib := want(r.vbe, r.vbe-r.vce)
			ic, ib = sign*ic, sign*ib
			// gmin also bridges the substrate junction: the substrate (ground) meets the
			// collector of the vertical npn and the base of the lateral pnp.
			sub := gmin * x[c]
			if typ == "npn" {
				ic += sub
			} else {
				sub = gmin * x[b]
				ib += sub
			}
			// F is the current leaving each node into the device: into the collector.
			if !bjtClose(ctx.F[c], ic, 1e-12) || !bjtClose(ctx.F[b], ib, 1e-12) {
				t.Errorf("%s %s: ic %.10g ib %.10g, want %.10g %.10g", typ, r.name, ctx.F[c], ctx.F[b], ic, ib)
			}
			if sum := ctx.F[c] + ctx.F[b] + ctx.F[e]; math.Abs(sum-sub) > 1e-15*math.Abs(ctx.F[c])+1e-25 {
				t.Errorf("%s %s: the terminal currents sum to %g, not the substrate's %g", typ, r.name, sum, sub)
			}
		}
	}
}

// TestBJTChargesByHand checks the depletion and transit-time charges in forward active
// operation: qbe = tf*cbe/qb + depletion, qbc = tr*cbc + xcjc part, qbx = the rest.
func TestBJTChargesByHand(t *testing.T) {
	q, devs, sys := bjtCircuit(t, `t
Q1 c b e qm
.model qm npn is=1e-15 bf=100 vaf=50 tf=0.5n tr=20n cje=2p vje=0.8 mje=0.4 cjc=3p vjc=0.6 mjc=0.3 xcjc=0.4 rb=10 fc=0.5
.end
`, DefaultEnv())
	c, b, e, bp := bjtIndex(t, sys, "v(c)"), bjtIndex(t, sys, "v(b)"), bjtIndex(t, sys, "v(e)"), bjtIndex(t, sys, "v(q1#base)")
	x := make([]float64, sys.N+1)
	x[b], x[bp], x[c], x[e] = 0.7, 0.7, 2, 0
	ctx := bjtLoad(devs, sys, x, ModeTranOP, 0, true)
	vt := bjtVt(27)
	vbe, vbc := 0.7, 0.7-2
	cbe := 1e-15 * (math.Exp(vbe/vt) - 1)
	cbc := 1e-15 * (math.Exp(vbc/vt) - 1)
	qb := 1 / (1 - vbc/50)
	dep := func(v, cz, pb, m float64) float64 { return pb * cz * (1 - math.Pow(1-v/pb, 1-m)) / (1 - m) }
	// The linear extension above fc*pb: vbe = 0.7 > 0.4.
	fcpb := 0.5 * 0.8
	qdepBE := dep(fcpb, 2e-12, 0.8, 0.4) + 2e-12/math.Pow(0.5, 1.4)*((1-0.5*1.4)*(vbe-fcpb)+0.4/(2*0.8)*(vbe*vbe-fcpb*fcpb))
	qbe := 0.5e-9*cbe/qb + qdepBE
	qbc := 20e-9*cbc + dep(vbc, 0.4*3e-12, 0.6, 0.3)
	qbx := dep(vbc, 0.6*3e-12, 0.6, 0.3)
	if got, want := ctx.Q[e], -qbe; !bjtClose(got, want, 1e-12) {
		t.Errorf("Q at the emitter %.10g, want %.10g", got, want)
	}
	if got, want := ctx.Q[c], -qbc-qbx; !bjtClose(got, want, 1e-12) {
		t.Errorf("Q at the collector %.10g, want %.10g", got, want)
	}
	if got, want := ctx.Q[b], qbx; !bjtClose(got, want, 1e-12) {
		t.Errorf("Q at the external base %.10g, want %.10g", got, want)
	}
	if got, want := ctx.Q[bp], qbe+qbc; !bjtClose(got, want, 1e-12) {
		t.Errorf("Q at the internal base %.10g, want %.10g", got, want)
	}
	// .op needs no charges.
	if ctx := bjtLoad(devs, sys, x, ModeOP, 0, true); ctx.Q[e] != 0 {
		t.Errorf("charges loaded in ModeOP")
	}
	_ = q
}

// TestBJTTemperature checks the scaled saturation currents, betas, built-in potentials
// and the critical voltage against the SPICE formulas written out.
func TestBJTTemperature(t *testing.T) {
	env := DefaultEnv()
	env.Temp = 100
	q, _, _ := bjtCircuit(t, `t
Q1 c b e qm 3
.model qm npn is=1e-15 xti=3.5 eg=1.12 xtb=1.6 bf=90 br=2 ise=1e-14 ne=1.7 isc=2e-14 nc=1.9 vje=0.8 vjc=0.7 vjs=0.6 tnom=40
+ cje=1p cjc=1p cjs=1p ikf=10m rb=100 re=2 rc=20
.end
`, env)
	T, Tnom := 100+273.15, 40+273.15
	vt := bjtVt(100)
	ratio := T / Tnom
	fac := math.Pow(ratio, 3.5) * math.Exp(1.12/vt*(ratio-1))
	bfac := math.Pow(ratio, 1.6)
	eg := func(T float64) float64 { return 1.16 - 7.02e-4*T*T/(T+1108) }
	pb := func(p0 float64) float64 { return p0*ratio - 3*vt*math.Log(ratio) - eg(Tnom)*ratio + eg(T) }
	checks := []struct {
		name      string
		got, want float64
	}{
		{"is", q.t.is, 3 * 1e-15 * fac},
		{"bf", q.t.bf, 90 * bfac},
		{"br", q.t.br, 2 * bfac},
		{"ise", q.t.ise, 3 * 1e-14 * math.Pow(fac, 1/1.7) / bfac},
		{"isc", q.t.isc, 3 * 2e-14 * math.Pow(fac, 1/1.9) / bfac},
		{"vje", q.t.vje, pb(0.8)},
		{"vjc", q.t.vjc, pb(0.7)},
		{"vjs", q.t.vjs, pb(0.6)},
		{"vcrit", q.t.vcrit, vt * math.Log(vt/(math.Sqrt2*3*1e-15*fac))},
		{"1/ikf", q.t.invIkf, 1 / (3 * 10e-3)},
		{"rb", q.t.rb, 100.0 / 3},
		{"gc", q.t.gc, 3.0 / 20},
		{"ge", q.t.ge, 3.0 / 2},
		{"vt", q.t.vt, vt},
	}
	for _, c := range checks {
		if !bjtClose(c.got, c.want, 1e-9) {
			t.Errorf("%s at 100 C: %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
	// At tnom nothing moves; the capacitances follow SPICE's cj*(1+mj*(4e-4*dT - dpb/pb)).
	q0, _, _ := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn cje=1p vje=0.8 mje=0.4\n.end\n", DefaultEnv())
	if !bjtClose(q0.t.cje, 1e-12, 1e-12) || !bjtClose(q0.t.vje, 0.8, 1e-12) {
		t.Errorf("at tnom: cje %g vje %g", q0.t.cje, q0.t.vje)
	}
	hot := DefaultEnv()
	hot.Temp = 77
	q1, _, _ := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn cje=1p vje=0.8 mje=0.4\n.end\n", hot)
	// cj(T) = cj0 * (1+m*(4e-4*(T-Tref) - gamma(T))) / (1+m*(4e-4*(Tnom-Tref) - gamma(Tnom)))
	// with gamma(T) = (pb(T) - pb(Tref)) / pb(Tref); at Tnom = Tref the denominator is 1.
	vt77, r := bjtVt(77), (77+273.15)/300.15
	pb77 := 0.8*r - 3*vt77*math.Log(r) - eg(300.15)*r + eg(77+273.15)
	wantC := 1e-12 * (1 + 0.4*(4e-4*50-(pb77-0.8)/0.8))
	// ngspice writes Eg(300.15 K) rounded (1.1150877), hence not quite 1e-9.
	if !bjtClose(q1.t.vje, pb77, 1e-8) || !bjtClose(q1.t.cje, wantC, 1e-8) {
		t.Errorf("at 77 C: cje %.10g vje %.10g, want %.10g %.10g", q1.t.cje, q1.t.vje, wantC, pb77)
	}
	// Instance temp= and dtemp=.
	qa, _, _ := bjtCircuit(t, "t\nQ1 c b e qm temp=100\n.model qm npn\n.end\n", DefaultEnv())
	qb, _, _ := bjtCircuit(t, "t\nQ1 c b e qm dtemp=73\n.model qm npn\n.end\n", DefaultEnv())
	if !bjtClose(qa.t.vt, vt, 1e-12) || !bjtClose(qb.t.vt, vt, 1e-12) || !bjtClose(qa.t.is, qb.t.is, 1e-12) {
		t.Errorf("temp=100: vt %g is %g; dtemp=73: vt %g is %g; want vt %g", qa.t.vt, qa.t.is, qb.t.vt, qb.t.is, vt)
	}
}

// TestBJTAliasesAndSPICE2 checks that SPICE2's names give the same device as the modern
// ones, c2 and c4 as multiples of is included.
func TestBJTAliasesAndSPICE2(t *testing.T) {
	modern := "is=1e-15 vaf=50 ikf=10m ise=2e-15 var=20 isc=3e-15 vje=0.8 mje=0.4 vjc=0.7 mjc=0.3 cjs=1p vjs=0.6 mjs=0.2 tnom=30 trb1=1e-3 trc1=2e-3 tre1=3e-3 nkf=0.6 rb=10 rc=10 re=1"
	spice2 := "is=1e-15 va=50 ik=10m c2=2 vb=20 c4=3 pe=0.8 me=0.4 pc=0.7 mc=0.3 ccs=1p ps=0.6 ms=0.2 tref=30 trb=1e-3 trc=2e-3 tre=3e-3 nk=0.6 rb=10 rc=10 re=1"
	env := DefaultEnv()
	env.Temp = 50
	a, _, _ := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn "+modern+"\n.end\n", env)
	b, _, _ := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn "+spice2+"\n.end\n", env)
	// c2 and c4 are multiples of is: equal to the last bit or so.
	if !bjtClose(b.t.ise, a.t.ise, 1e-15) || !bjtClose(b.t.isc, a.t.isc, 1e-15) {
		t.Errorf("c2, c4: ise %g isc %g, want %g %g", b.t.ise, b.t.isc, a.t.ise, a.t.isc)
	}
	b.t.ise, b.t.isc = a.t.ise, a.t.isc
	if a.t != b.t {
		t.Errorf("SPICE2 names give\n%+v\nmodern names\n%+v", b.t, a.t)
	}
	c, _, _ := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn csub=1p\n.end\n", DefaultEnv())
	if c.t.cjs != 1e-12 {
		t.Errorf("csub: cjs %g", c.t.cjs)
	}
}

// TestBJTAreas follows ngspice 39: is, ise, the capacitances and conductances scale with
// area; the B-C currents and capacitance with areab (vertical) or areac (lateral); and
// without ibe/ibc the B-C saturation current is area*areab*is, as ngspice computes it.
func TestBJTAreas(t *testing.T) {
	q, _, _ := bjtCircuit(t, "t\nQ1 c b e qm 2 areab=3 areac=5\n.model qm npn is=1e-15 isc=1e-14 cje=1p cjc=1p cjs=1p rb=10 ikf=1m\n.end\n", DefaultEnv())
	if !bjtClose(q.t.is, 2e-15, 1e-12) || !bjtClose(q.t.isBC, 6e-15, 1e-12) || !bjtClose(q.t.isc, 3e-14, 1e-12) ||
		!bjtClose(q.t.cje, 2e-12, 1e-12) || !bjtClose(q.t.cjc, 3e-12, 1e-12) || !bjtClose(q.t.cjs, 5e-12, 1e-12) ||
		!bjtClose(q.t.rb, 5, 1e-12) || !bjtClose(q.t.invIkf, 500, 1e-12) {
		t.Errorf("vertical npn: %+v", q.t)
	}
	p, _, _ := bjtCircuit(t, "t\nQ1 c b e qm area=2 areab=3 areac=5\n.model qm pnp is=1e-15 ibe=1e-15 ibc=2e-15 cjc=1p cjs=1p\n.end\n", DefaultEnv())
	if !p.lateral || !bjtClose(p.t.isBE, 2e-15, 1e-12) || !bjtClose(p.t.isBC, 10e-15, 1e-12) ||
		!bjtClose(p.t.cjc, 5e-12, 1e-12) || !bjtClose(p.t.cjs, 3e-12, 1e-12) {
		t.Errorf("lateral pnp: %+v", p.t)
	}
}

// bjtFullModel exercises every term: Early, high injection, leakage, irb, resistances,
// charges with xtf/vtf/itf, excess phase, substrate diode and quasi-saturation.
const bjtFullModel = `is=2e-15 bf=120 br=3 nf=1.01 nr=1.02 vaf=60 var=20 ikf=30m ikr=8m ise=3e-14 ne=1.6
+ isc=5e-14 nc=1.8 rb=100 irb=0.2m rbm=20 re=2 rc=10 cje=2p vje=0.8 mje=0.4 tf=0.4n xtf=3 vtf=5 itf=20m ptf=40
+ cjc=1.5p vjc=0.6 mjc=0.35 xcjc=0.6 tr=10n cjs=1p vjs=0.7 mjs=0.3 iss=1e-17 ns=1.05`

// TestBJTJacobian compares G and C with finite differences of F and Q in every region,
// for an npn with every term, a pnp with its lateral substrate, nkf and no irb (rb modulated
// by qb), and an npn with quasi-saturation.
func TestBJTJacobian(t *testing.T) {
	netlists := map[string]string{
		"npn full":  "t\nQ1 c b e s qm\n.model qm npn " + bjtFullModel + "\n.end\n",
		"pnp qb rb": "t\nQ1 c b e s qm 2\n.model qm pnp is=1e-15 bf=80 vaf=40 var=10 ikf=5m ikr=1m nkf=0.7 rb=50 rbm=5 rc=3 re=1 cje=1p cjc=1p tf=1n tr=5n cjs=2p iss=1e-17\n.end\n",
		"npn quasi": "t\nQ1 c b e s qm\n.model qm npn is=1e-15 bf=100 rc=5 rb=10 rco=100 vo=3 gamma=1e-9 qco=1e-13 cjc=1p tf=1n\n.end\n",
	}
	regions := []struct {
		name          string
		vbe, vce, vse float64
	}{
		{"forward active", 0.68, 2.5, -1},
		{"saturation", 0.74, 0.15, -0.5},
		{"reverse active", 0.2, -0.6, 0.3},
		{"cutoff", -0.4, 3, -2},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for name, netlist := range netlists {
		q, devs, sys := bjtCircuit(t, netlist, DefaultEnv())
		for _, r := range regions {
			for _, mode := range []Mode{ModeOP, ModeTranOP, ModeTran} {
				x := make([]float64, sys.N+1)
				set := func(label string, v float64) { x[bjtIndex(t, sys, label)] = q.typ * v }
				set("v(e)", 0)
				set("v(b)", r.vbe+0.01)
				set("v(c)", r.vce)
				// Internal nodes near their terminals, with the junction voltages as in the region.
				for i := 1; i <= sys.N; i++ {
					u := sys.Unknowns[i]
					switch {
					case strings.HasSuffix(u.Name, "#base"):
						x[i] = q.typ * (r.vbe + 0.002*rng.Float64())
					case strings.HasSuffix(u.Name, "#emitter"):
						x[i] = q.typ * 0.001 * rng.Float64()
					case strings.HasSuffix(u.Name, "#collcx"):
						x[i] = q.typ * (r.vce - 0.003*rng.Float64())
					case strings.HasSuffix(u.Name, "#collector"):
						x[i] = q.typ * (r.vce - 0.005 - 0.002*rng.Float64())
					}
				}
				// The substrate junction at vse: reverse biased but in the reverse active case.
				x[q.s] = x[q.sc] + q.ttype*r.vse
				if mode == ModeTran {
					// Excess phase needs history: accept t = 0 and a point at 1 ns.
					bjtLoad(devs, sys, x, ModeTranOP, 1e-12, true)
					q.Accept(&Context{X: x, Mode: ModeTran, Time: 0})
					ctx := bjtLoad(devs, sys, x, ModeTran, 1e-12, true)
					ctx.Time = 1e-9
					q.Load(ctx)
					q.Accept(&Context{X: x, Mode: ModeTran, Time: 1e-9})
				}
				// Store the junction voltages at x, so that the check does not limit.
				bjtLoad(devs, sys, x, mode, 1e-12, true)
				t.Run(name+"/"+r.name, func(t *testing.T) {
					bjtCheckJacobian(t, devs, sys, x, mode)
				})
			}
		}
	}
}

// bjtCheckJacobian is checkJacobian with gmin on and the time 1.5 ns (a transient step
// after the accepted point at 1 ns).
func bjtCheckJacobian(t *testing.T, devs []Loader, sys *mna.System, x []float64, mode Mode) {
	t.Helper()
	eval := func(x []float64) *mna.Values {
		ctx := &Context{X: x, Values: sys.NewValues(), Mode: mode, Time: 1.5e-9, SrcFactor: 1, Gmin: 1e-12}
		for _, d := range devs {
			d.Load(ctx)
		}
		if ctx.Limited {
			t.Fatalf("limited during the check")
		}
		return ctx.Values
	}
	n := sys.N
	base := eval(x)
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
		h := 1e-7
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[j] += h
		xm[j] -= h
		vp, vm := eval(xp), eval(xm)
		eval(x) // back to x, so that the stored voltages stay there
		for i := 1; i <= n; i++ {
			for _, m := range []struct {
				name         string
				analytic, fd float64
				scale        float64
			}{
				{"dF/dx", g[i][j], (vp.F[i] - vm.F[i]) / (2 * h), math.Abs(vp.F[i]) + math.Abs(vm.F[i])},
				{"dQ/dx", c[i][j], (vp.Q[i] - vm.Q[i]) / (2 * h), math.Abs(vp.Q[i]) + math.Abs(vm.Q[i])},
			} {
				// Rounding in F makes the differences noisy by about 1e-16 |F| / h.
				noise := 1e-14 * m.scale / h
				if math.Abs(m.analytic-m.fd) > 2e-6*math.Max(math.Abs(m.analytic), math.Abs(m.fd))+noise+1e-30 {
					t.Errorf("%s[%s][%s] = %.9g, finite differences give %.9g",
						m.name, sys.Unknowns[i].Label(), sys.Unknowns[j].Label(), m.analytic, m.fd)
				}
			}
		}
	}
}

// TestBJTLimitedLinearization checks that after limiting, F is the linearization at the
// limited voltages evaluated at X: F(X) = F(v_lim) + G (X - x_lim).
func TestBJTLimitedLinearization(t *testing.T) {
	q, devs, sys := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn is=1e-15 bf=100 rb=50 irb=1m rbm=10 vaf=30 ikf=10m\n.end\n", DefaultEnv())
	c, b, bp := bjtIndex(t, sys, "v(c)"), bjtIndex(t, sys, "v(b)"), bjtIndex(t, sys, "v(q1#base)")
	x0 := make([]float64, sys.N+1)
	x0[c], x0[b], x0[bp] = 2, 0.6, 0.6
	bjtLoad(devs, sys, x0, ModeOP, 1e-12, true)
	x := append([]float64(nil), x0...)
	x[b], x[bp] = 1.2, 1.15 // a Newton step far past vcrit
	ctx := bjtLoad(devs, sys, x, ModeOP, 1e-12, false)
	if !ctx.Limited {
		t.Fatal("a 0.55 V step above vcrit was not limited")
	}
	vlim := q.vbe
	want, _ := bjtPnjlim(1.15, 0.6, q.t.vt, q.t.vcrit)
	if vlim != want || vlim >= 1.15 {
		t.Fatalf("limited vbe %g, want %g", vlim, want)
	}
	// Evaluate at the limited point (no limiting: first iteration) and extrapolate.
	// At the limited point vbe is limited, vbc (not limited) and the voltage across rb are X's.
	xl := append([]float64(nil), x...)
	xl[bp] = vlim
	xl[c] = vlim - (x[bp] - x[c])
	xl[b] = vlim + (x[b] - x[bp])
	at := bjtLoad(devs, sys, xl, ModeOP, 1e-12, true)
	for i := 1; i <= sys.N; i++ {
		lin := at.F[i]
		for k := 0; k < sys.Pattern.NNZ(); k++ {
			r, col := sys.Pattern.At(k)
			if r+1 == i {
				lin += at.G[k+1] * (x[col+1] - xl[col+1])
			}
		}
		if !bjtClose(ctx.F[i], lin, 1e-9) {
			t.Errorf("F[%s] = %.10g, the linearization gives %.10g", sys.Unknowns[i].Label(), ctx.F[i], lin)
		}
	}
}

func TestBJTPnjlim(t *testing.T) {
	vt, vcrit := 0.025, 0.7
	cases := []struct {
		vnew, vold, want float64
		limited          bool
	}{
		{0.65, 0.6, 0.65, false},                            // below vcrit
		{0.72, 0.71, 0.72, false},                           // a step within 2 vt
		{1.5, 0.6, 0.6 + vt*(2+math.Log(0.9/vt-2)), true},   // up from a forward bias
		{1.5, -0.2, vt * math.Log(1.5/vt), true},            // up from reverse bias
		{0.75, 0.9, 0.9 - vt*(2+math.Log(2+0.15/vt)), true}, // down, still above vcrit
		{-5, 0.5, -1.5, true},                               // reverse step from forward
		{-5, -1, -3, true},                                  // reverse step from reverse
		{-1.5, -1, -1.5, false},                             // a small reverse step
	}
	for _, c := range cases {
		got, lim := bjtPnjlim(c.vnew, c.vold, vt, vcrit)
		if math.Abs(got-c.want) > 1e-12 || lim != c.limited {
			t.Errorf("pnjlim(%g, %g) = %g, %v; want %g, %v", c.vnew, c.vold, got, lim, c.want, c.limited)
		}
	}
}

// TestBJTInitialJunctions checks ngspice's MODEINITJCT voltages (vbe = vcrit, vbc = 0; an
// off device at zero) and that an off device is held at zero until its nodes settle.
func TestBJTInitialJunctions(t *testing.T) {
	q, devs, sys := bjtCircuit(t, "t\nQ1 c b e qm\nQ2 c b e qm off\n.model qm npn is=1e-15\n.end\n", DefaultEnv())
	q2 := devs[1].(*bjtRun)
	x := make([]float64, sys.N+1)
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, Gmin: 1e-12, FirstIteration: true, InitJunctions: true}
	for _, d := range devs {
		d.Load(ctx)
	}
	if q.vbe != q.t.vcrit || q.vbc != 0 || q2.vbe != 0 || !q2.holding {
		t.Fatalf("initial voltages: q1 vbe %g vbc %g (vcrit %g); q2 vbe %g holding %v", q.vbe, q.vbc, q.t.vcrit, q2.vbe, q2.holding)
	}
	b := bjtIndex(t, sys, "v(b)")
	x[b] = 0.7
	ctx = &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, Gmin: 1e-12}
	q2.Load(ctx)
	if q2.vbe != 0 || !ctx.Limited || !q2.holding {
		t.Errorf("while its nodes move, the off device must stay at zero and keep Newton going")
	}
	ctx = &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, Gmin: 1e-12}
	q2.Load(ctx)
	if q2.holding || q2.vbe == 0 || !ctx.Limited {
		t.Errorf("once its nodes settle the off device is released: holding %v vbe %g", q2.holding, q2.vbe)
	}
}

// TestBJTUIC checks that a uic start takes the charges from ic=vbe,vce and that the
// first step starts from those junction voltages.
func TestBJTUIC(t *testing.T) {
	q, devs, sys := bjtCircuit(t, "t\nQ1 c b e qm ic=0.7,2\n.model qm npn cje=1p cjc=2p tf=1n\n.end\n", DefaultEnv())
	x := make([]float64, sys.N+1) // every node at 0
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTranOP, UIC: true}
	q.Load(ctx)
	if q.vbe != 0.7 || math.Abs(q.vbc-(0.7-2)) > 1e-15 {
		t.Fatalf("uic voltages vbe %g vbc %g", q.vbe, q.vbc)
	}
	withIC := ctx.Q[bjtIndex(t, sys, "v(e)")]
	at := make([]float64, sys.N+1)
	at[bjtIndex(t, sys, "v(b)")], at[bjtIndex(t, sys, "v(c)")] = 0.7, 2
	ref := bjtLoad(devs, sys, at, ModeTranOP, 0, true)
	if !bjtClose(withIC, ref.Q[bjtIndex(t, sys, "v(e)")], 1e-12) {
		t.Errorf("uic charge %g, the charge at vbe=0.7 vce=2 is %g", withIC, ref.Q[bjtIndex(t, sys, "v(e)")])
	}
	q.Load(ctx) // the uic load again, then the first step
	ctx = &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 1e-12, FirstIteration: true}
	q.Load(ctx)
	if q.vbe != 0.7 {
		t.Errorf("the first step after uic starts at vbe %g, want 0.7", q.vbe)
	}
	// A retry of the first step (smaller) starts there too; after an accepted step, no more.
	ctx = &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 1e-13, FirstIteration: true}
	q.Load(ctx)
	if q.vbe != 0.7 {
		t.Errorf("a retried first step after uic starts at vbe %g, want 0.7", q.vbe)
	}
	q.Accept(&Context{X: x, Mode: ModeTran, Time: 1e-13})
	ctx = &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 2e-13, FirstIteration: true}
	q.Load(ctx)
	if q.vbe != 0 {
		t.Errorf("the second step starts at vbe %g, want X's 0", q.vbe)
	}
}

// TestBJTExcessPhase checks Weil's approximation by hand: after the start (cexbc = cbe/qb
// at both history points) a step of delta gives cc = cex1 (1 + 3d) / (1 + 3d + 3d^2) +
// cbe*arg3/qb with d = delta/td and arg3 = 3d^2/(1 + 3d + 3d^2).
func TestBJTExcessPhase(t *testing.T) {
	const tf, ptf = 1e-9, 60.0
	q, devs, sys := bjtCircuit(t, "t\nQ1 c b e qm\n.model qm npn is=1e-15 bf=100 tf=1n ptf=60\n.end\n", DefaultEnv())
	c, b := bjtIndex(t, sys, "v(c)"), bjtIndex(t, sys, "v(b)")
	x := make([]float64, sys.N+1)
	x[c], x[b] = 2, 0.65
	bjtLoad(devs, sys, x, ModeTranOP, 0, true)
	q.Accept(&Context{X: x, Mode: ModeTran, Time: 0})
	vt := bjtVt(27)
	cbe0 := 1e-15 * (math.Exp(0.65/vt) - 1)
	cbc := 1e-15 * (math.Exp(-1.35/vt) - 1)
	x[b] = 0.7 // the base steps up
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 0.5e-9, FirstIteration: true}
	q.Load(ctx)
	cbe := 1e-15 * (math.Exp(0.7/vt) - 1)
	td := ptf * math.Pi / 180 * tf
	d := 0.5e-9 / td
	denom := 1 + 3*d + 3*d*d
	arg3 := 3 * d * d / denom
	ic := cbe0*(1+1+3*d)/denom - cbe0*1/denom + (cbe*arg3-cbc)/1 - cbc/1
	if !bjtClose(ctx.F[c], ic, 1e-9) {
		t.Errorf("collector current with excess phase %.10g, want %.10g (without: %.10g)", ctx.F[c], ic, cbe-2*cbc)
	}
}

func TestBJTErrors(t *testing.T) {
	cases := []struct {
		netlist, want string
	}{
		{"Q1 c b e qm\n.model qm npn bff=100", `unknown BJT model parameter "bff" (model qm, used by q1 at line 2); did you mean "bf"?`},
		{"Q1 c b e qm aera=2\n.model qm npn", `unknown BJT parameter "aera" (on q1); did you mean "area"?`},
		{"Q1 c b e dm\n.model dm d", `is a "d" model, not a BJT model`},
		{"Q1 c b e qx\n.model qm npn", `unknown model "qx"`},
		{"Q1 c b e qm\n.model qm npn level=2", "BJT level 2 is not supported"},
		{"Q1 c b e qm -1\n.model qm npn", "area must be positive, got -1"},
		{"Q1 c b e qm areab=0\n.model qm npn", "areab must be positive, got 0"},
		{"Q1 c b e qm m=0\n.model qm npn", "m must be positive"},
		{"Q1 c b e qm\n.model qm npn is=0", "is must be positive, got 0"},
		{"Q1 c b e qm\n.model qm npn bf=-5", "bf must be positive"},
		{"Q1 c b e qm\n.model qm npn rb=-5", "rb must not be negative"},
		{"Q1 c b e qm\n.model qm npn tlev=2", "tlev must be 0, 1 or 3"},
		{"Q1 c b e qm\n.model qm npn xcjc=2", "xcjc must be between 0 and 1"},
		{"Q1 c b e qm ic=1,2,3\n.model qm npn", "takes at most 2 values (ic=vbe,vce)"},
		{"Q1 c b e qm 2 on\n.model qm npn", `unexpected "on"`},
		{"Q1 c b e qm 2 3\n.model qm npn", `unexpected "3"`},
		{"Q1 c b e qm temp=-300\n.model qm npn", "not above absolute zero"},
	}
	for _, c := range cases {
		p, err := parser.Parse("t.cir", []byte("t\n"+c.netlist+"\n.end\n"))
		if err == nil {
			_, err = Build(context.Background(), p, DefaultEnv())
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.netlist, err, c.want)
		}
	}
	// Every name of ngspice's table is accepted.
	all := "t\nQ1 c b e s qm 1 off areab=1 areac=1 m=2 temp=30 dtemp=1 icvbe=0.6 icvce=1 sens_area=1\n.model qm npn " +
		"level=1 subs=1 tref=27 is=1e-16 ibe=1e-16 ibc=1e-16 bf=100 nf=1 va=50 ik=1 c2=0 ne=1.5 br=1 nr=1 vb=10 ikr=1 c4=0 nc=2 " +
		"rb=1 irb=1 rbm=1 re=1 rc=1 cje=1p pe=0.7 me=0.3 tf=1n xtf=1 vtf=1 itf=1 ptf=1 cjc=1p pc=0.7 mc=0.3 xcjc=1 tr=1n " +
		"ccs=1p ps=0.7 ms=0.3 xtb=1 eg=1.1 xti=3 fc=0.5 kf=0 af=1 iss=1e-18 ns=1 rco=10 vo=10 gamma=1e-11 qco=0 tlev=0 tlevc=0 " +
		"tbf1=0 tbf2=0 tbr1=0 tbr2=0 tikf1=0 tikf2=0 tikr1=0 tikr2=0 tirb1=0 tirb2=0 tnc1=0 tnc2=0 tne1=0 tne2=0 tnf1=0 tnf2=0 " +
		"tnr1=0 tnr2=0 trb=0 trb2=0 trc=0 trc2=0 tre=0 tre2=0 trm1=0 trm2=0 tvaf1=0 tvaf2=0 tvar1=0 tvar2=0 ctc=0 cte=0 cts=0 " +
		"tvjc=0 tvje=0 tvjs=0 titf1=0 titf2=0 ttf1=0 ttf2=0 ttr1=0 ttr2=0 tmje1=0 tmje2=0 tmjc1=0 tmjc2=0 tmjs1=0 tmjs2=0 tns1=0 " +
		"tns2=0 nk=0.5 tis1=0 tis2=0 tise1=0 tise2=0 tisc1=0 tisc2=0 tiss1=0 tiss2=0 quasimod=0 vg=1.2 cn=2 d=0.8 vbe_max=1 " +
		"vbc_max=1 vce_max=1 pd_max=1 ic_max=1 ib_max=1 te_max=1 rth0=1 npn=1\n.end\n"
	if _, _, sys := bjtCircuit(t, all, DefaultEnv()); sys == nil {
		t.Error("no system")
	}
}

func TestBJTLoadAllocatesNothing(t *testing.T) {
	_, devs, sys := bjtCircuit(t, "t\nQ1 c b e s qm\n.model qm npn "+bjtFullModel+"\n.end\n", DefaultEnv())
	x := make([]float64, sys.N+1)
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 1e-9, Gmin: 1e-12}
	if n := testing.AllocsPerRun(100, func() {
		for _, d := range devs {
			d.Load(ctx)
		}
	}); n != 0 {
		t.Errorf("Load allocates %g times", n)
	}
}
