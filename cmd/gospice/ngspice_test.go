package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNgspiceArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want ngspiceArgs
		err  string
	}{
		{[]string{"-b", "x.cir"}, ngspiceArgs{batch: true, files: []string{"x.cir"}}, ""},
		{[]string{"-b", "-r", "x.raw", "-o", "x.log", "x.cir"}, ngspiceArgs{batch: true, rawfile: "x.raw", logfile: "x.log", files: []string{"x.cir"}}, ""},
		{[]string{"x.cir", "-bn", "-rx.raw"}, ngspiceArgs{batch: true, noInit: true, rawfile: "x.raw", files: []string{"x.cir"}}, ""},
		{[]string{"--batch", "--rawfile=x.raw", "--output", "x.log", "--no-spice", "x.cir"}, ngspiceArgs{batch: true, noInit: true, rawfile: "x.raw", logfile: "x.log", files: []string{"x.cir"}}, ""},
		{[]string{"-b", "-D", "a=1", "-c", "c.cir", "-q", "-t", "xterm", "--soa-log=s.log", "-a"}, ngspiceArgs{batch: true, defines: []string{"a=1"}, files: []string{"c.cir"}}, ""},
		{[]string{"-b", "--", "-odd.cir"}, ngspiceArgs{batch: true, files: []string{"-odd.cir"}}, ""},
		{[]string{"-i", "x.cir"}, ngspiceArgs{refused: "-i (interactive mode): gospice runs ngspice netlists in batch mode only (-b)", files: []string{"x.cir"}}, ""},
		{[]string{"-b", "-r"}, ngspiceArgs{}, "option -r needs a value"},
		{[]string{"-x"}, ngspiceArgs{}, "unknown option -x"},
		{[]string{"--s"}, ngspiceArgs{}, "option --s is ambiguous"}, // server, soa-log
		{[]string{"--batch=1"}, ngspiceArgs{}, "option --batch takes no value"},
	} {
		got, err := parseNgspiceArgs(c.args)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.args, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}
}

func TestCommandLine(t *testing.T) {
	for _, c := range []struct {
		argv0 string
		args  []string
		want  []string
	}{
		{"/usr/local/bin/ngspice", []string{"-b", "x.cir"}, []string{"ngspice", "-b", "x.cir"}},
		{"ngspice", []string{"--version"}, []string{"ngspice", "--version"}},
		{"gospice", []string{"-b", "-r", "x.raw", "x.cir"}, []string{"ngspice", "-b", "-r", "x.raw", "x.cir"}},
		{"gospice", []string{"-br", "x.raw", "x.cir"}, []string{"ngspice", "-br", "x.raw", "x.cir"}},
		{"gospice", []string{"run", "x.cir", "-o", "x.csv"}, []string{"run", "x.cir", "-o", "x.csv"}},
		{"gospice", []string{"--version"}, []string{"--version"}},
		{"gospice", []string{"-h"}, []string{"-h"}},
	} {
		if got := commandLine(c.argv0, c.args); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q: %q, want %q", c.argv0, c.args, got, c.want)
		}
	}
}

// ngspiceInstalled says whether ngspice is installed: the comparisons with it skip
// otherwise.
func ngspiceInstalled() bool {
	_, err := exec.LookPath("ngspice")
	return err == nil
}

// dropIn runs gospice ngspice ARGS in dir, with a home folder of its own (no .spiceinit
// of the user's).
func dropIn(t *testing.T, ctx context.Context, dir string, args ...string) result {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	return runCLI(t, ctx, dir, append([]string{"ngspice"}, args...)...)
}

// ngspiceIn runs ngspice 39 with args in dir, with an empty home folder.
func ngspiceIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command("ngspice", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// writeFiles writes files into a new folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		writeNetlist(t, dir, name, text)
	}
	return dir
}

const rcBody = `v1 in 0 pulse(0 1 0 1u 1u 10u 20u)
r1 in out 1k
c1 out 0 1n
`

