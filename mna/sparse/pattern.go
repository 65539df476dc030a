// Package sparse owns the sparse matrices of modified nodal analysis: their frozen pattern,
// a fill-reducing ordering (AMD) and a KLU-style LU with threshold pivoting and fast refactoring.
package sparse

import (
	"fmt"
	"slices"
)

// Builder collects the structural nonzeros of an n x n matrix once.
type Builder struct {
	n     int
	index map[[2]int32]int
	rows  []int32
	cols  []int32
}

// NewBuilder starts an empty pattern of an n x n matrix.
func NewBuilder(n int) *Builder {
	if n < 0 {
		panic(fmt.Sprintf("sparse: negative matrix size %d", n))
	}
	return &Builder{n: n, index: make(map[[2]int32]int)}
}

// Reserve makes room for about n entries before the first is added. It does nothing
// once the builder holds one.
func (b *Builder) Reserve(n int) {
	if len(b.rows) > 0 {
		return
	}
	b.index = make(map[[2]int32]int, n)
	b.rows, b.cols = make([]int32, 0, n), make([]int32, 0, n)
}

// Entry reserves (row, col), 0-based, and returns its index into the value slice.
// Calling it twice with the same (row, col) returns the same index.
func (b *Builder) Entry(row, col int) int {
	if row < 0 || row >= b.n || col < 0 || col >= b.n {
		panic(fmt.Sprintf("sparse: entry (%d, %d) outside a %d x %d matrix", row, col, b.n, b.n))
	}
	key := [2]int32{int32(row), int32(col)}
	if k, ok := b.index[key]; ok {
		return k
	}
	k := len(b.rows)
	b.index[key] = k
	b.rows = append(b.rows, int32(row))
	b.cols = append(b.cols, int32(col))
	return k
}

// NewPattern is the pattern of an n x n matrix whose k-th value is at (rows[k], cols[k]),
// 0-based, for entries already known to be distinct (as a caller that numbered them with a
// map of its own has them): it skips the Builder's map. It keeps rows and cols, which the
// caller must not change afterwards, and reports an entry outside the matrix or one given
// twice.
func NewPattern(n int, rows, cols []int32) (*Pattern, error) {
	if n < 0 || len(rows) != len(cols) {
		return nil, fmt.Errorf("sparse: %d x %d pattern of %d rows and %d columns", n, n, len(rows), len(cols))
	}
	for k := range rows {
		if rows[k] < 0 || int(rows[k]) >= n || cols[k] < 0 || int(cols[k]) >= n {
			return nil, fmt.Errorf("sparse: entry (%d, %d) outside a %d x %d matrix", rows[k], cols[k], n, n)
		}
	}
	p := &Pattern{n: n, rows: rows, cols: cols}
	if k := p.duplicate(); k >= 0 {
		return nil, fmt.Errorf("sparse: entry (%d, %d) given twice", rows[k], cols[k])
	}
	return p, nil
}

// duplicate returns the index of an entry that repeats an earlier one, or -1: entries
// counted per column, then each column's rows marked, without a map.
func (p *Pattern) duplicate() int {
	start := make([]int32, p.n+1)
	for _, c := range p.cols {
		start[c+1]++
	}
	for j := 0; j < p.n; j++ {
		start[j+1] += start[j]
	}
	byCol := make([]int32, len(p.cols)) // entry indices, column by column
	next := slices.Clone(start[:p.n])
	for k, c := range p.cols {
		byCol[next[c]] = int32(k)
		next[c]++
	}
	seen := make([]int32, p.n) // column+1 that last marked each row
	for j := 0; j < p.n; j++ {
		for _, k := range byCol[start[j]:start[j+1]] {
			r := p.rows[k]
			if seen[r] == int32(j)+1 {
				return int(k)
			}
			seen[r] = int32(j) + 1
		}
	}
	return -1
}

// Pattern freezes the structure. The value slice for this pattern has length p.NNZ(); value k
// belongs to the k-th distinct Entry reserved (in order of first reservation). Entries
// reserved afterwards do not change the returned pattern.
func (b *Builder) Pattern() *Pattern {
	return &Pattern{n: b.n, rows: slices.Clone(b.rows), cols: slices.Clone(b.cols)}
}

// Pattern is the frozen structure of a sparse matrix: the position of every value.
type Pattern struct {
	n          int
	rows, cols []int32
}

// N is the matrix size.
func (p *Pattern) N() int { return p.n }

// NNZ is the number of structural nonzeros, the length of a value slice.
func (p *Pattern) NNZ() int { return len(p.rows) }

// At is the position of value k.
func (p *Pattern) At(k int) (row, col int) { return int(p.rows[k]), int(p.cols[k]) }

// symmetricAdjacency is the graph of A+A^T without self loops: the neighbours of i are
// list[start[i]:start[i+1]], each once.
func (p *Pattern) symmetricAdjacency() (start, list []int32) {
	count := make([]int32, p.n+1)
	for k := range p.rows {
		if r, c := p.rows[k], p.cols[k]; r != c {
			count[r+1]++
			count[c+1]++
		}
	}
	for i := range p.n {
		count[i+1] += count[i]
	}
	raw := make([]int32, count[p.n])
	next := slices.Clone(count[:p.n])
	for k := range p.rows {
		if r, c := p.rows[k], p.cols[k]; r != c {
			raw[next[r]] = c
			next[r]++
			raw[next[c]] = r
			next[c]++
		}
	}
	// (r, c) and (c, r) both present give the same neighbour twice: keep the first.
	start = make([]int32, p.n+1)
	list = raw[:0]
	seen := make([]int32, p.n)
	for i := range seen {
		seen[i] = -1
	}
	for i := range p.n {
		start[i] = int32(len(list))
		for _, j := range raw[count[i]:count[i+1]] {
			if seen[j] != int32(i) {
				seen[j] = int32(i)
				list = append(list, j)
			}
		}
	}
	start[p.n] = int32(len(list))
	return start, list
}
