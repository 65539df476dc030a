package reservoir

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

// small is the network of the CI smoke test: 20 neurons on 32 channels.
func small() Settings {
	s := DefaultSettings(32)
	s.Neurons = 20
	return s
}

// typical is a recording-like input as the front end makes it: 32 channels over 100 ms, a
// few hundred spikes in all, at least 2 ms apart in a channel.
func typical(seed uint64) Input { return synthInput(seed, 32, 0.1, 300) }

func run(t *testing.T, s Settings, in Input) ([]float64, Stats) {
	t.Helper()
	f, st, err := Run(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != s.Features() {
		t.Fatalf("%d features, Features() says %d", len(f), s.Features())
	}
	return f, st
}

func sum(f []float64) float64 {
	total := 0.0
	for _, v := range f {
		total += v
	}
	return total
}

func TestFiresOnTypicalInput(t *testing.T) {
	s := small()
	in := typical(1)
	f, st := run(t, s, in)
	active := 0
	for i := range s.Neurons {
		if sum(f[i*s.Bins:(i+1)*s.Bins]) > 0 {
			active++
		}
	}
	inputs := 0
	for _, c := range in.Channels {
		inputs += len(c)
	}
	t.Logf("%d input spikes; %d neurons, %d of them fired, %d spikes, %d steps", inputs, s.Neurons, active, st.Spikes, st.Steps)
	if st.Spikes == 0 || int(sum(f)) != st.Spikes {
		t.Errorf("features count %g spikes, stats %d: want the same, and more than none", sum(f), st.Spikes)
	}
	if active < s.Neurons/4 {
		t.Errorf("only %d of %d neurons fired within %g s", active, s.Neurons, in.Duration)
	}
}

func TestDeterministic(t *testing.T) {
	for _, noisy := range []bool{false, true} {
		s := small()
		if noisy {
			s.Noise, s.Spread = true, 0.1
		}
		in := typical(2)
		a, _ := run(t, s, in)
		// Twice at once, as the pipeline's workers call it.
		var wg sync.WaitGroup
		got := make([][]float64, 2)
		for k := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[k], _, _ = Run(context.Background(), s, in)
			}()
		}
		wg.Wait()
		for _, b := range got {
			if !slices.Equal(a, b) {
				t.Errorf("noise %v: the same settings and input gave\n%v\n%v", noisy, a, b)
			}
		}
	}
}

func TestFeaturesFollowInput(t *testing.T) {
	s := small()
	a, _ := run(t, s, typical(3))
	b, _ := run(t, s, typical(4))
	if slices.Equal(a, b) {
		t.Errorf("two different inputs gave the same features %v", a)
	}
	// The same input through another wiring is another network.
	s.Seed = 2
	c, _ := run(t, s, typical(3))
	if slices.Equal(a, c) {
		t.Errorf("two seeds gave the same features %v", a)
	}
}

func TestNoiseAndSpreadChangeFeatures(t *testing.T) {
	s := small()
	in := typical(5)
	off, _ := run(t, s, in)
	s.Noise, s.Spread = true, 0.2
	on, st := run(t, s, in)
	t.Logf("off: %g spikes, on: %g spikes (%d)", sum(off), sum(on), st.Spikes)
	if slices.Equal(off, on) {
		t.Errorf("rupture noise and 20%% spread changed no feature: %v", on)
	}
}

func TestEmptyChannels(t *testing.T) {
	s := small()
	in := Input{Duration: 0.1, Channels: make([][]float64, s.Inputs)}
	f, st := run(t, s, in)
	if sum(f) != 0 || st.Spikes != 0 {
		t.Errorf("no input gave %d spikes", st.Spikes)
	}
	// Some empty channels among busy ones.
	in = typical(1)
	for c := 0; c < len(in.Channels); c += 2 {
		in.Channels[c] = nil
	}
	run(t, s, in)
}

func TestBadInput(t *testing.T) {
	s := small()
	for _, c := range []struct {
		in   Input
		want string
	}{
		{Input{Duration: 0.1, Channels: make([][]float64, 31)}, "31 channels, the network expects 32"},
		{Input{Duration: 0, Channels: make([][]float64, 32)}, "duration must be positive"},
		{Input{Duration: 0.1, Channels: append(make([][]float64, 31), []float64{0.05, 0.02})}, "channel 31, spike 1"},
		{Input{Duration: 0.1, Channels: append(make([][]float64, 31), []float64{0.2})}, "channel 31, spike 0"},
	} {
		_, _, err := Run(context.Background(), s, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got error %v, want one saying %q", err, c.want)
		}
	}
	s.Bins = 0
	if _, _, err := Run(context.Background(), s, typical(1)); err == nil || !strings.Contains(err.Error(), "bins") {
		t.Errorf("bins 0: got error %v", err)
	}
}

