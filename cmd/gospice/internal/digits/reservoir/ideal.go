package reservoir

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// The idealised network (Settings.Ideal): the same wiring, input pulses and synapses as the
// circuit, with each neuron reduced to the memristor's two states and a threshold, in
// plain Go on a fixed step. It is the report's comparison, not a model of the circuit's
// waveforms: what the circuit's dynamics add over a leaky integrate-and-fire neuron of the
// same time constants.
//
//	df/dt = mu max(v, 0) - (gamma1 + beta) f     the filament, without alpha's runaway
//	dr/dt = beta f - gamma2 r                    the residue (Table 1's rates)
//
// with v the neuron's input voltage. The neuron spikes when f + r reaches idealThreshold;
// f then drops to 0 and the neuron ignores its input for idealRefractory.
const (
	idealStep = 10e-6 // s
	// The threshold on f + r: 0.33 makes the idealised network fire about as many spikes
	// as the circuit on real recordings (3,633 against 0.35: 2,759, 0.3: 4,431 on eight).
	idealThreshold  = 0.33
	idealRefractory = 1e-3 // s: about the circuit's pulse and recovery after a spike
	gamma1, beta    = 600.0, 20.0
	gamma2          = 5.0
	synTau1         = 20e-6 // s: the synapses' rise
)

// runIdeal simulates the idealised network of s on in and returns its spike times per
// neuron, and the steps it took; with State > 0 it writes the neurons' residues into res
// as Run lays them out (res[i*State + k]: neuron i's at the end of part k).
func runIdeal(ctx context.Context, s Settings, w wiring, in Input, res []float64) ([][]float64, int, error) {
	n := s.Neurons
	drive := make([][]pulse, n)
	for i := range n {
		drive[i] = inputPulses(s, w.inputs[i], in)
	}
	// out[j]: the synapses from neuron j, for delivering its spikes.
	type target struct {
		post int
		syn  recSyn
	}
	out := make([][]target, n)
	for i, syns := range w.recurrent {
		for _, r := range syns {
			out[r.pre] = append(out[r.pre], target{i, r})
		}
	}
	// arrivals[i]: the synaptic events onto neuron i, (time, signed peak conductance).
	type arrival struct {
		t, g float64
	}
	arrivals := make([][]arrival, n)
	k := synPeakScale(synTau1, s.SynTau)
	f, r := make([]float64, n), make([]float64, n)
	quietUntil := make([]float64, n)
	next := make([]int, n) // drive[i][next[i]]: the first pulse not yet over
	spikes := make([][]float64, n)
	steps := int(math.Ceil(in.Duration / idealStep))
	decayF, decayR := math.Exp(-(gamma1+beta)*idealStep), math.Exp(-gamma2*idealStep)
	sample := 0 // the next residue sample
	for step := 1; step <= steps; step++ {
		if step%1000 == 0 && ctx.Err() != nil {
			return nil, step, ctx.Err()
		}
		t := float64(step) * idealStep
		for i := range n {
			// The input node: the pulses' current into rs, and the synapses' conductances
			// towards +-SynErev, as the circuit's s<i>.
			cur := 0.0
			for next[i] < len(drive[i]) && drive[i][next[i]].end <= t {
				next[i]++
			}
			for _, p := range drive[i][next[i]:] {
				if p.start > t {
					break
				}
				if t < p.end {
					cur += p.amp / rs
				}
			}
			gsum, gerev := 0.0, 0.0
			for _, a := range arrivals[i] {
				if a.t > t {
					continue
				}
				d := t - a.t
				g := math.Abs(a.g) * k * (math.Exp(-d/s.SynTau) - math.Exp(-d/synTau1))
				gsum += g
				gerev += math.Copysign(g, a.g) * s.SynErev
			}
			v := (cur + gerev) * rs / (1 + gsum*rs)
			// Exponential Euler: exact for a drive held over the step.
			fi := f[i]*decayF + s.Mu*max(v, 0)*(1-decayF)/(gamma1+beta)
			r[i] = r[i]*decayR + beta*f[i]*idealStep
			f[i] = fi
			if t < quietUntil[i] {
				f[i] = 0
				continue
			}
			if f[i]+r[i] >= idealThreshold {
				spikes[i] = append(spikes[i], t)
				f[i], quietUntil[i] = 0, t+idealRefractory
				for _, tg := range out[i] {
					g := tg.syn.gmax
					if tg.syn.inhibit {
						g = -g
					}
					arrivals[tg.post] = append(arrivals[tg.post], arrival{t + s.SynDelay, g})
				}
			}
		}
		for ; sample < s.State && t >= sampleTime(s, in, sample); sample++ {
			for i := range n {
				res[i*s.State+sample] = r[i]
			}
		}
		// Forget events whose conductance has died away (ten decay times).
		if step%1000 == 0 {
			for i := range arrivals {
				arrivals[i] = slices.DeleteFunc(arrivals[i], func(a arrival) bool { return t-a.t > 10*s.SynTau })
			}
		}
	}
	return spikes, steps, nil
}

// pulse is one input pulse onto a neuron: amp volts over [start, end).
type pulse struct {
	start, end, amp float64
}

// inputPulses lists the pulses of the channels that drive a neuron, on the circuit's grid.
func inputPulses(s Settings, syns []inputSyn, in Input) []pulse {
	var ps []pulse
	width := math.Max(1, math.Round(s.PulseWidth/s.PulseGrid)) * s.PulseGrid
	for _, sy := range syns {
		for _, t := range in.Channels[sy.channel] {
			start := math.Max(1, math.Round(t/s.PulseGrid)) * s.PulseGrid
			if start < in.Duration {
				ps = append(ps, pulse{start, start + width, sy.amp})
			}
		}
	}
	slices.SortFunc(ps, func(a, b pulse) int { return cmp.Compare(a.start, b.start) })
	return ps
}

// synPeakScale is k of docs/synapse.md: the factor that makes one event of the double
// exponential peak at its gmax.
func synPeakScale(tau1, tau2 float64) float64 {
	tau1 = math.Min(tau1, 0.9999*tau2)
	tp := tau1 * tau2 / (tau2 - tau1) * math.Log(tau2/tau1)
	return 1 / (math.Exp(-tp/tau2) - math.Exp(-tp/tau1))
}
