// Package mna numbers a circuit's unknowns (node voltages, branch currents, device
// states), builds the sparse pattern once, hands out stamp handles and holds the system.
package mna

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gospice/gospice/internal/hugepages"
	"github.com/gospice/gospice/mna/sparse"
)

// Kind says what an unknown is; its equation (the row of the same index) is of the same kind:
// KCL for a node, a branch relation for a branch current, a rate equation for a state.
type Kind uint8

const (
	Node Kind = iota
	Branch
	State
)

// Unknown is one entry of x.
type Unknown struct {
	Name     string // node name ("out"), branch ("v1"), state ("y1.f")
	Kind     Kind
	AbsTol   float64 // absolute tolerance of the Newton update test
	Internal bool    // a device's internal node ("q1#collector")
	Written  bool    // an internal node that default outputs include, as ngspice writes it
}

// Default reports whether the unknown is in the default outputs (no .save, or .save
// all): every node, branch and state but the internal nodes ngspice leaves out.
func (u Unknown) Default() bool { return !u.Internal || u.Written }

// Label is how the unknown is named in output: v(out), i(v1), state(y1.f).
func (u Unknown) Label() string {
	switch u.Kind {
	case Node:
		return "v(" + u.Name + ")"
	case Branch:
		return "i(" + u.Name + ")"
	default:
		return "state(" + u.Name + ")"
	}
}

// Handle indexes a matrix value (G, C or the Jacobian). Handle 0 is a trash slot that
// receives every stamp into a ground row or column, so devices stamp without branches.
type Handle int32

// Ground is the index of the ground node; x[Ground] is always 0 and row 0 is a trash row.
const Ground = 0

// Tolerances are the absolute tolerances given to unknowns as they are created.
type Tolerances struct {
	VnTol  float64 // node voltages (V)
	AbsTol float64 // branch currents (A)
}

// Builder collects unknowns and matrix entries while devices are set up.
type Builder struct {
	tol      Tolerances
	unknowns []Unknown
	nodes    map[string]int
	names    map[string]int // labels of the unknowns that are not nodes (nodes has those)
	rows     []int32        // the entries' rows and columns in handle order (handle k is
	cols     []int32        // at rows[k-1], cols[k-1])

	// An entry is found by walking its row's chain: first[row] is the row's latest
	// handle, next[k-1] the one before handle k (0 ends it). Rows hold a few entries
	// each, and walking them beats a map of every entry, whose lookups miss the cache.
	// A row whose chain grows past crowdedRow (a supply node) moves to crowded instead,
	// by row<<32 | col, and its first is -1.
	first   []Handle
	next    []Handle
	crowded map[uint64]Handle
}

// crowdedRow is the longest chain an entry is looked for in before its row moves to the map.
const crowdedRow = 32

// NewBuilder starts a system whose only unknown is ground.
func NewBuilder(tol Tolerances) *Builder {
	return &Builder{
		tol:      tol,
		unknowns: []Unknown{{Name: "0", Kind: Node}},
		nodes:    map[string]int{"0": Ground},
		names:    map[string]int{},
	}
}

// Reserve makes room for about nodes unknowns and entries matrix entries, before the
// first is added: a large circuit is then numbered without its maps growing step by step.
// It does nothing once the builder holds more than ground.
func (b *Builder) Reserve(nodes, entries int) {
	if len(b.unknowns) > 1 || len(b.rows) > 0 {
		return
	}
	b.unknowns = slices.Grow(b.unknowns, nodes)
	hugepages.Advise(b.unknowns) // a large circuit's first writes fault in 2 MiB pages
	b.nodes = make(map[string]int, nodes)
	b.nodes["0"] = Ground
	b.names = make(map[string]int) // branches and states: few, beside the nodes
	b.rows, b.cols = make([]int32, 0, entries), make([]int32, 0, entries)
	b.next = make([]Handle, 0, entries)
	b.first = make([]Handle, 0, nodes+1)
}

// Node returns the index of the named node, creating it on first use. "0" is ground.
func (b *Builder) Node(name string) int {
	if i, ok := b.nodes[name]; ok {
		return i
	}
	i := b.add(Unknown{Name: name, Kind: Node, AbsTol: b.tol.VnTol})
	b.nodes[name] = i
	return i
}

// InternalNode creates a device's internal node, named "device#what" as ngspice names them,
// left out of the default outputs as ngspice leaves out the nodes behind a device's series
// resistances (its drain, source, collector, base, emitter, a diode's internal node).
func (b *Builder) InternalNode(device, what string) int {
	return b.internal(device, what, false)
}

// WrittenNode creates a device's internal node that the default outputs include, as
// ngspice 39 writes it by default (a VBIC's collCI, a BSIM4's body, a VDMOS's gate).
func (b *Builder) WrittenNode(device, what string) int {
	return b.internal(device, what, true)
}

func (b *Builder) internal(device, what string, written bool) int {
	name := device + "#" + what
	i := b.add(Unknown{Name: name, Kind: Node, AbsTol: b.tol.VnTol, Internal: true, Written: written})
	b.nodes[name] = i
	return i
}

