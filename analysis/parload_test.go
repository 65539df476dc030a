package analysis

import (
	"testing"

	"github.com/gospice/gospice/devices"
)

// countingEvaluator counts its evaluations and limits at the rounds it is told to.
type countingEvaluator struct {
	evals   int
	limitAt int // the round (counted from 1) at which it limits; 0: never
}

func (c *countingEvaluator) Load(ctx *devices.Context) {
	if c.Evaluate(ctx) {
		ctx.Limited = true
	}
	c.Stamp(ctx)
}

func (c *countingEvaluator) Evaluate(*devices.Context) bool {
	c.evals++
	return c.evals == c.limitAt
}

func (c *countingEvaluator) Stamp(*devices.Context) {}

// TestParLoadEvaluatesEachOnce: every round evaluates every Evaluator exactly once,
// whichever goroutine claims it, and reports a limit of any of them in that round alone.
func TestParLoadEvaluatesEachOnce(t *testing.T) {
	const n, rounds = 3*parChunk + 5, 200
	loaders := make([]devices.Loader, n)
	evs := make([]*countingEvaluator, n)
	for k := range loaders {
		evs[k] = &countingEvaluator{}
		loaders[k] = evs[k]
	}
	evs[n-1].limitAt = 7
	if newParLoad(loaders, 2) != nil {
		t.Fatalf("%d devices are run in parallel, below the threshold %d", n, MinParallelDevices)
	}
	for len(loaders) < MinParallelDevices {
		c := &countingEvaluator{}
		evs, loaders = append(evs, c), append(loaders, c)
	}
	p := newParLoad(loaders, 3)
	if p == nil {
		t.Fatal("no parallel loads at the threshold")
	}
	var ctx devices.Context
	p.start(&ctx)
	defer p.stop()
	for r := 1; r <= rounds; r++ {
		if lim := p.evaluate(&ctx); lim != (r == 7) {
			t.Fatalf("round %d: limited %v", r, lim)
		}
		for k, c := range evs {
			if c.evals != r {
				t.Fatalf("round %d: device %d evaluated %d times", r, k, c.evals)
			}
		}
	}
}

// TestParLoadAllocatesNothing: a round of parallel evaluation allocates nothing.
func TestParLoadAllocatesNothing(t *testing.T) {
	loaders := make([]devices.Loader, MinParallelDevices)
	for k := range loaders {
		loaders[k] = &countingEvaluator{}
	}
	p := newParLoad(loaders, 2)
	var ctx devices.Context
	p.start(&ctx)
	defer p.stop()
	if n := testing.AllocsPerRun(200, func() { p.evaluate(&ctx) }); n != 0 {
		t.Errorf("a round allocates %g times", n)
	}
}
