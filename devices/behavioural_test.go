package devices

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

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
			t.Errorf("%T: %v", d, f.Fault())
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
		{"C1 a 0 C={1p*(1+v(a))} ic=1\nR1 a 0 1", "ic is not supported on a capacitor whose value is an expression"},
		{"R1 a 0 R={1k*temper} temp=30", "temp is not supported on a resistor whose value is an expression"},
		{"C1 a 0 C='1p*(1+v(a))' rmod\nR1 a 0 1\n.model rmod r", "a capacitor whose value is an expression takes no model"},
		{"R1 a 0 R='1k*(1+v(a))' dtemp=3", "t.cir:2:24: r1: dtemp is not supported on a resistor whose value is an expression (ngspice ignores it there)"},
		{"L1 a 0 L='1m*(1+v(a))' tc=0.1", "t.cir:2:24: l1: tc is not supported on an inductor whose value is an expression"},
		// m is a multiplier: positive, on every behavioural source as on G and F.
		{"B1 a 0 V=v(a) m=0\nR1 a 0 1", "t.cir:2:15: b1: m must be positive, got 0"},
		{"B1 a 0 I=v(a) m=-1\nR1 a 0 1", "t.cir:2:15: b1: m must be positive, got -1"},
		{"E1 a 0 value={v(a)} m=0\nR1 a 0 1", "t.cir:2:21: e1: m must be positive, got 0"},
		{"G1 a 0 value={v(a)} m=-2\nR1 a 0 1", "t.cir:2:21: g1: m must be positive, got -2"},
		{"R1 a 0 R={1k*(1+v(a))} m=0", "t.cir:2:24: r1: m must be positive, got 0"},
		// reciproctc and reciprocm are flags.
		{"B1 a 0 V=v(a) reciproctc=2\nR1 a 0 1", "t.cir:2:15: b1: reciproctc is a flag: 0 or 1, got 2"},
		{"B1 a 0 V=v(a) reciprocm=0.5\nR1 a 0 1", "t.cir:2:15: b1: reciprocm is a flag: 0 or 1, got 0.5"},
	} {
		c2, err := parser.Parse("t.cir", []byte("t\n"+c.netlist+"\n.end\n"))
		if err != nil {
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: parser: %v", c.netlist, err)
			}
			continue
		}
		_, err = Build(context.Background(), c2, DefaultEnv())
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
	devs, err := Build(context.Background(), c, env)
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
	v := evaluate(NewRun(devs), sys, make([]float64, sys.N+1), ModeOP, 0)
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
		if tc := out.Elements[1].Params()[0].Value; math.Abs(tc-temp/1000) > 1e-15 {
			t.Errorf("at %g C: tc1 = %g", temp, tc)
		}
		if _, err := Build(context.Background(), c, env); err != nil {
			t.Fatal(err)
		}
	}
	if is := c.Models["dt"].Params[0].Value; is != 27e-12 {
		t.Errorf("the circuit's model changed: is = %g", is)
	}
}

// TestBehaviouralPassiveTemperature: tc1 and tc2 on an R, C or L whose value is an
// expression scale it as ngspice's translation into a B source does, from 27 C whatever
// tnom is: R and L by the factor 1 + tc1 dT + tc2 dT^2, C divided by it (ngspice 39
// gives R = 1230 ohm for R={1k+v(1)*0} tc1=0.01 at 50 C, and a capacitance of 1u/1.23
// for C={1u+v(c)*0} tc1=0.01); m divides R and L and multiplies C. An expression of
// temper only is scaled the same way.
func TestBehaviouralPassiveTemperature(t *testing.T) {
	const f = 1 + 0.01*23 + 1e-4*23*23 // tc1=0.01 tc2=1e-4 at 50 C
	for _, c := range []struct {
		line string
		want float64 // resistance, capacitance or inductance
	}{
		{"R1 a 0 R={1k+v(a)*0} tc1=0.01", 1230},
		{"R1 a 0 R={1k+v(a)*0} tc1=0.01 tc2=1e-4 m=2", 1000 * f / 2},
		{"R1 a 0 R={1k*temper/50} tc1=0.01 tc2=1e-4", 1000 * f},
		{"C1 a 0 C={1u+v(a)*0} tc1=0.01 tc2=1e-4 m=2", 2e-6 / f},
		{"C1 a 0 C={1u*temper/50} tc1=0.01", 1e-6 / 1.23},
		{"L1 a 0 L={1m+v(a)*0} tc1=0.01 tc2=1e-4 m=2", 1e-3 * f / 2},
		{"L1 a 0 L={1m*temper/50} tc1=0.01", 1e-3 * 1.23},
	} {
		c2, err := parser.Parse("t.cir", []byte("t\n"+c.line+"\nR9 a 0 1\n.options tnom=40\n.end\n"))
		if err != nil {
			t.Fatal(err)
		}
		env := DefaultEnv()
		env.Temp, env.TNom = 50, 40
		devs, err := Build(context.Background(), c2, env)
		if err != nil {
			t.Errorf("%s: %v", c.line, err)
			continue
		}
		if got := elementValue(t, devs[0]); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("%s: %.9g, want %.9g", c.line, got, c.want)
		}
	}
}

