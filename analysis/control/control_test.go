package control

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gospice/gospice"
)

// runScript runs the .control blocks of a netlist and returns what print and echo wrote,
// what went to standard error, and the interpreter.
func runScript(t *testing.T, dir, netlist string) (string, string, *Interp) {
	t.Helper()
	sim, err := gospice.Parse("t.cir", netlist)
	if err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	in := New(sim, Options{Stdout: &out, Stderr: &errs, Dir: dir})
	in.RunBlocks(context.Background(), sim.Circuit.Deck.Control())
	return out.String(), errs.String(), in
}

// ngspiceOutput runs ngspice -b on a netlist in dir and returns its standard output.
func ngspiceOutput(t *testing.T, dir, netlist string) string {
	t.Helper()
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed")
	}
	path := filepath.Join(dir, "t.cir")
	if err := os.WriteFile(path, []byte(netlist), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ngspice", "-b", "t.cir")
	cmd.Dir = dir
	// ngspice 39 exits with 1 after a .control block without quit when the netlist has
	// no .print lines ("no simulations run"): its output is what is compared.
	out, err := cmd.Output()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("ngspice: %v", err)
	}
	return string(out)
}

// commandLines keeps the lines of ngspice's output that commands print: print, echo,
// setplot, meas, display; the notes of the analyses and the dates are dropped.
var noise = regexp.MustCompile(`^(Doing analysis|No\. of Data Rows|Note:|Circuit:|Initial Transient|-{10,}$|Node +Voltage|---- +-------|Reset re-loads|Using transient initial conditions|ngspice-\d+ done)`)

var measExtra = regexp.MustCompile(` (from|with)=  `)

func commandLines(s string) []string {
	var out []string
	skip := 0 // the blank lines left of the table of an initial transient solution
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " ")
		if strings.HasPrefix(l, "Initial Transient Solution") {
			skip = 2
		}
		if skip > 0 {
			if l == "" {
				skip--
			}
			continue
		}
		if l == "" || noise.MatchString(l) {
			continue
		}
		// gospice's meas prints where MAX, MIN and TRIG/TARG found their values (at=,
		// targ=, trig=), not the window of the others (from=, to=, with=).
		if m := measExtra.FindStringIndex(l); m != nil {
			l = l[:m[0]]
		}
		out = append(out, l)
	}
	return out
}

// dateRE matches the date of a plot, as print's table header shows it.
var dateRE = regexp.MustCompile(`[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d  \d{4}`)

// sameOutput compares two outputs line by line and word by word: numbers agree within
// rel (relative) or 1e-12 (absolute), the rest exactly.
func sameOutput(t *testing.T, got, want []string, rel float64) {
	t.Helper()
	worst := 0.0
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = dateRE.ReplaceAllString(got[i], "DATE")
		}
		if i < len(want) {
			w = dateRE.ReplaceAllString(want[i], "DATE")
		}
		gw, ww := strings.FieldsFunc(g, isSep), strings.FieldsFunc(w, isSep)
		ok := len(gw) == len(ww)
		for k := 0; ok && k < len(gw); k++ {
			if gw[k] == ww[k] {
				continue
			}
			x, err1 := strconv.ParseFloat(gw[k], 64)
			y, err2 := strconv.ParseFloat(ww[k], 64)
			d := math.Abs(x - y)
			ok = err1 == nil && err2 == nil && (d <= 1e-12 || d <= rel*math.Abs(y))
			if ok && y != 0 {
				worst = max(worst, d/math.Abs(y))
			}
		}
		if !ok {
			t.Errorf("line %d:\ngospice: %q\nngspice: %q", i+1, g, w)
			return
		}
	}
	t.Logf("%d lines agree; largest relative difference of a number %.2g", len(want), worst)
}

func isSep(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '=' }

// TestDisplayTypes: display names each vector's type as ngspice does, a temperature
// sweep's "temp-sweep" included (ngspice 39 prints "temp-sweep : temp-sweep, real").
func TestDisplayTypes(t *testing.T) {
	out, errs, _ := runScript(t, t.TempDir(), "t\nr1 a 0 1k\nv1 a 0 1\n.control\ndc temp 0 50 25\ndisplay\n.endc\n.end\n")
	if errs != "" {
		t.Fatalf("errors: %s", errs)
	}
	for _, want := range []string{"temp-sweep, real, 3 long", "v1#branch           : current, real, 3 long"} {
		if !strings.Contains(out, want) {
			t.Errorf("display lacks %q:\n%s", want, out)
		}
	}
}

