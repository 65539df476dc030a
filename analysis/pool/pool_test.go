package pool

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// TestOrderedEmitsInJobOrder: jobs that finish in a scrambled order are emitted in order,
// each once, and no more run at once than asked.
func TestOrderedEmitsInJobOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		var running, most atomic.Int32
		var got []int
		err := Ordered(context.Background(), 100, workers, func(_ context.Context, k int) int {
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
			running.Add(-1)
			return k * k
		}, func(k, r int) error {
			if r != k*k {
				t.Errorf("job %d gave %d", k, r)
			}
			got = append(got, k)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 100 {
			t.Fatalf("%d workers: %d results", workers, len(got))
		}
		for k, g := range got {
			if g != k {
				t.Fatalf("%d workers: result %d emitted in place %d", workers, g, k)
			}
		}
		if m := most.Load(); m > int32(workers) {
			t.Errorf("%d workers: %d jobs ran at once", workers, m)
		}
	}
}

// TestOrderedStopsAtTheFirstError: an error from emit is returned, nothing is emitted
// after it, and the jobs not started do not run.
func TestOrderedStopsAtTheFirstError(t *testing.T) {
	stop := errors.New("stop")
	var ran atomic.Int32
	var emitted []int
	err := Ordered(context.Background(), 1000, 2, func(ctx context.Context, k int) int {
		ran.Add(1)
		time.Sleep(50 * time.Microsecond)
		return k
	}, func(k, _ int) error {
		emitted = append(emitted, k)
		if k == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("error %v, want %v", err, stop)
	}
	if len(emitted) != 11 {
		t.Errorf("emitted %v, want 0 to 10", emitted)
	}
	if n := ran.Load(); n > 100 {
		t.Errorf("%d jobs ran after the error at job 10", n)
	}
}

// TestOrderedIsCancelled: a cancelled context ends the run with its error.
func TestOrderedIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var emitted atomic.Int32
	err := Ordered(ctx, 1000, 2, func(ctx context.Context, k int) int {
		if k == 20 {
			cancel()
		}
		return k
	}, func(k, _ int) error {
		emitted.Add(1)
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n := emitted.Load(); n > 30 {
		t.Errorf("%d results emitted after cancelling at job 20", n)
	}
}
