package sparse

import (
	"math/rand/v2"
	"testing"
	"time"
)

// meshPattern is the 5-point stencil on a w x h grid, diagonal included.
func meshPattern(w, h int) *Pattern {
	b := NewBuilder(w * h)
	for y := range h {
		for x := range w {
			i := y*w + x
			b.Entry(i, i)
			if x+1 < w {
				b.Entry(i, i+1)
				b.Entry(i+1, i)
			}
			if y+1 < h {
				b.Entry(i, i+w)
				b.Entry(i+w, i)
			}
		}
	}
	return b.Pattern()
}

func checkPermutation(t *testing.T, name string, order []int32, n int) {
	t.Helper()
	if len(order) != n {
		t.Fatalf("%s: order has %d entries, want %d", name, len(order), n)
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || int(i) >= n || seen[i] {
			t.Fatalf("%s: order is not a permutation (entry %d)", name, i)
		}
		seen[i] = true
	}
}

func amdOf(p *Pattern) []int32 {
	start, list := p.symmetricAdjacency()
	return amdOrder(p.N(), start, list)
}

func TestAMDPermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{0, 1, 2, 5, 50, 500} {
		for range 5 {
			b := NewBuilder(n)
			density := rng.Float64() * 4 / float64(max(n, 1))
			for i := range n {
				for j := range n {
					if rng.Float64() < density {
						b.Entry(i, j) // unsymmetric, duplicates through A+A^T, some empty rows
					}
				}
			}
			checkPermutation(t, "random", amdOf(b.Pattern()), n)
		}
	}
	// A supply net touching every node is dense and must come last.
	n := 400
	b := NewBuilder(n)
	for i := 1; i < n; i++ {
		b.Entry(0, i)
		b.Entry(i, 0)
		if i+1 < n {
			b.Entry(i, i+1)
		}
	}
	order := amdOf(b.Pattern())
	checkPermutation(t, "dense node", order, n)
	if order[n-1] != 0 {
		t.Errorf("dense node ordered at %d, want last", order[n-1])
	}
	checkPermutation(t, "mesh", amdOf(meshPattern(30, 17)), 30*17)
}

// meshValues makes the mesh diagonally dominant, so LU keeps diagonal pivots and its fill
// is the ordering's.
func meshValues(p *Pattern) []float64 {
	vals := make([]float64, p.NNZ())
	for k := range vals {
		if r, c := p.At(k); r == c {
			vals[k] = 5
		} else {
			vals[k] = -1
		}
	}
	return vals
}

func TestAMDFill(t *testing.T) {
	p := meshPattern(40, 40)
	vals := meshValues(p)
	natural := make([]int32, p.N())
	for i := range natural {
		natural[i] = int32(i)
	}
	fill := map[string]int{}
	for name, lu := range map[string]*LU[float64]{
		"amd":     NewLU[float64](p),
		"natural": newLUWithOrder[float64](p, natural),
	} {
		if err := lu.Factor(vals); err != nil {
			t.Fatal(err)
		}
		fill[name] = lu.Stats().NNZ
	}
	t.Logf("nnz(L+U) on a 40x40 mesh: amd %d, natural %d", fill["amd"], fill["natural"])
	if 3*fill["amd"] >= fill["natural"] {
		t.Errorf("AMD fill %d is not below a third of natural order's %d", fill["amd"], fill["natural"])
	}
}

func TestAMDLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large ordering")
	}
	p := meshPattern(317, 317) // about 100k unknowns
	start, list := p.symmetricAdjacency()
	begin := time.Now()
	order := amdOrder(p.N(), start, list)
	elapsed := time.Since(begin)
	checkPermutation(t, "100k mesh", order, p.N())
	t.Logf("AMD on %d unknowns: %v", p.N(), elapsed)
	if elapsed > 3*time.Second {
		t.Errorf("AMD on %d unknowns took %v", p.N(), elapsed)
	}
}