// TestDropInExitCodes holds the drop-in to ngspice 39's exit codes in batch mode. ngspice
// runs a netlist's analyses after its .control blocks (unless they quit) only when the
// netlist has .print, .plot, .four, .meas or .op lines; otherwise it says "no simulations
// run" and exits with 1, with or without a .control block. With -r it always runs them,
// into the raw file, and exits with 0. The codes below are ngspice 39's, measured; with
// ngspice installed they are measured again.
func TestDropInExitCodes(t *testing.T) {
	for _, c := range []struct {
		name, lines string
		code        int // without -r; with -r every case exits with 0
	}{
		{"tran only", ".tran 1u 10u", 1},
		{"op only", ".op", 0},
		{"meas", ".tran 1u 10u\n.meas tran vmax max v(out)", 0},
		{"save", ".tran 1u 10u\n.save v(out)", 1},
		{"plot", ".tran 1u 10u\n.plot tran v(out)", 0},
		{"print", ".tran 1u 10u\n.print tran v(out)", 0},
		{"nothing", "", 1},
		{"control op, .op", ".op\n.control\nop\n.endc", 0},
		{"control run", ".tran 1u 10u\n.control\nrun\n.endc", 1},
		{"control run, meas", ".tran 1u 10u\n.meas tran vmax max v(out)\n.control\nrun\n.endc", 0},
		{"empty control", ".control\n.endc", 1},
		{"control tran write", ".control\ntran 1u 10u\nwrite w.raw v(out)\n.endc", 1},
		{"control quit", ".control\ntran 1u 10u\nwrite w.raw v(out)\nquit\n.endc", 0},
		{"print, control tran", ".print tran v(out)\n.control\ntran 1u 10u\n.endc", 0},
		{"quit 3", ".control\nop\nquit 3\n.endc", 3},
	} {
		text := "t\n" + rcBody + c.lines + "\n.end\n"
		dir := writeFiles(t, map[string]string{"t.cir": text})
		r := dropIn(t, context.Background(), dir, "-b", "t.cir")
		if r.code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, r.code, c.code, r.stderr)
		}
		rcode := 0 // with -r
		if c.code > 1 {
			rcode = c.code // quit N
		}
		if noSim := strings.Contains(r.stderr, "no simulations run"); noSim != (c.code == 1) {
			t.Errorf("%s: the note of no simulations: %v\n%s", c.name, noSim, r.stderr)
		}
		r = dropIn(t, context.Background(), dir, "-b", "-r", "t.raw", "t.cir")
		if r.code != rcode {
			t.Errorf("%s, -r: exit %d, want %d\n%s", c.name, r.code, rcode, r.stderr)
		}
		if ngspiceInstalled() {
			if n := ngspiceIn(t, dir, "-b", "t.cir"); n.code != c.code {
				t.Errorf("%s: ngspice exits with %d, the table says %d", c.name, n.code, c.code)
			}
			if n := ngspiceIn(t, dir, "-b", "-r", "t.raw", "t.cir"); n.code != rcode {
				t.Errorf("%s, -r: ngspice exits with %d", c.name, n.code)
			}
		}
	}
}

// xschemTestbench is a testbench as xschem writes one: a subcircuit, GND, .include of the
// models, and a .control block with save all, op, write, tran, write with appendwrite
// and meas, without quit.
var xschemTestbench = map[string]string{
	"models.lib": `* models for the testbench
.model dmod D(is=1e-14 cjo=2p rs=10)
.model qn NPN(is=1e-16 bf=100 cje=1p cjc=0.5p tf=0.1n)
`,
	"tb.spice": `** sch_path: /home/user/xschem/tb.sch
**.subckt tb
V1 in GND pulse(0 1 1n 1n 1n 20n 40n) ac 1
Vcc vcc GND 3
x1 in out vcc GND amp
C1 out GND 1p
**** begin user architecture code
.include models.lib
.control
save all
op
write tb.raw
set appendwrite
tran 0.1n 60n
write tb.raw
meas tran vmax max v(out)
.endc
**** end user architecture code
**.ends

* expanding   symbol:  amp.sym # of pins=4
.subckt amp a y vp vn
R1 vp y 2k
Rb a b 10k
Q1 y b e qn
Re e vn 100
D1 y vn dmod
.ends

.GLOBAL GND
.end
`,
}

