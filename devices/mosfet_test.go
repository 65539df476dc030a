package devices

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// mosCircuit builds a netlist at env, sets its devices up and starts a run of them; it
// returns the first MOSFET's.
func mosCircuit(t *testing.T, netlist string, env Env) (*mosRun, []Loader, *mna.System) {
	t.Helper()
	devs := parseAndBuild(t, netlist, env)
	b := setUp(devs)
	run := NewRun(devs)
	var mos *mosRun
	for _, l := range run {
		if m, ok := l.(*mosRun); ok && mos == nil {
			mos = m
		}
	}
	if mos == nil {
		t.Fatal("no MOSFET in the netlist")
	}
	return mos, run, b.Build()
}

// mosLoad loads every device at x with the voltages taken from x as they are (a first
// iteration: nothing to limit against).
func mosLoad(devs []Loader, sys *mna.System, x []float64, mode Mode, gmin float64) *mna.Values {
	v := sys.NewValues()
	ctx := &Context{X: x, Values: v, Mode: mode, SrcFactor: 1, Gmin: gmin, FirstIteration: true}
	for _, d := range devs {
		d.Load(ctx)
	}
	return v
}

// nodeX returns a fresh x with the named nodes set.
func nodeX(t *testing.T, sys *mna.System, volts map[string]float64) []float64 {
	t.Helper()
	x := make([]float64, sys.N+1)
	for name, v := range volts {
		i, ok := sys.Lookup("v(" + name + ")")
		if !ok {
			t.Fatalf("no node %s", name)
		}
		x[i] = v
	}
	return x
}

func node(t *testing.T, sys *mna.System, name string) int {
	t.Helper()
	i, ok := sys.Lookup("v(" + name + ")")
	if !ok {
		t.Fatalf("no node %s", name)
	}
	return i
}

func closeTo(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)+1e-300
}

// TestMOSFETDrainCurrentByHand checks the drain current in every region against the
// Shichman-Hodges equations worked out here, at tnom (is=0 keeps the junctions out).
func TestMOSFETDrainCurrentByHand(t *testing.T) {
	const (
		vto, kp, gamma, phi, lambda = 0.7, 50e-6, 0.4, 0.6, 0.02
		beta                        = kp * 10 / 2 // W/L = 10u/2u
	)
	models := ".model nm nmos vto=0.7 kp=50u gamma=0.4 phi=0.6 lambda=0.02 is=0\n" +
		".model pm pmos vto=-0.7 kp=50u gamma=0.4 phi=0.6 lambda=0.02 is=0\n"
	von := func(vbs float64) float64 { return vto + gamma*(math.Sqrt(phi-vbs)-math.Sqrt(phi)) }
	sat := func(vgs, vds, vbs float64) float64 {
		x := vgs - von(vbs)
		return beta / 2 * (1 + lambda*vds) * x * x
	}
	lin := func(vgs, vds, vbs float64) float64 {
		return beta * (1 + lambda*vds) * vds * (vgs - von(vbs) - vds/2)
	}
	cases := []struct {
		name, model    string
		vd, vg, vs, vb float64
		want           float64 // current into the drain terminal, from the node
	}{
		{"cutoff", "nm", 3, 0.5, 0, 0, 0},
		{"cutoff by the body effect", "nm", 3, 1.2, 1, 0, 0},
		{"saturation", "nm", 4, 2, 0, 0, sat(2, 4, 0)},
		{"saturation, body effect", "nm", 4, 2.5, 0.5, 0, sat(2, 3.5, -0.5)},
		{"linear, body effect", "nm", 0.5, 3, 0, -1, lin(3, 0.5, -1)},
		{"linear near the knee", "nm", 1.2, 2, 0, 0, lin(2, 1.2, 0)},
		// vds < 0: drain and source swap roles; the current flows out of the drain.
		{"reversed, linear", "nm", 0, 3, 2, 0, -lin(3, 2, 0)},
		{"reversed, saturation, body effect", "nm", 0, 1.5, 4, -0.5, -sat(1.5, 4, -0.5)},
		// p-channel: every voltage and the current change sign.
		{"p saturation", "pm", 0.5, 1, 3, 3, -sat(2, 2.5, 0)},
		{"p linear, body effect", "pm", 2.6, 0, 3, 4, -lin(3, 0.4, -1)},
		{"p cutoff", "pm", 0, 2.5, 3, 3, 0},
		{"p reversed", "pm", 3, 0, 2, 3, lin(3, 1, 0)},
	}
	for _, c := range cases {
		netlist := "t\nM1 d g s b " + c.model + " W=10u L=2u\n" + models + ".end\n"
		_, devs, sys := mosCircuit(t, netlist, DefaultEnv())
		x := nodeX(t, sys, map[string]float64{"d": c.vd, "g": c.vg, "s": c.vs, "b": c.vb})
		v := mosLoad(devs, sys, x, ModeOP, 0)
		d, s := node(t, sys, "d"), node(t, sys, "s")
		if !closeTo(v.F[d], c.want, 1e-12) || (c.want == 0 && v.F[d] != 0) {
			t.Errorf("%s: drain current %.10g, want %.10g", c.name, v.F[d], c.want)
		}
		if v.F[s] != -v.F[d] {
			t.Errorf("%s: source current %g is not minus the drain's %g", c.name, v.F[s], v.F[d])
		}
	}
}

// TestMOSFETJunctions checks the bulk diodes: is, or js times the areas, with gmin across.
func TestMOSFETJunctions(t *testing.T) {
	env := DefaultEnv()
	vt := (27 + 273.15) * 1.38064852e-23 / 1.6021766208e-19
	const gmin = 1e-12
	cases := []struct {
		name, line, model string
		vd, vb            float64
		wantB, wantD      float64 // currents leaving the bulk and the drain node into the device
	}{
		// Both junctions forward at 0.5 V (drain and source at 0).
		{"is", "M1 d 0 0 b nm", ".model nm nmos is=2e-14", 0, 0.5,
			2 * (2e-14*(math.Exp(0.5/vt)-1) + 0.5*gmin), -(2e-14*(math.Exp(0.5/vt)-1) + 0.5*gmin)},
		// reverse: below -3 vt the current is -is plus gmin.
		{"js and areas", "M1 d 0 0 b nm AD=4p AS=2p", ".model nm nmos js=1e-3 vto=5", 2, -1,
			(gmin*-1 - 1e-3*2e-12) + (gmin*-3 - 1e-3*4e-12), -(gmin*-3 - 1e-3*4e-12)},
		{"p-channel", "M1 d 0 0 b pm", ".model pm pmos is=1e-14 vto=-5", 0.6, 0,
			-(1e-14*(math.Exp(0.6/vt)-1) + 0.6*gmin), 1e-14*(math.Exp(0.6/vt)-1) + 0.6*gmin},
	}
	for _, c := range cases {
		_, devs, sys := mosCircuit(t, "t\n"+c.line+"\n"+c.model+"\n.end\n", env)
		x := nodeX(t, sys, map[string]float64{"d": c.vd, "b": c.vb})
		v := mosLoad(devs, sys, x, ModeOP, gmin)
		b, d := node(t, sys, "b"), node(t, sys, "d")
		if !closeTo(v.F[b], c.wantB, 1e-12) || !closeTo(v.F[d], c.wantD, 1e-12) {
			t.Errorf("%s: bulk %.10g drain %.10g, want %.10g %.10g", c.name, v.F[b], v.F[d], c.wantB, c.wantD)
		}
	}
}

