package parser

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"
)

// lazyLib is an included file with subcircuits whose bodies are left for later, and
// some read with the file (a nested .subckt, an .include, a .control block around).
const lazyLib = `* a library
.subckt used a b
+ k=2
* a comment before the body
.param r = {k*1k}
R1 a b {r}
.model dm d is=1f
D1 a b dm
.ends used
.subckt unused a b
R1 a b {undefined_parameter}
R2 a b 1k 'unclosed
.ends
.subckt broken a b
R1 a b {1k +
+ nope}
.ends
.subckt outer a b
.subckt inner c d
R1 c d 3k
.ends
X1 a b inner
.ends
.subckt withinc a b
.include part.spice
.ends
.lib sec
.subckt insec a b
R1 a b 5k
.ends
.endl
.control
.subckt notone a b
.endc
`

func TestLazyBodies(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"lib.spice":  lazyLib,
		"part.spice": "R1 a b 4k\n",
		"ok.cir":     "t\n.include lib.spice\n.lib lib.spice sec\nX1 1 0 used\nX2 2 0 used k=3\nX3 3 0 outer\nX4 4 0 withinc\nX5 5 0 insec\nV1 1 0 1\n",
		"bad.cir":    "t\n.include lib.spice\nX1 1 0 broken\nV1 1 0 1\n",
	})
	c, errs := errorStrings(t, dir, "ok.cir")
	if errs != nil {
		t.Fatalf("ok.cir: %q", errs)
	}
	values := map[string]float64{}
	var names []string
	for _, el := range c.Elements {
		values[el.Name] = el.Value
		names = append(names, el.Name)
	}
	sort.Strings(names)
	want := []string{"v1", "x1.d1", "x1.r1", "x2.d1", "x2.r1", "x3.x1.r1", "x4.r1", "x5.r1"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("elements %v, want %v", names, want)
	}
	for name, v := range map[string]float64{"x1.r1": 2000, "x2.r1": 3000, "x3.x1.r1": 3000, "x4.r1": 4000, "x5.r1": 5000} {
		if values[name] != v {
			t.Errorf("%s = %g, want %g", name, values[name], v)
		}
	}
	if c.Models["x1.dm"] == nil || c.Models["x2.dm"] == nil {
		t.Errorf("models %v: want x1.dm and x2.dm", c.Models)
	}
	// An error in a body is found, at its place, when the body is used: here in the
	// second line of an expression that continues on a + line.
	_, errs = errorStrings(t, dir, "bad.cir")
	wantErrs := []string{`lib.spice:16:3: unknown parameter "nope" (in instance x1)`}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("bad.cir: got %q\nwant %q", errs, wantErrs)
	}
}

// TestLazyBodiesConcurrent elaborates one Deck from several goroutines (go test -race
// checks that the bodies are scanned once, safely).
func TestLazyBodiesConcurrent(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"lib.spice":  lazyLib,
		"part.spice": "R1 a b 4k\n",
		"ok.cir":     "t\n.include lib.spice\nX1 1 0 used\nX2 2 0 used k=3\nV1 1 0 1\n",
	})
	d, err := ParseDeckFile(context.Background(), filepath.Join(dir, "ok.cir"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	counts := make([]int, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := d.Elaborate(context.Background(), Variant{})
			errs[i] = err
			if c != nil {
				counts[i] = len(c.Elements)
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil || counts[i] != 5 {
			t.Errorf("elaboration %d: %d elements, %v", i, counts[i], err)
		}
	}
}

// TestFindBodies checks which bodies are left for later.
func TestFindBodies(t *testing.T) {
	var got []int
	for _, b := range findBodies("lib.spice", []byte(lazyLib)) {
		got = append(got, b.line)
	}
	// used (line 5), unused (11), broken (15), insec (29); not outer (nested), withinc
	// (.include), nor notone (in .control).
	want := []int{5, 11, 15, 29}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bodies at lines %v, want %v", got, want)
	}
}
