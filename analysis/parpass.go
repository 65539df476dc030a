package analysis

import (
	"runtime"
	"sync/atomic"
	"time"
)

// passParts is the number of parts a parallel pass is cut into. Fixed, so that a part's
// range and its slot of a pass's partial results depend on the part alone; eight, so
// that a helper that wakes late leaves the caller little to wait for, and a part
// (about 600 of c432's 5,006 unknowns) still costs far more than claiming it.
const passParts = 8

// parPass runs the engine's passes over all unknowns or all matrix values (the
// truncation-error estimate, the linearized charges, assemble, the convergence tests) on
// the calling goroutine and one helper: the caller publishes the pass, both claim parts
// from a shared counter until none are left, and the caller waits for the helper's last
// part. A helper that wakes late finds the parts claimed, so a busy core costs the
// caller only the wake-up. Each part writes only its own range and its own slot of the
// pass's partial results, which the caller combines in part order: the results are the
// same bits as a serial pass.
type parPass struct {
	fn   func(part int) // the pass under way; read after a part is claimed
	next atomic.Int64   // the next part to claim; passParts and above: none left
	done atomic.Int64   // the parts of the pass under way that are finished
	wake chan struct{}
	// finished receives a token from the helper when it finished a pass's last part,
	// unless one is waiting already; the caller checks done again after each token.
	finished chan struct{}
	clocks   [passKinds]passClock // read and written by the caller alone
}

// newParPass returns the passes of a run whose devices load on several goroutines (par
// not nil), or nil: serial passes.
func newParPass(par *parLoad) *parPass {
	if par == nil {
		return nil
	}
	p := &parPass{wake: make(chan struct{}, 1), finished: make(chan struct{}, 1)}
	p.next.Store(passParts)
	return p
}

// start starts the helper, which waits for passes until stop.
func (p *parPass) start() {
	go func() {
		for range p.wake {
			p.work()
		}
	}()
}

// stop ends the helper.
func (p *parPass) stop() { close(p.wake) }

// work claims and runs parts until none is left.
func (p *parPass) work() {
	for {
		c := p.next.Add(1) - 1
		if c >= passParts {
			return
		}
		p.fn(int(c))
		if p.done.Add(1) == passParts {
			select {
			case p.finished <- struct{}{}:
			default: // a token is waiting already
			}
		}
	}
}

// run runs fn(part) for every part, on both goroutines, and returns when all are done.
// fn is stored once per pass, so a method value made once (not at each call) allocates
// nothing here.
func (p *parPass) run(fn func(part int)) {
	p.fn = fn
	p.done.Store(0)
	p.next.Store(0) // publishes fn: a part claimed after it reads this pass's
	select {
	case p.wake <- struct{}{}:
	default: // already woken: it will find this pass's parts
	}
	p.work()
	for k := 0; p.done.Load() != passParts; k++ {
		if k < parSpins {
			runtime.Gosched()
		} else {
			<-p.finished
		}
	}
}

// partRange is part's share [lo, hi) of n items.
func partRange(part, n int) (lo, hi int) {
	return part * n / passParts, (part + 1) * n / passParts
}

// The kinds of pass, each timed on its own (passClock).
const (
	assemblePass = iota
	linearizedPass
	updatePass
	residualPass
	truncationPass
	passKinds
)

// passClock chooses, for one kind of pass, whether its parts run on both goroutines or
// on the caller alone, by which has taken less time lately: the results are the same bits
// either way. On a busy machine the helper's wake-up costs more than the pass (the woken
// thread waits for a core, or takes the caller's: c432's passes took 1.5 to 4 times as
// long on two goroutines at a load of 11-15 on two cores), on a free one it halves it.
type passClock struct {
	took  [2]float64 // a moving average of the nanoseconds a pass took: on the caller alone, on both
	calls int
}

// passProbe: every passProbe-th pass of a kind runs the way that took longer, so that
// the choice follows the machine's load. A probe of both goroutines on a busy machine
// costs up to ten times the pass (c432 at a load of 11: passes of 20-60 us took 100-400
// us so), so probes are rare.
const passProbe = 32

// both says whether the next pass runs on both goroutines.
func (c *passClock) both() bool {
	c.calls++
	switch {
	case c.took[0] == 0:
		return false
	case c.took[1] == 0:
		return true
	}
	faster := c.took[1] < c.took[0]
	if c.calls%passProbe == 0 {
		return !faster
	}
	return faster
}

// record adds a pass's time to the average of the way it ran; a probe of the slower way
// (or the first time of a way) replaces its average, so that one probe that finds it
// faster now switches to it.
func (c *passClock) record(both bool, ns float64) {
	k := 0
	if both {
		k = 1
	}
	if c.took[k] == 0 || c.took[k] > c.took[1-k] {
		c.took[k] = ns
		return
	}
	c.took[k] += (ns - c.took[k]) / 4
}

// inParts runs fn over every part: with a parPass on both goroutines or on this one
// alone, whichever its passClock finds faster, else on this one; on this one in part
// order.
func (e *engine) inParts(kind int, fn func(part int)) {
	if e.pass == nil {
		for part := range passParts {
			fn(part)
		}
		return
	}
	clock := &e.pass.clocks[kind]
	both := clock.both()
	start := time.Now()
	if both {
		e.pass.run(fn)
	} else {
		for part := range passParts {
			fn(part)
		}
	}
	clock.record(both, float64(time.Since(start)))
}
