package gospice

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/analysis/partition"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
)

// A partitioned transient (docs/partition.md): a circuit whose parts are joined only by
// supplies fixed in time and by delayed links runs as blocks, each with its own time step,
// Newton iteration and matrix, in parallel; the vectors asked for are put on one time
// grid, the union of the time points of the blocks that hold them.

// partitioned is a Simulation's blocks, for its transients.
type partitioned struct {
	blocks   []*block
	links    int
	senders  int              // sending sides, numbered across the blocks
	interval float64          // partition.Plan.Interval
	owners   map[string][]int // the blocks in which each unknown's label is found, in order
	land     bool             // .options corners=whole: the clocks' points are landed on
	byName   map[string]int   // the block of each device that reports its own current

	// For tests: hold writes the rows only after every block has ended (as before they
	// were streamed); ended is told when a block has ended.
	hold  bool
	ended func(b int)
}

// block is one block's circuit, and the sides of links it holds.
type block struct {
	ckt                analysis.Circuit
	senders, receivers []linkSide
}

// linkSide is a device of a block (an index of ckt.Devices) that is a side of links (by
// link index; in the order of a shared receiver's ports); a sender's number orders the
// exchange's deliveries.
type linkSide struct {
	device int
	links  []int
	sender int
}

// partitionMode reads .options partition: 0 runs every transient as one system, 1
// partitions it when it has more than one block; without the option (-1) a transient is
// partitioned when it has delayed links or at least autoBlocks blocks besides the fixed
// one (partition.Block.Fixed).
func partitionMode(c *parser.Circuit) (int, error) {
	mode := -1
	for _, op := range c.Options {
		if op.Name != "partition" {
			continue
		}
		if op.Value != 0 && op.Value != 1 {
			return 0, parser.Errorf(op.Pos, ".options partition must be 0 or 1, got %g", op.Value)
		}
		mode = int(op.Value)
	}
	return mode, nil
}

// wholeCorners reads .options corners: whole gives every block the corners of every
// independent source of the circuit and lands it on the synchronization points without a
// restart, so that it integrates with one system's corners; block (the default) keeps
// each block's own (docs/partition.md).
func wholeCorners(c *parser.Circuit) bool {
	whole := false
	for _, op := range c.Options {
		if op.Name == "corners" {
			whole = op.Str == "whole"
		}
	}
	return whole
}

// sourceCorners is a device giving the corners of every independent source of devs.
func sourceCorners(devs []devices.Device) devices.Device {
	var src []devices.Breakpointer
	for _, d := range devs {
		b, ok := d.(devices.Breakpointer)
		if _, stateful := d.(devices.Stateful); ok && !stateful {
			src = append(src, b)
		}
	}
	return partition.Corners(src)
}

// autoBlocks is the fewest blocks without delayed links that a transient is partitioned
// into unless .options partition says: below it, running the blocks apart gains little
// (at most their count in cores, and the steps that one block's activity imposes on a
// few others), while the vectors of each block at the other blocks' time points are
// interpolated rather than solved (docs/partition.md).
const autoBlocks = 8

