package parser

import (
	"reflect"
	"testing"
)

func TestPSSErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{".pss 1e6 1u 2 256 10", []string{`t.cir:2:21: .pss: missing sciter: pss gfreq tstab oscnob psspoints harms sciter steadycoeff [uic]`}},
		{".pss 1e6 1u 2 256 10 50 5e-3 7", []string{`t.cir:2:30: .pss: too many arguments: pss gfreq tstab oscnob psspoints harms sciter steadycoeff [uic]`}},
		{".pss 0 1u 2 256 10 50 5e-3", []string{`t.cir:2:6: .pss: gfreq must be positive, got 0`}},
		{".pss 1e6 -1u 2 256 10 50 5e-3", []string{`t.cir:2:10: .pss: tstab must not be negative, got -1e-06`}},
		{".pss 1e6 1u 0 256 10 50 5e-3", []string{`t.cir:2:13: .pss: oscnob is the ground node: it does not oscillate`}},
		{".pss 1e6 1u 2 25.5 10 50 5e-3", []string{`t.cir:2:15: .pss: psspoints must be a whole number from 1 to 1e7, got 25.5`}},
		{".pss 1e6 1u 2 256 0 50 5e-3", []string{`t.cir:2:19: .pss: harms must be a whole number from 1 to 1e7, got 0`}},
		{".pss 1e6 1u 2 256 10 50 2", []string{`t.cir:2:25: .pss: steadycoeff must be between 0 and 1, got 2`}},
		{".pss 1e6 1u 2 256 10 fifty 5e-3", []string{`t.cir:2:22: .pss: sciter: "fifty" is not a number`}},
		{".pss 1e6 1u v(2) 256 10 50 5e-3", []string{`t.cir:2:13: .pss: expected oscnob, found "v(2)"`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// TestPSSRead: the seven words and uic; psspoints raised to twice harms, as ngspice does.
func TestPSSRead(t *testing.T) {
	c, err := parse("t.cir", []byte("t\nr1 Out 0 1\n.pss 3.1meg 500u OUT 8 10 50 5e-3 UIC\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := c.Analyses[0].(*PSS)
	want := PSS{Freq: 3.1e6, Stab: 500e-6, Osc: "out", Points: 20, Harms: 10, MaxIter: 50, SteadyCoeff: 5e-3, UIC: true}
	if !ok {
		t.Fatalf("%+v", c.Analyses[0])
	}
	got.Pos, got.OscPos = Pos{}, Pos{}
	if *got != want {
		t.Errorf("got %+v\nwant %+v", *got, want)
	}
}
