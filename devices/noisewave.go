package devices

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gospice/gospice/parser"
	"gonum.org/v1/gonum/dsp/fourier"
)

// The random waveforms of ngspice, TRNOISE and TRRANDOM, as pure functions of time: the
// k-th random sample is drawn from a generator seeded with the source's stream (the run's
// seed, its index and the element's name, as every stochastic device of gospice) and k,
// so that any point of the waveform is computed without history, the same in every
// evaluation of a run, and runs with the same seed repeat. TRNOISE's 1/f part and random
// telegraph signal depend on their past: they are drawn when the source is built, up to
// the .tran's tstop, and then read as the white part is. The values differ from
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
		return newTrnoise(a, env, key)
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

// trnoise is TRNOISE(na nt nalpha namp rtsam rtscapt rtsemt), as ngspice has it: the sum
// of white Gaussian noise of standard deviation na, a sample every nt interpolated
// linearly, 0 at t = 0; 1/f^nalpha noise sampled on the same grid (oneOverF); and a
// random telegraph signal of amplitude rtsam (rts). A zero na, nt, nalpha or namp, or
// rtsam, rtscapt or rtsemt, leaves its part out.
type trnoise struct {
	na, nt   float64
	key      noiseKey
	oneOverF []float64 // the 1/f samples at k nt, from k = 0 (which is 0)
	rts      telegraph
}

// The parts of a TRNOISE source draw from streams of their own, derived from its key.
const (
	streamOneOverF = 1
	streamRTS      = 2
)

// sub is the key of another stream of the same source.
func (key noiseKey) sub(stream uint64) noiseKey {
	return noiseKey{mix64(key[0] ^ stream), mix64(key[1] + stream)}
}

// maxNoiseSamples bounds the 1/f samples and the telegraph's switches computed ahead
// of a transient (tstop / nt): 32 MB each.
const maxNoiseSamples = 1 << 22

func newTrnoise(a []float64, env Env, key noiseKey) (*trnoise, error) {
	for i, what := range []string{"na", "nt", "nalpha", "namp", "rtsam", "rtscapt", "rtsemt"} {
		if arg(a, i, 0) < 0 && what != "rtsam" {
			return nil, fmt.Errorf("TRNOISE %s must not be negative, found %g", what, a[i])
		}
	}
	n := &trnoise{na: a[0], nt: a[1], key: key}
	if alpha, amp := arg(a, 2, 0), arg(a, 3, 0); alpha != 0 && amp != 0 && n.nt != 0 {
		if alpha > 2 {
			return nil, fmt.Errorf("TRNOISE nalpha must be between 0 and 2, found %g", alpha)
		}
		samples := math.Ceil(env.TStop/n.nt) + 2
		if samples > maxNoiseSamples {
			return nil, fmt.Errorf("the 1/f noise of TRNOISE needs tstop/nt = %.3g samples, more than %d: raise nt", samples, maxNoiseSamples)
		}
		n.oneOverF = kasdin(int(samples), alpha, amp, key.sub(streamOneOverF))
	}
	if am, capt, emt := arg(a, 4, 0), arg(a, 5, 0), arg(a, 6, 0); am != 0 && capt > 0 && emt > 0 {
		rts, err := newTelegraph(am, capt, emt, env.TStop, key.sub(streamRTS))
		if err != nil {
			return nil, err
		}
		n.rts = rts
	}
	return n, nil
}

// at returns the k-th white sample: 0 for k = 0.
func (n *trnoise) at(k int64) float64 {
	if k <= 0 {
		return 0
	}
	p := n.key.sample(k)
	return n.na * gauss(&p)
}

// sampled is the white and 1/f samples at k nt.
func (n *trnoise) sampled(k int64) float64 {
	var v float64
	if n.na != 0 {
		v = n.at(k)
	}
	if len(n.oneOverF) > 0 {
		// Past the samples computed (beyond tstop) the last one holds.
		v += n.oneOverF[min(k, int64(len(n.oneOverF)-1))]
	}
	return v
}

