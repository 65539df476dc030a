package sparse

import "slices"

// singletonsFirst moves to the front of a fill-reducing order the columns that a
// singleton settles: a column with one entry, pivoted on it, and a column holding the one
// entry of a row, pivoted on that row. Eliminated first, neither costs anything later: a
// column singleton's column of L is empty and a row singleton's row of U holds only its
// pivot, so neither updates another column, and neither makes fill. Both pivots are
// stable: a column singleton's entry is the only candidate, and a row singleton's entry
// is its row's largest, 1 once rows are scaled, and no scaled value exceeds that.
//
// A voltage source to ground makes the pair in a circuit's matrix: its branch equation
// (v = V) is a row singleton for its node's column, and its current, whose column has one
// entry (in the node's equation), a column singleton. AMD orders a supply node, dense,
// last, where its column gathers the fill of the whole factorization (13% of a
// refactorization's multiply-adds in ISCAS85's c432); first, it costs a division per
// entry.
//
// pref[k] is the row step k prefers as its pivot: the singleton's, else the column's
// diagonal. A singleton off the diagonal takes the diagonal row of another column, which
// is handed the singleton column's own diagonal row instead, so that pref stays a
// permutation (Factor hands rows on the same way when it pivots off the preferred row).
func singletonsFirst(p *Pattern, order []int32) (newOrder, pref []int32) {
	n := p.n
	rowCount, colCount := make([]int32, n), make([]int32, n)
	rowOnly, colOnly := make([]int32, n), make([]int32, n) // the entry of a singleton
	for k := range p.rows {
		r, c := p.rows[k], p.cols[k]
		rowCount[r]++
		colCount[c]++
		rowOnly[r], colOnly[c] = c, r
	}
	rowUsed, colUsed := make([]bool, n), make([]bool, n)
	prefRow := make([]int32, n)    // by column
	preferring := make([]int32, n) // the inverse: the column preferring a row
	for i := range prefRow {
		prefRow[i], preferring[i] = int32(i), int32(i)
	}
	var first []int32
	take := func(r, c int32) {
		if rowUsed[r] || colUsed[c] {
			return // two singletons in one row or column: the matrix is singular
		}
		rowUsed[r], colUsed[c] = true, true
		first = append(first, c)
		other := preferring[r]
		prefRow[c], prefRow[other] = r, prefRow[c]
		preferring[r], preferring[prefRow[other]] = c, other
	}
	for c := range int32(n) {
		if colCount[c] == 1 {
			take(colOnly[c], c)
		}
	}
	for r := range int32(n) {
		if rowCount[r] == 1 {
			take(r, rowOnly[r])
		}
	}
	newOrder = slices.Grow(first, n-len(first))
	for _, c := range order {
		if !colUsed[c] {
			newOrder = append(newOrder, c)
		}
	}
	pref = make([]int32, n)
	for k, c := range newOrder {
		pref[k] = prefRow[c]
	}
	return newOrder, pref
}
