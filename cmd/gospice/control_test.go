package main

import (
	"context"
	"math"
	"math/cmplx"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// testbench is a testbench as xschem writes them: save all, op, write, tran, write with
// appendwrite, meas, then an .ac written as ASCII to a file of its own.
const testbench = `** xschem style testbench
V1 in 0 DC 1 PULSE(0 1 1u 1n 1n 2u 4u) AC 1
R1 in out 1k
C1 out 0 1n
D1 out 0 dmod
.model dmod D(is=1e-14)
.control
save all
op
write tb.raw
set appendwrite
tran 10n 6u
write tb.raw
meas tran vmax max v(out)
ac dec 5 1k 10meg
write tb.raw v(out)
set filetype=ascii
unset appendwrite
write tba.raw
.endc
.end
`

// TestControlTestbenchAgainstNgspice runs the testbench with gospice run and ngspice -b:
// the raw files hold the same plots and vectors, with the same values within the
// simulators' accuracy.
func TestControlTestbenchAgainstNgspice(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed")
	}
	ng, ours := t.TempDir(), t.TempDir()
	writeNetlist(t, ng, "tb.cir", testbench)
	cmd := exec.Command("ngspice", "-b", "tb.cir")
	cmd.Dir = ng
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "no simulations run") {
		t.Fatalf("ngspice: %v\n%s", err, out)
	}
	cir := writeNetlist(t, ours, "tb.cir", testbench)
	r := runCLI(t, context.Background(), ours, "run", cir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "vmax") {
		t.Errorf("meas printed nothing: %q", r.stdout)
	}
	for _, name := range []string{"tb.op.csv", "tb.tran.csv", "tb.ac.csv"} {
		if _, err := os.Stat(filepath.Join(ours, name)); err != nil {
			t.Errorf("no %s: %v\n%s", name, err, r.stderr)
		}
	}
	for _, file := range []string{"tb.raw", "tba.raw"} {
		want := readRawFile(t, filepath.Join(ng, file))
		got := readRawFile(t, filepath.Join(ours, file))
		if len(got) != len(want) {
			t.Fatalf("%s: %d plots, ngspice %d", file, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Name != w.Name || g.Complex != w.Complex || len(g.Vars) != len(w.Vars) {
				t.Errorf("%s plot %d: %s complex=%v %v, ngspice %s complex=%v %v", file, i, g.Name, g.Complex, g.Vars, w.Name, w.Complex, w.Vars)
				continue
			}
			for k := range w.Vars {
				if g.Vars[k] != w.Vars[k] {
					t.Errorf("%s %s: variable %d is %v, ngspice %v", file, w.Name, k, g.Vars[k], w.Vars[k])
				}
			}
			comparePlot(t, file, g, w)
		}
	}
}

// comparePlot compares two plots' values: at ngspice's points for op and ac, and for tran
// at the times of ngspice's points, interpolated in gospice's.
func comparePlot(t *testing.T, file string, g, w *rawPlot) {
	t.Helper()
	worst := 0.0
	for k := range w.Vars {
		for i := range w.Points() {
			var x, y complex128
			if w.Complex {
				if i >= g.Points() {
					t.Fatalf("%s %s: %d points, ngspice %d", file, w.Name, g.Points(), w.Points())
				}
				x, y = g.Cplx[k][i], w.Cplx[k][i]
			} else if w.Name == "Transient Analysis" {
				x, y = complex(interpolate(g.Real[0], g.Real[k], w.Real[0][i]), 0), complex(w.Real[k][i], 0)
			} else {
				x, y = complex(g.Real[k][i], 0), complex(w.Real[k][i], 0)
			}
			scale := 1.0 // volts; amperes against the largest current of the plot
			if w.Vars[k].Type == "current" {
				scale = 1e-3
			}
			if w.Vars[k].Type == "time" || w.Vars[k].Type == "frequency" {
				scale = math.Max(1e-30, abs(y))
			}
			d := abs(x-y) / scale
			worst = math.Max(worst, d)
			// Measured: 1e-16 (op), 9e-7 (tran, interpolated between time points that
			// nearly coincide), 2e-15 (ac).
			if d > 1e-5 {
				t.Errorf("%s %s %s[%d]: gospice %g, ngspice %g", file, w.Name, w.Vars[k].Name, i, x, y)
				return
			}
		}
	}
	t.Logf("%s %s: largest difference %.2g (of 1 V, 1 mA)", file, w.Name, worst)
}

