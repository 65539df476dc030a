package netlists

import (
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// TestPWLRepeatAgainstNgspice runs pwl_repeat.cir (r= and td=) in both simulators.
//
// The sources' voltages, gospice's interpolated at ngspice's points, agree to rounding
// (1e-15 measured). ngspice 39 sets breakpoints at the points of a PWL's first pass only,
// and not delayed by td=, so it steps over the corners of the repetitions and of a delayed
// waveform, where gospice lands; the filtered v(f) then differs: at the netlist's .tran
// 10u 8m, ngspice's v(f) is 1.4e-4 of its swing from a converged run (tmax 5 ns, reltol
// 1e-7) and gospice's 3.1e-5. With tmax 0.1 us in both, the two agree within 2.3e-8.
func TestPWLRepeatAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check")
	}
	src, err := os.ReadFile("pwl_repeat.cir")
	if err != nil {
		t.Fatal(err)
	}
	sources := []string{"v(1)", "v(2)", "v(3)", "v(4)"}
	for _, c := range []struct {
		tran    string
		vectors []string
		tol     float64
		atRef   bool // compare at ngspice's points only
	}{
		{".tran 10u 8m", sources, 1e-14, true},
		{".tran 10u 8m 0 0.1u", []string{"v(f)"}, 2e-7, false},
	} {
		text := strings.Replace(string(src), ".tran 10u 8m", c.tran, 1)
		want, err := crosscheck.NgspiceText(text, ".", "tran", c.vectors)
		if err != nil {
			t.Fatal(err)
		}
		got, err := crosscheck.RunText(text, "tran")
		if err != nil {
			t.Fatal(err)
		}
		compare := crosscheck.Compare
		if c.atRef {
			compare = crosscheck.CompareAtReference
		}
		ms, err := compare(want, got, c.vectors, 1e-12)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if !(m.Relative() <= c.tol) {
				t.Errorf("%s: %v (tolerance %.3g of the swing)", c.tran, m, c.tol)
			} else {
				t.Logf("%s: %v", c.tran, m)
			}
		}
	}
}

// TestPWLFileMatchesInlinePoints runs pwl_file.cir, whose spike train comes from a data
// file, and the same netlist with the file's points written on the line (ngspice has no
// PWL file=, so this is the reference): every vector must be the same to the bit. So must
// it be with r= and td=.
func TestPWLFileMatchesInlinePoints(t *testing.T) {
	src, err := os.ReadFile("pwl_file.cir")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("pwl_file.txt")
	if err != nil {
		t.Fatal(err)
	}
	var points []string // as written
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
			points = append(points, strings.Fields(strings.ReplaceAll(line, ",", " "))...)
		}
	}
	fileForm := regexp.MustCompile(`PWL file=pwl_file\.txt`)
	for _, options := range []string{"", " r=0 td=1.5m", " r=10.543m"} {
		fromFile := fileForm.ReplaceAllString(string(src), "PWL file=pwl_file.txt"+options)
		inline := fileForm.ReplaceAllString(string(src), "PWL("+strings.Join(points, " ")+")"+options)
		a, err := crosscheck.RunText(fromFile, "tran")
		if err != nil {
			t.Fatal(err)
		}
		b, err := crosscheck.RunText(inline, "tran")
		if err != nil {
			t.Fatal(err)
		}
		if a.Len() < 100 || a.Len() != b.Len() || strings.Join(a.Names, ",") != strings.Join(b.Names, ",") {
			t.Fatalf("%q: %d points of %v from the file, %d of %v inline", options, a.Len(), a.Names, b.Len(), b.Names)
		}
		for k, name := range a.Names {
			for i := range a.Cols[k] {
				if math.Float64bits(a.Cols[k][i]) != math.Float64bits(b.Cols[k][i]) {
					t.Fatalf("%q: %s at row %d: %v from the file, %v inline", options, name, i, a.Cols[k][i], b.Cols[k][i])
				}
			}
		}
		t.Logf("%q: %d points, the same to the bit", options, a.Len())
	}
}
