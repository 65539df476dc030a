package devices

import (
	"math/rand/v2"
	"testing"
)

func TestTXLErrors(t *testing.T) {
	const head = "t\nv1 a 0 1\nr1 b 0 50\n"
	for _, c := range []struct{ card, want string }{
		{".model m txl r=1 l=1n g=0 c=1p", "y1: model m: a TXL line needs its length length= (positive), as in ngspice"},
		{".model m txl r=1 l=1n c=1p length=1", "y1: model m: a TXL line needs its shunt conductance g= (0 for none), as in ngspice"},
		{".model m txl r=-1 l=1n g=0 c=1p length=1", "y1: model m: r, l, g and c of a TXL line cannot be negative"},
		{".model m txl r=1 l=1n g=0 c=0 length=1", "y1: model m: a TXL line needs l > 0 and c > 0 (and r > 0 when g > 0)"},
		{".model m txl r=0 l=1n g=1m c=1p length=1", "y1: model m: a TXL line needs l > 0 and c > 0 (and r > 0 when g > 0)"},
		{".model m txl r=1 l=1n g=0 c=1p length=1 len=2", `unknown TXL model parameter "len"`},
		{".model m ltra r=1 l=1n c=1p len=1", `y1: model "m" (t.cir:5:1) is a "ltra" model, not a TXL line model`},
	} {
		wantBuildError(t, head+"y1 a 0 b 0 m\n"+c.card+"\n.end\n", DefaultEnv(), c.want)
	}
	wantBuildError(t, head+"y1 a 0 b 0\n.end\n", DefaultEnv(), `missing model: TXL line "y1" needs a model name`)
	wantBuildError(t, head+"y1 a 0 b 0 m ic=1\n.model m txl r=1 l=1n g=0 c=1p length=1\n.end\n", DefaultEnv(), "y1: unexpected ic= (a TXL line takes its model only)")
}

// TestTXLLoad checks the transient load of an RLGC line against finite differences and
// that it allocates nothing.
func TestTXLLoad(t *testing.T) {
	const card = ".model m txl r=12.45 l=8.972e-9 g=1e-3 c=0.468e-12 length=16"
	devs, sys := build(t, "t\ny1 a 0 b c m\nr1 a 0 1\nr2 b c 1\nr3 c 0 1\n"+card+"\n.end\n")
	x := make([]float64, sys.N+1)
	r := rand.New(rand.NewPCG(5, 6))
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Timing: Timing{Step: 1e-10, Stop: 1e-8}}
	acceptRandom(devs, ctx, r, 0, 0.4e-9, 0.9e-9, 1.5e-9, 2e-9)
	for _, now := range []float64{2.5e-9, 2.9e-9} {
		for i := 1; i <= sys.N; i++ {
			x[i] = r.Float64()*2 - 1
		}
		wantTranJacobian(t, card, devs, sys, x, now)
	}
	ctx.Time = 2.9e-9
	if n := loadAllocs(devs, ctx); n != 0 {
		t.Errorf("a transient load allocates %g times", n)
	}
}
