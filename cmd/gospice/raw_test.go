package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fourNetlist has one analysis of each kind, a nested .dc and a current source sweep
// aside.
const fourNetlist = `four analyses
V1 in 0 DC 1 AC 1 PULSE(0 1 0 1u 1u 1m 2m)
R1 in out 1k
C1 out 0 1u
L1 out mid 1m
R2 mid 0 1k
I1 0 mid 1m
.op
.dc V1 0 2 0.5
.tran 100u 2m
.ac dec 5 1k 100k
.end
`

func readRawFile(t *testing.T, path string) []*rawPlot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plots, err := readRaw(f)
	if err != nil {
		t.Fatal(err)
	}
	return plots
}

// readCSV reads a CSV file gospice wrote into named columns.
func readCSV(t *testing.T, path string) ([]string, [][]float64) {
	t.Helper()
	tab, err := readCSVTable(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var cols [][]float64
	for _, c := range tab.cols {
		names = append(names, c.name)
		cols = append(cols, c.re)
	}
	return names, cols
}

func TestRawFilesHoldEveryAnalysis(t *testing.T) {
	for _, format := range []string{"raw", "rawascii"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			writeNetlist(t, dir, "four.cir", fourNetlist)
			r := runCLI(t, context.Background(), dir, "run", "four.cir", "--format", format)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "wrote four.raw (4 analyses,") {
				t.Errorf("stderr %q", r.stderr)
			}
			data, err := os.ReadFile(filepath.Join(dir, "four.raw"))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte("Binary:\n")) == (format == "rawascii") {
				t.Errorf("%s file with the wrong data section", format)
			}
			plots := readRawFile(t, filepath.Join(dir, "four.raw"))
			if len(plots) != 4 {
				t.Fatalf("%d plots", len(plots))
			}
			want := []struct {
				name, flags string
				vars        []rawVar
			}{
				{"Operating Point", "real", []rawVar{{Name: "v(in)", Type: "voltage", Params: ""}, {Name: "v(out)", Type: "voltage", Params: ""}, {Name: "v(mid)", Type: "voltage", Params: ""}, {Name: "i(v1)", Type: "current", Params: ""}, {Name: "i(l1)", Type: "current", Params: ""}}},
				{"DC transfer characteristic", "real", []rawVar{{Name: "v(v-sweep)", Type: "voltage", Params: ""}, {Name: "v(in)", Type: "voltage", Params: ""}, {Name: "v(out)", Type: "voltage", Params: ""}, {Name: "v(mid)", Type: "voltage", Params: ""}, {Name: "i(v1)", Type: "current", Params: ""}, {Name: "i(l1)", Type: "current", Params: ""}}},
				{"Transient Analysis", "real", []rawVar{{Name: "time", Type: "time", Params: ""}, {Name: "v(in)", Type: "voltage", Params: ""}, {Name: "v(out)", Type: "voltage", Params: ""}, {Name: "v(mid)", Type: "voltage", Params: ""}, {Name: "i(v1)", Type: "current", Params: ""}, {Name: "i(l1)", Type: "current", Params: ""}}},
				{"AC Analysis", "complex", []rawVar{{Name: "frequency", Type: "frequency", Params: "grid=3"}, {Name: "v(in)", Type: "voltage", Params: ""}, {Name: "v(out)", Type: "voltage", Params: ""}, {Name: "v(mid)", Type: "voltage", Params: ""}, {Name: "i(v1)", Type: "current", Params: ""}, {Name: "i(l1)", Type: "current", Params: ""}}},
			}
			for i, w := range want {
				p := plots[i]
				if p.Name != w.name || p.Flags != w.flags || p.Title != "four analyses" || !slices.Equal(p.Vars, w.vars) {
					t.Errorf("plot %d: %q %q %q %v, want %q %q %v", i, p.Title, p.Name, p.Flags, p.Vars, w.name, w.flags, w.vars)
				}
				if _, err := time.Parse("Mon Jan _2 15:04:05  2006", p.Date); err != nil {
					t.Errorf("date %q is not ngspice's: %v", p.Date, err)
				}
			}
			// The same values as the CSV files of the same run.
			if r := runCLI(t, context.Background(), dir, "run", "four.cir"); r.code != 0 {
				t.Fatalf("csv: exit %d: %s", r.code, r.stderr)
			}
			for i, kind := range []string{"op", "dc", "tran"} {
				names, cols := readCSV(t, filepath.Join(dir, "four."+kind+".csv"))
				p := plots[i]
				if p.Points() != len(cols[0]) {
					t.Errorf("%s: %d points in the raw file, %d in the CSV", kind, p.Points(), len(cols[0]))
					continue
				}
				for j := range names {
					if !slices.Equal(p.Real[j], cols[j]) {
						t.Errorf("%s: %s differs: raw %v, csv %v", kind, names[j], p.Real[j][:3], cols[j][:3])
					}
				}
			}
			names, cols := readCSV(t, filepath.Join(dir, "four.ac.csv"))
			ac := plots[3]
			for j, n := range names {
				var got []float64
				switch {
				case n == "frequency":
					got = realParts(ac.Cplx[0])
					if slices.ContainsFunc(ac.Cplx[0], func(z complex128) bool { return imag(z) != 0 }) {
						t.Error("the frequency has an imaginary part")
					}
				case strings.HasPrefix(n, "re("):
					got = realParts(ac.Cplx[varIndex(ac, n[3:len(n)-1])])
				case strings.HasPrefix(n, "im("):
					got = imagParts(ac.Cplx[varIndex(ac, n[3:len(n)-1])])
				}
				if !slices.Equal(got, cols[j]) {
					t.Errorf("ac: %s differs: raw %v, csv %v", n, got, cols[j])
				}
			}
		})
	}
}