// A nested .dc's plot has the inner sweep as its scale and no vector for the outer
// source's values: ngspice 39's raw file of dc vds 0 2 0.05 vgs 0 2 0.4 holds v(v-sweep),
// the nodes and the branch currents only.
func TestNestedDCVectors(t *testing.T) {
	_, errs, in := runScript(t, t.TempDir(), `nested
v1 a 0 1
v2 b 0 1
r1 a out 1k
r2 b out 1k
r3 out 0 1k
.control
dc v1 0 1 0.5 v2 0 2 1
.endc
.end
`)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	p := in.Plots()[0]
	var names []string
	for _, v := range p.Vecs {
		names = append(names, v.Name)
	}
	want := []string{"v-sweep", "a", "b", "out", "v1#branch", "v2#branch"}
	if !slices.Equal(names, want) {
		t.Errorf("vectors %q, want %q", names, want)
	}
	if n := p.Scale().Len(); n != 9 {
		t.Errorf("%d points, want 3 x 3", n)
	}
}

// TestDestroyErrors: destroy of a plot that is not there, or of the const plot, is an
// error naming it, as in ngspice 39 ("no such plot op7", "can't destroy the constant
// plot"); the plots stay.
func TestDestroyErrors(t *testing.T) {
	_, errs, in := runScript(t, t.TempDir(), `destroy errors
v1 1 0 1
r1 1 0 1k
.control
op
destroy op7
setplot const
destroy
.endc
.end
`)
	if in.Errors != 2 || !strings.Contains(errs, "no such plot op7") || !strings.Contains(errs, "can't destroy the constant plot") {
		t.Fatalf("%d errors:\n%s", in.Errors, errs)
	}
	if len(in.Plots()) != 1 || in.Plots()[0].Name != "op1" {
		t.Errorf("plots left: %v", in.Plots())
	}
}

// TestAlterUnknownParameter: alter of a parameter the device does not have is an error
// naming it, and the circuit stays as it was (ngspice 39: "no such parameter foo").
func TestAlterUnknownParameter(t *testing.T) {
	out, errs, in := runScript(t, t.TempDir(), `alter unknown
vd d 0 1
m1 d d 0 0 nm w=1u l=1u
.model nm nmos level=1 vto=0.7 kp=100u
.control
alter m1 foo=2
alter m1 w=3u
op
print @m1[w]
print @m1[foo]
.endc
.end
`)
	if in.Errors != 2 || !strings.Contains(errs, `unknown MOSFET parameter "foo"`) || !strings.Contains(errs, "foo of m1 is not given") {
		t.Fatalf("%d errors:\n%s", in.Errors, errs)
	}
	if len(in.Plots()) != 1 || strings.TrimSpace(out) != "@m1[w] = 3.000000e-06" {
		t.Errorf("%d plots, printed %q", len(in.Plots()), out)
	}
}

// TestSourceCircuitAndScript: source of a netlist file makes it the circuit and runs its
// .control block (ngspice prints "Circuit: title" and the block's echo, then v(out) =
// 0.75 after op); source of an *ng_script file runs its commands; reset goes back to the
// sourced circuit. Files are read from the working folder, or cd's, not where outputs go.
func TestSourceCircuitAndScript(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"circ.sp": "rc circuit from a file\nV1 in 0 1\nR1 in out 1k\nR2 out 0 3k\n.control\necho sourced control runs\n.endc\n.end\n",
		"cmds.sp": "*ng_script\n.control\nlet z = 5\nprint z\n.endc\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Relative names are read from the working folder, or from cd's.
	out, errs, _ := runScript(t, "", "*ng_script\n.control\ncd "+dir+"\nsource circ.sp\nop\nprint v(out)\nsource cmds.sp\nreset\nop\nprint v(out)\n.endc\n")
	want := "Current directory: " + dir + "\n\nCircuit: rc circuit from a file\n\nsourced control runs\nv(out) = 7.500000e-01\nz = 5.000000e+00\nv(out) = 7.500000e-01\n"
	if out != want || errs != "" {
		t.Errorf("got %q (stderr %q), want %q", out, errs, want)
	}
	if _, errs, _ := runScript(t, dir, "*ng_script\n.control\nsource nothere.sp\n.endc\n"); !strings.Contains(errs, "nothere.sp") {
		t.Errorf("a missing file: stderr %q", errs)
	}
}
