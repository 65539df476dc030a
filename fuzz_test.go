package gospice_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
)

// Bounds that keep each case of FuzzPipeline short.
const (
	fuzzMaxInput    = 4 << 10         // bytes of netlist text; larger inputs are skipped
	fuzzMaxElements = 100             // elements of the flat circuit; larger circuits are skipped
	fuzzMaxAnalyses = 4               // analyses run per case, the netlist's first ones
	fuzzTranSteps   = 200             // a .tran's largest step is at most tstop/200
	fuzzSweepPoints = 50              // points of a .dc sweep or an .ac sweep
	fuzzRunTime     = 2 * time.Second // each analysis is cancelled after this
	fuzzGrace       = 3 * time.Second // an analysis must return this long after its cancellation
)

// FuzzPipeline runs arbitrary netlist text through the whole library: Parse, Build, a
// short .op and .tran (added when the netlist has none, and made short when it has), and
// the netlist's .dc and .ac with their points capped. The invariants:
//
//   - nothing panics;
//   - nothing hangs: an analysis returns within fuzzGrace of its cancellation, and a
//     cancelled transient was still advancing in time when it was stopped (one that
//     was not is stuck, not slow);
//   - an error from the netlist's text or circuit carries a position; an error from a
//     run is a StopError, or an error at the position of the analysis line;
//   - every value delivered is finite: a run that cannot continue stops with an error
//     instead of writing NaN or infinity.
//
// A case cancelled by its time limit while it was still working (the OP's gmin and
// source stepping are bounded but long, a transient with a corner every picosecond
// takes as many steps) is slow, not wrong; it is skipped.
func FuzzPipeline(f *testing.F) {
	for _, s := range []string{
		"divider\nV1 in 0 9\nR1 in out 2k\nR2 out 0 1k\n.op\n.end\n",
		"rc\nV1 in 0 PULSE(0 1 0 1u 1u 1m 2m)\nR1 in out 1k\nC1 out 0 1u\n.tran 10u 2m\n.end\n",
		"float\nV1 a 0 1\nC1 a b 1u\nC2 b 0 1u\n.op\n.end\n",
		"loop\nV1 a 0 1\nV2 a 0 2\n.op\n.end\n",
		"grow\nR1 a 0 -1k\nC1 a 0 1u IC=1\n.tran 1m 1 uic\n.end\n",
		"cap\nI1 0 a 1m\nC1 a 0 1u\n.tran 1u 10u\n.end\n",
		"ac\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 10 1 1meg\n.dc V1 0 1 0.1\n.end\n",
	} {
		f.Add([]byte(s))
	}
	for _, pattern := range []string{"netlists/*.cir", "netlists/neuron/*.cir"} {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			if src, err := os.ReadFile(path); err == nil && len(src) <= fuzzMaxInput {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > fuzzMaxInput {
			t.Skip("input larger than 4 KiB")
		}
		// Parse and Build take no context: one that takes this long is a blow-up the
		// parser's limits miss. Crash the worker so that the fuzzer keeps the input.
		slow := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("Parse and Build took over 20 s: %q", src)) })
		c, err := parser.Parse("fuzz.cir", src)
		if err != nil {
			slow.Stop()
			checkNetlistError(t, "Parse", err)
			return
		}
		if len(c.Elements) > fuzzMaxElements {
			slow.Stop()
			t.Skip("circuit too large")
		}
		shorten(c)
		sim, err := gospice.Build(c)
		slow.Stop()
		if err != nil {
			checkNetlistError(t, "Build", err)
			return
		}
		for _, a := range sim.Analyses() {
			runBounded(t, sim, a, src)
		}
	})
}

// shorten caps the circuit's analyses so that each runs quickly, and adds a .op and a
// short .tran when the netlist has none.
func shorten(c *parser.Circuit) {
	if len(c.Analyses) > fuzzMaxAnalyses {
		c.Analyses = c.Analyses[:fuzzMaxAnalyses]
	}
	hasOP, hasTran := false, false
	for _, a := range c.Analyses {
		switch a := a.(type) {
		case *parser.OP:
			hasOP = true
		case *parser.Tran:
			hasTran = true
			if a.Stop > 0 && !math.IsInf(a.Stop, 0) && (a.Stop-a.Start)/fuzzTranSteps > 0 {
				spec := analysis.TranSpec{Step: a.Step, Stop: a.Stop, Start: a.Start, MaxStep: a.MaxStep}
				if lim := a.Stop / fuzzTranSteps; !(spec.Tmax() >= lim) {
					a.MaxStep = lim
				}
			}
		case *parser.DC:
			for k := range a.Sweeps {
				sw := &a.Sweeps[k]
				if span := sw.Stop - sw.Start; span/sw.Step > fuzzSweepPoints {
					sw.Step = span / fuzzSweepPoints
				}
			}
		case *parser.AC:
			a.Points = min(a.Points, fuzzSweepPoints)
		}
	}
	pos := parser.Pos{File: "fuzz.cir", Line: 1, Col: 1}
	if !hasOP {
		c.Analyses = append(c.Analyses, &parser.OP{Pos: pos})
	}
	if !hasTran {
		c.Analyses = append(c.Analyses, &parser.Tran{Step: 1e-9, Stop: 100e-9, Pos: pos})
	}
}