// TestMOSFETTemperatureAgainstNgspice compares currents at several temperatures with the
// values ngspice 39 prints for the same devices (@m[id], @m[ibs]).
func TestMOSFETTemperatureAgainstNgspice(t *testing.T) {
	models := ".model nm nmos vto=0.7 kp=50u gamma=0.4 phi=0.6 lambda=0.02 is=1e-14\n" +
		".model pm pmos vto=-0.7 kp=20u gamma=0.4 phi=0.6 lambda=0.02 is=1e-14 tnom=50\n"
	cases := []struct {
		name, line    string
		temp          float64 // circuit temperature, C
		vgs, vds, vbs float64 // n-channel frame
		id, ibs       float64 // ngspice's; ibs 0: not checked
	}{
		{"27 C", "M1 d g s b nm W=10u L=2u", 27, 2, 3, -0.5, 1.877326424180e-04, 0},
		{"127 C", "M1 d g s b nm W=10u L=2u", 127, 2, 3, -0.5, 1.540157741051e-04, 0},
		{"instance temp", "M1 d g s b nm W=10u L=2u temp=-40", 127, 2, 3, -0.5, 2.333835280082e-04, 0},
		{"dtemp at 27 C", "M1 d g s b nm W=10u L=2u dtemp=50", 27, 2, 3, -0.5, 1.676113738063e-04, 0},
		{"dtemp at 127 C", "M1 d g s b nm W=10u L=2u dtemp=50", 127, 2, 3, -0.5, 1.446938636542e-04, 0},
		{"p, tnom=50, 27 C", "M1 d g s b pm W=10u L=2u", 27, 2.5, 3, 0, 1.835048347326e-04, 0},
		{"p, tnom=50, 127 C", "M1 d g s b pm W=10u L=2u", 127, 2.5, 3, 0, 1.449848953047e-04, 0},
		{"forward bulk, 27 C", "M1 d g s b nm W=10u L=2u", 27, 2, 3, 0.4, 2.609181429505e-04, 5.204171600238e-08},
		{"forward bulk, 127 C", "M1 d g s b nm W=10u L=2u", 127, 2, 3, 0.4, 2.201446889675e-04, 1.230264062213e-04},
	}
	for _, c := range cases {
		env := Env{Temp: c.temp, TNom: 27}
		m, _, _ := mosCircuit(t, "t\n"+c.line+"\n"+models+".end\n", env)
		pt := mosPoint{vgs: c.vgs, vds: c.vds, vbs: c.vbs}
		m.channel(&pt)
		ibd, _ := m.diodes[0].current(c.vbs-c.vds, 1e-12)
		// ngspice's @id is the channel current minus the bulk-drain diode's.
		if got := pt.id - ibd; !closeTo(got, c.id, 2e-9) {
			t.Errorf("%s: id = %.12g, ngspice %.12g", c.name, got, c.id)
		}
		if c.ibs != 0 {
			if got, _ := m.diodes[1].current(c.vbs, 1e-12); !closeTo(got, c.ibs, 2e-9) {
				t.Errorf("%s: ibs = %.12g, ngspice %.12g", c.name, got, c.ibs)
			}
		}
	}
}

// TestMOSFETProcessParameters checks kp, vto, gamma and phi derived from tox, nsub, u0,
// tpg and nss against the model values ngspice 39 prints (@model[kp] ...).
func TestMOSFETProcessParameters(t *testing.T) {
	cases := []struct {
		model               string
		tnom                float64
		kp, vto, gamma, phi float64
		noMeyer             bool
		typ                 float64
	}{
		{".model m nmos tox=100n nsub=1e15", 27, 2.071886e-05, 1.311825e-01, 5.276227e-01, 5.763408e-01, false, 1},
		{".model m pmos tox=20n nsub=4e15 tpg=-1 nss=1e10", 27, 1.035943139907e-04, -1.06074844737, 2.110490878810e-01, 6.480535794178e-01, false, -1},
		{".model m nmos tox=50n nsub=2e16 u0=450 tpg=0 phi=0.8", 27, 3.107829419721e-05, 8.477015682958e-01, 1.179800267728, 0.8, false, 1},
		{".model m pmos tox=20n nsub=4e15 kp=30u gamma=0.3 tnom=50", 50, 3e-05, -4.50552734243e-02, 0.3, 6.977128575341e-01, false, -1},
		// Without tox, nsub is ignored and kp keeps its default.
		{".model m nmos nsub=1e15 vto=1", 27, 2e-5, 1, 0, 0.6, true, 1},
	}
	for _, c := range cases {
		m, _, _ := mosCircuit(t, "t\nM1 d g s b m W=10u L=10u\n"+c.model+"\n.end\n", Env{Temp: c.tnom, TNom: 27})
		// At the model's tnom the temperature-adjusted values are the model's.
		if !closeTo(m.beta, c.kp, 1e-6) || !closeTo(m.vto, c.vto, 1e-6) || !closeTo(m.gamma, c.gamma, 1e-6) || !closeTo(m.phi, c.phi, 1e-6) {
			t.Errorf("%s: kp %.10g vto %.10g gamma %.10g phi %.10g, ngspice %.10g %.10g %.10g %.10g",
				c.model, m.beta, m.vto, m.gamma, m.phi, c.kp, c.vto, c.gamma, c.phi)
		}
		if m.typ != c.typ {
			t.Errorf("%s: type %g", c.model, m.typ)
		}
		if (m.oxideCap == 0) != c.noMeyer {
			t.Errorf("%s: oxide capacitance %g", c.model, m.oxideCap)
		}
	}
}

