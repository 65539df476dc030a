package control

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// moreScripts check, against ngspice 39 as TestAgainstNgspice does, the commands
// settype, remzerovec, pre_, cd and mc_source.
var moreScripts = []struct {
	name, netlist string
	rel           float64
}{
	{"settype", `test settype
v1 in 0 dc 1
r1 in out 1k
r2 out 0 2k
.control
op
let z = v(out)*2
settype impedance z
display
settype Decibel z v(out)
display
.endc
.end
`, 0},
	{"pre", `test pre
v1 in 0 dc 1
r1 in out 1k
.control
echo A $?foo
pre_echo B
echo C $?foo $foo
pre_set foo = 3
.endc
.end
`, 0},
	{"goto", `test goto and label, as ngspice's examples use them
v1 in 0 dc 1
r1 in 0 1k
.control
let loop = 0
label starthere
echo start "$&loop"
let loop = loop + 1
if loop < 3
  if loop < 3
    goto starthere
  end
end
echo end "$&loop"
let index = 0
label again
let loop = 0
echo at start with index "$&index" and loop "$&loop"
if index < 6
  label inhere
  let index = index + 1
  if loop < 3
    let loop = loop + 1
    if index > 1
      echo jump2
      goto again
    end
  end
  echo jump
  goto inhere
end
echo at end with index "$&index" and loop "$&loop"
let loop = 0
if 1
  while loop < 10
    if loop > 5
      goto endlabel
    end
    let loop = loop + 1
  end
  echo never
  label endlabel
  echo after "$&loop"
end
foreach run 1 2 3 4
  if $run = 2
    goto next
  end
  echo run $run
  label next
end
.endc
.end
`, 0},
	{"curplot", `test set curplot
v1 in 0 dc 1
r1 in 0 1k
.control
op
set curplot = new
echo $curplot $curplotname
set curplottitle = "Output Data"
echo $curplot $curplottitle $curplotname
let x = 2
set curplotname = foo
set curplot = op1
echo $curplot
print unknown1.x
setplot
.endc
.end
`, 0},
	{"compose-setscale", `test compose values of expressions, setscale, display's order
v1 in 0 dc 1
r1 in 0 1k
.control
op
compose q values v(in) ln(2.7) 3 -2
print q
compose w values 3 (-2) 5
print w
let s = vector(4)
let a = 1
setscale s
setscale
display
.endc
.end
`, 1e-12},
	{"operators", `test ngspice's >< and ~, a vector named in quotes, > in a define (new-check-3.sp, new-check-4.sp)
v1 in 0 dc 1
r1 in 0 1k
.control
op
let five = 5
let six = 6
let zero = 0
if five >< six
  echo ne
end
if ~ zero
  echo not
end
let foo = "five"
print foo
define bigger(a,b) a > b
print bigger(six, five) bigger(five, six)
.endc
.end
`, 0},
	{"if-variables", `test conditions of variables (if-test-1.cir)
v1 in 0 dc 1
r1 in 0 1k
.control
set x
echo a $x b $batchmode c $#x
set y = ""
echo d $y e $#y
if $y
  echo wrong
else
  echo false
end
if $x
  echo x=|$x|
end
.endc
.end
`, 0},
	{"meas-vectors", `test meas values named by vectors (simple-meas-tran.sp, inv-meas-tran-control.sp)
v1 in 0 pulse(0 1 0 1n 1n 2u 4u)
r1 in out 1k
c1 out 0 1n
.control
tran 10n 5u
let t1 = 1u
let delta = 3u
meas tran y1 find v(out) at=t1
meas tran ymax max v(out) from = t1 to = delta
meas tran thalf when v(out)=ymax fall=1
.endc
.end
`, 5e-6},
	{"inventory", `test inventory: the families gospice has, in ngspice's order
v1 in 0 dc 1
i1 in 0 1m
r1 in out 1k
c1 in 0 1p
l1 out 0 1u
l2 out 0 1u
k1 l1 l2 0.5
d1 out 0 dd
.model dd d
q1 in out 0 qq
.model qq npn
j1 in out 0 jj
.model jj njf
e1 a 0 in 0 1
g1 a 0 in 0 1
f1 a 0 v1 1
h1 b 0 v1 1
b1 b 0 v=1
s1 out 0 in 0 sw
.model sw sw
m1 in out 0 0 n1
.model n1 nmos level=1
m3 in out 0 0 n3
.model n3 nmos level=3
m5 in out 0 0 b33
.model b33 nmos level=8 version=3.3
m6 in out 0 0 b32
.model b32 nmos level=8 version=3.2.4
m7 in out 0 0 b45
.model b45 nmos level=14 version=4.5
m8 in out 0 0 b46
.model b46 nmos level=14 version=4.6
m9 in out 0 0 b47
.model b47 nmos level=14 version=4.7
m10 in out 0 0 b48
.model b48 nmos level=14 version=4.8
.control
inventory
.endc
.end
`, 0},
	{"no-circuit", `test a block without a circuit (repeat3.sp): ngspice runs it
.control
let loop = 0
label again
echo start "$&loop"
let loop = loop + 1
if loop < 3
  goto again
end
print loop
.endc
.end
`, 0},
	{"vector-text", `test $&vector's text: %G, six digits; a complex value's real part (log-functions-1.cir)
v1 in 0 dc 1
r1 in 0 1k
.control
let a = 1/3
let b = 1e-20
let c = 123456789
let d = -2.5e7
let e = 1e5
let f = vector(3)/4
echo $&a $&b $&c $&d $&e $&f
let g = j(1)+2
echo $&g
op
echo $sim_status
.endc
.end
`, 0},
	{"meas-sp", `test meas sp: on the spectrum of fft (MC_ring.sp, colpitt_osc_pss_ctrl.cir)
v1 in 0 dc 0 sin(0.5 1 1k)
r1 in 0 1k
.control
tran 10u 4m
linearize v(in)
fft v(in)
let m = db(mag(v(in)))
meas sp fmax MAX_AT m from=500 to=3k
meas sp mmax MAX m from=500 to=3k
meas sp mat FIND m AT=1.5k
.endc
.end
`, 5e-6},
}

