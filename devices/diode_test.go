package devices

import (
	"math"
	"testing"

	"github.com/gospice/gospice/mna"
)

// ngspice 39's thermal voltage per kelvin (CODATA 2014 k/q).
const diodeTestKoverQ = 1.38064852e-23 / 1.6021766208e-19

// diodeBuild parses a netlist of diodes (and whatever else), builds its devices with env
// and sets them up in a fresh system.
func diodeBuild(t *testing.T, netlist string, env Env) ([]Loader, *mna.System) {
	t.Helper()
	devs := parseAndBuild(t, netlist, env)
	return NewRun(devs), setUp(devs).Build()
}

// diodeOne builds "D1 a 0 dm <instance>" with the model card ".model dm d(<model>)".
func diodeOne(t *testing.T, model, instance string, env Env) *Diode {
	t.Helper()
	devs, _ := diodeBuild(t, "t\nD1 a 0 dm "+instance+"\n.model dm d("+model+")\n.end\n", env)
	return devs[0].(*diodeRun).Diode
}

func diodeClose(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func TestDiodeCurrentAndChargeByHand(t *testing.T) {
	const is, n, cj, vj, m, fc, tt, gmin = 1e-14, 1.5, 2e-12, 0.8, 0.4, 0.5, 10e-9, 1e-12
	d := diodeOne(t, "is=1e-14 n=1.5 cjo=2p vj=0.8 m=0.4 fc=0.5 tt=10n bv=5 ibv=1m", "", DefaultEnv())
	vte := n * diodeTestKoverQ * 300.15
	// The depletion charge below fc*vj, and above it the integral of the linear capacitance.
	fcv := fc * vj
	qBelow := func(v float64) float64 { return vj * cj * (1 - math.Pow(1-v/vj, 1-m)) / (1 - m) }
	cAbove := func(v float64) float64 { return cj / math.Pow(1-fc, 1+m) * (1 - fc*(1+m) + m*v/vj) }
	qAbove := func(v float64) float64 { return qBelow(fcv) + (cAbove(fcv)+cAbove(v))/2*(v-fcv) } // C is linear there
	forward := func(v float64) (float64, float64) {
		return is*(math.Exp(v/vte)-1) + gmin*v, is/vte*math.Exp(v/vte) + gmin
	}
	reverse := func(v float64) (float64, float64) {
		a := math.Pow(3*vte/(math.E*v), 3)
		return -is*(1+a) + gmin*v, 3*is*a/v + gmin
	}
	cases := []struct {
		name       string
		v          float64
		i, g, q, c float64
	}{
		{name: "forward above fc*vj", v: 0.65},
		{name: "forward below fc*vj", v: 0.3},
		{name: "reverse", v: -2},
	}
	cases[0].i, cases[0].g = forward(0.65)
	cases[0].q, cases[0].c = qAbove(0.65)+tt*cases[0].i, cAbove(0.65)+tt*cases[0].g
	cases[1].i, cases[1].g = forward(0.3)
	cases[1].q, cases[1].c = qBelow(0.3)+tt*cases[1].i, cj*math.Pow(1-0.3/vj, -m)+tt*cases[1].g
	cases[2].i, cases[2].g = reverse(-2)
	cases[2].q, cases[2].c = qBelow(-2)+tt*cases[2].i, cj*math.Pow(1+2/vj, -m)+tt*cases[2].g
	for _, c := range cases {
		i, g := d.current(c.v, gmin)
		q, cap := d.charge(c.v, i, g)
		if !diodeClose(i, c.i, 1e-12) || !diodeClose(g, c.g, 1e-12) || !diodeClose(q, c.q, 1e-12) || !diodeClose(cap, c.c, 1e-12) {
			t.Errorf("%s at %g V: i %g g %g q %g c %g, want %g %g %g %g", c.name, c.v, i, g, q, cap, c.i, c.g, c.q, c.c)
		}
	}

	// Breakdown: the current at -bv is ibv (to the tolerance of ngspice's iteration for
	// the adjusted breakdown voltage) and grows by e every n*vt beyond.
	ibv, _ := d.current(-5, 0)
	if !diodeClose(-ibv, 1e-3, 2e-3) {
		t.Errorf("current at -bv = %g, want -ibv = -1m", ibv)
	}
	i1, g1 := d.current(-5.3, 0)
	if want := ibv * math.Exp(0.3/vte); !diodeClose(i1, want, 1e-12) || !diodeClose(g1, -i1/vte, 1e-12) {
		t.Errorf("breakdown at -5.3 V: i %g g %g, want %g %g", i1, g1, want, -want/vte)
	}
	// and the adjusted voltage is the one at which the forward-style fit meets ibv.
	vt := vte / n
	if fit := is * (math.Exp((5-d.bv)/vte) - 1 + d.bv/vt); !diodeClose(fit, 1e-3, 1e-3) {
		t.Errorf("tBrkdwnV %g gives %g at -bv, want ibv", d.bv, fit)
	}
}

func TestDiodeAgainstNgspicePrintedValues(t *testing.T) {
	// @d1[id], @d1[cd] and @d1[charge] printed by ngspice 39 in a .dc sweep of a source
	// across the diode (gmin 1e-12).
	cases := []struct {
		model, instance string
		v, id, cd, q    float64
	}{
		{"is=1e-14 cjo=1p vj=0.8 m=0.4 tt=1n fc=0.5", "", -1, -1.00999976739792e-12, 7.229811817984664e-13, -8.35610210072064e-13},
		{"is=1e-14 cjo=1p vj=0.8 m=0.4 tt=1n fc=0.5", "", 0.2, 2.300256802781710e-11, 1.121956028435035e-12, 2.113782108897019e-13},
		{"is=1e-14 cjo=1p vj=0.8 m=0.4 tt=1n fc=0.5", "", 0.6, 1.187196295587068e-04, 6.173396345068507e-12, 8.626727627468140e-13},
		{"is=1e-14 cjo=1p vj=0.8 m=0.4 tt=1n fc=0.5", "", 0.8, 2.708299612093745e-01, 1.047278603992022e-08, 2.719169863993635e-10},
		// The sidewall charge above fcs*php, which ngspice extends with the bottom's f1.
		{"is=1e-20 cjo=1p vj=0.8 m=0.3 cjsw=1p php=0.6 mjsw=0.2 fcs=0.5 fc=0.5", "pj=1", 0.3, 0, 2.300124256623360e-12, 7.597561197841017e-13},
		{"is=1e-20 cjo=1p vj=0.8 m=0.3 cjsw=1p php=0.6 mjsw=0.2 fcs=0.5 fc=0.5", "pj=1", 0.29, 0, 2.285795681628831e-12, 6.167189799582647e-13},
		// Temperature: 127 C against tnom 27 C, with eg, xti, tcv and tm1.
		{"is=1e-14 n=1.2 eg=1.11 xti=3 cjo=1p vj=0.75 m=0.5 tt=1n bv=10 ibv=1m tcv=0.01 tm1=1e-3", "temp=127", -9.2, -1.25633297428832e-01, 3.036424793679589e-09, -1.29421438566852e-10},
		{"is=1e-14 n=1.2 eg=1.11 xti=3 cjo=1p vj=0.75 m=0.5 tt=1n bv=10 ibv=1m tcv=0.01 tm1=1e-3", "temp=127", -4.3, -1.60486688904282e-10, 3.545695965090653e-13, -2.37634778967119e-12},
		{"is=1e-14 n=1.2 eg=1.11 xti=3 cjo=1p vj=0.75 m=0.5 tt=1n bv=10 ibv=1m tcv=0.01 tm1=1e-3", "temp=127", 5.999999999999996e-01, 3.097474066144309e-04, 1.020747491222421e-11, 1.397051635805250e-12},
	}
	for _, c := range cases {
		d := diodeOne(t, c.model, c.instance, DefaultEnv())
		id, gd := d.current(c.v, 1e-12)
		q, cd := d.charge(c.v, id, gd)
		if (c.id != 0 && !diodeClose(id, c.id, 1e-9)) || !diodeClose(cd, c.cd, 1e-9) || !diodeClose(q, c.q, 1e-9) {
			t.Errorf("%s %s at %g V: id %.15g cd %.15g q %.15g; ngspice %.15g %.15g %.15g",
				c.model, c.instance, c.v, id, cd, q, c.id, c.cd, c.q)
		}
	}
}

func TestDiodeTemperatureScaling(t *testing.T) {
	const model = "is=1e-14 n=1.2 eg=1.11 xti=3 cjo=1p vj=0.75 m=0.5 bv=10 tcv=0.01"
	tn, temp := 300.15, 400.15
	ratio := temp / tn
	vt := diodeTestKoverQ * temp
	eg := func(t float64) float64 { return 1.16 - 7.02e-4*t*t/(t+1108) }
	wantIs := 1e-14 * math.Pow(ratio, 3/1.2) * math.Exp((ratio-1)*1.11/(1.2*vt))
	// SPICE's junction potential and capacitance laws (the textbook forms of diotemp.c's).
	wantVj := 0.75*ratio - 3*vt*math.Log(ratio) + eg(temp) - ratio*eg(tn)
	// (To 1e-7: diotemp.c's 1.1150877 V is the band gap at 27 C only to 6e-7 V.)
	wantCj := 1e-12 * (1 + 0.5*(400e-6*(temp-tn)-(wantVj-0.75)/0.75))

	hot := DefaultEnv()
	hot.Temp = 127
	for _, c := range []struct {
		name, instance string
		env            Env
	}{
		{"instance temp", "temp=127", DefaultEnv()},
		{"dtemp", "dtemp=100", DefaultEnv()},
		{"circuit temp", "", hot},
	} {
		d := diodeOne(t, model, c.instance, c.env)
		if !diodeClose(d.isat, wantIs, 1e-12) || !diodeClose(d.dep.pb, wantVj, 1e-12) || !diodeClose(d.dep.cj, wantCj, 1e-7) {
			t.Errorf("%s: is %g vj %g cj %g, want %g %g %g", c.name, d.isat, d.dep.pb, d.dep.cj, wantIs, wantVj, wantCj)
		}
		// bv - tcv*dT = 9 V: the breakdown current there is ibv.
		if i, _ := d.current(-9, 0); !diodeClose(-i, 1e-3, 2e-3) {
			t.Errorf("%s: current at the scaled bv = %g, want -1m", c.name, i)
		}
	}
	// The model measured at the circuit temperature is not scaled.
	if d := diodeOne(t, model+" tnom=127", "", hot); !diodeClose(d.isat, 1e-14, 1e-12) || !diodeClose(d.dep.pb, 0.75, 1e-12) {
		t.Errorf("tnom = temp: is %g vj %g, want the model's", d.isat, d.dep.pb)
	}
	// tlevc=1: linear coefficients against 27 C.
	d := diodeOne(t, "cjo=1p vj=0.75 cjsw=2p php=0.6 tlevc=1 cta=1e-3 ctp=2e-3 tpb=1e-3 tphp=2e-3", "pj=1 temp=127", DefaultEnv())
	if !diodeClose(d.dep.pb, 0.65, 1e-12) || !diodeClose(d.dep.cj, 1.1e-12, 1e-12) ||
		!diodeClose(d.depSW.pb, 0.4, 1e-12) || !diodeClose(d.depSW.cj, 2.4e-12, 1e-12) {
		t.Errorf("tlevc=1: vj %g cj %g php %g cjsw %g", d.dep.pb, d.dep.cj, d.depSW.pb, d.depSW.cj)
	}
	// Area, pj and m scale currents and capacitances; rs divides by them.
	d = diodeOne(t, "is=1e-14 jsw=1e-15 cjo=1p cjsw=1p rs=10", "area=3 pj=2 m=2", DefaultEnv())
	if !diodeClose(d.isat, 6e-14, 1e-12) || !diodeClose(d.isatSW, 4e-15, 1e-12) || !diodeClose(d.dep.cj, 6e-12, 1e-12) ||
		!diodeClose(d.depSW.cj, 4e-12, 1e-12) || !diodeClose(d.gs, 0.6, 1e-12) {
		t.Errorf("area 3 pj 2 m 2: is %g jsw %g cj %g cjsw %g gs %g", d.isat, d.isatSW, d.dep.cj, d.depSW.cj, d.gs)
	}
}

// diodeLoadAll loads every device once as the first iteration of a solve at x, so that
// each diode's stored junction voltage is x's.
func diodeLoadAll(devs []Loader, sys *mna.System, x []float64, mode Mode) *Context {
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: mode, SrcFactor: 1, FirstIteration: true}
	for _, d := range devs {
		d.Load(ctx)
	}
	return ctx
}