// partition finds the blocks of a circuit whose netlist has a transient and builds each,
// or leaves s.part nil: partitioning is off, or the circuit is one block.
func (s *Simulation) partition(ctx context.Context, c *parser.Circuit, extra []devices.Device) error {
	mode, err := partitionMode(c)
	if err != nil || mode == 0 || !slices.ContainsFunc(c.Analyses, func(a parser.Analysis) bool { return a.Name() == "tran" }) {
		return err
	}
	if s.bo.noPartition && len(extra) == 0 && !slices.ContainsFunc(s.ckt.Devices, isEventLink) {
		return nil // WithoutPartition: nothing to check, and the blocks change no result
	}
	elems, index, links, linkDevs := partitionElements(c, s.ckt.Devices, extra)
	plan := partition.Find(elems, links)
	active := 0 // the blocks in which anything moves
	for _, b := range plan.Blocks {
		if !b.Fixed {
			active++
		}
	}
	if len(plan.Blocks) < 2 || mode < 0 && len(links) == 0 && active < autoBlocks {
		return nil
	}
	p := &partitioned{links: len(links), interval: plan.Interval, owners: map[string][]int{}, byName: map[string]int{}}
	var corners devices.Device // every source's corners, in every block
	if wholeCorners(c) {
		p.land, corners = true, sourceCorners(s.ckt.Devices)
	}
	sides := make([][2]devices.Device, len(links))
	for l, d := range linkDevs {
		snd, rcv := d.Split()
		if !partition.CheckSides(snd, rcv) {
			return fmt.Errorf("%s: the sides of the delayed link do not run as an event sender and receiver", d.Name())
		}
		sides[l] = [2]devices.Device{snd, rcv}
	}
	for b, pb := range plan.Blocks {
		if b%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		sub := *c
		sub.Elements = make([]*parser.Element, len(pb.Elements))
		for k, i := range pb.Elements {
			sub.Elements[k] = c.Elements[index[i]]
		}
		devs, err := devices.Build(ctx, &sub, s.env)
		if err != nil {
			return err
		}
		blk := &block{}
		for _, g := range shareSides(pb.Senders, linkDevs, devices.SharedLink.SendKey) {
			blk.senders = append(blk.senders, linkSide{device: len(devs), links: g, sender: p.senders})
			devs = append(devs, sides[g[0]][0]) // one detector serves them all
			p.senders++
		}
		for _, g := range shareSides(pb.Receivers, linkDevs, devices.SharedLink.ReceiveKey) {
			blk.receivers = append(blk.receivers, linkSide{device: len(devs), links: g})
			rcv := sides[g[0]][1]
			if len(g) > 1 {
				if rcv, err = sharedReceiver(g, linkDevs); err != nil {
					return err
				}
			}
			devs = append(devs, rcv)
		}
		if corners != nil {
			devs = append(devs, corners)
		}
		sys := setUp(devs, s.opt)
		blk.ckt = analysis.Circuit{Sys: sys, Devices: devs, Timing: s.ckt.Timing}
		blk.ckt.ICs = heldIn(sys, c.ICs)
		blk.ckt.Nodesets = heldIn(sys, c.Nodesets)
		for _, u := range sys.Unknowns[1:] {
			p.owners[u.Label()] = append(p.owners[u.Label()], b)
		}
		for _, d := range devs {
			if _, ok := d.(currentProbe); ok {
				p.byName[d.Name()] = b
			}
		}
		p.blocks = append(p.blocks, blk)
	}
	s.part = p
	return nil
}

// shareSides groups a block's links (a side of each in the block) by key: the links
// of one group share one device for that side (devices.SharedLink); a link that is not
// a SharedLink is a group of its own. Groups come in the order of their first link.
func shareSides(links []int, linkDevs []devices.EventLink, key func(devices.SharedLink) string) [][]int {
	var groups [][]int
	at := map[string]int{}
	for _, l := range links {
		sl, ok := linkDevs[l].(devices.SharedLink)
		if !ok {
			groups = append(groups, []int{l})
			continue
		}
		k := key(sl)
		if g, ok := at[k]; ok {
			groups[g] = append(groups[g], l)
			continue
		}
		at[k] = len(groups)
		groups = append(groups, []int{l})
	}
	return groups
}

// sharedReceiver is the one receiving side of the links of group.
func sharedReceiver(group []int, linkDevs []devices.EventLink) (devices.Device, error) {
	shared := make([]devices.SharedLink, len(group))
	for i, l := range group {
		shared[i] = linkDevs[l].(devices.SharedLink)
	}
	rcv := shared[0].SharedReceiver(shared)
	if !partition.CheckShared(rcv) {
		return nil, fmt.Errorf("%s: the shared receiving side of delayed links does not run as event ports", rcv.Name())
	}
	return rcv, nil
}

// isEventLink reports whether d is a delayed link between blocks.
func isEventLink(d devices.Device) bool {
	_, ok := d.(devices.EventLink)
	return ok
}