func TestMoreAgainstNgspice(t *testing.T) {
	for _, s := range moreScripts {
		t.Run(s.name, func(t *testing.T) { againstNgspice(t, s.netlist, s.rel) })
	}
	t.Run("fft", func(t *testing.T) { againstNgspice(t, fftScript, 5e-6) })
	t.Run("spec", func(t *testing.T) { againstNgspice(t, specScript, 1e-3) })
}

// mcSource is a Monte Carlo written with mc_source, which reads the circuit again and
// draws its agauss again each time.
const mcSource = `monte carlo by mc_source
.param rr = agauss(1k, 100, 1)
v1 in 0 dc 1
r1 in out {rr}
r2 out 0 1k
.control
repeat 300
  mc_source
  alter r2 = 2k
  op
  reset
  op
  print v(out)
end
.endc
.end
`

// TestMcSourceAgainstNgspice: each mc_source draws r1 again (the standard deviation of
// v(out) is about 0.25*0.1 = 0.025), and alter is undone by reset; the statistics agree
// with ngspice's within four standard errors.
func TestMcSourceAgainstNgspice(t *testing.T) {
	want := stats(t, ngspiceOutput(t, t.TempDir(), mcSource))
	out, errs, in := runScript(t, t.TempDir(), mcSource)
	if in.Errors > 0 {
		t.Fatalf("errors:\n%s", errs)
	}
	sameStatistics(t, stats(t, out), want, 300)
}

// TestSettypeErrors: an unknown type, or a vector missing, is an error and changes no
// vector (ngspice: "no such vector type", "no such vector").
func TestSettypeErrors(t *testing.T) {
	_, errs, in := runBlock(t, `op
settype foo in
settype current in nosuch
settype
print in
`)
	if in.Errors != 3 {
		t.Errorf("%d errors, want 3:\n%s", in.Errors, errs)
	}
	mentions(t, errs, `no such vector type as 'foo'`, "no such vector nosuch", "too few args")
	if typ := in.cur.Vector("in").Type; typ != "voltage" {
		t.Errorf("in is of type %s, want voltage", typ)
	}
}

// TestRemzerovec: the vectors without values go from the current plot, the others stay.
func TestRemzerovec(t *testing.T) {
	_, errs, in := runBlock(t, `op
compose empty values
let two = 2
remzerovec
`)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	if in.cur.Vector("empty") != nil || in.cur.Vector("two") == nil || in.cur.Vector("in") == nil {
		t.Errorf("vectors left: %v", in.cur.Vecs)
	}
}

