package bsim4

import (
	"fmt"
	"math"
	"regexp"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// withParams sets parameters of a card text whose lines are "+ name = value" (the QA
// parameter files), adding the ones it has not.
func withParams(card string, set map[string]string) string {
	for name, v := range set {
		re := regexp.MustCompile(`(?m)^\+\s*` + name + `\s*=.*$`)
		if re.MatchString(card) {
			card = re.ReplaceAllString(card, "+ "+name+" = "+v)
		} else {
			card += "\n+ " + name + " = " + v
		}
	}
	return card
}

// nqsACDeck is a long-channel transistor of the QA card (its relaxation time near 1 ns)
// in saturation, its gate driven by the AC source: the drain and gate currents over
// 1 MHz - 100 GHz, where the non-quasi-static response departs from the quasi-static one.
func nqsACDeck(card string, mods map[string]string) string {
	return fmt.Sprintf(`* bsim4 ac nqs
%s
vd d 0 1.2
vg g 0 1.0 ac 1
m1 d g 0 0 qa w=10e-6 l=10e-6
.ac dec 10 1e6 1e11
.end
`, withParams(card, mods))
}

// TestACNQSCrossNgspice compares acnqsmod=1's admittances with ngspice's (with the QA
// card's gate resistor, rgatemod 1, and with rgatemod 2, whose conductance enters the
// relaxation time), and checks that at these frequencies they are far from the
// quasi-static ones.
func TestACNQSCrossNgspice(t *testing.T) {
	card := sharedCard(t, "tests/bsim4/nmos/parameters/nmosParameters", ".model qa nmos level=14 version=4.8.1")
	if !crosscheck.Available() {
		t.Skip("ngspice not installed")
	}
	vecs := []string{"i(vd)", "i(vg)"}
	qs := crosscheck.MustRun(t, nqsACDeck(card, nil), "ac")
	for _, c := range []struct {
		mods map[string]string
		tol  float64 // of |Y|: measured 3.6e-11 (rgatemod 1) and 6.6e-9 (rgatemod 2)
	}{
		{map[string]string{"acnqsmod": "1"}, 4e-10},
		{map[string]string{"acnqsmod": "1", "rgatemod": "2"}, 7e-8},
	} {
		deck := nqsACDeck(card, c.mods)
		g := crosscheck.MustRun(t, deck, "ac")
		w := crosscheck.MustNgspice(t, deck, "ac", vecs)
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
				e := math.Hypot(gre[i]-wre[i], gim[i]-wim[i]) / mag
				worst = math.Max(worst, e)
				fromQS = math.Max(fromQS, math.Hypot(qre[i]-wre[i], qim[i]-wim[i])/mag)
				if e > c.tol {
					t.Errorf("%v %s at %g Hz: %g%+gj, ngspice %g%+gj", c.mods, vec, w.Cols[0][i], gre[i], gim[i], wre[i], wim[i])
				}
			}
			t.Logf("%v %s: worst difference from ngspice %.3g of |Y|; the quasi-static admittance is %.3g of |Y| away", c.mods, vec, worst, fromQS)
			if fromQS < 0.5 {
				t.Errorf("%v %s: the non-quasi-static admittance is within %.3g of the quasi-static one: no test of NQS", c.mods, vec, fromQS)
			}
		}
	}
}

// nqsInverterDeck is an inverter of the QA cards' long-channel transistors (the pfet
// with m=2) driving a load and, through an nmos pass transistor that conducts both ways
// (its source and drain exchange roles as the output rises and falls), a capacitor; the
// input has 10 ps edges, far shorter than the channels' relaxation time (about 0.5 ns).
func nqsInverterDeck(ncard, pcard string, mods map[string]string) string {
	return fmt.Sprintf(`* bsim4 tran nqs inverter
%s
%s
vdd vdd 0 1.2
vin in 0 pulse(0 1.2 0.2n 10p 10p 2n 4n)
mp out in vdd vdd qp w=10e-6 l=5e-6 m=2
mn out in 0 0 qn w=10e-6 l=5e-6
mt out vdd c 0 qn w=10e-6 l=5e-6
cc c 0 50f
cl out 0 50f
.tran 2p 4.5n
.end
`, withParams(ncard, mods), withParams(pcard, mods))
}

// TestTranNQSCrossNgspice runs the inverter with trnqsmod=1 in gospice and in ngspice 39.
// Measured (v(out), v(c), of their swings): gospice from ngspice 4.7e-4, 6.9e-4;
// ngspice from its own tight run (reltol=1e-6 abstol=1e-15 vntol=1e-9 chgtol=1e-18;
// measured once, 30 s on a loaded machine, so not repeated here) 7.1e-4, 4.1e-4; gospice
// from ngspice's tight run 8.9e-4, 2.8e-4: gospice is within ngspice's own accuracy. The
// worst differences are at the 10 ps edges; between them the waveforms and the input
// current (the gates' relaxation currents) agree to about 1e-4.
func TestTranNQSCrossNgspice(t *testing.T) {
	ncard := sharedCard(t, "tests/bsim4/nmos/parameters/nmosParameters", ".model qn nmos level=14 version=4.8.1")
	pcard := sharedCard(t, "tests/bsim4/pmos/parameters/pmosParameters", ".model qp pmos level=14 version=4.8.1")
	if !crosscheck.Available() {
		t.Skip("ngspice not installed")
	}
	t.Parallel()
	nqs := map[string]string{"trnqsmod": "1"}
	deck := nqsInverterDeck(ncard, pcard, nqs)
	g := crosscheck.MustRun(t, deck, "tran")
	qs := crosscheck.MustRun(t, nqsInverterDeck(ncard, pcard, nil), "tran")
	vecs := []string{"v(out)", "v(c)", "i(vin)"}
	w := crosscheck.MustNgspice(t, deck, "tran", vecs)
	for _, c := range []struct {
		vec string
		tol float64 // of the swing: ten times the measured difference
	}{{"v(out)", 5e-3}, {"v(c)", 7e-3}} {
		ms, err := crosscheck.Compare(w, g, []string{c.vec}, 1e-3)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: gospice from ngspice %v", c.vec, ms[0])
		if ms[0].Relative() > c.tol {
			t.Errorf("%s: %v, more than %g of the swing", c.vec, ms[0], c.tol)
		}
		fromQS, _ := crosscheck.Compare(w, qs, []string{c.vec}, 1e-3)
		t.Logf("%s: the quasi-static run is %v", c.vec, fromQS[0])
		if fromQS[0].Relative() < 10*c.tol {
			t.Errorf("%s: the quasi-static waveform is within %v of the non-quasi-static one: no test of NQS", c.vec, fromQS[0])
		}
	}
	// Between the edges (measured: up to 1.2e-4 of the value for v(out), 1.3e-4 for i(vin)).
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
