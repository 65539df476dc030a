package parser

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gospice/gospice/parser/expr"
)

// elaborate parses src (with a title line added) into a Deck and elaborates it with v.
func elaborate(t *testing.T, src string, v Variant) (*Circuit, error) {
	t.Helper()
	d, err := ParseDeck(context.Background(), "t.cir", []byte("title\n"+src))
	if err != nil {
		t.Fatal(err)
	}
	return d.Elaborate(context.Background(), v)
}

// TestDeckLikeParse checks that ParseDeck and Elaborate with the zero Variant make what
// Parse makes, errors included, and that a circuit's Deck elaborates it again.
func TestDeckLikeParse(t *testing.T) {
	for _, src := range fuzzSeeds {
		c, err := parseWith("f.cir", []byte(src), fuzzRead)
		d, err2 := parseDeck(context.Background(), "f.cir", []byte(src), fuzzRead)
		if err2 != nil {
			t.Fatal(err2)
		}
		c2, err2 := d.Elaborate(context.Background(), Variant{})
		c3, err3 := c.Deck.Elaborate(context.Background(), Variant{})
		if fmt.Sprint(err) != fmt.Sprint(err2) || fmt.Sprint(err) != fmt.Sprint(err3) {
			t.Errorf("%q: errors\n%v\n%v\n%v", src, err, err2, err3)
		}
		for _, x := range []*Circuit{c, c2, c3} {
			x.Deck = nil
		}
		if !reflect.DeepEqual(c, c2) || !reflect.DeepEqual(c, c3) {
			t.Errorf("%q: circuits differ", src)
		}
	}
}

// TestOverrides checks Variant.Params.
func TestOverrides(t *testing.T) {
	tests := []struct {
		src    string
		params map[string]float64
		want   string // values(c)
	}{
		{".param a=1 b={a*2}\nR1 x 0 {b}", map[string]float64{"a": 5}, "r1=10"},
		{".param a=1 b={a*2}\nR1 x 0 {b}", map[string]float64{"A": 5, "b": 7}, "r1=7"},
		// The override replaces the expression wholly: its errors are not met.
		{".param a={1/0}\nR1 x 0 {a}", map[string]float64{"a": 3}, "r1=3"},
		{".param a={nothere}\nR1 x 0 {a}", map[string]float64{"a": 3}, "r1=3"},
		// A name the netlist does not define is defined.
		{"R1 x 0 {z+1}", map[string]float64{"z": 3}, "r1=4"},
		// .if conditions see the overrides.
		{".param sel=0\n.if (sel == 1)\nR1 x 0 1\n.else\nR1 x 0 2\n.endif", map[string]float64{"sel": 1}, "r1=1"},
		// A subcircuit's parameter of the same name hides the top level's.
		{".param a=1\n.subckt s n params: a=2\nR1 n 0 {a}\n.ends\nX1 x s\nR2 x 0 {a}", map[string]float64{"a": 5}, "x1.r1=2 r2=5"},
		{".param a=1\n.subckt s n\nR1 n 0 {a}\n.ends\nX1 x s", map[string]float64{"a": 5}, "x1.r1=5"},
		// A random parameter overridden is not drawn.
		{".param a=agauss(1,1,1)\nR1 x 0 {a}", map[string]float64{"a": 4}, "r1=4"},
	}
	for _, tc := range tests {
		c, err := elaborate(t, tc.src, Variant{Params: tc.params})
		if err != nil {
			t.Errorf("%q %v: %v", tc.src, tc.params, err)
			continue
		}
		if got := values(c); got != tc.want {
			t.Errorf("%q %v: got %q, want %q", tc.src, tc.params, got, tc.want)
		}
		for name, v := range tc.params {
			if c.Params[strings.ToLower(name)] != v || c.Variant.Params[strings.ToLower(name)] != v {
				t.Errorf("%q: Params %v, Variant %v", tc.src, c.Params, c.Variant.Params)
			}
		}
	}
	c, _ := elaborate(t, ".param a=agauss(1,1,1)\nR1 x 0 {a}", Variant{Params: map[string]float64{"a": 4}})
	if c.Random || c.Variant.Run != 1 {
		t.Errorf("Random %v, Variant %+v", c.Random, c.Variant)
	}
}

