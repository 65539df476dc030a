package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestMeasureCommittedModel simulates a few real recordings with the committed model's
// settings and prints what each costs: wall time of the front end and of the network,
// input spikes, accepted steps and network spikes. It measures rather than asserts, so it
// runs only with DIGITS_MEASURE=1; run the compiled test under /usr/bin/time for the CPU
// and with -test.cpuprofile to see where the time goes (docs/digits.md, "Cost").
func TestMeasureCommittedModel(t *testing.T) {
	if os.Getenv("DIGITS_MEASURE") == "" {
		t.Skip("set DIGITS_MEASURE=1 to measure the committed model's cost on real recordings")
	}
	const recordings = "../../../../../../shared/data/fsdd/recordings"
	if _, err := os.Stat(recordings); err != nil {
		t.Skipf("%s not present (the shared spoken-digit recordings are not part of the repository): %v", recordings, err)
	}
	m, err := LoadModel("../../../../../netlists/digits/model/" + ModelFile)
	if err != nil {
		t.Fatal(err)
	}
	// One training take of each digit, the speakers in turn: 10 recordings.
	speakers := []string{"george", "jackson", "lucas", "nicolas", "theo", "yweweler"}
	var front, network time.Duration
	var inputs, steps, spikes int
	for d := range 10 {
		name := fmt.Sprintf("%d_%s_%d.wav", d, speakers[d%len(speakers)], 20+d)
		_, c, err := m.Config.Extract(context.Background(), filepath.Join(recordings, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: front end %v, network %v, %d input spikes, %d steps, %d spikes",
			name, c.Frontend.Round(time.Millisecond), c.Network.Round(time.Millisecond), c.InputSpikes, c.Stats.Steps, c.Stats.Spikes)
		front, network = front+c.Frontend, network+c.Network
		inputs, steps, spikes = inputs+c.InputSpikes, steps+c.Stats.Steps, spikes+c.Stats.Spikes
	}
	t.Logf("mean of 10: front end %v, network %v, %d input spikes, %d steps, %d spikes",
		(front / 10).Round(time.Millisecond), (network / 10).Round(time.Millisecond), inputs/10, steps/10, spikes/10)
}