// partitionElements describes the circuit's elements for partition.Find: every element
// but the delayed links (index maps partition's element numbers to the circuit's), and
// the links, from the netlist's devices and then extra.
func partitionElements(c *parser.Circuit, devs, extra []devices.Device) (elems []partition.Element, index []int, links []partition.Link, linkDevs []devices.EventLink) {
	addLink := func(lk devices.EventLink) {
		send, receive := lk.LinkNodes()
		links = append(links, partition.Link{Send: send, Receive: receive, MinDelay: lk.MinDelay()})
		linkDevs = append(linkDevs, lk)
	}
	index = make([]int, 0, len(c.Elements))
	for i := range c.Elements {
		if lk, ok := devs[i].(devices.EventLink); ok {
			addLink(lk)
			continue
		}
		index = append(index, i)
	}
	elems = make([]partition.Element, len(index))
	var byName map[string]int // partition's number of each element, made when first needed
	number := func(name string) (int, bool) {
		if byName == nil {
			byName = make(map[string]int, len(index))
			for k, i := range index {
				byName[c.Elements[i].Name] = k
			}
		}
		k, ok := byName[name]
		return k, ok
	}
	for _, d := range extra {
		addLink(d.(devices.EventLink))
	}
	for k, i := range index {
		el := c.Elements[i]
		e := &elems[k]
		e.Nodes = el.Nodes
		for _, name := range el.Controls() {
			j, _ := number(name)
			e.Joins = append(e.Joins, j)
		}
		if el.Expr() != nil {
			expr.Walk(el.Expr(), func(n expr.Node) bool {
				if p, ok := n.(*expr.Probe); ok {
					if p.Kind == 'v' {
						e.Nodes = append(e.Nodes[:len(e.Nodes):len(e.Nodes)], p.Names...)
					} else if j, ok := number(p.Names[0]); ok {
						e.Joins = append(e.Joins, j)
					}
				}
				return true
			})
		}
		e.Supply, e.Nodes = supply(el, e.Nodes)
	}
	return elems, index, links, linkDevs
}

// supply reports whether el is an independent voltage source from a node to ground whose
// value depends on time alone, and returns its nodes with that node first.
func supply(el *parser.Element, nodes []string) (bool, []string) {
	if el.Kind != 'v' || el.Expr() != nil || len(el.Nodes) != 2 || el.Source() == nil {
		return false, nodes
	}
	switch partition.Ground {
	case el.Nodes[1]:
		return el.Nodes[0] != partition.Ground, nodes
	case el.Nodes[0]:
		return true, []string{el.Nodes[1], el.Nodes[0]}
	}
	return false, nodes
}

// heldIn is the .ic or .nodeset values on the nodes of sys.
func heldIn(sys *mna.System, ics []parser.IC) []analysis.NodeIC {
	var out []analysis.NodeIC
	for _, ic := range ics {
		if i, ok := sys.Lookup("v(" + ic.Node + ")"); ok && i != mna.Ground {
			out = append(out, analysis.NodeIC{Index: i, Value: ic.Value})
		}
	}
	return out
}

// errSpans is a vector that no single block holds: the transient runs as one system.
var errSpans = errors.New("reads more than one block")

// blockOutputs gives each output to the blocks that hold what it reads, as probes of
// their unknowns: outs[b] are block b's outputs, col[b] their columns in the row. The
// current of a supply copied into several blocks goes to every block with a copy: each
// copy carries its block's share, and the merge sums them into the column.
func (p *partitioned) blockOutputs(sys *mna.System, outputs []analysis.Output) (outs [][]analysis.Output, col [][]int, err error) {
	outs = make([][]analysis.Output, len(p.blocks))
	col = make([][]int, len(p.blocks))
	for k, o := range outputs {
		blocks, probes, err := p.blockProbes(sys, o.Probe)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %w", o.Name, err)
		}
		for j, b := range blocks {
			o.Probe = probes[j]
			outs[b] = append(outs[b], o)
			col[b] = append(col[b], k+1)
		}
	}
	return outs, col, nil
}