func varIndex(p *rawPlot, name string) int {
	for i, v := range p.Vars {
		if v.Name == name {
			return i
		}
	}
	return -1
}

func realParts(z []complex128) []float64 {
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = real(v)
	}
	return out
}

func imagParts(z []complex128) []float64 {
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = imag(v)
	}
	return out
}

func TestRawChosenByExtensionAndToStdout(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "four.cir", fourNetlist)
	r := runCLI(t, context.Background(), dir, "run", "four.cir", "-o", "x.raw")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if plots := readRawFile(t, filepath.Join(dir, "x.raw")); len(plots) != 4 {
		t.Errorf("%d plots in x.raw", len(plots))
	}
	// --format wins over the extension.
	r = runCLI(t, context.Background(), dir, "run", "four.cir", "-o", "y.raw", "--format", "rawascii")
	if data, _ := os.ReadFile(filepath.Join(dir, "y.raw")); r.code != 0 || !bytes.Contains(data, []byte("\nValues:\n")) {
		t.Errorf("exit %d: y.raw is not ASCII: %s", r.code, r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "run", "four.cir", "-o", "-", "--format", "raw")
	if r.code != 0 {
		t.Fatalf("-o -: exit %d: %s", r.code, r.stderr)
	}
	plots, err := readRaw(strings.NewReader(r.stdout))
	if err != nil || len(plots) != 4 || plots[2].Points() < 10 {
		t.Errorf("raw on standard output: %d plots, %v", len(plots), err)
	}
	if strings.Contains(r.stderr, "wrote") {
		t.Errorf("a note for standard output: %q", r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "run", "four.cir", "--format", "hdf5")
	if r.code != 1 || !strings.Contains(r.stderr, `unknown --format "hdf5"`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, f := range files(t, dir) {
		if strings.HasSuffix(f, ".tmp") {
			t.Errorf("temporary file left: %s", f)
		}
	}
}

func TestRawNestedDCAndCurrentSweep(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "dc.cir", "nested\nV1 a 0 1\nV2 b 0 0\nR1 a c 1k\nR2 c b 1k\nI1 0 c 1m\n.dc V1 0 2 1 V2 1 -1 -1\n.dc I1 0 2m 1m\n.end\n")
	if r := runCLI(t, context.Background(), dir, "run", "dc.cir", "-f", "raw"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	plots := readRawFile(t, filepath.Join(dir, "dc.raw"))
	if len(plots) != 2 {
		t.Fatalf("%d plots", len(plots))
	}
	nested, isweep := plots[0], plots[1]
	if nested.Vars[0] != (rawVar{Name: "v(v-sweep)", Type: "voltage", Params: ""}) || nested.Vars[1] != (rawVar{Name: "v2", Type: "voltage", Params: ""}) || nested.Points() != 9 {
		t.Errorf("nested sweep: %v, %d points", nested.Vars, nested.Points())
	}
	if !slices.Equal(nested.Real[0], []float64{0, 1, 2, 0, 1, 2, 0, 1, 2}) || !slices.Equal(nested.Real[1], []float64{1, 1, 1, 0, 0, 0, -1, -1, -1}) {
		t.Errorf("sweeps %v %v", nested.Real[0], nested.Real[1])
	}
	if isweep.Vars[0] != (rawVar{Name: "i(i-sweep)", Type: "current", Params: ""}) || isweep.Points() != 3 {
		t.Errorf("current sweep: %v", isweep.Vars)
	}
}

func TestRawPartialFileAfterAStop(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "long.cir", "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.op\n.tran 1u 10\n.end\n")
	writeNetlist(t, dir, "long.raw", "stale\n")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r := runCLI(t, ctx, dir, "run", "long.cir", "--format", "raw")
	if r.code != 2 || !strings.Contains(r.stderr, "long.partial.raw") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "long.raw")); err == nil {
		t.Error("the stale complete file is still there")
	}
	plots := readRawFile(t, filepath.Join(dir, "long.partial.raw"))
	if len(plots) != 2 || plots[0].Points() != 1 || plots[1].Points() < 2 {
		t.Fatalf("%d plots", len(plots))
	}
	tran := plots[1]
	last := tran.Real[0][tran.Points()-1]
	if !(last > 0 && last < 10) {
		t.Errorf("the partial transient ends at %g s", last)
	}
}

