package parser

import (
	"runtime"
	"slices"
)

// Reading the syntax of compact lines ahead of the elaboration. Making the AST of a
// compact line (its tokens made again from its text, then plainLine: elementSyntax) is a
// fifth of the elaboration of a large netlist, and depends on the line alone. In a deck
// of syntaxAheadLines lines or more, a goroutine makes the ASTs of the top level's
// compact lines on the other core, in chunks of aheadLines lines, in order, while the
// elaboration reads the chunks before; the elaboration takes an AST made ahead instead
// of making it. The lines of subcircuit bodies, read once per instance, are made as
// before. Both are made by the same calls from the same text (TestSyntaxAhead and
// FuzzSyntaxAhead check that the circuits are the same).

// syntaxAheadLines is the fewest lines a deck has for its compact lines' syntax to be
// made ahead of the elaboration (a variable for the tests).
var syntaxAheadLines = 1 << 14

// aheadLines is the number of top-level lines in a chunk, and aheadChunks the number of
// chunks: one being read, the others made or being made.
const (
	aheadLines  = 64
	aheadChunks = 4
)

// syntaxAhead hands the elaboration the ASTs of the top level's compact lines, made by
// a goroutine ahead of it.
type syntaxAhead struct {
	body []*srcLine        // the top level's lines
	work chan *syntaxChunk // chunks made, in order; closed after the last
	free chan *syntaxChunk // chunks read, for the goroutine to fill again
	stop chan struct{}     // closed when the elaboration ends
	cur  *syntaxChunk      // the chunk that holds line at, nil before the first and after the last
	at   int               // the top-level line being elaborated
}

// syntaxChunk is the ASTs of the lines body[from:from+len(asts)]: nil for a line that is
// not compact.
type syntaxChunk struct {
	from  int
	asts  []*Line
	arena astArena // their tokens and ASTs, in memory used again by the chunk's next lines
}

// startSyntaxAhead starts the goroutine that makes the ASTs of body's compact lines, when
// the deck of n lines is large enough and there are two cores; else it returns nil, and
// the elaboration makes every AST itself. stop ends it.
func startSyntaxAhead(n int, body []*srcLine) *syntaxAhead {
	if n < syntaxAheadLines || runtime.GOMAXPROCS(0) < 2 || noFastPath {
		return nil
	}
	a := &syntaxAhead{body: body, work: make(chan *syntaxChunk, aheadChunks),
		free: make(chan *syntaxChunk, aheadChunks), stop: make(chan struct{}), at: -1}
	for range aheadChunks {
		a.free <- &syntaxChunk{}
	}
	go func() {
		defer close(a.work)
		for from := 0; from < len(body); from += aheadLines {
			var c *syntaxChunk
			select {
			case c = <-a.free:
			case <-a.stop:
				return
			}
			c.fill(body, from)
			a.work <- c // never blocks: work holds every chunk
		}
	}()
	return a
}

// fill makes the ASTs of the compact lines of body[from:from+aheadLines].
func (c *syntaxChunk) fill(body []*srcLine, from int) {
	lines := body[from:min(from+aheadLines, len(body))]
	c.from, c.asts = from, c.asts[:0]
	c.arena.reset()
	need := 0
	for _, l := range lines {
		need += len(l.compact.text) + 1 // every token holds a byte at least, and the Newline ends them
	}
	c.arena.scan.chunk = slices.Grow(c.arena.scan.chunk, need) // no line moves to a new allocation
	for _, l := range lines {
		var ast *Line
		if l.compact.text != "" {
			ast, _ = l.syntax(&c.arena)
		}
		c.asts = append(c.asts, ast)
	}
}

// reach tells a (which may be nil) that the elaboration is at the top level's line i, the
// next after the one before: the chunks before it are free again.
func (a *syntaxAhead) reach(i int) {
	if a == nil {
		return
	}
	a.at = i
	for a.cur == nil || i >= a.cur.from+len(a.cur.asts) {
		if a.cur != nil {
			a.free <- a.cur // never blocks: free holds every chunk
		}
		c, ok := <-a.work
		if !ok {
			a.cur = nil
			return
		}
		a.cur = c
	}
}

// take is the AST made ahead for l, or nil when l is not the top-level line being
// elaborated (a line of a subcircuit's body) or not compact. It is valid until the
// elaboration reaches the next chunk.
func (a *syntaxAhead) take(l *srcLine) *Line {
	if a == nil || a.cur == nil || a.at < 0 || a.body[a.at] != l {
		return nil
	}
	return a.cur.asts[a.at-a.cur.from]
}

// end stops the goroutine, if it has not finished.
func (a *syntaxAhead) end() {
	if a != nil {
		close(a.stop)
	}
}
