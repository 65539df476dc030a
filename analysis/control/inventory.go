package control

import (
	"context"
	"fmt"
	"strings"

	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// ngspiceDevices are ngspice 39's names of the device families gospice has, in the order
// of its device table, which inventory keeps.
var ngspiceDevices = []string{"URC", "ASRC", "BJT", "BSIM3", "BSIM3v32", "BSIM4", "BSIM4v5",
	"BSIM4v6", "BSIM4v7", "Capacitor", "CCCS", "CCVS", "CSwitch", "Diode", "Inductor", "mutual",
	"Isource", "JFET", "JFET2", "LTRA", "Mos1", "Mos2", "Mos3", "Resistor", "Switch",
	"Tranline", "VBIC", "VCCS", "VCVS", "Vsource", "VDMOS"}

// elementFamilies name the family of an element by its letter alone.
var elementFamilies = map[byte]string{'r': "Resistor", 'c': "Capacitor", 'l': "Inductor", 'k': "mutual",
	'v': "Vsource", 'i': "Isource", 'e': "VCVS", 'f': "CCCS", 'g': "VCCS", 'h': "CCVS", 'b': "ASRC",
	'd': "Diode", 's': "Switch", 'w': "CSwitch", 't': "Tranline", 'o': "LTRA", 'u': "URC"}

// cmdInventory prints how many devices of each family the circuit has, as ngspice does.
func (in *Interp) cmdInventory(ctx context.Context, c *pc.Command, args string) error {
	counts := map[string]int{}
	for _, e := range in.circuit.Elements {
		if family := deviceFamily(e, in.circuit.Models[e.Model]); family != "" {
			counts[family]++
		}
	}
	fmt.Fprint(in.opt.Stdout, "\nCircuit Inventory\n\n")
	for _, name := range ngspiceDevices {
		if n := counts[name]; n > 0 {
			fmt.Fprintf(in.opt.Stdout, "%s: %d\n", name, n)
		}
	}
	fmt.Fprintln(in.opt.Stdout)
	return nil
}

// deviceFamily is ngspice's name of an element's device family: by its letter, and for Q,
// J and M by its model's type, level and version ("" for a family ngspice names otherwise).
func deviceFamily(e *parser.Element, m *parser.Model) string {
	if f, ok := elementFamilies[e.Kind]; ok {
		return f
	}
	if m == nil {
		return ""
	}
	level := 1.0
	for _, p := range m.Params {
		if p.Name == "level" {
			level = p.Value
		}
	}
	switch e.Kind {
	case 'q':
		if level == 4 || level == 9 {
			return "VBIC"
		}
		return "BJT"
	case 'j':
		if level == 2 {
			return "JFET2"
		}
		return "JFET"
	case 'm':
		if m.Type == "vdmos" {
			return "VDMOS"
		}
		switch level {
		case 1, 2, 3:
			return fmt.Sprintf("Mos%d", int(level))
		case 8, 49:
			if strings.HasPrefix(m.Version, "3.2") {
				return "BSIM3v32"
			}
			return "BSIM3"
		case 14, 54:
			for _, v := range []string{"5", "6", "7"} {
				if strings.HasPrefix(m.Version, "4."+v) {
					return "BSIM4v" + v
				}
			}
			return "BSIM4"
		}
	}
	return ""
}
