package netlists_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// bsim3NQSDeck is an inverter of the BSIM3 QA cards' 5 um transistors (their relaxation
// time near 1 ns) driving a load and, through an nmos pass transistor that conducts both
// ways, a capacitor; 10 ps input edges. nqs is the transistors' nqsmod.
func bsim3NQSDeck(ncard, pcard string, nqs int) string {
	return fmt.Sprintf(`* bsim3 tran nqs inverter
.model qn nmos level=8 version=3.3.0
%s
.model qp pmos level=8 version=3.3.0
%s
vdd vdd 0 1.8
vin in 0 pulse(0 1.8 0.2n 10p 10p 2n 4n)
mp out in vdd vdd qp w=10e-6 l=5e-6 m=2 nqsmod=%d
mn out in 0 0 qn w=10e-6 l=5e-6 nqsmod=%[3]d
mt out vdd c 0 qn w=10e-6 l=5e-6 nqsmod=%[3]d
cc c 0 50f
cl out 0 50f
.tran 2p 4.5n
.end
`, ncard, pcard, nqs)
}

// TestBSIM3NQSTranCrossNgspice runs the inverter with nqsmod=1 in gospice and in ngspice
// 39. Measured (v(out), v(c), of their swings): gospice from ngspice 5.6e-5, 2.4e-4;
// ngspice from its own tight run (reltol=1e-6 abstol=1e-15 vntol=1e-9 chgtol=1e-18;
// measured once, 2 minutes on a loaded machine, so not repeated here) 4.9e-4, 7.8e-4;
// gospice from ngspice's tight run 4.9e-4, 1.0e-3: gospice is within ngspice's own
// accuracy. The quasi-static waveforms are 49% and 700% of the swing away. Between the
// edges, v(out) and the input current agree to 1.1e-4 of their values.
func TestBSIM3NQSTranCrossNgspice(t *testing.T) {
	ncard, pcard := bsim3QACard(t, "nmos", nil), bsim3QACard(t, "pmos", nil)
	if !crosscheck.Available() {
		t.Skip("ngspice not installed")
	}
	t.Parallel()
	deck := bsim3NQSDeck(ncard, pcard, 1)
	g := crosscheck.MustRun(t, deck, "tran")
	qs := crosscheck.MustRun(t, bsim3NQSDeck(ncard, pcard, 0), "tran")
	vecs := []string{"v(out)", "v(c)", "i(vin)"}
	w := crosscheck.MustNgspice(t, deck, "tran", vecs)
	for _, c := range []struct {
		vec string
		tol float64 // of the swing: ten times the measured difference
	}{{"v(out)", 6e-4}, {"v(c)", 2.4e-3}} {
		ms, err := crosscheck.Compare(w, g, []string{c.vec}, 1e-3)
		if err != nil {
			t.Fatal(err)
		}
		fromQS, _ := crosscheck.Compare(w, qs, []string{c.vec}, 1e-3)
		t.Logf("%s: gospice from ngspice %v; the quasi-static run %v", c.vec, ms[0], fromQS[0])
		if ms[0].Relative() > c.tol {
			t.Errorf("%s: %v, more than %g of the swing", c.vec, ms[0], c.tol)
		}
		if fromQS[0].Relative() < 10*c.tol {
			t.Errorf("%s: the quasi-static waveform is within %v of the non-quasi-static one: no test of NQS", c.vec, fromQS[0])
		}
	}
	for _, tt := range []float64{0.5e-9, 1e-9, 2e-9} {
		for _, vec := range []string{"v(out)", "i(vin)"} {
			want := crosscheck.Interpolate(w.Cols[0], w.Col(vec), tt)
			got := crosscheck.Interpolate(g.Cols[0], g.Col(vec), tt)
			e := math.Abs(got-want) / math.Abs(want)
			t.Logf("%s at %g s: gospice %.7g, ngspice %.7g (%.2g)", vec, tt, got, want, e)
			if e > 1.5e-3 {
				t.Errorf("%s at %g s: gospice %g, ngspice %g", vec, tt, got, want)
			}
		}
	}
}

// TestBSIM3NQSACCrossNgspice compares nqsmod=1's small-signal model (the deficit node's)
// and acnqsmod=1's with ngspice's on a 5 um transistor from 1 MHz to 100 GHz, where they
// are far from the quasi-static admittances. Measured: 2.5e-11 of |Y| (3e-12 quasi-static).
func TestBSIM3NQSACCrossNgspice(t *testing.T) {
	card := bsim3QACard(t, "nmos", nil)
	if !crosscheck.Available() {
		t.Skip("ngspice not installed")
	}
	deck := func(inst string) string {
		return fmt.Sprintf(`* bsim3 ac nqs
.model qn nmos level=8 version=3.3.0
%s
vd d 0 1.8
vg g 0 1.2 ac 1
m1 d g 0 0 qn w=10e-6 l=5e-6 %s
.ac dec 10 1e6 1e11
.end
`, card, inst)
	}
	vecs := []string{"i(vd)", "i(vg)"}
	qs := crosscheck.MustRun(t, deck(""), "ac")
	for _, inst := range []string{"nqsmod=1", "acnqsmod=1", "nqsmod=1 acnqsmod=1"} {
		g := crosscheck.MustRun(t, deck(inst), "ac")
		w := crosscheck.MustNgspice(t, deck(inst), "ac", vecs)
		for k, vec := range vecs {
			wre, wim := w.Cols[1+2*k], w.Cols[2+2*k]
			gre, gim := g.Col("re("+vec+")"), g.Col("im("+vec+")")
			qre, qim := qs.Col("re("+vec+")"), qs.Col("im("+vec+")")
			if len(gre) != len(wre) {
				t.Fatalf("%s: %d points from gospice, %d from ngspice", vec, len(gre), len(wre))
			}
			worst, fromQS := 0.0, 0.0
			for i := range wre {
				mag := math.Hypot(wre[i], wim[i])
				worst = math.Max(worst, math.Hypot(gre[i]-wre[i], gim[i]-wim[i])/mag)
				fromQS = math.Max(fromQS, math.Hypot(qre[i]-wre[i], qim[i]-wim[i])/mag)
			}
			t.Logf("%q %s: worst %.3g of |Y| from ngspice; quasi-static %.3g away", inst, vec, worst, fromQS)
			if worst > 3e-10 {
				t.Errorf("%q %s: %.3g of |Y| from ngspice", inst, vec, worst)
			}
			if fromQS < 0.5 {
				t.Errorf("%q %s: within %.3g of the quasi-static admittance: no test of NQS", inst, vec, fromQS)
			}
		}
	}
}
