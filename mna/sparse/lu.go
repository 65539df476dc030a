package sparse

import (
	"fmt"
	"math"
	"slices"
)

const (
	// diagonalTolerance keeps the diagonal as pivot if |diag| >= it * max |column| (KLU's rule):
	// diagonal pivots keep the fill that the ordering planned.
	diagonalTolerance = 1e-3
	// refactorTolerance makes Refactor give up on the old pivot sequence when a pivot falls
	// below it times the largest entry below the pivot.
	refactorTolerance = 1e-3
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
	Fallbacks         int // Refactor calls that had to choose new pivots
	OffDiagonalPivots int // pivots off the diagonal in the last full factorization
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

	pivotRow []int32 // step k pivots on original row pivotRow[k]
	rowStep  []int32 // inverse of pivotRow; -1 for rows not pivoted yet (during Factor)
	// During Factor step k prefers the "diagonal" row preferredRow[k]; preferredStep is the
	// inverse for unpivoted rows. An off-diagonal pivot hands the displaced diagonal row to
	// the step that preferred the chosen row, which keeps voltage-source pairs diagonal.
	preferredRow, preferredStep []int32

	rowMax   []float64
	rowScale []T // 1 / max |row|

	// L is unit lower triangular, U upper; both by columns, diagonals apart. Row indices are
	// original rows while Factor runs, steps afterwards. U's columns are kept in the order
	// their entries were eliminated (a topological order), which Refactor replays.
	lStart []int
	lRow   []int32
	lVal   []T
	uStart []int
	uRow   []int32
	uVal   []T
	uDiag  []T

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

	structured bool // pivot sequence and L, U patterns of a completed Factor exist
	factored   bool // L and U hold the factors of the last matrix given
	stats      Stats
}

// NewLU does the symbolic analysis (ordering) of p once.
func NewLU[T Scalar](p *Pattern) *LU[T] {
	start, list := p.symmetricAdjacency()
	return newLUWithOrder[T](p, amdOrder(p.n, start, list))
}

// newLUWithOrder uses the given column order (a permutation of 0..n-1).
func newLUWithOrder[T Scalar](p *Pattern, order []int32) *LU[T] {
	n := p.n
	lu := &LU[T]{
		n:             n,
		p:             p,
		colStart:      make([]int32, n+1),
		colRow:        make([]int32, len(p.rows)),
		colVal:        make([]int32, len(p.rows)),
		colOrder:      order,
		pivotRow:      make([]int32, n),
		rowStep:       make([]int32, n),
		preferredRow:  make([]int32, n),
		preferredStep: make([]int32, n),
		rowMax:        make([]float64, n),
		rowScale:      make([]T, n),
		lStart:        make([]int, n+1),
		uStart:        make([]int, n+1),
		uDiag:         make([]T, n),
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
		s.NNZ = len(lu.lRow) + len(lu.uRow) + lu.n
	}
	return s
}

func (lu *LU[T]) checkLength(vals []T) {
	if len(vals) != len(lu.p.rows) {
		panic(fmt.Sprintf("sparse: %d values for a pattern of %d", len(vals), len(lu.p.rows)))
	}
}

// scaleRows sets rowScale so that every row's largest value becomes 1: KCL rows in siemens
// and state rows in 1/s differ by orders of magnitude, and pivoting compares across rows.
func (lu *LU[T]) scaleRows(vals []T) error {
	clear(lu.rowMax)
	for k, v := range vals {
		a := magnitude(v)
		if !finite(a) {
			return &NotFiniteError{Row: int(lu.p.rows[k]), Col: int(lu.p.cols[k])}
		}
		r := lu.p.rows[k]
		lu.rowMax[r] = max(lu.rowMax[r], a)
	}
	for i, m := range lu.rowMax {
		if !finite(1 / m) { // a zero row (or one too small to invert)
			return &SingularError{Index: i}
		}
		lu.rowScale[i] = fromReal[T](1 / m)
	}
	return nil
}

// Factor does a full numeric factorization with threshold partial pivoting, choosing a new
// pivot sequence: left-looking (Gilbert-Peierls), one sparse triangular solve per column.
func (lu *LU[T]) Factor(vals []T) error {
	lu.checkLength(vals)
	lu.stats.Factorizations++
	lu.structured, lu.factored = false, false
	if err := lu.scaleRows(vals); err != nil {
		return err
	}
	clear(lu.x)
	for i := range lu.rowStep {
		lu.rowStep[i] = -1
	}
	for k, j := range lu.colOrder {
		lu.preferredRow[k] = j
		lu.preferredStep[j] = int32(k)
	}
	lu.lRow, lu.lVal = lu.lRow[:0], lu.lVal[:0]
	lu.uRow, lu.uVal = lu.uRow[:0], lu.uVal[:0]
	lu.stats.OffDiagonalPivots = 0

	x := lu.x
	for k := range lu.n {
		lu.lStart[k] = len(lu.lRow)
		lu.uStart[k] = len(lu.uRow)
		col := lu.colOrder[k]
		lu.findReach(col)

		columnMax := 0.0
		for t := lu.colStart[col]; t < lu.colStart[col+1]; t++ {
			i := lu.colRow[t]
			x[i] = vals[lu.colVal[t]] * lu.rowScale[i]
			columnMax = max(columnMax, magnitude(x[i]))
		}
		// Eliminate with the earlier columns of L in topological order.
		for t := len(lu.reach) - 1; t >= 0; t-- {
			s := lu.reach[t]
			r := lu.pivotRow[s]
			u := x[r]
			x[r] = 0
			lu.uRow = append(lu.uRow, s)
			lu.uVal = append(lu.uVal, u)
			if u != 0 {
				lRows, lVals := lu.lColumn(s)
				subtractScaled(x, lRows, lVals, u)
			}
		}

		row, err := lu.choosePivot(k, columnMax)
		if err != nil {
			return err
		}
		pivot := x[row]
		lu.uDiag[k] = pivot
		if diag := lu.preferredRow[k]; row != diag {
			lu.stats.OffDiagonalPivots++
			if lu.rowStep[diag] < 0 {
				other := lu.preferredStep[row]
				lu.preferredRow[other] = diag
				lu.preferredStep[diag] = other
			}
		}
		lu.pivotRow[k] = row
		lu.rowStep[row] = int32(k)
		inv := 1 / pivot
		for _, r := range lu.candidates {
			if r != row {
				lu.lRow = append(lu.lRow, r)
				lu.lVal = append(lu.lVal, x[r]*inv)
			}
			x[r] = 0
		}
		lu.searchEnd[k] = len(lu.lRow)
		lu.pruned[k] = false
		lu.prune(row)
	}
	lu.lStart[lu.n] = len(lu.lRow)
	lu.uStart[lu.n] = len(lu.uRow)
	for t, r := range lu.lRow {
		lu.lRow[t] = lu.rowStep[r]
	}
	lu.structured, lu.factored = true, true
	return nil
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
			r := lu.lRow[pos]
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
		rows, vals := lu.lColumn(s)
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
		lu.searchEnd[s] = lu.lStart[s] + front
		lu.pruned[s] = true
	}
}