// TestDropInXschemTestbench runs the testbench with gospice ngspice -b -o and ngspice -b
// -o: the same exit code (1: no .print lines, ngspice's "no simulations run"), the same
// raw file written by the block (plots, vector names and types, values within the
// simulators' accuracy), the same meas result in the log. With -r, both run nothing more
// and leave no -r file.
func TestDropInXschemTestbench(t *testing.T) {
	if !ngspiceInstalled() {
		t.Skip("ngspice is not installed")
	}
	ng, ours := writeFiles(t, xschemTestbench), writeFiles(t, xschemTestbench)
	n := ngspiceIn(t, ng, "-b", "-o", "tb.log", "tb.spice")
	g := dropIn(t, context.Background(), ours, "-b", "-o", "tb.log", "tb.spice")
	if g.code != n.code || g.code != 1 {
		t.Errorf("exit %d, ngspice %d (want 1)\n%s", g.code, n.code, g.stderr)
	}
	if !strings.Contains(g.stdout, "Comments and warnings go to log-file: tb.log") {
		t.Errorf("stdout: %q", g.stdout)
	}
	// Measured: op 1.1e-16, tran 4.2e-6 (interpolated between time points).
	compareRawFiles(t, filepath.Join(ng, "tb.raw"), filepath.Join(ours, "tb.raw"), 5e-5)
	want, got := measValue(t, filepath.Join(ng, "tb.log"), "vmax"), measValue(t, filepath.Join(ours, "tb.log"), "vmax")
	d := math.Abs(got - want)
	t.Logf("vmax: gospice %g, ngspice %g, difference %.2g V", got, want, d)
	if d > 1e-4 { // measured 2e-9 V
		t.Errorf("vmax %g, ngspice %g", got, want)
	}
	if !strings.Contains(readText(t, filepath.Join(ours, "tb.log")), `no simulations run`) {
		t.Error("the log does not say that no simulations ran")
	}

	n = ngspiceIn(t, ng, "-b", "-r", "tb.raw", "tb.spice")
	g = dropIn(t, context.Background(), ours, "-b", "-r", "tb.raw", "tb.spice")
	if g.code != 0 || n.code != 0 {
		t.Errorf("-r: exit %d, ngspice %d\n%s", g.code, n.code, g.stderr)
	}
	// ngspice 39 removes the -r file when the netlist has no analysis of its own to write
	// into it, even after the block wrote it.
	for _, dir := range []string{ng, ours} {
		if _, err := os.Stat(filepath.Join(dir, "tb.raw")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: tb.raw is there: %v", dir, err)
		}
	}
}

// compareRawFiles compares two raw files plot by plot: names, vector names and types,
// values (comparePlot).
func compareRawFiles(t *testing.T, want, got string, tol float64) {
	t.Helper()
	w, g := readRawFile(t, want), readRawFile(t, got)
	if len(g) != len(w) {
		t.Fatalf("%d plots, ngspice %d", len(g), len(w))
	}
	for i := range w {
		if g[i].Name != w[i].Name || g[i].Complex != w[i].Complex || !reflect.DeepEqual(g[i].Vars, w[i].Vars) {
			t.Errorf("plot %d: %s complex=%v %v\nngspice %s complex=%v %v", i, g[i].Name, g[i].Complex, g[i].Vars, w[i].Name, w[i].Complex, w[i].Vars)
			continue
		}
		comparePlotWithin(t, filepath.Base(got), g[i], w[i], tol)
	}
}