func TestDiodeJacobianInEveryRegion(t *testing.T) {
	devs, sys := diodeBuild(t, `regions
D1 a1 b1 dfwd
D2 a2 b2 dfwd
D3 a3 b3 dfwd
D4 a4 b4 dfwd
D5 a5 b5 dside pj=2
D6 a6 b6 dside pj=2
D7 a7 b7 dtun pj=1
D8 a8 b8 drec
D9 a9 b9 dknee
D10 a10 b10 dknee
D11 a11 b11 dlev3 w=10u l=5u
D12 a12 b12 dside pj=2
.model dfwd d(is=1e-14 n=1.2 rs=5 cjo=2p vj=0.8 m=0.4 fc=0.5 tt=10n bv=6 ibv=1m)
.model dside d(is=1e-15 jsw=1e-16 ns=1.4 cjo=1p cjsw=0.5p php=0.7 mjsw=0.3 fcs=0.6 bv=4 nbv=1.3 tt=1n)
.model dtun d(is=1e-15 jtun=1e-12 jtunsw=1e-13 ntun=10 cjo=1p)
.model drec d(is=1e-16 isr=1e-12 nr=2 vj=0.8 m=0.4 tt=5n)
.model dknee d(is=1e-12 ikf=1m ikr=1e-13 tt=1n jtun=1e-13)
.model dlev3 d(level=3 js=1e-4 jsw=1e-9 cj=1e-3 cjsw=1e-9 lm=10u wm=5u lp=3u wp=2u)
.end
`, DefaultEnv())
	// Junction voltages away from the kinks at -3 n vt, -bv and fc*vj, one region each; the
	// reverse ones near -3 n vt, where the conductance is not lost in the current's rounding.
	points := map[string]float64{
		"1": 0.72, "2": 0.3, "3": -0.15, "4": -6.2, // forward above fc*vj, below, reverse, breakdown
		"5": 0.62, "6": -4.3, "12": -0.13, // sidewall: forward above fcs*php, breakdown, reverse
		"7": -1.5, "8": 0.45, "9": 0.7, "10": -0.5, "11": 0.68,
	}
	x := make([]float64, sys.N+1)
	for k, v := range points {
		a, _ := sys.Lookup("v(a" + k + ")")
		b, _ := sys.Lookup("v(b" + k + ")")
		x[a], x[b] = 0.25+v, 0.25
	}
	// The internal nodes of D1..D4 (rs = 5): a little below their anodes.
	for _, k := range []string{"1", "2", "3", "4"} {
		p, ok := sys.Lookup("v(d" + k + "#internal)")
		if !ok {
			t.Fatalf("no internal node for d%s", k)
		}
		a, _ := sys.Lookup("v(a" + k + ")")
		x[p] = x[a] - 1e-3
	}
	for _, mode := range []Mode{ModeOP, ModeTran} {
		diodeLoadAll(devs, sys, x, mode)
		checkJacobian(t, devs, sys, x, mode)
		diodeLoadAll(devs, sys, x, mode)
		diodeCheckJacobian(t, devs, sys, x, mode)
	}
}

