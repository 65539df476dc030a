package devices

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

const cplCard = `.model m cpl
+ r=3.5 0.1 0 3.5 0.1 3.5 l=9e-9 5.4e-9 1e-9 9e-9 5.4e-9 9e-9
+ g=1e-3 0 0 1e-3 0 1e-3 c=3.5e-13 -3e-14 -1e-14 3.5e-13 -3e-14 3.5e-13 length=0.5`

// TestCPLModes checks the modal transforms of a three-conductor line: the modal
// voltages and currents (v = vm V, i = im I) see diagonal inductance and capacitance,
// vm L vm^T = diag(lm) and im C im^T = c0 I, and vm^T im = I (power is kept).
func TestCPLModes(t *testing.T) {
	devs := parseAndBuild(t, "t\np1 a b c 0 d e f 0 m\nr1 a 0 1\nr2 d 0 1\n"+cplCard+"\n.end\n", Env{TStep: 1e-9, TStop: 1e-6})
	p := devs[0].(*CPL)
	l := mat.NewDense(3, 3, []float64{9e-9, 5.4e-9, 1e-9, 5.4e-9, 9e-9, 5.4e-9, 1e-9, 5.4e-9, 9e-9})
	c := mat.NewDense(3, 3, []float64{3.5e-13, -3e-14, -1e-14, -3e-14, 3.5e-13, -3e-14, -1e-14, -3e-14, 3.5e-13})
	vm, im := mat.NewDense(3, 3, nil), mat.NewDense(3, 3, nil)
	for i := range 3 {
		vm.SetRow(i, p.vm[i])
		im.SetRow(i, p.im[i])
	}
	var lm, cm, id mat.Dense
	lm.Product(vm, l, vm.T())
	cm.Product(im, c, im.T())
	id.Mul(vm.T(), im)
	worst := 0.0
	for i := range 3 {
		for j := range 3 {
			wantL, wantC, wantI := 0.0, 0.0, 0.0
			if i == j {
				wantL, wantC, wantI = p.modes[i].m.l, p.modes[i].m.c, 1
			}
			worst = math.Max(worst, math.Abs(lm.At(i, j)-wantL)/9e-9)
			worst = math.Max(worst, math.Abs(cm.At(i, j)-wantC)/3.5e-13)
			worst = math.Max(worst, math.Abs(id.At(i, j)-wantI))
		}
	}
	if worst > 2e-14 { // rounding: measured 1.9e-15
		t.Errorf("the modal transforms are off by %.3g (relative)", worst)
	}
}

func TestCPLErrors(t *testing.T) {
	const head = "t\nv1 a 0 1\nr1 c 0 50\n"
	el := "p1 a b 0 c d 0 m\n"
	for _, c := range []struct{ el, card, want string }{
		{el, ".model m cpl l=1n 0 1n c=1p 0 1p", "p1: model m: a coupled line needs its length length= (positive)"},
		{el, ".model m cpl l=1n 0 1n length=1", "p1: model m: a coupled line needs its l= and c= matrices"},
		{el, ".model m cpl l=1n 0 c=1p 0 1p length=1", "p1: model m: l= of a line of 2 conductors takes the 3 numbers of its matrix's upper triangle, row by row; found 2"},
		{el, ".model m cpl l=1n 0 1n c=1p 2p 1p length=1", "p1: model m: the capacitance matrix c of a coupled line must be positive definite"},
		{el, ".model m cpl l=1n 2n 1n c=1p 0 1p length=1", "p1: model m: the inductance matrix l of a coupled line must be positive definite"},
		{el, ".model m cpl l=1n 0 1n c=1p 0 1p length=1 foo=2", `unknown CPL model parameter "foo"`},
		{"p1 a b c m\n", ".model m cpl l=1n c=1p length=1", "p1: a coupled line takes n1 ... nN ref1 m1 ... mN ref2 and its model (an even number of nodes, at least 4); found 3 nodes"},
		{"p1 a 0 c d 0 m\n", ".model m cpl l=1n c=1p length=1", "p1: a coupled line takes n1 ... nN ref1 m1 ... mN ref2 and its model (an even number of nodes, at least 4); found 5 nodes"},
	} {
		wantBuildError(t, head+c.el+c.card+"\n.end\n", DefaultEnv(), c.want)
	}
}

// TestCPLLoad checks the transient, DC and AC loads of a three-conductor line (lossy,
// with g) against finite differences, and that a transient load allocates nothing.
func TestCPLLoad(t *testing.T) {
	devs, sys := build(t, "t\np1 a b c 0 d e f g m\nr1 a 0 1\nr2 d 0 1\nr3 g 0 1\n"+cplCard+"\n.end\n")
	x := make([]float64, sys.N+1)
	r := rand.New(rand.NewPCG(7, 8))
	for i := 1; i <= sys.N; i++ {
		x[i] = r.Float64()*2 - 1
	}
	checkJacobian(t, devs, sys, x, ModeOP)
	ctx := &Context{X: x, Values: sys.NewValues(), Mode: ModeTran, Timing: Timing{Step: 1e-11, Stop: 1e-9}}
	acceptRandom(devs, ctx, r, 0, 0.01e-9, 0.025e-9, 0.04e-9, 0.05e-9)
	for _, now := range []float64{0.06e-9, 0.07e-9} {
		for i := 1; i <= sys.N; i++ {
			x[i] = r.Float64()*2 - 1
		}
		wantTranJacobian(t, "cpl", devs, sys, x, now)
	}
	ctx.Time = 0.07e-9
	if n := loadAllocs(devs, ctx); n != 0 {
		t.Errorf("a transient load allocates %g times", n)
	}
}
