package devices

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gospice/gospice/parser"
)

// The random waveforms of ngspice, TRNOISE and TRRANDOM, as pure functions of time: the
// k-th random sample is drawn from a generator seeded with the source's stream (the run's
// seed, its index and the element's name, as every stochastic device of gospice) and k,
// so that any point of the waveform is computed without history, the same in every
// evaluation of a run, and runs with the same seed repeat. The values differ from
// ngspice's, whose generator and seeding are its own; their statistics are the same.

// noiseKey is the two words that seed a source's samples.
type noiseKey [2]uint64

func newNoiseKey(env Env, name string) noiseKey {
	src := parser.StreamSource(env.Seed, env.Run, name)
	return noiseKey{src.Uint64(), src.Uint64()}
}

// sample returns the generator of the k-th sample.
func (key noiseKey) sample(k int64) rand.PCG {
	var p rand.PCG
	p.Seed(key[0], key[1]^mix64(uint64(k)))
	return p
}

// mix64 spreads the bits of consecutive sample indices (SplitMix64's output function).
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// uniform returns a number in (0, 1].
func uniform(p *rand.PCG) float64 {
	return (float64(p.Uint64()>>11) + 1) / (1 << 53)
}

// gauss returns a standard normal number (Box-Muller).
func gauss(p *rand.PCG) float64 {
	u1, u2 := uniform(p), uniform(p)
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// newRandomWave builds a TRNOISE or TRRANDOM waveform of the named element.
func newRandomWave(w *parser.Waveform, env Env, name string) (waveform, error) {
	a := w.Args
	key := newNoiseKey(env, name)
	if w.Kind == "trnoise" {
		if arg(a, 2, 0) != 0 || arg(a, 3, 0) != 0 {
			return nil, fmt.Errorf("the 1/f noise of TRNOISE (nalpha, namp) is not supported yet")
		}
		if arg(a, 4, 0) != 0 {
			return nil, fmt.Errorf("the random telegraph noise of TRNOISE (rtsam, rtscapt, rtsemt) is not supported yet")
		}
		if a[0] < 0 || a[1] < 0 {
			return nil, fmt.Errorf("TRNOISE amplitude and sample time must not be negative")
		}
		return &trnoise{na: a[0], nt: a[1], key: key}, nil
	}
	r := &trrandom{typ: int(a[0]), ts: a[1], td: arg(a, 2, 0), p1: arg(a, 3, 1), p2: arg(a, 4, 0), key: key}
	if float64(r.typ) != a[0] || r.typ < 1 || r.typ > 4 {
		return nil, fmt.Errorf("TRRANDOM type must be 1 (uniform), 2 (gaussian), 3 (exponential) or 4 (poisson), found %g", a[0])
	}
	if r.ts <= 0 || r.td < 0 {
		return nil, fmt.Errorf("TRRANDOM needs a positive ts and a td not negative")
	}
	return r, nil
}

// trnoise is TRNOISE(na nt 0 0): white Gaussian noise of standard deviation na, a sample
// every nt interpolated linearly, 0 at t = 0, as ngspice has it. A zero na or nt is no
// noise.
type trnoise struct {
	na, nt float64
	key    noiseKey
}

// at returns the k-th sample: 0 for k = 0.
func (n *trnoise) at(k int64) float64 {
	if k <= 0 {
		return 0
	}
	p := n.key.sample(k)
	return n.na * gauss(&p)
}

func (n *trnoise) value(t float64, _ Timing) float64 {
	if n.na == 0 || n.nt == 0 || t <= 0 {
		return 0
	}
	f := t / n.nt
	k := math.Floor(f)
	s0, s1 := n.at(int64(k)), n.at(int64(k)+1)
	return s0 + (s1-s0)*(f-k)
}

func (n *trnoise) next(t float64, _ Timing) float64 {
	if n.na == 0 || n.nt == 0 {
		return math.Inf(1)
	}
	return nextMultiple(t, 0, n.nt)
}

// nextMultiple returns the first t0 + k step strictly after t (k >= 0).
func nextMultiple(t, t0, step float64) float64 {
	if t < t0 {
		return t0
	}
	k := math.Floor((t-t0)/step) + 1
	b := t0 + k*step
	for b <= t {
		k++
		b = t0 + k*step
	}
	return b
}

// trrandom is TRRANDOM(type ts td p1 p2): p2 up to td, then a new random value every ts,
// held: 1 uniform in p2 +- p1, 2 Gaussian of mean p2 and standard deviation p1, 3 p2 plus
// an exponential of mean p1, 4 p2 plus a Poisson number of mean p1.
type trrandom struct {
	typ    int
	ts, td float64
	p1, p2 float64
	key    noiseKey
}

func (r *trrandom) value(t float64, _ Timing) float64 {
	if t <= r.td {
		return r.p2
	}
	// The value of (td + k ts, td + (k+1) ts]: a breakpoint keeps the value before it.
	k := int64(math.Ceil((t-r.td)/r.ts)) - 1
	p := r.key.sample(k)
	switch r.typ {
	case 1:
		return r.p2 + r.p1*(2*uniform(&p)-1)
	case 2:
		return r.p2 + r.p1*gauss(&p)
	case 3:
		return r.p2 - r.p1*math.Log(uniform(&p))
	}
	return r.p2 + poisson(&p, r.p1)
}

// poisson returns a Poisson number of mean lambda (Knuth's product of uniforms; the
// means of TRRANDOM are small).
func poisson(p *rand.PCG, lambda float64) float64 {
	limit, prod, n := math.Exp(-lambda), uniform(p), 0
	for prod > limit && n < 1000 {
		prod *= uniform(p)
		n++
	}
	return float64(n)
}

func (r *trrandom) next(t float64, _ Timing) float64 {
	return nextMultiple(t, r.td, r.ts)
}