// Branch returns the branch-current unknown named after its element, creating it on
// first use: a controlled source may ask for its controlling source's branch before or
// after that source sets itself up, and both get the same index.
func (b *Builder) Branch(name string) int {
	u := Unknown{Name: name, Kind: Branch, AbsTol: b.tol.AbsTol}
	if i, ok := b.names[u.Label()]; ok {
		return i
	}
	return b.add(u)
}

// State creates a device state unknown ("y1.f") with its own absolute tolerance.
func (b *Builder) State(name string, absTol float64) int {
	return b.add(Unknown{Name: name, Kind: State, AbsTol: absTol})
}

func (b *Builder) add(u Unknown) int {
	i := len(b.unknowns)
	b.unknowns = append(b.unknowns, u)
	if u.Kind != Node { // a node's label is found from its name (see Lookup)
		b.names[u.Label()] = i
	}
	return i
}

// Entry reserves the matrix entry (row, col) and returns its handle; an entry in a
// ground row or column returns the trash handle 0.
func (b *Builder) Entry(row, col int) Handle {
	if row == Ground || col == Ground {
		return 0
	}
	if row >= len(b.first) {
		b.first = append(b.first, make([]Handle, max(row+1, len(b.unknowns))-len(b.first))...)
	}
	if b.first[row] < 0 {
		key := uint64(row)<<32 | uint64(uint32(col))
		if h, ok := b.crowded[key]; ok {
			return h
		}
		h := b.newEntry(row, col)
		b.crowded[key] = h
		return h
	}
	n := 0
	for h := b.first[row]; h != 0; h = b.next[h-1] {
		if b.cols[h-1] == int32(col)-1 {
			return h
		}
		n++
	}
	h := b.newEntry(row, col)
	b.next[h-1] = b.first[row]
	b.first[row] = h
	if n >= crowdedRow {
		b.crowd(row)
	}
	return h
}

// newEntry numbers the entry (row, col), in no chain yet.
func (b *Builder) newEntry(row, col int) Handle {
	b.rows = append(b.rows, int32(row)-1) // 0-based in the sparse matrix, without ground
	b.cols = append(b.cols, int32(col)-1)
	b.next = append(b.next, 0)
	return Handle(len(b.rows))
}

// crowd moves the entries of row's chain to the map of crowded rows.
func (b *Builder) crowd(row int) {
	if b.crowded == nil {
		b.crowded = map[uint64]Handle{}
	}
	for h := b.first[row]; h != 0; h = b.next[h-1] {
		b.crowded[uint64(row)<<32|uint64(uint32(b.cols[h-1]+1))] = h
	}
	b.first[row] = -1
}

// Build freezes the unknowns and the pattern. Every node and state gets its diagonal
// entry, which gmin stepping, shunts and .ic clamps use. A branch current's stays out
// unless its element reserved it: a voltage source's is always zero, and kept out, its
// branch equation to ground is a row with one entry, which the LU pivots on first at no
// cost (sparse.NewLU); a structural zero there would make a supply node's column fill.
func (b *Builder) Build() *System {
	n := len(b.unknowns) - 1
	diag := make([]Handle, n+1)
	for i := 1; i <= n; i++ {
		if b.unknowns[i].Kind != Branch {
			diag[i] = b.Entry(i, i)
		}
	}
	// Entry numbered each entry once: the pattern is built from the lists as they are.
	pattern, err := sparse.NewPattern(n, slices.Clip(b.rows), slices.Clip(b.cols))
	if err != nil {
		panic("mna: " + err.Error()) // Entry keeps entries distinct and inside
	}
	return &System{
		Unknowns: b.unknowns,
		N:        n,
		Pattern:  pattern,
		Diag:     diag,
		nodes:    b.nodes,
		labels:   b.names,
	}
}

// System is a built circuit system: unknowns, pattern and the diagonal handles.
type System struct {
	Unknowns []Unknown // index 0 is ground
	N        int       // number of unknowns, ground excluded
	Pattern  *sparse.Pattern
	Diag     []Handle       // Diag[i] is the handle of entry (i, i) of a node or state; 0 (trash) for a branch and ground
	nodes    map[string]int // the nodes by name, ground and internal nodes included
	labels   map[string]int // the other unknowns by label
}

// Lookup finds an unknown by its label ("v(out)", "i(v1)", "state(y1.f)").
func (s *System) Lookup(label string) (int, bool) {
	if name, ok := strings.CutPrefix(label, "v("); ok && strings.HasSuffix(name, ")") {
		i, ok := s.nodes[name[:len(name)-1]]
		return i, ok
	}
	i, ok := s.labels[label]
	return i, ok
}

// NumHandles is the length of a matrix value array, trash slot included.
func (s *System) NumHandles() int { return s.Pattern.NNZ() + 1 }

// Values holds one evaluation of the DAE F(x) + dQ(x)/dt = 0: the residual parts F and Q
// per equation and their Jacobians G = dF/dx and C = dQ/dx per handle. Index 0 of each is trash.
type Values struct {
	F, Q []float64
	G, C []float64
}

