package sparse

import (
	"fmt"
	"math"
	"slices"
)

const (
	// diagonalTolerance keeps the diagonal as pivot if |diag| >= it * max |column| (KLU's rule):
	// diagonal pivots keep the fill that the ordering planned. Refactor gives up on the old
	// pivot sequence when a pivot falls below it times the largest entry below the pivot.
	// ngspice's pivrel, 1e-3 by default, is the same threshold.
	diagonalTolerance = 1e-3
	// cancellation treats a pivot that small relative to the largest scaled value of its
	// column in A as zero: it is rounding noise left by eliminating a singular matrix. A
	// floating resistor island leaves about 1e-14 (rarely above 1e-13); an island tied to
	// ground by 1 Tohm, or by gmin = 1e-12 S per node, keeps 1e-12 or more.
	cancellation = 1e-13
)

// SingularError reports a matrix that cannot be factored. Index is the 0-based original
// index of an unknown involved: its row is all zero, or its column has no acceptable pivot
// left (it depends on the columns eliminated before it). In MNA row i and column i belong
// to unknown i, so a floating node or a loop of voltage sources names one of its unknowns.
type SingularError struct{ Index int }

func (e *SingularError) Error() string { return fmt.Sprintf("singular matrix at unknown %d", e.Index) }

// NotFiniteError reports a NaN or infinite matrix value at (Row, Col), 0-based.
type NotFiniteError struct{ Row, Col int }

func (e *NotFiniteError) Error() string {
	return fmt.Sprintf("matrix value at row %d, column %d is not finite", e.Row, e.Col)
}

// Stats counts the work an LU has done.
type Stats struct {
	Factorizations    int // full factorizations with pivot search, Refactor fallbacks included
	Refactorizations  int // refactorizations that reused the pivot sequence
	ColumnsKept       int // columns of L and U that refactorizations kept, their inputs unchanged
	Fallbacks         int // Refactor calls that had to choose new pivots
	OffDiagonalPivots int // pivots off the preferred row (the diagonal, or a singleton's) in the last full factorization
	NNZ               int // nonzeros of L and U, the diagonal counted once
}

// LU factors P R A Q = L U for a fixed pattern: R scales rows, Q is the fill-reducing
// column order, P the row pivoting. It is not safe for concurrent use.
type LU[T Scalar] struct {
	n int
	p *Pattern

	// A by columns in original numbering: entry t of column j has row colRow[t] and value
	// vals[colVal[t]], for t in colStart[j]:colStart[j+1].
	colStart []int32
	colRow   []int32
	colVal   []int32

	colOrder []int32 // step k eliminates original column colOrder[k]
	orderRow []int32 // step k prefers original row orderRow[k] (singletonsFirst)

	pivotRow []int32 // step k pivots on original row pivotRow[k]
	rowStep  []int32 // inverse of pivotRow; -1 for rows not pivoted yet (during Factor)
	// During Factor step k prefers the "diagonal" row preferredRow[k], at first orderRow[k];
	// preferredStep is the inverse for unpivoted rows. An off-diagonal pivot hands the displaced diagonal row to
	// the step that preferred the chosen row, which keeps voltage-source pairs diagonal.
	preferredRow, preferredStep []int32

	rowMax    []uint64 // bits of max |row|: the bits of non-negative floats order as they do
	rowScale  []T      // 1 / max |row|, by original row (Factor)
	stepScale []T      // the same by pivot step, for Refactor and Solve

	// U then L (unit lower triangular), by columns, in one pair of parallel arrays with
	// row indices in steps: U's column k is at ptr[2k]:ptr[2k+2], its entries above the
	// diagonal in the order they were eliminated (a topological order, which Refactor
	// replays), then the diagonal; L's column k is at ptr[2k+1]:ptr[2k+3]. All of U comes
	// first, so each factor is contiguous, as Refactor and Solve read them.
	ptr []int
	idx []int32
	val []T

	// L while Factor runs, with original row indices: column k is lIdx[lStart[k]:lStart[k+1]].
	lStart []int
	lIdx   []int32
	lVal   []T

	// A in step numbering for Refactor, which the first Refactor after a Factor sets up
	// (prepared): value v is at valAt[v] (the steps of its row and of its column); column
	// k's values are aEntry[aStart[k]:aStart[k+1]].
	valAt    []stepEntry
	aStart   []int32
	aEntry   []stepEntry
	prepared bool

	// The values of A (unscaled, in the order given) and stepScale are those the last
	// Refactor's factors hold, when kept (a Refactor completed since the last Factor). A
	// column of L and U depends only on its column of A, the scales of its rows and the
	// columns of L its U pattern names: where none changed, Refactor keeps it, with the
	// bits recomputing would give. A circuit whose devices mostly bypass their evaluation
	// (a digital one between its edges) changes few.
	last     []T
	kept     bool
	changed  []bool // by step, in a Refactor: column of A changed (scaleAndCompare), then column recomputed
	rescaled []bool // by step, in a Refactor: the row's scale changed (scaleAndCompare)

	// Depth-first searches in Factor look at L(:, s) only up to searchEnd[s], which symmetric
	// pruning may move below the column's end (pruned[s]).
	searchEnd []int
	pruned    []bool

	// Workspaces, allocated once.
	x          []T     // dense column accumulator, zero between columns
	visited    []int   // visited[row] == stamp: row reached in the current column
	stamp      int     // distinct for every column of every Factor
	stack      []int32 // depth-first search path (steps)
	stackPos   []int   // next L entry to look at, per stack level
	reach      []int32 // steps reached, in order of finishing
	candidates []int32 // unpivoted rows reached: the pivot candidates
	y          []T     // Solve

	// The pivot thresholds (SetPivoting): diagonalTolerance and cancellation unless set.
	pivRel, pivTol float64

	structured bool // pivot sequence and L, U patterns of a completed Factor exist
	factored   bool // L and U hold the factors of the last matrix given
	stats      Stats
}

