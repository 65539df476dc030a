package reservoir

import (
	"math"
	"math/rand/v2"
)

// synthInput is a recording-like input: channel c fires as a Poisson process whose rate
// peaks at peak Hz around a time that moves with c (a sweep across the channels, as a
// formant moves across a filter bank), over dur seconds; seed changes the draws.
func synthInput(seed uint64, channels int, dur, peak float64) Input {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := Input{Duration: dur, Channels: make([][]float64, channels)}
	for c := range channels {
		centre := dur * (0.2 + 0.6*float64(c)/float64(max(channels-1, 1)))
		width := dur / 4
		for t := rng.ExpFloat64() / peak; t < dur; t += rng.ExpFloat64() / peak {
			// thinning: keep with probability rate(t)/peak
			last := len(in.Channels[c]) - 1
			if last >= 0 && t-in.Channels[c][last] < 2e-3 {
				continue // the front end's spikes are at least 2 ms apart
			}
			if rng.Float64() < math.Exp(-0.5*math.Pow((t-centre)/width, 2)) {
				in.Channels[c] = append(in.Channels[c], t)
			}
		}
	}
	return in
}
