package devices

import (
	"sync"

	"github.com/gospice/gospice/parser/expr/tape"
)

// Report returns the B source's current i, from its first node through the source to
// its second, as ngspice's @b1[i]: a V-type source's branch current, an I-type one's
// value at x. A report has no time and no history, so an I-type source whose expression
// reads time or ddt() reports nothing. The workspaces the value is computed in come from
// a pool, so that runs at once each have their own and none is allocated per point.
func (b *BehaviouralSource) Report(name string) (func(x []float64) float64, bool) {
	if name != "i" {
		return nil, false
	}
	if b.voltage {
		k := b.k
		return func(x []float64) float64 { return x[k] }, true
	}
	if b.t.ReadsTime() || b.t.HasDdt() {
		return nil, false
	}
	pool := &sync.Pool{New: func() any { return b.t.NewWorkspace() }}
	return func(x []float64) float64 {
		ws := pool.Get().(*tape.Workspace)
		defer pool.Put(ws)
		for k, c := range b.cols {
			ws.SetProbe(k, x[c.plus]-x[c.minus])
		}
		ws.Eval()
		return b.factor * ws.Value()
	}, true
}
