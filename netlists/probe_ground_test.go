package netlists_test

import (
	"slices"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// TestProbeGroundPortAgainstNgspice: .probe alli of subcircuits whose ports connect
// ground and a global node (netlists/probe_ground_port.cir): the current into such a
// port is that through the port alone, not that of the elements inside that name the
// node itself (r3 to 0, r5 from vcc), as ngspice 39's ammeter at the port measures
// it; a two-port's i(x2) out of its grounded second port likewise. Measured: within
// 3.8e-13 of the swing.
func TestProbeGroundPortAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	ours := []string{"i(x1:a)", "i(x1:g)", "i(x1:s)", "i(x1:o)", "i(x2)", "i(vs)"}
	theirs := []string{"x1:a#branch", "x1:g#branch", "x1:s#branch", "x1:o#branch", "x2#branch", "vs#branch"}
	want, err := crosscheck.Ngspice("probe_ground_port.cir", "tran", theirs)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range want.Names {
		if k := slices.Index(theirs, n); k >= 0 {
			want.Names[i] = ours[k]
		}
	}
	got, err := crosscheck.Gospice("probe_ground_port.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, want, got, ours, 4e-12)
}
