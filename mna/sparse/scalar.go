package sparse

import (
	"math"
	"unsafe"
)

// Scalar is the element type of a matrix: real for DC and transient, complex for AC.
type Scalar interface{ ~float64 | ~complex128 }

// Go cannot convert between a float and a type parameter that may be complex, so the two
// helpers below look at the value's memory: 8 bytes is a float64, 16 bytes a complex128.
// The size is known for each instantiation, so the branch costs nothing.

// magnitude is |v| for a real v and |re|+|im| for a complex one. The 1-norm is within a
// factor sqrt(2) of the modulus, which is all scaling and pivot choice need, and is cheaper.
func magnitude[T Scalar](v T) float64 {
	if unsafe.Sizeof(v) == 8 {
		return math.Abs(*(*float64)(unsafe.Pointer(&v)))
	}
	c := *(*complex128)(unsafe.Pointer(&v))
	return math.Abs(real(c)) + math.Abs(imag(c))
}

// fromReal converts f to T.
func fromReal[T Scalar](f float64) T {
	var v T
	if unsafe.Sizeof(v) == 8 {
		*(*float64)(unsafe.Pointer(&v)) = f
	} else {
		*(*complex128)(unsafe.Pointer(&v)) = complex(f, 0)
	}
	return v
}

// finite reports whether a magnitude is neither NaN nor infinite.
func finite(a float64) bool { return a-a == 0 }
