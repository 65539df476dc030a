package sparse

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestBuilder(t *testing.T) {
	b := NewBuilder(3)
	if k := b.Entry(2, 1); k != 0 {
		t.Fatalf("first entry got index %d", k)
	}
	if k := b.Entry(0, 0); k != 1 {
		t.Fatalf("second entry got index %d", k)
	}
	if k := b.Entry(2, 1); k != 0 {
		t.Fatalf("repeated entry got index %d, want 0", k)
	}
	p := b.Pattern()
	b.Entry(1, 1) // must not change p
	if p.N() != 3 || p.NNZ() != 2 {
		t.Fatalf("N, NNZ = %d, %d; want 3, 2", p.N(), p.NNZ())
	}
	if r, c := p.At(0); r != 2 || c != 1 {
		t.Fatalf("At(0) = (%d, %d)", r, c)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("entry outside the matrix did not panic")
		}
	}()
	b.Entry(3, 0)
}

// realCase makes a test matrix of about n unknowns.
type realCase struct {
	name string
	make func(rng *rand.Rand, n int) (*Pattern, []float64)
}

func randomDensity(rng *rand.Rand, n int) float64 {
	// Log-uniform from about 2 values per row up to full.
	lo := math.Log(math.Min(1, 2/float64(n)))
	return math.Exp(lo * rng.Float64())
}

var realCases = []realCase{
	{"diagonally dominant", func(rng *rand.Rand, n int) (*Pattern, []float64) {
		return assemble(n, randomMatrix(rng, n, randomDensity(rng, n), false))
	}},
	{"zero diagonal", func(rng *rand.Rand, n int) (*Pattern, []float64) {
		return assemble(n, randomMatrix(rng, n, randomDensity(rng, n), true))
	}},
	{"badly scaled rows", func(rng *rand.Rand, n int) (*Pattern, []float64) {
		e := randomMatrix(rng, n, randomDensity(rng, n), true)
		scaleRowsRandomly(rng, n, e)
		return assemble(n, e)
	}},
	{"mna transient", func(rng *rand.Rand, n int) (*Pattern, []float64) {
		c := randomCircuit(rng, n)
		return assemble(c.size(), stamp(c, transient))
	}},
	{"mna dc", func(rng *rand.Rand, n int) (*Pattern, []float64) {
		c := randomCircuit(rng, n)
		return assemble(c.size(), stamp(c, func(float64) float64 { return 0 }))
	}},
}

var sizes = []int{1, 2, 3, 5, 10, 30, 100, 300}

// gonumSolve solves the row-equilibrated system with gonum's dense LU and returns its
// solution and condition number.
func gonumSolve(p *Pattern, vals, b []float64) ([]float64, float64) {
	n := p.N()
	a := mat.NewDense(n, n, nil)
	for k, v := range vals {
		r, c := p.At(k)
		a.Set(r, c, a.At(r, c)+v)
	}
	rhs := slices.Clone(b)
	for i := range n {
		m := 0.0
		for j := range n {
			m = max(m, math.Abs(a.At(i, j)))
		}
		for j := range n {
			a.Set(i, j, a.At(i, j)/m)
		}
		rhs[i] /= m
	}
	var f mat.LU
	f.Factorize(a)
	var x mat.VecDense
	if err := f.SolveVecTo(&x, false, mat.NewVecDense(n, rhs)); err != nil {
		return nil, math.Inf(1)
	}
	return x.RawVector().Data, f.Cond()
}

// checkAgainstGonum factors and solves with random b; the backward error must stay within the
// bound that the pivots' growth allows, and the solution must match gonum's dense LU to
// within the condition number times that.
func checkAgainstGonum(t *testing.T, name string, rng *rand.Rand, p *Pattern, vals []float64) {
	t.Helper()
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b := randomVector(rng, p.N())
	x := slices.Clone(b)
	lu.Solve(x)
	tol := solveTolerance(lu)
	if e := backwardError(p, vals, x, b); e > tol {
		t.Errorf("%s: backward error %.3g, bound %.3g", name, e, tol)
	}
	want, cond := gonumSolve(p, vals, b)
	if d := relativeDifference(x, want); d > 10*cond*tol {
		t.Errorf("%s: differs from gonum by %.3g (condition %.3g, growth %.3g)", name, d, cond, growth(lu))
	}
}

func TestFactorAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range realCases {
		for _, n := range sizes {
			for trial := range 3 {
				p, vals := tc.make(rng, n)
				checkAgainstGonum(t, fmt.Sprintf("%s n=%d trial %d", tc.name, n, trial), rng, p, vals)
			}
		}
	}
	c := rcMesh(12, 12)
	p, vals := assemble(c.size(), stamp(c, transient))
	checkAgainstGonum(t, "rc mesh 12x12", rng, p, vals)
	p, vals = assemble(neurons(rng, 10))
	checkAgainstGonum(t, "10 neurons", rng, p, vals)
}

// TestFactorRCMesh checks the 50x50 mesh by its residual (a dense reference would be slow).
func TestFactorRCMesh(t *testing.T) {
	c := rcMesh(50, 50)
	p, vals := assemble(c.size(), stamp(c, transient))
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	b := randomVector(rng, p.N())
	x := slices.Clone(b)
	lu.Solve(x)
	if e := backwardError(p, vals, x, b); e > 1e-14 {
		t.Errorf("backward error %.3g", e)
	}
	// The source's branch row has a zero diagonal, so it and its node row swap pivots; every
	// other pivot must stay on the diagonal.
	if s := lu.Stats(); s.OffDiagonalPivots > 2 {
		t.Errorf("%d off-diagonal pivots, want at most 2", s.OffDiagonalPivots)
	}
}

func TestFactorComplex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	omega := 2 * math.Pi * 1e9
	ac := func(C float64) complex128 { return complex(0, omega*C) }
	cases := []struct {
		name string
		make func(n int) (*Pattern, []complex128)
	}{
		{"mna ac", func(n int) (*Pattern, []complex128) {
			c := randomCircuit(rng, n)
			return assemble(c.size(), stamp(c, ac))
		}},
		{"random zero diagonal", func(n int) (*Pattern, []complex128) {
			base := randomMatrix(rng, n, randomDensity(rng, n), true)
			scaleRowsRandomly(rng, n, base)
			e := make([]entry[complex128], len(base))
			for k, r := range base {
				phase := 2 * math.Pi * rng.Float64()
				e[k] = entry[complex128]{r.row, r.col, complex(r.val*math.Cos(phase), r.val*math.Sin(phase))}
			}
			return assemble(n, e)
		}},
	}
	for _, tc := range cases {
		for _, n := range sizes {
			p, vals := tc.make(n)
			lu := NewLU[complex128](p)
			if err := lu.Factor(vals); err != nil {
				t.Fatalf("%s n=%d: %v", tc.name, n, err)
			}
			b := randomComplexVector(rng, p.N())
			x := slices.Clone(b)
			lu.Solve(x)
			if e, tol := backwardError(p, vals, x, b), solveTolerance(lu); e > tol {
				t.Errorf("%s n=%d: backward error %.3g, bound %.3g", tc.name, n, e, tol)
			}
			if d := relativeDifference(x, denseComplexSolve(p, vals, b)); d > 1e-8 {
				t.Errorf("%s n=%d: differs from the dense solve by %.3g", tc.name, n, d)
			}
		}
	}

	c := rcMesh(50, 50)
	p, vals := assemble(c.size(), stamp(c, ac))
	lu := NewLU[complex128](p)
	if err := lu.Factor(vals); err != nil {
		t.Fatal(err)
	}
	b := randomComplexVector(rng, p.N())
	x := slices.Clone(b)
	lu.Solve(x)
	if e := backwardError(p, vals, x, b); e > 1e-12 {
		t.Errorf("complex rc mesh: backward error %.3g", e)
	}
}

