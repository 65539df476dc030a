package control

import (
	"strings"
	"testing"
)

// TestSavedDeviceQuantity: a device quantity the netlist saves (.save @q1[ic]) is a
// vector of the run's plot, which @q1[ic] in an expression reads, as in ngspice.
func TestSavedDeviceQuantity(t *testing.T) {
	const netlist = `saved device quantity
vcc vc 0 5
vb b 0 0.7
rc vc c 1k
q1 c b 0 qn
.model qn npn bf=100 is=1e-15
.save @q1[ic] v(c)
.dc vb 0.6 0.8 0.01
.control
run
print @q1[ic][5]
.endc
.end
`
	out, errs, in := runScript(t, t.TempDir(), netlist)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "@q1[ic][5] = 8.2047") {
		t.Fatalf("printed %q", out)
	}
	ng := ngspiceOutput(t, t.TempDir(), netlist)
	if !strings.Contains(ng, lines[0]) {
		t.Errorf("gospice printed %q, ngspice:\n%s", lines[0], ng)
	}
	t.Logf("gospice: %s", out)
}
