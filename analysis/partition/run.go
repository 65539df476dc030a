package partition

import (
	"context"
	"math"
	"runtime"
	"sync"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// Run calls job(ctx, b) for every block b = 0 ... n-1, each on its own goroutine, with
// at most workers of them computing at once (GOMAXPROCS when workers < 1); a job waiting
// at a synchronization point of x (nil without links) does not count. It returns the
// jobs' errors by block. One job's failure does not stop the others: what every block
// computes depends only on its own circuit and, through x, on the events of the others up
// to the failure, never on the order the goroutines run in.
func Run(ctx context.Context, n, workers int, x *Exchange, job func(ctx context.Context, b int) error) []error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, workers)
	if x != nil {
		x.sem = sem
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for b := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			errs[b] = job(ctx, b)
			if x != nil && x.member[b] {
				x.leave()
			}
			<-sem
		}()
	}
	wg.Wait()
	return errs
}

// Exchange is one run's synchronization of the blocks that hold a side of a link: each
// stops at every multiple of the interval, and when all have, the events every sender
// emitted since the last point are delivered to the receivers of its links, senders in
// their order and links in theirs. An event emitted in (T, T + interval] takes effect
// after T + interval, where its receiver waits, so that every receiver knows its inputs
// over the next interval before simulating it. A sender may serve several links and a
// receiver carry several (devices.SharedLink).
type Exchange struct {
	interval, tol float64
	member        []bool // the blocks that synchronize

	mu        sync.Mutex
	cond      sync.Cond
	active    int    // members still running
	waiting   int    // members at the present synchronization point
	round     uint64 // synchronization points passed
	senders   []sender
	receivers []devices.EventReceiver // by link
	events    []float64               // reused by the exchange
	sem       chan struct{}
}

// sender is the run of a link's sending side and the links it serves.
type sender struct {
	run   devices.EventSender
	links []int
}

// NewExchange prepares one run's exchange over links links, whose sending sides are
// senders devices, with synchronization points every interval up to stop; member says
// which blocks hold a side of a link.
func NewExchange(links, senders int, interval, stop float64, member []bool) *Exchange {
	x := &Exchange{
		interval:  interval,
		tol:       1e-9*interval + 1e-11*stop, // above the transient's minimum step
		member:    member,
		senders:   make([]sender, senders),
		receivers: make([]devices.EventReceiver, links),
	}
	x.cond.L = &x.mu
	for _, m := range member {
		if m {
			x.active++
		}
	}
	return x
}

// Sender returns d, the sending side of links, as a device whose run reports to x as
// its sender number s (senders deliver in their numbers' order). Its run must be a
// devices.EventSender (CheckSides).
func (x *Exchange) Sender(s int, links []int, d devices.Device) devices.Device {
	return &tap{Device: d, register: func(l devices.Loader) {
		run, _ := l.(devices.EventSender)
		x.mu.Lock()
		x.senders[s] = sender{run: run, links: links}
		x.mu.Unlock()
	}}
}

// Receiver returns d, the receiving side of links, as a device whose run x delivers to:
// a devices.EventReceiver for one link, a devices.EventPorts whose Port(i) receives
// links[i]'s events for several (CheckSides, CheckShared).
func (x *Exchange) Receiver(links []int, d devices.Device) devices.Device {
	return &tap{Device: d, register: func(l devices.Loader) {
		x.mu.Lock()
		defer x.mu.Unlock()
		if ports, ok := l.(devices.EventPorts); ok && len(links) > 1 {
			for i, link := range links {
				x.receivers[link] = ports.Port(i)
			}
			return
		}
		x.receivers[links[0]], _ = l.(devices.EventReceiver)
	}}
}

// Clock returns the device that stops a member block's run at the synchronization
// points: it must come after every other device of the block, so that the senders have
// seen an accepted point before the clock hands their events over.
func (x *Exchange) Clock() devices.Device { return &clock{x: x} }