// TestNamedScalar checks that types defined on float64 and complex128 work too.
func TestNamedScalar(t *testing.T) {
	type volts float64
	type phasor complex128
	b := NewBuilder(2)
	b.Entry(0, 1)
	b.Entry(1, 0)
	b.Entry(1, 1)
	p := b.Pattern()
	lr := NewLU[volts](p)
	if err := lr.Factor([]volts{2, 4, 1}); err != nil {
		t.Fatal(err)
	}
	x := []volts{6, 11} // [0 2; 4 1] x = b for x = (2, 3)
	lr.Solve(x)
	if math.Abs(float64(x[0]-2)) > 1e-15 || math.Abs(float64(x[1]-3)) > 1e-15 {
		t.Errorf("real: x = %v, want [2 3]", x)
	}
	lc := NewLU[phasor](p)
	if err := lc.Factor([]phasor{2i, 4, 1}); err != nil {
		t.Fatal(err)
	}
	y := []phasor{6i, 11}
	lc.Solve(y)
	if magnitude(y[0]-2) > 1e-15 || magnitude(y[1]-3) > 1e-15 {
		t.Errorf("complex: x = %v, want [2 3]", y)
	}
}

// perturbedCircuit restamps c with every resistor scaled by a random factor in [0.8, 1.25]:
// the same pattern with new values.
func perturbedCircuit(rng *rand.Rand, c *circuit) []float64 {
	d := *c
	d.resistors = slices.Clone(c.resistors)
	for k := range d.resistors {
		d.resistors[k].value *= 0.8 + 0.45*rng.Float64()
	}
	_, vals := assemble(d.size(), stamp(&d, transient))
	return vals
}

func TestRefactorMatchesFactor(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	circuits := map[string]*circuit{
		"random 50":  randomCircuit(rng, 50),
		"random 300": randomCircuit(rng, 300),
		"rc mesh":    rcMesh(50, 50),
	}
	for name, c := range circuits {
		p, vals := assemble(c.size(), stamp(c, transient))
		lu := NewLU[float64](p)
		if err := lu.Factor(vals); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for range 3 {
			changed := perturbedCircuit(rng, c)
			if err := lu.Refactor(changed); err != nil {
				t.Fatalf("%s: refactor: %v", name, err)
			}
			fresh := NewLU[float64](p)
			if err := fresh.Factor(changed); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b := randomVector(rng, p.N())
			x, want := slices.Clone(b), slices.Clone(b)
			lu.Solve(x)
			fresh.Solve(want)
			if d := relativeDifference(x, want); d > 1e-12 {
				t.Errorf("%s: refactored solution differs by %.3g", name, d)
			}
		}
		if s := lu.Stats(); s.Factorizations != 1 || s.Refactorizations != 3 || s.Fallbacks != 0 {
			t.Errorf("%s: stats %+v, want 1 factorization, 3 refactorizations, no fallback", name, s)
		}
	}
}

func TestRefactorFallback(t *testing.T) {
	for _, factor := range []float64{1e-9, 0} {
		rng := rand.New(rand.NewPCG(9, 10))
		p, vals := assemble(30, randomMatrix(rng, 30, 0.3, false))
		lu := NewLU[float64](p)
		if err := lu.Factor(vals); err != nil {
			t.Fatal(err)
		}
		if lu.ptr[3] == lu.ptr[1] {
			t.Fatal("setup: the first pivot has nothing below it")
		}
		// Shrink the first pivot: it no longer dominates its column.
		changed := slices.Clone(vals)
		for k := range changed {
			if r, c := p.At(k); int32(r) == lu.pivotRow[0] && int32(c) == lu.colOrder[0] {
				changed[k] *= factor
			}
		}
		if err := lu.Refactor(changed); err != nil {
			t.Fatalf("factor %g: %v", factor, err)
		}
		s := lu.Stats()
		if s.Fallbacks != 1 || s.Factorizations != 2 || s.Refactorizations != 0 {
			t.Errorf("factor %g: stats %+v, want one fallback", factor, s)
		}
		b := randomVector(rng, p.N())
		x := slices.Clone(b)
		lu.Solve(x)
		if e := backwardError(p, changed, x, b); e > 1e-12 {
			t.Errorf("factor %g: backward error %.3g after the fallback", factor, e)
		}
	}
}