// elementValue is the resistance, capacitance or inductance of a device built from an R,
// C or L line, read from its load: at v = 1 V for a resistor, at dv/dt = 1 V/s for a
// capacitor, at di/dt = 1 A/s for an inductor.
func elementValue(t *testing.T, d Device) float64 {
	t.Helper()
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	d.Setup(b)
	sys := b.Build()
	x := make([]float64, sys.N+1)
	a, _ := sys.Lookup("v(a)")
	switch d := d.(type) {
	case *Resistor:
		return 1 / d.g
	case *Capacitor:
		return d.c
	case *Inductor:
		return d.l
	case *BehaviouralSource:
		x[a] = 1
		return 1 / evaluate(NewRun([]Device{d}), sys, x, ModeTran, 0).F[a]
	case *BehaviouralCapacitor:
		x[d.s] = 1
		return evaluate(NewRun([]Device{d}), sys, x, ModeTran, 0).F[a]
	case *BehaviouralInductor:
		x[d.s] = 1
		return -evaluate(NewRun([]Device{d}), sys, x, ModeTran, 0).F[d.k]
	}
	t.Fatalf("%s: unexpected %T", d.Name(), d)
	return 0
}

// TestBehaviouralHertzOutsideAC: hertz is 0 outside .ac, so an R, C or L whose value
// reads hertz (and nothing else that changes during a run) must be a valid element at
// hertz = 0 when the netlist has another analysis: R={1k*hertz} is a short there, which
// ngspice cannot solve either. In a netlist with .ac only, it is a valid resistor at
// every frequency.
func TestBehaviouralHertzOutsideAC(t *testing.T) {
	for _, c := range []struct{ netlist, want string }{
		{"R1 a 0 R={1k*hertz}\n.op", "t.cir:2:10: r1: at hertz = 0, its value outside .ac (the netlist has .op): resistance must be finite and not zero, got 0"},
		{"L1 a 0 L={1m/hertz}\nR1 a 0 1\n.tran 1u 1m", "t.cir:2:10: l1: at hertz = 0, its value outside .ac (the netlist has .tran): division by zero"},
		{"R1 a 0 R={1k*hertz}\n.ac dec 1 1 10", ""},
		{"R1 a 0 R={1k*(1+hertz)}\n.op", ""},
		{"C1 a 0 C={1n*hertz}\nR1 a 0 1\n.op", ""},
	} {
		c2, err := parser.Parse("t.cir", []byte("t\n"+c.netlist+"\n.end\n"))
		if err != nil {
			t.Fatalf("%s: %v", c.netlist, err)
		}
		_, err = Build(context.Background(), c2, DefaultEnv())
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.netlist, err)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s: got %v, want %q", c.netlist, err, c.want)
		}
	}
}

