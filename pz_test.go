package gospice

import (
	"math"
	"strings"
	"testing"
)

// TestPZUnknownNode: a node the circuit does not have is an error at its place.
func TestPZUnknownNode(t *testing.T) {
	_, err := runFirst(t, "t\nr1 a 0 1k\nc1 a 0 1n\n.pz a 0 x 0 cur pz\n", "pz")
	if err == nil || !strings.Contains(err.Error(), `t.cir:4:9: .pz: no node "x" in the circuit`) {
		t.Errorf("error %v", err)
	}
}

// TestPZVoltageInputAcrossSource: a voltage input across which a voltage source is
// connected is driven by it (ngspice's filt_rc.cir): the RC low-pass's one pole -1/RC
// and no zero.
func TestPZVoltageInputAcrossSource(t *testing.T) {
	res, err := runFirst(t, "t\nv1 in 0 0 ac 1\nr1 in out 1k\nc1 out 0 10p\n.pz in 0 out 0 vol pz\n", "pz")
	if err != nil {
		t.Fatal(err)
	}
	re, _ := res.Vector("re(pole(1))")
	if len(res.Names()) != 2 || len(re) != 1 || !(math.Abs(re[0]+1e8) <= 1e-6) {
		t.Errorf("columns %v, re(pole(1)) %v: want only pole(1) = -1e8", res.Names(), re)
	}
}
