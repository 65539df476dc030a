package parser

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPWLOptions: r= and td= inside the parentheses, after them, or after points written
// without them, in any case, on V and I sources.
func TestPWLOptions(t *testing.T) {
	points := []float64{0, 0, 1e-3, 1, 2e-3, 0}
	tests := []struct {
		line string
		want Waveform
	}{
		{"V1 a 0 PWL(0 0 1m 1 2m 0) r=0 td=15n", Waveform{Repeat: 0, HasRepeat: true, Delay: 15e-9}},
		{"V1 a 0 PWL(0 0 1m 1 2m 0 r=1m)", Waveform{Repeat: 1e-3, HasRepeat: true}},
		{"V1 a 0 pwl 0 0 1m 1 2m 0 TD=-1m R=0", Waveform{HasRepeat: true, Delay: -1e-3}},
		{"I1 a 0 PWL(0 0 1m 1 2m 0) td=2m", Waveform{Delay: 2e-3}},
		{"V1 a 0 DC 1 PWL(0 0 1m 1 2m 0) r=0 AC 1", Waveform{HasRepeat: true}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.line)
		w := c.Elements[0].Source().Wave
		tc.want.Kind, tc.want.Args, tc.want.Pos = "pwl", points, w.Pos
		if !reflect.DeepEqual(*w, tc.want) {
			t.Errorf("%q: %+v, want %+v", tc.line, *w, tc.want)
		}
	}
}

// TestPWLFile reads PWL points from files: LTspice's format, with comments, blank lines,
// CRLF line ends, a byte order mark, and spaces, tabs or commas between time and value;
// a relative name is relative to the folder of the file that names it.
func TestPWLFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("data/spikes.txt", "\ufeff* time value\r\n# generated\r\n\r\n0 0\r\n  1m,\t1\r\n; a comment\r\n2m\t0.5\r\n3e-3 , -1.5e-3\r\n")
	write("data/my data.txt", "0 1\n10u 2\n")
	write("lib/stim.inc", ".subckt stim out\nV1 out 0 PWL file=../data/spikes.txt r=1m td=1u\n.ends\n")
	top := write("top.cir", "t\n.include lib/stim.inc\nX1 a stim\nR1 a 0 1k\nI2 0 b PWL(file=\"data/my data.txt\")\nR2 b 0 1k\n.tran 1u 1m\n.end\n")
	c, err := ParseFile(top)
	if err != nil {
		t.Fatal(err)
	}
	w := c.Elements[0].Source().Wave
	want := Waveform{Kind: "pwl", Args: []float64{0, 0, 1e-3, 1, 2e-3, 0.5, 3e-3, -1.5e-3}, Pos: w.Pos,
		Repeat: 1e-3, HasRepeat: true, Delay: 1e-6, File: "../data/spikes.txt"}
	if !reflect.DeepEqual(*w, want) {
		t.Errorf("x1.v1: %+v\nwant %+v", *w, want)
	}
	w = c.Elements[2].Source().Wave
	if !reflect.DeepEqual(w.Args, []float64{0, 1, 10e-6, 2}) || w.File != "data/my data.txt" {
		t.Errorf("i2: %+v", *w)
	}
}

// TestPWLFileErrors: the errors in a PWL file name the file, the line and the column.
func TestPWLFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ data, want string }{
		{"0 0\n1m 1 2\n", "d.txt:2:6: expected a time and a value, found 3 fields"},
		{"0 0\n\n1m\n", "d.txt:3:1: expected a time and a value, found 1 field"},
		{"0 0\n,,\n", "d.txt:2:1: expected a time and a value, found 0 fields"},
		{"0 0\n1m one\n", `d.txt:2:4: expected a number (the value), found "one"`},
		{"x 0\n", `d.txt:1:1: expected a number (the time), found "x"`},
		{"0 0\n2m 1\n1m 0\n", "d.txt:3:1: times must not decrease: 0.001 after 0.002"},
		{"0 1e999\n", `d.txt:1:3: number out of range: "1e999"`},
		{"* nothing\n\n", "d.txt:2: no points: a PWL file holds a time and a value per line"},
		{"", "d.txt:1: no points: a PWL file holds a time and a value per line"},
	}
	for _, tc := range tests {
		if err := os.WriteFile(filepath.Join(dir, "d.txt"), []byte(tc.data), 0o644); err != nil {
			t.Fatal(err)
		}
		top := filepath.Join(dir, "t.cir")
		os.WriteFile(top, []byte("t\nV1 a 0 PWL file=d.txt\nR1 a 0 1k\n.end\n"), 0o644)
		_, err := ParseFile(top)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, tc.want)) {
			t.Errorf("%q: %v\nwant %s", tc.data, err, tc.want)
		}
	}
}

// TestPWLFileReadOncePerDeck: a netlist elaborated again (a .step run) does not read its
// PWL file again.
func TestPWLFileReadOncePerDeck(t *testing.T) {
	reads := 0
	read := func(name string) ([]byte, error) {
		reads++
		return []byte("0 0\n1m 1\n"), nil
	}
	d, err := parseDeck(t.Context(), "t.cir", []byte("t\nV1 a 0 PWL file=d.txt\nR1 a 0 {r}\n.param r=1k\n.end\n"), read)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []float64{1e3, 2e3, 3e3} {
		c, err := d.Elaborate(t.Context(), Variant{Params: map[string]float64{"r": r}})
		if err != nil || c.Elements[1].Value != r || len(c.Elements[0].Source().Wave.Args) != 4 {
			t.Fatalf("r=%g: %v", r, err)
		}
	}
	if reads != 1 {
		t.Errorf("the file was read %d times", reads)
	}
}