// TestMOSFETJacobian compares G and C with finite differences in every region of the
// channel and of Meyer's capacitances, in both modes, for n and p, with rd and rs, the
// bulk junctions in both directions and a charge history from an earlier accepted point.
func TestMOSFETJacobian(t *testing.T) {
	// Large devices (m) make the capacitances big enough for the absolute floor of checkJacobian.
	models := ".model nm nmos vto=0.7 kp=50u gamma=0.4 phi=0.6 lambda=0.05 tox=2n rd=10 rs=5 is=1e-14\n" +
		"+ cgso=1n cgdo=2n cgbo=0.5n cj=1e-3 cjsw=1e-9 mj=0.4 mjsw=0.3 pb=0.8 ld=0.1u\n" +
		".model pm pmos vto=-0.8 kp=20u gamma=0.5 phi=0.7 lambda=0.03 tox=2n rsh=20 is=1e-14\n" +
		"+ cgso=1n cgdo=1n cgbo=1n cbd=2p cbs=3p mj=0.5 mjsw=0.5\n"
	line := func(model string) string {
		return "M1 d g s b " + model + " W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000\n"
	}
	cases := []struct {
		name, model    string
		vd, vg, vs, vb float64
	}{
		{"accumulation (vgst < -phi)", "nm", 2, -2, 0, 0},
		{"depletion (-phi < vgst < -phi/2)", "nm", 2, 0.3, 0, 0},
		{"weak inversion side (-phi/2 < vgst < 0), vds below 25 mV", "nm", 0.01, 0.6, 0, 0},
		{"weak inversion side, vds above 25 mV", "nm", 1, 0.6, 0, 0},
		{"saturation, body effect", "nm", 3, 2, 0.5, -0.3},
		{"linear", "nm", 0.4, 2.5, 0, -1},
		{"linear, vgst under 25 mV", "nm", 0.01, 0.72, 0, 0},
		{"reversed, linear", "nm", 0, 3, 1, -0.5},
		{"reversed, saturation", "nm", -3, -1.5, 0, -3.5},
		{"forward-biased bulk", "nm", 2, 1.5, 0, 0.3},
		{"bulk above fc*pb (linearized depletion)", "nm", 0.2, 1.5, 0, 0.55},
		{"p saturation", "pm", 0, 1, 3, 3},
		{"p linear, body effect", "pm", 2.5, 0, 3, 3.5},
		{"p reversed", "pm", 3, 0, 2, 3.2},
		{"p accumulation", "pm", 0, 5, 3, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, devs, sys := mosCircuit(t, "t\n"+line(c.model)+models+".end\n", DefaultEnv())
			if m.gd == 0 || m.gs == 0 {
				t.Fatal("expected drain and source resistances")
			}
			x := nodeX(t, sys, map[string]float64{"d": c.vd, "g": c.vg, "s": c.vs, "b": c.vb})
			// The internal nodes at the external ones' voltages: a current through rd or rs
			// would drown the junctions' conductances in rounding.
			x[m.t[mosD]], x[m.t[mosS]] = c.vd, c.vs
			mosLoad(devs, sys, x, ModeOP, 0)
			checkJacobian(t, devs, sys, x, ModeOP)
			// The initial transient point: charges C v.
			mosLoad(devs, sys, x, ModeTranOP, 0)
			checkJacobian(t, devs, sys, x, ModeTranOP)
			// A step from an accepted point elsewhere: averaged capacitances times the change.
			prev := append([]float64(nil), x...)
			prev[node(t, sys, "g")] += 0.4
			prev[node(t, sys, "b")] -= 0.2
			ctx := &Context{X: prev, Values: sys.NewValues(), Mode: ModeTranOP, FirstIteration: true}
			m.Load(ctx)
			m.Accept(&Context{X: prev, Mode: ModeTran})
			mosLoad(devs, sys, x, ModeTran, 0)
			checkJacobian(t, devs, sys, x, ModeTran)
		})
	}
}

// TestMOSFETMeyerCharges follows ngspice's Meyer charges by hand: C v at the initial point,
// then the previous charge plus the averaged capacitance times the change, the overlap
// capacitances added.
func TestMOSFETMeyerCharges(t *testing.T) {
	for _, typ := range []float64{1, -1} {
		model := ".model m nmos vto=0.5 kp=50u phi=0.6 tox=10n cgso=2n cgdo=3n cgbo=1n"
		if typ < 0 {
			model = ".model m pmos vto=-0.5 kp=50u phi=0.6 tox=10n cgso=2n cgdo=3n cgbo=1n"
		}
		m, devs, sys := mosCircuit(t, "t\nM1 d g s b m W=20u L=5u\n"+model+"\n.end\n", DefaultEnv())
		cox := 3.9 * 8.854214871e-12 / 10e-9 * 20e-6 * 5e-6
		ovS, ovD, ovB := 2e-9*20e-6, 3e-9*20e-6, 1e-9*5e-6
		g := node(t, sys, "g")
		at := func(vg, vd float64) []float64 {
			return nodeX(t, sys, map[string]float64{"g": typ * vg, "d": typ * vd})
		}
		// Saturation (vgs = 2, vds = 3): the gate-source half capacitance is cox/3, the others 0.
		x0 := at(2, 3)
		v := mosLoad(devs, sys, x0, ModeTranOP, 0)
		qgs0 := (2*cox/3 + ovS) * 2
		qgd0 := ovD * (2 - 3)
		qgb0 := ovB * 2
		if want := typ * (qgs0 + qgd0 + qgb0); !closeTo(v.Q[g], want, 1e-12) {
			t.Errorf("type %g: initial gate charge %g, want %g", typ, v.Q[g], want)
		}
		m.Accept(&Context{X: x0, Mode: ModeTran})
		// A step to accumulation (vgs = -1 < von - phi): gb's half becomes cox/2, gs's 0.
		x1 := at(-1, 3)
		v = mosLoad(devs, sys, x1, ModeTran, 0)
		qgs1 := qgs0 + (0+cox/3+ovS)*(-1-2)
		qgd1 := qgd0 + (0+0+ovD)*(-4-(-1))
		qgb1 := qgb0 + (cox/2+0+ovB)*(-1-2)
		if want := typ * (qgs1 + qgd1 + qgb1); !closeTo(v.Q[g], want, 1e-12) {
			t.Errorf("type %g: gate charge after the step %g, want %g", typ, v.Q[g], want)
		}
		if s := node(t, sys, "s"); !closeTo(v.Q[s], -typ*qgs1, 1e-12) {
			t.Errorf("type %g: source charge %g, want %g", typ, v.Q[s], -typ*qgs1)
		}
		// A rejected attempt leaves no trace: only Accept moves the history.
		mosLoad(devs, sys, at(5, 0), ModeTran, 0)
		m.Accept(&Context{X: x1, Mode: ModeTran})
		v = mosLoad(devs, sys, x1, ModeTran, 0)
		if want := typ * (qgs1 + qgd1 + qgb1); !closeTo(v.Q[g], want, 1e-12) {
			t.Errorf("type %g: gate charge at the accepted point %g, want %g", typ, v.Q[g], want)
		}
	}
	// Without tox there is no Meyer capacitance, only the overlaps.
	_, devs, sys := mosCircuit(t, "t\nM1 d g 0 0 m W=20u L=5u\n.model m nmos cgso=2n\n.end\n", DefaultEnv())
	v := mosLoad(devs, sys, nodeX(t, sys, map[string]float64{"g": 2, "d": 3}), ModeTranOP, 0)
	if want := 2e-9 * 20e-6 * 2; !closeTo(v.Q[node(t, sys, "g")], want, 1e-12) {
		t.Errorf("no tox: gate charge %g, want the overlap's %g", v.Q[node(t, sys, "g")], want)
	}
}

// TestMOSFETDepletionCharges checks the bulk-drain charge below and above fc*pb.
func TestMOSFETDepletionCharges(t *testing.T) {
	_, devs, sys := mosCircuit(t, "t\nM1 d 0 0 b m AD=10p PD=20u\n.model m nmos vto=5 cj=2e-4 cjsw=1e-10 mj=0.5 mjsw=0.33 pb=0.9 fc=0.5\n.end\n", DefaultEnv())
	cz, czsw, pb := 2e-4*10e-12, 1e-10*20e-6, 0.9
	q := func(v float64) float64 { // the depletion charge, exact below fc*pb
		return pb * (cz*(1-math.Pow(1-v/pb, 0.5))/0.5 + czsw*(1-math.Pow(1-v/pb, 1-0.33))/(1-0.33))
	}
	c := func(v float64) float64 { return cz*math.Pow(1-v/pb, -0.5) + czsw*math.Pow(1-v/pb, -0.33) }
	b := node(t, sys, "b")
	for _, vbd := range []float64{-3, -0.5, 0, 0.3} {
		v := mosLoad(devs, sys, nodeX(t, sys, map[string]float64{"b": vbd}), ModeTranOP, 0)
		if !closeTo(v.Q[b], q(vbd), 1e-12) {
			t.Errorf("vbd = %g: charge %g, want %g", vbd, v.Q[b], q(vbd))
		}
	}
	// Above fc*pb the capacitance continues linearly from its value and slope at fc*pb.
	fcpb, h := 0.45, 0.2
	v := mosLoad(devs, sys, nodeX(t, sys, map[string]float64{"b": fcpb + h}), ModeTranOP, 0)
	slope := (c(fcpb+1e-7) - c(fcpb-1e-7)) / 2e-7
	if want := q(fcpb) + c(fcpb)*h + slope*h*h/2; !closeTo(v.Q[b], want, 1e-6) {
		t.Errorf("above fc*pb: charge %g, want %g", v.Q[b], want)
	}
}

