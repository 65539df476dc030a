package reservoir

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// wiring is the network's connections, drawn from the seed alone (not from the input), so
// that every recording meets the same network.
type wiring struct {
	inputs    [][]inputSyn // inputs[i]: the channels that drive neuron i
	recurrent [][]recSyn   // recurrent[i]: the synapses onto neuron i
}

// inputSyn is one channel driving one neuron: each spike of the channel adds a pulse of
// amp volts to the neuron's input node.
type inputSyn struct {
	channel int
	amp     float64
}

// recSyn is a synapse from neuron pre onto a neuron, of peak conductance gmax; inhibitory
// ones pull the input node down instead of up.
type recSyn struct {
	pre     int
	gmax    float64
	inhibit bool
}

// wiringStream is the PCG stream of the wiring; the memristors' draws come from gospice's
// own streams (WithSeed), so the two never share numbers.
const wiringStream = 0x6469676974 // "digit"

// wire draws the network of s: each neuron gets FanIn distinct input channels with
// amplitudes uniform in [0.5, 1.5] InputAmp, and Recurrent distinct presynaptic neurons
// (never itself) with conductances uniform in [0.5, 1.5] RecurrentG, a fraction Inhibitory
// of them inhibitory.
func wire(s Settings) wiring {
	rng := rand.New(rand.NewPCG(s.Seed, wiringStream))
	w := wiring{inputs: make([][]inputSyn, s.Neurons), recurrent: make([][]recSyn, s.Neurons)}
	for i := range s.Neurons {
		chans := pick(rng, s.Inputs, min(s.FanIn, s.Inputs), -1)
		if s.Tonotopic {
			chans = band(s, i)
		}
		for _, c := range chans {
			w.inputs[i] = append(w.inputs[i], inputSyn{channel: c, amp: s.InputAmp * (0.5 + rng.Float64())})
		}
		for _, j := range pick(rng, s.Neurons, min(s.Recurrent, s.Neurons-1), i) {
			g := s.RecurrentG * (0.5 + rng.Float64())
			w.recurrent[i] = append(w.recurrent[i], recSyn{pre: j, gmax: g, inhibit: rng.Float64() < s.Inhibitory})
		}
	}
	return w
}

// band is the FanIn neighbouring channels around neuron i's place on the channel axis
// (the neurons spread evenly over it), so that each neuron hears one part of the spectrum.
func band(s Settings, i int) []int {
	k := min(s.FanIn, s.Inputs)
	centre := (2*i + 1) * s.Inputs / (2 * s.Neurons)
	lo := max(0, min(centre-(k-1)/2, s.Inputs-k))
	out := make([]int, k)
	for j := range out {
		out[j] = lo + j
	}
	return out
}

// pick draws k distinct numbers of 0 ... n-1 other than skip (a partial Fisher-Yates
// shuffle), in increasing order so the netlist reads well.
func pick(rng *rand.Rand, n, k, skip int) []int {
	all := make([]int, 0, n)
	for j := range n {
		if j != skip {
			all = append(all, j)
		}
	}
	k = min(k, len(all))
	for m := range k {
		r := m + rng.IntN(len(all)-m)
		all[m], all[r] = all[r], all[m]
	}
	out := all[:k]
	slices.Sort(out)
	return out
}

