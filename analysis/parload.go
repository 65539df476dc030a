package analysis

import (
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gospice/gospice/devices"
)

// MinParallelDevices is the number of devices.Evaluator devices from which a transient
// with Options.LoadWorkers above 1 evaluates them on several goroutines. Below it the
// helpers' wake-up and the wait for them cost more than the evaluations they share:
// gospice's BenchmarkParallelLoads (BSIM4 inverter chains, two workers against one, at a
// load average of 20 on two cores) measured 34% more CPU time at 20 devices, 16% at 50,
// between 13% less and 9% more at 100, and 4% less at 200 and 400.
const MinParallelDevices = 100

// parChunk is the number of devices a goroutine claims at a time: small enough that the
// cores share the last ones evenly, large enough that claiming costs nothing.
const parChunk = 16

// parLoad loads a run's devices, evaluating its Evaluators on the calling goroutine and
// helpers. Each load is a round: the caller publishes the Context, every goroutine claims
// chunks of devices from a shared counter until none are left, and the caller stamps the
// devices (and loads the other loaders) in loader order, each as soon as its chunk is
// evaluated: between its own chunks, and then waiting for the helpers' last ones. So the
// stamping overlaps the helpers' evaluations, and the Values are the same, to the bit, as
// with serial loads.
type parLoad struct {
	evs     []devices.Evaluator // by loader: nil for the loaders that Load serially
	chunkOf []int32             // by loader: its Evaluator's chunk
	list    []devices.Evaluator // the Evaluators, in loader order
	limited []bool              // by chunk: a device of it limited its voltages
	chunks  int64
	round   atomic.Int64   // the round under way, counted from 1
	doneIn  []atomic.Int64 // by chunk: the last round in which it was evaluated
	next    atomic.Int64   // the next chunk to claim; chunks and above: none left
	helpers []parHelper
	stopped atomic.Bool
	// done receives a token from a helper after each chunk it publishes as done, unless
	// one is waiting already, for a caller that waits for the chunk: the caller checks
	// doneIn again after each token, so a token left over from an earlier chunk or round
	// costs a check, and none is lost, as a helper publishes before it sends.
	done chan struct{}
}

// parHelper is a helper goroutine's wake-up: parked is set while it sleeps on wake, so
// that the caller sends a token only to a helper that needs one.
type parHelper struct {
	wake   chan struct{}
	parked atomic.Bool
}

// parSpin is how long a helper, its round done, keeps looking for the next round (yielding
// its core to any other goroutine that wants it) before it sleeps, as OpenMP runtimes'
// threads spin a while between parallel regions. Between two loads of a transient lie its
// Newton iteration's serial passes (on c432 0.2-0.3 ms: the LU, the convergence tests;
// more between time points): a helper that sleeps through them must be woken, which costs
// the caller a system call (3% of c432's time) and the round the helper's late start.
// c432 alone, in paired runs: 300 us 5% faster than sleeping at once (9 of 10 pairs), for
// 22% more CPU; 1 ms 3% faster again (7 of 8), for 3% more CPU than 300 us, as fewer
// helpers fall asleep between time points. A helper that finds no round within parSpin
// sleeps, so an idle or finished simulation costs no CPU.
const parSpin = time.Millisecond

// parSpins is how many times the caller yields to the scheduler, waiting for the
// helpers' last chunks, before it sleeps until they are done: a short wait is cheaper
// spun, a long one (a helper whose thread the system has put aside) slept.
const parSpins = 20

// newParLoad returns the parallel evaluation of loaders on workers goroutines (the caller
// included), or nil when fewer than MinParallelDevices of them are Evaluators or workers
// is below 2.
func newParLoad(loaders []devices.Loader, workers int) *parLoad {
	if workers < 2 {
		return nil
	}
	p := &parLoad{evs: make([]devices.Evaluator, len(loaders)), chunkOf: make([]int32, len(loaders))}
	for k, l := range loaders {
		if ev, ok := l.(devices.Evaluator); ok {
			p.evs[k] = ev
			p.chunkOf[k] = int32(len(p.list) / parChunk)
			p.list = append(p.list, ev)
		}
	}
	if len(p.list) < MinParallelDevices {
		return nil
	}
	p.chunks = int64((len(p.list) + parChunk - 1) / parChunk)
	p.limited = make([]bool, p.chunks)
	p.doneIn = make([]atomic.Int64, p.chunks)
	p.next.Store(p.chunks)
	p.helpers = make([]parHelper, workers-1)
	p.done = make(chan struct{}, 1)
	return p
}