// comparePlotWithin compares two plots' values as comparePlot does (a transient at
// ngspice's times, interpolated in gospice's), within tol of 1 V or 1 mA.
func comparePlotWithin(t *testing.T, file string, g, w *rawPlot, tol float64) {
	t.Helper()
	worst := 0.0
	for k := range w.Vars {
		scale := 1.0
		switch w.Vars[k].Type {
		case "current":
			scale = 1e-3
		case "time", "frequency":
			continue // the scale: compared through the interpolation
		}
		for i := range w.Points() {
			var d float64
			switch {
			case w.Complex:
				d = abs(g.Cplx[k][i] - w.Cplx[k][i])
			case w.Name == "Transient Analysis":
				d = math.Abs(interpolate(g.Real[0], g.Real[k], w.Real[0][i]) - w.Real[k][i])
			default:
				if i >= g.Points() {
					t.Fatalf("%s %s: %d points, ngspice %d", file, w.Name, g.Points(), w.Points())
				}
				d = math.Abs(g.Real[k][i] - w.Real[k][i])
			}
			worst = math.Max(worst, d/scale)
		}
	}
	t.Logf("%s %s: largest difference %.2g (of 1 V, 1 mA)", file, w.Name, worst)
	if worst > tol {
		t.Errorf("%s %s: values differ by %.2g", file, w.Name, worst)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// measValue is the value of a meas line (name = value ...) in a log.
func measValue(t *testing.T, path, name string) float64 {
	t.Helper()
	for _, l := range strings.Split(readText(t, path), "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == name && f[1] == "=" {
			x, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
	}
	t.Fatalf("%s: no %s line", path, name)
	return 0
}

// printTable is a table that .print wrote: its columns' names and its rows.
type printTable struct {
	names []string
	rows  [][]float64 // the index left out
}

// printTables reads the .print tables of a log: a header line (Index, the names) and
// rows of numbers after tabs; a table goes on across page breaks, and a row of index 0
// begins a new one.
func printTables(t *testing.T, text string) []printTable {
	t.Helper()
	var tables []printTable
	var header []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "Index ") {
			header = strings.Fields(l)[1:]
			continue
		}
		f := strings.Split(strings.TrimRight(l, "\t"), "\t")
		if header == nil || len(f) < len(header)+1 {
			continue
		}
		i, err := strconv.Atoi(f[0])
		if err != nil {
			continue
		}
		if i == 0 {
			tables = append(tables, printTable{names: header})
		}
		// A complex value is two numbers, "re,<tab>im": the row has more numbers than
		// names then.
		row := make([]float64, len(f)-1)
		for k := range row {
			if row[k], err = strconv.ParseFloat(strings.TrimSuffix(f[k+1], ","), 64); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
		}
		tables[len(tables)-1].rows = append(tables[len(tables)-1].rows, row)
	}
	return tables
}

// printNetlist has .print lines and dot analyses only: a transient with two .print lines,
// and a .dc in a netlist of its own (ngspice 39 prints the tables of one kind of analysis
// only when a netlist has .print lines of two: see docs/control.md).
var printNetlists = map[string]string{
	"tran.cir": "print tran\n" + rcBody + "r2 out 0 2k\n.tran 0.1u 8u\n.print tran v(out) v(in) i(v1)\n.print tran out\n.end\n",
	"ac.cir":   "print ac\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1u\n.ac dec 5 10 10k\n.print ac vdb(out) v(out) vp(out) vm(out)\n.print ac vr(out) vi(out)\n.end\n",
	"dc.cir":   "print dc\nv1 in 0 dc 1\nr1 in out 1k\nd1 out 0 dm\n.model dm d(is=1e-14)\n.dc v1 -1 2 0.05\n.print dc v(out) i(v1)\n.end\n",
}

