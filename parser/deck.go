package parser

import (
	"context"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gospice/gospice/parser/expr"
)

// Deck is a netlist read once: its files lexed and parsed into lines, with the included
// files and called .lib sections in place (step 1 of the package comment). Elaborate
// turns it into a Circuit (steps 2 to 4), as many times as needed, with other parameter
// values, seeds or run numbers, without reading or parsing any text again.
//
// A Deck is never changed once made: Elaborate may be called from several goroutines at
// once. (The expressions of its lines are parsed, and the data files of its PWL sources
// read, on first use and kept, behind a lock.)
type Deck struct {
	name    string
	lines   []*srcLine
	errs    ErrorList       // found while reading: lexical errors, unreadable includes, ...
	warns   []*Error        // warnings found while reading
	seen    map[string]bool // their places and messages (see elab.reportIn)
	nerr    int
	posMaps map[string]*posMap           // of each file read, by name
	bodies  map[string][]*lazyBody       // the subcircuit bodies of each file left for later
	srcs    map[string]string            // each file read, by name: the text its lines share
	seed    *Item                        // the value of the last .options seed= of the top level
	scale   *Item                        // and of its last .options scale=
	temp    *Term                        // its circuit temperature (see lastTemp)
	wnflag  *Item                        // its last .options wnflag=
	exprs   sync.Map                     // expression text -> parsedExpr
	read    func(string) ([]byte, error) // reads the data files of PWL file=
	pwls    sync.Map                     // a PWL file's path (fileKey) -> pwlFile
	bins    sync.Map                     // a .model line -> the value tokens of its bin bounds
	draws   sync.Map                     // a .model line -> whether it may draw random values

	incomplete bool // a file it includes could not be read
}

type parsedExpr struct {
	n   expr.Node
	err error
}

// parseExpr parses an expression's text, once for the Deck: the trees are never
// changed (folding makes new nodes), so every elaboration may share them.
func (d *Deck) parseExpr(text string) (expr.Node, error) {
	if p, ok := d.exprs.Load(text); ok {
		return p.(parsedExpr).n, p.(parsedExpr).err
	}
	n, err := expr.Parse(text)
	p, _ := d.exprs.LoadOrStore(text, parsedExpr{n, err})
	return p.(parsedExpr).n, p.(parsedExpr).err
}

// Name is the file name the Deck was read as (the one positions name).
func (d *Deck) Name() string { return d.name }

// Errors lists the problems found while reading the files: lexical errors, include files
// that cannot be read, .lib sections not found. Elaborate reports them again, with the
// rest, so that a caller can also stop before elaborating. Like Elaborate's, the list is
// sorted by position and holds at most MaxErrors (and a note of how many more).
func (d *Deck) Errors() ErrorList { return capErrors(slices.Clone(d.errs)) }

// Incomplete reports whether a file that the netlist includes (.include, .lib) could not
// be read (Errors says which). What the netlist means is then unknown: its elaboration
// would report what the file would have defined (models, subcircuits, parameters) as
// missing wherever it is used, which can take as long as a whole run. A caller may stop
// at Errors instead, as ngspice stops at a missing file.
func (d *Deck) Incomplete() bool { return d.incomplete }

// Variant is what may change from one elaboration of a Deck to the next. Its zero value
// elaborates the netlist as written: what Parse does.
type Variant struct {
	// Params overrides top-level .param values, by lowercase name. An override replaces
	// the parameter's expression wholly: every expression that reads the parameter sees
	// the value. A name the netlist does not define is defined by its override (a
	// .step param that nothing reads). Subcircuit parameters of the same name are
	// not changed (they hide the top level's, as usual).
	Params map[string]float64

	// SubcktParams overrides parameters of subcircuits, by subcircuit and parameter
	// (lowercase): in every instance of the subcircuit the value takes the place of the
	// default, of its .param line and of the instance's own value (ngspice 39's
	// alterparam subckt name = value, measured). A name the subcircuit does not have
	// is left alone.
	SubcktParams map[string]map[string]float64

	// Seed is the seed of the random functions (gauss, agauss, unif, aunif, limit) when
	// HasSeed is set; else the netlist's .options seed=N is used, else DefaultSeed.
	Seed    uint64
	HasSeed bool

	// Run is the run number of a Monte Carlo analysis, from 1 (0 means 1): each run
	// draws other random values from the same seed (see Stream).
	Run int

	// Steps, when not nil, are the .step lines as an elaboration of the same Deck read
	// them (their values do not depend on the Variant): the circuit gets them, and the
	// .step lines are not read again. A run of a netlist with a million step points then
	// costs no more than one with a few.
	Steps []Step
}

// DefaultSeed is the seed of the random functions of a netlist that names none (no
// Variant.Seed, no .options seed): the same as the devices'.
const DefaultSeed = 1

