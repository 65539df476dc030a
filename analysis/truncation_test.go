package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gospice/gospice/mna"
)

// randomTransient is a transient over n node equations (and a few branch currents) whose
// charges and their rates are random, over many decades, a tenth of them zero.
func randomTransient(t *testing.T, n int, rng *rand.Rand) *transient {
	t.Helper()
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for k := range n {
		i := b.Node(fmt.Sprintf("n%d", k))
		b.Entry(i, i)
	}
	for k := range 3 {
		br := b.Branch(fmt.Sprintf("v%d", k))
		b.Entry(br, br)
	}
	e := newEngine(context.Background(), &Circuit{Sys: b.Build()}, DefaultOptions(), nil)
	tr := newTransient(e, TranSpec{Step: 1e-12, Stop: 1e-9}, nil, nil)
	for k := range tr.q {
		randomCharges(rng, tr.q[k])
	}
	for k := range tr.qdot {
		randomCharges(rng, tr.qdot[k])
	}
	tr.dt = [3]float64{1e-12, 0.7e-12, 1.3e-12}
	return tr
}

// randomCharges fills q with values of random sign and size, a tenth of them zero.
func randomCharges(rng *rand.Rand, q []float64) {
	for i := range q {
		q[i] = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(8)-20))
		if rng.IntN(10) == 0 {
			q[i] = 0
		}
	}
}

// TestTruncationKeepsDifferences: along a run of accepted and rejected candidates, of
// either order, with the history restarted now and then (a device event) and candidates
// accepted without an estimate (a fresh step's), truncation
// with the divided differences it kept gives the bits, and names the equation, of the
// estimate from the charges alone, a root per equation (truncationReference).
func TestTruncationKeepsDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	tr := randomTransient(t, 400, rng)
	// Equations whose charges stay zero, at first or for good.
	for _, q := range tr.q {
		q[5], q[6] = 0, 0
	}
	reused, limited := 0, 0
	for step := range 200 {
		tr.candidateDiffs = false // step's start
		tries := 1 + rng.IntN(3)  // rejected candidates, then the accepted one
		var h float64
		for range tries {
			h = tr.dt[1] * (0.5 + rng.Float64())
			randomCharges(rng, tr.q[0])
			tr.q[0][5] = 0
			if step%7 == 0 {
				tr.q[0][6] = 0
			}
			randomCharges(rng, tr.qdot[0])
			if step%11 == 5 {
				continue // a fresh step: accepted without an estimate
			}
			if tr.diffsKnown {
				reused++
			}
			for order := 1; order <= 2; order++ {
				want, wantAt := truncationReference(tr, order, h)
				if wantAt != 0 {
					limited++
				}
				tr.worstQ = 0
				got := tr.truncation(order, h)
				if math.Float64bits(got) != math.Float64bits(want) || tr.worstQ != wantAt {
					t.Fatalf("step %d, order %d, h %g: %v (equation %d), from the charges alone %v (%d)", step, order, h, got, tr.worstQ, want, wantAt)
				}
			}
		}
		tr.accept(h)
		if step%23 == 22 { // a device event restarts the history, as fireEvents does
			for k := 1; k < len(tr.q); k++ {
				copy(tr.q[k], tr.q[0])
			}
			clear(tr.qdot[1])
			tr.diffsKnown = false
		}
	}
	if reused < 100 || limited < 100 {
		t.Errorf("only %d estimates reused kept differences, %d of them limited the step", reused, limited)
	}
	t.Logf("%d candidates reused kept differences; %d estimates limited the step", reused, limited)
}

// truncationReference is truncation from the charges alone, a root per equation at
// order 2 (as SPICE writes it); it returns the step and the equation that asked for it.
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

// BenchmarkTruncation is the estimate at order 2 over 5,006 equations (c432's unknowns):
// from the charges alone with a root per equation (as before the kept differences), from
// the charges alone with one root, and with the last point's differences kept.
func BenchmarkTruncation(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	tr := randomTransient(&testing.T{}, 5003, rng)
	h := tr.dt[1]
	tr.truncation(2, h)
	tr.accept(h)
	randomCharges(rng, tr.q[0])
	b.Run("reference", func(b *testing.B) {
		start := threadCPU()
		for range b.N {
			truncationReference(tr, 2, h)
		}
		b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
	})
	for _, known := range []bool{false, true} {
		b.Run(fmt.Sprintf("kept=%v", known), func(b *testing.B) {
			tr.diffsKnown = known
			start := threadCPU()
			for range b.N {
				tr.truncation(2, h)
			}
			b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
