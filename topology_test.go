package gospice

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

// TestTopologyRefusals: circuits without an operating point are refused by Parse, naming
// the nodes or the loop and the lines of their elements.
func TestTopologyRefusals(t *testing.T) {
	cases := []struct{ name, netlist, want string }{
		{"capacitors", "V1 a 0 1\nR1 a 0 1k\nC1 a b 1u\nC2 b 0 1u\n.op",
			"t.cir:4:6: node b has no DC path to ground: its connections, c1 (capacitor, t.cir:4) and c2 (capacitor, t.cir:5), conduct nothing at DC (add a resistor to ground, or .options rshunt)"},
		{"one capacitor", "V1 a 0 1\nR1 a 0 1k\nC1 a b 1u\n.op",
			"t.cir:4:6: node b has no DC path to ground: its one connection, c1 (capacitor, t.cir:4), conducts nothing at DC"},
		{"current source into a capacitor", "I1 0 a 1m\nC1 a 0 1u\n.tran 1u 1m",
			"t.cir:2:6: node a has no DC path to ground: its connections, i1 (current source, t.cir:2) and c1 (capacitor, t.cir:3)"},
		{"island", "V1 x 0 1\nR0 x 0 1k\nI1 a b 1m\nR1 a b 1k\n.op",
			"t.cir:4:4: nodes a and b have no DC path to ground: their connections, i1 (current source, t.cir:4) and r1 (resistor, t.cir:5), join them to nothing that has one"},
		{"resistor across itself", "V1 x 0 1\nR0 x 0 1k\nR1 a a 1k\n.op",
			"node a has no DC path to ground: its one connection, r1 (resistor, t.cir:4)"},
		{"controlling input", "V1 a 0 1\nR1 a b 1k\nE1 b 0 c 0 2\n.op",
			"t.cir:4:8: node c has no DC path to ground: its one connection, e1 (VCVS controlling input, t.cir:4)"},
		{"switch control", "V1 a 0 1\nR1 a b 1k\nS1 b 0 c 0 sm\n.model sm sw\n.op",
			"node c has no DC path to ground: its one connection, s1 (switch controlling input, t.cir:4)"},
		{"read by a B source", "V1 a 0 1\nR1 a 0 1k\nB1 b 0 V=v(a)*v(c)\nR2 b 0 1k\nC1 c 0 1p\n.op",
			"node c has no DC path to ground: its connections, b1 (behavioural source reading its voltage, t.cir:4) and c1 (capacitor, t.cir:6)"},
		{"MOSFET gate", "V1 d 0 5\nR1 d o 1k\nC1 o g 1n\nM1 o g 0 0 nm\n.model nm nmos\n.op",
			"node g has no DC path to ground: its connections, c1 (capacitor, t.cir:4) and m1 (MOSFET gate, t.cir:5)"},
		{"CCCS output", "V1 a 0 1\nR1 a 0 1k\nF1 b 0 v1 2\nC1 b 0 1n\n.op",
			"node b has no DC path to ground: its connections, f1 (CCCS, t.cir:4) and c1 (capacitor, t.cir:5)"},
		{"two sources", "V1 a 0 1\nV2 a 0 2\nR1 a 0 1k\n.op",
			"t.cir:3:1: a loop of voltage sources and inductors: v1 (voltage source, t.cir:2) and v2 (voltage source, t.cir:3); at DC, where an inductor is a short circuit, the current around it has no single value (put a resistor in the loop)"},
		{"inductor across a source", "V1 a 0 1\nL1 a 0 1m\n.dc v1 0 1 0.5",
			"t.cir:3:1: a loop of voltage sources and inductors: v1 (voltage source, t.cir:2) and l1 (inductor, t.cir:3)"},
		{"inductors in parallel", "V1 a 0 1\nR1 a b 1k\nL1 b 0 1m\nL2 b 0 2m\n.ac dec 1 1 10",
			"t.cir:5:1: a loop of voltage sources and inductors: l1 (inductor, t.cir:4) and l2 (inductor, t.cir:5)"},
		{"loop through controlled sources", "V1 a 0 1\nE1 b a c 0 2\nH1 b d v1 3\nB1 d 0 V=1\nR1 c 0 1k\n.op",
			"t.cir:5:1: a loop of voltage sources and inductors: v1 (voltage source, t.cir:2), e1 (VCVS, t.cir:3), h1 (CCVS, t.cir:4) and b1 (behavioural source, t.cir:5)"},
		{"source across one node", "V1 a 0 1\nR1 a 0 1k\nV2 a a 1\n.op",
			"t.cir:4:1: a loop of voltage sources and inductors: v2 (voltage source, t.cir:4), both ends on node a"},
		// A loop inside a subcircuit is named with its instance.
		{"in a subcircuit", ".subckt par a\nV1 a 0 1\nV2 a 0 1\n.ends\nX1 n par\nR1 n 0 1k\n.op",
			"t.cir:4:1: a loop of voltage sources and inductors: x1.v1 (voltage source, t.cir:3) and x1.v2 (voltage source, t.cir:4)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.cir", "t\n"+c.netlist+"\n.end\n")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant %q", err, c.want)
			}
		})
	}
}