// TestMOSFETLimiting checks that a large Newton step is limited as ngspice limits it, that
// the limiting is reported, and that F at X is the linearization at the limited point.
func TestMOSFETLimiting(t *testing.T) {
	m, devs, sys := mosCircuit(t, "t\nM1 d g s b m W=10u L=2u\n.model m nmos vto=0.7 kp=50u lambda=0.02\n.end\n", DefaultEnv())
	start := nodeX(t, sys, map[string]float64{"d": 1, "g": 1, "b": -1})
	mosLoad(devs, sys, start, ModeOP, 1e-12)
	x := nodeX(t, sys, map[string]float64{"d": 8, "g": 9, "b": 0.9})
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, SrcFactor: 1, Gmin: 1e-12}
	m.Load(ctx)
	if !ctx.Limited {
		t.Fatal("a step of 8 V was not reported as limited")
	}
	// fetlim from vgs = 1 (middle region, von = 0.7): at most von + 4; vgd stays 1.
	if !closeTo(m.ev.vgs, 4.7, 1e-15) || !closeTo(m.ev.vds, 3.7, 1e-15) {
		t.Errorf("limited vgs, vds = %g, %g; want 4.7, 3.7", m.ev.vgs, m.ev.vds)
	}
	// pnjlim: vbs from -1 to 0.9 (above vcrit): vt log(0.9/vt) from a reverse-biased start.
	if want := m.vt * math.Log(0.9/m.vt); !closeTo(m.ev.vbs, want, 1e-14) {
		t.Errorf("limited vbs = %g, want %g", m.ev.vbs, want)
	}
	// F at X is the value at the limited point plus G times the rest of the way.
	lim := nodeX(t, sys, map[string]float64{"d": m.ev.vds, "g": m.ev.vgs, "b": m.ev.vbs})
	at := mosLoad(devs, sys, lim, ModeOP, 1e-12)
	for i := 1; i <= sys.N; i++ {
		want := at.F[i]
		for k := 0; k < sys.Pattern.NNZ(); k++ {
			if r, c := sys.Pattern.At(k); r+1 == i {
				want += at.G[k+1] * (x[c+1] - lim[c+1])
			}
		}
		if !closeTo(ctx.F[i], want, 1e-12) {
			t.Errorf("F[%s] = %g, the linearization gives %g", sys.Unknowns[i].Label(), ctx.F[i], want)
		}
	}
	// A small step is not limited.
	small := append([]float64(nil), lim...)
	small[node(t, sys, "g")] += 0.01
	ctx = &Context{X: small, Values: sys.NewValues(), Mode: ModeOP, SrcFactor: 1}
	m.Load(ctx)
	if ctx.Limited {
		t.Error("a 10 mV step was reported as limited")
	}
}

// TestMOSFETInitialVoltages checks SPICE's starting voltages of an operating point.
func TestMOSFETInitialVoltages(t *testing.T) {
	cases := []struct {
		line, model   string
		vgs, vds, vbs float64
	}{
		{"M1 d g s b m", ".model m nmos vto=0.8 gamma=0.5", 0.8, 0, -1},
		{"M1 d g s b m", ".model m pmos vto=-0.8 gamma=0.5", 0.8, 0, -1},
		{"M1 d g s b m off", ".model m nmos vto=0.8", 0, 0, 0},
		{"M1 d g s b m IC=2, 1.5, -0.5", ".model m nmos vto=0.8", 1.5, 2, -0.5},
		{"M1 d g s b m IC=-2, -1.5", ".model m pmos vto=-0.8", 1.5, 2, 0},
		{"M1 d g s b m icvgs=3", ".model m nmos", 3, 0, 0},
	}
	for _, c := range cases {
		m, _, sys := mosCircuit(t, "t\n"+c.line+"\n"+c.model+"\n.end\n", DefaultEnv())
		ctx := &Context{X: make([]float64, sys.N+1), Values: sys.NewValues(), Mode: ModeOP,
			SrcFactor: 1, FirstIteration: true, InitJunctions: true}
		m.Load(ctx)
		if m.ev.vgs != c.vgs || m.ev.vds != c.vds || m.ev.vbs != c.vbs || !ctx.Limited {
			t.Errorf("%s: started at vgs %g vds %g vbs %g (limited %v), want %g %g %g",
				c.line, m.ev.vgs, m.ev.vds, m.ev.vbs, ctx.Limited, c.vgs, c.vds, c.vbs)
		}
	}
}

// TestMOSFETSeriesResistances checks rd and rs, and rsh times nrd and nrs, through
// internal nodes, and that rd=0 given wins over rsh.
func TestMOSFETSeriesResistances(t *testing.T) {
	cases := []struct {
		line, model string
		rd, rs      float64 // 0: no internal node
	}{
		{"M1 d g s b m", ".model m nmos rd=10 rs=20", 10, 20},
		{"M1 d g s b m m=2", ".model m nmos rd=10 rs=20", 5, 10},
		{"M1 d g s b m", ".model m nmos rsh=50", 50, 50},
		{"M1 d g s b m nrd=2 nrs=0", ".model m nmos rsh=50", 100, 0},
		{"M1 d g s b m", ".model m nmos rsh=50 rd=0", 0, 50},
		{"M1 d g s b m", ".model m nmos", 0, 0},
	}
	for _, c := range cases {
		m, devs, sys := mosCircuit(t, "t\n"+c.line+"\n"+c.model+"\n.end\n", DefaultEnv())
		_, hasD := sys.Lookup("v(m1#drain)")
		_, hasS := sys.Lookup("v(m1#source)")
		if hasD != (c.rd != 0) || hasS != (c.rs != 0) {
			t.Errorf("%s %s: internal drain %v source %v", c.line, c.model, hasD, hasS)
			continue
		}
		if c.rd != 0 {
			x := nodeX(t, sys, map[string]float64{"d": 1, "m1#drain": 0.4})
			v := mosLoad(devs, sys, x, ModeOP, 0)
			if want := 0.6 / c.rd; !closeTo(v.F[node(t, sys, "d")], want, 1e-12) {
				t.Errorf("%s %s: drain current %g, want %g", c.line, c.model, v.F[node(t, sys, "d")], want)
			}
		}
		if c.rs != 0 && !closeTo(m.gs, 1/c.rs, 1e-12) {
			t.Errorf("%s %s: source conductance %g, want %g", c.line, c.model, m.gs, 1/c.rs)
		}
	}
}

