package control

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
)

// randomFunctions draw from the interpreter's random stream (setseed seeds it): a value per
// value of their argument, whose values only rnd reads.
var randomFunctions = map[string]func(r *rand.Rand, v *Vector) *Vector{
	// sgauss: normal, mean 0, standard deviation 1.
	"sgauss": func(r *rand.Rand, v *Vector) *Vector { return draw(v, r.NormFloat64) },
	// sunif: uniform between -1 and 1.
	"sunif": func(r *rand.Rand, v *Vector) *Vector { return draw(v, func() float64 { return 2*r.Float64() - 1 }) },
	// rnd: a whole number from 0 up to each value (excluded).
	"rnd": func(r *rand.Rand, v *Vector) *Vector {
		out := &Vector{Type: "notype", Real: make([]float64, v.Len())}
		for i := range out.Real {
			if n := math.Floor(math.Abs(v.RealAt(i))); n >= 1 && n < 1<<62 {
				out.Real[i] = float64(r.Int64N(int64(n)))
			}
		}
		return out
	},
}

func draw(v *Vector, f func() float64) *Vector {
	out := &Vector{Type: "notype", Real: make([]float64, max(v.Len(), 1))}
	for i := range out.Real {
		out.Real[i] = f()
	}
	return out
}

// function is a vector function of the control language; scale is the plot's scale, for
// deriv and integ.
type function func(args []*Vector, scale *Vector) (*Vector, error)

// elementwise makes a function of one argument applied to each value: re for a real
// vector (nil: computed as complex), cx for a complex one.
func elementwise(re func(float64) float64, cx func(complex128) complex128) function {
	return func(args []*Vector, _ *Vector) (*Vector, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("takes one argument, got %d", len(args))
		}
		v := args[0]
		out := &Vector{Type: v.Type}
		if v.Cplx == nil && re != nil {
			out.Real = make([]float64, len(v.Real))
			for i, x := range v.Real {
				out.Real[i] = re(x)
			}
			return out, nil
		}
		out.Cplx = make([]complex128, v.Len())
		for i := range out.Cplx {
			out.Cplx[i] = cx(v.At(i))
		}
		return out, nil
	}
}

// toReal makes a function of one argument whose values are real whatever the argument.
func toReal(f func(complex128) float64, typ string) function {
	return func(args []*Vector, _ *Vector) (*Vector, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("takes one argument, got %d", len(args))
		}
		v := args[0]
		out := &Vector{Type: v.Type, Real: make([]float64, v.Len())}
		if typ != "" {
			out.Type = typ
		}
		for i := range out.Real {
			out.Real[i] = f(v.At(i))
		}
		return out, nil
	}
}

// reduce makes a function of a vector that gives one value.
func reduce(f func(v *Vector) float64) function {
	return func(args []*Vector, _ *Vector) (*Vector, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("takes one argument, got %d", len(args))
		}
		if args[0].Len() == 0 {
			return nil, fmt.Errorf("of an empty vector")
		}
		out := scalar(f(args[0]))
		out.Type = args[0].Type
		return out, nil
	}
}

// mean is the mean of the values, complex for a complex vector as in ngspice 39 (the
// rms of an ifft in FFT_Leakage.cir is sqrt(mean(x*x)) of a complex x).
func mean(args []*Vector, _ *Vector) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	v := args[0]
	if v.Len() == 0 {
		return nil, fmt.Errorf("of an empty vector")
	}
	if !v.IsComplex() {
		out := scalar(sum(v) / float64(v.Len()))
		out.Type = v.Type
		return out, nil
	}
	var s complex128
	for _, c := range v.Cplx {
		s += c
	}
	return &Vector{Type: v.Type, Cplx: []complex128{s / complex(float64(v.Len()), 0)}}, nil
}

// sqrtReal is the square root, complex for a negative value as in ngspice.
func sqrtFunc(args []*Vector, _ *Vector) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	v := args[0]
	if v.Cplx == nil && !slices.ContainsFunc(v.Real, func(x float64) bool { return x < 0 }) {
		return elementwise(math.Sqrt, nil)(args, nil)
	}
	return elementwise(nil, cmplx.Sqrt)(args, nil)
}

// dbFunc is 20 log10 of the magnitude, of type decibel; a zero is an error, as in ngspice.
func dbFunc(args []*Vector, scale *Vector) (*Vector, error) {
	if len(args) == 1 && slices.ContainsFunc(args[0].Real, func(x float64) bool { return x == 0 }) ||
		len(args) == 1 && slices.ContainsFunc(args[0].Cplx, func(c complex128) bool { return c == 0 }) {
		return nil, errors.New("argument out of range for db")
	}
	return toReal(func(c complex128) float64 { return 20 * math.Log10(cmplx.Abs(c)) }, "decibel")(args, scale)
}

// maxValues bounds the vectors that vector(), unitvec() and compose make.
const maxValues = 1 << 22

