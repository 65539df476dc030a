package parser

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// TestModelCardForms: the model cards ngspice 39 accepts beyond name=value lists, each
// read as ngspice reads it (the values measured with ngspice 39 on a diode at 0.7 V:
// is=1e-14 gives 5.67 mA, is=1e-12 0.567 A, is=1e-12 n=2 0.753 uA, so that the
// numbers show which value ngspice took; netlists/syntax_test.go runs them against it).
func TestModelCardForms(t *testing.T) {
	tests := []struct {
		card  string
		want  map[string]float64
		warns []string
	}{
		{".model dm d is=1e-14 is=1e-12", map[string]float64{"is": 1e-12},
			[]string{`t.cir:3:22: parameter "is" of model "dm" given again: the last value is used, as in ngspice`}},
		{".model dm d is 1e-12", map[string]float64{"is": 1e-12}, nil},
		{".model dm d is=1e-12 n 2", map[string]float64{"is": 1e-12, "n": 2}, nil},
		{".param p=3\n.model dm d n p", map[string]float64{"n": 3}, nil},
		{".model dm d (is=1e-12) (n=2)", map[string]float64{"is": 1e-12, "n": 2}, nil},
		{".model dm d ((is=1e-12 n=2))", map[string]float64{"is": 1e-12, "n": 2}, nil},
		{".model dm d(is=1e-12 (n=2))", map[string]float64{"is": 1e-12, "n": 2}, nil},
		{".model dm d is=(1e-12)", map[string]float64{"is": 1e-12}, nil},
		{".model dm d is=1e-12, n=2", map[string]float64{"is": 1e-12, "n": 2}, nil},
		{".model dm d is=1e-12 .00 n=2", map[string]float64{"is": 1e-12, "n": 2},
			[]string{`t.cir:3:22: unrecognized parameter ".00" ignored (as in ngspice)`}},
		{".model dm d is 1e-12 = .006", map[string]float64{"is": 1e-12},
			[]string{`t.cir:3:24: unrecognized parameter ".006" ignored (as in ngspice)`}},
		{".model dm d (is=1e-12)\n+ n=2)", map[string]float64{"is": 1e-12, "n": 2}, nil},
		{".model dm d is=1e-12) n=2", map[string]float64{"is": 1e-12, "n": 2}, nil},
	}
	for _, tc := range tests {
		c := mustParse(t, "D1 a 0 dm\n"+tc.card)
		m := c.Models["dm"]
		if m == nil {
			t.Errorf("%q: no model dm", tc.card)
			continue
		}
		got := map[string]float64{}
		for _, p := range m.Params {
			got[p.Name] = p.Value
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: params %v, want %v", tc.card, got, tc.want)
		}
		var warns []string
		for _, w := range c.Warnings {
			warns = append(warns, w.Error())
		}
		if !reflect.DeepEqual(warns, tc.warns) {
			t.Errorf("%q:\n warnings %q\n     want %q", tc.card, warns, tc.warns)
		}
	}
}