// TestDropInPrintTables runs netlists with .print lines through gospice -b and ngspice
// -b: the same tables (names, rows at the same scale values within the simulators'
// accuracy), to standard output and to -o's log; with -r, the same raw file and
// ".print line ignored" notes instead.
func TestDropInPrintTables(t *testing.T) {
	if !ngspiceInstalled() {
		t.Skip("ngspice is not installed")
	}
	ng, ours := writeFiles(t, printNetlists), writeFiles(t, printNetlists)
	for _, name := range []string{"tran.cir", "dc.cir", "ac.cir"} {
		n := ngspiceIn(t, ng, "-b", name)
		g := dropIn(t, context.Background(), ours, "-b", name)
		if g.code != 0 || n.code != 0 {
			t.Fatalf("%s: exit %d, ngspice %d\n%s", name, g.code, n.code, g.stderr)
		}
		compareTables(t, name, printTables(t, n.stdout), printTables(t, g.stdout))
		if name == "dc.cir" {
			checkDiodeSweep(t, printTables(t, g.stdout))
		}

		log := strings.TrimSuffix(name, ".cir") + ".log"
		g = dropIn(t, context.Background(), ours, "-b", "-o", log, name)
		if g.code != 0 {
			t.Fatalf("%s -o: exit %d", name, g.code)
		}
		compareTables(t, name+" -o", printTables(t, n.stdout), printTables(t, readText(t, filepath.Join(ours, log))))

		raw := strings.TrimSuffix(name, ".cir") + ".raw"
		n = ngspiceIn(t, ng, "-b", "-r", raw, name)
		g = dropIn(t, context.Background(), ours, "-b", "-r", raw, name)
		if g.code != 0 || n.code != 0 {
			t.Fatalf("%s -r: exit %d, ngspice %d\n%s", name, g.code, n.code, g.stderr)
		}
		if c, w := strings.Count(g.stdout, ".print line ignored since rawfile was produced."), strings.Count(n.stdout, ".print line ignored since rawfile was produced."); c != w {
			t.Errorf("%s -r: %d notes of .print lines ignored, ngspice %d", name, c, w)
		}
		if tables := printTables(t, g.stdout); len(tables) != 0 {
			t.Errorf("%s -r: %d tables printed", name, len(tables))
		}
		compareRawFiles(t, filepath.Join(ng, raw), filepath.Join(ours, raw), 6e-4) // as the tables
	}
}

// compareComplexTable compares a table with complex columns (an .ac's, at the same
// frequencies in both) number by number, relative to each number (1 V at least 1 uV).
func compareComplexTable(t *testing.T, what string, i int, w, g printTable) {
	t.Helper()
	if len(g.rows) != len(w.rows) {
		t.Errorf("%s table %d: %d rows, ngspice %d", what, i, len(g.rows), len(w.rows))
		return
	}
	worst := 0.0
	for r := range w.rows {
		if len(g.rows[r]) != len(w.rows[r]) {
			t.Errorf("%s table %d row %d: %d numbers, ngspice %d", what, i, r, len(g.rows[r]), len(w.rows[r]))
			return
		}
		for k, x := range w.rows[r] {
			worst = math.Max(worst, math.Abs(g.rows[r][k]-x)/math.Max(math.Abs(x), 1e-6))
		}
	}
	t.Logf("%s table %d (%v): %d rows, largest relative difference %.2g", what, i, w.names, len(g.rows), worst)
	if worst > 1e-5 { // measured 0: the same numbers to the 6 or 7 digits printed
		t.Errorf("%s table %d: values differ by %.2g", what, i, worst)
	}
}

