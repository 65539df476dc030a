package control

import (
	"fmt"
	"math"
	"math/cmplx"
	"strings"
)

// Vector is a vector of the control language: a plot's vector (time, out, v1#branch) or
// one that let or an expression made. It is real unless Cplx is set.
type Vector struct {
	Name string
	Type string // time, frequency, voltage, current, notype ...
	Real []float64
	Cplx []complex128 // the values of a complex vector; Real is nil then
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
	c := &Vector{Name: name, Type: v.Type}
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

// binary applies an arithmetic or comparison operator element by element.
func binary(op string, a, b *Vector) (*Vector, error) {
	n := binaryLen(a, b)
	out := &Vector{Type: resultType(op, a, b)}
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

// index picks v[lo] or the range v[lo,hi] (hi < lo counts down), as ngspice does.
func index(v *Vector, lo, hi int, isRange bool) (*Vector, error) {
	n := v.Len()
	if !isRange {
		hi = lo
	}
	if lo < 0 || hi < 0 || lo >= n || hi >= n {
		return nil, fmt.Errorf("index out of range: %s has %d values", v.Name, n)
	}
	out := &Vector{Type: v.Type}
	step := 1
	if hi < lo {
		step = -1
	}
	for i := lo; ; i += step {
		if v.Cplx != nil {
			out.Cplx = append(out.Cplx, v.Cplx[i])
		} else {
			out.Real = append(out.Real, v.Real[i])
		}
		if i == hi {
			break
		}
	}
	return out, nil
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
