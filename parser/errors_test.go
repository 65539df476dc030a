package parser

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestErrors checks each error with its exact position and message. The sources get a
// title line, so their first line is line 2.
func TestErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		// Elements.
		{"x1 a b sub", []string{`t.cir:2:8: unknown subcircuit "sub"`}},
		{"  N1 a b c nmod", []string{`t.cir:2:3: unknown element "n1" (kind N is not supported)`}},
		{"1abc a b", []string{`t.cir:2:1: unknown element "1abc" (an element name starts with a letter)`}},
		{"R1 a b 1\nr1 c d 2", []string{`t.cir:3:1: duplicate element name "r1" (first defined at t.cir:2)`}},
		{"R1 a b 1\nC1 a b 1\n\nR1 c d 2", []string{`t.cir:5:1: duplicate element name "r1" (first defined at t.cir:2)`}},
		{"R1 a", []string{`t.cir:2:5: missing node: resistor "r1" needs 2 nodes, found 1`}},
		{"R1", []string{`t.cir:2:3: missing node: resistor "r1" needs 2 nodes, found 0`}},
		{"V1 a ; comment", []string{`t.cir:2:5: missing node: voltage source "v1" needs 2 nodes, found 1`}},
		{"R1 a m=2 1k", []string{`t.cir:2:6: expected a node name, found "m=2"`}},
		{"R1 (a) b 1", []string{`t.cir:2:4: expected a node name, found "(a)"`}},
		{"R1 a b", []string{`t.cir:2:1: resistor "r1" has no value`}},
		{"C1 a b m=2", []string{`t.cir:2:1: capacitor "c1" has no value`}},
		{"L1 a b IC=1", []string{`t.cir:2:1: inductor "l1" has no value`}},
		{"R1 a b rmod rmod2\n.model rmod r", []string{`t.cir:2:13: unexpected "rmod2" in "r1"`}},
		{"R1 a b rmod 1k 2k\n.model rmod r", []string{`t.cir:2:16: unexpected "2k" after the model name`}},
		{"R1 a b v(1)", []string{`t.cir:2:8: unexpected "v(1)" in "r1"`}},
		{"R1 a b abc", []string{`t.cir:2:8: unknown model "abc"`}},
		// A CIDER model: one error, not one per card of its own language (examples/cider).
		{"q1 c b e qm area=2\n.model qm nbjt level=1\n+ title One-Dimensional Numerical Bipolar\n+ x.mesh loc=0.0 n=1", []string{`t.cir:3:11: model "qm": "nbjt" is a CIDER numerical device model, which gospice does not simulate`}},
		{"R1 a b 4k7", []string{`t.cir:2:8: unknown model "4k7" (values in RKM notation, like 4k7, are not supported)`}},
		{"R1 a b 1k m=abc", []string{`t.cir:2:13: expected a number, found "abc"`}},
		{"R1 a b 1e400", []string{`t.cir:2:8: number out of range: "1e400"`}},
		{"R1 a b 1e308meg", []string{`t.cir:2:8: number out of range: "1e308meg"`}},
		{"R1 a b {x+1}", []string{`t.cir:2:9: unknown parameter "x"`}},
		{"R1 a b 'x'", []string{`t.cir:2:9: unknown parameter "x"`}},
		{"R1 a b r={x}", []string{`t.cir:2:11: unknown parameter "x"`}},
		{"R1 a b {1e999}", []string{`t.cir:2:9: number out of range: 1e999`}},
		{"R1 a b 1 m=v(1)", []string{`t.cir:2:12: m must not depend on v(1)`}},
		{"R1 a b 1 (m=1)", []string{`t.cir:2:10: unexpected "(m=1)" in "r1"`}},
		{"R1 a b 1 f(x)=2", []string{`t.cir:2:10: expected name=value, found "f(x)=2"`}},
		{"C1 a b 1p IC=1,2", []string{`t.cir:2:16: ic of "c1" takes a single value`}},
		{"R1 a b 1k m=2, 3, 4", []string{`t.cir:2:16: m of "r1" takes a single value`}},
		{"R1 a b 1k f(x)=2,3", []string{`t.cir:2:11: expected name=value, found "f(x)=2"`, `t.cir:2:18: f(x) of "r1" takes a single value`}},
		{"R1 a b rmod\n.model rmod r(rsh=x)", []string{`t.cir:3:19: expected a number, found "x"`}},

		// Sources.
		{"V1 a b DC", []string{`t.cir:2:8: DC of "v1" needs a value`}},
		{"V1 a b 1 2", []string{`t.cir:2:10: unexpected "2" in source "v1"`}},
		{"V1 a b DC 1 DC 2", []string{`t.cir:2:13: DC value of "v1" given twice`}},
		{"V1 a b 1 dc=2", []string{`t.cir:2:10: DC value of "v1" given twice`}},
		{"V1 a b AC 1 AC 2", []string{`t.cir:2:13: AC value of "v1" given twice`}},
		{"V1 a b AC 1 2 3", []string{`t.cir:2:15: unexpected "3" in source "v1"`}},
		{"V1 a b DC x", []string{`t.cir:2:8: DC of "v1" needs a value`, `t.cir:2:11: unexpected "x" in source "v1"`}},
		{"V1 a b ac=x", []string{`t.cir:2:11: expected a number, found "x"`}},
		{"V1 a b pulse(0)", []string{`t.cir:2:8: pulse takes 2 to 8 arguments (v1 v2 [td tr tf pw per np]), found 1`}},
		{"V1 a b pulse()", []string{`t.cir:2:8: pulse takes 2 to 8 arguments (v1 v2 [td tr tf pw per np]), found 0`}},
		{"V1 a b pulse(0 1 2 3 4 5 6 7 8)", []string{`t.cir:2:30: pulse takes 2 to 8 arguments (v1 v2 [td tr tf pw per np]), found 9`}},
		{"V1 a b PULSE 0 1 2 3 4 5 6 7 8", []string{`t.cir:2:30: pulse takes 2 to 8 arguments (v1 v2 [td tr tf pw per np]), found 9`}},
		{"V1 a b sin(0)", []string{`t.cir:2:8: sin takes 2 to 6 arguments (vo va [freq td theta phase]), found 1`}},
		{"V1 a b sin(0 1 2 3 4 5 6)", []string{`t.cir:2:24: sin takes 2 to 6 arguments (vo va [freq td theta phase]), found 7`}},
		{"V1 a b exp(0 1 2 3 4 5 6)", []string{`t.cir:2:24: exp takes 2 to 6 arguments (v1 v2 [td1 tau1 td2 tau2]), found 7`}},
		{"V1 a b pwl(0)", []string{`t.cir:2:8: pwl takes at least 2 arguments (t1 v1 [t2 v2 ...]), or file=name, found 1`}},
		{"V1 a b pwl(0 0 1m 1) r=0.5m", []string{`t.cir:2:24: pwl r=0.0005 is not one of its time points: r= is the time point the repetition starts from`}},
		{"V1 a b pwl(0 0 1m 1) r=1m", []string{`t.cir:2:24: pwl r=0.001 is the last time point: the stretch repeated, from r= to the last point, would be empty`}},
		{"V1 a b pwl(0 0 1m 1) r=2m", []string{`t.cir:2:24: pwl r=0.002 is after the last time point (0.001): r= is the time point the repetition starts from`}},
		{"V1 a b pwl(0 0 1m 1 r=0 r=0)", []string{`t.cir:2:25: r= given twice in pwl`}},
		{"V1 a b pwl(0 0 1m 1) td=x", []string{`t.cir:2:25: expected a number, found "x"`}},
		{"V1 a b pwl(0 0 1m 1) tdd=1", []string{`t.cir:2:22: unexpected "tdd=1" in source "v1"`}},
		{"V1 a b pwl(0 0 1m 1 x=1)", []string{`t.cir:2:21: unexpected "x=1" in pwl`}},
		{"V1 a b pulse(0 1) r=0", []string{`t.cir:2:19: unexpected "r=0" in source "v1"`}},
		{"V1 a b pwl(0 0 file=x.txt)", []string{`t.cir:2:12: pwl takes its points from file= or from the line, not both`}},
		{"V1 a b pwl file=\"x y.txt", []string{`t.cir:2:17: unterminated quote in the file name`}},
		{"V1 a b pwl file=nowhere.txt", []string{`t.cir:2:17: cannot read "nowhere.txt": no such file`}},
		{"V1 a b pwl(0 1 2)", []string{`t.cir:2:16: pwl takes time-value pairs, found 3 numbers`}},
		{"V1 a b pwl(0 0 2n 1 1n 2)", []string{`t.cir:2:21: pwl times must not decrease: 1e-09 after 2e-09`}},
		{"V1 a b pulse(0 1) sin(0 1)", []string{`t.cir:2:19: "v1" has two waveforms (pulse and sin)`}},
		{"V1 a b sffm(0)", []string{`t.cir:2:8: sffm takes 2 to 8 arguments (vo va [fc mdi fs ...]), found 1`}},
		{"V1 a b external", []string{`t.cir:2:8: source function external is not supported yet`}},
		{"V1 a b pulse(0 x)", []string{`t.cir:2:16: expected a number, found "x"`}},
		{"V1 a b pulse(0 1 td=2)", []string{`t.cir:2:18: unexpected "td=2" in pulse`}},
		{"V1 a b pwl() exp(0 1)", []string{`t.cir:2:8: pwl takes at least 2 arguments (t1 v1 [t2 v2 ...]), or file=name, found 0`, `t.cir:2:14: "v1" has two waveforms (pwl and exp)`}},
		{"V1 a b foo", []string{`t.cir:2:8: unexpected "foo" in source "v1"`}},
		{"V1 a b m=2", []string{`t.cir:2:8: unexpected "m=2" in source "v1"`}},
		{"I1 a b 1e400", []string{`t.cir:2:8: number out of range: "1e400"`}},

		// Dot lines.
		{".foo", []string{`t.cir:2:1: unknown control line ".foo"`}},
		{".FOO bar", []string{`t.cir:2:1: unknown control line ".foo"`}},
		{".subckt x a b", []string{`t.cir:2:1: missing .ends for .subckt x`}},
		{".ends", []string{`t.cir:2:1: .ends without .subckt`}},
		{".temp", []string{`t.cir:2:6: missing temperature: .temp value (degrees C)`}},
		{".temp x", []string{`t.cir:2:7: expected a number, found "x"`}},
		{".temp t=27", []string{`t.cir:2:7: expected a number, found "t=27"`}},
		{".temp -300", []string{`t.cir:2:7: temperature below absolute zero: -300 degrees C`}},
		{".temp 1e400", []string{`t.cir:2:7: number out of range: "1e400"`}},
		{".endc", []string{`t.cir:2:1: .endc without .control`}},
		{".op 1", []string{`t.cir:2:5: unexpected "1" after .op`}},
		{".tran", []string{`t.cir:2:6: missing tstep or tstop: .tran tstep tstop [tstart [tmax]] [uic]`}},
		{".tran 1n", []string{`t.cir:2:9: missing tstep or tstop: .tran tstep tstop [tstart [tmax]] [uic]`}},
		{".tran -1 1u", []string{`t.cir:2:7: tstep must be positive, got -1`}},
		{".tran 0 0", []string{`t.cir:2:7: tstep must be positive, got 0`}},
		{".tran 1n -1u", []string{`t.cir:2:10: tstop must be positive, got -1e-06`}},
		{".tran 1n 1u 2u", []string{`t.cir:2:13: tstart (2e-06) must be less than tstop (1e-06)`}},
		{".tran 1n 1u 1u", []string{`t.cir:2:13: tstart (1e-06) must be less than tstop (1e-06)`}},
		{".tran 1n 1u -1n", []string{`t.cir:2:13: tstart must not be negative, got -1e-09`}},
		{".tran 1n 1u 0 -1n", []string{`t.cir:2:15: tmax must not be negative, got -1e-09`}},
		{".tran 1n 1u 0 1n 5", []string{`t.cir:2:18: too many arguments: .tran tstep tstop [tstart [tmax]] [uic]`}},
		{".tran 1n x", []string{`t.cir:2:10: expected a number, found "x"`}},
		{".tran 1n 1e400", []string{`t.cir:2:10: number out of range: "1e400"`}},
		{".tran 1n 1u uic 5", []string{`t.cir:2:13: expected a number, found "uic"`}},
		{".ac foo 10 1 10", []string{`t.cir:2:5: expected dec, oct or lin, found "foo"`}},
		{".ac", []string{`t.cir:2:4: missing sweep type: .ac dec|oct|lin points fstart fstop`}},
		{".ac dec 10 1", []string{`t.cir:2:13: missing fstop: .ac dec|oct|lin points fstart fstop`}},
		{".ac dec 10 0 10", []string{`t.cir:2:12: fstart must be positive for a dec sweep, got 0`}},
		{".ac dec 2.5 1 10", []string{`t.cir:2:9: the number of points must be a positive integer, got 2.5`}},
		{".ac lin 0 1 10", []string{`t.cir:2:9: the number of points must be a positive integer, got 0`}},
		{".ac lin 10 10 1", []string{`t.cir:2:15: fstop (1) must not be less than fstart (10)`}},
		{".ac lin 10 -1 1", []string{`t.cir:2:12: fstart must not be negative, got -1`}},
		{".ac dec 10 1 10 100", []string{`t.cir:2:17: too many arguments: .ac dec|oct|lin points fstart fstop`}},
		{".dc", []string{`t.cir:2:4: missing source: .dc source start stop step [source2 start2 stop2 step2]`}},
		{".dc vin 0 1", []string{`t.cir:2:12: missing step of vin: .dc source start stop step [source2 start2 stop2 step2]`}},
		{".dc vin 0 1 0", []string{`t.cir:2:13: the step of vin must not be zero`}},
		{".dc vin 0 1 -0.1", []string{`t.cir:2:13: the step of vin (-0.1) goes away from stop (1)`}},
		{".dc 1 0 1 0.1", []string{`t.cir:2:5: expected a source name, found "1"`}},
		{".dc v1 0 1 .1 v2 0 1 .1 v3", []string{`t.cir:2:25: too many arguments: .dc source start stop step [source2 start2 stop2 step2]`}},
		{".ic v(1)", []string{`t.cir:2:5: expected v(node)=value, found "v(1)"`}},
		{".ic x=1", []string{`t.cir:2:5: expected v(node)=value, found "x=1"`}},
		{".ic v(a,b)=1", []string{`t.cir:2:5: expected v(node)=value, found "v(a,b)=1"`}},
		{".ic v(1)=x", []string{`t.cir:2:10: expected a number, found "x"`}},
		{".ic v(1)=0 i(x)=1", []string{`t.cir:2:12: expected v(node)=value, found "i(x)=1"`}},
		{".ic v({x})=1", []string{`t.cir:2:7: expected a node name, found "{x}"`}},
		{".options reltol=abc", []string{`t.cir:2:17: expected a number, found "abc"`}},
		{".options method=euler", []string{`t.cir:2:17: unknown integration method "euler" (expected trap or gear)`}},
		{".options method=1", []string{`t.cir:2:17: unknown integration method "1" (expected trap or gear)`}},
		{".options corners=all", []string{`t.cir:2:18: unknown corners "all" (expected block or whole)`}},
		{".options reltol", []string{`t.cir:2:10: option reltol needs a value: reltol=...`}},
		{".options 1", []string{`t.cir:2:10: expected an option name, found "1"`}},
		{".print", []string{`t.cir:2:7: missing analysis type: .print tran|op|dc|ac vectors...`}},
		{".print foo v(1)", []string{`t.cir:2:8: expected an analysis type (tran, op, dc or ac), found "foo"`}},
		{".print v(1)", []string{`t.cir:2:8: expected an analysis type (tran, op, dc or ac), found "v(1)"`}},
		{".print tran", []string{`t.cir:2:12: missing vectors: .print tran vectors...`}},
		{".print tran foo(1)", []string{`t.cir:2:13: unknown output function "foo" (expected v, i, state, vm, vp, vdb, vr or vi)`}},
		{".print tran v(1,2,3)", []string{`t.cir:2:13: v() takes 1 or 2 nodes, found 3`}},
		{".print tran v()", []string{`t.cir:2:13: v() takes 1 or 2 nodes, found 0`}},
		{".print tran i(a,b)", []string{`t.cir:2:13: i() takes 1 argument, found 2`}},
		{".print tran v(x=1)", []string{`t.cir:2:15: expected a name, found "x=1"`}},
		{".print tran x=1", []string{`t.cir:2:13: expected an output vector, found "x=1"`}},
		{".save {x}", []string{`t.cir:2:8: unknown parameter "x"`}}, // Xyce's {expression} of vectors (printexpr.go)
		{".save x=1", []string{`t.cir:2:7: expected an output vector, found "x=1"`}},
		{".model", []string{`t.cir:2:7: missing model name: .model name type (name=value ...)`}},
		{".model m", []string{`t.cir:2:9: missing model type: .model name type (name=value ...)`}},
		{".model m d(is=x)", []string{`t.cir:2:15: expected a number, found "x"`}},
		{".model m d(is)", []string{`t.cir:2:12: expected name=value, found "is"`}},
		{".model m d\n.model M r", []string{`t.cir:3:8: duplicate model name "m" (first defined at t.cir:2)`}},
		{".model (a) d", []string{`t.cir:2:8: expected a model name, found "(a)"`}},
		{".model m 5", []string{`t.cir:2:10: expected a model type, found "5"`}},
		{".model m d is='1e-12 * v(1)'", []string{`t.cir:2:15: is must not depend on v(1)`}},
		{".model m nmos version={x}", []string{`t.cir:2:23: expected a version, found "{x}"`}},
		{".model m d(is=,1)", []string{`t.cir:2:15: unexpected ',' after '='`}},

		// Lexical and syntax errors stop the line; the other lines are still read.
		{"R1 a b {1k\nR2 a", []string{`t.cir:2:8: unterminated expression: missing '}'`, `t.cir:3:5: missing node: resistor "r2" needs 2 nodes, found 1`}},
		{"R1 a b (1k\n.tran -1 1", []string{`t.cir:2:8: unclosed '('`, `t.cir:3:7: tstep must be positive, got -1`}},
		{"+ r1 a b 1", []string{`t.cir:2:1: continuation line without a line to continue`}},
		{"R1 a b 1k m=", []string{`t.cir:2:12: missing value after '='`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{".options foo=1 noacct list bar", []string{`t.cir:2:10: unknown option "foo" ignored`, `t.cir:2:28: unknown option "bar" ignored`}},
		{".OPTIONS LIST NODE POST noacct", []string{`t.cir:2:20: unknown option "post" ignored`}},
		{".control\nop\nlet x = 1\n.endc", []string{`t.cir:2:1: .control block ignored (lines 2-5): interactive commands are not supported`}},
		{".control\nop", []string{`t.cir:2:1: .control block ignored (line 2 to the end: no .endc)`}},
		{"V1 a b", []string{`t.cir:2:1: "v1" has no value, DC 0 assumed`}},
		{"V1 a b dc 0 ac 1 distof1 0 0", []string{`t.cir:2:18: distof1 of "v1" ignored: distortion analysis is not supported`}},
		{".plot tran v(1)\n.width in=72", nil},
		{".temp 27 50 75", []string{`t.cir:2:10: .temp with several temperatures ignored, as in ngspice: the circuit is at the default temperature`}},
		{".temp 27\n.temp 50", []string{`t.cir:3:1: .temp given again (first at t.cir:2): the last one is used`}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		var got []string
		for _, w := range c.Warnings {
			got = append(got, w.Error())
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestErrorList(t *testing.T) {
	var src strings.Builder
	src.WriteString("title\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&src, "n%d a b c m\n", 30-i) // reversed names, errors in line order
	}
	src.WriteString(".bogus\n")
	_, err := Parse("t.cir", []byte(src.String()))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T", err)
	}
	if len(list) != MaxErrors+1 {
		t.Fatalf("got %d errors, want %d", len(list), MaxErrors+1)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != MaxErrors+1 {
		t.Errorf("Error() has %d lines", len(lines))
	}
	if lines[0] != `t.cir:2:1: unknown element "n30" (kind N is not supported)` {
		t.Errorf("first line: %s", lines[0])
	}
	if lines[MaxErrors] != "t.cir:22:1: too many errors (11 more not shown)" {
		t.Errorf("last line: %s", lines[MaxErrors])
	}
	for i := 1; i < len(list); i++ {
		if comparePos(list[i-1].Pos, list[i].Pos) > 0 {
			t.Errorf("not sorted: %v before %v", list[i-1], list[i])
		}
	}

	// Errors found in different passes come out sorted by position.
	_, err = Parse("t.cir", []byte("t\nR1 a b rmod\nR2 a b {x\n.tran -1 1\n"))
	want := "t.cir:2:8: unknown model \"rmod\"\nt.cir:3:8: unterminated expression: missing '}'\nt.cir:4:7: tstep must be positive, got -1"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	if ErrorList(nil).Err() != nil {
		t.Errorf("an empty list is not a nil error")
	}
}

func TestParseFile(t *testing.T) {
	if _, err := ParseFile("testdata/does-not-exist.cir"); err == nil {
		t.Errorf("no error for a missing file")
	}
}

// TestNoPanic feeds hostile inputs; Parse must return, with or without errors.
func TestNoPanic(t *testing.T) {
	inputs := []string{
		"", "\n", "\n\n\n", "+", "t\n+", "t\n+\n+\n", "t\n(", "t\n)", "t\n{", "t\n}", "t\n'", "t\n=",
		"t\n,", "t\n.", "t\n..", "t\n.(", "t\n.op(", "t\nr1(", "t\nr1 a b ((((((", "t\nr1 a b ))))",
		"t\nv1 a b pulse(", "t\nv1 a b pulse", "t\nv1 a b pwl", "t\nv1 a b ac ac ac", "t\n.model",
		"t\n.ic v(", "t\n.ic v()=", "t\n.print tran v(", "t\n.tran 1e999999999999 1", "t\n.options =",
		"t\n\x00\x01\x02", "t\n\xff\xfe\xfd", "\xff\n\xff", "t\nr1 a b 1" + strings.Repeat("0", 10000),
		"t\n" + strings.Repeat("(", 100000), "t\n" + strings.Repeat("{", 100000), "t\n" + strings.Repeat("+\n", 1000),
		"t\n.control", "t\n.endc\n.endc", "t\n.end", "t\n.title", "t\nr1 a b 1\n+ = = =", "t\n.ac dec 1e300 1 2",
		"t\n.dc v 0 1e300 1e-300", "t\nv1 a b sin(1e308 1e308)", "t\nr1 a b 1 m=1e400", "t\n.model m d(((a=1)))",
		"t\n.print tran v(v(a))", "t\n.save v(a)=1", "t\n.ic v(a)=v(b)", "t\nr1 a b 1\r\r\n", "t\n\t\v\f",
		"t\n.title \x00", "t\n.model m d (is=1) (n=2)", "t\n$\n;\n*\n", "t\nr1 a b '' {}",
		"t\nq1 a b c d", "t\nq1 a b c d e f g\n.model d npn", "t\nm1", "t\nd1 a b d ic=,\n.model d d",
		"t\n.temp ,", "t\n.model m d version=", "t\n.model m d version=(1)", "t\ns1 a b c d s on on off\n.model s sw",
		"t\nm1 d g s b m ic=" + strings.Repeat("1,", 10000) + "\n.model m nmos", "t\nd1 a d\n.model d d\n.model a d",
	}
	for _, in := range inputs {
		c, err := parse("f.cir", []byte(in))
		if c == nil {
			t.Errorf("%q: nil circuit (err %v)", in, err)
		}
	}
}