// compareTables compares print tables: the same names, and each value of ngspice's rows
// against gospice's at the same scale value (interpolated for a transient).
func compareTables(t *testing.T, what string, want, got []printTable) {
	t.Helper()
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%s: %d tables, ngspice %d", what, len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if !reflect.DeepEqual(g.names, w.names) {
			t.Errorf("%s table %d: columns %q, ngspice %q", what, i, g.names, w.names)
			continue
		}
		if len(w.rows) > 0 && len(w.rows[0]) != len(w.names) {
			compareComplexTable(t, what, i, w, g)
			continue
		}
		xs := make([]float64, len(g.rows))
		for r, row := range g.rows {
			xs[r] = row[0]
		}
		worst := 0.0
		for k := 1; k < len(w.names); k++ {
			ys := make([]float64, len(g.rows))
			scale := 1.0 // volts; amperes against 1 mA
			if strings.Contains(w.names[k], "#branch") {
				scale = 1e-3
			}
			for r, row := range g.rows {
				ys[r] = row[k]
			}
			for _, row := range w.rows {
				d := math.Abs(interpolate(xs, ys, row[0])-row[k]) / scale
				worst = math.Max(worst, d)
			}
		}
		t.Logf("%s table %d (%v): %d rows, ngspice %d, largest difference %.2g (of 1 V, 1 mA)", what, i, w.names, len(g.rows), len(w.rows), worst)
		// Measured: 0 for the transient (the same time points; ngspice's values printed to
		// 7 digits); 6.2e-5 V for the diode's .dc, where ngspice is off: at v1 = 0.65 V
		// the exact answer is 0.5845845 V, gospice 0.5845844, ngspice 0.5846141 (its
		// Newton iteration stops within reltol, 1e-3 of the value; checkDiodeSweep holds
		// gospice to the exact answer).
		if worst > 6e-4 {
			t.Errorf("%s table %d: values differ by %.2g", what, i, worst)
		}
	}
}

