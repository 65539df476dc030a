package parser

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/parser/expr"
)

// Parse reads a netlist; filename is used in positions. When err is not nil it is an
// ErrorList with every problem found (at most MaxErrors, sorted by position), and the
// circuit holds what could be read. Warnings are in Circuit.Warnings either way.
//
// Parse is ParseDeck then Elaborate with the zero Variant: Circuit.Deck elaborates the
// same netlist again.
func Parse(filename string, src []byte) (c *Circuit, err error) {
	defer func() {
		// There is no known way to get here; this keeps a bug from crashing the caller.
		if r := recover(); r != nil {
			c = &Circuit{Models: map[string]*Model{}}
			err = ErrorList{Errorf(Pos{File: filename, Line: 1, Col: 1}, "internal error: %v", r)}
		}
	}()
	return parse(filename, src)
}

// ParseFile reads and parses a netlist file. An error reading the file is returned as is;
// a file larger than an included file may be (64 MiB) is refused unread.
func ParseFile(path string) (*Circuit, error) {
	src, err := readNetlist(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

func parse(filename string, src []byte) (*Circuit, error) {
	return parseWith(filename, src, readIncluded)
}

// parseWith parses a netlist, reading the files it includes with read.
func parseWith(filename string, src []byte, read func(string) ([]byte, error)) (*Circuit, error) {
	d, err := parseDeck(context.Background(), filename, src, read)
	if err != nil { // cannot happen: the context never ends
		return &Circuit{Models: map[string]*Model{}}, err
	}
	return d.elaborate(context.Background(), Variant{})
}

// fileKey identifies a file whatever the path that names it.
func fileKey(name string) string {
	name = filepath.Clean(name)
	if abs, err := filepath.Abs(name); err == nil {
		return abs
	}
	return name
}

// elab is the state of the elaboration of a netlist's lines into a circuit.
type elab struct {
	c         *Circuit
	errs      ErrorList
	nerr      int             // errors found, the same error of several instances included
	seen      map[string]bool // errors and warnings reported, by place and message
	control   *Pos            // an open .control line
	blocks    elementBlocks   // where the elements and their node lists are made
	lowered   lowerArena      // where the lowercase element names are made
	stopEarly bool            // stop at a missing include found before parsing (StopAtMissingInclude)

	posMaps  map[string]*posMap     // of each file read, by name
	bodies   map[string][]*lazyBody // the subcircuit bodies of each file left for later
	srcs     map[string]string      // each file read, by name: the text its lines share
	files    map[string][]byte      // each file read, by fileKey
	readFile func(string) ([]byte, error)
	// ownsSrc: the netlist's bytes were read for this parse alone (ParseDeckFile) and
	// nothing writes them: its text shares them instead of copying them (see fileText).
	ownsSrc bool

	// The reading side (see fastpath.go and progress.go).
	plain      astArena     // where the ASTs of plain lines are made
	ahead      *syntaxAhead // the ASTs of the top level's compact lines, made beside (nil: none)
	progress   Progress     // told how far the reading has come
	incomplete bool         // a file the netlist includes could not be read

	sc        *scope                // the instance being flattened (the top level at first)
	globals   map[string]bool       // .global nodes
	insts     []instFrame           // the instances being flattened, outermost first
	busy      []busyParam           // the parameters being evaluated
	poisoned  bool                  // a parameter with an error was used
	textDepth int                   // string parameters naming string parameters being resolved (strparams.go)
	refs      []ref                 // names to check once every element is known
	tooMany   bool                  // the flat circuit has grown past maxElements
	rawNodes  []string              // the nodes of the element being read, as written
	numCache  numberCache           // the numbers value read last
	current   string                // the flat name of the element being read
	tooLarge  map[*expr.Func]string // functions too large once inlined, with the error
	ninst     int                   // instances flattened
	topLines  int                   // element and instance lines read at the top level

	// The flat element names seen, with their line (see nameLine). spareDraw is the
	// stream of a compact line's element that nothing drew from, for the next element's
	// (claimName): a large netlist's lines then make no garbage there.
	names     map[string]nameLine
	claimer   *nameClaimer // fills names beside the elaboration, in a large netlist (claimnames.go)
	nameFiles []string     // the files of names' lines
	lastFile  int32        // the index in nameFiles of the last element's
	spareDraw *drawCtx

	firstLine lexer.Token           // the netlist's first line, its title (see checks.go)
	slips     []unitSlip            // values whose suffix is likely a unit mistake (see checks.go)
	styles    map[string]valueStyle // how each file writes values (see checks.go)

	deck    *Deck
	variant Variant         // checked: Run is at least 1
	done    <-chan struct{} // the context's: the reading or elaboration stops when closed
	stopped bool            // done was found closed
	root    *subcktDef      // the top level, once sorted (being sorted in structure)

	// Random functions (see random.go).
	draw     *drawCtx            // the stream of the line or parameter being read
	dotDraws map[string]*drawCtx // the stream of each dot command, by canonical name
	noRandom string              // when set, a random function is an error: where it is refused
	seedDone bool
	seed     uint64

	// Models (see models.go).
	modelAlias map[string]string // the flat name of each model elaborated (or tried) -> the card it uses
	cards      map[string]string // cardKey -> the flat name of the card
	modelErrs  int               // the errors found in the models
	binCache   map[binKey]struct {
		r  binRange
		ok bool
	}
	wnflag    int // .options wnflag: 0 not read yet, 1 W per finger, 2 not
	scaleDone bool
	scale     float64 // .options scale
	tempDone  bool
	tempC     float64 // the circuit temperature, for the parameters that read temper

	// .probe (see probe.go): its items, resolved once every element is known, and the
	// top level's subcircuit instances.
	probes     []probeItem
	probeInsts []probeInstance

	// .step lines (see step.go).
	steps      []*pendingStep
	stepLines  int     // the .step lines read
	stepPoints float64 // the product of their numbers of values
	stepSc     *scope  // the top level with the netlist's parameter values
}

// ref is a name that an element uses: a controlling source, a coupled inductor, i(x).
type ref struct {
	name  string // flat
	pos   Pos
	what  string // "i()", or the element that uses it
	kind  byte   // the element kind it must have; 0 for any
	inst  string // the instance it is in, for messages
	owner string // the element that uses it: the check is skipped when it has errors
}

func (e *elab) errorf(pos Pos, format string, args ...any) {
	e.nerr++
	if w := e.report(pos, format, args...); w != nil {
		e.errs = append(e.errs, w)
	}
}

func (e *elab) warnf(pos Pos, format string, args ...any) {
	if w := e.report(pos, format, args...); w != nil {
		e.c.Warnings = append(e.c.Warnings, w)
	}
}

// report builds an error found in the current scope; see reportIn.
func (e *elab) report(pos Pos, format string, args ...any) *Error {
	inst := ""
	if e.sc != nil {
		inst = e.sc.inst
	}
	return e.reportIn(pos, inst, fmt.Sprintf(format, args...))
}

// reportIn builds the error msg found at pos in instance inst ("" at the top level), or
// nil when the same was reported at the same place (a line of a subcircuit is read once
// per instance: its error is reported once, for the first). Inside an instance, the
// message says which.
func (e *elab) reportIn(pos Pos, inst, msg string) *Error {
	key := pos.String() + "\x00" + msg
	if e.seen[key] {
		return nil
	}
	e.seen[key] = true
	if inst != "" {
		msg += " (in instance " + inst + ")"
	}
	return Errorf(pos, "%s", msg)
}

// line elaborates one line in the current scope. Its random functions draw from the
// stream its reading sets (none until then), that of the line around it after.
func (e *elab) line(l *srcLine) {
	saved := e.draw
	e.draw = nil
	if l.compact.text != "" {
		e.elementLine(l)
		if d := e.draw; d != nil && d.rng == nil {
			e.spareDraw = d // nothing drew from it, nor can now: the next element's
		}
		e.draw = saved
		return
	}
	switch l.toks[0].Type {
	case TokenNewline: // an empty line: only commas
	case TokenTitle:
		e.c.Title = l.toks[0].Value
		e.firstLine = l.toks[0]
	case TokenDot:
		e.dotLine(l)
	default:
		e.elementLine(l)
	}
	e.draw = saved
}

// finish runs the checks that need the whole netlist.
func (e *elab) finish() {
	e.applyProbes() // probe.go
	if e.control != nil {
		e.warnf(*e.control, ".control block ignored (line %d to the end: no .endc)", e.control.Line)
	}
	// The kinds of the elements, by name, for .step lines and the names elements refer
	// to: most large netlists have neither, and the map is not made for them.
	var kinds map[string]byte
	if len(e.refs) > 0 || len(e.steps) > 0 && e.variant.Steps == nil {
		kinds = make(map[string]byte, len(e.c.Elements))
		for _, el := range e.c.Elements {
			kinds[el.Name] = el.Kind
		}
	}
	e.finishSteps(kinds)
	e.inputChecks()
	noun := map[byte]string{'v': "voltage source", 'l': "inductor"}
	for _, r := range e.refs {
		if _, ok := kinds[r.owner]; !ok {
			continue // the element that uses it has errors, which say enough
		}
		k, ok := kinds[r.name]
		// The names as written on the line, the same in every instance, so that the
		// error is reported once.
		name, what := r.name, r.what
		if r.inst != "" {
			name = strings.TrimPrefix(name, r.inst+".")
			what = strings.TrimPrefix(what, r.inst+".")
		}
		var msg string
		switch {
		case !ok && r.kind == 0:
			msg = fmt.Sprintf("unknown element %q in %s", name, what)
		case !ok:
			msg = fmt.Sprintf("unknown %s %q in %q", noun[r.kind], name, what)
		case r.kind != 0 && k != r.kind:
			msg = fmt.Sprintf("%q in %q is not a%s %s", name, what, map[bool]string{true: "n"}[r.kind == 'l'], noun[r.kind])
		default:
			continue
		}
		if _, named := e.names[r.name]; !ok && named {
			continue // an element with errors, which say enough
		}
		if w := e.reportIn(r.pos, r.inst, msg); w != nil {
			e.errs = append(e.errs, w)
		}
	}
}

// plainWord returns the lowercase word of t when t is a word without arguments.
func plainWord(t *Term) (string, bool) {
	if t.Word != "" && t.Args == nil {
		return strings.ToLower(t.Word), true
	}
	return "", false
}

// atom returns the text of a lone name or number: a node or a source name.
func atom(it *Item) (string, bool) {
	if it.Value != nil {
		return "", false
	}
	if w, ok := plainWord(it.Key); ok {
		return w, true
	}
	if it.Key.Number != "" {
		return strings.ToLower(it.Key.Number), true
	}
	return "", false
}

// isValue reports whether t is a number or an expression: something that evaluates to a number.
func isValue(t *Term) bool { return t.Number != "" || t.Expr != "" }

// node normalizes a node name: lowercase, with gnd the same as 0.
func node(name string) string {
	name = strings.ToLower(name)
	if name == "gnd" {
		return "0"
	}
	return name
}

// itemText is an item as written, quoted for a message.
func itemText(it *Item) string { return quote(text(trimCommas(it.Tokens))) }

// trimCommas drops the commas that begin a node's tokens: participle gives a node the
// elided commas that come before it.
func trimCommas(toks []lexer.Token) []lexer.Token {
	for len(toks) > 0 && toks[0].Type == TokenComma {
		toks = toks[1:]
	}
	return toks
}

// trimTrailingCommas drops the commas that end toks.
func trimTrailingCommas(toks []lexer.Token) []lexer.Token {
	for len(toks) > 0 && toks[len(toks)-1].Type == TokenComma {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// afterComma reports whether a comma comes right before the item: 1,2 rather than 1 2.
func afterComma(it *Item) bool {
	return len(it.Tokens) > 0 && it.Tokens[0].Type == TokenComma
}

// unexpected reports an item that has no place where it is.
func (e *elab) unexpected(it *Item, where string) {
	e.errorf(toPos(it.Pos), "unexpected %s %s", itemText(it), where)
}

// paramList collects name=value items whose values are numbers (or expressions of
// temper); owner (an element's name, or a model's where model is set) names it in
// messages: the text is made only for a message, not for each of a large netlist's lines.
type paramList struct {
	owner  string
	model  bool
	params []Param
	seen   map[string]bool
}

// what names the list's owner in messages: `model "m"`, `"r1"`.
func (l *paramList) what() string {
	if l.model {
		return "model " + quote(l.owner)
	}
	return quote(l.owner)
}

// claim checks that it is name=value with a name not seen before, and returns the name.
func (e *elab) claim(l *paramList, it *Item) (string, bool) {
	name, ok := plainWord(it.Key)
	if !ok || it.Value == nil {
		e.errorf(toPos(it.Pos), "expected name=value, found %s", itemText(it))
		return "", false
	}
	if toks := it.Value.Tokens; len(toks) > 0 && toks[0].Type == TokenComma {
		e.errorf(toPos(toks[0].Pos), "unexpected ',' after '='")
		return "", false
	}
	if l.seen[name] {
		// ngspice 39 takes the last value, of models and elements alike (measured).
		e.warnf(toPos(it.Pos), "parameter %q of %s given again: the last value is used, as in ngspice", name, l.what())
		l.drop(name)
		return name, true
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[name] = true
	return name, true
}

// addParam reads one name=value item.
func (e *elab) addParam(l *paramList, it *Item) {
	name, ok := e.claim(l, it)
	if !ok {
		return
	}
	p := Param{Name: name, Pos: toPos(it.Pos)}
	if e.paramValue(name, it.Value, &p) {
		l.params = append(l.params, p)
	}
}

// addList reads a vector parameter: name=value and the values that follow it (more),
// into Value (the first) and List (all).
func (e *elab) addList(l *paramList, it *Item, more []*Item) {
	name, ok := e.claim(l, it)
	if !ok {
		return
	}
	p := Param{Name: name, Pos: toPos(it.Pos)}
	good := true
	for _, t := range append([]*Term{it.Value}, terms(more)...) {
		v, ok := e.number(t)
		good = good && ok
		p.List = append(p.List, v)
	}
	if good {
		p.Value = p.List[0]
		l.params = append(l.params, p)
	}
}

func terms(items []*Item) []*Term {
	var ts []*Term
	for _, it := range items {
		ts = append(ts, it.Key)
	}
	return ts
}

// bareValue reports whether it is a lone number or expression.
func bareValue(it *Item) bool { return it.Value == nil && isValue(it.Key) }

func lineOf(p Pos) string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// looksRKM reports whether a word looks like a value in RKM notation (4k7, 2r2, 1meg5),
// where the scale letter takes the place of the decimal point.
func looksRKM(w string) bool {
	if w == "" || !isDigit(w[0]) {
		return false
	}
	i := 0
	for i < len(w) && isDigit(w[i]) {
		i++
	}
	j := i
	for j < len(w) && isLetter(w[j]) {
		j++
	}
	if j == i || j == len(w) || len(w)-j > 2 {
		return false
	}
	for ; j < len(w); j++ {
		if !isDigit(w[j]) {
			return false
		}
	}
	return true
}