// blockProbes finds the blocks of a probe of the whole circuit's unknowns, and the same
// probe in each: one block, or every block with a copy of a supply whose current it is.
func (p *partitioned) blockProbes(sys *mna.System, pr analysis.Probe) ([]int, []analysis.Probe, error) {
	index := func(b, i int) int {
		j, _ := p.blocks[b].ckt.Sys.Lookup(sys.Unknowns[i].Label())
		return j
	}
	switch pr := pr.(type) {
	case unknownProbe:
		owners := p.owners[sys.Unknowns[pr].Label()]
		if len(owners) > 1 && sys.Unknowns[pr].Kind != mna.Branch {
			owners = owners[:1] // a supply's node: every copy holds the same voltage
		}
		probes := make([]analysis.Probe, len(owners))
		for j, b := range owners {
			probes[j] = unknownProbe(index(b, int(pr)))
		}
		if len(owners) > 0 {
			return owners, probes, nil
		}
	case differenceProbe:
		// The difference of two unknowns of one block (no branch current is copied
		// into a difference: ngspice has no i(a,b)).
		a := p.owners[sys.Unknowns[pr[0]].Label()]
		b := p.owners[sys.Unknowns[pr[1]].Label()]
		for _, blk := range a {
			if slices.Contains(b, blk) {
				return []int{blk}, []analysis.Probe{differenceProbe{index(blk, pr[0]), index(blk, pr[1])}}, nil
			}
		}
	case *exprProbe:
		return pr.inBlock(func(a analysis.Probe) ([]int, []analysis.Probe, error) { return p.blockProbes(sys, a) })
	case deviceCurrent:
		d, ok := pr.currentProbe.(devices.Device)
		if !ok {
			break
		}
		if b, ok := p.byName[d.Name()]; ok {
			for _, bd := range p.blocks[b].ckt.Devices {
				if bd.Name() == d.Name() {
					return []int{b}, []analysis.Probe{deviceCurrent{bd.(currentProbe)}}, nil
				}
			}
		}
	}
	return nil, nil, errSpans
}

// runPartitioned runs a transient as blocks: each records the points of its own outputs,
// and the rows are merged onto one time grid for sink as they become final, while the
// blocks run (partition_stream.go); an error of the run comes after the rows written
// before it. With spikes (the .spikes
// vectors, the last outputs), each block finds the spikes of its own vectors on its own
// points and keeps none of their waveforms, so that a network's memory and written rows
// grow with the vectors saved, not with the neurons watched; the spikes go to spikes in
// time order and its sink gets the other columns. It returns errSpans (and runs nothing)
// when an output reads more than one block.
func (s *Simulation) runPartitioned(ctx context.Context, spec analysis.TranSpec, outputs []analysis.Output, spikes *spikeSink, sink Sink, log analysis.Logger) (analysis.Stats, error) {
	p := s.part
	outs, cols, err := p.blockOutputs(s.ckt.Sys, outputs)
	if err != nil {
		return analysis.Stats{}, err
	}
	width := len(outputs) + 1 // columns written: time and the outputs before the spike vectors
	if spikes != nil {
		width -= len(spikes.plan.outputs)
		sink = spikes.next
	}
	waves, watchers := splitSpikeOutputs(outs, cols, width, spikes)
	var x *partition.Exchange
	if p.links > 0 {
		member := make([]bool, len(p.blocks))
		for b, blk := range p.blocks {
			member[b] = len(blk.senders)+len(blk.receivers) > 0
		}
		x = partition.NewExchange(p.links, p.senders, p.interval, spec.Stop, member)
	}
	cs := []analysis.Column{{Name: "time", Quantity: analysis.Time}}
	for _, o := range outputs[:width-1] {
		cs = append(cs, analysis.Column{Name: o.Name, Quantity: o.Quantity})
	}
	if err := sink.Begin(cs); err != nil {
		return analysis.Stats{}, err
	}
	recs := make([]*recorder, len(p.blocks))
	for b := range recs {
		recs[b] = newRecorder(len(waves[b]) + 1)
	}
	stats := make([]analysis.Stats, len(p.blocks))
	logs := make([][]string, len(p.blocks))
	var errs []error
	ran := make(chan struct{})
	runCtx, cancel := context.WithCancel(ctx) // cancelled when the sink fails
	defer cancel()
	go func() {
		defer close(ran)
		errs = partition.Run(runCtx, len(p.blocks), s.bo.workers, x, func(ctx context.Context, b int) error {
			defer func() {
				recs[b].finish()
				if p.ended != nil {
					p.ended(b)
				}
			}()
			ckt := p.blocks[b].runCircuit(x, p.land)
			var blockSink analysis.Sink = recs[b]
			if watchers[b] != nil {
				watchers[b].next = recs[b]
				blockSink = watchers[b]
			}
			var err error
			stats[b], err = analysis.Tran(ctx, &ckt, s.opt, spec, outs[b], blockSink, func(format string, args ...any) {
				logs[b] = append(logs[b], fmt.Sprintf(format, args...))
			})
			return err
		})
	}()
	m := newMerger(recs, waves, width, sink)
	werr := m.stream(ran, cancel, p.hold, spec.Stop)
	st := analysis.Stats{Blocks: len(p.blocks)}
	for b := range p.blocks {
		for _, m := range logs[b] {
			log("%s", m)
		}
		st.Points += stats[b].Points
		st.Rejected += stats[b].Rejected
		st.NewtonFailures += stats[b].NewtonFailures
		st.Events += stats[b].Events
		st.Iterations += stats[b].Iterations
		st.OPIterations += stats[b].OPIterations
		st.BlockPoints = max(st.BlockPoints, stats[b].Points)
		st.Factorizations += stats[b].Factorizations
		st.Bypassed += stats[b].Bypassed
	}
	end, stop := spec.Stop, firstStop(errs)
	if stop != nil {
		var se *analysis.StopError
		if errors.As(stop, &se) {
			end = se.Time
		} else {
			end = math.Inf(-1)
		}
	}
	if spikes != nil {
		spikes.spikes = mergeSpikes(watchers, end)
	}
	if werr != nil {
		return st, werr
	}
	m.collect()
	if err := m.write(math.Inf(1), end); err != nil {
		return st, err
	}
	return st, stop
}

