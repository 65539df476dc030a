package sparse

import (
	"math"
	"unsafe"
)

// Scalar is the element type of a matrix: real for DC and transient, complex for AC.
type Scalar interface{ ~float64 | ~complex128 }

// Go cannot convert between a float and a type parameter that may be complex, so the
// helpers below look at the value's memory: 8 bytes is a float64, 16 bytes a complex128.
// The size is a constant in each instantiation (float64 and complex128 have different GC
// shapes), so the compiler drops the branch: the generated loops have none.

// magnitude is |v| for a real v and |re|+|im| for a complex one. The 1-norm is within a
// factor sqrt(2) of the modulus, which is all scaling and pivot choice need, and is cheaper.
func magnitude[T Scalar](v T) float64 {
	if unsafe.Sizeof(v) == 8 {
		return math.Abs(*(*float64)(unsafe.Pointer(&v)))
	}
	c := *(*complex128)(unsafe.Pointer(&v))
	return math.Abs(real(c)) + math.Abs(imag(c))
}

// infBits is the bit pattern of +Inf. The bits of a magnitude (sign clear) order as its
// value does, and NaNs come above infBits: an integer max of them keeps a NaN or infinity.
const infBits = 0x7ff0000000000000

// magnitudeBits is the bit pattern of magnitude(v).
func magnitudeBits[T Scalar](v T) uint64 {
	if unsafe.Sizeof(v) == 8 {
		return *(*uint64)(unsafe.Pointer(&v)) &^ (1 << 63)
	}
	c := *(*complex128)(unsafe.Pointer(&v))
	return math.Float64bits(math.Abs(real(c))+math.Abs(imag(c))) &^ (1 << 63)
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
