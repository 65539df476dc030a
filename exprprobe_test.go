package gospice

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"
)

// TestExprOutput: an {expression} column is the expression of the other columns at each
// point, the same in runs of one Simulation at once (go test -race), and an error in .ac.
func TestExprOutput(t *testing.T) {
	sim, err := Parse("e.cir", `expression output
.param k=3
v1 a 0 sin(0 1 1k)
r1 a b 1k
c1 b 0 1u
.print tran v(a) v(b) i(v1) {k*v(a,b)*i(v1)} {v(b)/(v(a)-v(a))}
.tran 10u 2m
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs, err := sim.Results(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			col := func(n string) []float64 { v, _ := rs[0].Vector(n); return v }
			a, b, i, got := col("v(a)"), col("v(b)"), col("i(v1)"), col("{k*v(a,b)*i(v1)}")
			for k := range got {
				if want := 3 * (a[k] - b[k]) * i[k]; got[k] != want {
					t.Errorf("point %d: %g, want %g", k, got[k], want)
					return
				}
			}
			// A division as a B source's: 1e-20 gmin added to the divisor's magnitude.
			for k, v := range col("{v(b)/(v(a)-v(a))}") {
				if want := b[k] / 1e-32; math.Abs(v-want) > 1e-12*math.Abs(want) {
					t.Errorf("point %d: v(b)/0 = %g, want %g", k, v, want)
					return
				}
			}
		}()
	}
	wg.Wait()

	_, err = Parse("e.cir", "ac\nv1 a 0 ac 1\nr1 a 0 1k\n.print ac {v(a)*2}\n.ac dec 1 1 10\n.end\n")
	if err == nil || !strings.Contains(err.Error(), "e.cir:4:11: cannot output {v(a)*2} in .ac") {
		t.Errorf("got %v, want that an expression cannot be output in .ac", err)
	}
}