// TestModelCardFormsRefused: a name with nothing after it is still refused (ngspice
// would read it as a flag parameter, of which gospice's models have none).
func TestModelCardFormsRefused(t *testing.T) {
	got := parseErrors(t, "D1 a 0 dm\n.model dm d is=1e-12 n")
	want := []string{`t.cir:3:22: expected name=value, found "n"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestElementRepeatedValues: the last of a repeated parameter or value is used, and a
// value may follow the model name (R a b MODEL value), as in ngspice 39 (measured:
// R1 a 0 1k 2k, R1 a 0 1k r=2k and R1 a 0 r=1k r=2k are 2k, R1 a 0 r=2k 1k is 1k,
// R1 a 0 rm 1k is 1k; R1 a 0 rm 1k 2k is an error in ngspice too).
func TestElementRepeatedValues(t *testing.T) {
	tests := []struct {
		line  string
		value float64
		m     float64
		warns int
	}{
		{"R1 a 0 1k 2k", 2e3, 1, 1},
		{"R1 a 0 1k\n+ 2k", 2e3, 1, 1},
		{"R1 a 0 1k r=2k", 2e3, 1, 1},
		{"R1 a 0 r=1k r=2k", 2e3, 1, 1},
		{"R1 a 0 r=2k 1k", 1e3, 1, 1},
		{"R1 a 0 rm 1k", 1e3, 1, 0},
		{"R1 a 0 1k m=1 m=2", 1e3, 2, 1},
		{"R1 a 0 1k m=3 m=1 m=2", 1e3, 2, 2},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.line+"\n.model rm r")
		el := c.Elements[0]
		m := 1.0
		for _, p := range el.Params() {
			if p.Name == "m" {
				m = p.Value
			}
		}
		if !el.HasValue || el.Value != tc.value || m != tc.m || len(c.Warnings) != tc.warns {
			t.Errorf("%q: value %g (set %v), m %g, %d warnings %q; want %g, m %g, %d warnings",
				tc.line, el.Value, el.HasValue, m, len(c.Warnings), c.Warnings, tc.value, tc.m, tc.warns)
		}
	}
}

// TestIfSingleEquals: .if (x = 2) compares, as in ngspice 39 (measured: with x=2 the
// .elseif (x = 2) branch is taken); ==, <=, >= and != keep their meaning.
func TestIfSingleEquals(t *testing.T) {
	tests := []struct{ cond, want string }{
		{"(x = 2)", "r2"}, {"(x=2)", "r2"}, {"(x == 2)", "r2"}, {"(x <= 1)", "r3"},
		{"(x >= 2)", "r2"}, {"(x != 2)", "r3"}, {"(x = 1)", "r3"},
	}
	for _, tc := range tests {
		src := ".param x=2\n.if (x = 5)\nR1 a 0 1\n.elseif " + tc.cond + "\nR2 a 0 2\n.else\nR3 a 0 3\n.endif"
		c := mustParse(t, src)
		if len(c.Elements) != 1 || c.Elements[0].Name != tc.want {
			t.Errorf("%s: elements %v, want %s", tc.cond, c.Elements, tc.want)
		}
	}
}

// TestICInsideSubckt: .ic and .nodeset inside a .subckt name the instance's nodes (its
// ports the nodes of the X line), as in ngspice 39 (measured: .ic v(q)=0.5 inside x1
// starts v(x1.q) at 0.5).
func TestICInsideSubckt(t *testing.T) {
	c := mustParse(t, ".subckt s p\nR1 p q 1k\nC1 q 0 1u\n.ic v(q)=0.5 v(p)=1\n.nodeset v(q)=0.25\n.ends\n"+
		"X1 a s\nX2 b s\n.ic v(a)=2")
	var ics, sets []string
	for _, ic := range c.ICs {
		ics = append(ics, ic.Node)
	}
	for _, ns := range c.Nodesets {
		sets = append(sets, ns.Node)
	}
	if want := []string{"x1.q", "a", "x2.q", "b", "a"}; !reflect.DeepEqual(ics, want) {
		t.Errorf(".ic nodes %q, want %q", ics, want)
	}
	if want := []string{"x1.q", "x2.q"}; !reflect.DeepEqual(sets, want) {
		t.Errorf(".nodeset nodes %q, want %q", sets, want)
	}
}

// TestPrintPartFunctions: db(v(out)), ph(), mag(), abs(), real(), imag() around v() and
// i() in .print and .save are vdb(out), vp() ... (ngspice 39 prints db(v(b)) equal to
// vdb(b), abs(v(b)) equal to mag(v(b)); measured on an RC at its corner frequency).
func TestPrintPartFunctions(t *testing.T) {
	c := mustParse(t, "V1 a 0 ac 1\nR1 a b 1k\nC1 b 0 1u\n.ac lin 1 1k 1k\n"+
		".print ac db(v(b)) ph(v(a,b)) mag(i(v1)) abs(v(b)) real(v(b)) imag(i(v1)) phase(b)")
	var got []string
	for _, v := range c.Prints[0].Vectors {
		got = append(got, v.Name)
	}
	want := []string{"vdb(b)", "vp(a,b)", "im(v1)", "vm(b)", "vr(b)", "ii(v1)", "vp(b)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("vectors %q, want %q", got, want)
	}
	for _, tc := range []struct{ line, want string }{
		{".print ac db(1)", `t.cir:2:11: db() takes a vector such as v(out) or i(v1), found "db(1)"`},
		{".print ac db(vm(b))", `t.cir:2:11: db() takes v() or i(), found "vm(b)"`},
		{".print ac db(v(b),v(a))", `t.cir:2:11: db() takes a vector such as v(out) or i(v1), found "db(v(b),v(a))"`},
	} {
		got := parseErrors(t, "V1 a 0 ac 1\nR1 a b 1k\n"+tc.line)
		if len(got) != 1 || got[0] != strings.Replace(tc.want, "2:", "4:", 1) {
			t.Errorf("%s: %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestSPICE2Sources: SPICE2's source forms (source_forms.go) read as their modern
// spelling; netlists/syntax_test.go runs them against ngspice.
func TestSPICE2Sources(t *testing.T) {
	tests := []struct {
		line string
		kind string
		args []float64
		dc   float64
		ac   bool
	}{
		{"V1 a 0 0 (PULSE 0 1 1n 1n 1n 5n 10n)", "pulse", []float64{0, 1, 1e-9, 1e-9, 1e-9, 5e-9, 10e-9}, 0, false},
		{"V1 a 0 0.5 (SIN 0 1 1meg) (AC 1)", "sin", []float64{0, 1, 1e6}, 0.5, true},
		{"V1 a 0 (PWL 0 0 1n 1)", "pwl", []float64{0, 0, 1e-9, 1}, 0, false},
		{"V1 a 0 PWL (0 0) (1n 1) (2n 0.5)", "pwl", []float64{0, 0, 1e-9, 1, 2e-9, 0.5}, 0, false},
		{"V1 a 0 PWL((0 0) (1n 1))", "pwl", []float64{0, 0, 1e-9, 1}, 0, false},
		{"V1 a 0 DC PWL(0 2 1n 1)", "pwl", []float64{0, 2, 1e-9, 1}, 0, false},
		{"I1 a 0 DC 1m (SIN 0 1 1k)", "sin", []float64{0, 1, 1e3}, 1e-3, false},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.line+"\nR1 a 0 1k")
		src := c.Elements[0].Source()
		if src == nil || src.Wave == nil {
			t.Errorf("%s: no waveform", tc.line)
			continue
		}
		args := src.Wave.Args
		if src.Wave.Kind != tc.kind || !reflect.DeepEqual(args, tc.args) || src.DC != tc.dc || src.HasAC != tc.ac {
			t.Errorf("%s: %s %v DC %g AC %v, want %s %v DC %g AC %v", tc.line, src.Wave.Kind, args, src.DC, src.HasAC, tc.kind, tc.args, tc.dc, tc.ac)
		}
	}
	// DC with nothing after it, or a number-less group, is still refused.
	for _, tc := range []struct{ line, want string }{
		{"V1 a 0 DC", `t.cir:2:8: DC of "v1" needs a value`},
		{"V1 a 0 0 (1 2)", `t.cir:2:10: unexpected "(1 2)" in source "v1"`},
	} {
		if got := parseErrors(t, tc.line); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestProbe: .probe's items become Circuit.Probes (probe.go), those of devices through the
// zero-volt sources it inserts; what ngspice does not read is warned about and ignored. A
// ')' that closes nothing on a .probe line ends the word before it, warned about and
// ignored with it, as ngspice 39 does ("unknown .probe parameter hhhh)",
// examples/probe/mos-test.cir; it reads v(b)) as v(b) and a ")", measured); elsewhere it
// is still an error.
func TestProbe(t *testing.T) {
	const unknown = " ignored: expected v(), i(), vd(), p() or alli"
	tests := []struct {
		src           string
		probes, warns []string
	}{
		{"V1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.probe i(r1) v(b) v(a,b) alli vd(r2) i(m1:d)\n.op",
			[]string{"i(r1)", "v(b)", "v(a,b)", "i(v1)", "i(r2)", "v(vd_r2)"},
			[]string{`t.cir:5:38: .probe i(m1:d) ignored: no device "m1"`}},
		{"V1 a 0 1\nR1 a 0 1k\n.probe v(a) hhhh) i(v1) ) v(a))\n.op",
			[]string{"v(a)", "i(v1)"},
			[]string{`t.cir:4:13: .probe hhhh)` + unknown, `t.cir:4:25: .probe )` + unknown, `t.cir:4:31: .probe )` + unknown}},
		{"V1 a 0 1\nM1 a a 0 0 nm\n.model nm nmos\n.probe i(m1:1) i(m1,s) vd(m1:d:s) vd(m1:g:g) i(m1:z) p(m1)\n.op",
			[]string{"i(m1:d)", "i(m1:s)", "v(vd_m1:d:s)", "m1:power"},
			[]string{`t.cir:5:35: .probe vd(m1:g:g) ignored: the same terminal twice`, `t.cir:5:46: .probe i(m1:z) ignored: m1 has no terminal z (it has d, g, s, b_tj)`}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		var got, warns []string
		for _, v := range c.Probes {
			got = append(got, v.Name)
		}
		for _, w := range c.Warnings {
			warns = append(warns, w.Error())
		}
		if !reflect.DeepEqual(got, tc.probes) || !reflect.DeepEqual(warns, tc.warns) {
			t.Errorf("%q:\n probes %q, want %q\n warnings %q\n want %q", tc.src, got, tc.probes, warns, tc.warns)
		}
	}
	if errs := parseErrors(t, "R1 a 0 1k)\n.op"); len(errs) != 1 || !strings.Contains(errs[0], "unmatched ')'") {
		t.Errorf("a stray ')' elsewhere: %q, want unmatched ')'", errs)
	}
}

// TestVendorModelForms: forms of vendors' op-amp models (MCP6041.txt) that ngspice 39
// reads (each measured): VALUE {expr} without '=' on E and G lines (not VOL or CUR: an
// error in ngspice too), a TABLE whose parentheses do not balance, tc=a,b on a resistor
// (tc1 and tc2).
func TestVendorModelForms(t *testing.T) {
	for _, line := range []string{"E97 99 0 VALUE { V(a)*((V(a)-1)*1.39 + -1.5)}", "G1 99 0 value {v(a)*2}"} {
		c := mustParse(t, line)
		el := c.Elements[0]
		if el.Expr() == nil || el.ExprKind() != "value" || len(el.Nodes) != 2 {
			t.Errorf("%q: expr %v kind %q nodes %q", line, el.Expr(), el.ExprKind(), el.Nodes)
			continue
		}
		v, err := expr.Eval(el.Expr(), map[string]float64{"v(a)": 2})
		want := map[byte]float64{'e': -0.22, 'g': 4}[el.Kind] // ngspice 39: v(99) = -0.22 and -4 across 1 ohm
		if err != nil || math.Abs(v-want) > 1e-12 {
			t.Errorf("%q at v(a)=2: %g %v, want %g", line, v, err, want)
		}
	}
	if errs := parseErrors(t, "E2 99 0 vol {v(a)*3}"); len(errs) == 0 {
		t.Errorf("vol without '=': no error")
	}

	// ngspice 39: v(5) is -1n with V(1) = 2 across 1 ohm, the table's last y.
	c := mustParse(t, "G36 5 0 TABLE {V(1)} ((-3.5k,-1)((-3.4k,-1n)(0,0)(1,1n))")
	for _, at := range []struct{ x, want float64 }{{-4e3, -1}, {-3.45e3, -0.5 - 0.5e-9}, {0.5, 0.5e-9}, {2, 1e-9}} {
		v, err := expr.Eval(c.Elements[0].Expr(), map[string]float64{"v(1)": at.x})
		if err != nil || math.Abs(v-at.want) > 1e-15*math.Max(1, math.Abs(at.want)) {
			t.Errorf("table at %g: %g %v, want %g", at.x, v, err, at.want)
		}
	}

	c = mustParse(t, "R31 31 0 1 TC=2.25M,-15U\nR2 a 0 1k tc = 4m , 5u\nR3 a 0 1k tc=3m")
	for i, want := range []map[string]float64{{"tc": 2.25e-3, "tc2": -15e-6}, {"tc": 4e-3, "tc2": 5e-6}, {"tc": 3e-3}} {
		got := map[string]float64{}
		for _, p := range c.Elements[i].Params() {
			got[p.Name] = p.Value
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: params %v, want %v", c.Elements[i].Name, got, want)
		}
	}
	for line, want := range map[string]string{
		"R1 a 0 1k tc=1m,2u,3u": `t.cir:2:20: tc of "r1" takes a single value`,
		"C1 a 0 1p tc=1m,2u":    `t.cir:2:17: tc of "c1" takes a single value`,
	} {
		if errs := parseErrors(t, line); len(errs) != 1 || errs[0] != want {
			t.Errorf("%q: errors %q, want %q", line, errs, want)
		}
	}
}

// TestDOSEndOfFile: a ^Z that only white space follows ends the file, as MS-DOS editors
// wrote it (TL072.301; ngspice 39 reads it); a ^Z inside a line is an invalid character.
func TestDOSEndOfFile(t *testing.T) {
	for _, src := range []string{"R1 a 0 1k\r\n.end\r\n\x1a", "R1 a 0 1k\n\x1a\n\n", "R1 a 0 1k\x1a"} {
		c := mustParse(t, src)
		if len(c.Elements) != 1 || c.Elements[0].Value != 1e3 {
			t.Errorf("%q: elements %+v", src, c.Elements)
		}
	}
	want := []string{"t.cir:2:10: invalid character U+001A"}
	if got := parseErrors(t, "R1 a 0 1k\x1a2\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("^Z inside a line: %q, want %q", got, want)
	}
}

// TestTempSeveralValues: a .temp of several temperatures is ignored and leaves the
// default temperature, even after an earlier .temp, as ngspice 39 does (measured: "Could
// not set temperature to 50 75", then TEMP = 27; examples/TransImpedanceAmp/output.net
// has .TEMP 0 25 50 75 100).
func TestTempSeveralValues(t *testing.T) {
	for src, want := range map[string]struct {
		has  bool
		temp float64
	}{
		".temp 40\n.temp 50 75": {false, 0},
		".temp 50 75\n.temp 40": {true, 40},
		".temp 0 25 50 75 100":  {false, 0},
	} {
		c := mustParse(t, "R1 a 0 1k\n"+src)
		if c.HasTemp != want.has || c.Temp != want.temp {
			t.Errorf("%q: temp %g (set %v), want %g (set %v)", src, c.Temp, c.HasTemp, want.temp, want.has)
		}
	}
}