func (n *trnoise) value(t float64, _ Timing) float64 {
	v := n.rts.value(t)
	if n.nt == 0 || t <= 0 || n.na == 0 && len(n.oneOverF) == 0 {
		return v
	}
	f := t / n.nt
	k := math.Floor(f)
	s0, s1 := n.sampled(int64(k)), n.sampled(int64(k)+1)
	return v + s0 + (s1-s0)*(f-k)
}

func (n *trnoise) next(t float64, _ Timing) float64 {
	bp := n.rts.next(t)
	if n.nt != 0 && (n.na != 0 || len(n.oneOverF) > 0) {
		bp = min(bp, nextMultiple(t, 0, n.nt))
	}
	return bp
}

// kasdin returns n samples of 1/f^alpha noise, N. J. Kasdin's (Proc. IEEE 83(5), 1995):
// white Gaussian noise w of standard deviation amp filtered by the fractional integrator
// (1 - z⁻¹)^(-alpha/2), whose impulse response is h0 = 1, hk = h(k-1) (alpha/2 + k - 1)/k:
// x_k = sum over j <= k of h_j w_(k-j). Its spectral density is amp² / |2 sin(π f nt)|^alpha
// per unit of normalised frequency (two-sided), amp² / (2π f nt)^alpha at low f. ngspice
// scales namp so (its increments' standard deviation for alpha = 1 is 1.128 namp, as
// this one's). w_0 is 0, so that x_0 = 0 and the source starts at its DC value. The
// convolution is done by FFT, zero-padded so that it does not wrap.
func kasdin(n int, alpha, amp float64, key noiseKey) []float64 {
	size := 2
	for size < 2*n {
		size *= 2
	}
	h, w := make([]float64, size), make([]float64, size)
	h[0] = 1
	for k := 1; k < n; k++ {
		h[k] = h[k-1] * (alpha/2 + float64(k) - 1) / float64(k)
		p := key.sample(int64(k))
		w[k] = amp * gauss(&p)
	}
	fft := fourier.NewFFT(size)
	hc, wc := fft.Coefficients(nil, h), fft.Coefficients(nil, w)
	for i := range hc {
		hc[i] *= wc[i]
	}
	x := fft.Sequence(w, hc) // reuses w
	scale := 1 / float64(size)
	out := make([]float64, n)
	for k := range out {
		out[k] = x[k] * scale
	}
	return out
}

// telegraph is a random telegraph signal: 0 at t = 0, then am and 0 in turn, its times at
// 0 (until a capture) exponential of mean capt, at am (until an emission) exponential of
// mean emt, as ngspice's (its mean is am emt/(capt + emt)). The switching times up to
// tstop are drawn when it is built; after the last, the level holds. The zero value is
// no signal.
type telegraph struct {
	am       float64
	switches []float64 // increasing; the level is am after an odd number of them
}

func newTelegraph(am, capt, emt, tstop float64, key noiseKey) (telegraph, error) {
	r := telegraph{am: am}
	t := 0.0
	for k := int64(0); t <= tstop; k++ {
		if k >= maxNoiseSamples {
			return r, fmt.Errorf("the random telegraph noise of TRNOISE switches more than %d times in tstop (%g s, mean times %g s and %g s)", maxNoiseSamples, tstop, capt, emt)
		}
		mean := capt
		if k%2 == 1 {
			mean = emt
		}
		p := key.sample(k)
		t -= mean * math.Log(uniform(&p))
		r.switches = append(r.switches, t)
	}
	return r, nil
}

func (r *telegraph) value(t float64) float64 {
	if r.am == 0 {
		return 0
	}
	// A switch at t takes effect after it: the level before a breakpoint is kept.
	if i, _ := slices.BinarySearch(r.switches, t); i%2 == 1 {
		return r.am
	}
	return 0
}

func (r *telegraph) next(t float64) float64 {
	i, found := slices.BinarySearch(r.switches, t)
	if found {
		i++
	}
	if i < len(r.switches) {
		return r.switches[i]
	}
	return math.Inf(1)
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
