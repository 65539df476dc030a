package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/gospice/gospice"
)

// isTerminal reports whether w is a terminal, where a progress bar can be drawn.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressDelay is how long a transient runs before its progress bar appears: shorter
// runs finish before a bar would tell anything.
const progressDelay = time.Second

// progress wraps a transient's sink and draws a bar on w showing the simulated time, the
// percentage of the stop time and the rate. A timer marks the bar due ten times a second,
// so that a point costs one atomic load; the bar writes nothing until delay has passed.
type progress struct {
	gospice.Sink
	w     *gatedWriter
	stop  float64
	delay time.Duration

	start  time.Time
	due    atomic.Bool
	quit   chan struct{}
	bar    *progressbar.ProgressBar
	points int
	t      float64
}

// gatedWriter passes writes on once opened, and drops them before.
type gatedWriter struct {
	w    io.Writer
	open atomic.Bool
}

func (g *gatedWriter) Write(b []byte) (int, error) {
	if !g.open.Load() {
		return len(b), nil
	}
	return g.w.Write(b)
}

func newProgress(sink gospice.Sink, w io.Writer, stop float64, delay time.Duration) *progress {
	return &progress{Sink: sink, w: &gatedWriter{w: w}, stop: stop, delay: delay}
}

func (p *progress) Begin(cols []gospice.Column) error {
	p.start = time.Now()
	p.quit = make(chan struct{})
	p.bar = progressbar.NewOptions64(1000,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(0),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetRenderBlankState(false),
	)
	if p.delay <= 0 {
		p.w.open.Store(true)
	}
	p.due.Store(true)
	go p.tick(p.quit)
	return p.Sink.Begin(cols)
}

func (p *progress) tick(quit <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			if now.Sub(p.start) >= p.delay {
				p.w.open.Store(true)
			}
			p.due.Store(true)
		case <-quit:
			return
		}
	}
}

func (p *progress) Point(row []float64) error {
	p.points++
	p.t = row[0]
	if p.due.Load() {
		p.due.Store(false)
		p.draw()
	}
	return p.Sink.Point(row)
}

// draw shows the bar at the latest point.
func (p *progress) draw() {
	frac := 0.0
	if p.stop > 0 {
		frac = min(max(p.t/p.stop, 0), 1)
	}
	p.bar.Set64(int64(frac * 999)) // 1000 would finish (and clear) the bar
	p.bar.Describe(p.describe(time.Since(p.start)))
}

// describe is the text beside the bar: the simulated time, and how fast it advances in
// simulated seconds and in points per second of the wall clock:
// t = 12.5ms / 400ms, 3.1ms/s simulated, 8.2k points/s.
func (p *progress) describe(elapsed time.Duration) string {
	s := fmt.Sprintf("t = %ss / %ss", eng(p.t, 4), eng(p.stop, 4))
	if sec := elapsed.Seconds(); sec > 0 {
		s += fmt.Sprintf(", %ss/s simulated, %s points/s", eng(p.t/sec, 3), eng(float64(p.points)/sec, 3))
	}
	return s
}

// clear takes the bar off the screen, before a message is printed; the next point
// draws it again.
func (p *progress) clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

// finish stops the timer and clears the bar.
func (p *progress) finish() {
	if p.quit != nil {
		close(p.quit)
		p.quit = nil
	}
	p.clear()
	p.w.open.Store(false)
}

// loadProgress draws a bar on w while a large netlist is read and built: the lines of
// each stage (parser.Progress), then the build. Like a run's bar, it appears only once
// delay has passed, so that a small netlist shows none.
type loadProgress struct {
	w     *gatedWriter
	hold  bool // drop what the bar writes (see show)
	bar   *progressbar.ProgressBar
	timer *time.Timer
	start time.Time
	stage string // the stage shown
}

func newLoadProgress(w io.Writer, delay time.Duration) *loadProgress {
	p := &loadProgress{w: &gatedWriter{w: w}, start: time.Now()}
	p.bar = progressbar.NewOptions64(1000,
		progressbar.OptionSetWriter(writerFunc(func(b []byte) (int, error) {
			if p.hold {
				return len(b), nil
			}
			return p.w.Write(b)
		})),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(0),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetRenderBlankState(false),
	)
	if delay <= 0 {
		p.w.open.Store(true)
	} else {
		p.timer = time.AfterFunc(delay, func() { p.w.open.Store(true) })
	}
	return p
}

// report is the parser.Progress: stage of file, done of total lines. The end of the
// elaboration is the start of the build, which reports nothing until it ends.
func (p *loadProgress) report(stage, file string, done, total int) {
	if stage == "elaborating" && done == total {
		p.show("building the circuit", 999)
		return
	}
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	p.show(fmt.Sprintf("%s %s: %s / %s lines", stage, filepath.Base(file), eng(float64(done), 3), eng(float64(total), 3)), int64(frac*999))
}

// show draws the bar at n of 1000 with the description s.
func (p *loadProgress) show(s string, n int64) {
	// 1000 would finish (and clear) the bar.
	if s == p.stage {
		p.bar.Set64(n)
		return
	}
	// A new stage: the frame that Set64 draws with the old description is dropped, and
	// Describe draws the bar again (Set64 draws nothing when the value stays).
	p.stage, p.hold = s, true
	p.bar.Set64(n)
	p.hold = false
	p.bar.Describe(s)
}

// writerFunc is a function as an io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// finish stops the timer and takes the bar off the screen.
func (p *loadProgress) finish() {
	if p.timer != nil {
		p.timer.Stop()
	}
	p.bar.Clear()
	p.w.open.Store(false)
}
