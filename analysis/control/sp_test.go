package control

import (
	"math"
	"math/cmplx"
	"strings"
	"testing"
)

// sp makes a plot sp1 (SP Analysis) of complex s_i_j, y_i_j and z_i_j; sens ... ac a plot
// sens1 of the frequency and a complex vector per parameter, in the order of their names.
func TestSPAndACSensPlots(t *testing.T) {
	out, errs, in := runScript(t, t.TempDir(), `t
v1 a 0 dc 0 ac 1 portnum 1
r1 a b 100
v2 b 0 portnum 2 z0 50
.control
sp lin 2 1k 2k
print s_2_1[1]
sens v(b) ac dec 1 1k 10k
.endc
`)
	if errs != "" {
		t.Fatalf("errors: %s", errs)
	}
	sp := in.plotNamed("sp1")
	if sp == nil || sp.Type != "SP Analysis" {
		t.Fatalf("no plot sp1 of SP Analysis: %+v", sp)
	}
	// A 100-ohm series resistor between 50-ohm ports: S21 = 2*50/(100+100) = 0.5.
	var s21 *Vector
	for _, v := range sp.Vecs {
		if v.Name == "s_2_1" {
			s21 = v
		}
	}
	if s21 == nil || len(s21.Cplx) != 2 || cmplx.Abs(s21.Cplx[1]-0.5) > 1e-14 {
		t.Errorf("s_2_1 %+v, want 0.5 twice", s21)
	}
	if !strings.Contains(out, "s_2_1[1] = 5.000000e-01,") {
		t.Errorf("printed %q", out)
	}
	sens := in.plotNamed("sens1")
	if sens == nil || sens.Type != "Sensitivity Analysis" || sens.Grid != "grid=3" || sens.Vecs[0].Name != "frequency" {
		t.Fatalf("plot sens1 %+v", sens)
	}
	var names []string
	for _, v := range sens.Vecs[1:] {
		names = append(names, v.Name)
		if v.Name == "r1" && (len(v.Cplx) != 2 || math.Abs(real(v.Cplx[0])+50.0/200/200) > 1e-15) {
			t.Errorf("r1 %v, want -1.25e-3", v.Cplx)
		}
	}
	if len(names) == 0 || names[0] != "r1" || names[len(names)-1] != "v2_acmag" {
		t.Errorf("vectors %v: want r1 first, v2_acmag last", names)
	}
}