// diodeCheckJacobian is checkJacobian with a tolerance relative to each entry (and to
// the rounding noise of the differences) instead of an absolute 1e-12 floor, which would
// hide a reverse-biased junction's conductances and every picofarad capacitance.
func diodeCheckJacobian(t *testing.T, devs []Loader, sys *mna.System, x []float64, mode Mode) {
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
			check := func(name string, analytic, p, m float64) {
				fd := (p - m) / (2 * h)
				noise := 1e-14 * math.Max(math.Abs(p), math.Abs(m)) / h
				if math.Abs(analytic-fd) > 1e-6*math.Max(math.Abs(analytic), math.Abs(fd))+noise+1e-40 {
					t.Errorf("%s[%s][%s] = %g, finite differences give %g",
						name, sys.Unknowns[i].Label(), sys.Unknowns[j].Label(), analytic, fd)
				}
			}
			check("dF/dx", g[i][j], vp.F[i], vm.F[i])
			check("dQ/dx", c[i][j], vp.Q[i], vm.Q[i])
		}
	}
}

func TestDiodeLimiting(t *testing.T) {
	const vt, vcrit = 0.026, 0.7
	cases := []struct {
		vnew, vold, want float64
		limited          bool
	}{
		{1.0, 0.6, 0.6 + vt*(2+math.Log(0.4/vt-2)), true},
		{0.3, 0.9, 0.3, false}, // below vcrit: free
		{0.75, 1.2, 1.2 - vt*(2+math.Log(2+0.45/vt)), true},
		{1.0, -0.1, vt * math.Log(1/vt), true},
		{0.72, 0.71, 0.72, false},
		{-3, 0.5, -1.5, true},
		{-3, -0.5, -2, true},
		{-1.5, -0.5, -1.5, false},
	}
	for _, c := range cases {
		got, limited := dioPnjlim(c.vnew, c.vold, vt, vcrit)
		if !diodeClose(got, c.want, 1e-14) || limited != c.limited {
			t.Errorf("pnjlim(%g, %g) = %g %v, want %g %v", c.vnew, c.vold, got, limited, c.want, c.limited)
		}
	}

	devs, sys := diodeBuild(t, "t\nD1 a b dm\n.model dm d(is=1e-14 bv=5)\n.end\n", DefaultEnv())
	d := devs[0].(*diodeRun)
	a, _ := sys.Lookup("v(a)")
	b, _ := sys.Lookup("v(b)")
	x := make([]float64, sys.N+1)
	load := func(va float64, first, init bool) *Context {
		x[a], x[b] = va, 0.1
		ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, FirstIteration: first, InitJunctions: init}
		d.Load(ctx)
		return ctx
	}
	// SPICE's initial junction voltage: vcrit, or 0 for a diode given off.
	if ctx := load(0, true, true); d.vd != d.vcrit || !ctx.Limited {
		t.Errorf("initial junction voltage %g (limited %v), want vcrit %g", d.vd, ctx.Limited, d.vcrit)
	}
	// A forward jump is limited, and F is the linearization at the limited voltage.
	load(0.6, true, false)
	ctx := load(1.5, false, false)
	want, _ := dioPnjlim(1.4, 0.5, d.vte, d.vcrit)
	if !ctx.Limited || d.vd != want {
		t.Fatalf("limited to %g (%v), want %g", d.vd, ctx.Limited, want)
	}
	i, g := d.current(want, 0)
	if f := ctx.F[a]; !diodeClose(f, i+g*(1.4-want), 1e-12) || ctx.F[b] != -f {
		t.Errorf("F at the limited point: %g, want %g", f, i+g*(1.4-want))
	}
	// In breakdown the limiting works on the voltage beyond -bv.
	load(-4.9, true, false)
	ctx = load(-9, false, false)
	lim, _ := dioPnjlim(-(-9.1 + d.bv), -(-5.0 + d.bv), d.vteBrk, d.vcrit)
	if !ctx.Limited || !diodeClose(d.vd, -(lim+d.bv), 1e-14) {
		t.Errorf("breakdown limiting gave %g, want %g", d.vd, -(lim + d.bv))
	}

	offDiode := diodeOne(t, "is=1e-14", "off", DefaultEnv())
	offSys := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	offDiode.Setup(offSys)
	off := offDiode.NewRun().(*diodeRun)
	s := offSys.Build()
	off.Load(&Context{X: make([]float64, s.N+1), Values: s.NewValues(), FirstIteration: true, InitJunctions: true})
	if off.vd != 0 {
		t.Errorf("an off diode starts at %g, want 0", off.vd)
	}
}

