package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWriteMultidimAgainstNgspice: write of a plot with a multi-dimensional vector is
// laid out as ngspice 39's ASCII raw file: a Dimensions line (the vector's, 2,2,2),
// dims= on every vector whose own dimensions are not those (a vector as long as the
// plot too), and each point's values after a space and its index, then an empty line.
// Lines are compared as text, but for the numbers (gospice writes 17 digits, ngspice
// 16), the date, the name's case (V(1)) and the padding of the count.
func TestWriteMultidimAgainstNgspice(t *testing.T) {
	if !ngspiceInstalled() {
		t.Skip("ngspice is not installed (apt-get install ngspice): skipping the cross-check")
	}
	const netlist = `multidim write
v1 1 0 1
r1 1 0 1k
.control
op
compose a values 1 2 3 4 5 6 7 8
reshape a [2][2][2]
compose b values 1 2 3 4 5 6 7 8
set filetype=ascii
write md.raw a b
.endc
.end
`
	ng, ours := t.TempDir(), t.TempDir()
	writeNetlist(t, ng, "md.cir", netlist)
	writeNetlist(t, ours, "md.cir", netlist)
	ngspiceIn(t, ng, "-b", "md.cir") // exits with 1: no .print lines
	if r := runCLI(t, context.Background(), ours, "run", "-q", "md.cir"); r.code != 0 {
		t.Fatalf("gospice: exit %d: %s", r.code, r.stderr)
	}
	read := func(dir string) []string {
		b, err := os.ReadFile(filepath.Join(dir, "md.raw"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(string(b), "\n")
	}
	want, got := read(ng), read(ours)
	if len(got) != len(want) {
		t.Fatalf("%d lines, ngspice %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	if !strings.Contains(strings.Join(got, "\n"), "\nDimensions: 2,2,2\n") {
		t.Errorf("no Dimensions line:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		w, g := want[i], got[i]
		if strings.HasPrefix(w, "Date:") || sameNumberLine(w, g) {
			continue
		}
		if strings.ToLower(strings.TrimRight(w, " ")) != strings.ToLower(strings.TrimRight(g, " ")) {
			t.Errorf("line %d: %q, ngspice %q", i+1, g, w)
		}
	}
}

// sameNumberLine reports whether two lines of values are the same text around equal
// numbers: " 0\t1.0e+00" and " 0\t1.00e+00".
func sameNumberLine(a, b string) bool {
	ka, va, oka := strings.Cut(a, "\t")
	kb, vb, okb := strings.Cut(b, "\t")
	if !oka || !okb || ka != kb {
		return false
	}
	x, err1 := strconv.ParseFloat(va, 64)
	y, err2 := strconv.ParseFloat(vb, 64)
	return err1 == nil && err2 == nil && x == y
}
