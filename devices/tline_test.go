package devices

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gospice/gospice/mna"
)

// TestTLineErrors: a T line without its impedance or delay, or with values it cannot
// take, is refused at its line, naming it.
func TestTLineErrors(t *testing.T) {
	const head = "t\nv1 a 0 1\nr1 b 0 50\n"
	for _, c := range []struct{ line, want string }{
		{"t1 a 0 b 0 td=1n", "t.cir:4:1: t1: a transmission line needs a positive characteristic impedance z0="},
		{"t1 a 0 b 0 z0=-50 td=1n", "t1: a transmission line needs a positive characteristic impedance z0="},
		{"t1 a 0 b 0 z0=50", "t1: a transmission line needs its delay: td=, or f= (and nl=, 0.25 by default)"},
		{"t1 a 0 b 0 z0=50 td=0", "t1: the delay td= of a transmission line must be positive"},
		{"t1 a 0 b 0 z0=50 f=1g nl=-1", "t1: f= and nl= of a transmission line must be positive"},
		{"t1 a 0 b 0 z0=50 td=1n len=3", `t.cir:4:24: unknown transmission line parameter "len" (t1)`},
		{"t1 a 0 b 0 z0=50 td=1n ic=1,2,3,4,5", "ic of \"t1\" takes at most 4 values (ic=v1,i1,v2,i2), found 5"},
		{"t1 a 0 b z0=50 td=1n", `t.cir:4:10: expected a node name, found "z0=50"`},
	} {
		wantBuildError(t, head+c.line+"\n.end\n", DefaultEnv(), c.want)
	}
}

// TestTLineLoad checks the transient load of a T line against finite differences where the
// delayed wave comes from the history and where it runs through the present point (a
// step longer than td), and that the load allocates nothing.
func TestTLineLoad(t *testing.T) {
	devs, sys := build(t, "t\nt1 a 0 b c z0=50 td=1n\nr1 a 0 1\nr2 b c 1\nr3 c 0 1\n.end\n")
	x := make([]float64, sys.N+1)
	r := rand.New(rand.NewPCG(3, 4))
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran}
	acceptRandom(devs, ctx, r, 0, 0.4e-9, 0.9e-9, 1.5e-9)
	for _, now := range []float64{2.2e-9, 3e-9} { // t - td inside the history, then past it
		for i := 1; i <= sys.N; i++ {
			x[i] = r.Float64()*2 - 1
		}
		wantTranJacobian(t, "", devs, sys, x, now)
	}
	ctx.Time = 3e-9
	if n := testing.AllocsPerRun(100, func() {
		ctx.Values.Clear()
		for _, d := range devs {
			d.Load(ctx)
		}
	}); n != 0 {
		t.Errorf("a transient load allocates %g times", n)
	}
}

// wantTranJacobian checks the transient load of linear devices at x and time now
// against finite differences of F: the G entries of each row and column.
func wantTranJacobian(t *testing.T, what string, devs []Loader, sys *mna.System, x []float64, now float64) {
	t.Helper()
	base := evaluate(devs, sys, x, ModeTran, now)
	for j := 1; j <= sys.N; j++ {
		xp := append([]float64(nil), x...)
		xp[j] += 1e-3
		vp := evaluate(devs, sys, xp, ModeTran, now)
		for i := 1; i <= sys.N; i++ {
			g := 0.0
			for k := 0; k < sys.Pattern.NNZ(); k++ {
				if row, col := sys.Pattern.At(k); row+1 == i && col+1 == j {
					g += base.G[k+1]
				}
			}
			if fd := (vp.F[i] - base.F[i]) / 1e-3; math.Abs(fd-g) > 1e-9*math.Max(1, math.Abs(g)) {
				t.Errorf("%s at %g s: dF[%s]/d%s = %g, finite differences give %g", what, now, sys.Unknowns[i].Label(), sys.Unknowns[j].Label(), g, fd)
			}
		}
	}
}

// acceptRandom accepts, at each of times, random unknowns between -1 and 1 in ctx.X.
func acceptRandom(devs []Loader, ctx *Context, r *rand.Rand, times ...float64) {
	for _, now := range times {
		for i := 1; i < len(ctx.X); i++ {
			ctx.X[i] = r.Float64()*2 - 1
		}
		ctx.Time = now
		for _, d := range devs {
			if a, ok := d.(Accepter); ok {
				a.Accept(ctx)
			}
		}
	}
}