// TestDropInErrors: a netlist with an error exits with 1 in both, gospice naming the file,
// line and column; a failed command exits with 1 and the script goes on; a run stopped
// early leaves its points under the -r name and says so.
func TestDropInErrors(t *testing.T) {
	files := map[string]string{
		"model.cir": "bad model\n" + rcBody + "q1 out in 0 nosuchmodel\n.op\n.print op v(out)\n.end\n",
		"cmd.cir":   "bad command\n" + rcBody + ".control\nop\nfrobnicate 3\nprint v(out)\n.endc\n.end\n",
		"long.cir":  "long\nv1 in 0 sin(0 1 1k)\nr1 in out 1k\nc1 out 0 1u\n.tran 1u 10\n.end\n",
	}
	dir := writeFiles(t, files)
	g := dropIn(t, context.Background(), dir, "-b", "model.cir")
	if g.code != 1 || !strings.Contains(g.stderr, "model.cir:5:13") || !strings.Contains(g.stderr, "nosuchmodel") {
		t.Errorf("exit %d: %s", g.code, g.stderr)
	}
	g = dropIn(t, context.Background(), dir, "-b", "cmd.cir")
	if g.code != 1 || !strings.Contains(g.stderr, "cmd.cir:7:1: error: frobnicate") || !strings.Contains(g.stdout, "v(out) = ") {
		t.Errorf("exit %d: %s\n%s", g.code, g.stderr, g.stdout)
	}
	if ngspiceInstalled() {
		if n := ngspiceIn(t, dir, "-b", "model.cir"); n.code != 1 {
			t.Errorf("ngspice exits with %d on the unknown model", n.code)
		}
		// ngspice 39 exits with 1 here for want of .print lines, not for the command.
		if n := ngspiceIn(t, dir, "-b", "cmd.cir"); n.code != 1 || !strings.Contains(n.stderr, "frobnicate") {
			t.Errorf("ngspice exits with %d: %s", n.code, n.stderr)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	g = dropIn(t, ctx, dir, "-b", "-r", "long.raw", "long.cir")
	if g.code != 1 || !strings.Contains(g.stderr, "the points computed so far are in long.raw") {
		t.Fatalf("exit %d: %s", g.code, g.stderr)
	}
	plots := readRawFile(t, filepath.Join(dir, "long.raw"))
	if len(plots) != 1 || plots[0].Points() < 2 {
		t.Fatalf("%d plots", len(plots))
	}
	if last := plots[0].Real[0][plots[0].Points()-1]; !(last > 0 && last < 10) {
		t.Errorf("the partial transient ends at %g s", last)
	}
}

// TestSpiceinit: the .spiceinit of the working folder, else of the home folder, runs
// before the netlist (-n skips it); its common lines are accepted without an error, and
// its variables hold in the run (filetype=ascii makes the -r file ASCII).
func TestSpiceinit(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := writeFiles(t, map[string]string{"t.cir": "t\n" + rcBody + ".op\n.end\n"})
	init := "* settings\nset ngbehavior=hsa\nset skywaterpdk\noption klu\nset num_threads=4\nset ng_nomodcheck\nset filetype=ascii\n"
	writeNetlist(t, dir, ".spiceinit", init)
	writeNetlist(t, home, ".spiceinit", "set filetype=binary\necho from home\n")
	isASCII := func(args ...string) bool {
		t.Helper()
		r := runCLI(t, context.Background(), dir, append([]string{"ngspice"}, args...)...)
		if r.code != 0 || strings.Contains(r.stderr, "error") || strings.Contains(r.stderr, "warning") {
			t.Fatalf("%q: exit %d: %s", args, r.code, r.stderr)
		}
		return strings.Contains(readText(t, filepath.Join(dir, "t.raw")), "Values:")
	}
	if !isASCII("-b", "-r", "t.raw", "t.cir") {
		t.Error("the working folder's .spiceinit did not run")
	}
	if isASCII("-b", "-n", "-r", "t.raw", "t.cir") {
		t.Error("-n: the .spiceinit ran")
	}
	os.Remove(filepath.Join(dir, ".spiceinit"))
	r := runCLI(t, context.Background(), dir, "ngspice", "-b", "-r", "t.raw", "t.cir")
	if !strings.Contains(r.stdout, "from home") {
		t.Errorf("the home folder's .spiceinit did not run: %q", r.stdout)
	}
	if !isASCII("-b", "-D", "filetype=ascii", "-r", "t.raw", "t.cir") {
		t.Error("-D filetype=ascii did not hold")
	}
}

// checkDiodeSweep holds dc.cir's table to the exact answer: at each v1 the diode's
// voltage v solves (v1 - v)/1k = Is (exp(v/vt) - 1), found by bisection.
func checkDiodeSweep(t *testing.T, tables []printTable) {
	t.Helper()
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	const is = 1e-14
	vt := 1.380649e-23 * 300.15 / 1.602176634e-19
	worst := 0.0
	for _, row := range tables[0].rows {
		v1 := row[0]
		f := func(v float64) float64 { return (v1-v)/1e3 - is*math.Expm1(v/vt) }
		lo, hi := math.Min(v1, 0), math.Max(v1, 0)
		for range 200 {
			mid := (lo + hi) / 2
			if f(mid) > 0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		worst = math.Max(worst, math.Abs(row[1]-lo))
	}
	t.Logf("dc.cir: largest difference from the exact diode voltage %.2g V", worst)
	if worst > 1.3e-5 { // measured 1.3e-6
		t.Errorf("the diode's voltage is %.2g V from the exact answer", worst)
	}
}

// sky130Testbench is an xschem testbench of a SKY130 inverter: .lib of the PDK's models,
// a .spiceinit as the PDK's install writes it, a .control block without quit.
const sky130Testbench = `** sch_path: /home/user/xschem/inv_tb.sch
**.subckt inv_tb
V1 in GND pulse(0 1.8 0.1n 50p 50p 1n 2n)
Vdd vdd GND 1.8
x1 in out vdd GND inv
C1 out GND 5f
**** begin user architecture code
.lib LIB tt
.control
save all
op
write tb.raw
set appendwrite
tran 5p 2n
write tb.raw
meas tran tpd trig v(in) val=0.9 rise=1 targ v(out) val=0.9 fall=1
.endc
**** end user architecture code
**.ends

* expanding   symbol:  inv.sym # of pins=4
.subckt inv a y vp vn
XM1 y a vn vn sky130_fd_pr__nfet_01v8 L=0.15 W=1 nf=1 mult=1
XM2 y a vp vp sky130_fd_pr__pfet_01v8 L=0.15 W=2 nf=1 mult=1
.ends

.GLOBAL GND
.end
`

// TestDropInSKY130Testbench runs the SKY130 testbench with gospice -b -o and ngspice -b
// -o: the same exit code (1, no .print lines), the same plots in tb.raw with every vector
// of ngspice's (but the BSIM4 body nodes, which ngspice names m.x1.xm1.msky130...#body
// and gospice x1.xm1.msky130...#body) named and typed alike and within the simulators'
// accuracy, and the same delay within 0.5%.
func TestDropInSKY130Testbench(t *testing.T) {
	if !ngspiceInstalled() {
		t.Skip("ngspice is not installed")
	}
	lib, err := filepath.Abs("../../../shared/pdk/sky130/combined_models/continuous/sky130.lib.spice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib); err != nil {
		t.Skipf("the SKY130 library is not present (reference data outside the repository, see docs/test-data.md): %v", err)
	}
	files := map[string]string{
		"tb.spice":   strings.Replace(sky130Testbench, "LIB", lib, 1),
		".spiceinit": "set ngbehavior=hsa\nset ng_nomodcheck\nset skywaterpdk\noption klu\n",
	}
	ng, ours := writeFiles(t, files), writeFiles(t, files)
	n := ngspiceIn(t, ng, "-b", "-o", "tb.log", "tb.spice")
	g := runCLI(t, context.Background(), ours, "ngspice", "-b", "-o", "tb.log", "tb.spice")
	if g.code != 1 || n.code != 1 {
		t.Errorf("exit %d, ngspice %d (want 1)\n%s", g.code, n.code, readText(t, filepath.Join(ours, "tb.log")))
	}
	w, gp := readRawFile(t, filepath.Join(ng, "tb.raw")), readRawFile(t, filepath.Join(ours, "tb.raw"))
	if len(gp) != 2 || len(w) != 2 {
		t.Fatalf("%d plots, ngspice %d", len(gp), len(w))
	}
	for i := range w {
		if gp[i].Name != w[i].Name {
			t.Fatalf("plot %d: %s, ngspice %s", i, gp[i].Name, w[i].Name)
		}
		// ngspice's vectors without its BSIM4 body nodes, in gospice's columns.
		sub := &rawPlot{Name: w[i].Name}
		for k, v := range w[i].Vars {
			if strings.Contains(v.Name, "#") && strings.HasPrefix(v.Name, "v(") {
				continue
			}
			j := varIndex(gp[i], v.Name)
			if j < 0 || gp[i].Vars[j] != v {
				t.Errorf("%s: no %v in gospice's plot %v", w[i].Name, v, gp[i].Vars)
				continue
			}
			sub.Vars = append(sub.Vars, v)
			sub.Real = append(sub.Real, w[i].Real[k])
		}
		mine := &rawPlot{Name: gp[i].Name}
		for _, v := range sub.Vars {
			mine.Vars = append(mine.Vars, v)
			mine.Real = append(mine.Real, gp[i].Real[varIndex(gp[i], v.Name)])
		}
		// Measured: op 1e-14 (of 1 V, 1 mA), tran 3.4e-3 V (on the inverter's edges,
		// 0.09 V/ps, where the 27 ps delays differ by 0.03 ps).
		comparePlotWithin(t, "tb.raw", mine, sub, 0.035)
	}
	want, got := measValue(t, filepath.Join(ng, "tb.log"), "tpd"), measValue(t, filepath.Join(ours, "tb.log"), "tpd")
	t.Logf("tpd: gospice %.5g s, ngspice %.5g s (%.2g%%)", got, want, 100*math.Abs(got-want)/want)
	if math.Abs(got-want) > 0.005*want { // measured 0.1%
		t.Errorf("tpd %g, ngspice %g", got, want)
	}
}