// stepEntry is a value of A in Refactor: its row (a step) and its index in the value
// slice (in aEntry) or the step of its column (in valAt).
type stepEntry struct{ row, val int32 }

// SetPivoting sets the pivot thresholds, as ngspice's pivrel and pivtol: a pivot is kept
// while at least rel times the largest entry of its column (the diagonal is preferred
// above that, and Refactor keeps the old sequence above it), and a pivot at most tol
// times the largest scaled entry of its column is zero (the matrix is singular). A value
// that is not positive keeps the default (1e-3 and 1e-13).
func (lu *LU[T]) SetPivoting(rel, tol float64) {
	lu.pivRel, lu.pivTol = diagonalTolerance, cancellation
	if rel > 0 && rel < 1 {
		lu.pivRel = rel
	}
	if tol > 0 && tol < 1 {
		lu.pivTol = tol
	}
}

// NewLU does the symbolic analysis (ordering) of p once: the singletons first, then
// approximate minimum degree.
func NewLU[T Scalar](p *Pattern) *LU[T] {
	start, list := p.symmetricAdjacency()
	order, pref := singletonsFirst(p, amdOrder(p.n, start, list))
	return newLUWithOrder[T](p, order, pref)
}

// newLUWithOrder uses the given column order (a permutation of 0..n-1) and preferred pivot
// rows by step (a permutation too; nil: the diagonal).
func newLUWithOrder[T Scalar](p *Pattern, order, pref []int32) *LU[T] {
	n := p.n
	if pref == nil {
		pref = order
	}
	lu := &LU[T]{
		pivRel:        diagonalTolerance,
		pivTol:        cancellation,
		n:             n,
		p:             p,
		colStart:      make([]int32, n+1),
		colRow:        make([]int32, len(p.rows)),
		colVal:        make([]int32, len(p.rows)),
		colOrder:      order,
		orderRow:      pref,
		pivotRow:      make([]int32, n),
		rowStep:       make([]int32, n),
		preferredRow:  make([]int32, n),
		preferredStep: make([]int32, n),
		rowMax:        make([]uint64, n),
		rowScale:      make([]T, n),
		stepScale:     make([]T, n),
		valAt:         make([]stepEntry, len(p.rows)),
		aStart:        make([]int32, n+1),
		aEntry:        make([]stepEntry, len(p.rows)),
		last:          make([]T, len(p.rows)),
		rescaled:      make([]bool, n),
		changed:       make([]bool, n),
		ptr:           make([]int, 2*n+2),
		lStart:        make([]int, n+1),
		searchEnd:     make([]int, n),
		pruned:        make([]bool, n),
		x:             make([]T, n),
		visited:       make([]int, n),
		stack:         make([]int32, 0, n),
		stackPos:      make([]int, 0, n),
		reach:         make([]int32, 0, n),
		candidates:    make([]int32, 0, n),
		y:             make([]T, n),
	}
	for _, c := range p.cols {
		lu.colStart[c+1]++
	}
	for j := range n {
		lu.colStart[j+1] += lu.colStart[j]
	}
	next := make([]int32, n)
	copy(next, lu.colStart)
	for k, c := range p.cols {
		t := next[c]
		next[c]++
		lu.colRow[t] = p.rows[k]
		lu.colVal[t] = int32(k)
	}
	return lu
}

