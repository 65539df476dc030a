package analysis

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospice/gospice/devices"
)

// countingEvaluator counts its evaluations and limits at the rounds it is told to. With a
// log, its stamps append its id to it.
type countingEvaluator struct {
	evals   int
	limitAt int // the round (counted from 1) at which it limits; 0: never
	id      int
	log     *[]int
	early   bool // a stamp came before its evaluation of the round
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

func (c *countingEvaluator) Stamp(*devices.Context) {
	if c.log != nil {
		if len(*c.log) != 0 && c.evals != (*c.log)[0] {
			c.early = true
		}
		*c.log = append(*c.log, c.id)
	}
}

// loggingLoader is a loader that is no Evaluator: its loads append its id to the log.
type loggingLoader struct {
	id  int
	log *[]int
}

func (l *loggingLoader) Load(*devices.Context) { *l.log = append(*l.log, l.id) }

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
		if lim := p.load(&ctx, loaders); lim != (r == 7) {
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
	if n := testing.AllocsPerRun(200, func() { p.load(&ctx, loaders) }); n != 0 {
		t.Errorf("a round allocates %g times", n)
	}
}

// TestParLoadStampsInOrder: a round stamps every Evaluator after its evaluation of the
// round, and loads the other loaders, in loader order.
func TestParLoadStampsInOrder(t *testing.T) {
	log := make([]int, 0, 1000)
	var loaders []devices.Loader
	var evs []*countingEvaluator
	for k := 0; k < 3*MinParallelDevices; k++ {
		if k%37 == 5 {
			loaders = append(loaders, &loggingLoader{id: k, log: &log})
			continue
		}
		c := &countingEvaluator{id: k, log: &log}
		evs, loaders = append(evs, c), append(loaders, c)
	}
	p := newParLoad(loaders, 3)
	var ctx devices.Context
	p.start(&ctx)
	defer p.stop()
	for r := 1; r <= 100; r++ {
		log = append(log[:0], r) // the round first, which the stamps check their evaluations against
		p.load(&ctx, loaders)
		if len(log) != len(loaders)+1 {
			t.Fatalf("round %d: %d loads and stamps, want %d", r, len(log)-1, len(loaders))
		}
		for k, id := range log[1:] {
			if id != k {
				t.Fatalf("round %d: loader %d stamped in place %d", r, id, k)
			}
		}
		for _, c := range evs {
			if c.early {
				t.Fatalf("round %d: device %d stamped before its evaluation", r, c.id)
			}
		}
	}
}

// yieldingEvaluator gives its core away in some evaluations, so that the goroutines of a
// round finish their chunks in every order.
type yieldingEvaluator struct{ evals int }

func (y *yieldingEvaluator) Load(ctx *devices.Context) { y.Evaluate(ctx); y.Stamp(ctx) }

func (y *yieldingEvaluator) Evaluate(*devices.Context) bool {
	y.evals++
	if y.evals%3 == 0 {
		runtime.Gosched()
	}
	return false
}

func (y *yieldingEvaluator) Stamp(*devices.Context) {}

// TestParLoadNeverWaitsForever: every round ends, in whatever order the goroutines finish
// their chunks. It guards the wake-up; it did not catch the lost one it was written for
// (20,000 rounds, three times): a helper woke the caller at the round's last count of a
// chunk, made before the chunk was published as done, so when the caller counted last
// while a helper had counted but not published, no one woke it. c1908's operating point
// hung so, twice, on a machine loaded to 16.
func TestParLoadNeverWaitsForever(t *testing.T) {
	loaders := make([]devices.Loader, MinParallelDevices+3)
	for k := range loaders {
		loaders[k] = &yieldingEvaluator{}
	}
	for _, workers := range []int{2, 3} {
		p := newParLoad(loaders, workers)
		var ctx devices.Context
		p.start(&ctx)
		finished := make(chan struct{})
		go func() {
			for range 20000 {
				p.load(&ctx, loaders)
			}
			close(finished)
		}()
		select {
		case <-finished:
		case <-time.After(2 * time.Minute):
			t.Fatalf("%d workers: a round never ended", workers)
		}
		p.stop()
	}
}

// waitingEvaluator waits in its evaluation until its partner has been evaluated as many
// times as it has: with the two in different chunks, a round ends only if another
// goroutine claims the partner's chunk while this one waits.
type waitingEvaluator struct {
	partner *countedEvaluator
	rounds  int64
	stuck   bool // a wait gave up: no other goroutine evaluated the partner
}

func (w *waitingEvaluator) Load(ctx *devices.Context) { w.Evaluate(ctx); w.Stamp(ctx) }

func (w *waitingEvaluator) Evaluate(*devices.Context) bool {
	w.rounds++
	deadline := time.Now().Add(10 * time.Second)
	for w.partner.evals.Load() < w.rounds {
		if time.Now().After(deadline) {
			w.stuck = true
			return false
		}
		runtime.Gosched()
	}
	return false
}

func (w *waitingEvaluator) Stamp(*devices.Context) {}

// countedEvaluator counts its evaluations, for a goroutine that waits for them.
type countedEvaluator struct{ evals atomic.Int64 }

func (c *countedEvaluator) Load(ctx *devices.Context)      { c.Evaluate(ctx) }
func (c *countedEvaluator) Evaluate(*devices.Context) bool { c.evals.Add(1); return false }
func (c *countedEvaluator) Stamp(*devices.Context)         {}

// TestParLoadHelpersSleepAndWake: a helper that finds no round within parSpin sleeps, and
// the next round wakes it to share the work: each round here ends only when a helper
// evaluates a chunk while the caller waits in another.
func TestParLoadHelpersSleepAndWake(t *testing.T) {
	partner := &countedEvaluator{}
	w := &waitingEvaluator{partner: partner}
	loaders := []devices.Loader{w}
	for len(loaders) < MinParallelDevices {
		loaders = append(loaders, &yieldingEvaluator{})
	}
	loaders[parChunk] = partner // the first device of the second chunk
	p := newParLoad(loaders, 2)
	var ctx devices.Context
	p.start(&ctx)
	defer p.stop()
	h := &p.helpers[0]
	for r := 1; r <= 5; r++ {
		deadline := time.Now().Add(10 * time.Second)
		for !h.parked.Load() {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the helper did not sleep within 10 s of its last round", r)
			}
			time.Sleep(parSpin)
		}
		p.load(&ctx, loaders)
		if w.stuck {
			t.Fatalf("round %d: no helper evaluated the second chunk (it did not wake)", r)
		}
	}
	// Rounds in quick succession: the helper, spinning, takes them without a wake-up.
	for r := 1; r <= 200; r++ {
		p.load(&ctx, loaders)
		if w.stuck {
			t.Fatalf("quick round %d: no helper evaluated the second chunk", r)
		}
	}
}
