// Package crosscheck runs netlists through gospice and through ngspice and compares the
// waveforms by interpolation; tests use it to hold gospice to ngspice and to golden files.
package crosscheck

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gospice/gospice"
)

// Table holds an analysis's vectors as columns, the scale (time) first if it has one.
type Table struct {
	Names []string
	Cols  [][]float64
}

// Col returns the named column, or nil.
func (t *Table) Col(name string) []float64 {
	for i, n := range t.Names {
		if n == name {
			return t.Cols[i]
		}
	}
	return nil
}

// Len is the number of rows.
func (t *Table) Len() int {
	if len(t.Cols) == 0 {
		return 0
	}
	return len(t.Cols[0])
}

// tableSink collects an analysis into a Table.
type tableSink struct{ t *Table }

func (s *tableSink) Begin(cols []gospice.Column) error {
	s.t.Names = nil
	for _, c := range cols {
		s.t.Names = append(s.t.Names, c.Name)
	}
	s.t.Cols = make([][]float64, len(cols))
	return nil
}

func (s *tableSink) Point(row []float64) error {
	for i, v := range row {
		s.t.Cols[i] = append(s.t.Cols[i], v)
	}
	return nil
}

// Gospice runs the first analysis of the given kind ("op", "tran") of the netlist at path.
func Gospice(path, kind string) (*Table, error) {
	sim, err := gospice.ParseFile(path)
	if err != nil {
		return nil, err
	}
	return RunSimulation(sim, kind)
}

// RunText parses netlist text and runs its first analysis of the given kind.
func RunText(text, kind string) (*Table, error) {
	sim, err := gospice.Parse("netlist.cir", text)
	if err != nil {
		return nil, err
	}
	return RunSimulation(sim, kind)
}

// Crossings lists the times at which a vector rises through level, interpolated
// linearly between points.
func Crossings(t *Table, vector string, level float64) []float64 {
	times, vals := t.Col("time"), t.Col(vector)
	var out []float64
	for i := 1; i < len(vals); i++ {
		if vals[i-1] < level && vals[i] >= level {
			out = append(out, times[i-1]+(level-vals[i-1])*(times[i]-times[i-1])/(vals[i]-vals[i-1]))
		}
	}
	return out
}

// RunSimulation runs the first analysis of the given kind of a built simulation.
func RunSimulation(sim *gospice.Simulation, kind string) (*Table, error) {
	for _, a := range sim.Analyses() {
		if a.Name() == kind {
			t := &Table{}
			_, err := sim.Run(context.Background(), a, &tableSink{t}, nil)
			return t, err
		}
	}
	return nil, fmt.Errorf("no .%s analysis", kind)
}

// Available reports whether ngspice is installed.
func Available() bool {
	_, err := exec.LookPath("ngspice")
	return err == nil
}

var (
	dropLine = regexp.MustCompile(`(?i)^\s*\.(print|plot|width)\b`)
	endLine  = regexp.MustCompile(`(?i)^\s*\.end\s*$`)
	// includeLine matches .include and .lib lines; group 2 is the file's path.
	includeLine = regexp.MustCompile(`(?i)^(\s*\.(?:include|inc|lib)\s+["']?)([^\s"']+)`)
)

// Ngspice runs the netlist at path with `ngspice -b` and returns the named vectors of
// the analysis of the given kind. Lines that would make ngspice run or print twice
// (.print, .plot, .control blocks) are stripped and a .control block that writes the
// vectors is added.
func Ngspice(path, kind string, vectors []string) (*Table, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return NgspiceText(string(src), filepath.Dir(path), kind, vectors)
}

// NgspiceText is Ngspice for netlist text; dir is where relative .include paths resolve.
func NgspiceText(src, dir, kind string, vectors []string) (*Table, error) {
	work, err := os.MkdirTemp("", "crosscheck")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	var b strings.Builder
	inControl, skipping := false, false
lines:
	for i, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if i > 0 && strings.HasPrefix(trimmed, "+") && skipping {
			continue
		}
		skipping = false
		low := strings.ToLower(trimmed)
		switch {
		case strings.HasPrefix(low, ".control"):
			inControl = true
			continue
		case strings.HasPrefix(low, ".endc"):
			inControl = false
			continue
		case inControl:
			continue
		case i > 0 && endLine.MatchString(line):
			break lines
		case i > 0 && dropLine.MatchString(line):
			skipping = true
			continue
		}
		b.WriteString(absoluteInclude(line, dir))
		b.WriteByte('\n')
	}
	out := filepath.Join(work, "out.txt")
	fmt.Fprintf(&b, ".control\nset units=degrees\nset wr_singlescale\nset wr_vecnames\nset numdgt=16\nrun\nsetplot %s1\nwrdata %s %s\nquit\n.endc\n.end\n",
		kind, out, strings.Join(vectors, " "))
	cir := filepath.Join(work, "in.cir")
	if err := os.WriteFile(cir, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	// ngspice runs in the scratch folder so that the files it writes beside itself
	// (BSIM3's b3v33check.log) stay out of the source tree; includes were made absolute.
	cmd := exec.Command("ngspice", "-b", cir)
	cmd.Dir = work
	log, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ngspice: %v\n%s", err, log)
	}
	t, err := readWrdata(out, kind != "op")
	if err != nil {
		return nil, fmt.Errorf("ngspice output: %v\n%s", err, log)
	}
	return t, nil
}