// TestMOSFETUIC checks that a uic transient starts the device from IC= where given and
// from the node voltages (.ic values) elsewhere, as ngspice's MOS1getic does.
func TestMOSFETUIC(t *testing.T) {
	m, _, sys := mosCircuit(t, "t\nM1 d g 0 b m W=20u L=5u IC=3\n.model m nmos vto=0.5 tox=10n cgso=2n\n.end\n", DefaultEnv())
	x := nodeX(t, sys, map[string]float64{"d": 1, "g": 2, "b": -1})
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTranOP, UIC: true, SrcFactor: 1}
	m.Load(ctx)
	// vds = 3 from IC=, vgs = 2 and vbs = -1 from the nodes: saturation, Meyer's cgs = 2 cox/3.
	if m.ev.vds != 3 || m.ev.vgs != 2 || m.ev.vbs != -1 {
		t.Errorf("started at vgs %g vds %g vbs %g, want 2 3 -1", m.ev.vgs, m.ev.vds, m.ev.vbs)
	}
	cox := 3.9 * 8.854214871e-12 / 10e-9 * 20e-6 * 5e-6
	if want := (2*cox/3 + 2e-9*20e-6) * 2; !closeTo(ctx.Q[node(t, sys, "g")], want, 1e-12) {
		t.Errorf("gate charge %g, want %g", ctx.Q[node(t, sys, "g")], want)
	}
	m.Accept(&Context{X: x, Mode: ModeTran})
	if m.meyerV != [3]float64{2, -1, 3} {
		t.Errorf("accepted vgs, vgd, vgb = %v; want 2, -1, 3", m.meyerV)
	}
}

func TestMOSFETErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nM1 d g s b m\n.model m nmos level=2 theta=0.1\n.end\n", `unknown MOSFET model parameter "theta"`},
		{"t\nM1 d g s b m\n.model m nmos level=3 ucrit=1e4\n.end\n", `unknown MOSFET model parameter "ucrit"`},
		{"t\nM1 d g s b m\n.model m nmos level=9\n.end\n", "MOSFET level 9 (model m, used by m1 at line 2) is not supported: levels 1 (Shichman-Hodges), 2, 3, 4 (BSIM1), 5 (BSIM2), 6, 8, 49, 14 and 54 are"},
		{"t\nM1 d g s b m L=1u\n.model m nmos level=3 xl=-1u\n.end\n", "l - 2*ld + xl"},
		{"t\nM1 d g s b m W=1u\n.model m nmos level=3 wd=0.5u\n.end\n", "w - 2*wd + xw"},
		{"t\nM1 d g s b m\n.model m nmos level=1 theta=0.1\n.end\n", `unknown MOSFET model parameter "theta"`},
		{"t\nM1 d g s b m\n.model m nmos level=49\n.end\n", "MOSFET level 49"},
		// The level is read first, wherever it stands.
		{"t\nM1 d g s b m\n.model m nmos(nsub=2.2e15 uo=575 ucrit=49k uexp=0.1 level=2 eta=1)\n.end\n", `unknown MOSFET model parameter "eta"`},
		{"t\nM1 d g s b m\n.model m nmos lamda=0.1\n.end\n", `unknown MOSFET model parameter "lamda" (model m, used by m1 at line 2); did you mean "lambda"?`},
		{"t\nM1 d g s b m\n.model m pmos vt=1\n.end\n", `did you mean "vto"?`},
		{"t\nM1 d g s b m ndr=2\n.model m nmos\n.end\n", `unknown MOSFET parameter "ndr" (on m1); did you mean "nrd"?`},
		{"t\nM1 d g s b m\n.model m d\n.end\n", `m1: model "m" (t.cir:3:1) is a "d" model, not a MOSFET model`},
		{"t\nM1 d g s b m2\n.model m nmos\n.end\n", `unknown model "m2"`},
		{"t\nM1 d g s b m\n.model m nmos phi=0\n.end\n", "phi must be positive"},
		{"t\nM1 d g s b m L=1u\n.model m nmos ld=0.5u\n.end\n", "effective channel length"},
		{"t\nM1 d g s b m W=0\n.model m nmos\n.end\n", "l, w and m must be positive"},
		{"t\nM1 d g s b m AD=-1p\n.model m nmos\n.end\n", "must not be negative"},
		{"t\nM1 d g s b m\n.model m nmos tox=10n nsub=1e9\n.end\n", "nsub = 1e+09 is not above"},
		{"t\nM1 d g s b m\n.model m nmos fc=1\n.end\n", "fc must be below 1"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice's MOS1 tables is accepted.
	model := ".model m nmos vto=1 vt0=1 kp=1u gamma=0 phi=0.6 lambda=0 rd=1 rs=1 cbd=0 cbs=0 is=1e-14 pb=0.8 " +
		"cgso=0 cgdo=0 cgbo=0 rsh=0 cj=0 mj=0.5 cjsw=0 mjsw=0.33 js=0 tox=1e-8 ld=0 u0=600 uo=600 fc=0.5 " +
		"nsub=1e16 tpg=1 nss=0 kf=0 af=1 tnom=27 level=1 nmos=1"
	line := "M1 d g s b m l=1u w=1u ad=1p as=1p pd=1u ps=1u nrd=1 nrs=1 m=1 icvds=0 icvgs=0 icvbs=0 temp=27 dtemp=0 ic=1,2,3 off"
	pc, err := parser.Parse("t.cir", []byte("t\n"+line+"\n"+model+"\n.end\n"))
	if err == nil {
		_, err = Build(context.Background(), pc, DefaultEnv())
	}
	if err != nil {
		t.Errorf("ngspice's parameter names: %v", err)
	}
	// And of MOS3's (lambda, which ngspice's level 3 ignores with a warning, too).
	model = strings.Replace(model, "level=1", "level=3", 1) + " theta=0 eta=0 kappa=0.2 vmax=0 nfs=0 xj=0 " +
		"delta=0 wd=0 xl=0 xw=0 delvto=0 delvt0=0 input_delta=0"
	pc, err = parser.Parse("t.cir", []byte("t\n"+line+"\n"+model+"\n.end\n"))
	if err == nil {
		_, err = Build(context.Background(), pc, DefaultEnv())
	}
	if err != nil {
		t.Errorf("ngspice's level 3 parameter names: %v", err)
	}
}

// TestMOSFETLoadAllocatesNothing: Load and Accept run in the Newton loop.
func TestMOSFETLoadAllocatesNothing(t *testing.T) {
	m, _, sys := mosCircuit(t, "t\nM1 d g s b m AD=1p AS=1p PD=4u PS=4u\n.model m nmos tox=10n cj=1e-4 cjsw=1e-10 mj=0.4 cgso=1n rd=10\n.end\n", DefaultEnv())
	x := nodeX(t, sys, map[string]float64{"d": 2, "g": 1.5, "b": -0.5})
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, SrcFactor: 1, Gmin: 1e-12}
	if n := testing.AllocsPerRun(100, func() { m.Load(ctx); m.Accept(ctx) }); n != 0 {
		t.Errorf("Load and Accept allocate %g times", n)
	}
	// Levels 3 and 2, with every term of their currents.
	for level, card := range map[int]string{
		3: "theta=0.1 eta=0.05 vmax=1e5 nfs=1e11 xj=0.2u delta=0.5",
		2: "ucrit=2e4 uexp=0.1 vmax=1e5 neff=2 nfs=1e11 xj=0.2u delta=0.5",
	} {
		ml, _, sysl := mosCircuit(t, fmt.Sprintf("t\nM1 d g s b m AD=1p AS=1p PD=4u PS=4u\n.model m nmos level=%d tox=10n nsub=1e16 %s "+
			"cj=1e-4 cgso=1n rd=10\n.end\n", level, card), DefaultEnv())
		xl := nodeX(t, sysl, map[string]float64{"d": 2, "g": 1.5, "b": -0.5})
		ctxl := &Context{X: xl, Values: sysl.NewValues(), Mode: ModeTran, SrcFactor: 1, Gmin: 1e-12}
		if n := testing.AllocsPerRun(100, func() { ml.Load(ctxl); ml.Accept(ctxl) }); n != 0 {
			t.Errorf("level %d: Load and Accept allocate %g times", level, n)
		}
	}
	// The merged stamps of tied sources, and bypassed loads.
	devs, ictx, in := mosInverterBench(t)
	for _, d := range devs {
		d.(*mosRun).SetBypass(BypassAll, 1e-3, 1e-6, 1e-12)
	}
	k := 0
	if n := testing.AllocsPerRun(100, func() {
		k++
		ictx.X[in] = 1.2 + 1e-9*float64(k&3)
		for _, d := range devs {
			d.Load(ictx)
		}
	}); n != 0 {
		t.Errorf("an inverter's loads allocate %g times", n)
	}
	if devs[0].(*mosRun).Bypassed() == 0 {
		t.Error("no load was bypassed")
	}
}