// start starts the helpers, which wait for rounds on ctx until stop.
func (p *parLoad) start(ctx *devices.Context) {
	for k := range p.helpers {
		h := &p.helpers[k]
		h.wake = make(chan struct{}, 1)
		go func() {
			for p.awaitRound(h) {
				for {
					c, ok := p.claim()
					if !ok {
						break
					}
					p.evaluate(ctx, c)
					select {
					case p.done <- struct{}{}:
					default: // a token is waiting already
					}
				}
			}
		}()
	}
}

// open reports whether the round under way has chunks left to claim.
func (p *parLoad) open() bool { return p.next.Load() < p.chunks }

// awaitRound waits until a round has chunks left to claim, spinning for up to parSpin
// and then sleeping; it reports false when the helpers are stopped. A helper marks
// itself parked before it looks for a round a last time, and the caller opens a round
// before it looks for parked helpers, so one of the two sees the other: no round is
// missed. A token left over from a round the helper found while parking wakes it once
// for nothing.
func (p *parLoad) awaitRound(h *parHelper) bool {
	deadline := time.Now().Add(parSpin)
	for k := 0; ; k++ {
		if p.stopped.Load() {
			return false
		}
		if p.open() {
			return true
		}
		if k%8 == 7 && time.Now().After(deadline) {
			break
		}
		runtime.Gosched()
	}
	for {
		h.parked.Store(true)
		if p.open() {
			h.parked.Store(false)
			return true
		}
		_, ok := <-h.wake
		h.parked.Store(false)
		if !ok {
			return false
		}
		if p.open() {
			return true
		}
	}
}

// stop ends the helpers.
func (p *parLoad) stop() {
	p.stopped.Store(true)
	for k := range p.helpers {
		close(p.helpers[k].wake)
	}
}

// load runs one round at ctx over loaders (those newParLoad was made of): every loader
// loaded, in order, into ctx's Values. It reports whether an Evaluator limited its
// voltages (the others say so in ctx.Limited themselves).
//
// A helper that wakes late, after the round it was woken for, finds no chunk left (next
// is at or above chunks until the caller opens the next round) or claims chunks of the
// round that is open, whose Context and number the atomic store of next has published.
func (p *parLoad) load(ctx *devices.Context, loaders []devices.Loader) bool {
	p.round.Add(1)
	p.next.Store(0)
	for k := range p.helpers {
		if h := &p.helpers[k]; h.parked.Load() {
			select {
			case h.wake <- struct{}{}:
			default: // already woken: it will find this round's chunks
			}
		}
	}
	pos := 0 // the next loader to stamp
	for {
		c, ok := p.claim()
		if !ok {
			break
		}
		p.evaluate(ctx, c)
		pos = p.stamp(ctx, loaders, pos, false)
	}
	p.stamp(ctx, loaders, pos, true)
	limited := false
	for _, l := range p.limited {
		limited = limited || l
	}
	return limited
}

// claim claims the round's next chunk; ok is false when none is left.
func (p *parLoad) claim() (c int64, ok bool) {
	c = p.next.Add(1) - 1
	return c, c < p.chunks
}

// evaluate evaluates chunk c and publishes it as done in this round.
func (p *parLoad) evaluate(ctx *devices.Context, c int64) {
	lo := int(c) * parChunk
	hi := min(lo+parChunk, len(p.list))
	lim := false
	for _, ev := range p.list[lo:hi] {
		if ev.Evaluate(ctx) {
			lim = true
		}
	}
	p.limited[c] = lim
	p.doneIn[c].Store(p.round.Load())
}

// stamp stamps the loaders from pos on, in order, loading those that are no Evaluators,
// up to the first whose chunk is not evaluated yet, or, with wait, waiting for it; it
// returns the next loader to stamp.
func (p *parLoad) stamp(ctx *devices.Context, loaders []devices.Loader, pos int, wait bool) int {
	round := p.round.Load()
	for ; pos < len(loaders); pos++ {
		ev := p.evs[pos]
		if ev == nil {
			loaders[pos].Load(ctx)
			continue
		}
		c := p.chunkOf[pos]
		for k := 0; p.doneIn[c].Load() != round; k++ {
			switch {
			case !wait:
				return pos
			case k < parSpins:
				runtime.Gosched()
			default:
				<-p.done
			}
		}
		ev.Stamp(ctx)
	}
	return pos
}
