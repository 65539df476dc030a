package synapse

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// buildDevices parses a netlist and builds its devices.
func buildDevices(t *testing.T, netlist string) []devices.Device {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := devices.Build(context.Background(), c, devices.DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	return devs
}

// setup reserves the devices' unknowns in one fresh system.
func setup(devs ...devices.Device) *mna.System {
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for _, d := range devs {
		d.Setup(b)
	}
	return b.Build()
}

const level4 = `synapse
vpre pre 0 0
vpost post 0 0
ysynapse s1 pre post sm gmax=2m
.model sm synapse level=4 vthresh=0.5 delay=1m gmax=1m erev=-0.07 tau1=0.1m tau2=2m
.end
`

func findSynapse(t *testing.T, devs []devices.Device) *Synapse {
	t.Helper()
	for _, d := range devs {
		if s, ok := d.(*Synapse); ok {
			return s
		}
	}
	t.Fatal("no synapse built")
	return nil
}

// presynaptic is a pre voltage with spikes (rising through 0.5 V) at known times: a
// sawtooth sampled at the accepted points of the hand-driven runs below.
func presynaptic(t float64) float64 {
	// Rises from 0 to 1 over each 0.4 ms, at periods of 0.7 ms: crossings at
	// 0.2 ms + k 0.7 ms.
	ph := math.Mod(t, 0.7e-3)
	if ph < 0.4e-3 {
		return ph / 0.4e-3
	}
	return 0
}

// TestSplitMatchesWhole drives the whole synapse and its split pair by hand through the
// same accepted points (the sender's events delivered at synchronization points spaced
// by the delay, as a partitioned transient would) and compares their loads at candidate
// points between them, and their breakpoints.
func TestSplitMatchesWhole(t *testing.T) {
	devs := buildDevices(t, level4)
	whole := findSynapse(t, devs)
	if send, recv := whole.LinkNodes(); len(send) != 1 || send[0] != "pre" || len(recv) != 1 || recv[0] != "post" {
		t.Fatalf("LinkNodes = %v, %v", send, recv)
	}
	if whole.MinDelay() != 1e-3 {
		t.Fatalf("MinDelay = %g", whole.MinDelay())
	}
	sender, receiver := whole.Split()
	sysW := setup(whole)
	sysS := setup(sender, receiver)
	wr := whole.NewRun()
	sr := devices.NewLoader(sender).(devices.EventSender)
	rr := devices.NewLoader(receiver)
	if _, ok := rr.(devices.EventReceiver); !ok {
		t.Fatal("the receiver's run is not an EventReceiver")
	}
	if _, ok := rr.(devices.Breakpointer); !ok {
		t.Fatal("the receiver's run is not a Breakpointer")
	}
	// The sender loads nothing.
	xS := make([]float64, sysS.N+1)
	vals := sysS.NewValues()
	ctxS := &devices.Context{X: xS, Values: vals, Mode: devices.ModeTran}
	sl := sr.(devices.Loader)
	xS[1], xS[2] = 0.9, 0.3
	sl.Load(ctxS)
	for i, f := range vals.F {
		if f != 0 {
			t.Fatalf("the sender loaded F[%d] = %g", i, f)
		}
	}

	xW := make([]float64, sysW.N+1)
	ctxW := &devices.Context{X: xW, Values: sysW.NewValues(), Mode: devices.ModeTran}
	preW, postW := whole.a, whole.b
	recv := receiver.(*Receiver)
	preS, postS := sender.(*Sender).a, recv.b

	const h = 37e-6 // accepted step: not a divisor of anything in the waveform
	nextSync := whole.MinDelay()
	var events []float64
	compared, spikes := 0, 0
	for k := 0; k <= 200; k++ {
		tm := float64(k) * h
		vpre, vpost := presynaptic(tm), -0.05+0.01*math.Sin(tm*3e3)
		// Accept the point on both.
		xW[preW], xW[postW] = vpre, vpost
		xS[preS], xS[postS] = vpre, vpost
		ctxW.Time, ctxS.Time = tm, tm
		wr.(devices.Accepter).Accept(ctxW)
		sl.(devices.Accepter).Accept(ctxS)
		rr.(devices.Accepter).Accept(ctxS)
		// Exchange at the synchronization points: everything emitted up to now.
		if tm >= nextSync {
			events = sr.TakeEvents(events[:0])
			for _, e := range events {
				rr.(devices.EventReceiver).Deliver(e)
			}
			spikes += len(events)
			nextSync += whole.MinDelay()
		}
		// Breakpoints past the exchange agree (the receiver knows every event that acts
		// before the next synchronization point).
		bw := wr.(devices.Breakpointer).NextBreakpoint(tm, devices.Timing{})
		bs := rr.(devices.Breakpointer).NextBreakpoint(tm, devices.Timing{})
		if bw < nextSync && bw != bs {
			t.Fatalf("t = %g: whole's next breakpoint %g, receiver's %g", tm, bw, bs)
		}
		// Loads at a candidate point half a step on.
		for _, c := range []*devices.Context{ctxW, ctxS} {
			c.Values.Clear()
			c.Time = tm + h/2
		}
		xW[postW], xS[postS] = vpost+0.001, vpost+0.001
		wr.Load(ctxW)
		rr.Load(ctxS)
		fw, fs := ctxW.F[postW], ctxS.F[postS]
		if fw != fs || ctxW.G[whole.hbb] != ctxS.G[recv.hbb] {
			t.Fatalf("t = %g: whole loads F %g G %g, receiver F %g G %g", tm+h/2, fw, ctxW.G[whole.hbb], fs, ctxS.G[recv.hbb])
		}
		if fw != 0 {
			compared++
		}
	}
	// Spikes at 0.2, 0.9, 1.6, ... ms up to 7.4 ms: 11 of them; most arrivals inside.
	if spikes < 9 || compared < 100 {
		t.Fatalf("only %d spikes exchanged and %d nonzero loads compared", spikes, compared)
	}
	t.Logf("%d spikes exchanged, %d nonzero loads identical", spikes, compared)
}

// TestDetectInterpolates checks the crossing time of a linear ramp between two points,
// and that a node starting above the threshold has not spiked.
func TestDetectInterpolates(t *testing.T) {
	l := &link{vthresh: 0.5, a: 1}
	d := detector{link: l}
	x := []float64{0, 0.8}
	ctx := &devices.Context{X: x, Time: 0}
	if _, ok := d.detect(ctx); ok {
		t.Fatal("a node that starts above the threshold spiked")
	}
	x[1], ctx.Time = 0.2, 1e-3
	if _, ok := d.detect(ctx); ok {
		t.Fatal("a falling node spiked")
	}
	x[1], ctx.Time = 0.6, 2e-3
	tc, ok := d.detect(ctx)
	want := 1e-3 + (0.5-0.2)/(0.6-0.2)*1e-3
	if !ok || math.Abs(tc-want) > 1e-18 {
		t.Fatalf("crossing at %g (%v), want %g", tc, ok, want)
	}
	x[1], ctx.Time = 0.9, 3e-3
	if _, ok := d.detect(ctx); ok {
		t.Fatal("a node staying above the threshold spiked again")
	}
}

// TestLoadAllocs: loading, accepting and finding breakpoints allocate nothing.
func TestLoadAllocs(t *testing.T) {
	devs := buildDevices(t, level4+`ysynapse s2 pre post pm
.model pm synapse level=3 vthresh=0.5 p=0.5 wmin=0 wmax=1 winit=0.5
`)
	sys := setup(devs...)
	runs := devices.NewRun(devs)
	x := make([]float64, sys.N+1)
	ctx := &devices.Context{X: x, Values: sys.NewValues(), Mode: devices.ModeTran}
	pre, _ := sys.Lookup("v(pre)")
	tm := 0.0
	allocs := testing.AllocsPerRun(200, func() {
		tm += 1e-5
		x[pre] = presynaptic(tm)
		ctx.Time = tm
		for _, r := range runs {
			r.Load(ctx)
			if a, ok := r.(devices.Accepter); ok {
				a.Accept(ctx)
			}
			if b, ok := r.(devices.Breakpointer); ok {
				b.NextBreakpoint(tm, devices.Timing{})
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("%g allocations per load and accept", allocs)
	}
}

func TestSynapseErrors(t *testing.T) {
	for _, c := range []struct{ netlist, want string }{
		{"ysynapse s1 a b sm\n.model sm synapse level=5\n", "level=5 is not supported"},
		{"ysynapse s1 a b sm\n.model sm synapse level=4 altd=1\n", `unknown synapse model (level 4) parameter "altd"`},
		{"ysynapse s1 a b sm gmax=-1\n.model sm synapse\n", "gmax must not be negative"},
		{"ysynapse s1 a b sm foo=1\n.model sm synapse\n", `unknown synapse parameter "foo"`},
		{"ysynapse s1 a a sm\n.model sm synapse\n", "presynaptic and postsynaptic nodes are both a"},
		{"ysynapse s1 a b sm\n.model sm synapse delay=0\n", "delay must be positive"},
		{"ysynapse s1 a b sm\n.model sm nmos\n", "not a synapse model"},
		{"ysynapse s1 a b sm p=2\n.model sm synapse level=3\n", "p must lie in [0, 1]"},
		{"ysynapse s1 a b sm\n.model sm synapse level=3 wmin=0 wmax=1 winit=2\n", "winit must lie in [wmin, wmax]"},
	} {
		c1, err := parser.Parse("t.cir", []byte("t\nva a 0 0\nvb b 0 0\n"+c.netlist+".end\n"))
		if err == nil {
			_, err = devices.Build(context.Background(), c1, devices.DefaultEnv())
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "t.cir:") {
			t.Errorf("%q: error %v, want one at t.cir naming %q", c.netlist, err, c.want)
		}
	}
}

// TestLearningRuleByHand drives a level-3 synapse through three accepted points and
// compares its weight with the rule worked by hand (e^-1 = 0.36787944117144233).
func TestLearningRuleByHand(t *testing.T) {
	for _, c := range []struct {
		p     string
		wants [3]float64
	}{
		// t = 1 ms: v(pre) = 1 > s and vl1 = 1 > r: dw/dt = -altd (vl1 - r) = -2, so
		// w = 0.5 - 2e-3 = 0.498; vl3 = 1 - e^-1 = 0.6321205588.
		// t = 2 ms: v(pre) = 0, v(post) = 1 > s, vl2 = 1: dw/dt = altp vl3 (1 - s) (vl2 - r)
		// = 10 * 0.6321205588 * 0.5 = 3.160602794, so w = 0.498 + 3.160602794e-3.
		{"1", [3]float64{0.5, 0.498, 0.498 + 3.160602794e-3}},
		// Not transmitted: the spike at 0.5 ms stops the learning from then on.
		{"0", [3]float64{0.5, 0.498, 0.498}},
	} {
		devs := buildDevices(t, `plastic
vpre pre 0 0
vpost post 0 0
ysynapse s1 pre post pm p=`+c.p+`
.model pm synapse level=3 vthresh=0.5 delay=10m s=0.5 r=0 altd=2 altp=10 l1tau=1m l2tau=1m l3tau=1m wmin=0 wmax=1 winit=0.5
.end
`)
		var d *Plastic
		for _, dv := range devs {
			if p, ok := dv.(*Plastic); ok {
				d = p
			}
		}
		sys := setup(devs...)
		r := d.NewRun()
		x := make([]float64, sys.N+1)
		ctx := &devices.Context{X: x, Values: sys.NewValues(), Mode: devices.ModeTran}
		for k, pt := range []struct{ t, vpre, vpost float64 }{{0, 0, 1}, {1e-3, 1, 1}, {2e-3, 0, 1}} {
			x[d.a], x[d.b], ctx.Time = pt.vpre, pt.vpost, pt.t
			r.(devices.Accepter).Accept(ctx)
			if got := x[d.w]; math.Abs(got-c.wants[k]) > 1e-12 {
				t.Errorf("p=%s, t = %g: w = %.12g, want %.12g", c.p, pt.t, got, c.wants[k])
			}
		}
		// The weight's equation holds state(s1.w) at the rule's value; the spike at
		// 0.5 ms arrives at 10.5 ms when transmitted.
		bp := r.(devices.Breakpointer).NextBreakpoint(2e-3, devices.Timing{})
		if want := map[string]float64{"1": 10.5e-3, "0": math.Inf(1)}[c.p]; math.Abs(bp-want) > 1e-15 && bp != want {
			t.Errorf("p=%s: next breakpoint %g, want %g", c.p, bp, want)
		}
		x[d.w] = 0
		ctx.Values.Clear()
		r.Load(ctx)
		if f := ctx.F[d.w]; math.Abs(f+c.wants[2]) > 1e-12 {
			t.Errorf("p=%s: F[w] = %g at w = 0, want %g", c.p, f, -c.wants[2])
		}
	}
}

// TestTransmissionProbability: over many spikes the fraction transmitted is about p,
// and a run repeats its draws.
func TestTransmissionProbability(t *testing.T) {
	devs := buildDevices(t, `p
vpre pre 0 0
vpost post 0 0
ysynapse s1 pre post pm
.model pm synapse level=3 vthresh=0.5 delay=1u p=0.3 wmin=0 wmax=1 winit=0.5
.end
`)
	d := devs[2].(*Plastic)
	sys := setup(devs...)
	count := func() int {
		r := d.NewRun().(*plasticRun)
		x := make([]float64, sys.N+1)
		ctx := &devices.Context{X: x, Values: sys.NewValues(), Mode: devices.ModeTran}
		n := 0
		for k := 0; k < 4000; k++ {
			x[d.a], ctx.Time = float64(k%2), float64(k)*1e-3
			r.Accept(ctx)
			if k%2 == 1 && r.transmitted { // every odd point is a spike
				n++
			}
		}
		return n
	}
	n := count()
	// 2000 spikes, binomial with p = 0.3: standard deviation 20.5; allow 5 of them.
	if math.Abs(float64(n)-600) > 103 {
		t.Fatalf("%d of 2000 spikes transmitted, want about 600", n)
	}
	if m := count(); m != n {
		t.Fatalf("a second run transmitted %d, the first %d", m, n)
	}
	t.Logf("%d of 2000 spikes transmitted (p = 0.3)", n)
}

const fanIn = `fan-in
vpre pre 0 0
vpre2 pre2 0 0
vpost post 0 0
ysynapse s1 pre post sm gmax=2m
ysynapse s2 pre2 post sm gmax=0.5m
ysynapse s3 pre post slow
ysynapse s4 pre post other
.model sm synapse level=4 vthresh=0.5 delay=1m gmax=1m erev=-0.07 tau1=0.1m tau2=2m
.model slow synapse level=4 vthresh=0.5 delay=1.7m gmax=3m erev=-0.07 tau1=0.1m tau2=2m
.model other synapse level=4 vthresh=0.5 delay=1m gmax=1m erev=0 tau1=0.1m tau2=2m
.end
`

// TestPoolMatchesSeparate delivers the same events, out of time order across the
// synapses as an exchange may, to a Pool of three synapses and to their three separate
// receivers: the pool loads their sum and lands on the earliest of their arrivals.
func TestPoolMatchesSeparate(t *testing.T) {
	var syn []*Synapse
	for _, d := range buildDevices(t, fanIn) {
		if s, ok := d.(*Synapse); ok {
			syn = append(syn, s)
		}
	}
	s1, s2, s3, s4 := syn[0], syn[1], syn[2], syn[3]
	if s1.SendKey() != s3.SendKey() || s1.SendKey() == s2.SendKey() {
		t.Fatalf("send keys %q %q %q: want s1 = s3 != s2", s1.SendKey(), s2.SendKey(), s3.SendKey())
	}
	if s1.ReceiveKey() != s2.ReceiveKey() || s1.ReceiveKey() != s3.ReceiveKey() || s1.ReceiveKey() == s4.ReceiveKey() {
		t.Fatalf("receive keys %q %q %q %q: want s1 = s2 = s3 != s4", s1.ReceiveKey(), s2.ReceiveKey(), s3.ReceiveKey(), s4.ReceiveKey())
	}
	group := []devices.SharedLink{s1, s2, s3}
	pool := s1.SharedReceiver(group)
	var sep []devices.Device
	for _, s := range group {
		_, r := s.(*Synapse).Split()
		sep = append(sep, r)
	}
	sysP, sysS := setup(pool), setup(sep...)
	pr := devices.NewLoader(pool)
	ports, ok := pr.(devices.EventPorts)
	if !ok {
		t.Fatal("the pool's run is not an EventPorts")
	}
	var srs []devices.Loader
	for _, d := range sep {
		srs = append(srs, devices.NewLoader(d))
	}
	ctxP := &devices.Context{X: make([]float64, sysP.N+1), Values: sysP.NewValues(), Mode: devices.ModeTran}
	ctxS := &devices.Context{X: make([]float64, sysS.N+1), Values: sysS.NewValues(), Mode: devices.ModeTran}
	postP, postS := pool.(*Pool).b, sep[0].(*Receiver).b
	// Emission times per synapse, delivered synapse by synapse at each exchange.
	emitted := [][]float64{{0.2e-3, 2.1e-3, 2.2e-3}, {0.1e-3, 2.15e-3}, {0.05e-3, 0.3e-3, 2.0e-3}}
	const h = 23e-6
	worst, compared := 0.0, 0
	for k := 0; k <= 300; k++ {
		tm := float64(k) * h
		if k%43 == 0 { // an exchange: everything emitted in the last interval
			for i, ts := range emitted {
				for _, e := range ts {
					if e <= tm && e > tm-43*h {
						ports.Port(i).Deliver(e)
						srs[i].(devices.EventReceiver).Deliver(e)
					}
				}
			}
		}
		ctxP.Time, ctxS.Time = tm, tm
		pr.(devices.Accepter).Accept(ctxP)
		bs := math.Inf(1)
		for _, r := range srs {
			r.(devices.Accepter).Accept(ctxS)
			bs = min(bs, r.(devices.Breakpointer).NextBreakpoint(tm, devices.Timing{}))
		}
		if bp := pr.(devices.Breakpointer).NextBreakpoint(tm, devices.Timing{}); bp != bs {
			t.Fatalf("t = %g: pool's next breakpoint %g, the earliest of the separate ones %g", tm, bp, bs)
		}
		ctxP.Values.Clear()
		ctxS.Values.Clear()
		ctxP.Time, ctxS.Time = tm+h/2, tm+h/2
		ctxP.X[postP], ctxS.X[postS] = 0.05, 0.05
		pr.Load(ctxP)
		for _, r := range srs {
			r.Load(ctxS)
		}
		fp, fs := ctxP.F[postP], ctxS.F[postS]
		if fs != 0 {
			compared++
			worst = max(worst, math.Abs(fp-fs)/math.Abs(fs))
		} else if fp != 0 {
			t.Fatalf("t = %g: the pool loads %g where the separate receivers load nothing", tm+h/2, fp)
		}
	}
	// Measured 4.5e-16 (the pool sums the same terms in another order).
	if compared < 200 || worst > 5e-15 {
		t.Fatalf("%d loads compared, worst relative difference %.3g", compared, worst)
	}
	t.Logf("%d loads compared, worst relative difference %.3g", compared, worst)
}
