package gospice

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/gospice/gospice/analysis"
)

// The model cards of the chains: BSIM4 (level 54) and BSIM3 (level 8).
const (
	bsim4Cards = `.model n nmos level=54 version=4.7 toxe=1.2n vth0=0.35 u0=0.04 rdsw=150
.model p pmos level=54 version=4.7 toxe=1.2n vth0=-0.35 u0=0.015 rdsw=150
`
	bsim3Cards = `.model n nmos level=8 version=3.3.0 tox=2n vth0=0.35 u0=400 rdsw=150
.model p pmos level=8 version=3.3.0 tox=2n vth0=-0.35 u0=150 rdsw=150
`
)

// bsim4Chain is a chain of n CMOS inverters of BSIM4 transistors driven by a pulse, as
// one system (partition=0), saving the input and every tenth stage.
func bsim4Chain(n int, stop string) string { return mosChain(n, stop, bsim4Cards) }

// mosChain is bsim4Chain with the model cards of n and p.
func mosChain(n int, stop, cards string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "* bsim4 inverter chain\nvdd vdd 0 1\nvin n0 0 pulse(0 1 20p 20p 20p 200p 500p)\n")
	for k := range n {
		fmt.Fprintf(&b, "mp%d n%d n%d vdd vdd p l=50n w=200n\nmn%d n%d n%d 0 0 n l=50n w=100n\n", k, k+1, k, k, k+1, k)
	}
	b.WriteString(cards)
	save := []string{"v(n0)"}
	for k := 10; k <= n; k += 10 {
		save = append(save, fmt.Sprintf("v(n%d)", k))
	}
	fmt.Fprintf(&b, ".save %s\n.options partition=0\n.tran 5p %s\n.end\n", strings.Join(save, " "), stop)
	return b.String()
}

// TestParallelLoadsBitIdentical: a transient large enough that its BSIM4 (and BSIM3)
// devices are evaluated on several goroutines gives the same bits on one core as on two
// and four.
func TestParallelLoadsBitIdentical(t *testing.T) {
	const stages = 120
	if 2*stages < analysis.MinParallelDevices {
		t.Fatalf("%d devices do not reach the parallel threshold %d", 2*stages, analysis.MinParallelDevices)
	}
	for _, cards := range []string{bsim4Cards, bsim3Cards} {
		bitIdenticalAcrossCores(t, mosChain(stages, "600p", cards))
	}
}

// bitIdenticalAcrossCores runs the netlist's first analysis on one, two and four cores
// and checks that its rows are the same to the bit.
func bitIdenticalAcrossCores(t *testing.T, text string) {
	t.Helper()
	var runs []*table
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		tb, _, _ := runTable(t, text)
		runtime.GOMAXPROCS(old)
		runs = append(runs, tb)
	}
	a := runs[0]
	if out := a.col("v(n10)"); len(out) == 0 || slices.Max(out)-slices.Min(out) < 0.5 {
		t.Fatalf("the chain's output does not switch: %v", out)
	}
	for k, b := range runs[1:] {
		if len(a.rows) != len(b.rows) {
			t.Fatalf("%d rows on one core, %d in run %d", len(a.rows), len(b.rows), k+2)
		}
		for i := range a.rows {
			if !slices.Equal(a.rows[i], b.rows[i]) {
				t.Fatalf("row %d differs: %v on one core, %v in run %d", i, a.rows[i], b.rows[i], k+2)
			}
		}
	}
	t.Logf("%d rows identical", len(a.rows))
}

// BenchmarkParallelLoads is the transient of BSIM4 inverter chains of several sizes,
// with the devices evaluated on one goroutine and on two (run it with -cpu 2): where two
// pay is analysis.MinParallelDevices. It reports the process's CPU time per run too.
func BenchmarkParallelLoads(b *testing.B) {
	for _, stages := range []int{25, 50, 100, 200} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("devices=%d/workers=%d", 2*stages, workers), func(b *testing.B) {
				sim, err := Parse("chain.cir", bsim4Chain(stages, "300p"), WithWorkers(workers))
				if err != nil {
					b.Fatal(err)
				}
				start := cpuTime()
				b.ResetTimer()
				for range b.N {
					if _, err := sim.Results(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// cpuTime is the process's user and system time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
