package analysis

import (
	"runtime"
	"sync/atomic"
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

// inParts runs fn over every part: on both goroutines with a parPass, else on this one,
// in order.
func (e *engine) inParts(fn func(part int)) {
	if e.pass != nil {
		e.pass.run(fn)
		return
	}
	for part := range passParts {
		fn(part)
	}
}
