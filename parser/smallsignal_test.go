package parser

import (
	"reflect"
	"testing"
)

func TestSmallSignalErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{".tf", []string{`t.cir:2:4: missing the output: .tf v(out[,ref])|i(vsrc) insrc`}},
		{".tf v(out)", []string{`t.cir:2:11: missing the input source: .tf v(out[,ref])|i(vsrc) insrc`}},
		{".tf v(out) v1 v2", []string{`t.cir:2:15: too many arguments: .tf v(out[,ref])|i(vsrc) insrc`}},
		{".tf vdb(out) v1", []string{`t.cir:2:5: .tf: expected v(node), v(node,node) or i(vsource), found "vdb(out)"`}},
		{".tf v(out) r1", []string{`t.cir:2:12: .tf: expected an independent voltage or current source, found "r1"`}},
		{".sens", []string{`t.cir:2:6: missing the output: .sens v(out[,ref])|i(vsrc) [dc | ac dec|oct|lin points fstart fstop]`}},
		{".sens v(out) ac dec 10 1", []string{`t.cir:2:25: missing fstop: .sens v(out[,ref])|i(vsrc) [dc | ac dec|oct|lin points fstart fstop]`}},
		{".sens v(out) ac log 10 1 1k", []string{`t.cir:2:17: expected dec, oct or lin, found "log"`}},
		{".sens v(out) dc 1", []string{`t.cir:2:14: too many arguments: .sens v(out[,ref])|i(vsrc) [dc | ac dec|oct|lin points fstart fstop]`}},
		{".sens state(y1.f)", []string{`t.cir:2:7: .sens: expected v(node), v(node,node) or i(vsource), found "state(y1.f)"`}},
		{".four", []string{`t.cir:2:6: missing the fundamental frequency: .four freq vectors...`}},
		{".four 1k", []string{`t.cir:2:9: missing vectors: .four freq vectors...`}},
		{".four -1 v(1)", []string{`t.cir:2:7: the fundamental frequency must be positive, got -1`}},
		{".four x v(1)", []string{`t.cir:2:7: expected a number, found "x"`}},
		{".four 1k vm(1)", []string{`t.cir:2:10: .four: expected a transient vector, found "vm(1)"`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestSmallSignalRead(t *testing.T) {
	c, err := parse("t.cir", []byte("t\nv1 a 0 1\nr1 a b 1\nr2 b 0 1\n.tf v(b,a) v1\n.sens i(v1)\n.four 1e3 v(a) b i(v1)\n.tran 1u 1m\n.sens v(a) ac oct 2 1k 4k\n.sens v(b) dc\n"))
	if err != nil {
		t.Fatal(err)
	}
	tf, ok1 := c.Analyses[0].(*TF)
	sens, ok2 := c.Analyses[1].(*Sens)
	four, ok3 := c.Analyses[2].(*Four)
	if !ok1 || !ok2 || !ok3 {
		t.Fatalf("analyses %v", c.Analyses)
	}
	if tf.Out.Name != "v(b,a)" || tf.Source != "v1" || tf.TFColumns() != [3]string{"transfer_function", "v1#input_impedance", "output_impedance_at_v(b,a)"} {
		t.Errorf("tf %+v %v", tf, tf.TFColumns())
	}
	if sens.Out.Name != "i(v1)" || sens.Out.Kind != VectorCurrent {
		t.Errorf("sens %+v", sens)
	}
	if four.Freq != 1e3 || vectorNames(four.Vectors) != "v(a) v(b) i(v1)" {
		t.Errorf("four %+v", four)
	}
	acSens, ok4 := c.Analyses[4].(*Sens)
	dcSens, ok5 := c.Analyses[5].(*Sens)
	if !ok4 || !ok5 || sens.AC != nil || dcSens.AC != nil || acSens.AC == nil ||
		*acSens.AC != (AC{Sweep: "oct", Points: 2, Start: 1e3, Stop: 4e3, Pos: acSens.AC.Pos}) {
		t.Errorf("ac sens %+v, dc sens %+v", acSens, dcSens)
	}
}

func TestNoiseLine(t *testing.T) {
	c, err := parse("t.cir", []byte("t\nv1 a 0 ac 1\nr1 a b 1\nr2 b 0 1\n.noise v(b,a) v1 oct 4 10 1e6 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := c.Analyses[0].(*Noise)
	if !ok || n.Out.Name != "v(b,a)" || n.Source != "v1" || n.Sweep != "oct" || n.Points != 4 || n.Start != 10 || n.Stop != 1e6 || n.Summary != 2 {
		t.Fatalf("noise %+v", c.Analyses[0])
	}
	tests := []struct {
		src  string
		want []string
	}{
		{".noise v(b)", []string{`t.cir:2:12: missing the input source: .noise v(out[,ref]) src dec|oct|lin points fstart fstop [pts_per_summary]`}},
		{".noise i(v1) v1 dec 10 1 1k", []string{`t.cir:2:8: .noise: expected v(node) or v(node,node), found "i(v1)"`}},
		{".noise v(b) r1 dec 10 1 1k", []string{`t.cir:2:13: .noise: expected an independent voltage or current source, found "r1"`}},
		{".noise v(b) v1 log 10 1 1k", []string{`t.cir:2:16: expected dec, oct or lin, found "log"`}},
		{".noise v(b) v1 dec 10 1", []string{`t.cir:2:24: missing fstop: .noise v(out[,ref]) src dec|oct|lin points fstart fstop [pts_per_summary]`}},
		{".noise v(b) v1 dec 10 0 1k", []string{`t.cir:2:23: fstart must be positive for a dec sweep, got 0`}},
		{".noise v(b) v1 dec 10 1k 1", []string{`t.cir:2:26: fstop (1) must not be less than fstart (1000)`}},
		{".noise v(b) v1 dec 1.5 1 1k", []string{`t.cir:2:20: the number of points must be a positive integer, got 1.5`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}
