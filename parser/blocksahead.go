package parser

import (
	"runtime"
	"unsafe"

	"github.com/gospice/gospice/internal/hugepages"
)

// Element blocks made ahead of the elaboration. The first write to memory the process
// has not used before costs a page fault in the kernel, and in a large netlist about a
// third of the elaboration's time on its core went to the faults of the blocks of
// elements and of node lists it fills (elementBlocks). In a deck of syntaxAheadLines
// lines or more a goroutine makes the full-size blocks ahead, on the other core, and
// writes a zero in every page of them, so that the faults happen there; the elaboration
// takes a block made ahead when one is ready, else makes it as before. Either way the
// block is zero: the circuit is the same (TestSyntaxAhead and FuzzSyntaxAhead elaborate
// with both).

// elementBlock and nodeBlock are the sizes of the full-size blocks of elementBlocks.
const (
	elementBlock = 1024
	nodeBlock    = 4 * elementBlock
)

// pageSize is the size of the pages that touch writes to.
const pageSize = 4096

// blocksAhead hands the elaboration blocks made on another core.
type blocksAhead struct {
	els   chan []Element
	nodes chan nodeLists
	stop  chan struct{}
}

// nodeLists is a block of node names and one of their places, as elementBlocks.nodes
// makes them.
type nodeLists struct {
	names []string
	pos   []Pos
}

// startBlocksAhead starts the goroutine that makes blocks ahead, for a deck of n lines
// large enough on two cores; else it returns nil. It makes first the large blocks of the
// top level's topEls elements and topNodes nodes (elementBlocks.reserve), in the order
// the elaboration takes them, asking for huge pages, then the full-size blocks of the
// instances' elements when more says that there are instances. end stops it.
func startBlocksAhead(n, topEls, topNodes int, more bool) *blocksAhead {
	if n < syntaxAheadLines || runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	a := &blocksAhead{els: make(chan []Element, 1), nodes: make(chan nodeLists, 1), stop: make(chan struct{})}
	nextEls := func() []Element {
		switch {
		case topEls > 0:
			k := min(topEls, bigElements)
			topEls -= k
			return touch(hugeSlice[Element](k))
		case more:
			return touch(make([]Element, elementBlock))
		}
		return nil
	}
	nextNodes := func() nodeLists {
		switch {
		case topNodes > 0:
			k := min(topNodes, bigNodes)
			topNodes -= k
			return nodeLists{touch(hugeSlice[string](k)), touch(hugeSlice[Pos](k))}
		case more:
			return nodeLists{touch(make([]string, nodeBlock)), touch(make([]Pos, nodeBlock))}
		}
		return nodeLists{}
	}
	go func() {
		els, nodes := nextEls(), nextNodes()
		for els != nil || nodes.names != nil {
			elsTo, nodesTo := a.els, a.nodes
			if els == nil {
				elsTo = nil // a nil channel is never ready
			}
			if nodes.names == nil {
				nodesTo = nil
			}
			select {
			case elsTo <- els:
				els = nextEls()
			case nodesTo <- nodes:
				nodes = nextNodes()
			case <-a.stop:
				return
			}
		}
	}()
	return a
}

// hugeSlice is a zero slice of n values that asks for huge pages.
func hugeSlice[T any](n int) []T {
	s := make([]T, n)
	hugepages.Advise(s)
	return s
}

// touch writes a zero in every page of s, and returns s.
func touch[T any](s []T) []T {
	var zero T
	step := max(1, pageSize/int(unsafe.Sizeof(zero)))
	for i := 0; i < len(s); i += step {
		s[i] = zero
	}
	return s
}

// topElements is the next large block of the top level's elements, of n elements: the
// one made ahead when a is not nil (it makes them in the order they are taken).
func (a *blocksAhead) topElements(n int) []Element {
	if a == nil {
		return hugeSlice[Element](n)
	}
	return <-a.els
}

// topNodeLists is the next large block of the top level's node names and places, of k
// each: the one made ahead when a is not nil.
func (a *blocksAhead) topNodeLists(k int) ([]string, []Pos) {
	if a == nil {
		return hugeSlice[string](k), hugeSlice[Pos](k)
	}
	b := <-a.nodes
	return b.names, b.pos
}

// elements is a zero block of n elements: one made ahead when n is the full size and
// one is ready (a may be nil).
func (a *blocksAhead) elements(n int) []Element {
	if a != nil && n == elementBlock {
		select {
		case els := <-a.els:
			return els
		default:
		}
	}
	return make([]Element, n)
}

// nodeLists is a zero block of k node names and one of their places, made ahead when k
// is the full size and one is ready (a may be nil).
func (a *blocksAhead) nodeLists(k int) ([]string, []Pos) {
	if a != nil && k == nodeBlock {
		select {
		case b := <-a.nodes:
			return b.names, b.pos
		default:
		}
	}
	return make([]string, k), make([]Pos, k)
}

// end stops the goroutine (a may be nil).
func (a *blocksAhead) end() {
	if a != nil {
		close(a.stop)
	}
}