// splitSpikeOutputs parts each block's output columns into those written (below width)
// and the .spikes vectors, which the block's own spike watcher takes off its rows (nil
// for a block without any). A block's outputs are in column order, so its spike vectors
// are its last ones, as the watcher expects.
func splitSpikeOutputs(outs [][]analysis.Output, cols [][]int, width int, spikes *spikeSink) (waves [][]int, watchers []*spikeSink) {
	waves = make([][]int, len(outs))
	watchers = make([]*spikeSink, len(outs))
	for b := range outs {
		k := 0
		for k < len(cols[b]) && cols[b][k] < width {
			k++
		}
		waves[b] = cols[b][:k]
		if spikes == nil || k == len(cols[b]) {
			continue
		}
		plan := &spikePlan{outputs: outs[b][k:]}
		for _, c := range cols[b][k:] {
			plan.levels = append(plan.levels, spikes.plan.levels[c-width])
			plan.hyst = append(plan.hyst, spikes.plan.hyst[c-width])
		}
		n := len(plan.outputs)
		watchers[b] = &spikeSink{plan: plan, armed: make([]bool, n), prev: make([]float64, n), order: cols[b][k:]}
	}
	return waves, watchers
}

// mergeSpikes puts the blocks' spikes up to end in time order; spikes at the same time
// keep the order of their vectors in the .spikes lines, as in a run as one system.
func mergeSpikes(watchers []*spikeSink, end float64) []Spike {
	type ordered struct {
		Spike
		order int
	}
	var all []ordered
	for _, w := range watchers {
		if w == nil {
			continue
		}
		for i, sp := range w.spikes {
			if sp.Time <= end {
				all = append(all, ordered{sp, w.spikeOrder[i]})
			}
		}
	}
	slices.SortFunc(all, func(a, b ordered) int {
		if c := cmp.Compare(a.Time, b.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	spikes := make([]Spike, len(all))
	for i, o := range all {
		spikes[i] = o.Spike
	}
	return spikes
}

// runCircuit is the block's circuit for one run: with an exchange, its link sides report
// to it and its clock stops it at the synchronization points (landed on without a
// restart when land).
func (blk *block) runCircuit(x *partition.Exchange, land bool) analysis.Circuit {
	ckt := blk.ckt
	if x == nil || len(blk.senders)+len(blk.receivers) == 0 {
		return ckt
	}
	ckt.Devices = slices.Clone(ckt.Devices)
	for _, sd := range blk.senders {
		ckt.Devices[sd.device] = x.Sender(sd.sender, sd.links, ckt.Devices[sd.device])
	}
	for _, sd := range blk.receivers {
		ckt.Devices[sd.device] = x.Receiver(sd.links, ckt.Devices[sd.device])
	}
	if land {
		ckt.Devices = append(ckt.Devices, x.LandingClock())
	} else {
		ckt.Devices = append(ckt.Devices, x.Clock())
	}
	return ckt
}

// firstStop is the error of the block that stopped earliest (the first such block on a
// tie), or nil.
func firstStop(errs []error) error {
	var first error
	when := math.Inf(1)
	for _, err := range errs {
		if err == nil {
			continue
		}
		t := math.Inf(-1) // an error before any time point
		var se *analysis.StopError
		if errors.As(err, &se) {
			t = se.Time
		}
		if first == nil || t < when {
			first, when = err, t
		}
	}
	return first
}
