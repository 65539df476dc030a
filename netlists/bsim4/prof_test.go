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

func TestProfileC432(t *testing.T) {
	path := os.Getenv("CIR")
	if path == "" {
		t.Skip()
	}
	sim, err := gospice.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Create("/tmp/b4/cpu.prof")
	pprof.StartCPUProfile(f)
	start := time.Now()
	for _, a := range sim.Analyses() {
		st, err := sim.Run(context.Background(), a, nullSink{}, nil)
		t.Logf("%+v %v %v", st.Stats, err, time.Since(start))
	}
	pprof.StopCPUProfile()
}