// checkNetlistError checks that an error of Parse or Build places every problem.
func checkNetlistError(t *testing.T, stage string, err error) {
	t.Helper()
	var list parser.ErrorList
	var one *parser.Error
	switch {
	case errors.As(err, &list):
		if len(list) == 0 {
			t.Fatalf("%s: empty error list", stage)
		}
	case errors.As(err, &one):
		list = parser.ErrorList{one}
	default:
		t.Fatalf("%s: error without a position (%T): %v", stage, err, err)
	}
	for _, e := range list {
		if e.Pos.File == "" || e.Pos.Line < 1 || e.Msg == "" {
			t.Fatalf("%s: error without a place or a message: %q", stage, e.Error())
		}
		if strings.Contains(e.Msg, "internal error") {
			t.Fatalf("%s: %v", stage, e)
		}
	}
}

// progressSink checks that every delivered value is finite and remembers when the scale
// (time, for a transient) last advanced.
type progressSink struct {
	t        *testing.T
	names    []string
	points   int
	last     float64
	advanced atomic.Int64 // unix nanoseconds of the last point that moved the scale forward
	bad      string       // the first non-finite value, described
}

func (s *progressSink) Begin(cols []gospice.Column) error {
	s.names = nil
	for _, c := range cols {
		s.names = append(s.names, c.Name)
	}
	s.advanced.Store(time.Now().UnixNano())
	return nil
}

func (s *progressSink) Point(row []float64) error {
	for i, v := range row {
		if (math.IsNaN(v) || math.IsInf(v, 0)) && s.bad == "" {
			s.bad = fmt.Sprintf("%s = %g at point %d", s.names[i], v, s.points)
		}
	}
	if len(row) > 0 && (s.points == 0 || row[0] > s.last) {
		s.last = row[0]
		s.advanced.Store(time.Now().UnixNano())
	}
	s.points++
	return nil
}

// runBounded runs one analysis under the time limit and checks its outcome.
func runBounded(t *testing.T, sim *gospice.Simulation, a gospice.Analysis, src []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), fuzzRunTime)
	defer cancel()
	sink := &progressSink{t: t}
	type outcome struct {
		stats gospice.Stats
		err   error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		if _, ok := a.(*gospice.AC); ok {
			r, err := sim.Collect(ctx, a)
			o = outcome{r.Stats, err}
			for _, name := range r.Names() {
				vec, _ := r.Complex(name)
				for k, v := range vec {
					if d := v - v; d != d {
						sink.bad = fmt.Sprintf("%s = %v at point %d", name, v, k)
					}
				}
			}
		} else {
			o.stats, o.err = sim.Run(ctx, a, sink, nil)
		}
		done <- o
	}()
	var o outcome
	select {
	case o = <-done:
	case <-time.After(fuzzRunTime + fuzzGrace):
		panic(fmt.Sprintf(".%s did not return within %v of its cancellation (a loop that ignores the context): %q", a.Name(), fuzzGrace, src))
	}
	if sink.bad != "" {
		t.Fatalf(".%s delivered a non-finite value: %s (error %v)", a.Name(), sink.bad, o.err)
	}
	if o.err == nil {
		return
	}
	if errors.Is(o.err, context.DeadlineExceeded) {
		// Cancelled by the time limit. A transient that had stopped advancing in time
		// for a second before that is stuck; anything else was merely slow.
		if _, ok := a.(*gospice.Tran); ok && sink.points > 0 {
			if idle := time.Since(time.Unix(0, sink.advanced.Load())); idle > time.Second {
				t.Fatalf(".tran stuck at t = %g for %v (%d points, %d rejected, %d Newton failures, %d iterations)",
					sink.last, idle.Round(time.Millisecond), o.stats.Points, o.stats.Rejected, o.stats.NewtonFailures, o.stats.Iterations)
			}
		}
		t.Skipf(".%s slow: cancelled after %v (%d points, %d iterations)", a.Name(), fuzzRunTime, o.stats.Points, o.stats.Iterations)
	}
	if o.err.Error() == "" {
		t.Fatalf(".%s: empty error message", a.Name())
	}
	var stop *gospice.StopError
	if errors.As(o.err, &stop) {
		if strings.Contains(o.err.Error(), "internal error") {
			t.Fatalf(".%s: %v", a.Name(), o.err)
		}
		return
	}
	checkNetlistError(t, "."+a.Name(), o.err)
}
