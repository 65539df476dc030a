package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gospice/gospice/mna"
)

// TestParPassRunsEachPartOnce: every pass runs each of its parts exactly once, whichever
// goroutine claims it, and returns only when all are done.
func TestParPassRunsEachPartOnce(t *testing.T) {
	p := newParPass(&parLoad{})
	p.start()
	defer p.stop()
	var runs [passParts]int
	fn := func(part int) { runs[part]++ }
	const passes = 20000
	for k := range passes {
		p.run(fn)
		for part, n := range runs {
			if n != k+1 {
				t.Fatalf("pass %d: part %d ran %d times in all, want %d", k, part, n, k+1)
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { p.run(fn) }); n != 0 {
		t.Errorf("a pass allocates %v times", n)
	}
}

// passesEngine is an engine over a random system of n nodes and a few branch currents
// whose entries are reserved in no order of rows, its values and iterates random, with
// magnitudes over many decades (so that a sum in another order rounds differently).
func passesEngine(t *testing.T, n int, seed uint64) *transient {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	nodes := make([]int, n)
	for k := range nodes {
		nodes[k] = b.Node(fmt.Sprintf("n%d", k))
	}
	for k := range nodes {
		b.Entry(nodes[k], nodes[k])
		for range 4 {
			j := nodes[rng.IntN(n)]
			b.Entry(nodes[k], j)
			b.Entry(j, nodes[k])
		}
	}
	for k := range 5 {
		br := b.Branch(fmt.Sprintf("v%d", k))
		b.Entry(br, nodes[k])
		b.Entry(nodes[k], br)
	}
	e := newEngine(context.Background(), &Circuit{Sys: b.Build()}, DefaultOptions(), nil)
	random := func(s []float64) {
		for i := range s {
			s[i] = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(12)-6))
		}
	}
	for _, s := range [][]float64{e.vals.G, e.vals.C, e.vals.F, e.vals.Q, e.x, e.hist, e.rhs, e.qLin} {
		random(s)
	}
	for i := range e.xOld {
		e.xOld[i] = e.x[i] * (1 + 4e-3*(rng.Float64()-0.5)) // about half pass
	}
	e.alpha = 2e12
	tr := newTransient(e, TranSpec{Step: 1e-12, Stop: 1e-9}, nil, nil)
	for k := range tr.q {
		random(tr.q[k])
	}
	for k := range tr.qdot {
		random(tr.qdot[k])
	}
	tr.dt = [3]float64{1e-12, 0.7e-12, 1.3e-12}
	return tr
}

// passResults is what the passes give, and what they leave in the engine's buffers.
type passResults struct {
	jac, rhs, lin, xOld  []float64
	residual, static     worstOf
	update               worstOf
	bound1, bound2       float64
	worstQ1, worstQ2     int
	residualOK, updateOK bool
}

func runPasses(tr *transient) passResults {
	var r passResults
	e := tr.engine
	x, xOld := slices.Clone(e.x), slices.Clone(e.xOld)
	e.assemble()
	r.jac, r.rhs = slices.Clone(e.jac), slices.Clone(e.rhs)
	lin := make([]float64, len(e.x))
	e.linearized(lin)
	r.lin = lin
	r.updateOK, r.update.index, r.update.value = e.updateConverged()
	r.residualOK, r.residual.index, r.residual.value = e.residualConverged()
	r.xOld = slices.Clone(e.xOld) // the residual test's scratch
	copy(e.xOld, xOld)
	_, r.static.index, r.static.value = e.residualTest(e.qLin)
	copy(e.x, x)
	copy(e.xOld, xOld)
	r.bound1, r.worstQ1 = tr.truncation(1, 1e-12), tr.worstQ
	r.bound2, r.worstQ2 = tr.truncation(2, 1e-12), tr.worstQ
	return r
}

