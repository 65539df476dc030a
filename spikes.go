package gospice

import (
	"fmt"
	"slices"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
)

// Spike is one rising crossing of a .spikes line's level by a vector, at its time
// interpolated linearly between the accepted points around it.
type Spike struct {
	Time   float64
	Vector string // "v(x1.g)"
}

// spikePlan is what a transient watches for its .spikes lines: one output per voltage,
// with its line's level and hysteresis.
type spikePlan struct {
	outputs      []analysis.Output
	levels, hyst []float64
}

// planSpikes resolves the vectors of the .spikes lines, their wildcards expanded.
func (s *Simulation) planSpikes() error {
	for _, sp := range s.Circuit.Spikes {
		vecs, err := s.expandVectors(sp.Vectors)
		if err != nil {
			return err
		}
		if s.spikes == nil {
			s.spikes = &spikePlan{}
		}
		for _, v := range vecs {
			p, q, err := s.probe(v)
			if err != nil {
				return err
			}
			s.spikes.outputs = append(s.spikes.outputs, analysis.Output{Name: v.Name, Quantity: q, Probe: p})
			s.spikes.levels = append(s.spikes.levels, sp.Level)
			s.spikes.hyst = append(s.spikes.hyst, sp.Hyst)
		}
	}
	return nil
}

// startSpikes wraps sink to find the spikes of a transient: the plan's outputs are the
// last columns of each row, which the wrapper takes off before passing the row on.
func (s *Simulation) startSpikes(a parser.Analysis, next Sink) (*spikeSink, Sink) {
	if _, ok := a.(*parser.Tran); !ok || s.spikes == nil {
		return nil, next
	}
	n := len(s.spikes.outputs)
	sk := &spikeSink{next: next, plan: s.spikes, armed: make([]bool, n), prev: make([]float64, n)}
	return sk, sk
}

// spikeSink finds the rising crossings in the last columns of each row.
type spikeSink struct {
	next   Sink
	plan   *spikePlan
	spikes []Spike
	armed  []bool // below level - hyst since the last spike
	prev   []float64
	tPrev  float64
	seen   bool // a point has been seen
	from   int  // spikes[from:] are those of the last step, to sort

	// A partitioned transient's block watches some of the vectors: order holds their
	// columns in the whole run's rows, and spikeOrder each spike's, so that the blocks'
	// spikes merge in the order one system finds them.
	order      []int
	spikeOrder []int
}

func (k *spikeSink) Begin(cols []Column) error {
	n := len(k.plan.outputs)
	if len(cols) < n+1 {
		return fmt.Errorf("internal error: %d columns for %d spike vectors", len(cols), n)
	}
	return k.next.Begin(cols[:len(cols)-n])
}

func (k *spikeSink) Point(row []float64) error {
	n := len(k.plan.outputs)
	base := len(row) - n
	t := row[0]
	k.from = len(k.spikes)
	for i, v := range row[base:] {
		level := k.plan.levels[i]
		if k.seen && k.armed[i] && v >= level && t > k.tPrev {
			v0 := k.prev[i]
			k.spikes = append(k.spikes, Spike{Time: k.tPrev + (level-v0)/(v-v0)*(t-k.tPrev), Vector: k.plan.outputs[i].Name})
			if k.order != nil {
				k.spikeOrder = append(k.spikeOrder, k.order[i])
			}
			k.armed[i] = false
		}
		if v < level-k.plan.hyst[i] || (!k.seen && v < level) {
			k.armed[i] = true
		}
		k.prev[i] = v
	}
	// The crossings within one step are in time order among themselves too (a block's
	// watcher leaves that to mergeSpikes, which keeps spikeOrder beside them).
	if len(k.spikes)-k.from > 1 && k.order == nil {
		slices.SortStableFunc(k.spikes[k.from:], func(a, b Spike) int {
			switch {
			case a.Time < b.Time:
				return -1
			case a.Time > b.Time:
				return 1
			}
			return 0
		})
	}
	k.tPrev, k.seen = t, true
	return k.next.Point(row[:base])
}