// LandingClock is Clock, but the transient lands on the synchronization points without
// restarting its integration there (an analysis.Lander): a block then integrates as one
// system would, which has no such points (.options corners=whole).
func (x *Exchange) LandingClock() devices.Device { return &clock{x: x, land: true} }

// arrive waits at a synchronization point until every running member has come to it;
// the last to come exchanges the events. The caller's worker slot is free meanwhile.
func (x *Exchange) arrive() {
	<-x.sem
	x.mu.Lock()
	x.waiting++
	if x.waiting == x.active {
		x.exchange()
	} else {
		round := x.round
		for round == x.round {
			x.cond.Wait()
		}
	}
	x.mu.Unlock()
	x.sem <- struct{}{}
}

// leave takes a member that ended (at tstop, or failed) out of the synchronization.
func (x *Exchange) leave() {
	x.mu.Lock()
	x.active--
	if x.waiting > 0 && x.waiting == x.active {
		x.exchange()
	}
	x.mu.Unlock()
}

// exchange delivers the events and releases the members waiting; x.mu is held.
func (x *Exchange) exchange() {
	for _, s := range x.senders {
		if s.run == nil {
			continue
		}
		x.events = s.run.TakeEvents(x.events[:0])
		if len(x.events) == 0 {
			continue
		}
		for _, l := range s.links {
			r := x.receivers[l]
			if r == nil {
				continue
			}
			for _, t := range x.events {
				r.Deliver(t)
			}
		}
	}
	x.waiting = 0
	x.round++
	x.cond.Broadcast()
}

// next is the first synchronization point after t, by more than the tolerance.
func (x *Exchange) next(t float64) float64 {
	k := math.Floor((t+x.tol)/x.interval) + 1
	return k * x.interval
}

// tap is a device whose runs are registered with an exchange.
type tap struct {
	devices.Device
	register func(devices.Loader)
}

func (t *tap) NewRun() devices.Loader {
	l := devices.NewLoader(t.Device)
	t.register(l)
	return l
}

// clock is the device of a member block that stops its run at synchronization points.
type clock struct {
	x    *Exchange
	land bool // lands on the points without a restart
}

func (c *clock) Name() string       { return "partition#clock" }
func (c *clock) Setup(*mna.Builder) {}

func (c *clock) NewRun() devices.Loader {
	if c.land {
		return &landingClockRun{clockRun{x: c.x}}
	}
	return &clockRun{x: c.x}
}

type clockRun struct {
	x    *Exchange
	next float64 // the next synchronization point
}

func (c *clockRun) Load(*devices.Context) {}

// Linear: the clock loads nothing, and must not make its block's circuit nonlinear.
func (c *clockRun) Linear() {}

// Accept stops at a synchronization point the transient landed on (within the
// tolerance of a source's corner that merged with it).
func (c *clockRun) Accept(ctx *devices.Context) {
	if ctx.Mode != devices.ModeTran || ctx.Time < c.next-c.x.tol {
		return
	}
	c.x.arrive()
	c.next = c.x.next(ctx.Time)
}

// NextBreakpoint makes the transient land on every synchronization point.
func (c *clockRun) NextBreakpoint(t float64, _ devices.Timing) float64 { return c.x.next(t) }

// landingClockRun is a clockRun whose points are landed on, not restarted at.
type landingClockRun struct{ clockRun }

// LandOnly makes the run an analysis.Lander.
func (*landingClockRun) LandOnly() {}

// CheckSides reports whether the sides a link's Split made have the runs the exchange
// needs: an EventSender and an EventReceiver.
func CheckSides(sender, receiver devices.Device) bool {
	_, ok1 := devices.NewLoader(sender).(devices.EventSender)
	_, ok2 := devices.NewLoader(receiver).(devices.EventReceiver)
	return ok1 && ok2
}

// CheckShared reports whether a receiving side shared by several links has the run the
// exchange needs: a devices.EventPorts.
func CheckShared(receiver devices.Device) bool {
	_, ok := devices.NewLoader(receiver).(devices.EventPorts)
	return ok
}