func TestRawRunStoppedBeforeItsFirstPointWritesNoFile(t *testing.T) {
	dir := t.TempDir()
	// The .op cannot be computed (the square root of a negative number): no point at all.
	writeNetlist(t, dir, "f.cir", "sqrt\nV1 a 0 1\nR1 a b 1k\nB1 b 0 V=sqrt(-1-v(a))\n.op\n.end\n")
	writeNetlist(t, dir, "f.raw", "stale\n")
	writeNetlist(t, dir, "f.partial.raw", "stale\n")
	r := runCLI(t, context.Background(), dir, "run", "f.cir", "--format", "raw")
	if r.code != 2 || !strings.Contains(r.stderr, "no point was computed before the stop, so no file was written") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files: %v, want the netlist alone", got)
	}
}

// The raw reader reads what ngspice itself writes, binary and ASCII.
func TestReadNgspiceRawFiles(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice): skipping the raw file cross-check")
	}
	for _, ascii := range []bool{false, true} {
		dir := t.TempDir()
		text := fourNetlist
		if ascii {
			text = strings.Replace(text, ".op", ".options filetype=ascii\n.op", 1)
		}
		cir := writeNetlist(t, dir, "four.cir", text)
		out, err := exec.Command("ngspice", "-b", "-r", filepath.Join(dir, "ng.raw"), cir).CombinedOutput()
		if err != nil {
			t.Fatalf("ngspice: %v\n%s", err, out)
		}
		plots := readRawFile(t, filepath.Join(dir, "ng.raw"))
		byName := map[string]*rawPlot{}
		for _, p := range plots {
			byName[p.Name] = p
		}
		tran := byName["Transient Analysis"]
		ac := byName["AC Analysis"]
		op := byName["Operating Point"]
		if tran == nil || ac == nil || op == nil || byName["DC transfer characteristic"] == nil {
			t.Fatalf("ascii %v: plots %v", ascii, plots)
		}
		if tran.Vars[0].Name != "time" || tran.Real[0][tran.Points()-1] != 2e-3 {
			t.Errorf("ascii %v: transient %v", ascii, tran.Vars)
		}
		if !ac.Complex || ac.Vars[0].Params != "grid=3" || real(ac.Cplx[0][0]) != 1e3 {
			t.Errorf("ascii %v: ac %v", ascii, ac.Vars)
		}
		if v := op.Real[varIndex(op, "v(out)")][0]; math.Abs(v-1) > 1e-9 {
			t.Errorf("ascii %v: op v(out) = %g", ascii, v)
		}
	}
}