// TestBehaviouralStandIn: ln(0) loads ngspice's -1e99 with no fault, and StandIn says
// so, naming the element, the subexpression and the probe (an error at a solution); a
// value in the domain clears it. A fault at the iteration's starting point says so.
func TestBehaviouralStandIn(t *testing.T) {
	devs, sys := diodeBuild(t, "t\nV1 a 0 2\nB1 b 0 V={ln(v(a))}\nR1 b 0 1\n.end\n", DefaultEnv())
	x := make([]float64, sys.N+1)
	a, _ := sys.Lookup("v(a)")
	k, _ := sys.Lookup("i(b1)")
	v := evaluate(devs, sys, x, ModeOP, 0)
	b1 := devs[1].(Faulter)
	if err := b1.Fault(); err != nil {
		t.Errorf("fault at ln(0): %v", err)
	}
	if v.F[k] != 1e99 {
		t.Errorf("F[i(b1)] = %g at ln(0), want v(b) - (-1e99) = 1e99", v.F[k])
	}
	err := b1.StandIn()
	for _, want := range []string{"t.cir:3:10", "b1:", "ln(v(a))", "ln(0)", "v(a) = 0"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("stand-in %v does not say %q", err, want)
		}
	}
	x[a] = 2
	evaluate(devs, sys, x, ModeOP, 0)
	if err := b1.StandIn(); err != nil {
		t.Errorf("the stand-in stayed: %v", err)
	}

	devs, sys = diodeBuild(t, "t\nV1 a 0 2\nB1 b 0 V={sqrt(v(a)-1)}\nR1 b 0 1\n.end\n", DefaultEnv())
	x = make([]float64, sys.N+1)
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, SrcFactor: 1, FirstIteration: true, InitJunctions: true}
	for _, d := range devs {
		d.Load(ctx)
	}
	if err := devs[1].(Faulter).Fault(); err == nil || !strings.Contains(err.Error(), "sqrt(-1)) with v(a) = 0, where the iteration starts") {
		t.Errorf("fault at the start: %v", err)
	}
}

// TestBehaviouralUnlimited: an expression of the unknowns limits nothing, one of time
// alone is no function of them (the transient gives the first ngspice's Newton budget).
func TestBehaviouralUnlimited(t *testing.T) {
	devs, _ := build(t, "t\nV1 a 0 1\nB1 b 0 V={2.5*tanh(200*v(a))}\nB2 c 0 V={sin(1k*time)}\n"+
		"E1 d 0 vol={v(a)*v(a)}\nR1 b 0 1\nR2 c 0 1\nR3 d 0 1\n.end\n")
	for i, want := range map[int]bool{0: false, 1: true, 2: false, 3: true, 4: false} {
		u, ok := devs[i].(Unlimited)
		if got := ok && u.Unlimited(); got != want {
			t.Errorf("device %d: unlimited %v, want %v", i, got, want)
		}
	}
}

// TestBehaviouralDdt runs ddt() in a B source, a behavioural C and a behavioural L
// through accepted points: each keeps its own history, Accept and Load allocate
// nothing, and ddt is 0 at the initial point and the slope of the last two accepted
// points after.
func TestBehaviouralDdt(t *testing.T) {
	devs, sys := build(t, `ddt
V1 a 0 1
B1 b 0 V = ddt(v(a))
R1 b 0 1
C1 a c C={1 + ddt(v(a))}
R2 c 0 1
L1 c d L={1 + ddt(v(a))}
R3 d 0 1
.end
`)
	x := make([]float64, sys.N+1)
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTranOP, SrcFactor: 1}
	accept := func(time, va float64) {
		ctx.Time, x[1] = time, va // node a is the first
		for _, d := range devs {
			if a, ok := d.(Accepter); ok {
				a.Accept(ctx)
			}
		}
	}
	accept(0, 1)
	ctx.Mode = ModeTran
	accept(1e-9, 2)
	accept(2e-9, 4)
	ctx.Time = 3e-9
	ctx.Values.Clear()
	for _, d := range devs {
		d.Load(ctx)
	}
	b1 := devs[1].(*behaviouralSourceRun)
	if got, want := b1.run.ws.Value(), 2/1e-9; math.Abs(got-want) > 1e-6*want {
		t.Errorf("ddt(v(a)) = %g, want %g", got, want)
	}
	for _, k := range []int{3, 5} {
		if _, ok := devs[k].(Accepter); !ok {
			t.Errorf("%T keeps no ddt history", devs[k])
		}
	}
	k := 0
	if n := testing.AllocsPerRun(100, func() {
		k++
		accept(3e-9+float64(k)*1e-9, float64(k))
		ctx.Values.Clear()
		for _, d := range devs {
			d.Load(ctx)
		}
	}); n != 0 {
		t.Errorf("Accept and Load allocate %g times", n)
	}
}