// TestCd: cd moves the folder relative names are in, and says which it is; a folder
// that is not there is an error.
func TestCd(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, errs, in := runScript(t, dir, `t
v1 in 0 dc 1
r1 in 0 1k
.control
cd sub
echo hello > greeting.txt
cd nosuch
.endc
`)
	if in.Errors != 1 || !strings.Contains(errs, "nosuch") {
		t.Errorf("%d errors, want 1 naming nosuch:\n%s", in.Errors, errs)
	}
	if want := "Current directory: " + filepath.Join(dir, "sub") + "\n"; out != want {
		t.Errorf("printed %q, want %q", out, want)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sub", "greeting.txt")); err != nil || string(b) != "hello\n" {
		t.Errorf("sub/greeting.txt: %q, %v", b, err)
	}
}

// fftScript checks fft's frequencies and coefficients, under each window, on a
// linearized sine with an offset: they agree with ngspice's to the 7 digits printed.
const fftScript = `test fft
v1 in 0 dc 0 sin(0.5 1 1k)
r1 in 0 1k
.control
tran 10u 4m
linearize v(in)
fft V(in)
print length(frequency) frequency[1] frequency[256] length(v(in))
foreach w none hanning hamming blackman bartlet flattop gaussian
  set specwindow=$w
  setplot tran2
  fft v(in)
  echo window $w
  print v(in)[0] v(in)[1] v(in)[4] v(in)[5] v(in)[20] v(in)[100]
end
set specwindoworder=4
setplot tran2
fft v(in)
print v(in)[0] v(in)[1] v(in)[4] v(in)[5] v(in)[20] v(in)[100]
.endc
.end
`

// TestFftErrors: fft needs a transient plot, vectors of it and a window ngspice knows.
func TestFftErrors(t *testing.T) {
	_, errs, in := runScript(t, t.TempDir(), `t
v1 in 0 dc 0 sin(0 1 1k)
r1 in 0 1k
.control
op
fft v(in)
tran 10u 1m
fft nosuch
set specwindow=foo
fft v(in)
fft
.endc
`)
	mentions(t, errs, "needs a real time scale", "no such vector nosuch", `unknown window type "foo"`, "usage: fft")
	if in.Errors != 4 || len(in.Plots()) != 2 {
		t.Errorf("%d errors and %d plots, want 4 and 2 (op1, tran1)", in.Errors, len(in.Plots()))
	}
}

// TestGotoWithoutLabel: a goto whose label is nowhere around it is an error naming it;
// the commands after it in its block do not run, those after the block do (ngspice 39
// prints a and c too).
func TestGotoWithoutLabel(t *testing.T) {
	out, errs, in := runBlock(t, `echo a
if 1
  goto nowhere
  echo b
end
echo c
`)
	if in.Errors != 1 || !strings.Contains(errs, "label nowhere not found") {
		t.Errorf("%d errors, want 1 naming the label:\n%s", in.Errors, errs)
	}
	if out != "a\nc\n" {
		t.Errorf("printed %q, want \"a\\nc\\n\"", out)
	}
}

// TestIfConditionFails: an if whose condition fails (missing, or of a vector that is
// not there) is false: its else runs, and, as in ngspice 39 (exit code 0 for
// if-test-1.cir), it is not a failed command; a warning names it.
func TestIfConditionFails(t *testing.T) {
	out, errs, in := runBlock(t, `if
  echo wrong
else
  echo else1
end
if nosuch = 3.3
  echo wrong
else
  echo else2
end
`)
	if in.Errors != 0 || strings.Count(errs, "warning: if:") != 2 || !strings.Contains(errs, "t.cir:5:1: warning: if: missing expression") || !strings.Contains(errs, "no such vector nosuch") {
		t.Errorf("%d errors, want 0 and two warnings:\n%s", in.Errors, errs)
	}
	if out != "else1\nelse2\n" {
		t.Errorf("printed %q, want the two else branches", out)
	}
}

