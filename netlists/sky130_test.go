package netlists_test

import (
	"context"
	"github.com/gospice/gospice/netlists/crosscheck"
	"math"
	"path/filepath"
	"testing"

	"github.com/gospice/gospice"
)

// TestSky130Passives runs the operating point of a chain of SKY130's resistors, a MIM
// capacitor and a diode, tt corner, and compares it with ngspice 39's (ngbehavior=hsa,
// print all; seven digits). It exercises what these devices of the library need: the
// .param lines of a subcircuit set by its X line, m= on X lines, .options scale on the
// w and l of resistors and on the area and perimeter of level 3 diodes, resistor cards
// with dw={"..."}, a resistor whose value reads v() with a model that ngspice ignores,
// and diode cards with parameters ngspice accepts.
func TestSky130Passives(t *testing.T) {
	lib := crosscheck.SKY130Library(t)
	src := `* sky130 passives
.lib ` + lib + ` tt
V1 a 0 1
XR1 a b 0 sky130_fd_pr__res_generic_nd w=1 l=10
XR2 b c sky130_fd_pr__res_generic_po w=1 l=10
XR3 c d 0 sky130_fd_pr__res_high_po w=0.35 l=5
XR4 d e 0 sky130_fd_pr__res_xhigh_po w=0.35 l=5
XR5 e f 0 sky130_fd_pr__res_iso_pw w=2.65 l=5
XC1 f 0 sky130_fd_pr__cap_mim_m3_1 w=10 l=10
XD1 0 f sky130_fd_pr__diode_pw2nd_05v5 area=1 perim=4
R0 f 0 1k
.op
.end
`
	sim, err := gospice.Parse(filepath.Join(t.TempDir(), "passives.cir"), src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ngspice := map[string]float64{
		"v(b)": 9.777881e-01, "v(c)": 9.681764e-01, "v(d)": 8.563955e-01, "v(e)": 1.665073e-01,
		"v(f)": 1.882459e-02, "v(xr3.rb)": 9.546686e-01, "v(xr4.t1)": 8.542901e-01,
		"v(xr4.t2)": 1.686128e-01, "i(v1)": -1.88246e-05,
	}
	worst := 0.0
	for name, want := range ngspice {
		v, ok := res[0].Vector(name)
		if !ok {
			t.Errorf("no vector %s", name)
			continue
		}
		d := math.Abs(v[0]-want) / math.Abs(want)
		worst = max(worst, d)
		// ngspice prints 7 digits (6 for i(v1)): at most 5e-6 of the value.
		if d > 1e-5 {
			t.Errorf("%s = %.7g, ngspice %.7g", name, v[0], want)
		}
	}
	t.Logf("largest relative difference from ngspice: %.2g", worst)
}
