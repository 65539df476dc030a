package network

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gospice/gospice"
)

// TestRecurrentModes re-makes the table of docs/partition.md: recurrent100.cir over 0.5 s
// (ruptures off, as the netlist has them), one system (.options partition=0) against
// partitioned with .options corners=whole, and partitioned with each block's own corners
// (the default) for the cost, at each reltol of $GOSPICE_RECURRENT_MODES (a comma list,
// e.g. 1e-3,1e-4,1e-5). It takes minutes per reltol, so it runs only when asked:
//
//	GOSPICE_RECURRENT_MODES=1e-3,1e-4 go test ./netlists/network -run TestRecurrentModes -v -timeout 0
//
// $GOSPICE_RECURRENT_TRAN, when set, replaces the netlist's .tran line, e.g.
// ".tran 10u 0.25 0 1m uic" for steps chosen by the truncation error alone.
func TestRecurrentModes(t *testing.T) {
	list := os.Getenv("GOSPICE_RECURRENT_MODES")
	if list == "" {
		t.Skip("set GOSPICE_RECURRENT_MODES to a list of reltols (minutes each)")
	}
	raw, err := os.ReadFile("recurrent100.cir")
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	if tran := os.Getenv("GOSPICE_RECURRENT_TRAN"); tran != "" {
		src = replaceTranLine(t, src, tran)
	}
	for _, f := range strings.Split(list, ",") {
		rt, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			t.Fatal(err)
		}
		opt := fmt.Sprintf(".options reltol=%g", rt)
		whole, cw := recurrentRun(t, src, opt+" partition=0")
		part, cp := recurrentRun(t, src, opt+" partition=1 corners=whole")
		own, co := recurrentRun(t, src, opt+" partition=1")
		t.Logf("reltol %g: one system %d spikes, %s; corners=whole %d spikes, %s; own corners %d spikes, %s",
			rt, len(whole), cw, len(part), cp, len(own), co)
		for _, other := range []struct {
			name   string
			spikes []gospice.Spike
		}{{"corners=whole", part}, {"own corners", own}} {
			if len(whole) > 0 && len(other.spikes) > 0 {
				t.Logf("  %s: first spikes %s %.9g s and %s %.9g s, %.3g s apart", other.name, whole[0].Vector,
					whole[0].Time, other.spikes[0].Vector, other.spikes[0].Time, math.Abs(whole[0].Time-other.spikes[0].Time))
			}
			for _, tol := range []float64{1e-4, 1e-6} {
				d := firstDiffering(whole, other.spikes, tol)
				t.Logf("  %s, apart by > %g s: %s", other.name, tol, d)
			}
		}
	}
}

// replaceTranLine puts tran in place of the netlist's .tran line: a larger tmax lets the
// truncation error, and so reltol, choose the steps (the netlist's tstep of 10 us bounds
// them otherwise).
func replaceTranLine(t *testing.T, src, tran string) string {
	t.Helper()
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".tran ") {
			lines[i] = tran
			return strings.Join(lines, "\n")
		}
	}
	t.Fatal("recurrent100.cir has no .tran line")
	return ""
}

// recurrentRun runs the netlist with an options line and returns its spikes and its cost.
func recurrentRun(t *testing.T, src, options string) ([]gospice.Spike, string) {
	t.Helper()
	text := strings.Replace(src, "\n.end\n", "\n"+options+"\n.end\n", 1)
	if text == src {
		t.Fatal("no .end line to put options before")
	}
	sim, err := gospice.Parse("recurrent100.cir", text)
	if err != nil {
		t.Fatal(err)
	}
	cpu0, wall0 := cpuTime(), time.Now()
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatalf("%s: %v", options, err)
	}
	cost := fmt.Sprintf("wall %.1f s, CPU %.1f s", time.Since(wall0).Seconds(), (cpuTime() - cpu0).Seconds())
	return res.Stats.Spikes, cost
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// differing is the first spike of two runs that differs: its time, its neuron and the
// spike's number (from 1) in that neuron's train; and how the spikes before it agree.
type differing struct {
	time   float64 // +Inf when none differs
	vector string
	k      int
	pairs  int     // spikes of both runs before it
	worst  float64 // the largest difference among them
}

func (d differing) String() string {
	if math.IsInf(d.time, 1) {
		return fmt.Sprintf("none; all %d pairs within %.3g s", d.pairs, d.worst)
	}
	return fmt.Sprintf("%.4f ms (%s's spike %d); the %d before within %.3g s", d.time*1e3, d.vector, d.k, d.pairs, d.worst)
}

// firstDiffering compares the k-th spike of every neuron in a with the k-th of the same
// neuron in b: a spike differs when the other is more than tol away or missing. The
// first that differs is the earliest such spike of either run.
func firstDiffering(a, b []gospice.Spike, tol float64) differing {
	trains := func(s []gospice.Spike) map[string][]float64 {
		m := map[string][]float64{}
		for _, sp := range s {
			m[sp.Vector] = append(m[sp.Vector], sp.Time)
		}
		return m
	}
	ta, tb := trains(a), trains(b)
	names := map[string]bool{}
	for n := range ta {
		names[n] = true
	}
	for n := range tb {
		names[n] = true
	}
	d := differing{time: math.Inf(1)}
	for n := range names {
		x, y := ta[n], tb[n]
		for k := 0; k < max(len(x), len(y)); k++ {
			var when float64
			switch {
			case k >= len(x):
				when = y[k]
			case k >= len(y):
				when = x[k]
			case math.Abs(x[k]-y[k]) > tol:
				when = min(x[k], y[k])
			default:
				continue
			}
			if when < d.time || when == d.time && n < d.vector {
				d.time, d.vector, d.k = when, n, k+1
			}
			break
		}
	}
	for n, x := range ta {
		y := tb[n]
		for k := 0; k < min(len(x), len(y)); k++ {
			if max(x[k], y[k]) < d.time {
				d.pairs++
				d.worst = math.Max(d.worst, math.Abs(x[k]-y[k]))
			}
		}
	}
	return d
}