func TestRefactorFirstCallFactors(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	c := randomCircuit(rng, 20)
	p, vals := assemble(c.size(), stamp(c, transient))
	lu := NewLU[float64](p)
	if err := lu.Refactor(vals); err != nil {
		t.Fatal(err)
	}
	if s := lu.Stats(); s.Factorizations != 1 || s.Refactorizations != 0 || s.Fallbacks != 0 {
		t.Errorf("stats %+v, want a single factorization", s)
	}
	b := randomVector(rng, p.N())
	x := slices.Clone(b)
	lu.Solve(x)
	if e := backwardError(p, vals, x, b); e > 1e-12 {
		t.Errorf("backward error %.3g", e)
	}
}

func TestSingular(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	dc := func(float64) float64 { return 0 }
	withExtra := func(extra int, add func(c *circuit)) *circuit {
		c := randomCircuit(rng, 10)
		c.sources = nil
		c.nodes += extra
		add(c)
		return c
	}
	cases := []struct {
		name    string
		circuit *circuit
		want    []int // acceptable indices
	}{
		{"floating node", withExtra(1, func(c *circuit) {}), []int{10}},
		{"node reached only by capacitors", withExtra(1, func(c *circuit) {
			c.capacitors = append(c.capacitors, twoTerminal{11, 3, 1e-12}, twoTerminal{11, 0, 1e-12})
		}), []int{10}},
		{"parallel voltage sources", withExtra(0, func(c *circuit) {
			c.sources = []twoTerminal{{2, 0, 1}, {2, 0, 2}}
		}), []int{10, 11}},
		{"loop of three voltage sources", withExtra(0, func(c *circuit) {
			c.sources = []twoTerminal{{1, 2, 1}, {2, 3, 1}, {1, 3, 1}}
		}), []int{10, 11, 12}},
		{"floating resistor island", withExtra(20, func(c *circuit) {
			for i := 12; i <= 30; i++ {
				c.resistors = append(c.resistors, twoTerminal{i, 11 + rng.IntN(i-11), math.Pow(10, 3*rng.Float64())})
			}
			for range 20 {
				a, b := 11+rng.IntN(20), 11+rng.IntN(20)
				if a != b {
					c.resistors = append(c.resistors, twoTerminal{a, b, 1 + 7*rng.Float64()})
				}
			}
		}), []int{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29}},
	}
	for _, tc := range cases {
		p, vals := assemble(tc.circuit.size(), stamp(tc.circuit, dc))
		lu := NewLU[float64](p)
		err := lu.Factor(vals)
		var se *SingularError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, want a SingularError", tc.name, err)
			continue
		}
		if !slices.Contains(tc.want, se.Index) {
			t.Errorf("%s: singular at %d, want one of %v", tc.name, se.Index, tc.want)
		}
		if se.Error() == "" {
			t.Errorf("%s: empty message", tc.name)
		}
		b := randomVector(rng, p.N())
		lu.Solve(b)
		if !math.IsNaN(b[0]) {
			t.Errorf("%s: Solve after a failed Factor gave %v, want NaN", tc.name, b[0])
		}
	}
}

// TestTiedIslandIsNotSingular guards against false alarms: an island of 1 to 1000 ohm
// resistors tied to ground only by gmin (1e-12 S) at every node is ill-conditioned, not
// singular.
func TestTiedIslandIsNotSingular(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for range 20 {
		size := 2 + rng.IntN(100)
		c := &circuit{nodes: size}
		for i := 2; i <= size; i++ {
			c.resistors = append(c.resistors, twoTerminal{i, 1 + rng.IntN(i-1), math.Pow(10, 3*rng.Float64())})
		}
		for i := 1; i <= size; i++ {
			c.resistors = append(c.resistors, twoTerminal{i, 0, 1e12})
		}
		p, vals := assemble(c.size(), stamp(c, func(float64) float64 { return 0 }))
		lu := NewLU[float64](p)
		if err := lu.Factor(vals); err != nil {
			t.Fatalf("island of %d nodes tied by gmin: %v", size, err)
		}
		b := randomVector(rng, p.N())
		x := slices.Clone(b)
		lu.Solve(x)
		if e := backwardError(p, vals, x, b); e > solveTolerance(lu) {
			t.Errorf("island of %d nodes: backward error %.3g", size, e)
		}
	}
}