// ParseDeck reads a netlist into a Deck; filename is used in positions and to find the
// files it includes. The error is ctx's when ctx ends before the netlist is read; the
// netlist's own errors are reported by Elaborate (see Deck.Errors).
func ParseDeck(ctx context.Context, filename string, src []byte) (d *Deck, err error) {
	return parseDeckRecovered(ctx, filename, src, false)
}

// parseDeckRecovered is ParseDeck; owned says that src was read for this parse alone.
func parseDeckRecovered(ctx context.Context, filename string, src []byte, owned bool) (d *Deck, err error) {
	defer func() {
		if r := recover(); r != nil { // no known way to get here
			d, err = nil, ErrorList{Errorf(Pos{File: filename, Line: 1, Col: 1}, "internal error: %v", r)}
		}
	}()
	return parseDeckOwned(ctx, filename, src, readIncluded, owned)
}

// ParseDeckFile reads a netlist file into a Deck. An error reading the file is returned
// as is; a file larger than an included file may be (64 MiB) is refused unread.
func ParseDeckFile(ctx context.Context, path string) (*Deck, error) {
	src, err := readNetlist(path)
	if err != nil {
		return nil, err
	}
	// The bytes are this parse's: the text its lines point into shares them.
	return parseDeckRecovered(ctx, path, src, true)
}

// readNetlist reads a netlist file that is not too large.
func readNetlist(path string) ([]byte, error) {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() > maxIncludeSize {
		return nil, fmt.Errorf("%s: larger than %d MiB, the most a netlist file may hold", path, maxIncludeSize>>20)
	}
	return readFile(path)
}

// parseDeck reads a netlist, reading the files it includes with read.
func parseDeck(ctx context.Context, filename string, src []byte, read func(string) ([]byte, error)) (*Deck, error) {
	return parseDeckOwned(ctx, filename, src, read, false)
}

// parseDeckOwned is parseDeck; owned says that src was read for this parse alone.
func parseDeckOwned(ctx context.Context, filename string, src []byte, read func(string) ([]byte, error), owned bool) (*Deck, error) {
	e := &elab{
		ownsSrc: owned,
		c:       &Circuit{Models: map[string]*Model{}},
		seen:    map[string]bool{},
		posMaps: map[string]*posMap{},
		bodies:  map[string][]*lazyBody{},
		srcs:    map[string]string{},
		files:   map[string][]byte{},
		done:    ctx.Done(),

		progress:  progressOf(ctx),
		stopEarly: stopsAtMissingInclude(ctx),
	}
	key := fileKey(filename)
	e.files[key] = src
	e.readFile = func(name string) ([]byte, error) {
		if b, ok := e.files[fileKey(name)]; ok {
			return b, nil
		}
		b, err := read(name)
		if err == nil {
			e.files[fileKey(name)] = b
		}
		return b, err
	}
	lines := e.readDeck(filename, src, true, "", []fileFrame{{key: key + "\x00", name: filename}}, Pos{})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Deck{name: filename, lines: lines, errs: e.errs, warns: e.c.Warnings, seen: e.seen,
		nerr: e.nerr, posMaps: e.posMaps, bodies: e.bodies, srcs: e.srcs, seed: lastOption(lines, "seed"), scale: lastOption(lines, "scale"), temp: lastTemp(lines), wnflag: lastOption(lines, "wnflag"), read: read,
		incomplete: e.incomplete}, nil
}

// lastOption finds the last .options name= of the top level (outside the .subckt
// definitions; the lines of .if blocks are all looked at).
func lastOption(lines []*srcLine, name string) *Item {
	var seed *Item
	depth := 0
	for _, l := range lines {
		switch dotName(l) {
		case ".subckt":
			depth++
		case ".ends":
			depth = max(depth-1, 0)
		case ".options", ".option", ".opt":
			if depth > 0 {
				continue
			}
			ast, _ := l.syntax(nil)
			if ast == nil || ast.Dot == nil {
				continue
			}
			for _, it := range ast.Dot.Items {
				if w, ok := plainWord(it.Key); ok && w == name && it.Value != nil {
					seed = it
				}
			}
		}
	}
	return seed
}

// Elaborate makes the flat circuit of the Deck with the values of v. When err is an
// ErrorList, it holds every problem found (at most MaxErrors, sorted by position), and
// the circuit what could be read; warnings are in Circuit.Warnings either way. A Variant
// that cannot apply (an override that is not a parameter name or not a finite number, a
// negative Run) is a plain error, and so is ctx's when ctx ends first; the circuit is
// then nil. The circuit's Deck is d.
func (d *Deck) Elaborate(ctx context.Context, v Variant) (c *Circuit, err error) {
	defer func() {
		if r := recover(); r != nil { // no known way to get here
			c = &Circuit{Models: map[string]*Model{}, Deck: d}
			err = ErrorList{Errorf(Pos{File: d.name, Line: 1, Col: 1}, "internal error: %v", r)}
		}
	}()
	return d.elaborate(ctx, v)
}