// specScript checks spec's frequencies and values on a linearized, delayed sine with an
// offset, from 1 ms: the mean (0 Hz), a sine's value at its frequency and the leakage of
// the window into the neighbouring frequencies, whose phases are of the time from 0.
// Measured: within 9.9e-5 of ngspice's; the two linearized transients differ by up to
// 4e-4 (each is 4e-4 to 5e-4 from the exact sine), which accounts for it.
const specScript = `test spec
v1 in 0 dc 0 sin(0.5 1 1k 0.1m)
r1 in 0 1k
.control
tran 10u 5m 1m
linearize v(in)
spec 0 5k 250 v(in)
print length(frequency) frequency[20] v(in)[0] v(in)[3] v(in)[4] v(in)[5]
foreach w none hamming blackman bartlet
  set specwindow=$w
  setplot tran2
  spec 500 1.5k 250 v(in)
  echo window $w
  print v(in)[2]
end
.endc
.end
`

// TestSpecErrors: spec's frequencies must fit the time span and step, and its windows
// are fft's but flattop (ngspice's spec does not know it) and gaussian.
func TestSpecErrors(t *testing.T) {
	_, errs, in := runScript(t, t.TempDir(), `t
v1 in 0 dc 0 sin(0 1 1k)
r1 in 0 1k
.control
tran 10u 4m
linearize v(in)
spec 0 5k 100 v(in)
spec 0 60k 250 v(in)
set specwindow=flattop
spec 0 5k 250 v(in)
spec 0 5k
.endc
`)
	mentions(t, errs, "time span limits step freq to 250 Hz", "time step limits stop freq to 50000 Hz", `unknown window type "flattop"`, "usage: spec")
	if in.Errors != 4 {
		t.Errorf("%d errors, want 4", in.Errors)
	}
}

// mentions checks that the errors printed say each of wants.
func mentions(t *testing.T, errs string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(errs, want) {
			t.Errorf("no %q in:\n%s", want, errs)
		}
	}
}

// TestSimStatus: sim_status is 0 after an analysis that ran, 1 after one that failed,
// as ngspice sets it (mc_ring_lib_complete_actual.cir reads it).
func TestSimStatus(t *testing.T) {
	out, _, _ := runBlock(t, `op
echo $sim_status
dc nosuch 0 1 1
echo $sim_status
`)
	if out != "0\n1\n" {
		t.Errorf("printed %q, want 0 then 1", out)
	}
}

// runBlock runs the lines of a .control block on a circuit of one source and one resistor.
func runBlock(t *testing.T, lines string) (string, string, *Interp) {
	t.Helper()
	return runScript(t, t.TempDir(), "t\nv1 in 0 dc 1\nr1 in 0 1k\n.control\n"+lines+".endc\n")
}

// TestRunWithoutAnalyses: `run` in a netlist without analyses makes no plot, is no
// error and sets sim_status to 0, as in ngspice 39 (examples/svg/nmos_out_BSIM330_ps.sp
// runs its own dc, then `run`, then plots the dc).
func TestRunWithoutAnalyses(t *testing.T) {
	out, errs, in := runBlock(t, `dc nosuch 0 1 1
dc v1 0 1 0.5
run
echo $sim_status $curplot
`)
	if out != "0 dc1\n" { // ngspice 39: "0 dc1"
		t.Errorf("printed %q, want 0 dc1", out)
	}
	if strings.Count(errs, "error") != 1 || !strings.Contains(errs, "nosuch") {
		t.Errorf("want the error of the first dc alone, got:\n%s", errs)
	}
	if n := len(in.Plots()); n != 1 {
		t.Errorf("%d plots, want 1 (run adds none)", n)
	}
}

// TestMeasFailures: a malformed meas, or one on a plot whose scale is not its
// analysis's (time, frequency, v-sweep), fails with a message and is no failed command,
// as in ngspice 39 (buggy-meas-tran.sp; ngspice: "no such vector as time, frquency or
// v-sweep", measured for meas ac/dc/sp on a tran plot, tran on a dc one, dc over temp).
func TestMeasFailures(t *testing.T) {
	out, errs, in := runBlock(t, `tran 1u 10u
meas tran ok MAX v(in)
meas tran bad TRIG v(in) VAL=0.5 RISE=1
meas ac a1 MAX v(in)
meas dc a2 MAX v(in)
dc temp 0 50 10
meas dc d1 MAX v(in)
dc v1 0 1 0.5
meas dc d2 MAX v(in)
`)
	if in.Errors != 0 {
		t.Errorf("%d failed commands, want 0:\n%s", in.Errors, errs)
	}
	if !strings.HasPrefix(out, "ok ") || !strings.Contains(out, "d2 ") || strings.Count(out, "\n") != 2 {
		t.Errorf("printed %q, want ok and d2 alone", out)
	}
	mentions(t, errs, "t.cir:7:1: meas failed: missing TARG",
		"t.cir:8:1: meas a1 failed: meas ac needs the scale frequency, plot tran1's is time",
		"t.cir:9:1: meas a2 failed: meas dc needs the scale v-sweep, plot tran1's is time",
		"meas d1 failed: meas dc needs the scale v-sweep, plot dc1's is temp-sweep")
}