// same reports whether a and b hold the same bits.
func same(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestPassesInPartsSameBits: the passes over all unknowns give the same bits in parts,
// on two goroutines and on the caller alone (a parPass, the rows gathered through the
// rowIndex), as serially (the values scattered in handle order), on random systems, and
// leave the same scratch; truncation's one root gives the root per equation's bits.
func TestPassesInPartsSameBits(t *testing.T) {
	for seed := range uint64(5) {
		n := 300 + int(seed)*37
		serial := runPasses(passesEngine(t, n, seed))
		if serial.residual.index == 0 || serial.update.index == 0 {
			t.Errorf("seed %d: the random system passes a test, which then tests nothing", seed)
		}
		for order := 1; order <= 2; order++ {
			want, wantAt := truncationReference(passesEngine(t, n, seed), order, 1e-12)
			got, gotAt := serial.bound1, serial.worstQ1
			if order == 2 {
				got, gotAt = serial.bound2, serial.worstQ2
			}
			if wantAt == 0 {
				t.Errorf("seed %d: no equation limits the step at order %d, which then tests nothing", seed, order)
			}
			if math.Float64bits(got) != math.Float64bits(want) || gotAt != wantAt {
				t.Errorf("seed %d: truncation at order %d %v (%d), one root per equation %v (%d)", seed, order, got, gotAt, want, wantAt)
			}
		}
		for _, both := range []bool{true, false} {
			tr := passesEngine(t, n, seed)
			tr.par = &parLoad{} // startPasses runs parts on two goroutines alongside a parLoad
			stop := tr.startPasses()
			if tr.pass == nil {
				t.Fatal("no parPass")
			}
			// The passes' clocks find the way asked for faster.
			for k := range tr.pass.clocks {
				tr.pass.clocks[k].took = [2]float64{1, 2}
				if both {
					tr.pass.clocks[k].took = [2]float64{2, 1}
				}
			}
			par := runPasses(tr)
			stop()
			comparePasses(t, fmt.Sprintf("seed %d, on both goroutines %v", seed, both), serial, par)
		}
	}
}

// comparePasses reports where the passes in parts (par) gave other bits than serially.
func comparePasses(t *testing.T, what string, serial, par passResults) {
	t.Helper()
	for _, c := range []struct {
		name string
		a, b []float64
	}{{"jac", serial.jac, par.jac}, {"rhs", serial.rhs, par.rhs}, {"linearized", serial.lin, par.lin}, {"scale scratch", serial.xOld, par.xOld}} {
		if !same(c.a, c.b) {
			t.Errorf("%s: %s differs", what, c.name)
		}
	}
	if serial.update != par.update || serial.updateOK != par.updateOK {
		t.Errorf("%s: update test %+v serially, %+v in parts", what, serial.update, par.update)
	}
	if serial.residual != par.residual || serial.static != par.static || serial.residualOK != par.residualOK {
		t.Errorf("%s: residual tests %+v %+v serially, %+v %+v in parts", what, serial.residual, serial.static, par.residual, par.static)
	}
	if math.Float64bits(serial.bound1) != math.Float64bits(par.bound1) || math.Float64bits(serial.bound2) != math.Float64bits(par.bound2) ||
		serial.worstQ1 != par.worstQ1 || serial.worstQ2 != par.worstQ2 {
		t.Errorf("%s: truncation %v (%d), %v (%d) serially, %v (%d), %v (%d) in parts", what,
			serial.bound1, serial.worstQ1, serial.bound2, serial.worstQ2, par.bound1, par.worstQ1, par.bound2, par.worstQ2)
	}
}

// TestPassClockTakesTheFaster: a pass runs the way that took less time lately, the other
// every passProbe-th time, and each way is tried once before any is chosen.
func TestPassClockTakesTheFaster(t *testing.T) {
	var c passClock
	if c.both() {
		t.Fatal("the first pass ran on both goroutines: the caller alone is tried first")
	}
	c.record(false, 1000)
	if !c.both() {
		t.Fatal("the second pass ran on the caller alone: both are tried once")
	}
	c.record(true, 3000) // both goroutines slower
	var alone, both int
	for range 10 * passProbe {
		b := c.both()
		if b {
			both++
		}
		ns := 1000.0
		if b {
			ns = 3000
		}
		c.record(b, ns)
		alone = 10*passProbe - both
	}
	if both != 10 || alone != 10*passProbe-10 {
		t.Errorf("%d passes on both goroutines, %d on the caller alone: want one in %d on both", both, alone, passProbe)
	}
	// The load falls: both goroutines become faster, and are taken once a probe shows it.
	for range 2 * passProbe {
		b := c.both()
		ns := 1000.0
		if b {
			ns = 400
		}
		c.record(b, ns)
	}
	if !c.both() {
		t.Error("the faster way is not taken after the probes showed it")
	}
}

// truncationReference is truncation with a root per equation at order 2, as SPICE
// writes it, one equation after the other.
func truncationReference(t *transient, order int, h float64) (float64, int) {
	factor := 0.5
	if order == 2 {
		factor = 1.0 / 12
	}
	d0, d1, d2 := h, t.dt[1], t.dt[2]
	q0, q1, q2, q3 := t.q[0], t.q[1], t.q[2], t.q[3]
	best, at := 2*h, 0
	for i := 1; i < len(q0); i++ {
		if q0[i] == 0 && q1[i] == 0 && q2[i] == 0 && q3[i] == 0 {
			continue
		}
		tol := max(
			t.rateTol[i]+t.opt.RelTol*max(math.Abs(t.qdot[0][i]), math.Abs(t.qdot[1][i])),
			t.opt.RelTol*max(math.Abs(q0[i]), math.Abs(q1[i]), t.chargeTol[i])/h)
		a := (q0[i] - q1[i]) / d0
		b := (q1[i] - q2[i]) / d1
		diff := (a - b) / (d0 + d1)
		if order == 2 {
			c := (q2[i] - q3[i]) / d2
			diff = (diff - (b-c)/(d1+d2)) / (d0 + d1 + d2)
		}
		del := t.opt.TrTol * tol / max(t.rateTol[i], factor*math.Abs(diff))
		if order == 2 {
			del = math.Sqrt(del)
		}
		if del < best {
			best, at = del, i
		}
	}
	return best, at
}
