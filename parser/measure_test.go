package parser

import (
	"slices"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// measureOf parses one .meas line (after the given lines) and returns its Measure.
func measureOf(t *testing.T, before, line string) *Measure {
	t.Helper()
	src := "t\nv1 1 0 1\nr1 1 2 1k\nr2 2 0 1k\n" + before + "\n" + line + "\n.end\n"
	c, err := Parse("t.cir", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	if len(c.Measures) == 0 {
		t.Fatalf("%s: no measure", line)
	}
	return c.Measures[len(c.Measures)-1]
}

func TestMeasureForms(t *testing.T) {
	m := measureOf(t, "", ".measure TRAN tDiff TRIG v(1) VAL=0.5 RISE=1 TD=1m TARG v(1, 0) VAL=-0.5 FALL=LAST")
	if m.Analysis != "tran" || m.Name != "tdiff" || m.Func != "trig" || m.Pos.Line != 6 {
		t.Errorf("%+v", m)
	}
	if ev := m.Trig; ev.Signal.Vector.Name != "v(1)" || ev.Level != 0.5 || ev.Edge != "rise" || ev.Count != 1 || ev.Window.TD != 1e-3 {
		t.Errorf("trig %+v", ev)
	}
	if ev := m.Targ; ev.Signal.Vector.Name != "v(1,0)" || ev.Level != -0.5 || ev.Edge != "fall" || ev.Count != 0 {
		t.Errorf("targ %+v", ev)
	}

	m = measureOf(t, "", ".meas ac fixed_diff trig AT = 10k targ vdb(2) val=-3 cross=2")
	if !m.Trig.HasAt || m.Trig.At != 10e3 || m.Targ.Signal.Vector.Name != "vdb(2)" || m.Targ.Edge != "cross" || m.Targ.Count != 2 {
		t.Errorf("%+v", m)
	}

	m = measureOf(t, ".param lvl=0.25", ".meas tran t1 when v(2)=lvl from=1m to=2m")
	if m.Func != "when" || m.When.Level != 0.25 || m.When.Edge != "cross" || m.When.Count != 1 || !m.When.Window.HasFrom || m.When.Window.To != 2e-3 {
		t.Errorf("%+v", m.When)
	}

	m = measureOf(t, "", ".meas tran t2 when v(2)=v(1) rise=2")
	if m.When.Other == nil || m.When.Other.Vector.Name != "v(1)" || m.When.Edge != "rise" || m.When.Count != 2 {
		t.Errorf("%+v", m.When)
	}

	m = measureOf(t, "", ".meas tran y find v(2) when v(1)={-0.4} fall=last")
	if m.Func != "find" || m.Signal.Vector.Name != "v(2)" || m.When.Signal.Vector.Name != "v(1)" || m.When.Level != -0.4 || m.When.Count != 0 {
		t.Errorf("%+v", m)
	}

	m = measureOf(t, "", ".meas tran y deriv i(v1) at=2m")
	if m.Func != "deriv" || m.Signal.Vector.Name != "i(v1)" || !m.When.HasAt || m.When.At != 2e-3 {
		t.Errorf("%+v", m)
	}

	m = measureOf(t, ".param k=2", ".meas tran v find par('v(2)*v(1)*k') at=1m")
	if m.Signal.Expr == nil || expr.String(m.Signal.Expr) != "v(2)*v(1)*2" || m.Signal.Text != "par('v(2)*v(1)*k')" {
		t.Errorf("%+v", m.Signal)
	}

	for _, fn := range []string{"avg", "min", "max", "pp", "rms", "integ", "min_at", "max_at"} {
		m = measureOf(t, "", ".meas dc s "+strings.ToUpper(fn)+" v(2) from=3 to=1")
		if m.Func != fn || m.Analysis != "dc" || m.Window.From != 3 || m.Window.To != 1 {
			t.Errorf("%s: %+v", fn, m)
		}
	}

	// A .func of .param values alone is inlined and folded (func_cap.sp).
	m = measureOf(t, ".func f(a,b) '2*a*sqrt(b)'\n.param k=4", ".meas tran c param='max(f(1,k))'")
	if m.Func != "param" || expr.String(m.Param) != "4" {
		t.Errorf("%+v", m)
	}

	m = measureOf(t, ".param fval=5\n.meas tran y max v(1)", ".meas tran yadd param='fval + y'")
	if m.Func != "param" || expr.String(m.Param) != "fval+y" {
		t.Errorf("%+v", m)
	}
}

func TestMeasureErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{".meas op x find v(1) at=1", `t.cir:2:7: expected tran, ac or dc after .meas, found "op" (.meas "op" is not supported)`},
		{".meas sp x find v(1) at=1", `t.cir:2:7: expected tran, ac or dc after .meas, found "sp" (.meas "sp" is not supported)`},
		{".meas tran", `t.cir:2:11: missing result name: ` + measUsage},
		{".meas tran 1x avg v(1)", `t.cir:2:12: expected the name of the result, found "1x"`},
		{".meas tran x = 1", `t.cir:2:12: expected the name of the result, found "x=1"`},
		{".meas tran x trig at targ at=1", `t.cir:2:19: AT needs a value: TRIG AT=x`},
		{".meas tran x", `t.cir:2:13: missing measurement: ` + measUsage},
		{".meas tran x goal v(1)", `t.cir:2:14: unknown measurement "goal": expected TRIG, WHEN, FIND, DERIV, COUNT, AVG, MIN, MAX, PP, RMS, INTEG, MIN_AT, MAX_AT or PARAM=`},
		{".meas tran x find v(1)", `t.cir:2:23: FIND needs AT=x or WHEN ...: .meas tran x FIND v(1) AT=x`},
		{".meas tran x find v(1) to=1", `t.cir:2:24: FIND needs AT=x or WHEN ...: .meas tran x FIND v(1) AT=x`},
		{".meas tran x find v(1) at=1 td=1", `t.cir:2:29: unexpected "td=1" in .meas FIND (not supported there)`},
		{".meas tran x trig v(1) val=1 rise=1", `t.cir:2:36: missing TARG: .meas tran x TRIG ... TARG ...`},
		{".meas tran x trig v(1) val=1 targ v(1) val=1 rise=1", `t.cir:2:19: TRIG v(1) needs RISE=, FALL= or CROSS= (or AT=x instead of the signal)`},
		{".meas tran x trig at=1 targ v(1) val=1", `t.cir:2:29: TARG v(1) needs RISE=, FALL= or CROSS= (or AT=x instead of the signal)`},
		{".meas tran x trig val=1 targ v(1) val=1", `t.cir:2:19: expected a signal or AT=x after TRIG, found "val=1"`},
		{".meas tran x when v(1)", `t.cir:2:19: expected signal=value or signal=signal after WHEN, found "v(1)"`},
		{".meas tran x when v(1)=1 val=2", `t.cir:2:26: VAL= does not go with WHEN: write WHEN signal=value`},
		{".meas tran x when v(1)=1 rise=1 fall=2", `t.cir:2:33: only one of RISE=, FALL= and CROSS= may be given`},
		{".meas tran x when v(1)=1 rise=0", `t.cir:2:31: RISE must be a positive integer or LAST, got 0`},
		{".meas tran x when v(1)=1 cross=1.5", `t.cir:2:32: CROSS must be a positive integer or LAST, got 1.5`},
		{".meas tran x when v(1)=1 weight=2", `t.cir:2:26: unknown option "weight=2" of WHEN (expected VAL=, TD=, FROM=, TO=, RISE=, FALL= or CROSS=)`},
		{".meas tran x when v(1)=1 rise=1 targ v(1)", `t.cir:2:33: unexpected "targ" in .meas WHEN (not supported there)`},
		{".meas tran x avg v(1) val=1", `t.cir:2:23: unexpected "val=1": AVG takes FROM=, TO= and TD=`},
		{".meas tran x avg v(1) from=2 to=1", `t.cir:2:1: FROM= (2) is after TO= (1)`},
		{".meas tran x avg v(1) td=-1", `t.cir:2:26: TD= must not be negative, got -1`},
		{".meas tran x avg", `t.cir:2:17: missing the signal after AVG`},
		{".meas tran x avg 3", `t.cir:2:18: expected a signal (v(node), i(source), par('expr')), found "3"`},
		{".meas tran x max all", `t.cir:2:18: cannot measure all: expected v(node), i(source), @device[quantity] or par('expr')`},
		{".meas tran x max foo(1)", `t.cir:2:18: unknown output function "foo" (expected v, i, state, vm, vp, vdb, vr or vi)`},
		{".meas tran x when v(1)=y", `t.cir:2:24: expected a number, found "y"`},
		{".meas tran x param='y+1'", `t.cir:2:21: unknown name "y": PARAM= reads .param parameters and the results of earlier .meas tran lines`},
		{".meas tran x param='v(1)+1'", `t.cir:2:21: PARAM= cannot read v(1): measure it with FIND par('...') AT=x`},
		{".meas tran x param='time'", `t.cir:2:21: time has no value in PARAM=`},
		{".func f(a)={a*2}\n.meas tran y max v(1)\n.meas tran x param='f(y)'", `t.cir:4:21: unknown function "f" (.func functions are not supported in a .meas PARAM= that reads earlier results)`},
		{".meas tran x param='1+' ", `t.cir:2:23: unexpected end of expression`},
		{".meas tran x param='1' avg", `t.cir:2:24: unexpected "avg" in .meas PARAM= (not supported there)`},
		{".meas ac y max v(1)\n.meas tran x param='y'", `t.cir:3:21: unknown name "y": PARAM= reads .param parameters and the results of earlier .meas tran lines`},
		{".meas ac x find par('v(1)') at=1k", `t.cir:2:17: par('...') is not supported in .meas ac (ngspice computes it with complex values); measure vm(), vp(), vdb(), vr() or vi() of a node`},
		{".meas dc x find par('time') at=1", `t.cir:2:17: time has no value in .meas dc`},
		{".meas tran x find par(v(1)) at=1", `t.cir:2:19: expected par('expression'), found "par(v(1))"`},
		{".meas tran x find par('v(1)+q') at=1", `t.cir:2:29: unknown parameter "q"`},
		{".subckt s a\n.meas tran x max v(a)\n.ends\nx1 1 s", `t.cir:3:1: .meas inside .subckt s is not supported (in instance x1)`},
	}
	for _, tt := range tests {
		c, err := Parse("t.cir", []byte("t\n"+tt.src+"\n.end\n"))
		if strings.Contains(tt.want, "is not supported") {
			// a form gospice does not measure: an error
			if err == nil {
				t.Errorf("%s: no error, want %s", tt.src, tt.want)
			} else if got := strings.Split(err.Error(), "\n")[0]; got != tt.want {
				t.Errorf("%s:\n got %s\nwant %s", tt.src, got, tt.want)
			}
			continue
		}
		// a malformed line: a measurement that fails, as in ngspice 39, with a warning
		if err != nil {
			t.Errorf("%s: error %v, want the warning %s", tt.src, err, tt.want)
			continue
		}
		want := tt.want + "; the measurement fails, as in ngspice"
		if n := len(c.Warnings); n == 0 || c.Warnings[n-1].Error() != want {
			t.Errorf("%s:\n got warnings %q\nwant %s", tt.src, c.Warnings, want)
		}
		if slices.ContainsFunc(c.Measures, func(m *Measure) bool { return m.Name == "x" }) {
			t.Errorf("%s: the measurement x is kept", tt.src)
		}
	}
}