func TestVariantErrors(t *testing.T) {
	for _, tc := range []struct {
		v    Variant
		want string
	}{
		{Variant{Params: map[string]float64{"1x": 1}}, `parameter override "1x": not a parameter name`},
		{Variant{Params: map[string]float64{"Time": 1}}, `parameter override "Time": time is a simulation variable`},
		{Variant{Params: map[string]float64{"a": math.NaN()}}, `parameter override a=NaN: not a finite number`},
		{Variant{Params: map[string]float64{"a": math.Inf(1)}}, `parameter override a=+Inf: not a finite number`},
		{Variant{Run: -1}, "run -1: runs count from 1"},
	} {
		c, err := elaborate(t, "R1 a 0 1", tc.v)
		if c != nil || err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v %v, want %q", tc.v, c, err, tc.want)
		}
	}
}

// TestDeckErrors checks that the errors found reading the files are the Deck's, and
// every elaboration's.
func TestDeckErrors(t *testing.T) {
	d, err := ParseDeck(context.Background(), "t.cir", []byte("t\nR1 a b {\n.include nothere.cir\nR2 a b 1\nR2 a b 2"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"t.cir:2:8: unterminated expression: missing '}'", `t.cir:3:10: cannot read "nothere.cir": no such file`}
	var got []string
	for _, e := range d.Errors() {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deck errors: %q", got)
	}
	for range 2 {
		_, err := d.Elaborate(context.Background(), Variant{})
		want := append(want[:1:1], want[1], `t.cir:5:1: duplicate element name "r2" (first defined at t.cir:4)`)
		if err == nil || err.Error() != strings.Join(want, "\n") {
			t.Errorf("elaboration errors:\n%v", err)
		}
	}
	if d.Name() != "t.cir" {
		t.Errorf("name %q", d.Name())
	}
}

func TestParseDeckFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.cir")
	if err := os.WriteFile(filepath.Join(dir, "inc.lib"), []byte(".param r=2k\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("t\n.include inc.lib\nR1 a 0 {r}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := ParseDeckFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Elaborate(context.Background(), Variant{Params: map[string]float64{"r": 3}})
	if err != nil || values(c) != "r1=3" {
		t.Errorf("%v %s", err, values(c))
	}
	if _, err := ParseDeckFile(context.Background(), filepath.Join(dir, "none.cir")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestCancel checks that a cancelled context stops the reading and the elaboration.
func TestCancel(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if d, err := ParseDeck(done, "t.cir", []byte("t\nR1 a 0 1")); d != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("ParseDeck: %v %v", d, err)
	}
	d, err := ParseDeck(context.Background(), "t.cir", []byte("t\nR1 a 0 1"))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := d.Elaborate(done, Variant{}); c != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Elaborate: %v %v", c, err)
	}

	// A large netlist stops soon after the cancellation, well before it is read.
	var b strings.Builder
	b.WriteString("big\n.param rv=1k\n")
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "r%d n%d n%d {rv*%d} m=2\n", i, i, i+1, i%100+1)
	}
	src := []byte(b.String())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(5 * time.Millisecond); cancel() }()
	start := time.Now()
	if _, err := ParseDeck(ctx, "big.cir", src); !errors.Is(err, context.Canceled) {
		t.Errorf("large ParseDeck: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("large ParseDeck stopped after %v", elapsed)
	}
}

// TestCancelElaboration stops the elaboration of a large Deck.
func TestCancelElaboration(t *testing.T) {
	var b strings.Builder
	b.WriteString("big\n.subckt s a b\nR1 a m 1k\nR2 m b 1k\nC1 m 0 1p\n.ends\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "x%d n%d n%d s\n", i, i, i+1)
	}
	d, err := ParseDeck(context.Background(), "big.cir", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(2 * time.Millisecond); cancel() }()
	if c, err := d.Elaborate(ctx, Variant{}); c != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Elaborate: %v", err)
	}
}

