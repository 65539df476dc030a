package network

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice"
)

// chainSpikes runs chain.cir with extra option lines and returns its spikes.
func chainSpikes(t *testing.T, options string) []gospice.Spike {
	t.Helper()
	src, err := os.ReadFile("chain.cir")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "\n.end\n", "\n"+options+"\n.end\n", 1)
	if text == string(src) {
		t.Fatal("chain.cir has no .end line to put options before")
	}
	sim, err := gospice.Parse("chain.cir", text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	return res.Stats.Spikes
}

// worstShift returns the largest time difference between corresponding spikes, after
// checking that both lists have the same spikes of the same neurons in the same order.
func worstShift(t *testing.T, what string, a, b []gospice.Spike) float64 {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d spikes against %d", what, len(a), len(b))
	}
	worst := 0.0
	for i := range a {
		if a[i].Vector != b[i].Vector {
			t.Fatalf("%s: spike %d is of %s against %s", what, i, a[i].Vector, b[i].Vector)
		}
		worst = math.Max(worst, math.Abs(a[i].Time-b[i].Time))
	}
	return worst
}

// TestChainPartitionedAgrees: the chain of three neurons joined by synapses, run as three
// blocks exchanging spikes (the default for a circuit with delayed links) and as one
// system, fires the same spikes over 1 s, each at the same time within the accuracy of
// the time-step control: both runs are as far from a run at reltol=1e-5 as from each
// other.
func TestChainPartitionedAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("three runs of 1 s of the chain")
	}
	parts := chainSpikes(t, ".options partition=1")
	whole := chainSpikes(t, ".options partition=0")
	tight := chainSpikes(t, ".options partition=0 reltol=1e-5")
	apart := worstShift(t, "partitioned against whole", parts, whole)
	partsErr := worstShift(t, "partitioned against reltol=1e-5", parts, tight)
	wholeErr := worstShift(t, "whole against reltol=1e-5", whole, tight)
	t.Logf("%d spikes; worst shift partitioned-whole %.3g s, partitioned-tight %.3g s, whole-tight %.3g s",
		len(parts), apart, partsErr, wholeErr)
	// Measured: 1.9e-5 s between the two; a spike on the wrong 2 ms input pulse would be
	// 2e-3 s off. The limit is ten times what was measured.
	if apart > 2e-4 {
		t.Errorf("partitioned and whole spikes differ by up to %.3g s, want < 2e-4", apart)
	}
	// Partitioning must not be less accurate than the time-step control's own error.
	if partsErr > 2*wholeErr+2e-5 {
		t.Errorf("partitioned run is %.3g s from the tight run, the whole run %.3g s", partsErr, wholeErr)
	}
}
