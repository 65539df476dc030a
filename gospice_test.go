package gospice_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// current runs a one-resistor .op and returns the source current.
func current(t *testing.T, netlist string) float64 {
	t.Helper()
	sim, err := gospice.Parse("t.cir", netlist)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := crosscheck.RunSimulation(sim, "op")
	if err != nil {
		t.Fatal(err)
	}
	return -tab.Col("i(v1)")[0]
}

func TestTemperatureLines(t *testing.T) {
	const circuit = "R1 a 0 1k rm\n.model rm r tc1=1e-3\nV1 a 0 1\n.op\n.end\n"
	cases := []struct {
		name, lines string
		temp        float64
	}{
		{"default 27", "", 27},
		{".temp", ".temp 77\n", 77},
		{".options temp", ".options temp=127\n", 127},
		{"the later line wins", ".options temp=127\n.temp 77\n", 77},
		{"the later option wins", ".temp 77\n.options temp=127\n", 127},
		{"tnom", ".options tnom=77\n", -23},
	}
	for _, c := range cases {
		got := current(t, "t\n"+c.lines+circuit)
		want := 1 / (1000 * (1 + 1e-3*(c.temp-27)))
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("%s: %g A, want %g A (%g degrees above tnom)", c.name, got, want, c.temp-27)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, c := range []struct{ netlist, want string }{
		{"t\n.options seed=-1\nR1 a 0 1\n.end\n", "seed must be a non-negative integer"},
		{"t\n.options reltol=0\nR1 a 0 1\n.end\n", "reltol must be a positive number"},
		{"t\n.options itl4=2.5\nR1 a 0 1\n.end\n", "itl4 must be a positive integer"},
		{"t\nR1 a 0 1\n.print tran v(b)\n.tran 1n 10n\n.end\n", "cannot output v(b): no such node"},
		{"t\nR1 a 0 1\n.dc v9 0 1 0.1\n.end\n", `.dc: no source named "v9"`},
		{"t\nR1 a 0 1\nV1 a 0 1\n.dc r1 0 1 0.1\n.end\n", ".dc can sweep independent voltage and current sources"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.tran 1f 1\n.end\n", "t.cir:4:1: .tran would take at least 1e+15 time steps"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.ac dec 10 0 1k\n.end\n", "t.cir:4:12: fstart must be positive"},
	} {
		sim, err := gospice.Parse("t.cir", c.netlist)
		if err == nil {
			for _, a := range sim.Analyses() {
				if a.Name() == "dc" {
					_, err = crosscheck.RunSimulation(sim, "dc")
				}
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.netlist, err, c.want)
		}
	}
}
