package main

import (
	"context"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// saveCurrentsNetlist has a device of each family whose currents .options savecurrents
// saves, with an .ac and an .op.
const saveCurrentsNetlist = `savecurrents in .ac
.options savecurrents
v1 in 0 dc 1 ac 1
r1 in out 1k
c1 out 0 1u
l1 out 2 1m
r2 2 0 100
g1 out 0 in 0 0.2m
d1 out 0 dmod
.model dmod d is=1e-14
q1 3 out 0 qmod
.model qmod npn bf=100
r3 in 3 10k
m1 4 out 0 0 nmod w=1u l=1u
.model nmod nmos level=1 vto=0.5 kp=1e-4
r4 in 4 10k
b1 4 0 i=v(4)*1e-6
e1 5 0 out 0 2
r5 5 0 1k
.ac dec 1 100 10k
.op
.end
`

// TestSaveCurrentsInACAgainstNgspice: under .options savecurrents an .ac writes the
// device currents ngspice 39 writes in its raw file, with its values: 0 for the
// currents its devices do not report in an AC analysis (R, C, L, G, E, a BJT's ie and
// is, a MOSFET's is, ig, ib), the operating point's value for the others (a diode's id,
// a BJT's ic and ib, a MOSFET's id, a B source's i); the .op's are ngspice's too.
// ngspice writes those values as one number each in its complex plot, so that its
// binary file of it cannot be read back (every value after the first such is shifted):
// its ASCII file is read here, one value a line. Measured: within 1e-8 of ngspice's
// values (the diode's id at the operating point, Newton's tolerance).
func TestSaveCurrentsInACAgainstNgspice(t *testing.T) {
	if !ngspiceInstalled() {
		t.Skip("ngspice is not installed (apt-get install ngspice): skipping the cross-check")
	}
	dir := t.TempDir()
	writeNetlist(t, dir, "sc.cir", strings.Replace(saveCurrentsNetlist, "\n.ac dec", "\n.options filetype=ascii\n.ac dec", 1))
	if r := ngspiceIn(t, dir, "-b", "-r", "ng.raw", "sc.cir"); r.code != 0 {
		t.Fatalf("ngspice: exit %d: %s", r.code, r.stderr)
	}
	if r := dropIn(t, context.Background(), dir, "-b", "-r", "gs.raw", "sc.cir"); r.code != 0 {
		t.Fatalf("gospice ngspice: exit %d: %s", r.code, r.stderr)
	}
	ng := readASCIIValues(t, filepath.Join(dir, "ng.raw"))
	gs := readRawFile(t, filepath.Join(dir, "gs.raw"))
	for _, name := range []string{"AC Analysis", "Operating Point"} {
		want, got := ng[name], plotNamed(gs, name)
		if want == nil || got == nil {
			t.Fatalf("%s: ngspice's plot %v, gospice's %v", name, want != nil, got != nil)
		}
		compared, worst := 0, 0.0
		for v, ws := range want {
			j := varIndex(got, v)
			if j < 0 {
				t.Errorf("%s: gospice has no %s", name, v)
				continue
			}
			if len(ws) != got.Points() {
				t.Fatalf("%s: %s: %d points, ngspice %d", name, v, got.Points(), len(ws))
			}
			for p, w := range ws {
				g := rawValue(got, j, p)
				if v == "frequency" {
					w = complex(real(w), 0) // ngspice's imaginary part is whatever its memory held
				}
				d := cmplx.Abs(w - g)
				if d > 1e-7*cmplx.Abs(w)+1e-25 {
					t.Errorf("%s: %s at point %d: %v, ngspice %v", name, v, p, g, w)
				}
				if w != 0 {
					worst = math.Max(worst, d/cmplx.Abs(w))
				}
			}
			compared++
		}
		if compared < 25 {
			t.Errorf("%s: %d vectors compared", name, compared)
		}
		t.Logf("%s: %d vectors, worst relative difference %.3g", name, compared, worst)
	}
}

// readASCIIValues reads an ASCII raw file of ngspice's value by value, each a line of
// its own ("re,im" or "re"), into each plot's vectors by name.
func readASCIIValues(t *testing.T, path string) map[string]map[string][]complex128 {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	plots := map[string]map[string][]complex128{}
	lines := strings.Split(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		name, ok := strings.CutPrefix(lines[i], "Plotname: ")
		if !ok {
			continue
		}
		var vars []string
		points := 0
		for ; i < len(lines) && lines[i] != "Values:"; i++ {
			if n, ok := strings.CutPrefix(lines[i], "No. Points:"); ok {
				points, _ = strconv.Atoi(strings.TrimSpace(n))
			}
			if lines[i] == "Variables:" {
				for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
					i++
					vars = append(vars, strings.Split(lines[i], "\t")[2])
				}
			}
		}
		vecs := map[string][]complex128{}
		for p := 0; p < points; p++ {
			for _, v := range vars {
				i++
				f := strings.Split(lines[i], "\t")
				re, im, _ := strings.Cut(f[len(f)-1], ",")
				x, err1 := strconv.ParseFloat(re, 64)
				y := 0.0
				var err2 error
				if im != "" {
					y, err2 = strconv.ParseFloat(im, 64)
				}
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: line %d: %q", path, i+1, lines[i])
				}
				vecs[v] = append(vecs[v], complex(x, y))
			}
		}
		plots[name] = vecs
	}
	return plots
}

// plotNamed is the raw file's plot of that name, or nil.
func plotNamed(plots []*rawPlot, name string) *rawPlot {
	for _, p := range plots {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// rawValue is variable k's value at point p, complex or not.
func rawValue(p *rawPlot, k, point int) complex128 {
	if p.Complex {
		return p.Cplx[k][point]
	}
	return complex(p.Real[k][point], 0)
}