// TestRefactorTinyPivot lowers the conductance that ties an island to ground, in steps,
// through the range where Refactor must compare the island's last pivot with its column in
// A (a pivot at most 2e-13 after scaling): each Refactor either keeps the pivots and solves
// accurately, or falls back to Factor, which solves accurately or reports the island.
func TestRefactorTinyPivot(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for trial := range 10 {
		size := 2 + rng.IntN(10)
		c := &circuit{nodes: size}
		for i := 2; i <= size; i++ {
			c.resistors = append(c.resistors, twoTerminal{i, 1 + rng.IntN(i-1), 1 + 9*rng.Float64()})
		}
		tie := len(c.resistors)
		c.resistors = append(c.resistors, twoTerminal{1 + rng.IntN(size), 0, 1e9})
		p, vals := assemble(c.size(), stamp(c, func(float64) float64 { return 0 }))
		lu := NewLU[float64](p)
		if err := lu.Factor(vals); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for r := 1e9; r <= 1e17; r *= 1.6 {
			c.resistors[tie].value = r
			_, vals := assemble(c.size(), stamp(c, func(float64) float64 { return 0 }))
			before := lu.Stats()
			err := lu.Refactor(vals)
			var se *SingularError
			if err != nil {
				if !errors.As(err, &se) || lu.Stats().Fallbacks != before.Fallbacks+1 {
					t.Fatalf("trial %d, tie %.3g ohm: %v without a fallback", trial, r, err)
				}
				break
			}
			b := randomVector(rng, p.N())
			x := slices.Clone(b)
			lu.Solve(x)
			if e := backwardError(p, vals, x, b); e > solveTolerance(lu) {
				t.Errorf("trial %d, tie %.3g ohm: backward error %.3g", trial, r, e)
			}
		}
	}
}

// TestSingularAfterRefactor opens the only resistor from an island to ground: the pattern
// stays, Refactor must notice, fall back, and name an island node.
func TestSingularAfterRefactor(t *testing.T) {
	c := &circuit{nodes: 4, resistors: []twoTerminal{{1, 0, 3}, {1, 2, 7}, {2, 3, 11}, {3, 4, 13}, {4, 1, 17}, {2, 4, 19}}}
	p, vals := assemble(c.size(), stamp(c, transient))
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		t.Fatal(err)
	}
	c.resistors[0].value = math.Inf(1)
	_, open := assemble(c.size(), stamp(c, transient))
	var se *SingularError
	if err := lu.Refactor(open); !errors.As(err, &se) {
		t.Fatalf("got %v, want a SingularError", err)
	}
	if se.Index < 0 || se.Index > 3 {
		t.Errorf("singular at %d, want a node of the island", se.Index)
	}
	if s := lu.Stats(); s.Fallbacks != 1 {
		t.Errorf("stats %+v, want one fallback", s)
	}
}

func TestNotFinite(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		c := rcMesh(4, 4)
		p, vals := assemble(c.size(), stamp(c, transient))
		lu := NewLU[float64](p)
		if err := lu.Factor(vals); err != nil {
			t.Fatal(err)
		}
		vals[5] = bad
		row, col := p.At(5)
		for name, f := range map[string]func([]float64) error{"Factor": lu.Factor, "Refactor": lu.Refactor} {
			var nf *NotFiniteError
			if err := f(vals); !errors.As(err, &nf) || nf.Row != row || nf.Col != col {
				t.Errorf("%s with %v: got %v, want NotFiniteError at (%d, %d)", name, bad, err, row, col)
			}
		}
		b := make([]float64, p.N())
		lu.Solve(b)
		if !math.IsNaN(b[0]) {
			t.Errorf("Solve after a failure gave %v, want NaN", b[0])
		}
	}
	p, vals := assemble(2, []entry[complex128]{{0, 0, 1}, {1, 1, complex(1, math.NaN())}})
	var nf *NotFiniteError
	if err := NewLU[complex128](p).Factor(vals); !errors.As(err, &nf) {
		t.Errorf("complex NaN: got %v, want NotFiniteError", err)
	}
}