// ngspice loads gospice's raw files, binary and ASCII, and finds the same vectors with
// the same values.
func TestNgspiceLoadsGospiceRawFiles(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice): skipping the raw file cross-check")
	}
	for _, format := range []string{"raw", "rawascii"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			writeNetlist(t, dir, "four.cir", fourNetlist)
			if r := runCLI(t, context.Background(), dir, "run", "four.cir", "--format", format, "--quiet"); r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			plots := readRawFile(t, filepath.Join(dir, "four.raw"))
			var script strings.Builder
			script.WriteString("load script\n.control\nset numdgt=17\nset wr_singlescale\nset wr_vecnames\nload four.raw\n")
			type check struct {
				plot *rawPlot
				v    int
				file string
			}
			var checks []check
			for _, p := range plots {
				setplot := map[string]string{"Operating Point": "op1", "DC transfer characteristic": "dc1", "Transient Analysis": "tran1", "AC Analysis": "ac1"}[p.Name]
				fmt.Fprintf(&script, "setplot %s\ndisplay\n", setplot)
				for v := range p.Vars {
					file := fmt.Sprintf("%s_%d.txt", setplot, v)
					fmt.Fprintf(&script, "wrdata %s %s\n", file, p.Vars[v].Name)
					checks = append(checks, check{p, v, file})
				}
			}
			script.WriteString("quit\n.endc\n.end\n")
			writeNetlist(t, dir, "load.cir", script.String())
			cmd := exec.Command("ngspice", "-b", "load.cir")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("ngspice: %v\n%s", err, out)
			}
			// display lists every vector of each plot with its type and length: the names,
			// types and counts were read as written.
			for _, p := range plots {
				flags := "real"
				if p.Complex {
					flags = "complex"
				}
				for _, v := range p.Vars {
					line := fmt.Sprintf("%-20s: %s, %s, %d long", v.Name, v.Type, flags, p.Points())
					if !strings.Contains(string(out), line) {
						t.Errorf("ngspice's display has no line %q:\n%s", line, out)
					}
				}
			}
			if !strings.Contains(string(out), "frequency, complex, 11 long, grid = xlog [default scale]") {
				t.Errorf("ngspice did not read the frequency as a logarithmic scale:\n%s", out)
			}
			for _, c := range checks {
				got := readWrdataColumn(t, filepath.Join(dir, c.file), c.plot.Complex)
				var want []complex128
				if c.plot.Complex {
					want = c.plot.Cplx[c.v]
				} else {
					for _, v := range c.plot.Real[c.v] {
						want = append(want, complex(v, 0))
					}
				}
				if len(got) != len(want) {
					t.Errorf("%s %s: ngspice read %d points, gospice wrote %d", c.plot.Name, c.plot.Vars[c.v].Name, len(got), len(want))
					continue
				}
				for k := range want {
					if got[k] != want[k] {
						t.Errorf("%s %s[%d]: ngspice read %v, gospice wrote %v", c.plot.Name, c.plot.Vars[c.v].Name, k, got[k], want[k])
						break
					}
				}
			}
		})
	}
}

// readWrdataColumn reads the vector of a wrdata file of one vector written with
// wr_singlescale and wr_vecnames: the last column, or the last two (real, imaginary).
func readWrdataColumn(t *testing.T, path string, cplx bool) []complex128 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var out []complex128
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		n := len(f)
		re, err := strconv.ParseFloat(f[n-1], 64)
		if cplx {
			re, err = strconv.ParseFloat(f[n-2], 64)
		}
		if err != nil {
			t.Fatalf("%s: %q", path, line)
		}
		im := 0.0
		if cplx {
			im, _ = strconv.ParseFloat(f[n-1], 64)
		}
		out = append(out, complex(re, im))
	}
	return out
}