// TestAtanh: atanh undoes tanh, of real and complex values (examples/various/atanh.sp;
// ngspice 39 has no atanh, later versions do).
func TestAtanh(t *testing.T) {
	out, errs, _ := runBlock(t, `let x = vector(5)/5 - 0.4
let z = (0.3, 0.2)
print vecmax(abs(atanh(tanh(x)) - x)) < 1e-15
print abs(atanh(tanh(z)) - z) < 1e-15
print atanh(0.5)
`)
	if errs != "" {
		t.Fatal(errs)
	}
	want := fmt.Sprintf("vecmax(abs(atanh(tanh(x)) - x)) < 1e-15 = 1.000000e+00\nabs(atanh(tanh(z)) - z) < 1e-15 = 1.000000e+00\natanh(0.5) = %e\n", 0.5*math.Log(3))
	if out != want {
		t.Errorf("printed\n%s\nwant\n%s", out, want)
	}
}

// TestLinearizeUnknownWords: words of linearize that name no vector are left out with a
// warning, as ngspice 39 leaves them out (silently): linearize v(in) np=16 linearizes
// in, and linearize np=16 the scale alone (measured).
func TestLinearizeUnknownWords(t *testing.T) {
	_, errs, in := runBlock(t, `tran 10u 1m
linearize v(in) np=16
setplot tran1
linearize np=16
`)
	if in.Errors != 0 || strings.Count(errs, "warning: linearize: no vector np=16 in plot tran1") != 2 {
		t.Errorf("%d errors, want 0 and two warnings:\n%s", in.Errors, errs)
	}
	plots := in.Plots()
	if len(plots) != 3 {
		t.Fatalf("%d plots, want 3", len(plots))
	}
	for i, want := range [][]string{{"time", "in"}, {"time"}} {
		var got []string
		for _, v := range plots[i+1].Vecs {
			got = append(got, v.Name)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") || plots[i+1].Vecs[0].Len() != 101 {
			t.Errorf("plot %s has %v (%d long), want %v, 101 long", plots[i+1].Name, got, plots[i+1].Vecs[0].Len(), want)
		}
	}
}

