package bench

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/gospice/gospice"
)

// mc1000 is the Monte Carlo netlist of the .step benchmarks: 1000 runs of a small transient.
const mc1000 = "mc1000.cir"

// runMonteCarlo runs the given runs of sim (nil: all) on workers goroutines and returns
// the number of runs and of points delivered, failing on any run that did not finish.
func runMonteCarlo(tb testing.TB, sim *gospice.Simulation, runs []int, workers int) (n, points int) {
	err := sim.RunSteps(context.Background(), runs, workers, func(r *gospice.StepRun) error {
		if r.Err != nil {
			return fmt.Errorf("run %d: %w", r.Run, r.Err)
		}
		n++
		for _, res := range r.Results {
			points += res.Len()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n, points
}

// BenchmarkMonteCarlo1000 runs the 1000 runs of mc1000.cir, parsed once, through
// RunSteps on one worker and on GOMAXPROCS workers. Compare the two runs/s figures of one
// invocation: they are measured side by side on the same machine.
func BenchmarkMonteCarlo1000(b *testing.B) {
	sim, err := gospice.ParseFile(mc1000)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		workers int
	}{{"cores=1", 1}, {"cores=all", runtime.GOMAXPROCS(0)}} {
		b.Run(c.name, func(b *testing.B) {
			var runs, points int
			for b.Loop() {
				runs, points = runMonteCarlo(b, sim, nil, c.workers)
			}
			b.ReportMetric(float64(runs)*float64(b.N)/b.Elapsed().Seconds(), "runs/s")
			b.ReportMetric(float64(points)/float64(runs), "points/run")
			b.ReportMetric(float64(c.workers), "workers")
		})
	}
}

// TestMonteCarloWorkersAgree checks that the runs of mc1000.cir give bit-identical
// vectors and measurements on one worker and on many: results must not depend on the
// number of cores. -short checks the first 100 runs.
func TestMonteCarloWorkersAgree(t *testing.T) {
	sim, err := gospice.ParseFile(mc1000)
	if err != nil {
		t.Fatal(err)
	}
	var runs []int // nil: all of them
	if testing.Short() {
		for k := 1; k <= min(100, sim.Runs()); k++ {
			runs = append(runs, k)
		}
	}
	collect := func(workers int) []*gospice.StepRun {
		var out []*gospice.StepRun
		err := sim.RunSteps(context.Background(), runs, workers, func(r *gospice.StepRun) error {
			out = append(out, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// At least 4 workers, so that runs finish out of order even on a one-core machine.
	many := max(runtime.GOMAXPROCS(0), 4)
	one, all := collect(1), collect(many)
	want := sim.Runs()
	if runs != nil {
		want = len(runs)
	}
	if len(one) != want || len(all) != want {
		t.Fatalf("%d runs on 1 worker and %d on %d, want %d", len(one), len(all), many, want)
	}
	tdelay := map[uint64]bool{}
	for k := range one {
		a, b := one[k], all[k]
		if a.Run != b.Run {
			t.Fatalf("run %d on 1 worker is run %d on %d", a.Run, b.Run, many)
		}
		if a.Err != nil || b.Err != nil {
			t.Fatalf("run %d failed: %v on 1 worker, %v on %d", a.Run, a.Err, b.Err, many)
		}
		if len(a.Results) != len(b.Results) {
			t.Fatalf("run %d: %d results on 1 worker, %d on %d", a.Run, len(a.Results), len(b.Results), many)
		}
		for i, ra := range a.Results {
			rb := b.Results[i]
			if ra.Len() == 0 {
				t.Fatalf("run %d: no points", a.Run)
			}
			if fmt.Sprint(ra.Names()) != fmt.Sprint(rb.Names()) {
				t.Fatalf("run %d: vectors %v on 1 worker, %v on %d", a.Run, ra.Names(), rb.Names(), many)
			}
			for _, name := range ra.Names() {
				va, _ := ra.Vector(name)
				vb, _ := rb.Vector(name)
				if len(va) != len(vb) {
					t.Fatalf("run %d: %s has %d points on 1 worker, %d on %d", a.Run, name, len(va), len(vb), many)
				}
				for j := range va {
					if math.Float64bits(va[j]) != math.Float64bits(vb[j]) {
						t.Fatalf("run %d: %s[%d] = %v on 1 worker, %v on %d", a.Run, name, j, va[j], vb[j], many)
					}
				}
			}
			ma, mb := ra.Stats.Measures, rb.Stats.Measures
			if len(ma) == 0 || len(ma) != len(mb) {
				t.Fatalf("run %d: %d measurements on 1 worker, %d on %d", a.Run, len(ma), len(mb), many)
			}
			for j := range ma {
				if ma[j].Err != nil {
					t.Fatalf("run %d: %v", a.Run, ma[j])
				}
				if ma[j].Name != mb[j].Name || math.Float64bits(ma[j].Value) != math.Float64bits(mb[j].Value) {
					t.Fatalf("run %d: %v on 1 worker, %v on %d", a.Run, ma[j], mb[j], many)
				}
				if ma[j].Name == "tdelay" {
					tdelay[math.Float64bits(ma[j].Value)] = true
				}
			}
		}
	}
	// The runs are a Monte Carlo: they must differ from one another, not repeat one draw.
	if len(tdelay) < want/2 {
		t.Errorf("only %d distinct delays in %d runs", len(tdelay), want)
	}
}