// Stats returns the counters; NNZ is that of the current factors.
func (lu *LU[T]) Stats() Stats {
	s := lu.stats
	if lu.structured {
		s.NNZ = len(lu.idx)
	}
	return s
}

func (lu *LU[T]) checkLength(vals []T) {
	if len(vals) != len(lu.p.rows) {
		panic(fmt.Sprintf("sparse: %d values for a pattern of %d", len(vals), len(lu.p.rows)))
	}
}

// scaleRows sets scale so that every row's largest value lies in [1, 2) (inverseScale): KCL rows in siemens
// and state rows in 1/s differ by orders of magnitude, and pivoting compares across rows.
// rows[v] is the row of value v, in whichever numbering scale is in. The same pass over
// the values catches a NaN or infinity: its bits dominate the row's maximum.
func (lu *LU[T]) scaleRows(vals []T, rows []int32, scale []T) error {
	rowMax := lu.rowMax[:lu.n]
	clear(rowMax)
	rows = rows[:len(vals)]
	for v, a := range vals {
		r := rows[v]
		rowMax[r] = max(rowMax[r], magnitudeBits(a))
	}
	return lu.scalesFromMaxima(vals, scale, nil)
}

// scalesFromMaxima sets scale (by row) from the row maxima in rowMax (inverseScale),
// marking in rescaled, when it is not nil, the rows whose scale changed.
func (lu *LU[T]) scalesFromMaxima(vals, scale []T, rescaled []bool) error {
	rowMax := lu.rowMax[:lu.n]
	scale = scale[:len(rowMax)]
	for i, m := range rowMax {
		// inverseScale's common case written out: the compiler does not inline the call
		// in this generic method (2 million calls in c432's first 0.25 ns).
		var inv float64
		if e := m >> 52; e >= 1 && e <= 2045 {
			inv = math.Float64frombits((2046 - e) << 52)
		} else if r, ok := inverseScale(m); ok {
			inv = r
		} else { // not finite, or a zero row (or one too small to invert)
			return lu.scaleError(vals)
		}
		s := fromReal[T](inv)
		if rescaled != nil {
			rescaled[i] = s != scale[i]
		}
		scale[i] = s
	}
	return nil
}

// inverseScale is the scale of a row whose largest magnitude has the bits m: the power of
// two that brings it into [1, 2), and ok false when m is not finite or cannot be inverted.
// A power of two scales every value exactly, so a factorization of the scaled rows rounds
// as one of the unscaled rows would (for the same pivots), and a row's scale changes only
// when its largest value crosses a power of two: a refactorization recomputes the columns
// of a rescaled row, and 1/max changed with every change of the largest value. Outside
// the normal exponents that can be negated (a subnormal maximum, or one of 2^1023 or
// more), it is 1/max as it was.
func inverseScale(m uint64) (float64, bool) {
	if e := m >> 52; e >= 1 && e <= 2045 {
		return math.Float64frombits((2046 - e) << 52), true
	}
	inv := 1 / math.Float64frombits(m)
	return inv, m < infBits && inv <= math.MaxFloat64
}

