package bsim4

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/gospice/gospice"
)

type nullSink struct{}

func (nullSink) Begin([]gospice.Column) error { return nil }
func (nullSink) Point([]float64) error        { return nil }

// TestRunStats runs the netlist named by BSIM4_RUN (an ISCAS85 circuit, say) and logs
// its work and time; with BSIM4_CPUPROFILE it writes a CPU profile there. It is skipped
// without BSIM4_RUN: a measuring aid, not a check.
func TestRunStats(t *testing.T) {
	path := os.Getenv("BSIM4_RUN")
	if path == "" {
		t.Skip("set BSIM4_RUN to a netlist to measure")
	}
	sim, err := gospice.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if prof := os.Getenv("BSIM4_CPUPROFILE"); prof != "" {
		f, err := os.Create(prof)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	for _, a := range sim.Analyses() {
		st, err := sim.Run(context.Background(), a, nullSink{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v in %v", a.Name(), st.Stats, time.Since(start))
	}
}