// TestTopologyAccepts: what conducts at DC besides R, L and sources, and what exempts a
// circuit from the checks.
func TestTopologyAccepts(t *testing.T) {
	cases := []struct{ name, netlist string }{
		{"diode", "I1 0 a 1m\nD1 a 0 dm\n.model dm d\n.op"},
		{"BJT", "V1 c 0 5\nI1 0 b 10u\nQ1 c b e qm\nI2 e 0 1m\n.model qm npn\n.op"},
		{"BJT substrate", "V1 c 0 5\nR1 c b 100k\nQ1 c b 0 s qm\nC1 s 0 1p\n.model qm npn\n.op"},
		{"MOSFET drain, source, bulk", "V1 g 0 5\nI1 0 d 1m\nM1 d g s b nm\nR1 s 0 1k\nC1 b 0 1p\n.model nm nmos\n.op"},
		{"switch", "V1 c 0 1\nR1 c 0 1k\nI1 0 a 1m\nS1 a 0 c 0 sm\n.model sm sw\n.op"},
		{"memristor", "I1 0 a 1u\nYMEMRISTOR y1 a 0 mm\n.model mm memristor level=diffusive\n.tran 1u 10u"},
		{"VCCS across its own nodes", "I1 0 a 1m\nG1 a 0 a 0 1m\n.op"},
		{"B current of its own voltage", "I1 0 a 1m\nB1 a 0 I=v(a)/1k\n.op"},
		{"VCVS output", "V1 a 0 1\nR1 a 0 1k\nE1 b 0 a 0 2\nC1 b c 1n\nR2 c 0 1k\n.op"},
		{"uic transient", "I1 0 a 1m\nC1 a 0 1u\nL1 b 0 1m\nL2 b 0 1m\nR1 b 0 1k\n.tran 1u 1m uic"},
		// .ic holds the node in the transient's operating point.
		{"ic on a floating node", "V1 a 0 1\nR1 a 0 1k\nC1 a b 1u\nC2 b 0 1u\n.ic v(b)=0.5\n.tran 1u 1m"},
		{"no analysis", "I1 0 a 1m\nC1 a 0 1u"},
		// A VDMOS's body diode joins drain and source; its thermal nodes have their
		// network inside the device.
		{"VDMOS", "V1 g 0 5\nI1 0 d 1m\nM1 d g s vm\nR1 s 0 1k\n.model vm vdmos\n.op"},
		{"VDMOS thermal", "V1 g 0 5\nV2 d 0 1\nM1 d g 0 tj tc vm thermal\n.model vm vdmos rthjc=1\n.op"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse("t.cir", "t\n"+c.netlist+"\n.end\n"); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestTopologyOfAnAnalysisTheNetlistDoesNotHave: a netlist that runs only a uic
// transient builds; an operating point asked of it is refused, for the same reason.
func TestTopologyOfAnAnalysisTheNetlistDoesNotHave(t *testing.T) {
	sim, err := Parse("t.cir", "t\nI1 0 a 1m\nC1 a 0 1u\n.print tran v(a)\n.tran 1u 1m uic\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []Analysis{&OP{}, &Tran{Step: 1e-6, Stop: 1e-3}} {
		_, err := sim.Collect(context.Background(), a)
		if err == nil || !strings.Contains(err.Error(), "node a has no DC path to ground") {
			t.Errorf(".%s: %v, want no DC path at node a", a.Name(), err)
		}
	}
	if _, err := sim.Collect(context.Background(), &Tran{Step: 1e-6, Stop: 1e-3, UIC: true}); err != nil {
		t.Errorf("uic transient: %v", err)
	}
}

// TestRshuntExemptsFloatingNodes: with .options rshunt every node has a path to ground;
// a loop of voltage sources stays refused.
func TestRshuntExemptsFloatingNodes(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("t\nV1 a 0 1\nR1 a 0 1k\nC1 a b 1u\nC2 b 0 1u\nV2 c 0 1\nV3 c 0 1\n.op\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rshunt := range []float64{0, 1e12} {
		c.Options = []parser.Option{{Name: "rshunt", Value: rshunt}}
		err := checkTopology(c).opErr
		if floating := err != nil && strings.Contains(err.Error(), "node b"); floating != (rshunt == 0) {
			t.Errorf("rshunt=%g: %v", rshunt, err)
		}
		if err == nil || !strings.Contains(err.Error(), "v2 (voltage source, t.cir:6) and v3") {
			t.Errorf("rshunt=%g: the loop is not refused: %v", rshunt, err)
		}
	}
}

// TestTopologyReportsAreCapped: many floating nodes give a few errors and a count.
func TestTopologyReportsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("t\nV1 a 0 1\nR1 a 0 1k\n")
	for i := range 20 {
		b.WriteString("C" + string(rune('a'+i)) + " a n" + string(rune('a'+i)) + " 1p\n")
	}
	b.WriteString(".op\n.end\n")
	_, err := Parse("t.cir", b.String())
	list, ok := err.(parser.ErrorList)
	if !ok || len(list) != maxTopologyReports+1 || !strings.Contains(list[len(list)-1].Msg, "and 15 more nodes without a DC path to ground") {
		t.Errorf("%v", err)
	}
}

// TestSingleConnectionWarnings: a node with one connection is a warning (the circuit
// runs), once for a subcircuit node that dangles in every instance; not for a VDMOS's
// thermal nodes.
func TestSingleConnectionWarnings(t *testing.T) {
	sim, err := Parse("t.cir", `t
.subckt cell in
R1 in x 1k
R2 x 0 1k
R3 x open 1k
.ends
V1 a 0 1
R1 a b 1k
X1 a cell
X2 a cell
X3 a cell
B1 c 0 V=2*v(a)
R2 c 0 1k
M1 a a 0 tj tc vm thermal
.model vm vdmos rthjc=1
.op
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range sim.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"t.cir:5:6: node x1.open has only one connection (x1.r3): a misspelt node name? (the same in 2 more instances)",
		"t.cir:8:6: node b has only one connection (r1): a misspelt node name?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEmptyCircuit: a netlist without elements is an error; when its first line looks like
// an element or a dot command, the message says that it is the title.
func TestEmptyCircuit(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"V1 a 0 1\n.op\n.end\n", `t.cir:1:1: nothing to simulate: the netlist has no elements; its first line, "V1 a 0 1", is its title, not an element (the first line is always the title: add one above it)`},
		{".tran 1u 1m\n.end\n", `t.cir:1:1: nothing to simulate: the netlist has no elements; its first line, ".tran 1u 1m", is its title, not a dot command (the first line is always the title: add one above it)`},
		{"an empty circuit\n.op\n.end\n", `t.cir:1:1: nothing to simulate: the netlist has no elements (its first line, "an empty circuit", is its title)`},
		{"", "t.cir:1: the netlist is empty: nothing to simulate"},
	}
	for _, c := range cases {
		_, err := Parse("t.cir", c.netlist)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v\nwant %s", c.netlist, err, c.want)
		}
	}
	// A .control block without elements is a script, which ngspice runs: it builds.
	if _, err := Parse("t.cir", "a script\n.control\necho hi\n.endc\n.end\n"); err != nil {
		t.Errorf("a .control block without elements: %v", err)
	}
}

// TestFloatingCapacitorIC: a node whose only connections are a capacitor to ground with
// IC= and a G source that is 0 at the operating point has no operating point; the
// transient holds it at the IC (as Xyce does, memristorYakopcic.cir) and says so, where
// it stopped with a singular matrix before. Without IC= it still stops.
func TestFloatingCapacitorIC(t *testing.T) {
	deck := func(ic string) string {
		return "floating state node\nV1 1 0 SIN(0 0.5 100 0)\nR1 1 0 1k\nCx 2 0 1 " + ic +
			"\nGx 0 2 value={v(1)*v(2)}\n.save v(2)\n.tran 1e-5 2e-3\n.end\n"
	}
	sim, err := Parse("float.cir", deck("IC=0.11"))
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	var tb table
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], &tb, func(f string, a ...any) {
		notes = append(notes, fmt.Sprintf(f, a...))
	}); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "v(2) has no DC path to ground: held at its capacitor's IC=0.11 V") {
		t.Errorf("notes %q", notes)
	}
	// dv/dt = v(1) v(2) / 1F: v(2) = 0.11 exp(0.5 (1 - cos(2 pi 100 t)) / (2 pi 100)).
	worst := 0.0
	for _, r := range tb.rows {
		want := 0.11 * math.Exp(0.5*(1-math.Cos(2*math.Pi*100*r[0]))/(2*math.Pi*100))
		worst = math.Max(worst, math.Abs(r[1]-want))
	}
	t.Logf("v(2) within %.3g V of 0.11 exp(...)", worst)
	if len(tb.rows) == 0 || tb.rows[0][1] != 0.11 || worst > 2e-9 { // measured 2.0e-10 V
		t.Errorf("v(2) starts at %v, %.3g V from the exact solution", tb.rows[0], worst)
	}

	sim, err = Parse("float.cir", deck(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], &tb, nil); err == nil || !strings.Contains(err.Error(), "singular matrix at node 2") {
		t.Errorf("without IC=: %v; want the singular matrix at node 2", err)
	}
}
