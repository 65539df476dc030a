package sparse

import (
	"math/rand/v2"
	"testing"
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
		"natural": newLUWithOrder[float64](p, natural, nil),
	} {
		if err := lu.Factor(vals); err != nil {
			t.Fatal(err)
		}
		fill[name] = lu.Stats().NNZ
	}
	t.Logf("nnz(L+U) on a 40x40 mesh: amd %d, natural %d", fill["amd"], fill["natural"])
	// The symbolic count of TestAMDLarge gives the same fill in natural order, where the
	// diagonally dominant mesh keeps LU's pivots on the diagonal: L and U mirror each
	// other.
	start, list := p.symmetricAdjacency()
	for name, order := range map[string][]int32{"natural": natural, "amd": amdOf(p)} {
		if nnz, _ := choleskyCounts(p.N(), start, list, order); 2*int(nnz)+p.N() != fill[name] {
			t.Errorf("%s order: symbolic count 2 x %d + %d, LU's %d", name, nnz, p.N(), fill[name])
		}
	}
	if 3*fill["amd"] >= fill["natural"] {
		t.Errorf("AMD fill %d is not below a third of natural order's %d", fill["amd"], fill["natural"])
	}
}

// choleskyCounts returns the number of nonzeros below the diagonal of the Cholesky factor
// of the symmetric graph (adjacency list[start[i]:start[i+1]]) eliminated in order, and
// the operation count of that factorization, the sum of the squares of its columns'
// counts; from the elimination tree and the row subtrees, without factoring.
func choleskyCounts(n int, start, list []int32, order []int32) (nnz, flops int64) {
	pos := make([]int32, n) // pos[v]: when v is eliminated
	for k, v := range order {
		pos[v] = int32(k)
	}
	parent, ancestor := make([]int32, n), make([]int32, n)
	for k := range n {
		parent[k], ancestor[k] = -1, -1
		v := order[k]
		for _, u := range list[start[v]:start[v+1]] {
			// Liu's algorithm with path compression, in elimination positions.
			for j := pos[u]; j < int32(k) && j >= 0; {
				next := ancestor[j]
				ancestor[j] = int32(k)
				if next < 0 {
					parent[j] = int32(k)
					break
				}
				j = next
			}
		}
	}
	// Row k of L has a nonzero in every column on the tree paths from its neighbours
	// eliminated before it up to k.
	count := make([]int64, n)
	mark := make([]int32, n)
	for k := range n {
		mark[k] = int32(k)
		v := order[k]
		for _, u := range list[start[v]:start[v+1]] {
			for j := pos[u]; j < int32(k) && mark[j] != int32(k); j = parent[j] {
				mark[j] = int32(k)
				count[j]++
			}
		}
	}
	for _, c := range count {
		nnz += c
		flops += c * c
	}
	return nnz, flops
}

// TestAMDLarge orders a mesh of about 100k unknowns and holds the fill of the order it
// finds, counted symbolically (the count TestAMDFill checks against LU's): 3.33e6
// nonzeros in L (33 per unknown) and 6.0e8 for the operation count of a factorization,
// against 3.2e7 and 1.0e10 in the natural (banded) order. The bounds are about a fifth
// above what it measured. How long the ordering takes is BenchmarkAMDLarge's to say: a
// test asserts no time.
func TestAMDLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large ordering")
	}
	p := meshPattern(317, 317) // about 100k unknowns
	start, list := p.symmetricAdjacency()
	order := amdOrder(p.N(), start, list)
	checkPermutation(t, "100k mesh", order, p.N())
	nnz, flops := choleskyCounts(p.N(), start, list, order)
	natural := make([]int32, p.N())
	for i := range natural {
		natural[i] = int32(i)
	}
	nnzNat, flopsNat := choleskyCounts(p.N(), start, list, natural)
	t.Logf("%d unknowns: nnz(L) %d and operation count %.3g with AMD, %d and %.3g in natural order", p.N(), nnz, float64(flops), nnzNat, float64(flopsNat))
	const maxNNZ, maxFlops = 4.0e6, 7.5e8
	if nnz > maxNNZ || flops > maxFlops {
		t.Errorf("AMD fill: nnz(L) %d (at most %.3g), operation count %d (at most %.3g)", nnz, maxNNZ, flops, maxFlops)
	}
}

// BenchmarkAMDLarge times the ordering of the mesh of TestAMDLarge.
func BenchmarkAMDLarge(b *testing.B) {
	p := meshPattern(317, 317)
	start, list := p.symmetricAdjacency()
	for b.Loop() {
		amdOrder(p.N(), start, list)
	}
}
