package devices

import (
	"testing"
)

// TestPredictedIterateIsLimited: the first iteration of a transient step that starts
// from the predictor's extrapolation limits the junctions against their last evaluation,
// as ngspice limits its predicted device voltages; one that starts from the last
// solution has nothing to limit (and is not limited).
func TestPredictedIterateIsLimited(t *testing.T) {
	for _, c := range []struct {
		name, netlist string
		node          string
		from, to      float64
	}{
		{"diode", "t\nD1 a 0 dd\n.model dd d is=1e-14\n.end\n", "v(a)", 0.6, 1.5},
		{"bjt", "t\nQ1 c b 0 qn\n.model qn npn is=1e-15\n.end\n", "v(b)", 0.6, 1.5},
		{"mosfet", "t\nM1 d g 0 0 nch W=1u L=1u\n.model nch nmos level=1 vto=0.7 kp=100u\n.end\n", "v(g)", 0.5, 6},
	} {
		for _, predicted := range []bool{false, true} {
			devs, sys := diodeBuild(t, c.netlist, DefaultEnv())
			k, ok := sys.Lookup(c.node)
			if !ok {
				t.Fatalf("%s: no %s", c.name, c.node)
			}
			x := make([]float64, sys.N+1)
			load := func(v float64, first, pred bool) *Context {
				x[k] = v
				ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Time: 1e-9, SrcFactor: 1,
					Gmin: 1e-12, FirstIteration: first, Predicted: pred}
				for _, d := range devs {
					d.Load(ctx)
				}
				return ctx
			}
			load(c.from, true, false) // the last solution's evaluation
			ctx := load(c.to, true, predicted)
			if ctx.Limited != predicted {
				t.Errorf("%s: a first iteration at %s = %g after %g, predicted %v: limited %v",
					c.name, c.node, c.to, c.from, predicted, ctx.Limited)
			}
		}
	}
}