// TestWrs2pAgainstNgspice: wrs2p's Touchstone file is ngspice 39's byte for byte but
// for the line that names the program and the date (s-param.cir); $inputdir is the
// netlist's folder; without an rbase vector it is an error, as in ngspice.
func TestWrs2pAgainstNgspice(t *testing.T) {
	const netlist = `Small Two-Port
v1 1 0 dc 0 ac 1
r1 1 2 50
c1 2 0 1n
.control
ac lin 4 1meg 4meg
let s_1_1 = v(2)
let s_2_1 = v(2)*2
let s_1_2 = v(2)*(0,3)
let s_2_2 = -v(2)*4
let rbase = 75
wrs2p $inputdir/t.s2p
.endc
.end
`
	dir, ours := t.TempDir(), t.TempDir()
	ngspiceOutput(t, dir, netlist)
	_, errs, in := runScript(t, ours, netlist)
	if in.Errors != 0 {
		t.Fatal(errs)
	}
	want, err := os.ReadFile(filepath.Join(dir, "t.s2p"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(ours, "t.s2p"))
	if err != nil {
		t.Fatal(err)
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	if len(w) != len(g) || len(w) < 6 {
		t.Fatalf("%d lines, ngspice %d:\n%s", len(g), len(w), got)
	}
	for i := range w {
		if i == 2 { // !Generated by ... at the date
			continue
		}
		if w[i] != g[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, g[i], w[i])
		}
	}
	_, errs, in = runBlock(t, "ac lin 2 1k 2k\nlet s_1_1 = v(in)\nlet s_2_1 = v(in)\nlet s_1_2 = v(in)\nlet s_2_2 = v(in)\nwrs2p x.s2p\n")
	if in.Errors != 1 || !strings.Contains(errs, "wrs2p: no Rbase vector given") {
		t.Errorf("%d errors, want the missing rbase:\n%s", in.Errors, errs)
	}
}

// TestVectorFunctionTypes: the types ngspice 39 gives the results of length, unitvec
// and vector (measured with display): each has its argument's type, so length of a
// voltage is a voltage (FFT_Leakage.cir's v(numb2)) and of a current a current
// (diode-soa-sh.cir's i(ilen)).
func TestVectorFunctionTypes(t *testing.T) {
	_, errs, in := runBlock(t, `tran 10u 1m
let a = length(in)
let b = unitvec(a)
let c2 = vector(a)
let e2 = length(v1#branch)
`)
	if errs != "" {
		t.Fatal(errs)
	}
	for name, want := range map[string]string{"a": "voltage", "b": "voltage", "c2": "voltage", "e2": "current"} {
		if v := in.cur.Vector(name); v == nil || v.Type != want {
			t.Errorf("%s: %+v, want type %s", name, v, want)
		}
	}
}

// TestSetOptionVariables: set of a variable that is also a simulator option (temp, tnom,
// the tolerances) changes the next analyses, as in ngspice 39 (the corpus's
// examples/mos/ro_17_4.cir runs its second transient at set temp=100).
func TestSetOptionVariables(t *testing.T) {
	const netlist = `set temp, tnom and reltol
v1 1 0 1
r1 1 0 1k tc1=0.01
r2 1 2 1k
d1 2 0 dd
.model dd d is=1e-14
.control
op
print i(v1)
set temp=100
op
print i(v1)
set tnom=50 temp=27
op
print i(v1)
set reltol=0.3 vntol=0.1 abstol=1e-3
op
print v(2)
.endc
.end
`
	out, errs, in := runScript(t, t.TempDir(), netlist)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	// r1 at 100 C is 1k (1 + 0.01*73), at 27 C with tnom 50 1k (1 - 0.01*23), beside the
	// diode's branch; the diode's Newton stops early at reltol 0.3 (0.7645 V, converged
	// 0.6294 V).
	for _, want := range []string{"i(v1) = -1.37056e-03", "i(v1) = -1.07691e-03", "i(v1) = -1.59069e-03", "v(2) = 7.644851e-01"} {
		if !strings.Contains(out, want) {
			t.Errorf("printed %q, want %s", out, want)
		}
	}
	ng := ngspiceOutput(t, t.TempDir(), netlist)
	if !strings.Contains(ng, "i(v1) = -1.07691e-03") || !strings.Contains(ng, "v(2) = 7.644851e-01") {
		t.Errorf("ngspice printed:\n%s", ng)
	}
}

// TestBeginBlock: begin ... end runs its commands once, and a break in it leaves the loop
// around it, as ngspice 39 (examples/Monte_Carlo/MC_ring_ts.sp wraps its script in
// begin ... end); a stray end after it is a warning, no failed command.
func TestBeginBlock(t *testing.T) {
	out, errs, in := runBlock(t, `begin
let n = 0
dowhile n < 5
begin
let n = n + 1
if n = 2
break
end
end
end
echo $&n
end
end
`)
	if out != "2\n" {
		t.Errorf("printed %q, want 2", out)
	}
	if in.Errors != 0 || !strings.Contains(errs, "warning: end without") {
		t.Errorf("%d errors, want 0 and one warning:\n%s", in.Errors, errs)
	}
}

// TestUnletScale: unlet of the current plot's scale keeps it with a warning, as ngspice 39
// ("Scale vector 'a' of the current plot cannot be deleted!"), so that a raw file writes
// it as the scale (MC_ring_ts.sp unlets mc_runsp, the first vector of a new plot).
func TestUnletScale(t *testing.T) {
	_, errs, in := runBlock(t, "set curplot = new\nlet a = 5\nlet b = vector(3)\nlet d = 2\nunlet a d\n")
	if in.Errors != 0 || !strings.Contains(errs, "warning: unlet: a is the scale") {
		t.Fatalf("%d errors, want one warning:\n%s", in.Errors, errs)
	}
	if sc := in.cur.Scale(); sc == nil || sc.Name != "a" || in.cur.Vector("b") == nil || in.cur.Vector("d") != nil {
		t.Errorf("want a kept as the scale, b kept, d removed: %v", in.cur.Vecs)
	}
}