// absoluteInclude rewrites the path of an .include or .lib line relative to dir as an
// absolute one, when that file exists, so that the netlist reads the same files from
// another folder.
func absoluteInclude(line, dir string) string {
	m := includeLine.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	path := line[m[4]:m[5]]
	if filepath.IsAbs(path) {
		return line
	}
	abs, err := filepath.Abs(filepath.Join(dir, path))
	if err != nil {
		return line
	}
	if _, err := os.Stat(abs); err != nil {
		return line
	}
	return line[:m[4]] + abs + line[m[5]:]
}

// readWrdata reads a wrdata file written with wr_singlescale and wr_vecnames. Without a
// scale (an .op), the first column ngspice writes is dropped.
func readWrdata(path string, keepScale bool) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	t := &Table{}
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if t.Names == nil {
			t.Names = fields
			t.Cols = make([][]float64, len(fields))
			continue
		}
		if len(fields) != len(t.Names) {
			return nil, fmt.Errorf("row of %d fields under %d names", len(fields), len(t.Names))
		}
		for i, s := range fields {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, err
			}
			t.Cols[i] = append(t.Cols[i], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if t.Names == nil {
		return nil, fmt.Errorf("empty")
	}
	if !keepScale {
		t.Names, t.Cols = t.Names[1:], t.Cols[1:]
		t.Names[0] = strings.TrimSpace(t.Names[0])
	}
	t.Names[0] = strings.ToLower(t.Names[0])
	return t, nil
}

// Mismatch describes the worst disagreement of one vector.
type Mismatch struct {
	Vector string
	At     float64 // scale value of the worst point
	Diff   float64 // |got - want| there
	Swing  float64 // max - min of the reference
}

func (m Mismatch) Relative() float64 { return m.Diff / m.Swing }

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: off by %.3g at %g (%.3g%% of its swing %.3g)", m.Vector, m.Diff, m.At, 100*m.Relative(), m.Swing)
}

// Compare compares every vector of want that got also has, over the scale range both
// cover, by interpolating each table at the other's points. It returns the worst
// disagreement per vector, relative to the swing of want (for constant vectors, their
// magnitude, and at least floor).
func Compare(want, got *Table, vectors []string, floor float64) ([]Mismatch, error) {
	return compare(want, got, vectors, floor, true)
}

// CompareAtReference is Compare at want's points only: got is interpolated there. It
// suits a reference that keeps a subset of its points, as the golden files do.
func CompareAtReference(want, got *Table, vectors []string, floor float64) ([]Mismatch, error) {
	return compare(want, got, vectors, floor, false)
}

func compare(want, got *Table, vectors []string, floor float64, both bool) ([]Mismatch, error) {
	var res []Mismatch
	for _, name := range vectors {
		w, g := want.Col(name), got.Col(name)
		if w == nil || g == nil {
			return nil, fmt.Errorf("vector %s missing (reference has %v, result has %v)", name, want.Names, got.Names)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range w {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		swing := hi - lo
		if swing == 0 {
			swing = math.Abs(hi)
		}
		swing = math.Max(swing, floor)
		m := Mismatch{Vector: name, Swing: swing}
		if want.Names[0] != "time" || got.Names[0] != "time" {
			// no scale: compare row by row
			if len(w) != len(g) {
				return nil, fmt.Errorf("%s: %d rows against %d", name, len(g), len(w))
			}
			for i := range w {
				if d := math.Abs(w[i] - g[i]); d > m.Diff || math.IsNaN(d) {
					m.Diff, m.At = d, float64(i)
				}
			}
		} else {
			wt, gt := want.Cols[0], got.Cols[0]
			worst := func(ta, va, tb, vb []float64) {
				for i, t := range ta {
					if t < tb[0] || t > tb[len(tb)-1] {
						continue
					}
					if d := math.Abs(va[i] - Interpolate(tb, vb, t)); d > m.Diff || math.IsNaN(d) {
						m.Diff, m.At = d, t
					}
				}
			}
			worst(wt, w, gt, g)
			if both {
				worst(gt, g, wt, w)
			}
		}
		res = append(res, m)
	}
	return res, nil
}

// Interpolate evaluates the piecewise-linear curve (ts, vs) at t; ts is non-decreasing.
func Interpolate(ts, vs []float64, t float64) float64 {
	n := len(ts)
	if t <= ts[0] {
		return vs[0]
	}
	if t >= ts[n-1] {
		return vs[n-1]
	}
	lo, hi := 0, n-1 // ts[lo] < t <= ts[hi]
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if ts[mid] < t {
			lo = mid
		} else {
			hi = mid
		}
	}
	if ts[hi] == ts[lo] {
		return vs[hi]
	}
	return vs[lo] + (vs[hi]-vs[lo])*(t-ts[lo])/(ts[hi]-ts[lo])
}

// MustRun is RunText for a test: it stops the test when gospice fails.
func MustRun(t testing.TB, deck, kind string) *Table {
	t.Helper()
	tab, err := RunText(deck, kind)
	if err != nil {
		t.Fatalf("gospice: %v", err)
	}
	return tab
}

// MustNgspice is NgspiceText for a test, with relative includes resolved from the test's
// folder: it skips the test when ngspice is not installed and stops it when ngspice fails.
func MustNgspice(t testing.TB, deck, kind string, vectors []string) *Table {
	t.Helper()
	if !Available() {
		t.Skip("ngspice not installed")
	}
	tab, err := NgspiceText(deck, ".", kind, vectors)
	if err != nil {
		t.Fatalf("ngspice: %v", err)
	}
	return tab
}