// scaleError finds the error that scaleRows detected: the first value that is not finite,
// else the first row (in original numbering) whose largest value cannot be inverted.
func (lu *LU[T]) scaleError(vals []T) error {
	for v, a := range vals {
		if magnitudeBits(a) >= infBits {
			return &NotFiniteError{Row: int(lu.p.rows[v]), Col: int(lu.p.cols[v])}
		}
	}
	rowMax := lu.rowMax[:lu.n]
	clear(rowMax)
	for v, a := range vals {
		r := lu.p.rows[v]
		rowMax[r] = max(rowMax[r], magnitudeBits(a))
	}
	for i, m := range rowMax {
		if !finite(1 / math.Float64frombits(m)) {
			return &SingularError{Index: i}
		}
	}
	return fmt.Errorf("sparse: row scaling failed") // not reached
}

// Factor does a full numeric factorization with threshold partial pivoting, choosing a new
// pivot sequence: left-looking (Gilbert-Peierls), one sparse triangular solve per column.
func (lu *LU[T]) Factor(vals []T) error {
	lu.checkLength(vals)
	lu.stats.Factorizations++
	lu.structured, lu.factored = false, false
	if err := lu.scaleRows(vals, lu.p.rows, lu.rowScale); err != nil {
		return err
	}
	clear(lu.x)
	for i := range lu.rowStep {
		lu.rowStep[i] = -1
	}
	for k, r := range lu.orderRow {
		lu.preferredRow[k] = r
		lu.preferredStep[r] = int32(k)
	}
	lu.idx, lu.val = lu.idx[:0], lu.val[:0]
	lu.lIdx, lu.lVal = lu.lIdx[:0], lu.lVal[:0]
	lu.stats.OffDiagonalPivots = 0

	n := lu.n
	x := lu.x[:n]
	rowScale := lu.rowScale[:n]
	pivotRow := lu.pivotRow[:n]
	ptr := lu.ptr[:2*n+2]
	lStart := lu.lStart[:n+1]
	colStart, colRow, colVal := lu.colStart[:n+1], lu.colRow, lu.colVal[:len(lu.colRow)]
	for k := range n {
		col := lu.colOrder[k]
		lu.findReach(col)

		aBegin, aEnd := colStart[col], colStart[col+1]
		var maxBits uint64 // the values are finite: their bits order as their magnitudes
		for t := aBegin; t < aEnd; t++ {
			i := colRow[t]
			v := vals[colVal[t]] * rowScale[i]
			x[i] = v
			maxBits = max(maxBits, magnitudeBits(v))
		}
		columnMax := math.Float64frombits(maxBits)
		// Eliminate with the earlier columns of L in topological order.
		idx, val := lu.idx, lu.val
		lIdx, lVal := lu.lIdx, lu.lVal
		ptr[2*k] = len(idx)
		reach := lu.reach
		for t := len(reach) - 1; t >= 0; t-- {
			s := reach[t]
			r := pivotRow[s]
			u := x[r]
			x[r] = 0
			idx = append(idx, s)
			val = append(val, u)
			if u != 0 {
				subtractScaledCall(x, lIdx, lVal, lStart[s], lStart[s+1], u)
			}
		}

		row, err := lu.choosePivot(k, columnMax, vals, idx[ptr[2*k]:], val[ptr[2*k]:])
		if err != nil {
			return err
		}
		pivot := x[row]
		idx = append(idx, int32(k))
		val = append(val, pivot)
		lu.idx, lu.val = idx, val
		if diag := lu.preferredRow[k]; row != diag {
			lu.stats.OffDiagonalPivots++
			if lu.rowStep[diag] < 0 {
				other := lu.preferredStep[row]
				lu.preferredRow[other] = diag
				lu.preferredStep[diag] = other
			}
		}
		pivotRow[k] = row
		lu.rowStep[row] = int32(k)
		inv := 1 / pivot
		lStart[k] = len(lIdx)
		for _, r := range lu.candidates {
			if r != row {
				lIdx = append(lIdx, r)
				lVal = append(lVal, x[r]*inv)
			}
			x[r] = 0
		}
		lu.lIdx, lu.lVal = lIdx, lVal
		lStart[k+1] = len(lIdx)
		lu.searchEnd[k] = len(lIdx)
		lu.pruned[k] = false
		lu.prune(row)
	}
	// L after U, in step numbering.
	idx, val := lu.idx, lu.val
	ptr[2*n] = len(idx)
	lIdx, lVal := lu.lIdx, lu.lVal[:len(lu.lIdx)]
	rowStep := lu.rowStep[:n]
	for k := range n {
		ptr[2*k+1] = len(idx)
		for t := lStart[k]; t < lStart[k+1]; t++ {
			idx = append(idx, rowStep[lIdx[t]])
			val = append(val, lVal[t])
		}
	}
	ptr[2*n+1] = len(idx)
	lu.idx, lu.val = idx, val
	for k, r := range pivotRow {
		lu.stepScale[k] = rowScale[r]
	}
	lu.prepared, lu.kept = false, false
	lu.structured, lu.factored = true, true
	return nil
}