func TestDiodeUICCharge(t *testing.T) {
	for _, c := range []struct {
		instance string
		v        float64
	}{{"ic=0.4", 0.4}, {"", 0.3}} {
		devs, sys := diodeBuild(t, "t\nD1 a 0 dm "+c.instance+"\n.model dm d(cjo=1p rs=10)\n.end\n", DefaultEnv())
		d := devs[0].(*diodeRun)
		x := make([]float64, sys.N+1)
		a, _ := sys.Lookup("v(a)")
		x[a] = 0.3 // the internal node is left at 0: IC= or the terminal voltages count
		ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTranOP, UIC: true}
		d.Load(ctx)
		i, g := d.current(c.v, 0)
		q, _ := d.charge(c.v, i, g)
		if ctx.Q[d.p] != q {
			t.Errorf("%q: uic charge %g, want q(%g) = %g", c.instance, ctx.Q[d.p], c.v, q)
		}
	}
}

func TestDiodeParameterErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nD1 a 0 dm\n.model dm d(iss=1n)\n.end\n", `unknown diode model parameter "iss" (model dm, used by d1 at line 2); did you mean "is"?`},
		{"t\nD1 a 0 dm\n.model dm d(cjsw=1p vjsw=0.8)\n.end\n", `unknown diode model parameter "vjsw"`},
		{"t\nD1 a 0 dm aera=2\n.model dm d\n.end\n", `unknown diode parameter "aera" (on d1); did you mean "area"?`},
		{"t\nD1 a 0 dm\n.model dm r(rsh=1)\n.end\n", `d1: model "dm" (t.cir:3:1) is a "r" model, not a diode model`},
		{"t\nD1 a 0 dx\n.model dm d\n.end\n", `unknown model "dx"`},
		{"t\nD1 a 0 dm\n.model dm d(level=2)\n.end\n", "level must be 1 or 3"},
		{"t\nD1 a 0 dm\n.model dm d(n=0)\n.end\n", "n must be positive"},
		{"t\nD1 a 0 dm\n.model dm d(fc=1)\n.end\n", "fc must be below 1"},
		{"t\nD1 a 0 dm\n.model dm d(bv=-3)\n.end\n", "bv must be positive"},
		{"t\nD1 a 0 dm\n.model dm d(rs=-1)\n.end\n", "rs must not be negative"},
		{"t\nD1 a 0 dm\n.model dm d(vj=0)\n.end\n", "vj must be positive"},
		{"t\nD1 a 0 dm area=0\n.model dm d\n.end\n", "d1: area must be positive"},
		{"t\nD1 a 0 dm m=-1\n.model dm d\n.end\n", "d1: m must be positive"},
		{"t\nD1 a 0 dm\n.model dm d(area=0)\n.end\n", "d1: the area factor must be positive"},
		{"t\nD1 a 0 dm temp=-300\n.model dm d\n.end\n", "below absolute zero"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's diode model table is accepted.
	all := "level=1 is=1e-14 js=1e-14 jsw=0 tnom=27 tref=27 rs=0 trs=0 trs1=0 trs2=0 n=1 ns=1 tt=0 ttt1=0 ttt2=0 " +
		"cjo=0 cj0=0 cj=0 vj=1 pb=1 m=0.5 mj=0.5 tm1=0 tm2=0 cjp=0 cjsw=0 php=1 mjsw=0.33 ikf=1 ik=1 ikr=1 nbv=1 " +
		"area=1 pj=0 tlev=0 tlevc=0 eg=1.11 xti=3 cta=0 ctc=0 ctp=0 tpb=0 tvj=0 tphp=0 jtun=0 jtunsw=0 ntun=30 " +
		"xtitun=3 keg=1 kf=0 af=1 fc=0.5 fcs=0.5 bv=10 ibv=1m ib=1m tcv=0 isr=1e-14 nr=2 fv_max=1 bv_max=1 " +
		"id_max=1 te_max=1 pd_max=1 rth0=1 cth0=1 lm=0 lp=0 wm=0 wp=0 xom=1u xoi=1u xm=0 xp=0 d=1"
	diodeOne(t, all, "area=1 pj=0 w=1u l=1u m=1 temp=27 dtemp=0 ic=0 lm=0 lp=0 wm=0 wp=0 off", DefaultEnv())
}

func TestDiodeLoadAllocatesNothingAndReportsItsCurrent(t *testing.T) {
	devs, sys := diodeBuild(t, "t\nD1 a b dm\nD2 b 0 dm\n.model dm d(is=1e-14 rs=3 cjo=1p tt=1n bv=5 jsw=1e-15 ns=1.2 isr=1e-13 ikf=1)\n.end\n", DefaultEnv())
	x := make([]float64, sys.N+1)
	a, _ := sys.Lookup("v(a)")
	p, _ := sys.Lookup("v(d1#internal)")
	x[a], x[p] = 0.8, 0.75
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12}
	if n := testing.AllocsPerRun(100, func() {
		ctx.Values.Clear()
		for _, d := range devs {
			d.Load(ctx)
		}
	}); n != 0 {
		t.Errorf("Load allocates %g times per call", n)
	}
	// i(d1) is the current through rs.
	if got, want := devs[0].(*diodeRun).Current(x), 0.05/3; !diodeClose(got, want, 1e-12) {
		t.Errorf("i(d1) = %g, want %g", got, want)
	}
}