func TestEmptyMatrix(t *testing.T) {
	lu := NewLU[float64](NewBuilder(0).Pattern())
	if err := lu.Factor(nil); err != nil {
		t.Fatal(err)
	}
	lu.Solve(nil)
}

func TestNoAllocations(t *testing.T) {
	c := rcMesh(20, 20)
	p, vals := assemble(c.size(), stamp(c, transient))
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		t.Fatal(err)
	}
	b := make([]float64, p.N())
	checks := map[string]func(){
		"Factor":   func() { _ = lu.Factor(vals) },
		"Refactor": func() { _ = lu.Refactor(vals) },
		"Solve":    func() { lu.Solve(b) },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocations per run", name, n)
		}
	}

	ac := func(C float64) complex128 { return complex(0, 1e9*C) }
	pc, cvals := assemble(c.size(), stamp(c, ac))
	clu := NewLU[complex128](pc)
	if err := clu.Factor(cvals); err != nil {
		t.Fatal(err)
	}
	cb := make([]complex128, pc.N())
	complexChecks := map[string]func(){
		"complex Factor":   func() { _ = clu.Factor(cvals) },
		"complex Refactor": func() { _ = clu.Refactor(cvals) },
		"complex Solve":    func() { clu.Solve(cb) },
	}
	for name, f := range complexChecks {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocations per run", name, n)
		}
	}
}

// TestRowScaledDownIsNotSingular: a behavioural source V = f(v(c)) whose derivative is
// huge at the iterate (1/v(c) at v(c) = 0 gives 1e32, ngspice's x/0) leaves its branch
// row scaled down to 1e-32 in the column of its own node. The pivot that row leads to
// is as small as the terms it is the sum of, which is no cancellation: the matrix is
// ill-conditioned, not singular, and must solve (as in ngspice), by Factor and by
// Refactor (which falls back to Factor at such a pivot).
func TestRowScaledDownIsNotSingular(t *testing.T) {
	// Unknowns v(c), v(b), i(v1), i(b1): V1 c 0; R1 b 0 1k; B1 b 0 V=f(v(c)).
	matrix := func(slope float64) []entry[float64] {
		return []entry[float64]{
			{0, 2, 1},               // KCL at c: i(v1)
			{1, 1, 1e-3}, {1, 3, 1}, // KCL at b: v(b)/R1 + i(b1)
			{2, 0, 1},                 // V1: v(c)
			{3, 1, 1}, {3, 0, -slope}, // B1: v(b) - f'(v(c)) v(c)
		}
	}
	for _, slope := range []float64{-1e32, 1e32, -1e64, 1e100, -1} {
		p, vals := assemble(4, matrix(slope))
		b := []float64{0, 0, 1, 1e32}
		for _, refactor := range []bool{false, true} {
			lu := NewLU[float64](p)
			if refactor {
				_, plain := assemble(4, matrix(-1))
				if err := lu.Factor(plain); err != nil {
					t.Fatal(err)
				}
				if err := lu.Refactor(vals); err != nil {
					t.Errorf("slope %g: Refactor: %v", slope, err)
					continue
				}
			} else if err := lu.Factor(vals); err != nil {
				t.Errorf("slope %g: Factor: %v", slope, err)
				continue
			}
			x := slices.Clone(b)
			lu.Solve(x)
			e := backwardError(p, vals, x, b)
			t.Logf("slope %g (refactor %v): backward error %.3g", slope, refactor, e)
			if e > 1e-15 { // 0 and 5e-33 measured: a backward-stable solve
				t.Errorf("slope %g: backward error %.3g", slope, e)
			}
		}
	}
}

