package devices

import (
	"math/rand/v2"
	"testing"
)

const polyNetlist = `poly
v1 a 0 1
v2 b 0 1
v3 c 0 1
e1 o1 0 poly(3) a 0 b c c 0 0.1 1 -2 3 0.4 0.5 -0.6 0.7 0.8 0.9 1 -1.1 1.2 1.3
g1 0 o2 poly(2) (a,b) (c,0) 0.1 1 -2 3 0.4 0.5 -0.6 0.7 0.8 0.9
f1 o3 0 poly(2) v1 v2 0.1 1 -2 3 0.4 0.5 -0.6 0.7 0.8 0.9
h1 o4 0 poly(3) v1 v2 v3 0.1 1 -2 3 0.4 0.5 -0.6 0.7 0.8 0.9 1 -1.1 1.2 1.3
r1 o1 0 1
r2 o2 0 1
r3 o3 0 1
r4 o4 0 1
.end
`

// TestPolyJacobian checks the POLY sources' G against finite differences of F at random
// points, and that a load allocates nothing.
func TestPolyJacobian(t *testing.T) {
	devs, sys := build(t, polyNetlist)
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, sys.N+1)
	for k := 0; k < 5; k++ {
		for i := 1; i <= sys.N; i++ {
			x[i] = 2*rng.Float64() - 1
		}
		checkJacobian(t, devs, sys, x, ModeOP)
	}
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeOP, SrcFactor: 1}
	if n := testing.AllocsPerRun(100, func() {
		for _, d := range devs {
			d.Load(ctx)
		}
	}); n != 0 {
		t.Errorf("a load allocates %v times", n)
	}
}

// TestPolyExponents checks SPICE2's order of the terms of POLY(3) up to degree 3.
func TestPolyExponents(t *testing.T) {
	want := [][3]uint8{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
		{2, 0, 0}, {1, 1, 0}, {1, 0, 1}, {0, 2, 0}, {0, 1, 1}, {0, 0, 2},
		{3, 0, 0}, {2, 1, 0}, {2, 0, 1}, {1, 2, 0}, {1, 1, 1}, {1, 0, 2}, {0, 3, 0}, {0, 2, 1}, {0, 1, 2}, {0, 0, 3},
		{4, 0, 0}}
	got := polyExponents(3, len(want))
	for t0, w := range want {
		if g := [3]uint8(got[3*t0 : 3*t0+3]); g != w {
			t.Errorf("term %d: exponents %v, want %v", t0, g, w)
		}
	}
}
