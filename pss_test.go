package gospice

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// vanDerPol is a van der Pol oscillator, d2x/dtau2 - mu (1 - x^2) dx/dtau + x = 0, tau = w0 t,
// x the voltage in volts: C and L set w0 = 1/sqrt(LC), and the conductance -g (v - v^3/3)
// (v*v*v: ngspice's and gospice's ^ is |x|^y) sets mu = g sqrt(L/C) = 0.1.
const vanDerPol = `van der Pol, mu = 0.1
c1 a 0 1n ic=0.5
l1 a 0 1u
b1 a 0 I=-3.16227766e-3*(v(a)-v(a)*v(a)*v(a)/3)
.pss 5e6 20u a 1024 6 50 1e-3 uic
`

// TestPSSVanDerPol checks .pss against the van der Pol limit cycle for small mu: the
// frequency w0 (1 - mu^2/16 + O(mu^4)), here lowered by the trapezoidal rule's own
// (w h)^2/12 at 1024 steps a period; the waveform 2 cos(tau) + O(mu) whose third harmonic
// is mu/4 + O(mu^3) and which has no even harmonics (it is odd in a half period).
// Measured: frequency 4.7e-7 off, fundamental 1.5e-4 off 2, third harmonic 1.3e-5 off
// mu/4, DC and second harmonic below 1e-6; the tolerances are ten times those.
func TestPSSVanDerPol(t *testing.T) {
	sim, err := Parse("t.cir", vanDerPol)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(t.Context(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	if res.Len() != 1025 {
		t.Fatalf("%d rows, want psspoints+1 = 1025", res.Len())
	}
	tm, _ := res.Vector("time")
	period := tm[len(tm)-1] - tm[0]
	const mu, n = 0.1, 1024
	f0 := 1 / (2 * math.Pi * math.Sqrt(1e-15))
	h := 2 * math.Pi / n
	want := f0 * (1 - mu*mu/16) * (1 - h*h/12)
	if f := 1 / period; !(math.Abs(f/want-1) <= 5e-6) {
		t.Errorf("frequency %.10g Hz, want %.10g Hz (relative error %.2g)", f, want, f/want-1)
	}
	spec := res.Spectrum()
	if spec == nil || spec.Len() != 6 {
		t.Fatalf("spectrum %v", spec)
	}
	freq, _ := spec.Vector("frequency")
	amp, _ := spec.Vector("v(a)")
	if !(math.Abs(freq[1]*period-1) <= 1e-12) || !(math.Abs(freq[3]*period-3) <= 1e-12) {
		t.Errorf("harmonics at %v Hz, want multiples of %g Hz", freq, 1/period)
	}
	for _, c := range []struct {
		k         int
		want, tol float64
	}{{0, 0, 1e-5}, {1, 2, 1.5e-3}, {2, 0, 1e-5}, {3, mu / 4, 1.3e-4}} {
		if !(math.Abs(amp[c.k]-c.want) <= c.tol) {
			t.Errorf("harmonic %d: %.6g V, want %g V within %g", c.k, amp[c.k], c.want, c.tol)
		}
	}
	// The period starts at a rising crossing of the mid level of v(a), 0 V.
	va, _ := res.Vector("v(a)")
	if !(math.Abs(va[0]) <= 1e-3) || !(va[1] > va[0]) || !(math.Abs(va[n]-va[0]) <= 1e-3) {
		t.Errorf("v(a) starts at %g, %g and ends at %g: want a rising crossing of 0 V, the same at both ends", va[0], va[1], va[n])
	}
}

// TestPSSErrors: what the analysis cannot do is an error at the .pss line.
func TestPSSErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"t\nr1 a 0 1k\nc1 a 0 1n\n.pss 1e6 10u a 64 5 10 1e-3\n",
			"t.cir:4:1: .pss: v(a) does not oscillate: it swings by 0 over the 2e-06 s before tstab = 1e-05 s"},
		// An LC tank's period of 1 s against a guess of 1 ms.
		{"t\nc1 a 0 1\nl1 a 0 0.0253303 ic=1\n.pss 1e3 3m a 16 3 2 1e-3 uic\n",
			"t.cir:4:1: .pss: only 0 periods of v(a) after tstab = 0.003 s within 40 periods of gfreq = 1000 Hz: gfreq is far too high"},
	}
	for _, tc := range tests {
		_, err := runFirst(t, tc.src, "pss")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.src, err, tc.want)
		}
	}
}

// TestPSSOscnobNotANode: an oscnob the circuit lacks is accepted, as ngspice accepts it:
// the node of the largest swing marks the periods, and a note says so.
func TestPSSOscnobNotANode(t *testing.T) {
	sim, err := Parse("t.cir", strings.Replace(vanDerPol, " a 1024 ", " 1 64 ", 1))
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	res := &Result{}
	if _, err := sim.Run(t.Context(), sim.Analyses()[0], (*realCollector)(res), func(f string, args ...any) {
		notes = append(notes, fmt.Sprintf(f, args...))
	}); err != nil {
		t.Fatal(err)
	}
	if len(notes) == 0 || !strings.Contains(notes[0], `oscnob "1" is not a node of the circuit`) || !strings.Contains(notes[0], "those of v(a)") {
		t.Errorf("notes %q", notes)
	}
	if res.Len() != 65 {
		t.Errorf("%d rows, want 65", res.Len())
	}
}
