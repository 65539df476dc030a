package network

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/gospice/gospice"
)

// stimulated is one neuron of recurrent100.cir driven by the stimulus synapse alone,
// up to just after its first spike (151.86 ms), with an extra line and the options.
func stimulated(extra, options string) string {
	return `one neuron of recurrent100.cir and its stimulus
.model dm memristor level=diffusive
.model nm nmos level=1 vto=0.22 kp=7.5e-4
.model sp synapse level=4 vthresh=0.3 delay=1m gmax=1m erev=0.9 tau1=20u tau2=200u
.global vdd
.subckt neuron in g
YMEMRISTOR y1 in g dm
Cg g 0 10p
Rc g 0 50meg
M1 d g 0 0 nm W=1u L=1u
Rl vdd d 47k
.ends
Vdd vdd 0 0.5
Vstim stim 0 PULSE(0 1 0 1u 1u 1m 2m)
Xn0 in0 g0 neuron
Rs0 s0 0 100k
Es0 in0 0 s0 0 1
YSYNAPSE st0 stim s0 sp
` + extra + `
.spikes v(g0) level=0.3 hyst=0.1
.save v(g0)
.tran 10u 0.155 uic
` + options + `
.end
`
}

// firstSpike is the time of the first spike of a netlist's run.
func firstSpike(t *testing.T, text string) float64 {
	t.Helper()
	sim, err := gospice.Parse("stimulated.cir", text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Stats.Spikes) == 0 {
		t.Fatal("no spike")
	}
	return res.Stats.Spikes[0].Time
}

// TestModesDifferByCorners finds why a partitioned run and one system put a neuron's
// first spike microseconds apart at any reltol from 1e-3 to 1e-5 (3.7e-6 s; the
// recurrent network's first differing spike then does not move with reltol). Both
// integrate the same equations; they differ in the corners at which the integration
// restarts (at first order, with a small step): one system stops at the stimulus
// source's corners (0, 1 us, 1.001 ms, 1.002 ms in every 2 ms), which the neuron's block
// does not have, and the block at the synchronization points (every 1 ms), which one
// system does not have.
//   - Given the same corners, the two modes give the same spike to 1e-10 s.
//   - Between corners the neuron's steps are bound by tmax (10 us), not by the truncation
//     error, down to reltol 1e-6: so reltol does not control the difference. Below it it
//     does: at 1e-7 and 1e-9 the modes are 5.6e-7 and 6.5e-9 s apart, and both within
//     1.1e-6 and 1.5e-8 s of a run at tmax 0.1 us, reltol 1e-6 (151.85703 ms).
func TestModesDifferByCorners(t *testing.T) {
	if testing.Short() {
		t.Skip("eight runs of 155 ms of a neuron")
	}
	mode := func(reltol float64, partition int) string {
		return fmt.Sprintf(".options reltol=%g partition=%d", reltol, partition)
	}
	// A corner every 1 ms in one system, and the stimulus's corners in the neuron's
	// block (a copy of the supply stim, through 1e15 ohm).
	ms := "Vdum dum 0 PULSE(0 1 0 1m 1m 0 2m)\nRdum dum 0 1k"
	stim := "Rdum stim s0 1e15"
	a := firstSpike(t, stimulated(ms, mode(1e-3, 0)))
	b := firstSpike(t, stimulated(stim, mode(1e-3, 1)))
	t.Logf("the same corners: one system %.12g s, partitioned %.12g s, %.3g s apart", a, b, math.Abs(a-b))
	if math.Abs(a-b) > 1e-9 { // measured 4e-11 s
		t.Errorf("with the same corners the modes' first spikes are %.3g s apart", math.Abs(a-b))
	}

	apart := map[float64]float64{}
	for _, rt := range []float64{1e-3, 1e-7, 1e-9} {
		w := firstSpike(t, stimulated("", mode(rt, 0)))
		p := firstSpike(t, stimulated("", mode(rt, 1)))
		apart[rt] = math.Abs(w - p)
		t.Logf("reltol %g: one system %.12g s, partitioned %.12g s, %.3g s apart", rt, w, p, apart[rt])
	}
	if apart[1e-3] < 1e-6 { // measured 3.7e-6 s
		t.Errorf("at reltol 1e-3 the modes are %.3g s apart: the corners no longer matter?", apart[1e-3])
	}
	if apart[1e-7] > apart[1e-3]/3 || apart[1e-9] > apart[1e-7]/10 || apart[1e-9] > 6.5e-8 { // measured 5.6e-7, 6.5e-9
		t.Errorf("the modes' difference does not shrink with reltol: %v", apart)
	}
}

// TestCornersWhole: with .options corners=whole the neuron's block restarts at the
// stimulus source's corners (which are another block's) and lands on the synchronization
// points without a restart, so it integrates with one system's corners: its first spike
// is one system's within 1e-9 s at reltol 1e-3 and 1e-5, where the block's own corners
// put it 3.7e-6 s away (TestModesDifferByCorners).
func TestCornersWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("four runs of 155 ms of a neuron")
	}
	for _, rt := range []float64{1e-3, 1e-5} {
		w := firstSpike(t, stimulated("", fmt.Sprintf(".options reltol=%g partition=0", rt)))
		p := firstSpike(t, stimulated("", fmt.Sprintf(".options reltol=%g partition=1 corners=whole", rt)))
		t.Logf("reltol %g: one system %.12g s, corners=whole %.12g s, %.3g s apart", rt, w, p, math.Abs(w-p))
		if math.Abs(w-p) > 3e-9 { // measured 1.2e-10 s (1e-3), 2.8e-10 s (1e-5)
			t.Errorf("reltol %g: with corners=whole the modes' first spikes are %.3g s apart", rt, math.Abs(w-p))
		}
	}
}
