package control

import (
	"fmt"
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

// TestDeviceQuantityVectors: with .options savecurrents a device quantity the script
// names is a vector of the run's plot (ngspice 39 saves device currents then, and a
// subcircuit's MOSFET is m.x1.m1 there); without it, the value at the last point.
func TestDeviceQuantityVectors(t *testing.T) {
	const netlist = `device quantities as vectors
vd d 0 pulse(0 2 0 1n 1n 4n 10n)
.subckt amp d
m1 d g 0 0 nm
vg g 0 1.5
.ends
x1 d amp
.model nm nmos level=1 vto=0.7 kp=100u
%s
.control
tran 0.1n 5n
print length(@m.x1.m1[id]) @m.x1.m1[id][20]
.endc
.end
`
	out, errs, in := runScript(t, t.TempDir(), fmt.Sprintf(netlist, ".options savecurrents"))
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	// At 2 ns (the 20th point of a 0.1 ns grid from 0) vds = 2 V, saturation:
	// kp/2 (vgs - vto)^2 = 50u * 0.64 = 32 uA.
	if !strings.Contains(out, "@m.x1.m1[id][20] = 3.2") {
		t.Errorf("savecurrents: printed %q, want the vector's 20th value 3.2e-05", out)
	}
	if strings.Contains(out, "length(@m.x1.m1[id]) = 1.0") {
		t.Errorf("savecurrents: printed %q, want a vector", out)
	}
	out, errs, in = runScript(t, t.TempDir(), fmt.Sprintf(netlist, ""))
	if in.Errors != 1 || !strings.Contains(errs, "indexing on a scalar (@m.x1.m1[id])") {
		t.Errorf("without savecurrents: %d errors %q, printed %q; want @m.x1.m1[id] a scalar", in.Errors, errs, out)
	}
}

// TestSaveCommandDeviceQuantity: a device quantity a save command of the script names is
// a vector of the next analysis's plot, as ngspice 39 writes it (the corpus's
// examples/vbic/vbic_ac_par.sp), not the value at its last point.
func TestSaveCommandDeviceQuantity(t *testing.T) {
	const netlist = `saved by the script
vd d 0 2
vg g 0 0
m1 d g 0 0 nm
.model nm nmos level=1 vto=0.7 kp=100u
.control
save all @m1[gm]
dc vg 0 2 0.1
print length(@m1[gm]) @m1[gm][15]
.endc
.end
`
	out, errs, in := runScript(t, t.TempDir(), netlist)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	// At vg = 1.5 V, saturation (vds = 2 V): gm = kp (vgs - vto) = 100u * 0.8 = 80 uS.
	if !strings.Contains(out, "length(@m1[gm]) = 2.1") || !strings.Contains(out, "@m1[gm][15] = 8.0") {
		t.Errorf("printed %q, want a vector of 21 points, the 15th 8e-05", out)
	}
	ng := ngspiceOutput(t, t.TempDir(), netlist)
	if !strings.Contains(ng, "@m1[gm][15] = 8.0") {
		t.Errorf("ngspice printed:\n%s", ng)
	}
}

// TestSaveCommandJoinsDotSave: where .save lines choose the vectors, a save command's
// nodes (v(2), a subcircuit's node by its flat name) and currents join them for the
// analyses after it, as in ngspice 39 (the corpus's examples/mos/adder_mos.cir).
func TestSaveCommandJoinsDotSave(t *testing.T) {
	const netlist = `save joins .save
v1 1 0 1
r1 1 2 1k
x1 2 half
.subckt half a
r1 a m 1k
r2 m 0 1k
.ends
.save v(1)
.control
save x1.m v(2) i(v1)
op
print v(1) v(2) x1.m i(v1)
.endc
.end
`
	out, errs, in := runScript(t, t.TempDir(), netlist)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	want := []string{"v(2) = 6.666667e-01", "x1.m = 3.333333e-01", "i(v1) = -3.33333e-04"}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("printed %q, want %s", out, w)
		}
	}
	ng := ngspiceOutput(t, t.TempDir(), netlist)
	for _, w := range want {
		if !strings.Contains(ng, w) {
			t.Errorf("ngspice printed:\n%s", ng)
		}
	}
}

