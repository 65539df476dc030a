package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

type signalKey struct{}

// withSignals returns a context cancelled by SIGINT or SIGTERM; caught tells which came.
func withSignals(parent context.Context) (context.Context, func()) {
	var got atomic.Int32
	ctx, cancel := context.WithCancel(context.WithValue(parent, signalKey{}, &got))
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			got.Store(int32(s.(syscall.Signal)))
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel()
	}
}

// caught is the number of the signal that cancelled ctx, or 0.
func caught(ctx context.Context) int {
	if got, ok := ctx.Value(signalKey{}).(*atomic.Int32); ok {
		return int(got.Load())
	}
	return 0
}