// mosInverterBench is a CMOS inverter of inverters200.cir's devices, loaded as in a
// transient step after an accepted point.
func mosInverterBench(tb testing.TB) ([]Loader, *Context, int) {
	netlist := "t\nMP out in vdd vdd pch W=4u L=0.5u AD=4p AS=4p PD=10u PS=10u\n" +
		"MN out in 0 0 nch W=2u L=0.5u AD=2p AS=2p PD=6u PS=6u\n" +
		".model nch nmos level=1 vto=0.6 kp=120u gamma=0.45 phi=0.7 lambda=0.05 tox=9n\n" +
		"+ cgso=0.3n cgdo=0.3n cgbo=0.2n cj=0.9m cjsw=0.25n mj=0.45 mjsw=0.3 pb=0.85 ld=0.05u\n" +
		".model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.08 tox=9n\n" +
		"+ cgso=0.3n cgdo=0.3n cgbo=0.2n cj=0.9m cjsw=0.25n mj=0.45 mjsw=0.3 pb=0.9 ld=0.05u\n.end\n"
	devs := parseAndBuild(tb, netlist, DefaultEnv())
	sys := setUp(devs).Build()
	run := NewRun(devs)
	x := make([]float64, sys.N+1)
	for name, v := range map[string]float64{"vdd": 3.3, "in": 1.2, "out": 2.9} {
		i, _ := sys.Lookup("v(" + name + ")")
		x[i] = v
	}
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTranOP, SrcFactor: 1, Gmin: 1e-12, FirstIteration: true}
	for _, d := range run {
		d.Load(ctx)
		d.(Accepter).Accept(ctx)
	}
	ctx.Mode, ctx.FirstIteration = ModeTran, false
	in, _ := sys.Lookup("v(in)")
	return run, ctx, in
}