// TestMeasureMalformedLines: lines ngspice 39 reads as measurements that fail
// (buggy-meas-tran.sp) are warnings, and "==" is "=" (ngspice measures WHEN v(2)==v(1)
// as WHEN v(2)=v(1), measured).
func TestMeasureMalformedLines(t *testing.T) {
	c := mustParse(t, "v1 1 0 1\nv2 2 0 1\n.meas tran a TRIG v(1 VAL=0.5 RISE=1 TARG v(1) VAL=0.5 FALL=1\n.meas tran b WHEN v(2)==v(1) FALL=LAST\n.meas tran c WHEN v(1)!=v(2) CROSS=LAST\n.tran 1n 1u")
	if len(c.Measures) != 1 || c.Measures[0].Name != "b" || c.Measures[0].When.Other == nil {
		t.Fatalf("measures %+v, want b alone, of two signals", c.Measures)
	}
	var got []string
	for _, w := range c.Warnings {
		if strings.HasSuffix(w.Msg, "the measurement fails, as in ngspice") {
			got = append(got, w.Pos.String())
		}
	}
	if want := []string{"t.cir:4:20", "t.cir:6:19"}; !slices.Equal(got, want) {
		t.Errorf("warnings at %q, want at %q (%q)", got, want, c.Warnings)
	}
}