// functions are the control language's vector functions, by lowercase name.
var functions map[string]function

func init() {
	functions = map[string]function{
		"mag":    toReal(cmplx.Abs, ""),
		"abs":    toReal(cmplx.Abs, ""),
		"ph":     toReal(cmplx.Phase, "notype"),
		"phase":  toReal(cmplx.Phase, "notype"),
		"cph":    cph,
		"unwrap": cph,
		"db":     dbFunc,
		"real":   toReal(func(c complex128) float64 { return real(c) }, ""),
		"re":     toReal(func(c complex128) float64 { return real(c) }, ""),
		"imag":   toReal(func(c complex128) float64 { return imag(c) }, ""),
		"im":     toReal(func(c complex128) float64 { return imag(c) }, ""),
		"conj":   elementwise(func(x float64) float64 { return x }, cmplx.Conj),
		"j":      elementwise(nil, func(c complex128) complex128 { return c * 1i }),
		"sqrt":   sqrtFunc,
		"exp":    elementwise(math.Exp, cmplx.Exp),
		"ln":     elementwise(math.Log, cmplx.Log),
		"log":    elementwise(math.Log, cmplx.Log),
		"log10":  elementwise(math.Log10, cmplx.Log10),
		"sin":    elementwise(math.Sin, cmplx.Sin),
		"cos":    elementwise(math.Cos, cmplx.Cos),
		"tan":    elementwise(math.Tan, cmplx.Tan),
		"atan":   elementwise(math.Atan, cmplx.Atan),
		"asin":   elementwise(math.Asin, cmplx.Asin),
		"acos":   elementwise(math.Acos, cmplx.Acos),
		"sinh":   elementwise(math.Sinh, cmplx.Sinh),
		"cosh":   elementwise(math.Cosh, cmplx.Cosh),
		"tanh":   elementwise(math.Tanh, cmplx.Tanh),
		"atanh":  elementwise(math.Atanh, cmplx.Atanh), // ngspice 39 lacks it, later ones have it (atanh.sp)
		"floor":  elementwise(math.Floor, nil),
		"ceil":   elementwise(math.Ceil, nil),
		"nint":   elementwise(math.RoundToEven, nil), // as ngspice 39: halves to even
		"sgn":    elementwise(sgn, nil),
		"pos":    toReal(func(c complex128) float64 { return map[bool]float64{true: 1}[real(c) > 0] }, "notype"),
		"mean":   mean,
		"norm":   norm,
		"length": func(args []*Vector, _ *Vector) (*Vector, error) {
			out, err := one(args, func(v *Vector) float64 { return float64(v.Len()) })
			if err == nil {
				out.Type = args[0].Type // ngspice 39: length(in) a voltage, length(v1#branch) a current (measured)
			}
			return out, err
		},
		"vecmax":    reduce(func(v *Vector) float64 { return extreme(v, 1) }),
		"maximum":   reduce(func(v *Vector) float64 { return extreme(v, 1) }),
		"vecmin":    reduce(func(v *Vector) float64 { return extreme(v, -1) }),
		"minimum":   reduce(func(v *Vector) float64 { return extreme(v, -1) }),
		"stddev":    reduce(stddev),
		"avg":       avg,
		"vector":    func(args []*Vector, _ *Vector) (*Vector, error) { return ramp(args, false) },
		"unitvec":   func(args []*Vector, _ *Vector) (*Vector, error) { return ramp(args, true) },
		"deriv":     deriv,
		"integ":     integ,
		"sortorder": sortorder,
	}
}

func sgn(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func one(args []*Vector, f func(v *Vector) float64) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	return scalar(f(args[0])), nil
}

func sum(v *Vector) float64 {
	s := 0.0
	for i := range v.Len() {
		s += v.RealAt(i)
	}
	return s
}

// extreme is the largest (sign 1) or smallest (sign -1) real part.
func extreme(v *Vector, sign float64) float64 {
	best := v.RealAt(0)
	for i := range v.Len() {
		if x := v.RealAt(i); sign*x > sign*best {
			best = x
		}
	}
	return best
}

func stddev(v *Vector) float64 {
	n := float64(v.Len())
	if n < 2 {
		return 0
	}
	m := sum(v) / n
	s := 0.0
	for i := range v.Len() {
		d := v.RealAt(i) - m
		s += d * d
	}
	return math.Sqrt(s / (n - 1))
}

// norm divides a vector by its largest magnitude.
func norm(args []*Vector, _ *Vector) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	v := args[0]
	big := 0.0
	for i := range v.Len() {
		big = max(big, cmplx.Abs(v.At(i)))
	}
	if big == 0 {
		return nil, fmt.Errorf("of a vector of zeros")
	}
	out, err := binary("/", v, scalar(big))
	if out != nil {
		out.Type = v.Type
	}
	return out, err
}

