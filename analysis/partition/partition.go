// Package partition splits a circuit into blocks that a transient may advance apart, each
// with its own time step, Newton iteration and matrix, and runs the blocks of one
// transient together: in parallel on a bounded number of workers, exchanging the events
// of the delayed links between them at synchronization points.
//
// Two parts of a circuit are apart when nothing but delayed links (devices.EventLink: a
// synapse) and ideal sources fixed in time (a supply from a node to ground) join them: a
// supply's node holds a voltage that no block can change, so each block gets a copy of
// the supply, and a link's effect on its receiving side is known an interval ahead.
package partition

import (
	"math"
	"slices"
)

// Element is one element of a flat circuit as the partition sees it.
type Element struct {
	// Nodes are the nodes whose voltages the element loads or reads (a MOSFET's four, a
	// behavioural source's own and those its expression probes).
	Nodes []string
	// Joins are other elements this one depends on whatever their nodes: the controlling
	// source of an F or H, the inductors of a K, the sources whose currents an expression
	// reads.
	Joins []int
	// Supply marks an ideal voltage source fixed in time from Nodes[0] to ground: its node
	// joins nothing. A supply that another element Joins is not one (its current is read).
	Supply bool
}

// Link is a delayed link: the nodes its sending side reads and those its receiving side
// loads, and the least delay from an event to its effect.
type Link struct {
	Send, Receive []string
	MinDelay      float64
}

// Block is one part of the circuit, simulated on its own.
type Block struct {
	// Elements are the block's elements, in circuit order: every supply whose node an
	// element of the block (or a link side it holds) uses is among them, a copy in every
	// block that uses it.
	Elements []int
	// Senders and Receivers are the links whose sending and receiving sides it holds.
	Senders, Receivers []int
	// Fixed marks the one block of the elements with no node but ground and supplies'
	// (a capacitor from an input source's node to ground), which nothing else affects,
	// and of the supplies that no other block uses.
	Fixed bool
}

// Plan is a circuit's blocks and the interval of their synchronization points.
type Plan struct {
	Blocks []Block
	// Interval is the least MinDelay of the links, the longest a block may run ahead of
	// another: +Inf when there are no links (the blocks are independent).
	Interval float64
}

// Ground is the name of the ground node.
const Ground = "0"

// Find splits a circuit into its blocks, in the order of their first element (and then
// of their first link side). The elements and link sides with no node but ground and
// supplies' are all in one block, the Fixed one.
func Find(elems []Element, links []Link) Plan {
	supply := make([]bool, len(elems))
	for i, e := range elems {
		supply[i] = e.Supply && len(e.Nodes) > 0
	}
	for _, e := range elems {
		for _, j := range e.Joins {
			supply[j] = false
		}
	}
	fixed := map[string][]int{} // the supplies on each fixed node
	for i, e := range elems {
		if supply[i] {
			fixed[e.Nodes[0]] = append(fixed[e.Nodes[0]], i)
		}
	}
	free := func(n string) bool { return n != Ground && fixed[n] == nil }

	// Items: elements, then every link's sending side, then every receiving side; the
	// union-find runs over items and free nodes.
	ne, nl := len(elems), len(links)
	items := ne + 2*nl
	uf := newUnionFind(items)
	nodeItem := make(map[string]int, ne/2) // about a node per two elements: sized once
	join := func(item int, nodes []string) {
		for _, n := range nodes {
			if !free(n) {
				continue
			}
			k, ok := nodeItem[n]
			if !ok {
				k = uf.add()
				nodeItem[n] = k
			}
			uf.union(item, k)
		}
	}
	for i, e := range elems {
		if supply[i] {
			continue
		}
		join(i, e.Nodes)
		for _, j := range e.Joins {
			uf.union(i, j)
		}
	}
	for l, lk := range links {
		join(ne+l, lk.Send)
		join(ne+nl+l, lk.Receive)
	}

	// Every item without a free node joins the first such item.
	fixedItem := -1
	onlyFixed := func(item int, nodes []string) {
		for _, n := range nodes {
			if free(n) {
				return
			}
		}
		if fixedItem < 0 {
			fixedItem = item
		}
		uf.union(fixedItem, item)
	}
	for i, e := range elems {
		if !supply[i] && len(e.Joins) == 0 {
			onlyFixed(i, e.Nodes)
		}
	}
	for l, lk := range links {
		onlyFixed(ne+l, lk.Send)
		onlyFixed(ne+nl+l, lk.Receive)
	}

	plan := Plan{Interval: math.Inf(1)}
	for _, lk := range links {
		plan.Interval = math.Min(plan.Interval, lk.MinDelay)
	}
	blockOf := map[int]int{} // union-find root -> block index
	uses := []map[int]bool{} // per block: the supplies it uses
	block := func(item int) int {
		r := uf.find(item)
		b, ok := blockOf[r]
		if !ok {
			b = len(plan.Blocks)
			blockOf[r] = b
			plan.Blocks = append(plan.Blocks, Block{})
			uses = append(uses, map[int]bool{})
		}
		return b
	}
	use := func(b int, nodes []string) {
		for _, n := range nodes {
			for _, s := range fixed[n] {
				uses[b][s] = true
			}
		}
	}
	used := make([]bool, ne)
	for i, e := range elems {
		if supply[i] {
			continue
		}
		b := block(i)
		plan.Blocks[b].Elements = append(plan.Blocks[b].Elements, i)
		use(b, e.Nodes)
	}
	for l, lk := range links {
		b := block(ne + l)
		plan.Blocks[b].Senders = append(plan.Blocks[b].Senders, l)
		use(b, lk.Send)
	}
	for l, lk := range links {
		b := block(ne + nl + l)
		plan.Blocks[b].Receivers = append(plan.Blocks[b].Receivers, l)
		use(b, lk.Receive)
	}
	// The supplies go in, each in the blocks that use it, in circuit order.
	for b := range plan.Blocks {
		if len(uses[b]) == 0 {
			continue
		}
		var merged []int
		own := plan.Blocks[b].Elements
		for i := 0; i < ne; i++ {
			if uses[b][i] {
				merged = append(merged, i)
				used[i] = true
			} else if len(own) > 0 && own[0] == i {
				merged = append(merged, i)
				own = own[1:]
			}
		}
		plan.Blocks[b].Elements = merged
	}
	fixedBlock := -1
	if fixedItem >= 0 {
		fixedBlock = block(fixedItem)
		plan.Blocks[fixedBlock].Fixed = true
	}
	for i := range elems {
		if supply[i] && !used[i] {
			if fixedBlock < 0 {
				fixedBlock = len(plan.Blocks)
				plan.Blocks = append(plan.Blocks, Block{Fixed: true})
			}
			b := &plan.Blocks[fixedBlock]
			k, _ := slices.BinarySearch(b.Elements, i)
			b.Elements = slices.Insert(b.Elements, k, i)
		}
	}
	return plan
}

// unionFind is a disjoint-set forest that grows.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u *unionFind) add() int {
	*u = append(*u, len(*u))
	return len(*u) - 1
}

func (u unionFind) find(k int) int {
	for u[k] != k {
		u[k] = u[u[k]]
		k = u[k]
	}
	return k
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if ra > rb { // the smaller index is the root, so that roots do not depend on order
		ra, rb = rb, ra
	}
	u[rb] = ra
}
