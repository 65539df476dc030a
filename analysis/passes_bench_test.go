package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gospice/gospice/mna"
)

// BenchmarkConvergenceTests is the update and residual tests of a system of c432's size
// (5,006 unknowns, each node's row with about five entries), in the CPU time of the
// benchmark's thread.
func BenchmarkConvergenceTests(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	bld := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	const n = 5000
	nodes := make([]int, n)
	for k := range nodes {
		nodes[k] = bld.Node(fmt.Sprintf("n%d", k))
	}
	for k := range nodes {
		bld.Entry(nodes[k], nodes[k])
		for range 2 {
			j := nodes[rng.IntN(n)]
			bld.Entry(nodes[k], j)
			bld.Entry(j, nodes[k])
		}
	}
	for k := range 6 {
		br := bld.Branch(fmt.Sprintf("v%d", k))
		bld.Entry(br, nodes[k])
		bld.Entry(nodes[k], br)
	}
	e := newEngine(context.Background(), &Circuit{Sys: bld.Build()}, DefaultOptions(), nil)
	for _, s := range [][]float64{e.vals.G, e.vals.C, e.vals.Q, e.x, e.rhs, e.hist} {
		randomCharges(rng, s)
	}
	copy(e.xOld, e.x)
	e.alpha = 1e12
	for _, c := range []struct {
		name string
		test func()
	}{
		{"update", func() { e.updateConverged() }},
		{"residual", func() { e.residualConverged() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			start := threadCPU()
			for range b.N {
				c.test()
			}
			b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