func abs(c complex128) float64 { return math.Hypot(real(c), imag(c)) }

// interpolate is y at x on the piecewise linear curve (xs, ys).
func interpolate(xs, ys []float64, x float64) float64 {
	for i := 1; i < len(xs); i++ {
		if xs[i] >= x {
			f := (x - xs[i-1]) / (xs[i] - xs[i-1])
			return ys[i-1] + f*(ys[i]-ys[i-1])
		}
	}
	return ys[len(ys)-1]
}

// TestControlShell checks that without --allow-shell a shell command is skipped with a
// warning naming its line, the script goes on and the exit code stays 0, and that with
// --allow-shell it runs.
func TestControlShell(t *testing.T) {
	dir := t.TempDir()
	cir := writeNetlist(t, dir, "s.cir", `shell
R1 in 0 1k
.control
shell mkdir shelled
echo after
.endc
.end
`)
	r := runCLI(t, context.Background(), dir, "run", cir)
	if r.code != 0 || !strings.Contains(r.stderr, "s.cir:4:1: warning: shell: skipped: shell commands run only with --allow-shell") || !strings.Contains(r.stdout, "after") {
		t.Errorf("without --allow-shell: exit %d, want 0, a warning at s.cir:4:1 and the script on:\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "shelled")); err == nil {
		t.Errorf("the shell command ran without --allow-shell")
	}
	r = runCLI(t, context.Background(), dir, "run", "--allow-shell", cir)
	fi, err := os.Stat(filepath.Join(dir, "shelled"))
	if r.code != 0 || err != nil || !fi.IsDir() || strings.Contains(r.stderr, "warning: shell") {
		t.Errorf("with --allow-shell: exit %d, the folder the command makes: %v, stderr %q", r.code, err, r.stderr)
	}
}

// TestControlErrorsAndPlots checks that a failed command names its line and the script
// goes on, that shell is skipped with a warning, that the exit code is then 1, and that
// every plot the run leaves is written in plot order.
func TestControlErrorsAndPlots(t *testing.T) {
	dir := t.TempDir()
	cir := writeNetlist(t, dir, "c.cir", `control
V1 in 0 1
R1 in out 1k
R2 out 0 1k
.tran 1u 10u
.control
op
tran 1u 5u
frobnicate 3
shell echo hi
run
echo still here
.endc
.end
`)
	r := runCLI(t, context.Background(), dir, "run", cir)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	for _, want := range []string{"c.cir:9:1: error: frobnicate", "c.cir:10:1: warning: shell: skipped"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "still here") {
		t.Errorf("the script stopped at the error: %q", r.stdout)
	}
	for _, name := range []string{"c.op.csv", "c.tran.csv", "c.tran2.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no %s: %v", name, err)
		}
	}
	if strings.Contains(r.stderr, ".control block ignored") {
		t.Errorf("the block was run, yet called ignored:\n%s", r.stderr)
	}
}