// prepareRefactor renumbers A into steps for Refactor (Factor does not need it): once
// after each Factor, on the first Refactor.
func (lu *LU[T]) prepareRefactor() {
	n := lu.n
	rowStep := lu.rowStep[:n]
	colStart, colRow, colVal := lu.colStart[:n+1], lu.colRow, lu.colVal[:len(lu.colRow)]
	aStart, aEntry, valAt := lu.aStart[:n+1], lu.aEntry, lu.valAt[:len(lu.colRow)]
	t := int32(0)
	for k, col := range lu.colOrder[:n] {
		aStart[k] = t
		for a, aEnd := colStart[col], colStart[col+1]; a < aEnd; a++ {
			row := rowStep[colRow[a]]
			aEntry[t] = stepEntry{row: row, val: colVal[a]}
			valAt[colVal[a]] = stepEntry{row: row, val: int32(k)}
			t++
		}
	}
	aStart[n] = t
	lu.prepared = true
}

// findReach finds the pattern of column col of L\A: the pivot steps whose L columns update it
// (lu.reach, in depth-first finishing order, so reversed it is topological) and the unpivoted
// rows it reaches (lu.candidates).
func (lu *LU[T]) findReach(col int32) {
	lu.stamp++
	lu.reach = lu.reach[:0]
	lu.candidates = lu.candidates[:0]
	for t := lu.colStart[col]; t < lu.colStart[col+1]; t++ {
		i := lu.colRow[t]
		if lu.visited[i] == lu.stamp {
			continue
		}
		lu.visited[i] = lu.stamp
		if lu.rowStep[i] < 0 {
			lu.candidates = append(lu.candidates, i)
			continue
		}
		lu.depthFirst(lu.rowStep[i])
	}
}

// depthFirst walks the graph of L from step start without recursion.
func (lu *LU[T]) depthFirst(start int32) {
	lu.stack = append(lu.stack[:0], start)
	lu.stackPos = append(lu.stackPos[:0], lu.lStart[start])
	for len(lu.stack) > 0 {
		top := len(lu.stack) - 1
		s := lu.stack[top]
		end := lu.searchEnd[s]
		descended := false
		for pos := lu.stackPos[top]; pos < end; pos++ {
			r := lu.lIdx[pos]
			if lu.visited[r] == lu.stamp {
				continue
			}
			lu.visited[r] = lu.stamp
			if lu.rowStep[r] < 0 {
				lu.candidates = append(lu.candidates, r)
				continue
			}
			lu.stackPos[top] = pos + 1
			next := lu.rowStep[r]
			lu.stack = append(lu.stack, next)
			lu.stackPos = append(lu.stackPos, lu.lStart[next])
			descended = true
			break
		}
		if !descended {
			lu.stack = lu.stack[:top]
			lu.stackPos = lu.stackPos[:top]
			lu.reach = append(lu.reach, s)
		}
	}
}