// TestRefactorKeepsUnchangedColumns changes a few values of a circuit's matrix between
// refactorizations, as a transient whose devices mostly bypass does: the columns Refactor
// keeps must leave the factors and solutions bit-identical to recomputing every column.
func TestRefactorKeepsUnchangedColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for name, c := range map[string]*circuit{"random 150": randomCircuit(rng, 150), "rc mesh": rcMesh(20, 20)} {
		p, vals := assemble(c.size(), stamp(c, transient))
		lu, all := NewLU[float64](p), NewLU[float64](p)
		if err := lu.Factor(vals); err != nil {
			t.Fatal(err)
		}
		if err := all.Factor(vals); err != nil {
			t.Fatal(err)
		}
		kept := 0
		for round := range 20 {
			// A few values scaled (a row's largest too, now and then: its scale changes).
			for range 1 + round%4 {
				vals[rng.IntN(len(vals))] *= 1 + 0.1*rng.Float64()
			}
			before := lu.Stats().ColumnsKept
			if err := lu.Refactor(vals); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			all.kept = false // every column recomputed
			if err := all.Refactor(vals); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(lu.val, all.val) {
				t.Fatalf("%s, round %d: the factors differ from those of a whole refactorization", name, round)
			}
			b := randomVector(rng, p.N())
			x, want := slices.Clone(b), slices.Clone(b)
			lu.Solve(x)
			all.Solve(want)
			if !slices.Equal(x, want) {
				t.Fatalf("%s, round %d: the solutions differ", name, round)
			}
			if round > 0 {
				kept += lu.Stats().ColumnsKept - before
			}
		}
		if s := lu.Stats(); s.Fallbacks != 0 || kept == 0 {
			t.Errorf("%s: %d columns kept over 19 refactorizations of %d columns, %d fallbacks", name, kept, p.N(), s.Fallbacks)
		}
		t.Logf("%s: %d of %d columns kept over 19 refactorizations", name, kept, 19*p.N())
	}
}

// TestRefactorRescaledRow changes only a row's largest value: its scale changes, and so
// does every scaled value of the row, in columns whose own values did not. Refactor must
// recompute those columns (and what reads them) and still keep the others.
func TestRefactorRescaledRow(t *testing.T) {
	for name, c := range map[string]*circuit{"random 150": randomCircuit(rand.New(rand.NewPCG(13, 14)), 150), "rc mesh": rcMesh(20, 20)} {
		p, vals := assemble(c.size(), stamp(c, transient))
		lu, all := NewLU[float64](p), NewLU[float64](p)
		for _, f := range []func([]float64) error{lu.Factor, lu.Refactor, all.Factor} {
			if err := f(vals); err != nil {
				t.Fatal(err)
			}
		}
		for _, row := range []int32{0, int32(p.N() / 3), int32(p.N() / 2)} {
			// The row's largest value, in a row with entries besides it.
			largest, others := -1, 0
			for v, r := range p.rows {
				if r != row {
					continue
				}
				others++
				if largest < 0 || math.Abs(vals[v]) > math.Abs(vals[largest]) {
					largest = v
				}
			}
			if others < 2 {
				t.Fatalf("%s: row %d has %d entries", name, row, others)
			}
			vals[largest] *= 4 // two binades up: the row's power-of-two scale changes
			before := lu.Stats().ColumnsKept
			if err := lu.Refactor(vals); err != nil {
				t.Fatal(err)
			}
			all.kept = false
			if err := all.Refactor(vals); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(lu.val, all.val) {
				t.Fatalf("%s, row %d rescaled: the factors differ from those of a whole refactorization", name, row)
			}
			if lu.Stats().ColumnsKept == before {
				t.Errorf("%s, row %d rescaled: no column kept", name, row)
			}
		}
	}
}

