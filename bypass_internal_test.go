package gospice

import (
	"context"
	"math"
	"testing"
)

const bypassInverter = `inverter
VDD vdd 0 5
VIN in 0 PULSE(0 5 1n 1n 1n 10n 20n)
M1 out in 0 0 nm W=2u L=1u
M2 out in vdd vdd pm W=4u L=1u
C1 out 0 10f
.model nm nmos level=1 vto=0.7 kp=1e-4 tox=1e-8
.model pm pmos level=1 vto=-0.7 kp=5e-5 tox=1e-8
.tran 0.1n 40n
`

// runBypass runs the inverter with the given extra lines and returns v(out) and how many
// loads the MOSFETs bypassed.
func runBypass(t *testing.T, extra string) (out []float64, bypassed int) {
	t.Helper()
	sim, err := Parse("t.cir", bypassInverter+extra+".end\n")
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	out, ok := res.Vector("v(out)")
	if !ok {
		t.Fatal("no v(out)")
	}
	return out, res.Stats.Bypassed
}

func TestOptionsBypass(t *testing.T) {
	plain, n := runBypass(t, "")
	if n != 0 {
		t.Errorf("%d loads bypassed without .options bypass", n)
	}
	for _, extra := range []string{".options bypass\n", ".options bypass=1\n"} {
		by, n := runBypass(t, extra)
		if n == 0 {
			t.Errorf("%q: no load bypassed", extra)
		}
		if len(by) == 0 || math.Abs(by[len(by)-1]-plain[len(plain)-1]) > 5e-3 {
			t.Errorf("%q: v(out) ends at %v, without bypass at %v", extra, by[len(by)-1:], plain[len(plain)-1])
		}
	}
	if _, n := runBypass(t, ".options bypass=0\n"); n != 0 {
		t.Errorf("bypass=0: %d loads bypassed", n)
	}
	if _, err := Parse("t.cir", bypassInverter+".options bypass=2\n.end\n"); err == nil {
		t.Error(".options bypass=2 accepted")
	}
}
