package network

import (
	"context"
	"math"
	"testing"

	"github.com/gospice/gospice"
)

// TestSTDPSign runs stdp-team.cir, a 2x2 array of TEAM memristor synapses driven by
// bipolar pre- and post-synaptic spikes, and checks that each synapse changes by the
// order of its spikes: pre before post strengthens (x and R fall), post before pre
// weakens (x and R rise), spikes that do not overlap change nothing (one spike alone
// stays below the current thresholds, where dx/dt is exactly 0).
func TestSTDPSign(t *testing.T) {
	sim, err := gospice.ParseFile("stdp-team.cir")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	change := func(name string) (first, last, delta float64) {
		v, ok := r.Vector(name)
		if !ok {
			t.Fatalf("no vector %s", name)
		}
		return v[0], v[len(v)-1], v[len(v)-1] - v[0]
	}
	for _, c := range []struct {
		syn, order string
		sign       int // of the change of x and of R
	}{
		{"y11", "pre 1 ms before post", -1},
		{"y21", "post 1 ms before pre", +1},
		{"y12", "apart by 8 ms", 0},
		{"y22", "apart by 6 ms", 0},
	} {
		x0, x1, dx := change("state(" + c.syn + ".x)")
		r0, r1, dr := change("@" + c.syn + "[r]")
		t.Logf("%s (%s): x %.4g -> %.4g, R %.5g -> %.5g ohms", c.syn, c.order, x0, x1, r0, r1)
		switch {
		// Without overlap dx/dt is exactly 0; x moves only by Newton's rounding (measured
		// 6.7e-16).
		case c.sign == 0 && (math.Abs(dx) > 1e-12 || math.Abs(dr) > 1e-6):
			t.Errorf("%s (%s): changed by %g in x, %g ohms; want no change", c.syn, c.order, dx, dr)
		case c.sign < 0 && !(dx < -0.05 && dr < 0):
			t.Errorf("%s (%s): x changed by %g, R by %g; want both to fall (x by more than 0.05)", c.syn, c.order, dx, dr)
		case c.sign > 0 && !(dx > 0.05 && dr > 0):
			t.Errorf("%s (%s): x changed by %g, R by %g; want both to rise (x by more than 0.05)", c.syn, c.order, dx, dr)
		}
	}
}
