// Package pool runs many independent jobs (the runs of a .step or Monte Carlo analysis) on
// all cores and hands their results over in job order, whatever order they finish in.
package pool

import (
	"context"
	"runtime"

	"github.com/sourcegraph/conc/stream"
)

// Ordered runs job(ctx, k) for k = 0 ... n-1 on at most workers goroutines at once
// (GOMAXPROCS when workers < 1) and calls emit(k, result) for every k in increasing order,
// from one goroutine at a time, as soon as the jobs before it have been emitted. Results
// that finish early wait for their turn: at most about twice workers of them are held.
//
// The first error emit returns, or ctx's error, stops the jobs not yet started, cancels
// the context of those running, and is returned once every running job has ended; emit is
// not called again after it failed.
func Ordered[T any](ctx context.Context, n, workers int, job func(ctx context.Context, k int) T, emit func(k int, result T) error) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var failed error // written and read by the callbacks only, which run one at a time
	s := stream.New().WithMaxGoroutines(workers)
	for k := range n {
		if ctx.Err() != nil {
			break
		}
		s.Go(func() stream.Callback {
			if ctx.Err() != nil {
				return func() {}
			}
			r := job(ctx, k)
			return func() {
				if failed != nil {
					return
				}
				if err := ctx.Err(); err != nil {
					failed = err
					return
				}
				if err := emit(k, r); err != nil {
					failed = err
					cancel()
				}
			}
		})
	}
	s.Wait()
	if failed == nil {
		failed = ctx.Err()
	}
	return failed
}
