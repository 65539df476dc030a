package parser

import "runtime"

// Claiming element names beside the elaboration. Every element's flat name goes into
// a map that finds duplicates (claimName). In a large netlist that is a map of hundreds
// of thousands of names, each look-up a cache miss: a fifth of the elaboration. There a
// goroutine fills the map on the other core from batches of names handed to it in
// order, while the elaboration goes on as though every name were new. Duplicate names
// are an error, and rare: when the goroutine finds one, the circuit is elaborated again
// with the names claimed in line, which gives the errors, and the elements left out, of
// an elaboration that saw the duplicate when it came (TestClaimNamesBeside).

// claimBesideLines is the fewest lines a deck has for its names to be claimed beside the
// elaboration (a variable for the tests).
var claimBesideLines = 1 << 14

// claimBatch is how many names the elaboration hands over at once.
const claimBatch = 4096

// nameClaim is a name to claim and where it was first defined.
type nameClaim struct {
	name string
	at   nameLine
}

// nameClaimer fills an elaboration's map of names beside it.
type nameClaimer struct {
	batch []nameClaim         // being filled by the elaboration
	work  chan []nameClaim    // batches to claim, in order; closed by settle
	free  chan []nameClaim    // batches claimed, for the elaboration to fill again
	made  int                 // batches made
	done  chan struct{}       // closed when every batch sent is claimed
	dup   bool                // a name came twice: read after done
	names map[string]nameLine // the names claimed: read after done
}

// claimBeside reports whether a deck of n lines has its names claimed beside the
// elaboration.
func claimBeside(n int) bool {
	return n >= claimBesideLines && runtime.GOMAXPROCS(0) >= 2
}

// newNameClaimer starts the goroutine that makes the map of names, sized for size, and
// claims names into it: the making (its memory's first writes) is that core's too.
func newNameClaimer(size int) *nameClaimer {
	c := &nameClaimer{work: make(chan []nameClaim, 2), free: make(chan []nameClaim, 4), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		names := make(map[string]nameLine, size)
		c.names = names
		for b := range c.work {
			for _, n := range b {
				if _, ok := names[n.name]; ok {
					c.dup = true
					continue
				}
				names[n.name] = n.at
			}
			c.free <- b[:0]
		}
	}()
	return c
}

// claim hands name over; the batch goes when full.
func (c *nameClaimer) claim(name string, at nameLine) {
	if c.batch == nil {
		select {
		case c.batch = <-c.free:
		default:
			if c.made < 3 { // two with the goroutine, one being filled
				c.made++
				c.batch = make([]nameClaim, 0, claimBatch)
			} else {
				c.batch = <-c.free
			}
		}
	}
	c.batch = append(c.batch, nameClaim{name, at})
	if len(c.batch) == claimBatch {
		c.work <- c.batch
		c.batch = nil
	}
}

// settle hands over the last names, waits until all are claimed and returns the map of
// names and whether a name came twice.
func (c *nameClaimer) settle() (names map[string]nameLine, dup bool) {
	if len(c.batch) > 0 {
		c.work <- c.batch
	}
	c.batch = nil
	close(c.work)
	<-c.done
	return c.names, c.dup
}