// render describes a circuit for comparisons: its element and model values, parameters,
// steps, and whether it drew random values.
func render(c *Circuit) string {
	var s []string
	s = append(s, values(c))
	var models []string
	for name, m := range c.Models {
		for _, p := range m.Params {
			models = append(models, name+"."+p.Name+"="+formatFloat(p.Value))
		}
	}
	sort.Strings(models)
	s = append(s, strings.Join(models, " "))
	var params []string
	for name, v := range c.Params {
		params = append(params, name+"="+formatFloat(v))
	}
	sort.Strings(params)
	s = append(s, strings.Join(params, " "))
	for _, st := range c.Steps {
		s = append(s, fmt.Sprint(st.Kind, st.Name, st.Values))
	}
	for _, e := range c.Elements {
		if e.Expr() != nil {
			s = append(s, e.Name+": "+expr.String(e.Expr()))
		}
	}
	s = append(s, fmt.Sprint(c.Random))
	return strings.Join(s, "\n")
}

// TestConcurrentElaborate elaborates one Deck from several goroutines with different
// variants: each circuit must be what a sequential elaboration makes (run with -race to
// check that the Deck is not changed).
func TestConcurrentElaborate(t *testing.T) {
	src := `concurrent
.param rv=1k g=agauss(1,0.1,1) n=3
.func half(x) {x/2}
.subckt cell a b params: w=1 dev=aunif(0,0.1)
.param k={w*2}
R1 a m {half(rv)*k*(1+dev)}
C1 m b {1p*agauss(1,0.05,1)}
B1 m 0 i=v(a,b)*{gauss(1m,0.1,1)}
.model dm d is={1e-14*unif(1,0.2)}
D1 m 0 dm
.ends
X1 in out cell
X2 out 0 cell w={n}
X3 in 0 cell w={g}
V1 in 0 dc {rv/1k} ac {limit(1,0.5)}
.if (n > 2)
R9 out 0 {rv*g}
.else
R9 out 0 1
.endif
.step param rv 1k 3k 1k
.step param n list 1 3
.ic v(out)={aunif(0,1)}
`
	d, err := ParseDeck(context.Background(), "c.cir", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var variants []Variant
	for i := range 24 {
		v := Variant{Run: i%4 + 1}
		if i%3 == 1 {
			v.Params = map[string]float64{"rv": float64(1000 * (i + 1)), "n": float64(i % 5)}
		}
		if i%5 == 2 {
			v.Seed, v.HasSeed = uint64(i), true
		}
		variants = append(variants, v)
	}
	want := make([]string, len(variants))
	for i, v := range variants {
		c, err := d.Elaborate(context.Background(), v)
		if err != nil {
			t.Fatalf("%+v: %v", v, err)
		}
		want[i] = render(c)
	}
	if want[0] == want[1] || want[0] == want[4] {
		t.Fatalf("variants elaborate alike")
	}
	var wg sync.WaitGroup
	got := make([][]string, 6)
	for g := range got {
		got[g] = make([]string, len(variants))
		wg.Go(func() {
			for k := range variants {
				i := (k + g*5) % len(variants) // each goroutine in another order
				c, err := d.Elaborate(context.Background(), variants[i])
				if err != nil {
					got[g][i] = err.Error()
					continue
				}
				got[g][i] = render(c)
			}
		})
	}
	wg.Wait()
	for g := range got {
		for i := range variants {
			if got[g][i] != want[i] {
				t.Errorf("goroutine %d, variant %+v:\n got %s\nwant %s", g, variants[i], got[g][i], want[i])
			}
		}
	}
}

// BenchmarkElaborate elaborates the netlist of BenchmarkParse, read once.
func BenchmarkElaborate(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("bench\n.param rv=1k\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&sb, "r%d n%d n%d {rv*%d} m=2\n", i, i, i+1, i%100+1)
		fmt.Fprintf(&sb, "c%d n%d 0 1p\n", i, i+1)
	}
	sb.WriteString("v1 n0 0 pulse(0 1 1n 1n 1n 5n 10n)\n.tran 1n 100n\n.end\n")
	d, err := ParseDeck(context.Background(), "bench.cir", []byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := d.Elaborate(context.Background(), Variant{Params: map[string]float64{"rv": float64(i)}}); err != nil {
			b.Fatal(err)
		}
	}
}
