// Package reservoir simulates the spoken-digit task's recurrent network of 1M1T1R neurons
// as a circuit: one recording's input spike trains drive it, and its activity comes back as
// a feature vector for the readout.
//
// Run writes the network as a netlist (netlist.go), builds it with gospice and runs its
// transient; the features are each neuron's spike counts in Bins equal time bins.
package reservoir

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
)

// Input is one recording as the network sees it.
type Input struct {
	Duration float64     // network time to simulate (s)
	Channels [][]float64 // Channels[c]: the increasing spike times (s) of input channel c
}

// Settings describe the network. They are saved in the model folder as JSON, so every
// field is exported and tagged; the same Settings and Input give the same features.
// docs/digits-network.md says why each default is what it is.
type Settings struct {
	Inputs  int    `json:"inputs"`  // input channels the network expects
	Neurons int    `json:"neurons"` // circuit neurons in the network
	Seed    uint64 `json:"seed"`    // wiring, device spread and rupture noise

	Bins int `json:"bins"` // time bins of the spike counts

	// State is how many times each neuron's analog state is read: its memristor's
	// residue r at the ends of State equal parts of the recording, after the spike
	// counts. 0: spike counts only. The residue keeps, over 1/gamma2 = 200 ms, what a
	// neuron integrated, also below its threshold, which spike counts lose (a third of
	// the neurons do not fire in a recording); the filament relaxes in 1.6 ms, so a
	// sample of it says little more than whether a pulse has just arrived.
	State int `json:"state,omitempty"`

	// Input: each neuron is driven by FanIn random channels; every spike of one adds a
	// pulse of PulseWidth to the neuron's input voltage, of an amplitude drawn uniform in
	// [0.5, 1.5] InputAmp. Spike times are put on a grid of PulseGrid.
	// With Tonotopic the FanIn channels are neighbours, each neuron's band placed evenly
	// along the channels, instead of drawn at random.
	FanIn      int     `json:"fan_in"`
	Tonotopic  bool    `json:"tonotopic,omitempty"`
	InputAmp   float64 `json:"input_amp"`   // V
	PulseWidth float64 `json:"pulse_width"` // s
	PulseGrid  float64 `json:"pulse_grid"`  // s

	// Recurrent synapses: Recurrent random presynaptic neurons onto each, of peak
	// conductance uniform in [0.5, 1.5] RecurrentG against the input node's 100 kohm, a
	// fraction Inhibitory of them pulling towards -SynErev instead of SynErev.
	Recurrent  int     `json:"recurrent"`
	RecurrentG float64 `json:"recurrent_g"` // S
	Inhibitory float64 `json:"inhibitory"`
	SynErev    float64 `json:"syn_erev"`  // V
	SynDelay   float64 `json:"syn_delay"` // s
	SynTau     float64 `json:"syn_tau"`   // s, decay time constant

	// The neuron: Rc and Cg of its gate, and the memristor's drive strength mu.
	Rc float64 `json:"rc"` // ohm
	Cg float64 `json:"cg"` // F
	Mu float64 `json:"mu"` // 1/(V s)

	// Stochastic memristors: ruptures on or off, and the relative device-to-device spread
	// of mu, beta, gamma1 and gamma2 (0: none); both drawn from Seed.
	Noise  bool    `json:"noise"`
	Spread float64 `json:"spread"`

	// Ideal replaces the circuit by the idealised network of ideal.go (the same wiring,
	// input and synapses; each neuron a leaky integrate-and-fire model in plain Go), for
	// comparison. Noise and Spread do not apply to it.
	Ideal bool `json:"ideal,omitempty"`

	// Simulation: the transient's step (its largest step too), reltol, whether it runs
	// partitioned (each neuron its own block) or as one system, and how many of the blocks
	// compute at once (0 or 1: one, as the pipeline runs one recording per core). The
	// features do not depend on Workers.
	Step      float64 `json:"step"`
	Reltol    float64 `json:"reltol"`
	Partition bool    `json:"partition"`
	Workers   int     `json:"workers,omitempty"`
}