// TestControlWriteShortVectorsAgainstNgspice writes an op plot holding vectors a let made
// longer than the plot (as ngspice's regression tests do): as ngspice, the plot has as
// many points as its longest vector and the others are padded with zeros, their length
// written as dims= (a plot of one point lost the let's other values before).
func TestControlWriteShortVectorsAgainstNgspice(t *testing.T) {
	const text = "short vectors\nv1 a 0 2\nr1 a b 1k\nr2 b 0 1k\n.control\nop\nlet tests = 1001 + vector(3)\nlet one = 5\nwrite s.raw\n.endc\n.end\n"
	ng, ours := runBothControl(t, text)
	want := readRawFile(t, filepath.Join(ng, "s.raw"))[0]
	got := readRawFile(t, filepath.Join(ours, "s.raw"))[0]
	if got.Points() != 3 || got.Points() != want.Points() {
		t.Fatalf("%d points, ngspice %d, want 3", got.Points(), want.Points())
	}
	if len(got.Vars) != len(want.Vars) {
		t.Fatalf("variables %v, ngspice %v", got.Vars, want.Vars)
	}
	for k, w := range want.Vars {
		if got.Vars[k] != w {
			t.Errorf("variable %d: %+v, ngspice %+v", k, got.Vars[k], w)
		}
		for i := range want.Points() {
			if g, w := got.Real[k][i], want.Real[k][i]; math.Abs(g-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("%s point %d: %g, ngspice %g", want.Vars[k].Name, i, g, w)
			}
		}
	}
}

// TestControlWriteSmallSignalAgainstNgspice: write of an ac, a noise and a tf plot names
// and types their variables as ngspice 39's write does (frequency's grid=3 after a space,
// v(onoise_total), i(inoise_total) of a current input, v(output_impedance_at_v(2))),
// and their values agree.
func TestControlWriteSmallSignalAgainstNgspice(t *testing.T) {
	const text = "small signal\ni1 0 1 dc 0 ac 1\nr1 1 2 10k\nr2 2 0 10k\nc1 2 0 1n\n.control\n" +
		"ac dec 2 1k 10k\nwrite ac.raw\nnoise v(2) i1 dec 2 1k 10k\nwrite n2.raw\nsetplot noise1\nwrite n1.raw\n" +
		"tf v(2) i1\nwrite tf.raw\n.endc\n.end\n"
	ng, ours := runBothControl(t, text)
	for _, name := range []string{"ac.raw", "n1.raw", "n2.raw", "tf.raw"} {
		want := readRawFile(t, filepath.Join(ng, name))[0]
		got := readRawFile(t, filepath.Join(ours, name))[0]
		if len(got.Vars) != len(want.Vars) || got.Points() != want.Points() {
			t.Fatalf("%s: variables %v (%d points), ngspice %v (%d)", name, got.Vars, got.Points(), want.Vars, want.Points())
		}
		if g, w := rawVariableLines(t, filepath.Join(ours, name)), rawVariableLines(t, filepath.Join(ng, name)); g != w {
			t.Errorf("%s: variables\n%s\nngspice\n%s", name, g, w)
		}
		for k, w := range want.Vars {
			for i := range want.Points() {
				var g, x complex128
				if want.Complex {
					g, x = got.Cplx[k][i], want.Cplx[k][i]
				} else {
					g, x = complex(got.Real[k][i], 0), complex(want.Real[k][i], 0)
				}
				if cmplx.Abs(g-x) > 1e-6*cmplx.Abs(x) {
					t.Errorf("%s: %s point %d: %g, ngspice %g", name, w.Name, i, g, x)
				}
			}
		}
	}
}

// rawVariableLines is the text of a raw file's variables, between "Variables:" and
// "Binary:".
func rawVariableLines(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "Variables:\n")
	vars, _, _ := strings.Cut(rest, "Binary:")
	return vars
}

// runBothControl runs a netlist with a .control block as s.cir in two folders, by
// ngspice -b and by gospice run, and returns the folders (ngspice's first). It skips
// the test when ngspice is not installed.
func runBothControl(t *testing.T, text string) (ng, ours string) {
	t.Helper()
	if _, err := exec.Command("ngspice", "-v").Output(); err != nil {
		t.Skip("ngspice is not installed")
	}
	ng, ours = t.TempDir(), t.TempDir()
	writeNetlist(t, ng, "s.cir", text)
	cmd := exec.Command("ngspice", "-b", "s.cir")
	cmd.Dir = ng
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "no simulations run") {
		t.Fatalf("ngspice: %v\n%s", err, out)
	}
	r := runCLI(t, context.Background(), ours, "run", writeNetlist(t, ours, "s.cir", text))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	return ng, ours
}
