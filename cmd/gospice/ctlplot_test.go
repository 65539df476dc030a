package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pictureBench draws with plot, hardcopy and gnuplot in a .control block.
const pictureBench = `pictures
v1 in 0 dc 0 sin(0 1 1k)
r1 in out 1k
c1 out 0 1u
.control
tran 50u 2m
plot v(in) v(out) title 'rc filter'
hardcopy hc.svg v(out)
hardcopy hc.ps v(in) v(out)
hardcopy hcopy v(in)
gnuplot gp v(in) v(out)
dc v1 0 1 0.25
plot v(out) v(in) vs v(in) xlimit 0 2
plot nosuchvector
.endc
.end
`

// paletteStroke matches the stroke of a line drawn in one of the palette's colours.
var paletteStroke = regexp.MustCompile(`stroke:#(1F77B4|D62728|2CA02C|FF7F0E|9467BD|8C564B|E377C2|17BECF)`)

// svgCurves parses an SVG picture and returns the number of curves it draws (the
// palette's colours it uses) and its texts.
func svgCurves(t *testing.T, path string) (int, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	colours := map[string]bool{}
	var texts []string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s does not parse as XML: %v", path, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "text"
			for _, a := range el.Attr {
				if a.Name.Local == "style" {
					if m := paletteStroke.FindStringSubmatch(a.Value); m != nil {
						colours[m[1]] = true
					}
				}
			}
		case xml.CharData:
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return len(colours), texts
}

// TestControlPictures runs plot, hardcopy and gnuplot through gospice run: the pictures
// parse and draw a curve per vector, and gnuplot's data file holds the vectors' values
// (those of the CSV file of the same plot).
func TestControlPictures(t *testing.T) {
	dir := t.TempDir()
	cir := writeNetlist(t, dir, "pic.cir", pictureBench)
	r := runCLI(t, context.Background(), dir, "run", cir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// A plot gospice cannot draw is a note (ngspice -b draws nothing): the exit code is 0.
	for _, note := range []string{"plot drew pic.plot1.svg", "plot drew pic.plot2.svg", "wrote SVG to hcopy.svg",
		"plot drew nothing: no such vector nosuchvector"} {
		if !strings.Contains(r.stderr, note) {
			t.Errorf("standard error does not say %q:\n%s", note, r.stderr)
		}
	}
	for _, c := range []struct {
		file   string
		curves int
		text   string
	}{{"pic.plot1.svg", 2, "rc filter"}, {"pic.plot2.svg", 2, "v(in)"}, {"hc.svg", 1, "pictures"}, {"hcopy.svg", 1, "s"}, {"gp.svg", 2, "v(out)"}} {
		n, texts := svgCurves(t, filepath.Join(dir, c.file))
		if n != c.curves {
			t.Errorf("%s draws %d curves, want %d", c.file, n, c.curves)
		}
		if !strings.Contains(strings.Join(texts, "|"), c.text) {
			t.Errorf("%s has no text %q: %q", c.file, c.text, texts)
		}
	}
	// hardcopy hc.ps: encapsulated PostScript, which is PostScript as ngspice writes there.
	ps, err := os.ReadFile(filepath.Join(dir, "hc.ps"))
	if err != nil || !strings.HasPrefix(string(ps), "%!PS-Adobe") {
		t.Errorf("hc.ps is not PostScript (%v): %.40q", err, ps)
	}
	// gnuplot's data file: the time and v(in), the time and v(out) on each row, as the
	// transient's CSV file has them.
	csv := readCSVColumns(t, filepath.Join(dir, "pic.tran.csv"))
	rows := readDataRows(t, filepath.Join(dir, "gp.data"))
	if len(rows) != len(csv["time"]) {
		t.Fatalf("gp.data has %d rows, the transient %d points", len(rows), len(csv["time"]))
	}
	worst := 0.0
	for i, row := range rows {
		want := []float64{csv["time"][i], csv["in"][i], csv["time"][i], csv["out"][i]}
		for k := range want {
			// %e keeps 7 significant digits: it rounds by at most half a unit of the
			// last, 5e-7 of the value (the bound, not a tolerance).
			d := math.Abs(row[k] - want[k])
			if d > 5e-7*math.Abs(want[k])+1e-300 {
				t.Fatalf("gp.data row %d column %d: %g, the vector has %g", i+1, k+1, row[k], want[k])
			}
			if want[k] != 0 {
				worst = max(worst, d/math.Abs(want[k]))
			}
		}
	}
	t.Logf("gp.data: %d rows agree with the vectors, largest relative difference %.2g", len(rows), worst)
	plt, err := os.ReadFile(filepath.Join(dir, "gp.plt"))
	if err != nil || !strings.Contains(string(plt), "plot 'gp.data' using 1:2 with lines lw 1 title \"v(in)\",\\\n'gp.data' using 3:4") {
		t.Errorf("gp.plt (%v):\n%s", err, plt)
	}
}

// readCSVColumns reads a CSV file of gospice's into columns by header name.
func readCSVColumns(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	rows := readLines(t, path)
	names := strings.Split(rows[0], ",")
	cols := map[string][]float64{}
	for _, row := range rows[1:] {
		for k, f := range strings.Split(row, ",") {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			cols[names[k]] = append(cols[names[k]], x)
		}
	}
	return cols
}

// readDataRows reads a gnuplot data file's rows of numbers, empty lines left out.
func readDataRows(t *testing.T, path string) [][]float64 {
	t.Helper()
	var rows [][]float64
	for _, l := range readLines(t, path) {
		var row []float64
		for _, f := range strings.Fields(l) {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			row = append(row, x)
		}
		if row != nil {
			rows = append(rows, row)
		}
	}
	return rows
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	return lines
}

// TestTurns: a scale is split where it turns back, so a nested sweep draws a line per
// outer value and a falling sweep (dc 5 0 -1, a vs vector) one line, not a point each.
func TestTurns(t *testing.T) {
	cases := []struct {
		x    []float64
		want [][2]int
	}{
		{[]float64{0, 1, 2, 0, 1, 2}, [][2]int{{0, 3}, {3, 6}}},
		{[]float64{5, 4, 3, 2}, [][2]int{{0, 4}}},
		{[]float64{0, 1, 1, 2, 1, 0}, [][2]int{{0, 4}, {4, 6}}},
		{[]float64{3}, [][2]int{{0, 1}}},
	}
	for _, c := range cases {
		if got := turns(c.x); !slices.Equal(got, c.want) {
			t.Errorf("turns(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}
