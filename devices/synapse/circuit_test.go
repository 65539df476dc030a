package synapse_test

import (
	"context"
	"math"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/devices/synapse"
)

// TestConductanceTimeCourse runs a level-4 synapse in a transient: a presynaptic pulse
// train whose linear ramps cross vthresh at known times (the transient lands on the
// ramps' corners, so the interpolated crossing is exact), and a postsynaptic node held at
// 1 V, so that i(vpost) = -g(t) (1 V - erev). The conductance must be the sum of the
// analytic double exponentials, the later events overlapping the earlier ones' tails,
// and the transient must land on every arrival.
func TestConductanceTimeCourse(t *testing.T) {
	sim, err := gospice.Parse("syn.cir", `level-4 synapse against its analytic form
vpre pre 0 pulse(0 1 1m 10u 10u 100u 700u)
vpost post 0 1
ysynapse s1 pre post sm gmax=2m
.model sm synapse level=4 vthresh=0.5 delay=1m gmax=1m erev=-0.07 tau1=0.1m tau2=1m
.tran 10u 5m
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	tm := res.Scale()
	i, _ := res.Vector("i(vpost)")
	// Crossings halfway up each 10 us ramp: 1.005 ms + k 0.7 ms, up to 4.5 ms.
	var arrivals []float64
	for k := 0; ; k++ {
		ta := 1.005e-3 + float64(k)*0.7e-3 + 1e-3
		if ta > 5e-3 {
			break
		}
		arrivals = append(arrivals, ta)
	}
	landed := 0
	worst, peak := 0.0, 0.0
	for n, tt := range tm {
		g := 0.0
		for _, ta := range arrivals {
			g += synapse.Conductance(tt-ta, 2e-3, 1e-4, 1e-3)
			if math.Abs(tt-ta) < 1e-15 {
				landed++
			}
		}
		want := -g * (1 + 0.07)
		worst = max(worst, math.Abs(i[n]-want))
		peak = max(peak, math.Abs(want))
	}
	t.Logf("%d arrivals, %d landed on; worst |i - analytic| %.3g A of a peak %.3g A", len(arrivals), landed, worst, peak)
	if landed != len(arrivals) {
		t.Errorf("the transient landed on %d of %d arrivals", landed, len(arrivals))
	}
	// Measured 2.4e-17 A (of a peak 4.4e-3 A): rounding of the sums of exponentials.
	if worst > 3e-16 || peak < 2e-3 {
		t.Errorf("worst error %g A of a peak %g A", worst, peak)
	}
}

// TestConductancePeak: one event peaks at gmax, at the analytic peak time.
func TestConductancePeak(t *testing.T) {
	tau1, tau2 := 1e-4, 1e-3
	tp := tau1 * tau2 / (tau2 - tau1) * math.Log(tau2/tau1)
	if g := synapse.Conductance(tp, 3e-3, tau1, tau2); math.Abs(g-3e-3) > 1e-18 {
		t.Fatalf("peak %g, want 3e-3", g)
	}
	for _, s := range []float64{0.9 * tp, 1.1 * tp} {
		if g := synapse.Conductance(s, 3e-3, tau1, tau2); g >= 3e-3 {
			t.Fatalf("g(%g) = %g is above the peak", s, g)
		}
	}
	if g := synapse.Conductance(-1e-9, 3e-3, tau1, tau2); g != 0 {
		t.Fatalf("g before the arrival = %g", g)
	}
}

// TestWeightOutput: state(s1.w) of a level-3 synapse is an output, and runs at once
// repeat each other.
func TestWeightOutput(t *testing.T) {
	sim, err := gospice.Parse("w.cir", `level-3 weight
vpre pre 0 pulse(0 1 1m 10u 10u 2m 5m)
vpost post 0 pulse(0 1 1.5m 10u 10u 3m 5m)
ysynapse s1 pre post pm
.model pm synapse level=3 vthresh=0.5 delay=1m s=0.5 r=0.1 altd=1 altp=20 l1tau=1m l2tau=2m l3tau=1m wmin=0 wmax=1 winit=0.5
.save state(s1.w)
.tran 10u 20m
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	a := sim.Analyses()[0]
	// Two runs at once (go test -race): each has its own weight and stream.
	var r2 *gospice.Result
	var err2 error
	done := make(chan struct{})
	go func() {
		r2, err2 = sim.Collect(context.Background(), a)
		close(done)
	}()
	r1, err := sim.Collect(context.Background(), a)
	<-done
	if err != nil || err2 != nil {
		t.Fatal(err, err2)
	}
	w1, ok := r1.Vector("state(s1.w)")
	w2, _ := r2.Vector("state(s1.w)")
	if !ok || len(w1) != len(w2) {
		t.Fatal("no state(s1.w), or runs of different lengths")
	}
	moved := false
	for k := range w1 {
		if w1[k] != w2[k] {
			t.Fatalf("runs differ at point %d: %g, %g", k, w1[k], w2[k])
		}
		if w1[k] < 0 || w1[k] > 1 {
			t.Fatalf("w = %g outside [wmin, wmax]", w1[k])
		}
		moved = moved || w1[k] != 0.5
	}
	if !moved {
		t.Fatal("the weight never changed")
	}
	t.Logf("w: %g -> %g", w1[0], w1[len(w1)-1])
}