// prune applies symmetric pruning (Eisenstat and Liu) after a step chose pivotRow:
// an earlier column s of L that holds that row and updated this step reaches all its
// unpivoted rows through this step's column too, so later searches skip them in s.
func (lu *LU[T]) prune(pivotRow int32) {
	for _, s := range lu.reach {
		if lu.pruned[s] {
			continue
		}
		begin, end := lu.lStart[s], lu.lStart[s+1]
		rows, vals := lu.lIdx[begin:end], lu.lVal[begin:end]
		if !slices.Contains(rows, pivotRow) {
			continue
		}
		// Move the pivoted rows to the front; searches stop after them.
		front := 0
		for t, r := range rows {
			if lu.rowStep[r] >= 0 {
				rows[front], rows[t] = rows[t], rows[front]
				vals[front], vals[t] = vals[t], vals[front]
				front++
			}
		}
		lu.searchEnd[s] = begin + front
		lu.pruned[s] = true
	}
}

// choosePivot picks the pivot row of step k among the candidates: the preferred diagonal row
// if it is within diagonalTolerance of the largest, else the largest. columnMax is the
// largest scaled value of the column in A, and uIdx, uVal the column of U computed so far
// (its steps and values), for the cancellation test.
func (lu *LU[T]) choosePivot(k int, columnMax float64, vals []T, uIdx []int32, uVal []T) (int32, error) {
	x := lu.x
	best, bestAbs := int32(-1), 0.0
	for _, r := range lu.candidates {
		a := magnitude(x[r])
		if !(a <= math.MaxFloat64) { // not finite: a comparison, as a call from this generic method is not inlined
			best = -1
			break
		}
		if a > bestAbs {
			best, bestAbs = r, a
		}
	}
	if best >= 0 {
		diag := lu.preferredRow[k]
		if a := magnitude(x[diag]); lu.rowStep[diag] < 0 && a > 0 && a >= lu.pivRel*bestAbs {
			best, bestAbs = diag, a
		}
	}
	if best < 0 || bestAbs == 0 ||
		bestAbs <= lu.pivTol*max(columnMax, bestAbs) && bestAbs <= lu.pivTol*lu.largestTerm(k, best, vals, uIdx, uVal) {
		return -1, &SingularError{Index: int(lu.colOrder[k])}
	}
	return best, nil
}

// largestTerm is the largest magnitude among the terms whose sum is x[row] at step k: the
// scaled value of A and the products L(row, s) U(s, k) that elimination subtracted. A
// pivot far smaller than its column in A is rounding noise when it is also far smaller
// than its own terms (they cancelled: the matrix is singular), but not when the terms
// were as small (a row scaled down by a huge entry elsewhere in it, such as a
// behavioural source's derivative of 1e32 where its divisor is 0). It runs only for such
// a pivot: it scans the columns of L that the column of U reaches.
func (lu *LU[T]) largestTerm(k int, row int32, vals []T, uIdx []int32, uVal []T) float64 {
	col := lu.colOrder[k]
	largest := 0.0
	for t := lu.colStart[col]; t < lu.colStart[col+1]; t++ {
		if lu.colRow[t] == row {
			largest = magnitude(vals[lu.colVal[t]] * lu.rowScale[row])
		}
	}
	for i, s := range uIdx {
		for t := lu.lStart[s]; t < lu.lStart[s+1]; t++ {
			if lu.lIdx[t] == row {
				largest = max(largest, magnitude(lu.lVal[t]*uVal[i]))
				break
			}
		}
	}
	return largest
}

