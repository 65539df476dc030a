package devices

import "math"

// Table-driven natural logarithm and exponential for the devices' inner loops (a junction's
// grading powers arg^-m = exp(-m log arg) in every load). Each is within two ulps of
// package math's (TestFastMath), and they are faster because they need no division and
// only a short polynomial after a table look-up.

const (
	fastTableBits = 7
	fastTableSize = 1 << fastTableBits
	// fastLogOffset is the bit pattern of 0.6875: fastLog reduces x to 2^e m with m in
	// [0.6875, 1.375), and the table's parts of that range start at its bit patterns.
	fastLogOffset = 0x3fe6000000000000
)

var (
	// For the j-th part of [0.6875, 1.375) (80 parts of width 1/256 below 1, 48 of width
	// 1/128 above): its middle, exact in a few bits (1 itself for the two parts next to 1,
	// so that logarithms near 0 keep their relative accuracy), its reciprocal and its
	// logarithm.
	fastLogCenter, fastLogInv, fastLogOf [fastTableSize]float64
	// fastExp2[j] is 2^(j/128).
	fastExp2 [fastTableSize]float64
)

func init() {
	for j := range uint64(fastTableSize) {
		lo := math.Float64frombits(fastLogOffset + j<<(52-fastTableBits))
		hi := math.Float64frombits(fastLogOffset + (j+1)<<(52-fastTableBits))
		c := (lo + hi) / 2
		if lo == 1 || hi == 1 {
			c = 1
		}
		fastLogCenter[j], fastLogInv[j], fastLogOf[j] = c, 1/c, math.Log(c)
		fastExp2[j] = math.Exp2(float64(j) / fastTableSize)
	}
}

// ln 2 split so that k*fastLn2Hi is exact for the integers k of fastLog and fastExp.
const (
	fastLn2Hi = 6.93147180369123816490e-01 // 0x3fe62e42fee00000
	fastLn2Lo = 1.90821492927058770002e-10 // 0x3dea39ef35793c76
)

// fastLog is the natural logarithm of x. Outside the positive normal numbers it is math.Log.
func fastLog(x float64) float64 {
	if !(x >= 0x1p-1022 && x <= math.MaxFloat64) {
		return math.Log(x)
	}
	// x = 2^e m with m in [0.6875, 1.375), and m = c (1 + r) with c the middle of m's part.
	bits := math.Float64bits(x)
	t := bits - fastLogOffset
	e := int64(t) >> 52
	j := (t >> (52 - fastTableBits)) & (fastTableSize - 1)
	m := math.Float64frombits(bits - uint64(e)<<52)
	r := (m - fastLogCenter[j]) * fastLogInv[j] // |r| <= 1/128; m - c is exact
	// log(1 + r) - r to degree 8 (the first term left out is below 2e-18 |r|), its terms
	// grouped in pairs so that they do not wait on one another.
	r2 := r * r
	r4 := r2 * r2
	p := r2*(-0.5+r*(1.0/3)) + r4*((-0.25+r*0.2)+r2*((-1.0/6+r*(1.0/7))+r2*-0.125))
	ef := float64(e)
	return ef*fastLn2Hi + fastLogOf[j] + (ef*fastLn2Lo + r + p)
}

// fastExp is e^x. Beyond |x| = 700, and for NaN, it is math.Exp.
func fastExp(x float64) float64 {
	if !(math.Abs(x) < 700) {
		return math.Exp(x)
	}
	// x = (k/128) ln 2 + r with k an integer and |r| <= ln 2 / 256; e^x = 2^(k/128) e^r.
	const shift = 0x1.8p52 // adding it rounds to an integer, which lands in the low bits
	kd := x*(fastTableSize/math.Ln2) + shift
	k := int64(math.Float64bits(kd)) - int64(math.Float64bits(shift))
	kd -= shift
	r := (x - kd*(fastLn2Hi/fastTableSize)) - kd*(fastLn2Lo/fastTableSize)
	// e^r - 1 to degree 5 (the first term left out is below 1e-18), its terms grouped in
	// pairs so that they do not wait on one another.
	r2 := r * r
	p := r + r2*((0.5+r*(1.0/6))+r2*(1.0/24+r*(1.0/120)))
	t := fastExp2[k&(fastTableSize-1)]
	y := t + t*p // in [1, 2)
	// Multiply by 2^(k >> 7) in the exponent bits: y and the result stay normal.
	return math.Float64frombits(math.Float64bits(y) + uint64(k>>fastTableBits)<<52)
}
