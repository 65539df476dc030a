package control

import (
	"fmt"
	"math"
	"math/cmplx"
	"slices"
	"strings"
)

// Vector is a vector of the control language: a plot's vector (time, out, v1#branch) or
// one that let or an expression made. It is real unless Cplx is set.
type Vector struct {
	Name string
	Type string // time, frequency, voltage, current, notype ...
	Real []float64
	Cplx []complex128 // the values of a complex vector; Real is nil then
	// Dims are a multi-dimensional vector's dimensions (reshape), the first the outermost:
	// [5][6] is 5 blocks of 6 values one after the other. Nil for a vector of one dimension.
	Dims []int
}

// Len is the number of values.
func (v *Vector) Len() int {
	if v.Cplx != nil {
		return len(v.Cplx)
	}
	return len(v.Real)
}

// IsComplex says whether the vector holds complex values.
func (v *Vector) IsComplex() bool { return v.Cplx != nil }

// At is the i-th value as a complex number.
func (v *Vector) At(i int) complex128 {
	if v.Cplx != nil {
		return v.Cplx[i]
	}
	return complex(v.Real[i], 0)
}

// RealAt is the real part of the i-th value.
func (v *Vector) RealAt(i int) float64 {
	if v.Cplx != nil {
		return real(v.Cplx[i])
	}
	return v.Real[i]
}

func scalar(x float64) *Vector { return &Vector{Type: "notype", Real: []float64{x}} }

// copyAs is a copy of v named name.
func (v *Vector) copyAs(name string) *Vector {
	c := &Vector{Name: name, Type: v.Type, Dims: slices.Clone(v.Dims)}
	if v.Cplx != nil {
		c.Cplx = append([]complex128(nil), v.Cplx...)
	} else {
		c.Real = append([]float64{}, v.Real...)
	}
	return c
}

// truthy is the control language's truth of a vector: some value is not zero.
func (v *Vector) truthy() bool {
	for i := range v.Len() {
		if v.At(i) != 0 {
			return true
		}
	}
	return false
}

// binaryLen is the length of an element-by-element operation: a vector of one value
// goes with every value of the other; else the shorter length.
func binaryLen(a, b *Vector) int {
	switch {
	case a.Len() == 1:
		return b.Len()
	case b.Len() == 1:
		return a.Len()
	}
	return min(a.Len(), b.Len())
}

func at(v *Vector, i int) complex128 {
	if v.Len() == 1 {
		return v.At(0)
	}
	return v.At(i)
}

func realAt(v *Vector, i int) float64 {
	if v.Len() == 1 {
		return v.RealAt(0)
	}
	return v.RealAt(i)
}

// binary applies an arithmetic or comparison operator element by element. The result
// keeps the dimensions of an operand as long as it (b + 1 of a [2][3] b is [2][3]).
func binary(op string, a, b *Vector) (*Vector, error) {
	n := binaryLen(a, b)
	out := &Vector{Type: resultType(op, a, b)}
	for _, x := range []*Vector{a, b} {
		if out.Dims == nil && x.Dims != nil && x.Len() == n {
			out.Dims = slices.Clone(x.Dims)
		}
	}
	switch op {
	case "==", "=", "eq", "!=", "<>", "><", "ne", "<", "lt", ">", "gt", "<=", "le", ">=", "ge", "&", "&&", "and", "|", "||", "or":
		out.Real = make([]float64, n)
		for i := range n {
			x, y := realAt(a, i), realAt(b, i)
			var t bool
			switch op {
			case "==", "=", "eq":
				t = at(a, i) == at(b, i)
			case "!=", "<>", "><", "ne":
				t = at(a, i) != at(b, i)
			case "<", "lt":
				t = x < y
			case ">", "gt":
				t = x > y
			case "<=", "le":
				t = x <= y
			case ">=", "ge":
				t = x >= y
			case "&", "&&", "and":
				t = at(a, i) != 0 && at(b, i) != 0
			default:
				t = at(a, i) != 0 || at(b, i) != 0
			}
			if t {
				out.Real[i] = 1
			}
		}
		return out, nil
	}
	if a.IsComplex() || b.IsComplex() {
		out.Cplx = make([]complex128, n)
		for i := range n {
			x, y := at(a, i), at(b, i)
			switch op {
			case "+":
				out.Cplx[i] = x + y
			case "-":
				out.Cplx[i] = x - y
			case "*":
				out.Cplx[i] = x * y
			case "/":
				out.Cplx[i] = x / y
			case "^":
				out.Cplx[i] = cmplx.Pow(x, y)
			case "%":
				return nil, fmt.Errorf("%% of complex values")
			}
		}
		return out, nil
	}
	out.Real = make([]float64, n)
	for i := range n {
		x, y := realAt(a, i), realAt(b, i)
		switch op {
		case "+":
			out.Real[i] = x + y
		case "-":
			out.Real[i] = x - y
		case "*":
			out.Real[i] = x * y
		case "/":
			out.Real[i] = x / y
		case "%":
			out.Real[i] = math.Mod(x, y)
		case "^":
			if x < 0 && y != math.Trunc(y) {
				// A negative number to a fractional power is complex, as in ngspice.
				return binary("^", &Vector{Cplx: []complex128{complex(x, 0)}}, &Vector{Cplx: []complex128{complex(y, 0)}})
			}
			out.Real[i] = math.Pow(x, y)
		}
	}
	return out, nil
}

