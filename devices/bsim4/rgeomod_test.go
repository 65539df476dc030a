package bsim4

import (
	"math"
	"testing"
)

// TestDiffusionResistance checks rgeomod 1's resistances against the layout worked by
// hand: sq is one wide-contacted diffusion (rsh dmcg / weffcj), mer a merged end (rsh
// dmdg / weffcj).
func TestDiffusionResistance(t *testing.T) {
	const rsh, dmcg, dmdg, weffcj = 40, 0.1e-6, 0.08e-6, 0.5e-6
	sq, mer := rsh*dmcg/weffcj, rsh*dmdg/weffcj
	par := func(a, b float64) float64 { return a * b / (a + b) }
	cases := []struct {
		nf         float64
		geo, minSD int
		source     bool
		want       float64
		why        string
	}{
		{1, 0, 0, true, sq, "one finger: one isolated end"},
		{4, 0, 0, true, par(sq/2, sq/2), "nf 4: two interior and two end source diffusions"},
		{4, 0, 0, false, sq / 4, "nf 4: four interior drain diffusions"},
		{4, 0, 1, false, par(sq/2, sq/2), "min=1 moves the ends to the drain"},
		{2, 8, 0, true, mer, "merged ends: one dmdg length, not divided by the ends"},
		{2, 8, 0, false, par(sq/2, mer), "merged drain end beside two interior ones"},
		{2, 7, 0, true, mer / 2, "ngspice divides geomod 7's merged source by its two ends"},
		{2, 5, 0, false, 0, "geomod 5's drain without ends: no resistor, as ngspice"},
		{3, 5, 0, false, par(sq/2, mer), "odd nf: one end, undivided"},
		{4, 9, 0, true, par(sq/2, sq/2), "geomod 9: half-length ends beside nf-2 interior"},
		{4, 9, 0, false, sq / 4, "geomod 9: nf interior drain diffusions"},
		{2, 10, 0, true, sq / 2, "geomod 10: the source has the nf interior ones"},
		{2, 10, 0, false, sq / 2, "geomod 10, nf 2: the drain's half-length ends alone"},
	}
	for _, c := range cases {
		l := diffusionLayout{nf: c.nf, geo: c.geo, minSD: c.minSD, weffcj: weffcj, rsh: rsh, dmcg: dmcg, dmdg: dmdg}
		if got := l.resistance(c.source); math.Abs(got-c.want) > 1e-12*math.Max(c.want, 1) {
			t.Errorf("%s: got %g, want %g", c.why, got, c.want)
		}
	}
}

// TestRgeoMode checks ngspice 39's reading of rgeomod: 0 and 1 kept, a model's other
// value 1, an instance's other value its model's.
func TestRgeoMode(t *testing.T) {
	for _, c := range []struct {
		model, inst float64
		want        int
	}{
		{0, 0, 0}, {0, 1, 1}, {1, 0, 0}, {0, 4, 0}, {7, 4, 1}, {7, 7, 1}, {1, 3, 1},
	} {
		if got := rgeoMode(c.model, c.inst); got != c.want {
			t.Errorf("model %g, instance %g: got %d, want %d", c.model, c.inst, got, c.want)
		}
	}
}