// NewValues allocates value arrays sized for the system.
func (s *System) NewValues() *Values {
	return &Values{
		F: make([]float64, s.N+1),
		Q: make([]float64, s.N+1),
		G: make([]float64, s.NumHandles()),
		C: make([]float64, s.NumHandles()),
	}
}

// Clear zeroes every array before a load.
func (v *Values) Clear() {
	clear(v.F)
	clear(v.Q)
	clear(v.G)
	clear(v.C)
}

// SingularError names the unknown at which the matrix could not be factored.
type SingularError struct {
	Unknown Unknown
}

func (e *SingularError) Error() string {
	switch e.Unknown.Kind {
	case Node:
		return fmt.Sprintf("singular matrix at node %s: it has no DC path to ground (a floating node, or a node reached only through capacitors or current sources)", e.Unknown.Name)
	case Branch:
		if k := elementKind(e.Unknown.Name); k != 'v' && k != 'l' {
			// A controlled source (E, H, B) sets its voltage from other unknowns: no loop
			// is needed for its equation to fix nothing (V={v(b)} across b).
			return fmt.Sprintf("singular matrix at the branch current of %s: a loop of voltage sources and inductors through it, or its value depends on its own voltage or current so that its equation leaves them undetermined", e.Unknown.Name)
		}
		return fmt.Sprintf("singular matrix at the branch current of %s: a loop of voltage sources and inductors, or a source shorted by one", e.Unknown.Name)
	default:
		return fmt.Sprintf("singular matrix at device state %s", e.Unknown.Name)
	}
}

// elementKind is the letter of the element a branch is named after, its hierarchical
// prefix (x1.) dropped: 'v' for x1.v1.
func elementKind(name string) byte {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return 0
	}
	return name[0] | 0x20 // lower case
}

// NotFiniteError is a solution that overflowed: the value of Unknown is infinite or NaN.
type NotFiniteError struct {
	Unknown Unknown
}

func (e *NotFiniteError) Error() string {
	return fmt.Sprintf("the solution for %s is not finite (an overflow)", e.Unknown.Label())
}

// Solver factors and solves the Jacobian of a System: real for the DC and transient
// analyses, complex for AC. It refactors only when the matrix changed since the last
// factorization, so a linear circuit at a fixed step is factored once.
type Solver[T sparse.Scalar] struct {
	sys     *System
	lu      *sparse.LU[T]
	last    []T // values of the factored matrix, trash slot excluded
	fresh   bool
	rhs     []T
	Factors int // numeric factorizations done (refactorizations included)
}

// NewSolver prepares the symbolic analysis of sys's pattern.
func NewSolver[T sparse.Scalar](sys *System) *Solver[T] {
	return &Solver[T]{
		sys:  sys,
		lu:   sparse.NewLU[T](sys.Pattern),
		last: make([]T, sys.Pattern.NNZ()),
		rhs:  make([]T, sys.N),
	}
}

// Factor factors the matrix whose values are jac (indexed by handle) unless it equals the
// one factored last.
func (s *Solver[T]) Factor(jac []T) error {
	vals := jac[1:]
	if s.fresh && equal(vals, s.last) {
		return nil
	}
	copy(s.last, vals)
	s.fresh = false
	s.Factors++
	if err := s.lu.Refactor(s.last); err != nil {
		var se *sparse.SingularError
		if errors.As(err, &se) && se.Index >= 0 && se.Index < s.sys.N {
			return &SingularError{Unknown: s.sys.Unknowns[se.Index+1]}
		}
		var nf *sparse.NotFiniteError
		if errors.As(err, &nf) && nf.Row >= 0 && nf.Row < s.sys.N && nf.Col >= 0 && nf.Col < s.sys.N {
			return fmt.Errorf("the Jacobian entry of the equation of %s in %s is not finite (an overflow in a device)",
				s.sys.Unknowns[nf.Row+1].Label(), s.sys.Unknowns[nf.Col+1].Label())
		}
		return err
	}
	s.fresh = true
	return nil
}

// SetPivoting sets the LU's pivot thresholds (sparse.LU.SetPivoting): rel as ngspice's
// pivrel, tol as its pivtol.
func (s *Solver[T]) SetPivoting(rel, tol float64) { s.lu.SetPivoting(rel, tol) }

// Invalidate forces the next Factor to factor even if the values did not change.
func (s *Solver[T]) Invalidate() { s.fresh = false }

// Solve overwrites b (indexed by unknown, b[0] ignored) with the solution of J x = b.
func (s *Solver[T]) Solve(b []T) error {
	copy(s.rhs, b[1:])
	s.lu.Solve(s.rhs)
	for i, v := range s.rhs {
		if d := v - v; d != d { // NaN or infinite, real or complex
			return &NotFiniteError{Unknown: s.sys.Unknowns[i+1]}
		}
	}
	copy(b[1:], s.rhs)
	b[0] = 0
	return nil
}

func equal[T comparable](a, b []T) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