// resultType is the type of a op b, as ngspice 39 gives it: a product of two vectors of
// one type keeps it, a voltage times a current is a power, a voltage over a current an
// impedance and a current over a voltage an admittance; a comparison has a's type; the
// rest (a sum, a difference, a vector times a number) is notype.
func resultType(op string, a, b *Vector) string {
	switch op {
	case "*":
		switch {
		case a.Type == b.Type:
			return a.Type
		case a.Type == "voltage" && b.Type == "current" || a.Type == "current" && b.Type == "voltage":
			return "power"
		}
	case "/":
		switch {
		case a.Type == "voltage" && b.Type == "current":
			return "impedance"
		case a.Type == "current" && b.Type == "voltage":
			return "admittance"
		}
	case "==", "=", "eq", "!=", "<>", "ne", "<", "lt", ">", "gt", "<=", "le", ">=", "ge":
		return a.Type
	}
	return "notype"
}

// index picks v[lo] or the range v[lo,hi] (hi < lo counts down), as ngspice does: of a
// multi-dimensional vector, the blocks of its first dimension (v[1] of a [5][6] vector is
// its second 6 values, a vector of one dimension; v[1,2] is [2][6]). An index beyond the
// ends is moved to the nearest end, with ngspice's warning; a vector of one value has no
// index, as in ngspice.
func index(v *Vector, lo, hi int, isRange bool, warn func(string)) (*Vector, error) {
	n, block, rest := v.Len(), 1, []int(nil)
	if len(v.Dims) > 1 {
		n, rest = v.Dims[0], v.Dims[1:]
		block = v.Len() / n
	}
	switch {
	case n == 0:
		return nil, fmt.Errorf("index of %s, which has no values", v.Name)
	case v.Len() == 1:
		return nil, fmt.Errorf("indexing on a scalar (%s)", v.Name) // as ngspice 39
	}
	if !isRange {
		hi = lo
	}
	clamp := func(k int, which string) int {
		c := min(max(k, 0), n-1)
		if c != k {
			warn(fmt.Sprintf("%s limit %d should be %d", which, k, c))
		}
		return c
	}
	hi, lo = clamp(hi, "upper"), clamp(lo, "lower")
	out := &Vector{Type: v.Type}
	step := 1
	if hi < lo {
		step = -1
	}
	count := 0
	for i := lo; ; i += step {
		for j := i * block; j < (i+1)*block; j++ {
			if v.Cplx != nil {
				out.Cplx = append(out.Cplx, v.Cplx[j])
			} else {
				out.Real = append(out.Real, v.Real[j])
			}
		}
		count++
		if i == hi {
			break
		}
	}
	switch {
	case isRange && rest != nil:
		out.Dims = append([]int{count}, rest...)
	case len(rest) > 1:
		out.Dims = slices.Clone(rest)
	}
	return out, nil
}

// strides are the distances between neighbours of each dimension of v: for [5][3][6],
// 18, 6, 1. A vector of one dimension has one, 1.
func (v *Vector) strides() []int {
	dims := v.Dims
	if len(dims) < 2 {
		dims = []int{v.Len()}
	}
	s := make([]int, len(dims))
	step := 1
	for k := len(dims) - 1; k >= 0; k-- {
		s[k] = step
		step *= dims[k]
	}
	return s
}

// dimsText is a multi-dimensional vector's dimensions as display writes them, "[5,6]".
func dimsText(dims []int) string {
	parts := make([]string, len(dims))
	for k, d := range dims {
		parts[k] = fmt.Sprint(d)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// valueText is a value as print writes it: %e with six digits, five when negative so
// that every number takes the same width.
func valueText(x float64) string {
	if x < 0 || (x == 0 && math.Signbit(x)) {
		return fmt.Sprintf("%.5e", x)
	}
	return fmt.Sprintf("%.6e", x)
}

// shortText is a value as ngspice writes $&vector: C's %G, six digits (0.333333, 1.23457E+06).
func shortText(x float64) string { return fmt.Sprintf("%.6G", x) }

// lowerName is a name as vectors are looked up: lowercase, no spaces.
func lowerName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
