package bsim4

import (
	"math"
	"testing"
)

// TestEffectiveDiffusion checks the junctions' effective perimeters and areas: BSIM4.5
// (version 45) keeps a perimeter that the gate edge makes negative, 4.7 (and gospice's
// 4.6) set it and any non-positive given value to zero.
func TestEffectiveDiffusion(t *testing.T) {
	const wcj = 1e-6
	geo := [4]float64{3e-6, 4e-6, 1e-12, 2e-12} // gps, gpd, gas, gad
	cases := []struct {
		version int
		permod  float64
		given   map[string]float64
		want    [4]float64 // pseff, pdeff, aseff, adeff
		why     string
	}{
		{45, 1, map[string]float64{"ps": 0, "pd": 0, "as": 0, "ad": 0}, [4]float64{-wcj, -wcj, 0, 0}, "4.5: ps=pd=0 less the gate edge"},
		{47, 1, map[string]float64{"ps": 0, "pd": 0, "as": 0, "ad": 0}, [4]float64{0, 0, 0, 0}, "4.7: zero given is zero"},
		{48, 1, map[string]float64{"ps": 0.5e-6, "pd": 2.5e-6}, [4]float64{0, 1.5e-6, 1e-12, 2e-12}, "4.8: clamped at zero; areas from the layout"},
		{45, 1, map[string]float64{"ps": 0.5e-6, "pd": 2.5e-6}, [4]float64{-0.5e-6, 1.5e-6, 1e-12, 2e-12}, "4.5: not clamped"},
		{45, 0, map[string]float64{"ps": -1e-6, "as": -1e-12}, [4]float64{-1e-6, 4e-6, -1e-12, 2e-12}, "4.5, permod 0: as given"},
		{47, 0, map[string]float64{"ps": -1e-6, "as": -1e-12}, [4]float64{0, 4e-6, 0, 2e-12}, "4.7, permod 0: negative given is zero"},
		{47, 0, map[string]float64{"ps": 0.5e-6}, [4]float64{0.5e-6, 4e-6, 1e-12, 2e-12}, "4.7, permod 0: the whole perimeter"},
	}
	for _, c := range cases {
		given := map[string]bool{}
		for k := range c.given {
			given[k] = true
		}
		get := func(name string, def float64) float64 {
			if v, ok := c.given[name]; ok {
				return v
			}
			return def
		}
		ps, pd, as, ad := effectiveDiffusion(c.version, c.permod, wcj, given, get, geo[0], geo[1], geo[2], geo[3])
		got := [4]float64{ps, pd, as, ad}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12*math.Abs(c.want[i])+1e-30 {
				t.Errorf("%s: got ps, pd, as, ad %v, want %v", c.why, got, c.want)
				break
			}
		}
	}
}

// TestJunctionChargeNegativeSidewall checks the depletion charge of a junction whose
// sidewall part is negative (BSIM4.5's perimeter less the gate edge): in forward bias
// every part's linear extension counts, the negative one too, and in reverse bias only
// the positive parts, so that the capacitance steps by the negative part at zero, and
// the charge is continuous there.
func TestJunctionChargeNegativeSidewall(t *testing.T) {
	j := junction{czb: 0, czbsw: -3.7e-17, czbswg: 2.4e-16, pb: 0.73, pbsw: 0.2, pbswg: 0.96, mj: 0.44, mjsw: 9e-4, mjswg: 0.8}
	const v = 0.05
	q, c := j.charge(v)
	wantC := j.czbsw*(1+j.mjsw*v/j.pbsw) + j.czbswg*(1+j.mjswg*v/j.pbswg)
	wantQ := v*j.czbsw*(1+0.5*j.mjsw*v/j.pbsw) + v*j.czbswg*(1+0.5*j.mjswg*v/j.pbswg)
	if math.Abs(c-wantC) > 1e-12*wantC || math.Abs(q-wantQ) > 1e-12*wantQ {
		t.Errorf("forward %g V: q, c = %g, %g; want %g, %g", v, q, c, wantQ, wantC)
	}
	q0, c0 := j.charge(0)
	qr, cr := j.charge(-1e-12)
	if q0 != 0 || math.Abs(c0-(j.czbsw+j.czbswg)) > 1e-12*c0 {
		t.Errorf("zero bias: q, c = %g, %g; want 0, %g", q0, c0, j.czbsw+j.czbswg)
	}
	if math.Abs(cr-j.czbswg) > 1e-9*cr || math.Abs(qr) > 1e-27 {
		t.Errorf("reverse 1e-12 V: q, c = %g, %g; want about %g, %g (the gate edge's part alone)", qr, cr, -1e-12*j.czbswg, j.czbswg)
	}
}
