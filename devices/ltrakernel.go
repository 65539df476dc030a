package devices

import "math"

// The lossy line's impulse responses (Roychowdhury and Pederson's convolution model, as
// ngspice's LTRA uses it). In the Laplace domain each port of a line of length len obeys
//
//	I1 = Y0 V1 - Y0 H V2 - H I2    (and the same with the ports swapped)
//
// with Y0 = sqrt((G + sC)/(R + sL)) the characteristic admittance and H = exp(-len
// sqrt((R + sL)(G + sC))) the propagation over the line. Each of the three responses
// y0, y0 h, h is an impulse of some weight at a delay (0 or the line's delay tau) plus a
// continuous part. With G = 0, alpha = R/2L, Yinf = sqrt(C/L), tau = len sqrt(LC) and
// r = sqrt(s^2 - tau^2), the continuous parts are (s the time since the input):
//
//	y0:    Yinf alpha e^(-alpha s) (I1(alpha s) - I0(alpha s))                  s > 0
//	y0 h:  Yinf alpha e^(-alpha s) (s I1(alpha r)/r - I0(alpha r))              s > tau
//	h:     alpha^2 tau e^(-alpha s) I1(alpha r)/(alpha r)                        s > tau
//
// with impulses Yinf at 0, Yinf e^(-alpha tau) at tau and e^(-alpha tau) at tau. With
// G > 0 (a TXL or a CPL mode, txl.go and cpl.go), (R + sL)(G + sC) = LC ((s + sigma)^2 -
// delta^2) with sigma = (R/L + G/C)/2 and delta = (R/L - G/C)/2: e^(-alpha s) becomes
// e^(-sigma s) and the Bessel functions and their factors alpha take delta (makeKernels). With
// L = 0 (the RC line, Yc = sqrt(C/R), beta = len sqrt(RC)) there are no impulses, and the
// step responses are Yc/sqrt(pi s), Yc e^(-beta^2/4s)/sqrt(pi s) and erfc(beta/2 sqrt(s)).
//
// The port signals are taken as piecewise linear between the accepted points, so the
// convolution of a continuous part with one of them is a sum of its ramp response
// (the response's double integral) at the times since each corner of the signal, times
// the slope change there. ltraKernel gives those ramp responses: in closed form for the
// RC line, from a table built by Gauss-Legendre quadrature of the continuous part for
// the RLC line.

// kernelKind says how a kernel's ramp response is computed.
type kernelKind uint8

const (
	kernelNone  kernelKind = iota // no continuous part (the lossless line)
	kernelTable                   // RLC: the table
	kernelRCY0                    // RC: y0
	kernelRCY0H                   // RC: y0 h
	kernelRCH                     // RC: h
)

// ltraKernel is one impulse response: scale times (an impulse of weight delta at the
// delay at, plus a continuous part whose step response tends to tail and whose ramp
// response is ramp).
type ltraKernel struct {
	kind      kernelKind
	scale     float64
	delta, at float64
	tail      float64
	beta      float64 // the RC line's len sqrt(RC)
	cont      func(s float64) float64
	table     rampTable
}

// ramp is the ramp response of the continuous part at u (without scale): 0 for u <= at.
func (k *ltraKernel) ramp(u float64) float64 {
	if u <= k.at {
		return 0
	}
	switch k.kind {
	case kernelTable:
		return k.table.at(u)
	case kernelRCY0:
		return 2 * math.Sqrt(u/math.Pi)
	case kernelRCY0H:
		z := k.beta / (2 * math.Sqrt(u))
		return 2*math.Sqrt(u/math.Pi)*math.Exp(-z*z) - k.beta*math.Erfc(z)
	case kernelRCH:
		z := k.beta / (2 * math.Sqrt(u))
		return (u+k.beta*k.beta/2)*math.Erfc(z) - k.beta*math.Sqrt(u/math.Pi)*math.Exp(-z*z)
	}
	return 0
}

