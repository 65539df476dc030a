package partition

import (
	"math"
	"testing"

	"github.com/gospice/gospice/devices"
)

// every is a source with a corner at every multiple of period after offset (binary
// fractions, so that each corner is the same number whenever it is computed).
type every struct{ offset, period float64 }

func (e every) NextBreakpoint(t float64, _ devices.Timing) float64 {
	if t < e.offset {
		return e.offset
	}
	c := e.offset + (math.Floor((t-e.offset)/e.period)+1)*e.period
	if c <= t { // rounding
		c += e.period
	}
	return c
}

// never is a DC source.
type never struct{}

func (never) NextBreakpoint(float64, devices.Timing) float64 { return math.Inf(1) }

// TestCorners: the corners device's next corner is the least of its sources' at every
// time, forward and after time goes back, without allocating.
func TestCorners(t *testing.T) {
	src := []devices.Breakpointer{every{0.375, 1}, never{}, every{0, 0.625}, every{0.0625, 0.25}, every{2, 3}}
	run := Corners(src).(devices.Stateful).NewRun().(devices.Breakpointer)
	want := func(t float64) float64 {
		m := math.Inf(1)
		for _, s := range src {
			m = math.Min(m, s.NextBreakpoint(t, devices.Timing{}))
		}
		return m
	}
	check := func(now float64) {
		t.Helper()
		if got, w := run.NextBreakpoint(now, devices.Timing{}), want(now); got != w {
			t.Fatalf("at %g: next corner %g, want %g", now, got, w)
		}
	}
	for now := 0.0; now < 10; now += 1.0 / 64 {
		check(now)
	}
	for now := 0.0; now < 10; now = run.NextBreakpoint(now, devices.Timing{}) {
		check(now) // from corner to corner, as a transient goes
	}
	check(1.125) // back in time: a new run of the same loader
	check(1.25)
	now := 0.0
	if a := testing.AllocsPerRun(100, func() { now = run.NextBreakpoint(now+1.0/128, devices.Timing{}) }); a != 0 {
		t.Errorf("%g allocations per call", a)
	}
	if got := Corners(nil).(devices.Stateful).NewRun().(devices.Breakpointer).NextBreakpoint(0, devices.Timing{}); !math.IsInf(got, 1) {
		t.Errorf("no sources: next corner %g, want +Inf", got)
	}
}