// Refactor reuses the ordering, pivot sequence and fill pattern of the last Factor; if a
// pivot becomes too small relative to its column (or zero/NaN), it falls back to Factor by
// itself. If no Factor has succeeded yet it calls Factor.
func (lu *LU[T]) Refactor(vals []T) error {
	lu.checkLength(vals)
	if !lu.structured {
		return lu.Factor(vals)
	}
	lu.factored = false
	if !lu.prepared {
		lu.prepareRefactor()
	}
	if err := lu.scaleAndCompare(vals); err != nil {
		lu.kept = false // last holds values these factors do not
		return err
	}
	if !lu.refactorNumeric(vals) {
		lu.stats.Fallbacks++
		lu.kept = false // the factors are part new, part old
		return lu.Factor(vals)
	}
	lu.stats.Refactorizations++
	lu.factored, lu.kept = true, true
	return nil
}

// refactorNumeric replays the last Factor's eliminations on new values, in step
// numbering. It reports false if a pivot is no longer acceptable.
func (lu *LU[T]) refactorNumeric(vals []T) bool {
	clear(lu.x)
	for from := 0; ; {
		k, below, ok := lu.refactorColumns(vals, from)
		if !ok {
			return false
		}
		if k == lu.n {
			return true
		}
		// A tiny pivot: compare it with its column in A too. Written so that NaN fails.
		a := magnitude(lu.val[lu.ptr[2*k+2]-1])
		if !(a > lu.pivTol*max(lu.columnMax(vals, k), below)) {
			return false
		}
		from = k + 1
	}
}

// scaleAndCompare sets the row scales (stepScale, by step) of vals as scaleRows does,
// marks in changed the steps whose column of A differs from the last Refactor's (every
// step when none is kept) and in rescaled the rows whose scale does, in one pass over
// vals in the order given: the values are compared unscaled, and refactorColumns looks
// at the rows' scales only for a column that nothing else changed.
func (lu *LU[T]) scaleAndCompare(vals []T) error {
	n := lu.n
	rowMax, changed := lu.rowMax[:n], lu.changed[:n]
	clear(rowMax)
	all := !lu.kept
	for k := range changed {
		changed[k] = all
	}
	last, valAt := lu.last[:len(vals)], lu.valAt[:len(vals)]
	for v, a := range vals {
		at := valAt[v]
		rowMax[at.row] = max(rowMax[at.row], magnitudeBits(a))
		if a != last[v] {
			last[v] = a
			changed[at.val] = true
		}
	}
	return lu.scalesFromMaxima(vals, lu.stepScale, lu.rescaled[:n])
}

// refactorColumns computes the columns of L and U from step from on, from vals scaled by
// stepScale: those whose column of A changed or has a rescaled row (scaleAndCompare), or
// that read a recomputed column of L; it keeps the others. It stops after the
// last step (k = n), at a pivot that is not acceptable (ok false), or after computing a
// pivot so small (at most 2 * cancellation) that the caller must compare it with its
// column in A; below is the largest magnitude under that pivot before division.
func (lu *LU[T]) refactorColumns(vals []T, from int) (k int, below float64, ok bool) {
	n := lu.n
	x := lu.x[:n]
	aStart, aEntry := lu.aStart[:n+1], lu.aEntry
	ptr, idx := lu.ptr[:2*n+2], lu.idx
	val := lu.val[:len(idx)]
	scale, changed, rescaled := lu.stepScale[:n], lu.changed[:n], lu.rescaled[:n]
	for k = from; k < n; k++ {
		uBegin, lBegin, uEnd, lEnd := ptr[2*k], ptr[2*k+1], ptr[2*k+2], ptr[2*k+3]
		if uint(uBegin) >= uint(uEnd) || uint(uEnd) > uint(len(idx)) ||
			uint(lBegin) > uint(lEnd) || uint(lEnd) > uint(len(idx)) {
			panic("sparse: corrupt factors")
		}
		diag := uEnd - 1
		// Keep the column when its inputs are those of the last Refactor (a kept pivot
		// passed its tests then, with the same values): its column of A and its rows'
		// scales (scaleAndCompare) and the columns of L that its U names.
		in, end := aStart[k], aStart[k+1]
		c := changed[k]
		for t := uBegin; !c && t < diag; t++ {
			c = changed[idx[t]]
		}
		for t := in; !c && t < end; t++ {
			c = rescaled[aEntry[t].row]
		}
		changed[k] = c
		if !c {
			lu.stats.ColumnsKept++
			continue
		}
		for _, e := range aEntry[in:end] {
			x[e.row] = vals[e.val] * scale[e.row]
		}
		for t := uBegin; t < diag; t++ {
			s := idx[t]
			u := x[s]
			x[s] = 0
			val[t] = u
			if u != 0 {
				subtractScaled(x, idx, val, ptr[2*s+1], ptr[2*s+3], u)
			}
		}
		pivot := x[k]
		x[k] = 0
		val[diag] = pivot
		inv := 1 / pivot
		var bits uint64 // of the largest magnitude below the pivot; a NaN wins
		for t := lBegin; t < lEnd; t++ {
			r := idx[t]
			v := x[r]
			x[r] = 0
			bits = max(bits, magnitudeBits(v))
			val[t] = v * inv
		}
		a, b := magnitude(pivot), math.Float64frombits(bits)
		// Written so that NaN fails every comparison (and an infinite pivot the second: a
		// comparison, as a call of finite from this generic method is not inlined). Scaled
		// values of A are at most 1, so the cancellation test needs the column of A only for
		// a tiny pivot.
		if !(a >= lu.pivRel*b) || !(a <= math.MaxFloat64) {
			return k, b, false
		}
		if a <= 2*lu.pivTol {
			return k, b, true
		}
	}
	return n, 0, true
}

