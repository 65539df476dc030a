package gospice

import (
	"context"
	"fmt"
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

// TestExprOutputPartitioned: an expression of one block's vectors is that block's output
// in a partitioned transient (each row the expression of the row's other columns); one
// that reads two blocks runs the transient as one system, and says so.
func TestExprOutputPartitioned(t *testing.T) {
	var logs []string
	logf := func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
	sim, err := Parse("n.cir", neurons(2, "5m", ".save v(g1) i(y1) {v(g1)*i(y1)+0.5}", ".options partition=1"))
	if err != nil {
		t.Fatal(err)
	}
	var tb table
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], &tb, logf); err != nil {
		t.Fatal(err)
	}
	if len(logs) != 0 {
		t.Errorf("log %q: want the transient partitioned", logs)
	}
	g, i, e := tb.col("v(g1)"), tb.col("i(y1)"), tb.col("{v(g1)*i(y1)+0.5}")
	if len(e) < 100 {
		t.Fatalf("%d rows", len(e))
	}
	worst := 0.0
	for k := range e {
		worst = math.Max(worst, math.Abs(e[k]-(g[k]*i[k]+0.5)))
	}
	// Only block 1 has outputs, so the rows are its own points: the same arithmetic.
	t.Logf("%d rows: the expression within %.3g of v(g1) i(y1) + 0.5 of the row", len(e), worst)
	if worst > 1e-15 { // measured 0
		t.Errorf("the expression %.3g from v(g1) i(y1) + 0.5 of its row", worst)
	}

	logs = nil
	sim, err = Parse("n.cir", neurons(2, "5m", ".save {v(g0)-v(g1)}", ".options partition=1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], &tb, logf); err != nil {
		t.Fatal(err)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "{v(g0)-v(g1)} reads more than one block") {
		t.Errorf("log %q; want that the expression reads more than one block", logs)
	}
}
