package parser

import (
	"reflect"
	"testing"
)

// TestInputWarnings: the likely mistakes of a valid netlist, each warned about once.
func TestInputWarnings(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"resistor in mega written M", "V1 a 0 1\nR1 a b 10k\nR2 b 0 1M\nR3 b 0 4.7Mohm\nR4 b 0 100m\nR5 b 0 1MEG",
			[]string{`t.cir:4:8: r2: 1M is 0.001 ohm, since SPICE reads M as milli: did you mean 1MEG? (the same for r3)`}},
		// In upper case throughout, as vendors write their models, M is milli on purpose.
		{"upper-case style", "V1 A 0 1\nR1 A B 10K\nR2 B 0 10M\nC1 B 0 1F\nC2 B 0 1P", nil},
		{"a thousand M", "V1 a 0 1\nR1 a b 10k\nR2 b 0 2000M", nil},
		{"farad written F", "V1 a 0 1\nR1 a b 1k\nC1 b 0 1F\nC2 b 0 0.5Farad\nC3 b 0 1fF\nC4 b 0 1f",
			[]string{`t.cir:4:8: c1: 1F is 1e-15 F, since SPICE reads F as femto: write 1 for 1 farad, or 1fF if femto is meant (the same for c2)`}},
		{"farad written F beside uF", "V1 A 0 1\nR1 A B 1K\nC1 B 0 100uF\nC2 B 0 1F",
			[]string{`t.cir:5:8: c2: 1F is 1e-15 F, since SPICE reads F as femto: write 1 for 1 farad, or 1fF if femto is meant`}},
		{"values of a subcircuit", ".subckt s a\nR1 a 0 1M\n.ends\nX1 n s\nX2 n s\nV1 n 0 1\nR2 n 0 1k",
			[]string{`t.cir:3:8: x1.r1: 1M is 0.001 ohm, since SPICE reads M as milli: did you mean 1MEG? (the same for x2.r1)`}},
		{"ac without an ac source", "V1 a 0 DC 1\nR1 a 0 1k\n.ac dec 10 1 1k\n.ac lin 10 1 1k",
			[]string{`t.cir:4:1: .ac: no source has an AC value, so every .ac output is zero (give one, as in V1 in 0 DC 0 AC 1)`}},
		{"ac of zero", "V1 a 0 DC 1 AC 0\nR1 a 0 1k\n.ac dec 10 1 1k",
			[]string{`t.cir:4:1: .ac: no source has an AC value, so every .ac output is zero (give one, as in V1 in 0 DC 0 AC 1)`}},
		{"ac source", "I1 0 a AC 1\nR1 a 0 1k\n.ac dec 10 1 1k", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.src)
			var got []string
			for _, w := range c.Warnings {
				got = append(got, w.Error())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestTitleLooksLikeAnElement: a title that looks like an element whose nodes the circuit
// uses is warned about (the netlist lost that element); a title in words is not.
func TestTitleLooksLikeAnElement(t *testing.T) {
	tests := []struct{ src, want string }{
		{"V1 in 0 1\nR1 in out 1k\nR2 out 0 1k\n.op\n.end\n", `t.cir:1:1: the first line, "V1 in 0 1", is the netlist's title, not an element: the first line is always the title (add one above it)`},
		{"vin 1 0 dc 5\nr1 1 2 1k\nr2 2 0 1k\n.end\n", `t.cir:1:1: the first line, "vin 1 0 dc 5", is the netlist's title, not an element: the first line is always the title (add one above it)`},
		{"Behavioural R, C and L at 50 C\nV1 a 0 1\nR1 a c 1k\nC1 c 0 1n\n.end\n", ""},
		{"RC filter 1\nV1 a 0 1\nR1 a c 1k\nC1 c 0 1n\n.end\n", ""},
		{"V1 x 0 1\nV1 a 0 1\nR1 a 0 1k\n.end\n", ""}, // its nodes are not the circuit's
	}
	for _, tc := range tests {
		c, err := Parse("t.cir", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, w := range c.Warnings {
			if w.Pos.Line == 1 {
				got = w.Error()
			}
		}
		if got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	for title, want := range map[string]string{
		"V1 a 0 1": "an element", ".tran 1u 1m": "a dot command", ".include x": "a dot command",
		"An RC filter": "", "Diode test circuit": "", "M1 d g 0 0 nmos": "an element", ".nothing": "", "": "",
	} {
		if got := LooksLikeLine(title); got != want {
			t.Errorf("LooksLikeLine(%q) = %q, want %q", title, got, want)
		}
	}
}