// DefaultSettings returns the network the reported numbers use, for inputs channels.
func DefaultSettings(inputs int) Settings {
	return Settings{
		Inputs: inputs, Neurons: 100, Seed: 1,
		Bins:  4,
		FanIn: 3, Tonotopic: true, InputAmp: 2.2, PulseWidth: 0.5e-3, PulseGrid: 50e-6,
		Recurrent: 2, RecurrentG: 10e-6, Inhibitory: 0.2, SynErev: 1, SynDelay: 5e-3, SynTau: 2e-3,
		Rc: 50e6, Cg: 10e-12, Mu: 150,
		Step: 1e-3, Reltol: 1e-3, Partition: true,
	}
}

// Features is the length of the vector Run returns for s.
func (s Settings) Features() int { return s.Neurons * (s.Bins + s.State) }

// Stats says what one recording's simulation cost.
type Stats struct {
	Steps  int // accepted time steps over all blocks
	Spikes int // spikes of the network's neurons
}

// Run simulates the network of s driven by in and returns its activity as Features()
// numbers: feature i*Bins + k is neuron i's spike count in the k-th of Bins equal parts of
// [0, Duration]; with State > 0, feature Neurons*Bins + i*State + k is neuron i's residue
// at the end of the k-th of State equal parts.
func Run(ctx context.Context, s Settings, in Input) ([]float64, Stats, error) {
	if err := s.check(); err != nil {
		return nil, Stats{}, err
	}
	if err := in.check(s); err != nil {
		return nil, Stats{}, err
	}
	w := wire(s)
	if s.Ideal {
		return runIdealFeatures(ctx, s, w, in)
	}
	text := netlist(s, w, in)
	sim, err := gospice.ParseContext(ctx, "reservoir.cir", text, gospice.WithSeed(s.Seed), gospice.WithWorkers(max(s.Workers, 1)))
	if err != nil {
		return nil, Stats{}, fmt.Errorf("reservoir: building the network: %w", err)
	}
	tran := sim.Circuit.Analyses[0]
	feats := make([]float64, s.Features())
	st, err := sim.Run(ctx, tran, stateSampler(s, in, feats[s.Neurons*s.Bins:]), nil)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("reservoir: simulating the network: %w", err)
	}
	for _, sp := range st.Spikes {
		i, ok := neuronOf(sp.Vector)
		if !ok || i >= s.Neurons {
			return nil, Stats{}, fmt.Errorf("reservoir: a spike of an unknown vector %s", sp.Vector)
		}
		feats[i*s.Bins+bin(s, in, sp.Time)]++
	}
	return feats, Stats{Steps: st.Points, Spikes: len(st.Spikes)}, nil
}

// stateSampler is the transient's sink: with State > 0 it copies the neurons' residues
// (the vectors the netlist saves, one per neuron in order) into out at the first point
// at or after each sample time; the points are those of every block, microseconds apart
// around a spike, and the residue changes over milliseconds, so that is its value at the
// sample time.
func stateSampler(s Settings, in Input, out []float64) gospice.Sink {
	next := 0 // the sample being waited for
	return gospice.SinkFunc(func(names []string, row []float64) error {
		if next >= s.State {
			return nil
		}
		if len(row) != 1+s.Neurons {
			return fmt.Errorf("reservoir: the run writes %d vectors, the neurons are %d", len(row)-1, s.Neurons)
		}
		for next < s.State && row[0] >= sampleTime(s, in, next) {
			for i := range s.Neurons {
				out[i*s.State+next] = row[1+i]
			}
			next++
		}
		return nil
	})
}

// sampleTime is when the k-th state sample is read: the end of the k-th of State equal
// parts of the recording, a little before it for the last, so that the run's last point
// (at Duration, give or take rounding) reaches it.
func sampleTime(s Settings, in Input, k int) float64 {
	return in.Duration * (float64(k+1)/float64(s.State) - 1e-9)
}