// netlist writes the circuit of s driven by in, wired by w.
func netlist(s Settings, w wiring, in Input) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Spoken-digit reservoir: %d 1M1T1R neurons, %d input channels, seed %d\n", s.Neurons, s.Inputs, s.Seed)
	b.WriteString("* Neuron i: the 1M1T1R circuit of docs/memristor.md between in<i> and g<i>; a spike is\n")
	b.WriteString("* v(g<i>) rising through 0.3 V. Its input node s<i> (Rs to ground, buffered onto in<i>)\n")
	b.WriteString("* takes the input pulses (a PWL current into Rs) and the recurrent synapses.\n")
	fmt.Fprintf(&b, ".model dm memristor level=diffusive mu=%g", s.Mu)
	if s.Noise {
		// Ruptures large enough to change when a neuron fires (docs/memristor.md).
		b.WriteString(" kappa=2000 m=2 eta=0.3")
	}
	if s.Spread > 0 {
		fmt.Fprintf(&b, " d2d=%g", s.Spread)
	}
	b.WriteString("\n.model nm nmos level=1 vto=0.22 kp=7.5e-4\n")
	fmt.Fprintf(&b, ".model spe synapse level=4 vthresh=0.3 delay=%g erev=%g tau1=%g tau2=%g\n", s.SynDelay, s.SynErev, synTau1, s.SynTau)
	fmt.Fprintf(&b, ".model spi synapse level=4 vthresh=0.3 delay=%g erev=%g tau1=%g tau2=%g\n", s.SynDelay, -s.SynErev, synTau1, s.SynTau)
	b.WriteString(".global vdd\n.subckt neuron in g\nYMEMRISTOR y1 in g dm\n")
	fmt.Fprintf(&b, "Cg g 0 %g\nRc g 0 %g\n", s.Cg, s.Rc)
	b.WriteString("M1 d g 0 0 nm W=1u L=1u\nRl vdd d 47k\n.ends\nVdd vdd 0 0.5\n")
	for i := range s.Neurons {
		fmt.Fprintf(&b, "Xn%d in%d g%d neuron\nRs%d s%d 0 %g\nEs%d in%d 0 s%d 0 1\n", i, i, i, i, i, rs, i, i, i)
		if pwl := inputPWL(s, w.inputs[i], in); pwl != "" {
			fmt.Fprintf(&b, "Iin%d 0 s%d PWL(%s)\n", i, i, pwl)
		}
		for _, r := range w.recurrent[i] {
			model := "spe"
			if r.inhibit {
				model = "spi"
			}
			fmt.Fprintf(&b, "YSYNAPSE r%d_%d g%d s%d %s gmax=%g\n", r.pre, i, r.pre, i, model, r.gmax)
		}
	}
	// The spikes and, with State, the memristors' residues are all Run reads; without
	// State one saved vector keeps the output small.
	b.WriteString(".spikes v(g*) level=0.3 hyst=0.1\n.save")
	if s.State == 0 {
		b.WriteString(" v(g0)")
	} else {
		for i := range s.Neurons {
			fmt.Fprintf(&b, " state(xn%d.y1.r)", i)
		}
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, ".options partition=%d reltol=%g\n", boolInt(s.Partition), s.Reltol)
	fmt.Fprintf(&b, ".tran %g %g uic\n.end\n", s.Step, in.Duration)
	return b.String()
}

// rs is the input node's resistance to ground (ohm): an input pulse of amp volts is a
// current of amp/rs into it.
const rs = 100e3

// inputPWL is the current into neuron i's input node: each spike of a channel that drives
// it adds a pulse of amp/rs lasting PulseWidth. Spike times are put on a grid of
// PulseGrid and the current ramps over half a grid step, so that ramps never overlap;
// pulses that overlap add.
// "" when the neuron gets no spike.
func inputPWL(s Settings, syns []inputSyn, in Input) string {
	type edge struct {
		k     int64 // grid index
		delta float64
	}
	var edges []edge
	width := int64(math.Max(1, math.Round(s.PulseWidth/s.PulseGrid)))
	last := int64(math.Floor(in.Duration / s.PulseGrid))
	for _, sy := range syns {
		for _, t := range in.Channels[sy.channel] {
			k := int64(math.Round(t / s.PulseGrid))
			if k >= last {
				continue
			}
			k = max(k, 1) // after the PWL's point at 0
			edges = append(edges, edge{k, sy.amp / rs}, edge{k + width, -sy.amp / rs})
		}
	}
	if len(edges) == 0 {
		return ""
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.k, b.k) })
	var b strings.Builder
	b.WriteString("0 0")
	level := 0.0
	for j := 0; j < len(edges); {
		k := edges[j].k
		next := level
		for ; j < len(edges) && edges[j].k == k; j++ {
			next += edges[j].delta
		}
		if math.Abs(next) < 1e-15 {
			next = 0 // sums of the same amplitudes, up and down
		}
		if next == level {
			continue
		}
		t := float64(k) * s.PulseGrid
		fmt.Fprintf(&b, " %.9g %.9g %.9g %.9g", t, level, t+s.PulseGrid/2, next)
		level = next
	}
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
