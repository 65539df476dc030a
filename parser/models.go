package parser

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/parser/expr"
)

// Models are elaborated when an element uses them, in the scope of the definition that
// holds their .model line (once per instance of it, with the instance's parameters), as
// ngspice builds a model only when an instance asks for it. A model library holds
// thousands of cards a netlist never uses, some of them with parameters no section
// defines (SKY130's capacitor cards read names that only its original .lib defined):
// ngspice loads them without a word, and so does gospice. The .model lines of the
// netlist's own file are elaborated whether used or not, so that their mistakes are
// reported.
//
// Binning, as ngspice 39 with ngbehavior=hsa: an M element whose model name is not a
// .model but the stem of cards named stem.1, stem.2, ... uses the first of them, in file
// order, whose closed ranges lmin..lmax and wmin..wmax hold its L and W, within 1e-9
// (ngspice's tolerance, absolute, in metres). L and W are the instance's l and w after
// .options scale; W is per finger (w/nf) unless the instance sets wnflag=0, or the
// netlist .options wnflag=0 and the instance no wnflag. The cards
// are looked for among the models visible from the element, like any model; a card
// whose four bounds are not all given is never chosen.

// modelDecl is a .model line of a definition, as sorted by structure.
type modelDecl struct {
	name string // lowercase
	line *srcLine
}

// binTolerance is ngspice's tolerance on the bounds of a bin, in metres.
const binTolerance = 1e-9

// declareModel records a .model line in def (see structure).
func (e *elab) declareModel(def *subcktDef, l *srcLine) {
	toks := lineTokens(l)
	if len(toks) == 0 || (toks[0].Type != TokenIdent && toks[0].Type != TokenNumber) {
		def.body = append(def.body, l) // elaborated in place, to report the mistake
		return
	}
	name := strings.ToLower(toks[0].Value)
	if first, dup := def.models[name]; dup {
		e.errorf(toPos(toks[0].Pos), "duplicate model name %q (first defined at %s)", name, lineOf(linePos(first.line)))
		return
	}
	d := &modelDecl{name: name, line: l}
	def.models[name] = d
	def.modelList = append(def.modelList, d)
	if stem, ok := binStem(name); ok {
		def.bins[stem] = append(def.bins[stem], d)
	}
}

