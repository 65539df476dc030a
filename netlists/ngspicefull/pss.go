package ngspicefull

import (
	"math"
	"sync"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// The kinds (KindOf) of a .pss's two plots.
const (
	pssTime     = "time domain periodic steady state analysis"
	pssSpectrum = "frequency domain periodic steady state analysis"
)

// periodDifference is difference for two plots of a .pss. The spectra meet harmonic by
// harmonic: their frequencies differ as the periods found do. The periods meet in phase:
// each run starts its period where it happens to (ngspice where its shooting stopped,
// gospice at a rising crossing), so b is read at a's phases (the time from the start over
// the period) shifted by the phase that lines the two up best.
func periodDifference(a *Plot, i int, b *Plot, j int) (diff, at float64, note string) {
	if a.Kind == pssSpectrum {
		if a.Len() != b.Len() {
			return math.Inf(1), 0, "harmonics differ in number"
		}
		return pointwise(a, i, b, j, nil)
	}
	pa, pb := phases(a), phases(b)
	shift := alignment(a, b, pa, pb)
	for k, th := range pa {
		d := math.Abs(a.Re[i][k] - periodicAt(pb, b.Re[j], th+shift))
		if d > diff || math.IsNaN(d) {
			diff, at = d, a.Re[0][k]
		}
	}
	return diff, at, ""
}

// phases is each point's time from the start of the period over the period.
func phases(p *Plot) []float64 {
	t := p.Re[0]
	out := make([]float64, len(t))
	for k, x := range t {
		out[k] = (x - t[0]) / (t[len(t)-1] - t[0])
	}
	return out
}

// periodicAt is the periodic function sampled at phases ph (0 to 1) read at phase th.
func periodicAt(ph, v []float64, th float64) float64 {
	return crosscheck.Interpolate(ph, v, th-math.Floor(th))
}

// alignments keeps the phase shift of each pair of plots, found once for all their
// vectors (netlists are compared on several goroutines).
var (
	alignments   = map[[2]*Plot]float64{}
	alignmentsMu sync.Mutex
)

// alignment is the phase shift of b that lines it up best with a: the least sum over
// the vectors both have of the squared differences, each over the swing of a's vector,
// first on b's points and then refined by golden section between the neighbours.
func alignment(a, b *Plot, pa, pb []float64) float64 {
	alignmentsMu.Lock()
	defer alignmentsMu.Unlock()
	if s, ok := alignments[[2]*Plot{a, b}]; ok {
		return s
	}
	var pairs [][2]int
	var weights []float64
	for i, n := range a.Vars {
		if i == 0 {
			continue
		}
		for j, m := range b.Vars {
			if j > 0 && NgspiceName(m) == NgspiceName(n) {
				if _, swing := extent(a, i); swing > 0 {
					pairs, weights = append(pairs, [2]int{i, j}), append(weights, 1/(swing*swing))
				}
			}
		}
	}
	cost := func(shift float64) float64 {
		sum := 0.0
		for q, pr := range pairs {
			for k, th := range pa {
				d := a.Re[pr[0]][k] - periodicAt(pb, b.Re[pr[1]], th+shift)
				sum += weights[q] * d * d
			}
		}
		return sum
	}
	best, bestCost := 0.0, math.Inf(1)
	for _, s := range pb[:len(pb)-1] {
		if c := cost(s); c < bestCost {
			best, bestCost = s, c
		}
	}
	step := 1 / float64(max(len(pb)-1, 1))
	lo, hi := best-step, best+step
	g := (math.Sqrt(5) - 1) / 2
	for range 40 {
		x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
		if cost(x1) < cost(x2) {
			hi = x2
		} else {
			lo = x1
		}
	}
	best = (lo + hi) / 2
	alignments[[2]*Plot{a, b}] = best
	return best
}
