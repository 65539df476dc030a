package devices

import (
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

// TestURCExpansion: a URC line becomes ngspice's lumps (read from ngspice 39's show all
// for this line: 8 lumps from each end, 20.3013 ohm and 24.5611 fF the first, growing
// by 1.5 to 346.868 ohm and the middle's 419.649 fF), and bad lines are refused at their
// place.
func TestURCExpansion(t *testing.T) {
	const netlist = "t\nv1 1 0 1\nu1 1 2 0 m l=20m\nr2 2 0 1k\n.model m urc cperl=100p rperl=100k fmax=10g\n.end\n"
	pc, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	c, err := ExpandURC(pc)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	var rsum, csum float64
	for _, e := range c.Elements {
		values[e.Name] = e.Value
		switch e.Kind {
		case 'r':
			rsum += e.Value
		case 'c':
			csum += e.Value
		}
	}
	for name, want := range map[string]float64{
		"u1#rhi1": 20.3013, "u1#rlo1": 20.3013, "u1#rhi8": 346.868, "u1#rlo8": 346.868,
		"u1#chi1": 24.5611e-15, "u1#clo7": 279.766e-15, "u1#clo8": 419.649e-15,
	} {
		if got, ok := values[name]; !ok || math.Abs(got/want-1) > 3e-6 { // ngspice prints 6 digits: 2.5e-6 for 20.3013
			t.Errorf("%s = %g, want %g (ngspice)", name, got, want)
		}
	}
	if len(c.Elements) != 2+16+15 || math.Abs(rsum-1000-2000) > 1e-9 || math.Abs(csum/2e-12-1) > 1e-12 {
		t.Errorf("%d elements, resistance %g (with r2's 1k), capacitance %g: want 33, 3000, 2e-12", len(c.Elements), rsum, csum)
	}

	const head = "t\nv1 1 0 1\n"
	for _, c := range []struct{ lines, want string }{
		{"u1 1 2 0 m\n.model m urc", "t.cir:3:1: u1: a URC line needs a positive length l="},
		{"u1 1 2 0 m l=1m n=2.5\n.model m urc", "u1: n= must be a whole number of lumps from 1 to 10000, got 2.5"},
		{"u1 1 2 0 m l=1m\n.model m urc k=1", "u1: k of model m must be greater than 1, got 1"},
		{"u1 1 2 0 m l=1m\n.model m urc rperl=0", "u1: rperl and cperl of model m must be positive"},
		{"u1 1 2 0 m l=1m w=2\n.model m urc", `unknown URC line parameter "w" (u1)`},
		{"u1 1 2 0 m l=1m\n.model m urc lperl=2", `unknown URC model parameter "lperl"`},
		{"u1 1 2 0 m l=1m\n.model m d", `u1: model "m" (t.cir:4:1) is a "d" model, not a URC line model`},
	} {
		pc, err := parser.Parse("t.cir", []byte(head+c.lines+"\n.end\n"))
		if err == nil {
			_, err = ExpandURC(pc)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.lines, err, c.want)
		}
	}
}
