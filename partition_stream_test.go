package gospice

import (
	"context"
	"errors"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// networkNetlist reads a netlist of netlists/network with its .tran stop time replaced.
func networkNetlist(t *testing.T, name, tran string) string {
	t.Helper()
	b, err := os.ReadFile("netlists/network/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.ToLower(l), ".tran") {
			l = tran
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// runPart runs a partitioned netlist on procs cores, streaming its rows or holding them
// to the end, and counts the rows the sink got before any block had ended.
func runPart(t *testing.T, text string, procs int, hold bool) (tb *table, early int) {
	t.Helper()
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	sim, err := Parse("net.cir", text)
	if err != nil {
		t.Fatal(err)
	}
	if sim.part == nil {
		t.Fatal("the netlist is not partitioned")
	}
	var ended atomic.Int32
	sim.part.hold = hold
	sim.part.ended = func(int) { ended.Add(1) }
	s := &earlySink{ended: &ended}
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], s, t.Logf); err != nil {
		t.Fatal(err)
	}
	return &s.table, s.early
}

// earlySink keeps every row, and counts those that came before any block had ended.
type earlySink struct {
	table
	ended *atomic.Int32
	early int
}

func (s *earlySink) Point(row []float64) error {
	if s.ended.Load() == 0 {
		s.early++
	}
	return s.table.Point(row)
}

// TestPartitionStreamsRows: a partitioned transient writes its rows while its blocks run
// (the code before wrote none until every block had ended), and writes the same rows,
// bit for bit, as a merge after the end, on one core and on four: the feed-forward chain
// (over 0.1 s of its 1 s) and the recurrent 100-neuron network (over 30 ms of its 0.5 s).
func TestPartitionStreamsRows(t *testing.T) {
	cases := []struct{ name, text string }{
		{"chain", networkNetlist(t, "chain.cir", ".tran 10u 0.1 uic")},
		{"recurrent100", networkNetlist(t, "recurrent100.cir", ".tran 10u 30m uic")},
	}
	for _, c := range cases {
		held, early := runPart(t, c.text, 4, true)
		if early != 0 {
			t.Errorf("%s: %d rows before the end when held", c.name, early)
		}
		for _, procs := range []int{1, 4} {
			got, early := runPart(t, c.text, procs, false)
			t.Logf("%s, %d cores: %d of %d rows written before any block ended", c.name, procs, early, len(got.rows))
			if early == 0 {
				t.Errorf("%s, %d cores: no row written before the end", c.name, procs)
			}
			if len(got.rows) != len(held.rows) || !slices.Equal(got.cols, held.cols) {
				t.Fatalf("%s, %d cores: %d rows streamed, %d held", c.name, procs, len(got.rows), len(held.rows))
			}
			for i := range got.rows {
				if !slices.Equal(got.rows[i], held.rows[i]) {
					t.Fatalf("%s, %d cores: row %d streamed %v, held %v", c.name, procs, i, got.rows[i], held.rows[i])
				}
			}
		}
	}
}

// failingSink fails at its fifth row.
type failingSink struct{ rows int }

var errSinkFull = errors.New("disk full")

func (s *failingSink) Begin([]Column) error { return nil }
func (s *failingSink) Point([]float64) error {
	if s.rows++; s.rows == 5 {
		return errSinkFull
	}
	return nil
}

// TestPartitionStreamSinkError: the sink's error ends a partitioned run and is its error.
func TestPartitionStreamSinkError(t *testing.T) {
	sim, err := Parse("n.cir", neurons(4, "200m", ".save v(g0) v(g3)", ".options partition=1"))
	if err != nil {
		t.Fatal(err)
	}
	s := &failingSink{}
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], s, t.Logf); !errors.Is(err, errSinkFull) {
		t.Errorf("got %v, want the sink's error", err)
	}
	if s.rows != 5 {
		t.Errorf("the sink got %d rows, want 5: none after its error", s.rows)
	}
}