// TestInverseScale checks that a row's scale is the power of two that brings its largest
// magnitude into [1, 2), and 1/max outside the exponents that have one.
func TestInverseScale(t *testing.T) {
	for _, m := range []float64{1, 1.5, 1.9999999, 3, 1e-300, 2.5e-308, 1e300, 4.2e-5, 7e12} {
		s, ok := inverseScale(math.Float64bits(m))
		if !ok {
			t.Fatalf("%g: no scale", m)
		}
		if frac, _ := math.Frexp(s); frac != 0.5 {
			t.Errorf("%g: scale %g is not a power of two", m, s)
		}
		if p := m * s; p < 1 || p >= 2 {
			t.Errorf("%g: scaled to %g, not in [1, 2)", m, p)
		}
	}
	for _, m := range []float64{1.5e-308, 1e308} { // a subnormal maximum; one of 2^1023 or more
		if s, ok := inverseScale(math.Float64bits(m)); !ok || s != 1/m {
			t.Errorf("%g: scale %g, %v; want 1/max", m, s, ok)
		}
	}
	for _, m := range []float64{0, 1e-310, math.Inf(1), math.NaN()} {
		if _, ok := inverseScale(math.Float64bits(m)); ok {
			t.Errorf("%g: scaled; want an error", m)
		}
	}
}

// TestScalesFromMaximaAsInverseScale: the rows' scales, whose common case
// scalesFromMaxima writes out, are inverseScale's bit for bit on either side of the
// normal exponents' bounds, and a row it cannot scale is an error.
func TestScalesFromMaximaAsInverseScale(t *testing.T) {
	maxima := []float64{1, 1.5, 3, 0.75, 1e-300, 2.5e-308, 2.2250738585072014e-308, 1.5e-308,
		1e300, 8.98846567431158e307, 1e308, math.MaxFloat64, 4.2e-5, 7e12}
	n := len(maxima)
	rows, cols := make([]int32, n), make([]int32, n)
	for i := range rows {
		rows[i], cols[i] = int32(i), int32(i)
	}
	p, err := NewPattern(n, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	lu := NewLU[float64](p)
	vals := slices.Clone(maxima)
	for i, m := range maxima {
		lu.rowMax[i] = math.Float64bits(m)
	}
	scale := make([]float64, n)
	if err := lu.scalesFromMaxima(vals, scale, nil); err != nil {
		t.Fatal(err)
	}
	for i, m := range maxima {
		want, ok := inverseScale(math.Float64bits(m))
		if !ok || math.Float64bits(scale[i]) != math.Float64bits(want) {
			t.Errorf("max %g: scale %g, inverseScale's %g (%v)", m, scale[i], want, ok)
		}
	}
	for _, m := range []float64{0, 1e-310, math.Inf(1)} {
		vals[3], lu.rowMax[3] = m, math.Float64bits(m)
		if err := lu.scalesFromMaxima(vals, scale, nil); err == nil {
			t.Errorf("max %g: scaled; want an error", m)
		}
	}
}

// TestRefactorKeepsScaleInBinade changes a row's largest value within its binade: the
// row keeps its scale, so the columns that only share the row are kept, and the factors
// are still those of a whole refactorization.
func TestRefactorKeepsScaleInBinade(t *testing.T) {
	c := rcMesh(20, 20)
	p, vals := assemble(c.size(), stamp(c, transient))
	lu, all := NewLU[float64](p), NewLU[float64](p)
	for _, f := range []func([]float64) error{lu.Factor, lu.Refactor, all.Factor} {
		if err := f(vals); err != nil {
			t.Fatal(err)
		}
	}
	row := int32(p.N() / 2)
	largest := -1
	for v, r := range p.rows {
		if r == row && (largest < 0 || math.Abs(vals[v]) > math.Abs(vals[largest])) {
			largest = v
		}
	}
	frac, exp := math.Frexp(vals[largest])
	vals[largest] = math.Ldexp(math.Copysign(0.5+(math.Abs(frac)-0.5)/2, frac), exp) // same binade, smaller
	if err := lu.Refactor(vals); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(lu.rescaled, true) {
		t.Errorf("a row was rescaled by a change within its binade")
	}
	all.kept = false
	if err := all.Refactor(vals); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lu.val, all.val) {
		t.Fatalf("the factors differ from those of a whole refactorization")
	}
}