func TestFlatElementName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"r.x1.rs1", "x1.rs1"},
		{"r.x1.xi.rq", "x1.xi.rq"},   // ngspice 39, subcircuits defined apart
		{"r.x1.r.xi.rq", "x1.xi.rq"}, // a subcircuit defined inside another
		{"v.xro.xinv5.vmeas", "xro.xinv5.vmeas"},
		{"r.x1.r", "x1.r"}, // an element named by its letter alone keeps it
		{"r1", ""},
		{"x1.r1", ""},
	} {
		got, ok := flatElementName(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("flatElementName(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

// TestDeviceCurrentsInScriptAC: a script's ac, as ngspice 39's (measured with display
// and print): under .options savecurrents its plot holds the device currents, a BJT's
// ic at the operating point at every frequency (0.5 pA here), a resistor's with no
// value in ngspice, 0 in gospice; without it, @r1[i] after the ac reads the device at
// the operating point (1 V over 1k and 1k: 0.5 mA), not the 0 of a raw file's .ac.
// (ngspice 39 prints 5.004930e-04 there: the resistor's current from the real parts of
// the last frequency's phasors, v(out) = Re 1/(2 + j 0.0628) = 0.499507, which is no
// current of the circuit.)
func TestDeviceCurrentsInScriptAC(t *testing.T) {
	const netlist = `device currents in a script's ac
%s
v1 in 0 dc 1 ac 1
r1 in out 1k
r2 out 0 1k
c1 out 0 1n
q1 in out 0 qn
.model qn npn is=1e-30
.control
ac dec 1 1k 10k
print %s
.endc
.end
`
	saved := fmt.Sprintf(netlist, ".options savecurrents", "@q1[ic]")
	out, errs, in := runScript(t, t.TempDir(), saved)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "1.000000e+04\t5.000000e-13,\t0.000000e+00") {
		t.Errorf("savecurrents: printed %q, want @q1[ic] 5e-13 at 10 kHz", out)
	}
	plain := fmt.Sprintf(netlist, "", "@r1[i]")
	out, errs, in = runScript(t, t.TempDir(), plain)
	if in.Errors > 0 || !strings.Contains(out, "@r1[i] = 5.000000e-04") {
		t.Errorf("without savecurrents: %d errors %q, printed %q, want @r1[i] = 5.000000e-04", in.Errors, errs, out)
	}
	if ng := ngspiceOutput(t, t.TempDir(), saved); !strings.Contains(ng, "1.000000e+04\t5.000000e-13,\t0.000000e+00") {
		t.Errorf("ngspice 39 does otherwise:\n%s", ng)
	}
}

// TestAnalysisErrorPosition: an analysis command that fails names its line once, not
// again inside the message (the analysis it built reports at the same line), and a pz
// names its line though its analysis has none of its own.
func TestAnalysisErrorPosition(t *testing.T) {
	const netlist = `analysis errors
v1 in 0 dc 1 ac 1
r1 in out 1k
c1 out 0 1n
.control
tf v(nosuch) v1
pz in 0 nosuch 0 vol pz
.endc
.end
`
	_, errs, in := runScript(t, t.TempDir(), netlist)
	if in.Errors != 2 {
		t.Fatalf("%d errors, want 2:\n%s", in.Errors, errs)
	}
	for _, want := range []string{":6:1: error: tf: .tf: no node \"nosuch\" in the circuit\n", ":7:1: error: pz: .pz: no node \"nosuch\" in the circuit\n"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Count(errs, ":6:1:") != 1 || strings.Contains(errs, ":0:") {
		t.Errorf("a position twice, or an empty one:\n%s", errs)
	}
}