// runIdealFeatures is Run with the idealised network.
func runIdealFeatures(ctx context.Context, s Settings, w wiring, in Input) ([]float64, Stats, error) {
	feats := make([]float64, s.Features())
	spikes, steps, err := runIdeal(ctx, s, w, in, feats[s.Neurons*s.Bins:])
	if err != nil {
		return nil, Stats{}, fmt.Errorf("reservoir: the idealised network: %w", err)
	}
	st := Stats{Steps: steps}
	for i, ts := range spikes {
		for _, t := range ts {
			feats[i*s.Bins+bin(s, in, t)]++
		}
		st.Spikes += len(ts)
	}
	return feats, st, nil
}

// bin is the time bin of a spike at t.
func bin(s Settings, in Input, t float64) int {
	return max(0, min(int(t/in.Duration*float64(s.Bins)), s.Bins-1))
}

// neuronOf reads i from v(g<i>).
func neuronOf(vector string) (int, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(vector), "v(g")
	if !ok {
		return 0, false
	}
	rest, ok = strings.CutSuffix(rest, ")")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(rest)
	return i, err == nil && i >= 0
}

// check says what is wrong with s, naming the field.
func (s Settings) check() error {
	switch {
	case s.Inputs < 1:
		return fmt.Errorf("reservoir: settings: inputs must be at least 1, got %d", s.Inputs)
	case s.Neurons < 2:
		return fmt.Errorf("reservoir: settings: neurons must be at least 2, got %d", s.Neurons)
	case s.Bins < 1:
		return fmt.Errorf("reservoir: settings: bins must be at least 1, got %d", s.Bins)
	case s.State < 0:
		return fmt.Errorf("reservoir: settings: state must not be negative, got %d", s.State)
	case s.FanIn < 1:
		return fmt.Errorf("reservoir: settings: fan_in must be at least 1, got %d", s.FanIn)
	case s.Recurrent < 0:
		return fmt.Errorf("reservoir: settings: recurrent must not be negative, got %d", s.Recurrent)
	case !(s.Inhibitory >= 0 && s.Inhibitory <= 1):
		return fmt.Errorf("reservoir: settings: inhibitory must be in [0, 1], got %g", s.Inhibitory)
	case !(s.Spread >= 0 && s.Spread < 1):
		return fmt.Errorf("reservoir: settings: spread must be in [0, 1), got %g", s.Spread)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"input_amp", s.InputAmp}, {"pulse_width", s.PulseWidth}, {"pulse_grid", s.PulseGrid},
		{"syn_delay", s.SynDelay}, {"syn_tau", s.SynTau}, {"rc", s.Rc}, {"cg", s.Cg}, {"mu", s.Mu},
		{"step", s.Step}, {"reltol", s.Reltol}} {
		if !(f.v > 0) || math.IsInf(f.v, 1) {
			return fmt.Errorf("reservoir: settings: %s must be positive, got %g", f.name, f.v)
		}
	}
	if !(s.RecurrentG >= 0) || !(s.SynErev >= 0) {
		return fmt.Errorf("reservoir: settings: recurrent_g and syn_erev must not be negative, got %g and %g", s.RecurrentG, s.SynErev)
	}
	return nil
}

// check says what is wrong with in for s: the channel count, the duration, a spike time
// outside [0, Duration] or out of order.
func (in Input) check(s Settings) error {
	if len(in.Channels) != s.Inputs {
		return fmt.Errorf("reservoir: the input has %d channels, the network expects %d", len(in.Channels), s.Inputs)
	}
	if !(in.Duration > 0) || math.IsInf(in.Duration, 1) {
		return fmt.Errorf("reservoir: the input's duration must be positive, got %g s", in.Duration)
	}
	for c, ts := range in.Channels {
		prev := 0.0
		for j, t := range ts {
			if !(t >= prev && t <= in.Duration) {
				return fmt.Errorf("reservoir: channel %d, spike %d: time %g s is out of order or outside [0, %g s]", c, j, t, in.Duration)
			}
			prev = t
		}
	}
	return nil
}
