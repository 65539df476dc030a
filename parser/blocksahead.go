package parser

import (
	"runtime"
	"unsafe"
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
// large enough on two cores; else it returns nil. end stops it.
func startBlocksAhead(n int) *blocksAhead {
	if n < syntaxAheadLines || runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	a := &blocksAhead{els: make(chan []Element, 1), nodes: make(chan nodeLists, 1), stop: make(chan struct{})}
	go func() {
		els := touch(make([]Element, elementBlock))
		nodes := nodeLists{touch(make([]string, nodeBlock)), touch(make([]Pos, nodeBlock))}
		for {
			select {
			case a.els <- els:
				els = touch(make([]Element, elementBlock))
			case a.nodes <- nodes:
				nodes = nodeLists{touch(make([]string, nodeBlock)), touch(make([]Pos, nodeBlock))}
			case <-a.stop:
				return
			}
		}
	}()
	return a
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