// TD= is a time: ngspice ignores it in .meas ac and dc, and says so here.
func TestMeasureTDWarning(t *testing.T) {
	c, err := Parse("t.cir", []byte("t\nv1 1 0 1\n.meas ac x max vm(1) td=1\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Error() != "t.cir:3:22: TD= is ignored in .meas ac (it is a time)" {
		t.Errorf("warnings %v", c.Warnings)
	}
	if c.Measures[0].Window.TD != 0 {
		t.Errorf("td %g", c.Measures[0].Window.TD)
	}
}

// TestMeasureOfNoAnalysis: a .meas whose type is no analysis (.measure tra, a typo in
// examples/measure/buggy-meas-tran.sp) is ignored, as ngspice 39 ignores it (measured:
// no message, no result), with a warning; one of an analysis gospice does not measure
// stays an error.
func TestMeasureOfNoAnalysis(t *testing.T) {
	c := mustParse(t, "v1 1 0 1\n.measure tra tdiff TRIG v(1) VAL=0.5 RISE=1 TARG v(1) VAL=0.5 RISE=2\n.meas tran ok max v(1)\n.tran 1n 1u")
	if len(c.Measures) != 1 || c.Measures[0].Name != "ok" {
		t.Errorf("measures %+v, want only ok", c.Measures)
	}
	want := `t.cir:3:10: .measure "tdiff" ignored: "tra" is not an analysis (ngspice ignores it too)`
	if len(c.Warnings) != 1 || c.Warnings[0].Error() != want {
		t.Errorf("warnings %q, want %q", c.Warnings, want)
	}
}
