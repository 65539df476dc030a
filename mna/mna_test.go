package mna

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestBuilderNumbersAndHandles(t *testing.T) {
	b := NewBuilder(Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	a, g, a2 := b.Node("a"), b.Node("0"), b.Node("a")
	k := b.Branch("v1")
	s := b.State("y1.f", 1e-6)
	if g != Ground || a != 1 || a2 != a || k != 2 || s != 3 {
		t.Fatalf("numbering a=%d ground=%d again=%d branch=%d state=%d", a, g, a2, k, s)
	}
	if h := b.Entry(a, Ground); h != 0 {
		t.Errorf("an entry in the ground column got handle %d, want the trash handle 0", h)
	}
	h1, h2 := b.Entry(a, k), b.Entry(a, k)
	if h1 == 0 || h1 != h2 {
		t.Errorf("the same entry got handles %d and %d", h1, h2)
	}
	sys := b.Build()
	if sys.N != 3 || sys.Unknowns[s].AbsTol != 1e-6 || sys.Unknowns[k].AbsTol != 1e-12 || sys.Unknowns[a].AbsTol != 1e-6 {
		t.Errorf("unknowns %+v", sys.Unknowns)
	}
	for _, label := range []string{"v(a)", "i(v1)", "state(y1.f)"} {
		if _, ok := sys.Lookup(label); !ok {
			t.Errorf("no %s", label)
		}
	}
	if r, c := sys.Pattern.At(int(h1) - 1); r != a-1 || c != k-1 {
		t.Errorf("handle %d is at (%d,%d), want (%d,%d)", h1, r, c, a-1, k-1)
	}
}

// divider: a source V1 at node a, R1 from a to b, R2 from b to ground.
func divider(t *testing.T) (*System, []float64, func(r1, r2 float64)) {
	b := NewBuilder(Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	na, nb, k := b.Node("a"), b.Node("b"), b.Branch("v1")
	haa, hab, hba, hbb := b.Entry(na, na), b.Entry(na, nb), b.Entry(nb, na), b.Entry(nb, nb)
	hak, hka := b.Entry(na, k), b.Entry(k, na)
	sys := b.Build()
	jac := make([]float64, sys.NumHandles())
	set := func(r1, r2 float64) {
		clear(jac)
		g1, g2 := 1/r1, 1/r2
		jac[haa] += g1
		jac[hab] -= g1
		jac[hba] -= g1
		jac[hbb] += g1 + g2
		jac[hak], jac[hka] = 1, 1
	}
	return sys, jac, set
}

func TestSolverRefactorsOnlyWhenTheMatrixChanges(t *testing.T) {
	sys, jac, set := divider(t)
	s := NewSolver[float64](sys)
	set(1e3, 3e3)
	for range 3 {
		if err := s.Factor(jac); err != nil {
			t.Fatal(err)
		}
	}
	if s.Factors != 1 {
		t.Errorf("%d factorizations of an unchanged matrix, want 1", s.Factors)
	}
	rhs := []float64{0, 0, 0, 4} // V1 = 4 V
	if err := s.Solve(rhs); err != nil {
		t.Fatal(err)
	}
	if math.Abs(rhs[2]-3) > 1e-12 || math.Abs(rhs[3]+1e-3) > 1e-15 {
		t.Errorf("v(b) = %g, i(v1) = %g; want 3 V and -1 mA", rhs[2], rhs[3])
	}
	set(1e3, 1e3)
	if err := s.Factor(jac); err != nil {
		t.Fatal(err)
	}
	if s.Factors != 2 {
		t.Errorf("a changed matrix was not factored again")
	}
}

func TestSolverNamesTheSingularUnknown(t *testing.T) {
	sys, jac, set := divider(t)
	set(1e3, 3e3)
	for h := 1; h < len(jac); h++ {
		if r, c := sys.Pattern.At(h - 1); r == 1 || c == 1 {
			jac[h] = 0 // disconnect b (unknown 2, matrix index 1) from everything
		}
	}
	err := NewSolver[float64](sys).Factor(jac)
	var se *SingularError
	if !errors.As(err, &se) || se.Unknown.Name != "b" {
		t.Fatalf("error %v, want a singular matrix at node b", err)
	}
	t.Log(err)
}

func TestBranchIsSharedByItsName(t *testing.T) {
	b := NewBuilder(Tolerances{})
	first := b.Branch("v1") // a controlled source asking before v1 sets up
	b.Node("a")
	if again := b.Branch("v1"); again != first {
		t.Fatalf("Branch(v1) = %d, then %d: want one unknown", first, again)
	}
	if other := b.Branch("v2"); other == first {
		t.Fatalf("Branch(v2) reused v1's index %d", first)
	}
	if n := len(b.Build().Unknowns); n != 4 {
		t.Fatalf("%d unknowns (with ground), want 4", n)
	}
}

// TestSingularBranchMessage: a singular matrix at the branch of a voltage source or an
// inductor is a loop of them; at that of a controlled source (E, H, B) it may be its own
// equation that fixes nothing (B1 b 0 V={v(b)}), which the message must allow for
// rather than claim a loop.
func TestSingularBranchMessage(t *testing.T) {
	for _, c := range []struct {
		name string
		loop bool // the message of a loop of sources
		own  bool // the message that allows for the source's own equation
	}{
		{"v1", true, false},
		{"x1.l2", true, false},
		{"b1", false, true},
		{"x2.x1.E3", false, true},
		{"h1", false, true},
	} {
		msg := (&SingularError{Unknown: Unknown{Name: c.name, Kind: Branch}}).Error()
		if !strings.Contains(msg, "branch current of "+c.name) ||
			strings.Contains(msg, "a source shorted by one") != c.loop ||
			strings.Contains(msg, "depends on its own voltage or current") != c.own {
			t.Errorf("%s: %q", c.name, msg)
		}
	}
}

// TestEntryHandlesCrowdedRows: entries asked for in any order, again and again, get one
// handle each, numbered in the order first asked, at their place in the pattern, in
// rows of a few entries and in rows crowded past crowdedRow (a supply node's), with
// Reserve called first and without.
func TestEntryHandlesCrowdedRows(t *testing.T) {
	for _, reserve := range []bool{false, true} {
		b := NewBuilder(Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
		if reserve {
			b.Reserve(10, 40)
		}
		const n = 200
		for i := 1; i <= n; i++ {
			b.Node(fmt.Sprint("n", i))
		}
		rng := rand.New(rand.NewPCG(1, 2))
		want := map[[2]int]Handle{}
		for range 20000 {
			r, c := 1+rng.IntN(n), 1+rng.IntN(n)
			if rng.IntN(3) == 0 {
				r = 7 // a crowded row
			}
			if rng.IntN(3) == 0 {
				c = 9 // and a crowded column
			}
			h := b.Entry(r, c)
			w, ok := want[[2]int{r, c}]
			if !ok {
				w = Handle(len(want) + 1)
				want[[2]int{r, c}] = w
			}
			if h != w {
				t.Fatalf("reserve %v: entry (%d,%d) got handle %d, want %d", reserve, r, c, h, w)
			}
		}
		if b.first[7] >= 0 {
			t.Fatalf("reserve %v: row 7 holds %d entries and is not crowded", reserve, n)
		}
		sys := b.Build()
		for rc, h := range want {
			if r, c := sys.Pattern.At(int(h) - 1); r != rc[0]-1 || c != rc[1]-1 {
				t.Fatalf("reserve %v: handle %d is at (%d,%d), want (%d,%d)", reserve, h, r, c, rc[0]-1, rc[1]-1)
			}
		}
	}
}
