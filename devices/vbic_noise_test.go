package devices

import (
	"math"
	"testing"
)

// TestVBICNoiseSources holds each VBIC noise source to its node pair and to its density
// from the model's values: a resistance's 4kT area m/r where it is not modulated, rbp's
// between BP and CX (where ngspice 39 puts it between E' and E), the flicker noise's
// m kfn (|i|/m)^afn with the exponent bfn, and a left-out rcx to a source without noise.
func TestVBICNoiseSources(t *testing.T) {
	const netlist = "t\nQ1 c b e s qm 1.5 m=2\n.model qm npn level=4 rbx=12 re=2.5 rs=30 rbp=40" +
		" rci=60 rbi=45 isp=1e-16 ibeip=1e-19 kfn=1e-14 afn=1.2 bfn=0.9\n.end\n"
	built := parseAndBuild(t, netlist, DefaultEnv())
	sys := setUp(built).Build()
	d := built[0].(*VBIC)
	node := func(name string) int {
		i, ok := sys.Lookup("v(" + name + ")")
		if !ok {
			t.Fatalf("no node %s", name)
		}
		return i
	}
	x := make([]float64, sys.N+1)
	for name, v := range map[string]float64{"c": 3, "b": 0.8, "e": 0, "s": -1, "q1#collci": 2.9,
		"q1#base": 0.79, "q1#basebi": 0.78, "q1#emitter": 0.01, "q1#basebp": 0.5, "q1#substrate": -0.99} {
		x[node(name)] = v
	}
	const kelvin = 300.15
	got := map[string]NoiseSource{}
	for _, s := range d.NoiseSources(nil, x, kelvin) {
		got[s.Name] = s
	}
	if s, ok := got["q1_rc"]; !ok || s.White != 0 || s.Flicker != 0 {
		t.Errorf("rcx left out (0): %+v, want a source without noise, as ngspice lists it", s)
	}
	pair := func(name, a, b string) NoiseSource {
		s, ok := got[name]
		if !ok {
			t.Fatalf("no source %s", name)
		}
		na, nb := node(a), node(b)
		if !(s.A == na && s.B == nb || s.A == nb && s.B == na) {
			t.Errorf("%s between %d and %d, want %s (%d) and %s (%d)", name, s.A, s.B, a, na, b, nb)
		}
		return s
	}
	closeTo := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s: %g, want %g", name, got, want)
		}
	}
	for _, r := range []struct {
		name, a, b string
		ohm        float64
	}{{"q1_rb", "b", "q1#base", 12}, {"q1_re", "e", "q1#emitter", 2.5}, {"q1_rs", "s", "q1#substrate", 30}} {
		closeTo(r.name, pair(r.name, r.a, r.b).White, 4*noiseBoltzmann*kelvin*3/r.ohm)
	}
	pair("q1_rbp", "q1#basebp", "c")
	pair("q1_rci", "c", "q1#collci")
	pair("q1_rbi", "q1#base", "q1#basebi")
	pair("q1_ic", "q1#collci", "q1#emitter")
	ib := pair("q1_ib", "q1#basebi", "q1#emitter")
	pair("q1_ibep", "q1#base", "q1#basebp")
	pair("q1_iccp", "q1#base", "q1#substrate")
	fl := pair("q1_1overfbe", "q1#basebi", "q1#emitter")
	// The base current from its shot noise, 2q|i|: the flicker noise's is the same.
	i := ib.White / (2 * noiseCharge)
	closeTo("q1_1overfbe", fl.Flicker, 2*1e-14*math.Pow(i/2, 1.2))
	if fl.Exp != 0.9 {
		t.Errorf("flicker exponent %g, want bfn 0.9", fl.Exp)
	}
}