// choosePivot picks the pivot row of step k among the candidates: the preferred diagonal row
// if it is within diagonalTolerance of the largest, else the largest. columnMax is the
// largest scaled value of the column in A, for the cancellation test.
func (lu *LU[T]) choosePivot(k int, columnMax float64) (int32, error) {
	x := lu.x
	best, bestAbs := int32(-1), 0.0
	for _, r := range lu.candidates {
		a := magnitude(x[r])
		if !finite(a) {
			best = -1
			break
		}
		if a > bestAbs {
			best, bestAbs = r, a
		}
	}
	if best >= 0 {
		diag := lu.preferredRow[k]
		if a := magnitude(x[diag]); lu.rowStep[diag] < 0 && a > 0 && a >= diagonalTolerance*bestAbs {
			best, bestAbs = diag, a
		}
	}
	if best < 0 || bestAbs <= cancellation*max(columnMax, bestAbs) {
		return -1, &SingularError{Index: int(lu.colOrder[k])}
	}
	return best, nil
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
	if err := lu.scaleRows(vals); err != nil {
		return err
	}
	if !lu.refactorNumeric(vals) {
		lu.stats.Fallbacks++
		return lu.Factor(vals)
	}
	lu.stats.Refactorizations++
	lu.factored = true
	return nil
}

// refactorNumeric replays the last Factor's eliminations on new values, in step numbering.
// It reports false if a pivot is no longer acceptable.
func (lu *LU[T]) refactorNumeric(vals []T) bool {
	x := lu.x
	clear(x)
	for k := range lu.n {
		col := lu.colOrder[k]
		columnMax := 0.0
		for t := lu.colStart[col]; t < lu.colStart[col+1]; t++ {
			i := lu.colRow[t]
			v := vals[lu.colVal[t]] * lu.rowScale[i]
			x[lu.rowStep[i]] = v
			columnMax = max(columnMax, magnitude(v))
		}
		uRows, uVals := lu.uColumn(k)
		for t, s := range uRows {
			u := x[s]
			x[s] = 0
			uVals[t] = u
			if u != 0 {
				sRows, sVals := lu.lColumn(s)
				subtractScaled(x, sRows, sVals, u)
			}
		}
		pivot := x[k]
		x[k] = 0
		lRows, lVals := lu.lColumn(int32(k))
		below := 0.0
		for _, r := range lRows {
			below = max(below, magnitude(x[r]))
		}
		a := magnitude(pivot)
		// Written so that NaN fails every comparison.
		if !(a >= refactorTolerance*below) || !(a > cancellation*max(columnMax, below)) || !finite(a) {
			return false
		}
		lu.uDiag[k] = pivot
		inv := 1 / pivot
		for t, r := range lRows {
			lVals[t] = x[r] * inv
			x[r] = 0
		}
	}
	return true
}

// lColumn is column s of L: its row indices and values.
func (lu *LU[T]) lColumn(s int32) ([]int32, []T) {
	begin, end := lu.lStart[s], lu.lStart[s+1]
	return lu.lRow[begin:end], lu.lVal[begin:end]
}

// uColumn is column k of U without the diagonal: its row indices and values.
func (lu *LU[T]) uColumn(k int) ([]int32, []T) {
	begin, end := lu.uStart[k], lu.uStart[k+1]
	return lu.uRow[begin:end], lu.uVal[begin:end]
}

// subtractScaled does x[rows[t]] -= vals[t] * u, the kernel of both factorizations and Solve.
func subtractScaled[T Scalar](x []T, rows []int32, vals []T, u T) {
	vals = vals[:len(rows)]
	for t, r := range rows {
		x[r] -= vals[t] * u
	}
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
	y := lu.y
	for k, r := range lu.pivotRow {
		y[k] = b[r] * lu.rowScale[r]
	}
	for k := range lu.n {
		if yk := y[k]; yk != 0 {
			rows, vals := lu.lColumn(int32(k))
			subtractScaled(y, rows, vals, yk)
		}
	}
	for k := lu.n - 1; k >= 0; k-- {
		yk := y[k] / lu.uDiag[k]
		y[k] = yk
		if yk != 0 {
			rows, vals := lu.uColumn(k)
			subtractScaled(y, rows, vals, yk)
		}
	}
	for k, j := range lu.colOrder {
		b[j] = y[k]
	}
}
