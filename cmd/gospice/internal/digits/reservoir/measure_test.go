package reservoir

import (
	"os"
	"syscall"
	"testing"
)

// cpuSeconds is the process's CPU time so far (user and system).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// TestMeasureCost prints what a recording costs, for the default network and the smoke
// test's, on typical inputs: CPU seconds, accepted steps (over all blocks) and spikes. It
// measures rather than asserts (CPU time depends on the machine), so it runs only with
// RESERVOIR_MEASURE=1; add -cpuprofile to see where the time goes (docs/digits-network.md).
func TestMeasureCost(t *testing.T) {
	if os.Getenv("RESERVOIR_MEASURE") == "" {
		t.Skip("set RESERVOIR_MEASURE=1 to measure the cost of a recording")
	}
	const recordings = 5
	for _, c := range []struct {
		name    string
		neurons int
		whole   bool
		ideal   bool
	}{{"small", 20, false, false}, {"default", 100, false, false}, {"default, one system", 100, true, false},
		{"default, idealised", 100, false, true}} {
		s := DefaultSettings(32)
		s.Neurons, s.Partition, s.Ideal = c.neurons, !c.whole, c.ideal
		n := recordings
		if c.whole {
			n = 1 // about ten times the partitioned run's CPU
		}
		var steps, spikes int
		start := cpuSeconds()
		for k := range n {
			_, st := run(t, s, typical(uint64(k+1)))
			steps += st.Steps
			spikes += st.Spikes
		}
		cpu := cpuSeconds() - start
		t.Logf("%s (%d neurons): %.3f s CPU, %d steps, %d spikes per recording (mean of %d)",
			c.name, c.neurons, cpu/float64(n), steps/n, spikes/n, n)
	}
}