// checkVariant checks v and returns it with its names lowercase and Run 1 for 0.
func checkVariant(v Variant) (Variant, error) {
	switch {
	case v.Run < 0:
		return v, fmt.Errorf("run %d: runs count from 1", v.Run)
	case v.Run == 0:
		v.Run = 1
	}
	if v.Params == nil {
		return v, nil
	}
	params := make(map[string]float64, len(v.Params))
	for name, x := range v.Params {
		low := strings.ToLower(name)
		switch {
		case !isName(low):
			return v, fmt.Errorf("parameter override %q: not a parameter name", name)
		case expr.Variables[low]:
			return v, fmt.Errorf("parameter override %q: %s is a simulation variable", name, low)
		case math.IsInf(x, 0) || math.IsNaN(x):
			return v, fmt.Errorf("parameter override %s=%g: not a finite number", name, x)
		}
		params[low] = x
	}
	v.Params = params
	return v, nil
}

func (d *Deck) elaborate(ctx context.Context, v Variant) (*Circuit, error) {
	beside := claimBeside(len(d.lines))
	c, dup, err := d.elaborateClaiming(ctx, v, beside)
	if dup { // a name came twice: again, claiming them in line for the errors (claimnames.go)
		c, _, err = d.elaborateClaiming(ctx, v, false)
	}
	return c, err
}

// elaborateClaiming is elaborate, with the element names claimed beside it or in line
// (see claimnames.go). dup says that they were claimed beside it and one came twice: the
// circuit and error are then not those of the deck.
func (d *Deck) elaborateClaiming(ctx context.Context, v Variant, beside bool) (_ *Circuit, dup bool, _ error) {
	v, err := checkVariant(v)
	if err != nil {
		return nil, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	e := &elab{
		c: &Circuit{Models: map[string]*Model{}, Params: map[string]float64{}, Deck: d, Variant: v,
			Warnings: slices.Clone(d.warns)},
		deck:    d,
		variant: v,
		done:    ctx.Done(),
		errs:    slices.Clone(d.errs),
		nerr:    d.nerr,
		seen:    maps.Clone(d.seen),
		globals: map[string]bool{},
		posMaps: d.posMaps,
		bodies:  d.bodies,
		srcs:    d.srcs,

		tooLarge:   map[*expr.Func]string{},
		modelAlias: map[string]string{},
		cards:      map[string]string{},
		binCache: map[binKey]struct {
			r  binRange
			ok bool
		}{},
		dotDraws:   map[string]*drawCtx{},
		stepPoints: 1,
		progress:   progressOf(ctx),
	}
	if beside { // the map is made beside too
		e.claimer = newNameClaimer(len(d.lines))
		defer func() { // settled below, unless the elaboration panicked
			if e.claimer != nil {
				e.claimer.settle()
			}
		}()
	} else {
		e.names = make(map[string]nameLine, len(d.lines)) // sized once: it holds every element name
	}
	root := e.structure(d.lines)
	if n := len(root.body); n >= 1024 { // a large netlist: about an element a line, before instances
		e.c.Elements = make([]*Element, 0, n)
	}
	e.sc = e.topScope(root, true)
	e.evalAll(e.sc)
	for name, st := range e.sc.state {
		if st == paramDone {
			e.c.Params[name] = e.sc.vals[name]
		}
	}
	e.ahead = startSyntaxAhead(len(d.lines), root.body)
	defer e.ahead.end()
	if len(d.lines) >= syntaxAheadLines {
		// A large netlist: the elements of its top level come from large blocks, and
		// those of its instances, if it has any, from full-size ones, made ahead.
		els, nodes, insts := topElements(root.body)
		e.blocks.reserve(els, nodes)
		e.blocks.ahead = startBlocksAhead(len(d.lines), els, nodes, insts)
	}
	defer e.blocks.ahead.end()
	e.bodyWithProgress(root)
	e.ahead, e.blocks.ahead = nil, nil
	if e.claimer != nil {
		e.names, dup = e.claimer.settle()
		e.claimer = nil
		if dup {
			return nil, true, nil
		}
	}
	e.ownModels(e.sc)
	e.finish()
	if e.cancelled() {
		return nil, false, ctx.Err()
	}
	ErrorList(e.c.Warnings).Sort()
	return e.c, false, capErrors(e.errs).Err()
}

// cancelled reports whether the context has ended, which stops the reading and the
// elaboration at the next line. It costs a look at a channel.
func (e *elab) cancelled() bool {
	if e.stopped {
		return true
	}
	select {
	case <-e.done:
		e.stopped = true
	default:
	}
	return e.stopped
}