// avg is the running average: the mean of the values up to each one.
func avg(args []*Vector, _ *Vector) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	v := args[0]
	out := &Vector{Type: v.Type, Real: make([]float64, v.Len())}
	s := 0.0
	for i := range v.Len() {
		s += v.RealAt(i)
		out.Real[i] = s / float64(i+1)
	}
	return out, nil
}

// ramp is vector(n): 0, 1, ... n-1; unitvec(n): n ones.
func ramp(args []*Vector, ones bool) (*Vector, error) {
	if len(args) != 1 || args[0].Len() == 0 {
		return nil, fmt.Errorf("takes one number")
	}
	n := int(args[0].RealAt(0))
	if n < 0 || n > maxValues {
		return nil, fmt.Errorf("of %d values", n)
	}
	// ngspice 39: unitvec(n) and vector(n) have n's type (measured: n = length(in) makes
	// both voltages)
	out := &Vector{Type: args[0].Type, Real: make([]float64, n)}
	for i := range out.Real {
		out.Real[i] = float64(i)
		if ones {
			out.Real[i] = 1
		}
	}
	return out, nil
}

// cph is the phase made continuous: jumps of more than pi are unwrapped.
func cph(args []*Vector, _ *Vector) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	v := args[0]
	out := &Vector{Type: "notype", Real: make([]float64, v.Len())}
	shift := 0.0
	for i := range out.Real {
		p := cmplx.Phase(v.At(i))
		if i > 0 {
			prev := out.Real[i-1] - shift
			if d := p - prev; d > math.Pi {
				shift -= 2 * math.Pi
			} else if d < -math.Pi {
				shift += 2 * math.Pi
			}
		}
		out.Real[i] = p + shift
	}
	return out, nil
}

// scaleOf checks that a function of the plot's scale has one as long as its argument.
func scaleOf(args []*Vector, scale *Vector) (*Vector, *Vector, error) {
	if len(args) != 1 {
		return nil, nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	if scale == nil || scale.Len() != args[0].Len() {
		return nil, nil, fmt.Errorf("needs a scale (time, frequency, the sweep) as long as its argument")
	}
	return args[0], scale, nil
}

// deriv is the derivative against the plot's scale: the slope of the parabola through
// each value and its neighbours (at the ends, the one through the first or last three).
func deriv(args []*Vector, scale *Vector) (*Vector, error) {
	v, x, err := scaleOf(args, scale)
	if err != nil {
		return nil, err
	}
	n := v.Len()
	out := &Vector{Type: "notype"}
	if v.IsComplex() {
		out.Cplx = make([]complex128, n)
	} else {
		out.Real = make([]float64, n)
	}
	if n < 2 {
		return out, nil
	}
	for i := range n {
		var d complex128
		if n == 2 {
			d = (v.At(1) - v.At(0)) / complex(x.RealAt(1)-x.RealAt(0), 0)
		} else {
			k := min(max(i, 1), n-2) // the middle of the three points
			x0, x1, x2 := x.RealAt(k-1), x.RealAt(k), x.RealAt(k+1)
			y0, y1, y2 := v.At(k-1), v.At(k), v.At(k+1)
			t := x.RealAt(i)
			// The derivative at t of the Lagrange parabola through the three points.
			l0 := complex((2*t-x1-x2)/((x0-x1)*(x0-x2)), 0)
			l1 := complex((2*t-x0-x2)/((x1-x0)*(x1-x2)), 0)
			l2 := complex((2*t-x0-x1)/((x2-x0)*(x2-x1)), 0)
			d = y0*l0 + y1*l1 + y2*l2
		}
		if out.Cplx != nil {
			out.Cplx[i] = d
		} else {
			out.Real[i] = real(d)
		}
	}
	return out, nil
}

// integ is the running integral against the plot's scale, by the trapezoidal rule.
func integ(args []*Vector, scale *Vector) (*Vector, error) {
	v, x, err := scaleOf(args, scale)
	if err != nil {
		return nil, err
	}
	if v.IsComplex() {
		return nil, fmt.Errorf("of a complex vector")
	}
	out := &Vector{Type: "notype", Real: make([]float64, v.Len())}
	for i := 1; i < v.Len(); i++ {
		out.Real[i] = out.Real[i-1] + (x.RealAt(i)-x.RealAt(i-1))*(v.RealAt(i)+v.RealAt(i-1))/2
	}
	return out, nil
}

// sortorder is the indexes that sort the vector ascending.
func sortorder(args []*Vector, _ *Vector) (*Vector, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("takes one argument, got %d", len(args))
	}
	v := args[0]
	idx := make([]int, v.Len())
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := v.RealAt(a), v.RealAt(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	out := &Vector{Type: "notype", Real: make([]float64, len(idx))}
	for i, k := range idx {
		out.Real[i] = float64(k)
	}
	return out, nil
}