// BenchmarkMOSFETLoad loads an inverter's two devices (ns/op is per device load).
func BenchmarkMOSFETLoad(b *testing.B) {
	devs, ctx, in := mosInverterBench(b)
	for i := 0; b.Loop(); i++ {
		ctx.X[in] = 1.2 + 1e-7*float64(i&7)
		for _, d := range devs {
			d.Load(ctx)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/load")
}

// mosTiedModels have every capacitance, so that the merged stamps of a source tied to
// its bulk meet every term.
const mosTiedModels = ".model nm nmos vto=0.7 kp=50u gamma=0.4 phi=0.6 lambda=0.05 tox=2n is=1e-14\n" +
	"+ cgso=1n cgdo=2n cgbo=0.5n cj=1e-3 cjsw=1e-9 mj=0.4 mjsw=0.3 pb=0.8 ld=0.1u\n" +
	".model nmrd nmos vto=0.7 kp=50u gamma=0.4 tox=2n rd=10 cbd=2p cbs=3p cgso=1n cgdo=1n\n" +
	".model nmj nmos vto=0.7 kp=50u gamma=0.4 cj=1e-3 cjsw=1e-9 mj=0.5 mjsw=0.5\n" +
	".model pm pmos vto=-0.8 kp=20u gamma=0.5 phi=0.7 lambda=0.03 tox=2n is=1e-14\n" +
	"+ cgso=1n cgdo=1n cgbo=1n cbd=2p cbs=3p mj=0.5 mjsw=0.5\n"

// TestMOSFETTiedStamps checks the stamps that merge a source tied to its bulk (on ground
// or on another node) against the general ones, which write every terminal's entries
// apart, over a sequence of loads in every analysis: the same to rounding.
func TestMOSFETTiedStamps(t *testing.T) {
	cases := []struct {
		line string
		tie  mosTie
	}{
		{"M1 d g 0 0 nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000", mosTieSBGround},
		{"M1 d g s s nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000", mosTieSB},
		{"M1 d g s s nmrd W=100u L=10u m=1000", mosTieSB},
		{"M1 d g 0 0 nmj W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000", mosTieSBGround},
		{"M1 d g s s pm W=100u L=10u m=1000", mosTieSB},
		{"M1 d g 0 0 pm W=100u L=10u m=1000", mosTieSBGround},
		{"M1 d g s b nm W=100u L=10u", mosTieNone},
		{"M1 d g d 0 nm W=100u L=10u", mosTieNone},
	}
	points := []map[string]float64{ // d, g, s; b follows s
		{"d": 3, "g": 2, "s": 0.5},
		{"d": 0.4, "g": 2.5, "s": 0},
		{"d": 0, "g": 3, "s": 1},    // reversed
		{"d": -0.5, "g": 1, "s": 0}, // reversed, bulk-drain forward
		{"d": 2, "g": -2, "s": 0},
		{"d": 0.01, "g": 0.6, "s": 0},
		{"d": -3, "g": -1, "s": -2.5},
	}
	for _, c := range cases {
		netlist := "t\n" + c.line + "\n" + mosTiedModels + ".end\n"
		a, devsA, sys := mosCircuit(t, netlist, DefaultEnv())
		b, devsB, _ := mosCircuit(t, netlist, DefaultEnv())
		if a.tie != c.tie {
			t.Fatalf("%s: tie %d, want %d", c.line, a.tie, c.tie)
		}
		b.tie = mosTieNone
		for _, p := range points {
			x := make([]float64, sys.N+1)
			for name, v := range p {
				if i, ok := sys.Lookup("v(" + name + ")"); ok {
					x[i] = v
				}
			}
			if i, ok := sys.Lookup("v(m1#drain)"); ok {
				x[i] = p["d"]
			}
			prev := append([]float64(nil), x...)
			if i, ok := sys.Lookup("v(g)"); ok {
				prev[i] += 0.4
			}
			if i, ok := sys.Lookup("v(d)"); ok {
				prev[i] -= 0.3
			}
			load := func(m *mosRun, x []float64, mode Mode, first bool) *mna.Values {
				ctx := &Context{X: x, Values: sys.NewValues(), Mode: mode, SrcFactor: 1, Gmin: 1e-12, FirstIteration: first}
				m.Load(ctx)
				return ctx.Values
			}
			for _, mode := range []Mode{ModeOP, ModeTranOP, ModeTran, ModeAC} {
				for _, m := range []*mosRun{a, b} {
					load(m, prev, ModeTranOP, true)
					m.Accept(&Context{X: prev, Mode: ModeTran})
				}
				// A first load at x, a limited one (from prev) and an ordinary one.
				for k, step := range []struct {
					x     []float64
					first bool
				}{{x, true}, {prev, false}, {x, false}, {x, false}} {
					va, vb := load(a, step.x, mode, step.first), load(b, step.x, mode, step.first)
					for name, pair := range map[string][2][]float64{"F": {va.F, vb.F}, "Q": {va.Q, vb.Q}, "G": {va.G, vb.G}, "C": {va.C, vb.C}} {
						scale := 0.0
						for i := 1; i < len(pair[1]); i++ {
							scale = math.Max(scale, math.Abs(pair[1][i]))
						}
						for i := 1; i < len(pair[0]); i++ {
							if d := math.Abs(pair[0][i] - pair[1][i]); d > 1e-14*scale {
								t.Errorf("%s at %v, mode %d, load %d: %s[%d] = %g merged, %g apart", c.line, p, mode, k, name, i, pair[0][i], pair[1][i])
							}
						}
					}
				}
			}
			// Finite differences, where no junction's forward current drowns them in rounding.
			mosLoad(devsA, sys, x, ModeTranOP, 0)
			if c.tie != mosTieNone && a.ev.vbd < 0.3 {
				t.Run(fmt.Sprintf("%s at %v", c.line, p), func(t *testing.T) {
					checkJacobian(t, devsA, sys, x, ModeTranOP)
				})
			}
			mosLoad(devsB, sys, x, ModeTranOP, 0)
		}
	}
}

// TestMOSFETRepeatedLoad checks that a load at exactly the voltages of the last
// evaluation, within a solve, reuses it (the values are the same to the bit), and that a
// first iteration, an Accept, a new analysis or gmin, or a limited evaluation evaluate.
func TestMOSFETRepeatedLoad(t *testing.T) {
	for _, line := range []string{
		"M1 d g s b nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000",
		"M1 d g 0 0 nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000",
		"M1 d g s s pm W=100u L=10u m=1000",
	} {
		netlist := "t\n" + line + "\n" + mosTiedModels + ".end\n"
		m, _, sys := mosCircuit(t, netlist, DefaultEnv())
		x := make([]float64, sys.N+1)
		for name, v := range map[string]float64{"d": 2, "g": 1.5, "s": 0.2, "b": -0.5} {
			if i, ok := sys.Lookup("v(" + name + ")"); ok {
				x[i] = m.typ * v
			}
		}
		load := func(x []float64, mode Mode, first bool, gmin float64) *mna.Values {
			ctx := &Context{X: x, Values: sys.NewValues(), Mode: mode, FirstIteration: first, Gmin: gmin}
			m.Load(ctx)
			return ctx.Values
		}
		same := func(a, b *mna.Values) bool {
			for _, p := range [][2][]float64{{a.F, b.F}, {a.Q, b.Q}, {a.G, b.G}, {a.C, b.C}} {
				for i := range p[0] {
					if math.Float64bits(p[0][i]) != math.Float64bits(p[1][i]) {
						return false
					}
				}
			}
			return true
		}
		load(x, ModeTranOP, true, 1e-12)
		m.Accept(&Context{X: x, Mode: ModeTran})
		steps := []struct {
			what      string
			mode      Mode
			first     bool
			gmin      float64
			evaluates bool
		}{
			{"a first iteration", ModeTran, true, 1e-12, true},
			{"the same point", ModeTran, false, 1e-12, false},
			{"again", ModeTran, false, 1e-12, false},
			{"a first iteration at the same point", ModeTran, true, 1e-12, true},
			{"a new gmin", ModeTran, false, 1e-9, true},
			{"another analysis", ModeOP, false, 1e-9, true},
			{"back in it", ModeOP, false, 1e-9, false},
		}
		var prev *mna.Values
		for _, st := range steps {
			before := m.evals
			v := load(x, st.mode, st.first, st.gmin)
			if evaluated := m.evals > before; evaluated != st.evaluates {
				t.Errorf("%s: %s: evaluated %v, want %v", line, st.what, evaluated, st.evaluates)
			}
			if !st.evaluates && !same(v, prev) {
				t.Errorf("%s: %s: the values differ from the evaluation's", line, st.what)
			}
			if st.what == "a first iteration at the same point" && !same(v, prev) {
				t.Errorf("%s: %s: a new evaluation at the same point differs", line, st.what)
			}
			prev = v
		}
		// After an Accept, and after a limited evaluation, the next load evaluates.
		load(x, ModeTran, true, 1e-12)
		m.Accept(&Context{X: x, Mode: ModeTran})
		before := m.evals
		load(x, ModeTran, false, 1e-12)
		if m.evals == before {
			t.Errorf("%s: reused an evaluation across an Accept", line)
		}
		big := append([]float64(nil), x...)
		big[node(t, sys, "g")] += m.typ * 8
		ctx := &Context{X: big, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12}
		m.Load(ctx)
		if !ctx.Limited {
			t.Fatalf("%s: a step of 8 V was not limited", line)
		}
		before = m.evals
		load(big, ModeTran, false, 1e-12)
		if m.evals == before {
			t.Errorf("%s: reused a limited evaluation", line)
		}
	}
}

// TestMOSFETJunctionReuse checks that an evaluation whose junction voltages did not move
// keeps their currents and charges exactly: every load gives, to the bit, what a fresh
// device gives at the same point, through changes of gmin and analysis.
func TestMOSFETJunctionReuse(t *testing.T) {
	for _, line := range []string{
		"M1 d g s b nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000",
		"M1 d g 0 0 nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000",
		"M1 d g s s pm W=100u L=10u m=1000",
	} {
		netlist := "t\n" + line + "\n" + mosTiedModels + ".end\n"
		m, _, sys := mosCircuit(t, netlist, DefaultEnv())
		at := func(vg float64, vd float64) []float64 {
			x := make([]float64, sys.N+1)
			for name, v := range map[string]float64{"d": vd, "g": vg, "s": 0.2, "b": -0.5} {
				if i, ok := sys.Lookup("v(" + name + ")"); ok {
					x[i] = m.typ * v
				}
			}
			return x
		}
		steps := []struct {
			what string
			x    []float64
			mode Mode
			gmin float64
		}{
			{"start", at(1.5, 2), ModeOP, 1e-12},
			{"the gate moves", at(1.7, 2), ModeOP, 1e-12},
			{"charges wanted", at(1.9, 2), ModeTranOP, 1e-12},
			{"a new gmin", at(2.1, 2), ModeTranOP, 1e-9},
			{"the gate moves again", at(2.3, 2), ModeAC, 1e-9},
			{"the drain moves", at(2.3, 2.5), ModeAC, 1e-9},
			{"a forward-biased drain junction", at(2.3, -0.9), ModeAC, 1e-9},
			{"the gate moves there", at(2.5, -0.9), ModeTranOP, 1e-9},
		}
		for _, st := range steps {
			ctx := &Context{X: st.x, Values: sys.NewValues(), Mode: st.mode, FirstIteration: true, Gmin: st.gmin}
			m.Load(ctx)
			fresh, _, _ := mosCircuit(t, netlist, DefaultEnv())
			want := &Context{X: st.x, Values: sys.NewValues(), Mode: st.mode, FirstIteration: true, Gmin: st.gmin}
			fresh.Load(want)
			for name, p := range map[string][2][]float64{"F": {ctx.F, want.F}, "Q": {ctx.Q, want.Q}, "G": {ctx.G, want.G}, "C": {ctx.C, want.C}} {
				for i := range p[0] {
					if math.Float64bits(p[0][i]) != math.Float64bits(p[1][i]) {
						t.Errorf("%s: %s: %s[%d] = %g, a fresh device gives %g", line, st.what, name, i, p[0][i], p[1][i])
					}
				}
			}
		}
	}
}

// TestMOSFETBypass checks ngspice's bypass: a load close to the last evaluation reuses it,
// carried to X along its tangents; a load farther away, a first iteration, the
// transient's initial point, AC, a new gmin, an Accept and a limited evaluation each
// evaluate anew; and bypass is off unless turned on.
func TestMOSFETBypass(t *testing.T) {
	for _, line := range []string{
		"M1 d g s b nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000",
		"M1 d g 0 0 nm W=100u L=10u AD=100p AS=80p PD=40u PS=30u m=1000",
		"M1 d g s s pm W=100u L=10u m=1000",
	} {
		netlist := "t\n" + line + "\n" + mosTiedModels + ".end\n"
		m, _, sys := mosCircuit(t, netlist, DefaultEnv())
		ref, _, _ := mosCircuit(t, netlist, DefaultEnv()) // never bypasses
		x0 := make([]float64, sys.N+1)
		for name, v := range map[string]float64{"d": 2, "g": 1.5, "s": 0.2, "b": -0.5} {
			if i, ok := sys.Lookup("v(" + name + ")"); ok {
				x0[i] = v
			}
		}
		if m.typ < 0 {
			for i := range x0 {
				x0[i] = -x0[i]
			}
		}
		g := node(t, sys, "g")
		near := append([]float64(nil), x0...)
		near[g] += 2e-7
		far := append([]float64(nil), x0...)
		far[g] += 0.05
		far2 := append([]float64(nil), x0...)
		far2[g] += 5e-7

		type load struct {
			what     string
			x        []float64
			mode     Mode
			first    bool
			gmin     float64
			bypassed bool
		}
		seq := []load{
			{"first iteration", x0, ModeTran, true, 1e-12, false},
			{"a step of 0.2 uV", near, ModeTran, false, 1e-12, true},
			{"back (the evaluated point: no bypass needed)", x0, ModeTran, false, 1e-12, false},
			{"a step of 50 mV", far, ModeTran, false, 1e-12, false},
			{"a step of 0.2 uV from there", x0, ModeTran, false, 1e-12, false},
			{"again", near, ModeTran, false, 1e-12, true},
			{"farther, within the tolerance", far2, ModeTran, false, 1e-12, true},
			{"a new gmin", near, ModeTran, false, 1e-9, false},
			{"a first iteration", near, ModeTran, true, 1e-9, false},
			{"the initial point", near, ModeTranOP, true, 1e-9, false},
			{"the initial point again", x0, ModeTranOP, false, 1e-9, false},
			{"AC", near, ModeAC, false, 1e-9, false},
			{"OP", near, ModeOP, false, 1e-9, false},
			{"OP again", x0, ModeOP, false, 1e-9, true},
		}
		m.SetBypass(BypassAll, 1e-3, 1e-6, 1e-12)
		for _, d := range []*mosRun{m, ref} {
			d.Load(&Context{X: x0, Values: sys.NewValues(), Mode: ModeTranOP, FirstIteration: true, Gmin: 1e-12})
			d.Accept(&Context{X: x0, Mode: ModeTran})
		}
		var last *mna.Values // the values of the last full evaluation of m
		var lastX []float64
		for _, l := range seq {
			before := m.Bypassed()
			ctx := &Context{X: l.x, Values: sys.NewValues(), Mode: l.mode, FirstIteration: l.first, Gmin: l.gmin}
			m.Load(ctx)
			rctx := &Context{X: l.x, Values: sys.NewValues(), Mode: l.mode, FirstIteration: l.first, Gmin: l.gmin}
			ref.Load(rctx)
			if got := m.Bypassed() > before; got != l.bypassed {
				t.Errorf("%s: %s: bypassed %v, want %v", line, l.what, got, l.bypassed)
				continue
			}
			if !l.bypassed {
				last, lastX = ctx.Values, l.x
				for name, pair := range map[string][2][]float64{"F": {ctx.F, rctx.F}, "Q": {ctx.Q, rctx.Q}, "G": {ctx.G, rctx.G}, "C": {ctx.C, rctx.C}} {
					for i := range pair[0] {
						if pair[0][i] != pair[1][i] {
							t.Errorf("%s: %s: %s[%d] = %g, a device without bypass has %g", line, l.what, name, i, pair[0][i], pair[1][i])
						}
					}
				}
				continue
			}
			// Bypassed: G and C as evaluated, F and Q carried along them to X; and close
			// to what a full evaluation gives.
			for i := range last.G {
				if ctx.G[i] != last.G[i] || ctx.C[i] != last.C[i] {
					t.Errorf("%s: %s: G, C[%d] = %g, %g; evaluated %g, %g", line, l.what, i, ctx.G[i], ctx.C[i], last.G[i], last.C[i])
				}
			}
			wantF := append([]float64(nil), last.F...)
			wantQ := append([]float64(nil), last.Q...)
			for k := 0; k < sys.Pattern.NNZ(); k++ {
				r, c := sys.Pattern.At(k)
				wantF[r+1] += last.G[k+1] * (l.x[c+1] - lastX[c+1])
				wantQ[r+1] += last.C[k+1] * (l.x[c+1] - lastX[c+1])
			}
			for i := 1; i <= sys.N; i++ {
				if !closeTo(ctx.F[i], wantF[i], 1e-9) || !closeTo(ctx.Q[i], wantQ[i], 1e-9) {
					t.Errorf("%s: %s: F, Q[%d] = %g, %g; the linearization gives %g, %g", line, l.what, i, ctx.F[i], ctx.Q[i], wantF[i], wantQ[i])
				}
				if !closeTo(ctx.F[i], rctx.F[i], 1e-5) || !closeTo(ctx.Q[i], rctx.Q[i], 1e-5) {
					t.Errorf("%s: %s: F, Q[%d] = %g, %g; evaluated anew %g, %g", line, l.what, i, ctx.F[i], ctx.Q[i], rctx.F[i], rctx.Q[i])
				}
			}
		}

		// After an Accept the next load evaluates: the Meyer charges moved.
		m.Load(&Context{X: x0, Values: sys.NewValues(), Mode: ModeTran, FirstIteration: true, Gmin: 1e-12})
		m.Accept(&Context{X: x0, Mode: ModeTran})
		before := m.Bypassed()
		m.Load(&Context{X: near, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12})
		if m.Bypassed() != before {
			t.Errorf("%s: bypassed right after an Accept", line)
		}
		// A limited evaluation is not reused.
		m.Load(&Context{X: far, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12})
		big := append([]float64(nil), x0...)
		big[g] += 8
		ctx := &Context{X: big, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12}
		m.Load(ctx)
		if !ctx.Limited {
			t.Fatalf("%s: a step of 8 V was not limited", line)
		}
		ctx = &Context{X: big, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12}
		m.Load(ctx)
		if m.Bypassed() != before {
			t.Errorf("%s: reused a limited evaluation", line)
		}
		// Off again: never.
		m.SetBypass(BypassOff, 1e-3, 1e-6, 1e-12)
		before = m.Bypassed()
		for range 3 {
			m.Load(&Context{X: x0, Values: sys.NewValues(), Mode: ModeTran, Gmin: 1e-12})
		}
		if n := m.Bypassed() - before; n != 0 {
			t.Errorf("%s: bypassed %d loads with bypass off", line, n)
		}
	}
}