// rampTable is a ramp response on a uniform grid from start, with its derivative (the
// step response) at every node, read by cubic Hermite interpolation.
type rampTable struct {
	start, step float64
	ramp, slope []float64 // at start + i step
}

// at interpolates the table at u > start; past its end it goes on along the last slope.
func (t *rampTable) at(u float64) float64 {
	n := len(t.ramp)
	f := (u - t.start) / t.step
	i := int(f)
	if i >= n-1 {
		return t.ramp[n-1] + t.slope[n-1]*(u-t.start-float64(n-1)*t.step)
	}
	s := f - float64(i)
	s2, s3 := s*s, s*s*s
	return (2*s3-3*s2+1)*t.ramp[i] + (s3-2*s2+s)*t.step*t.slope[i] +
		(3*s2-2*s3)*t.ramp[i+1] + (s3-s2)*t.step*t.slope[i+1]
}

// end is the last u the table holds.
func (t *rampTable) end() float64 { return t.start + float64(len(t.ramp)-1)*t.step }

// extend integrates the continuous part cont cell by cell until the table reaches
// until: the step response grows by the cell's integral of cont, the ramp response by
// the cell's integral of the step response, both by 5-point Gauss-Legendre.
func (t *rampTable) extend(cont func(float64) float64, until float64) {
	if len(t.ramp) == 0 {
		t.ramp, t.slope = append(t.ramp, 0), append(t.slope, 0)
	}
	for t.end() < until {
		i := len(t.ramp) - 1
		a := t.start + float64(i)*t.step
		b := a + t.step
		var dStep, dRamp float64
		for q := range gaussNodes {
			s := a + (gaussNodes[q]+1)/2*t.step
			w := gaussWeights[q] * t.step / 2
			h := cont(s)
			dStep += w * h
			dRamp += w * h * (b - s)
		}
		t.ramp = append(t.ramp, t.ramp[i]+t.step*t.slope[i]+dRamp)
		t.slope = append(t.slope, t.slope[i]+dStep)
	}
}

// The 5-point Gauss-Legendre rule on [-1, 1].
var (
	gaussNodes   = [5]float64{-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640}
	gaussWeights = [5]float64{0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891}
)

// besselI0e is e^-x I0(x) for x >= 0.
func besselI0e(x float64) float64 {
	if x > besselLarge {
		return besselAsymptotic(0, x)
	}
	q := x * x / 4
	sum, term := 1.0, 1.0
	for k := 1; term > 1e-17*sum; k++ {
		term *= q / float64(k*k)
		sum += term
	}
	return sum * math.Exp(-x)
}

// besselI1eOverX is e^-x I1(x)/x for x >= 0 (1/2 at 0).
func besselI1eOverX(x float64) float64 {
	if x > besselLarge {
		return besselAsymptotic(1, x) / x
	}
	q := x * x / 4
	sum, term := 0.5, 0.5
	for k := 1; term > 1e-17*sum; k++ {
		term *= q / float64(k*(k+1))
		sum += term
	}
	return sum * math.Exp(-x)
}

// besselLarge is where the power series (all terms positive, so exact to rounding)
// gives way to the asymptotic series, whose smallest term there is below 1e-16.
const besselLarge = 25

// besselAsymptotic is e^-x I_nu(x) for large x: (2 pi x)^(-1/2) times the sum over k of
// (-1)^k a_k / x^k, a_k = a_(k-1) (4 nu^2 - (2k-1)^2) / 8k, summed while the terms shrink.
func besselAsymptotic(nu int, x float64) float64 {
	mu := float64(4 * nu * nu)
	sum, term := 1.0, 1.0
	for k := 1; k < 100; k++ {
		next := -term * (mu - float64((2*k-1)*(2*k-1))) / (8 * float64(k) * x)
		if math.Abs(next) >= math.Abs(term) || math.Abs(next) < 1e-17 {
			break
		}
		term = next
		sum += term
	}
	return sum / math.Sqrt(2*math.Pi*x)
}
