package bsim4

import (
	"os"
	"strconv"
	"testing"

	"github.com/gospice/gospice/devices"
)

// TestLoadPTMCount runs GOSPICE_LOADPTM_N loads of BenchmarkLoadPTM's nmos and pmos at
// its biases, for counting instructions per load under callgrind, which cannot run a
// benchmark (the benchmark's timer uses an instruction valgrind lacks):
//
//	GOSPICE_LOADPTM_N=2000 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
//	    ./bsim4.test -test.run TestLoadPTMCount
//
// Skipped without the variable, or without the shared corpus's PTM cards.
func TestLoadPTMCount(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("GOSPICE_LOADPTM_N"))
	if err != nil || n <= 0 {
		t.Skip("set GOSPICE_LOADPTM_N to the number of loads (an instruction count under callgrind)")
	}
	cards, err := os.ReadFile(ptmCards)
	if err != nil {
		t.Skipf("the PTM cards are not present (the shared corpus is not part of the repository): %v", err)
	}
	for _, typ := range []string{"nmos", "pmos"} {
		r, _, sys := build(t, "* t\nm1 d g s b "+typ+" l=0.12u w=0.44u as=0.1166p ad=0.1166p ps=1.41u pd=1.41u\n"+string(cards)+"\n.end\n")
		x := make([]float64, sys.N+1)
		ctx := &devices.Context{X: x, Values: sys.NewValues(), Mode: devices.ModeTran, Gmin: 1e-15}
		loadMoving(r, ctx, 0.6, 0.7, n)
	}
}
