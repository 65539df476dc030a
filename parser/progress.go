package parser

import "context"

// Progress is told how far the reading of a large netlist has come, done of total lines
// at each stage: "reading" (the lines of a file, named by file, are split into tokens),
// "parsing" (those that are not plain element lines go through the grammar; see
// fastpath.go), each file in turn, then "elaborating" (the lines of the top level; file
// is the netlist's). It is called every few thousand lines, and once with done == total
// at the end of each stage, from the goroutine that reads: it should return quickly.
type Progress func(stage, file string, done, total int)

type progressKey struct{}

// WithProgress returns a context that carries p: ParseDeck, ParseDeckFile and
// Deck.Elaborate called with it tell p how far they have come.
func WithProgress(ctx context.Context, p Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// progressOf is the Progress ctx carries, or nil.
func progressOf(ctx context.Context) Progress {
	p, _ := ctx.Value(progressKey{}).(Progress)
	return p
}

// progressEvery is how many lines go by between two calls of a Progress.
const progressEvery = 1 << 12

// report tells p (which may be nil) that done of total lines are read, when done is a
// multiple of progressEvery or the last.
func (p Progress) report(stage, file string, done, total int) {
	if p != nil && (done%progressEvery == 0 || done == total) {
		p(stage, file, done, total)
	}
}

// bodyWithProgress is body for the top level, telling e.progress how far it has come
// and e.ahead which line it is at.
func (e *elab) bodyWithProgress(root *subcktDef) {
	for i, l := range root.body {
		if e.tooMany || e.cancelled() {
			return
		}
		e.ahead.reach(i)
		e.line(l)
		e.progress.report("elaborating", e.deck.name, i+1, len(root.body))
	}
}