// binStem returns stem for a model name stem.N (N digits).
func binStem(name string) (string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 {
		return "", false
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return name[:i], true
}

// findModel looks a model name up from the current scope: the scope whose definition
// holds it, and its .model line, or the cards of a binned model.
func (e *elab) findModel(name string) (*scope, *modelDecl, []*modelDecl) {
	for s := e.sc; s != nil; s = s.parent {
		if d, ok := s.def.models[name]; ok {
			return s, d, nil
		}
		if bins := s.def.bins[name]; len(bins) > 0 {
			return s, nil, bins
		}
	}
	return nil, nil, nil
}

// elabModel elaborates a .model line in scope s, once: the model's flat name. Instances
// of a definition whose parameters are all the same get the same card: the first one's
// (see cardKey).
func (e *elab) elabModel(s *scope, d *modelDecl) string {
	flat := s.prefix + d.name
	if alias, ok := e.modelAlias[flat]; ok {
		return alias
	}
	key, share := e.cardKey(s, d)
	if first, ok := e.cards[key]; share && ok {
		e.modelAlias[flat] = first
		return first
	}
	e.modelAlias[flat] = flat
	saved, savedCur, n := e.sc, e.current, e.nerr
	e.sc = s
	e.line(d.line)
	e.sc, e.current = saved, savedCur
	e.modelErrs += e.nerr - n
	if share && e.nerr == n {
		e.cards[key] = flat
	}
	return flat
}

// cardKey identifies what a .model line of a subcircuit of an included file evaluates to
// in scope s: the line, and the definitions and parameter values of s and the scopes
// around it (but the top level's, the same for all). share is false where two instances
// with the same values could still get different cards: at the top level (nothing to
// share), when the card may draw random values (each instance draws its own) or call a
// .func, or when a parameter has an error; and for the netlist's own cards, which stay
// one per instance (x1.dmod, x2.dmod), as a .step of one instance's card needs.
func (e *elab) cardKey(s *scope, d *modelDecl) (key string, share bool) {
	if s.inst == "" || len(s.funcs) > 0 || d.line.toks[0].Pos.Filename == e.deck.name || e.deck.mayDraw(d.line) {
		return "", false
	}
	var b []byte
	b = fmt.Appendf(b, "%p", d.line)
	for sc := s; sc != nil && sc.inst != ""; sc = sc.parent {
		b = fmt.Appendf(b, "|%p", sc.def)
		names := make([]string, 0, len(sc.vals))
		for name, st := range sc.state {
			if st != paramDone {
				return "", false
			}
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			b = append(b, ' ')
			b = append(b, name...)
			b = append(b, '=')
			b = strconv.AppendFloat(b, sc.vals[name], 'g', -1, 64)
		}
	}
	return string(b), true
}

// mayDraw reports whether a line may call a random function: whether its text holds
// gauss, unif or limit (agauss, aunif included), in any case. Once per line of the Deck.
func (d *Deck) mayDraw(l *srcLine) bool {
	if v, ok := d.draws.Load(l); ok {
		return v.(bool)
	}
	draws := false
	for _, t := range l.toks {
		v := strings.ToLower(t.Value)
		if strings.Contains(v, "gauss") || strings.Contains(v, "unif") || strings.Contains(v, "limit") {
			draws = true
			break
		}
	}
	d.draws.Store(l, draws)
	return draws
}

// ownModels elaborates the .model lines of the netlist's own file in scope s, used or not.
func (e *elab) ownModels(s *scope) {
	for _, d := range s.def.modelList {
		if e.cancelled() {
			return
		}
		if d.line.toks[0].Pos.Filename == e.deck.name {
			e.elabModel(s, d)
		}
	}
}

// useModel resolves the model of el (read from its line, in the current scope): the flat
// name of the model it uses, elaborated, or ok false after an error.
func (e *elab) useModel(el *Element) (string, bool) {
	s, d, bins := e.findModel(el.Model)
	switch {
	case d != nil:
		return e.elabModel(s, d), true
	case bins != nil && el.Kind == 'm':
		d, ok := e.pickBin(s, el, bins)
		if !ok {
			return "", false
		}
		return e.elabModel(s, d), true
	}
	hint := ""
	switch {
	case looksRKM(el.Model):
		hint = " (values in RKM notation, like 4k7, are not supported)"
	case el.Model == "nan" || el.Model == "inf" || el.Model == "infinity":
		hint = " (a value must be a finite number)"
	default:
		hint = didYouMean(el.Model, e.visibleModels())
	}
	e.errorf(el.ModelPos(), "unknown model %q%s", el.Model, hint)
	return "", false
}

// binRange is the lmin..lmax, wmin..wmax box of a bin.
type binRange struct{ lmin, lmax, wmin, wmax float64 }

func (r binRange) holds(l, w float64) bool {
	in := func(x, lo, hi float64) bool {
		return math.Abs(x-lo) < binTolerance || math.Abs(x-hi) < binTolerance || (lo < x && x < hi)
	}
	return in(l, r.lmin, r.lmax) && in(w, r.wmin, r.wmax)
}

// pickBin chooses the card of a binned model for the M element el (see the comment at
// the top of the file).
func (e *elab) pickBin(s *scope, el *Element, bins []*modelDecl) (*modelDecl, bool) {
	l, okL := el.Param("l")
	w, okW := el.Param("w")
	if !okL || !okW {
		e.errorf(el.ModelPos(), "model %q is binned (%s): %q needs l= and w= to choose one", el.Model, binNames(bins), el.Name)
		return nil, false
	}
	wf := w.Value
	if nf, ok := el.Param("nf"); ok && nf.Value > 0 {
		perFinger := e.optionFlag(e.deck.wnflag, &e.wnflag, ".options wnflag")
		if flag, ok := el.Param("wnflag"); ok {
			perFinger = flag.Value != 0
		}
		if perFinger {
			wf /= nf.Value
		}
	}
	// The box around every card, for the message when none holds the element.
	cover, some := binRange{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}, false
	for _, d := range bins {
		r, ok := e.binBounds(s, d)
		if !ok {
			continue
		}
		if r.holds(l.Value, wf) {
			return d, true
		}
		some = true
		cover.lmin, cover.lmax = min(cover.lmin, r.lmin), max(cover.lmax, r.lmax)
		cover.wmin, cover.wmax = min(cover.wmin, r.wmin), max(cover.wmax, r.wmax)
	}
	what := fmt.Sprintf("no card of binned model %q holds l=%g w=%g", el.Model, l.Value, wf)
	if wf != w.Value {
		what += " (w per finger)"
	}
	if some {
		what += fmt.Sprintf("; its cards cover l %g to %g, w %g to %g", cover.lmin, cover.lmax, cover.wmin, cover.wmax)
	}
	e.errorf(el.ModelPos(), "%s", what)
	return nil, false
}

// binNames lists the names of a binned model's cards, briefly.
func binNames(bins []*modelDecl) string {
	if len(bins) <= 2 {
		names := make([]string, len(bins))
		for i, d := range bins {
			names[i] = d.name
		}
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s ... %s, %d cards", bins[0].name, bins[len(bins)-1].name, len(bins))
}

type binKey struct {
	s *scope
	d *modelDecl
}

// binBounds evaluates lmin, lmax, wmin and wmax of a bin's .model line in scope s (the
// rest of the card is elaborated only for the card chosen). ok is false when one is
// missing or has an error. Bounds written as plain numbers, as they usually are, are
// the same in every scope: they are read once.
func (e *elab) binBounds(s *scope, d *modelDecl) (binRange, bool) {
	if r, ok := e.binCache[binKey{nil, d}]; ok {
		return r.r, r.ok
	}
	key := binKey{s, d}
	if r, ok := e.binCache[key]; ok {
		return r.r, r.ok
	}
	spots := e.deck.binSpots(d.line)
	var vals [4]float64
	ok, constant := true, true
	saved, savedDraw := e.sc, e.draw
	e.sc, e.draw = s, &drawCtx{key: "model:" + s.prefix + d.name}
	for k, val := range spots {
		switch {
		case len(val) == 0:
			ok = false
		case len(val) == 1 && val[0].Type == TokenNumber:
			v, err := parseNumber(val[0].Value)
			vals[k], ok = v, ok && err == nil
		default:
			constant = false
			v, n, good := e.tokenValue(val)
			vals[k], ok = v, ok && good && n == nil
		}
	}
	e.sc, e.draw = saved, savedDraw
	if constant {
		key.s = nil
	}
	r := binRange{vals[0], vals[1], vals[2], vals[3]}
	e.binCache[key] = struct {
		r  binRange
		ok bool
	}{r, ok}
	return r, ok
}

// binSpots finds the value tokens of lmin, lmax, wmin and wmax on a .model line (nil
// where missing), once for the Deck.
func (d *Deck) binSpots(l *srcLine) [4][]lexer.Token {
	if v, ok := d.bins.Load(l); ok {
		return v.([4][]lexer.Token)
	}
	var spots [4][]lexer.Token
	toks := lineTokens(l)
	for i := 0; i < len(toks); i++ {
		if toks[i].Type != TokenIdent || !assignAt(toks, i) {
			continue
		}
		k := -1
		switch strings.ToLower(toks[i].Value) {
		case "lmin":
			k = 0
		case "lmax":
			k = 1
		case "wmin":
			k = 2
		case "wmax":
			k = 3
		}
		if k >= 0 {
			spots[k] = boundTokens(toks, i+2)
		}
	}
	d.bins.Store(l, spots)
	return spots
}

// boundTokens are the value tokens of a name=value item of a .model line that begins
// at toks[i]: up to the next name=, or the ')' that closes the card.
func boundTokens(toks []lexer.Token, i int) []lexer.Token {
	j := i
	depth := 0
	for ; j < len(toks); j++ {
		t := toks[j]
		if j > i && depth == 0 && assignAt(toks, j) {
			break
		}
		if isPunctTok(t, "(") {
			depth++
		}
		if isPunctTok(t, ")") {
			if depth == 0 {
				break
			}
			depth--
		}
	}
	return trimCommas(trimTrailingCommas(toks[i:j]))
}

// scaleParams applies .options scale to the geometry of a MOSFET, as ngspice does to the
// instance parameters of its MOSFETs: lengths (w, l, the stress distances sa, sb, sd and
// sc, the perimeters pd, ps) times scale, areas (ad, as) times its square.
func (e *elab) scaleParams(el *Element) {
	s := e.scaleValue()
	if s == 1 {
		return
	}
	scaleNamed(el, map[string]float64{"w": s, "l": s, "sa": s, "sb": s, "sd": s, "sc": s, "pd": s, "ps": s,
		"ad": s * s, "as": s * s})
}

// scaleOther applies .options scale to the geometry of an R, C or D element, as ngspice
// 39 does (measured: .option scale=1u with R1 a 0 rm w=2 l=10 has w=2e-6 and l=1e-5, the
// same for C; a diode of a level 3 model has area=4 read as 4e-12 and pj=8 as 8e-6, one
// of level 1 keeps them). A level 3 diode takes its area, perimeter and the sizes of its
// metal and poly capacitors from the model when the line does not give them: they are
// given on the line, scaled.
func (e *elab) scaleOther(el *Element) {
	s := e.scaleValue()
	if s == 1 {
		return
	}
	switch el.Kind {
	case 'r', 'c':
		scaleNamed(el, map[string]float64{"w": s, "l": s})
	case 'd':
		m := e.c.Models[el.Model]
		if m == nil || modelParam(m, "level") != 3 {
			return
		}
		f := map[string]float64{"w": s, "l": s, "area": s * s, "pj": s, "wm": s, "lm": s, "wp": s, "lp": s}
		_, w := el.Param("w")
		_, l := el.Param("l")
		defaults := []string{"wm", "lm", "wp", "lp"}
		if !w || !l { // else the device makes area and pj of w and l
			defaults = append(defaults, "area", "pj")
		}
		for _, name := range defaults {
			if _, given := el.Param(name); !given {
				if v, ok := modelValue(m, name); ok {
					ex := el.more()
					ex.params = append(ex.params, Param{Name: name, Value: v, Pos: el.Pos})
				}
			}
		}
		scaleNamed(el, f)
	}
}

// scaleNamed multiplies the parameters of el that f names by their factor.
func scaleNamed(el *Element, f map[string]float64) {
	for i := range el.Params() {
		p := &el.extra.params[i]
		k, ok := f[p.Name]
		if !ok {
			continue
		}
		p.Value *= k
		for j := range p.List {
			p.List[j] *= k
		}
		if p.Expr != nil {
			p.Expr = &expr.Binary{Op: "*", X: p.Expr, Y: &expr.Num{Value: k}}
		}
	}
}

// modelValue is the value of a model card's parameter, if given.
func modelValue(m *Model, name string) (float64, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return 0, false
}

// modelParam is the value of a model card's parameter, 0 when not given.
func modelParam(m *Model, name string) float64 {
	v, _ := modelValue(m, name)
	return v
}

// optionFlag is the value of a flag option of the top level (it: its last name=value),
// evaluated once into *v: true unless it is 0, and true when not given (wnflag is 1 in
// ngspice's hsa mode).
func (e *elab) optionFlag(it *Item, v *int, what string) bool {
	if *v == 0 {
		*v = 1
		if it != nil {
			saved, savedNo := e.sc, e.noRandom
			e.sc, e.noRandom = e.topScope(e.root, true), what
			if x, ok := e.number(it.Value); ok && x == 0 {
				*v = 2
			}
			e.sc, e.noRandom = saved, savedNo
		}
	}
	return *v == 1
}

// scaleValue is the value of the netlist's last top-level .options scale= (evaluated with
// the top level's parameters), else 1. An invalid scale is reported where it is written,
// and 1 used.
func (e *elab) scaleValue() float64 {
	if e.scaleDone {
		return e.scale
	}
	e.scaleDone, e.scale = true, 1
	it := e.deck.scale
	if it == nil {
		return 1
	}
	saved, savedNo := e.sc, e.noRandom
	e.sc, e.noRandom = e.topScope(e.root, true), ".options scale"
	defer func() { e.sc, e.noRandom = saved, savedNo }()
	v, ok := e.number(it.Value)
	switch {
	case !ok:
	case !(v > 0) || math.IsInf(v, 0):
		e.errorf(toPos(it.Pos), ".options scale must be a positive number, got %g", v)
	default:
		e.scale = v
	}
	return e.scale
}