// TestIdealNetwork: the idealised network fires on a typical input, repeats itself, and
// is not the circuit.
func TestIdealNetwork(t *testing.T) {
	s := small()
	in := typical(1)
	circuit, cst := run(t, s, in)
	s.Ideal = true
	a, st := run(t, s, in)
	b, _ := run(t, s, in)
	t.Logf("idealised: %d spikes in %d steps; circuit: %d spikes", st.Spikes, st.Steps, cst.Spikes)
	if st.Spikes == 0 || int(sum(a)) != st.Spikes {
		t.Errorf("features count %g spikes, stats %d: want the same, and more than none", sum(a), st.Spikes)
	}
	if !slices.Equal(a, b) {
		t.Errorf("the same input gave\n%v\n%v", a, b)
	}
	if slices.Equal(a, circuit) {
		t.Errorf("the idealised network gave the circuit's features %v", a)
	}
}

// TestTonotopicBands: each neuron hears FanIn neighbouring channels, and the bands cover
// every channel, in order along the neurons.
func TestTonotopicBands(t *testing.T) {
	for _, c := range []struct{ inputs, neurons, fanIn int }{{32, 100, 3}, {32, 20, 3}, {4, 10, 6}, {32, 32, 1}} {
		s := DefaultSettings(c.inputs)
		s.Neurons, s.FanIn, s.Tonotopic = c.neurons, c.fanIn, true
		w := wire(s)
		heard := make([]bool, c.inputs)
		prev := -1
		for i, syns := range w.inputs {
			if len(syns) != min(c.fanIn, c.inputs) {
				t.Fatalf("%+v: neuron %d hears %d channels", c, i, len(syns))
			}
			for j, sy := range syns {
				heard[sy.channel] = true
				if j > 0 && sy.channel != syns[j-1].channel+1 {
					t.Errorf("%+v: neuron %d's channels are not neighbours: %v", c, i, syns)
				}
			}
			if syns[0].channel < prev {
				t.Errorf("%+v: neuron %d's band starts below neuron %d's", c, i, i-1)
			}
			prev = syns[0].channel
		}
		if slices.Contains(heard, false) {
			t.Errorf("%+v: channels no neuron hears: %v", c, heard)
		}
	}
}

// State adds each neuron's memristor residue after the spike counts, which stay as they
// were: the residues are read from the same run, not a different one. Without input every
// residue stays 0; with it, every neuron that fired keeps residue at the end, and so do
// neurons that integrated their input without firing, which is what the residues add.
func TestStateFeatures(t *testing.T) {
	s := small()
	in := typical(1)
	counts, _ := run(t, s, in)
	s.State = 4
	f, _ := run(t, s, in)
	if !slices.Equal(f[:len(counts)], counts) {
		t.Fatalf("with state the spike counts changed:\n%v\n%v", f[:len(counts)], counts)
	}
	silentWithResidue := 0
	for i := range s.Neurons {
		spikes := sum(counts[i*s.Bins : (i+1)*s.Bins])
		res := f[len(counts)+i*s.State : len(counts)+(i+1)*s.State]
		for k, r := range res {
			if !(r > -1e-6 && r < 1) {
				t.Errorf("neuron %d, sample %d: residue %g outside the device's range", i, k, r)
			}
		}
		last := res[s.State-1]
		if spikes > 0 && !(last > 0.01) {
			t.Errorf("neuron %d fired %g times but keeps residue %g at the end", i, spikes, last)
		}
		if spikes == 0 && last > 1e-3 {
			silentWithResidue++
		}
	}
	if silentWithResidue == 0 { // 4 of the 20 measured
		t.Error("no neuron that stayed silent holds residue: the residues add nothing to the counts")
	}

	quiet := Input{Duration: 0.1, Channels: make([][]float64, s.Inputs)}
	f, _ = run(t, s, quiet)
	for i, v := range f {
		if math.Abs(v) > 1e-9 {
			t.Fatalf("no input: feature %d is %g", i, v)
		}
	}

	// The idealised network's residues, the same layout: each neuron's after its counts,
	// positive where it fired.
	s.Ideal = true
	f, _ = run(t, s, in)
	for i := range s.Neurons {
		spikes := sum(f[i*s.Bins : (i+1)*s.Bins])
		if last := f[s.Neurons*s.Bins+i*s.State+s.State-1]; spikes > 0 && !(last > 0.01 && last < 1) {
			t.Errorf("idealised neuron %d fired %g times, residue %g at the end", i, spikes, last)
		}
	}
}
