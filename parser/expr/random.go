package expr

import (
	"errors"
	"math/rand/v2"
)

// RandomFunc is a random function of ngspice's .param expressions (numparam): it draws
// a value from a stream when the netlist is read. Args is its argument count.
type RandomFunc struct {
	Args  int
	Usage string // "gauss(nom, rvar, sigma)"
	Draw  func(r *rand.Rand, args []float64) (float64, error)
}

// Random are the random functions, as ngspice defines them (its manual, "Using random
// param(eters)" in the chapter on statistical circuit analysis, and numparam's
// xpressn.c, which computes them; N is a draw from the standard normal distribution
// and U one uniform in [-1, 1)):
//
//	gauss(nom, rvar, sigma)   nom + nom*rvar/sigma * N   (rvar relative to nom)
//	agauss(nom, avar, sigma)  nom + avar/sigma * N       (avar absolute)
//	unif(nom, rvar)           nom + nom*rvar * U
//	aunif(nom, avar)          nom + avar * U
//	limit(nom, avar)          nom + avar if U > 0, else nom - avar: each with probability 1/2
//
// limit with three arguments is the clamp of Builtins; the argument count tells them
// apart. A zero sigma is an error (ngspice divides by it). Each call draws anew; Fold
// draws them when given a stream (FoldOptions.Rand), and they never survive folding.
var Random = map[string]RandomFunc{
	"gauss": {3, "gauss(nom, rvar, sigma)", func(r *rand.Rand, a []float64) (float64, error) {
		if a[2] == 0 {
			return 0, errSigma
		}
		return a[0] + a[0]*a[1]/a[2]*r.NormFloat64(), nil
	}},
	"agauss": {3, "agauss(nom, avar, sigma)", func(r *rand.Rand, a []float64) (float64, error) {
		if a[2] == 0 {
			return 0, errSigma
		}
		return a[0] + a[1]/a[2]*r.NormFloat64(), nil
	}},
	"unif": {2, "unif(nom, rvar)", func(r *rand.Rand, a []float64) (float64, error) {
		return a[0] + a[0]*a[1]*uniform(r), nil
	}},
	"aunif": {2, "aunif(nom, avar)", func(r *rand.Rand, a []float64) (float64, error) {
		return a[0] + a[1]*uniform(r), nil
	}},
	"limit": {2, "limit(nom, avar)", func(r *rand.Rand, a []float64) (float64, error) {
		if uniform(r) > 0 {
			return a[0] + a[1], nil
		}
		return a[0] - a[1], nil
	}},
}

var errSigma = errors.New("sigma must not be zero")

// uniform draws from [-1, 1), as ngspice's drand.
func uniform(r *rand.Rand) float64 { return 2*r.Float64() - 1 }

// IsRandom reports whether name called with nargs arguments is a random function:
// limit(x, a) is, limit(x, lo, hi) is not.
func IsRandom(name string, nargs int) bool {
	r, ok := Random[name]
	return ok && r.Args == nargs
}