// columnMax is the largest scaled magnitude in A's column at step k. It runs only within
// Refactor, after prepareRefactor has put A in step numbering (aEntry).
func (lu *LU[T]) columnMax(vals []T, k int) float64 {
	m := 0.0
	for _, e := range lu.aEntry[lu.aStart[k]:lu.aStart[k+1]] {
		m = max(m, magnitude(vals[e.val]*lu.stepScale[e.row]))
	}
	return m
}

// subtractScaled does x[idx[t]] -= val[t] * u for t in begin:end, the kernel of both
// factorizations and Solve. Indexing the whole arrays costs less than slicing them for the
// short columns of circuit matrices.
func subtractScaled[T Scalar](x []T, idx []int32, val []T, begin, end int, u T) {
	val = val[:len(idx)]
	if uint(begin) > uint(end) || uint(end) > uint(len(idx)) {
		panic("sparse: corrupt factors")
	}
	for t := begin; t < end; t++ {
		x[idx[t]] -= val[t] * u
	}
}

// subtractScaledCall is subtractScaled not inlined, for Factor, whose loop around it has
// more live values than registers: inlined, the kernel would reload some at every step.
//
//go:noinline
func subtractScaledCall[T Scalar](x []T, idx []int32, val []T, begin, end int, u T) {
	subtractScaled(x, idx, val, begin, end, u)
}

// Solve overwrites b (length n) with x such that A x = b, for the last factored A. If the
// last Factor or Refactor failed, b is filled with NaN.
func (lu *LU[T]) Solve(b []T) {
	if len(b) != lu.n {
		panic(fmt.Sprintf("sparse: right-hand side of length %d for a %d x %d matrix", len(b), lu.n, lu.n))
	}
	if !lu.factored {
		nan := fromReal[T](math.NaN())
		for i := range b {
			b[i] = nan
		}
		return
	}
	n := lu.n
	y := lu.y[:n]
	scale := lu.stepScale[:n]
	for k, r := range lu.pivotRow[:n] {
		y[k] = b[r] * scale[k]
	}
	ptr, idx := lu.ptr[:2*n+2], lu.idx
	val := lu.val[:len(idx)]
	for k := range n {
		if yk := y[k]; yk != 0 {
			subtractScaled(y, idx, val, ptr[2*k+1], ptr[2*k+3], yk)
		}
	}
	for k := n - 1; k >= 0; k-- {
		begin, diag := ptr[2*k], ptr[2*k+2]-1
		yk := y[k] / val[diag]
		y[k] = yk
		if yk != 0 {
			subtractScaled(y, idx, val, begin, diag, yk)
		}
	}
	for k, j := range lu.colOrder[:n] {
		b[j] = y[k]
	}
}
