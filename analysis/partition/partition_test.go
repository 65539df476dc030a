package partition

import (
	"math"
	"reflect"

	"testing"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// TestFind: ground and supply nodes join nothing, each block gets a copy of the supplies
// it uses, a supply whose current is read is an element like another, link sides go to
// the blocks of their nodes, and what has no other node than fixed ones is in one block.
func TestFind(t *testing.T) {
	elems := []Element{
		0: {Nodes: []string{"vdd", "0"}, Supply: true}, // shared supply
		1: {Nodes: []string{"in1", "0"}, Supply: true}, // one neuron's input
		2: {Nodes: []string{"in1", "a"}},
		3: {Nodes: []string{"a", "vdd"}},
		4: {Nodes: []string{"b", "vdd"}},
		5: {Nodes: []string{"b", "0"}},
		6: {Nodes: []string{"c", "0"}, Supply: true}, // read by 7: not a supply
		7: {Nodes: []string{"d", "0"}, Joins: []int{6}},
		8: {Nodes: []string{"lone", "0"}, Supply: true}, // used by nothing: in the fixed block
		9: {Nodes: []string{"vdd", "0"}},                // only fixed nodes: the fixed block
	}
	links := []Link{
		{Send: []string{"a"}, Receive: []string{"e"}, MinDelay: 2e-3},
		{Send: []string{"b"}, Receive: []string{"a"}, MinDelay: 1e-3},
	}
	got := Find(elems, links)
	want := Plan{Interval: 1e-3, Blocks: []Block{
		{Elements: []int{0, 1, 2, 3}, Senders: []int{0}, Receivers: []int{1}},
		{Elements: []int{0, 4, 5}, Senders: []int{1}},
		{Elements: []int{6, 7}},
		{Elements: []int{0, 8, 9}, Fixed: true},
		{Receivers: []int{0}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if p := Find(elems[2:4], nil); !math.IsInf(p.Interval, 1) || len(p.Blocks) != 1 {
		t.Errorf("without links: %+v", p)
	}
}

// fakeSender emits one event per call; fakeReceiver counts what it is delivered.
type fakeSender struct{ t float64 }

func (s *fakeSender) Load(*devices.Context) {}
func (s *fakeSender) TakeEvents(dst []float64) []float64 {
	s.t++
	return append(dst, s.t)
}

type fakeReceiver struct {
	n    int
	last float64
}

func (r *fakeReceiver) Load(*devices.Context) {}
func (r *fakeReceiver) Deliver(t float64)     { r.n, r.last = r.n+1, t }

// TestClockExchanges: a member's clock stops at each synchronization point, and only
// there, where the sender's events go to the receiver; a synchronization allocates
// nothing.
func TestClockExchanges(t *testing.T) {
	x := NewExchange(1, 1, 1e-3, 1, []bool{true})
	x.sem = make(chan struct{}, 1)
	x.sem <- struct{}{} // the slot of the one job
	snd, rcv := &fakeSender{}, &fakeReceiver{}
	x.senders[0], x.receivers[0] = sender{run: snd, links: []int{0}}, rcv
	clk := x.Clock().(devices.Stateful).NewRun().(*clockRun)
	ctx := &devices.Context{Mode: devices.ModeTran}
	for _, tm := range []float64{0, 0.4e-3, 1e-3 - 1e-15, 1.5e-3, 2e-3} {
		ctx.Time = tm
		clk.Accept(ctx)
	}
	// Synchronized at 0, at 1e-3 (landed a rounding short of it) and at 2e-3.
	if rcv.n != 3 || rcv.last != 3 {
		t.Errorf("delivered %d events, the last %g; want 3, the last 3", rcv.n, rcv.last)
	}
	if bp := clk.NextBreakpoint(2e-3, devices.Timing{}); math.Abs(bp-3e-3) > 1e-18 {
		t.Errorf("next breakpoint after 2e-3: %g, want 3e-3", bp)
	}
	tm := 2e-3
	if n := testing.AllocsPerRun(100, func() {
		tm += 1e-3
		ctx.Time = tm
		clk.Accept(ctx)
	}); n != 0 {
		t.Errorf("%g allocations per synchronization", n)
	}
}

// fakeDevice is a device whose run is given.
type fakeDevice struct{ run devices.Loader }

func (d fakeDevice) Name() string           { return "fake" }
func (d fakeDevice) Setup(*mna.Builder)     {}
func (d fakeDevice) NewRun() devices.Loader { return d.run }

// fakePorts is a receiving side shared by several links.
type fakePorts struct{ ports []*fakeReceiver }

func (p *fakePorts) Load(*devices.Context)            {}
func (p *fakePorts) Port(i int) devices.EventReceiver { return p.ports[i] }

// TestSharedSides: a sender serving two links delivers its events to both, and a shared
// receiver's ports get the events of their own links, whatever the order the runs
// registered in.
func TestSharedSides(t *testing.T) {
	x := NewExchange(3, 2, 1e-3, 1, []bool{true})
	// Sender 0 serves links 0 and 2, sender 1 link 1; link 0 and 1 share a receiver.
	s0, s1 := &fakeSender{t: 10}, &fakeSender{t: 20}
	shared := &fakePorts{ports: []*fakeReceiver{{}, {}}}
	lone := &fakeReceiver{}
	for _, d := range []devices.Device{
		x.Receiver([]int{2}, fakeDevice{lone}),
		x.Sender(1, []int{1}, fakeDevice{s1}),
		x.Receiver([]int{0, 1}, fakeDevice{shared}),
		x.Sender(0, []int{0, 2}, fakeDevice{s0}),
	} {
		devices.NewLoader(d)
	}
	x.waiting = 1
	x.exchange()
	got := []float64{shared.ports[0].last, shared.ports[1].last, lone.last}
	if want := []float64{11, 21, 11}; !reflect.DeepEqual(got, want) {
		t.Errorf("links 0, 1, 2 were delivered %v, want %v", got, want)
	}
	if !CheckShared(fakeDevice{shared}) || CheckShared(fakeDevice{lone}) {
		t.Error("CheckShared does not tell a shared receiver from a lone one")
	}
}
