package parser

import (
	"reflect"
	"testing"
)

func TestPZErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{".pz 1 0 2", []string{`t.cir:2:10: .pz: missing out-: pz in+ in- out+ out- vol|cur pol|zer|pz`}},
		{".pz 1 0 2 0 vol pz 3", []string{`t.cir:2:20: .pz: too many arguments: pz in+ in- out+ out- vol|cur pol|zer|pz`}},
		{".pz 1 0 2 0 volt pz", []string{`t.cir:2:13: .pz: expected vol or cur, found "volt"`}},
		{".pz 1 0 2 0 cur poles", []string{`t.cir:2:17: .pz: expected pol, zer or pz, found "poles"`}},
		{".pz 1 1 2 0 cur pz", []string{`t.cir:2:7: .pz: the input nodes are the same node "1"`}},
		{".pz v(1) 0 2 0 cur pz", []string{`t.cir:2:5: .pz: expected in+, found "v(1)"`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestPZRead(t *testing.T) {
	c, err := parse("t.cir", []byte("t\nr1 a 0 1\nc1 a b 1\nr2 b 0 1\n.pz A gnd b 0 cur zer\n"))
	if err != nil {
		t.Fatal(err)
	}
	pz, ok := c.Analyses[0].(*PZ)
	if !ok || pz.In != [2]string{"a", "0"} || pz.Out != [2]string{"b", "0"} || !pz.Current || pz.Poles || !pz.Zeros {
		t.Errorf("%+v", c.Analyses[0])
	}
}
