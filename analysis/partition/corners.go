package partition

import (
	"math"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// Corners returns a device that loads nothing and whose run has the corners of all of
// sources (the independent sources of the whole circuit, read-only definitions). Given to
// every block (.options corners=whole), it makes each restart its integration where one
// system would, at every source's corners and not only its own blocks'.
func Corners(sources []devices.Breakpointer) devices.Device { return &corners{src: sources} }

type corners struct{ src []devices.Breakpointer }

func (c *corners) Name() string       { return "partition#corners" }
func (c *corners) Setup(*mna.Builder) {}

func (c *corners) NewRun() devices.Loader {
	return &cornersRun{src: c.src, next: make([]float64, len(c.src)), heap: make([]int, len(c.src)), from: math.Inf(1)}
}

// cornersRun keeps each source's next corner in a min-heap, so that a block's every
// step costs a look at the heap's top, not a call to every source of the circuit.
type cornersRun struct {
	src  []devices.Breakpointer
	next []float64 // each source's first corner after from
	heap []int     // the sources, a min-heap by next
	from float64   // the time of the last call; +Inf before the first
}

func (r *cornersRun) Load(*devices.Context) {}

// Linear: the device loads nothing, and must not make its block's circuit nonlinear.
func (r *cornersRun) Linear() {}

// NextBreakpoint is the first corner of any source strictly after t.
func (r *cornersRun) NextBreakpoint(t float64, tm devices.Timing) float64 {
	if len(r.src) == 0 {
		return math.Inf(1)
	}
	if t < r.from { // the first call, or time went back: every source afresh
		for i, s := range r.src {
			r.next[i], r.heap[i] = s.NextBreakpoint(t, tm), i
		}
		for i := len(r.heap)/2 - 1; i >= 0; i-- {
			r.down(i)
		}
	}
	r.from = t
	for r.next[r.heap[0]] <= t {
		top := r.heap[0]
		r.next[top] = r.src[top].NextBreakpoint(t, tm)
		r.down(0)
	}
	return r.next[r.heap[0]]
}

// down restores the heap below i.
func (r *cornersRun) down(i int) {
	h := r.heap
	for {
		least := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && r.next[h[c]] < r.next[h[least]] {
				least = c
			}
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}
