package sparse

import (
	"math/rand/v2"
	"testing"
)

// benchMesh is the 50x50 RC mesh at a 0.5 ns step: 2,502 unknowns.
func benchMesh(b *testing.B) (*LU[float64], []float64) {
	c := rcMesh(50, 50)
	p, vals := assemble(c.size(), stamp(c, transient))
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		b.Fatal(err)
	}
	return lu, vals
}

func BenchmarkNewLU(b *testing.B) {
	c := rcMesh(50, 50)
	p, _ := assemble(c.size(), stamp(c, transient))
	for b.Loop() {
		NewLU[float64](p)
	}
}

func BenchmarkFactor(b *testing.B) {
	lu, vals := benchMesh(b)
	for b.Loop() {
		if err := lu.Factor(vals); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lu.Stats().NNZ), "nnz(L+U)")
}

func BenchmarkRefactor(b *testing.B) {
	lu, vals := benchMesh(b)
	for b.Loop() {
		if err := lu.Refactor(vals); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lu.Stats().NNZ), "nnz(L+U)")
}

func BenchmarkSolve(b *testing.B) {
	lu, _ := benchMesh(b)
	rhs := randomVector(rand.New(rand.NewPCG(1, 1)), lu.n)
	for b.Loop() {
		lu.Solve(rhs)
	}
}

// benchNeurons is the Jacobian of 100 neurons (neurons100.cir): 602 unknowns in blocks of
// six tied together by the supply node.
func benchNeurons(b *testing.B) (*LU[float64], []float64) {
	p, vals := assemble(neurons(rand.New(rand.NewPCG(1, 1)), 100))
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		b.Fatal(err)
	}
	return lu, vals
}

func BenchmarkFactorNeurons(b *testing.B) {
	lu, vals := benchNeurons(b)
	for b.Loop() {
		if err := lu.Factor(vals); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lu.Stats().NNZ), "nnz(L+U)")
}

func BenchmarkRefactorNeurons(b *testing.B) {
	lu, vals := benchNeurons(b)
	for b.Loop() {
		if err := lu.Refactor(vals); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lu.Stats().NNZ), "nnz(L+U)")
}

func BenchmarkSolveNeurons(b *testing.B) {
	lu, _ := benchNeurons(b)
	rhs := randomVector(rand.New(rand.NewPCG(1, 1)), lu.n)
	for b.Loop() {
		lu.Solve(rhs)
	}
}

func benchComplexMesh(b *testing.B) (*LU[complex128], []complex128) {
	c := rcMesh(50, 50)
	p, vals := assemble(c.size(), stamp(c, func(C float64) complex128 { return complex(0, 2*3.14159e9*C) }))
	lu := NewLU[complex128](p)
	if err := lu.Factor(vals); err != nil {
		b.Fatal(err)
	}
	return lu, vals
}

func BenchmarkRefactorComplex(b *testing.B) {
	lu, vals := benchComplexMesh(b)
	for b.Loop() {
		if err := lu.Refactor(vals); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSolveComplex(b *testing.B) {
	lu, _ := benchComplexMesh(b)
	rhs := randomComplexVector(rand.New(rand.NewPCG(1, 1)), lu.n)
	for b.Loop() {
		lu.Solve(rhs)
	}
}

func BenchmarkAMD100k(b *testing.B) {
	p := meshPattern(317, 317)
	start, list := p.symmetricAdjacency()
	for b.Loop() {
		amdOrder(p.N(), start, list)
	}
}
