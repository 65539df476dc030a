package parser

import (
	"fmt"
	"strings"
)

// waveformSpec is the argument count of a transient source function.
type waveformSpec struct {
	min, max int // max < 0: no limit
	usage    string
}

var waveforms = map[string]waveformSpec{
	"pulse":    {2, 8, "v1 v2 [td tr tf pw per np]"},
	"sin":      {2, 6, "vo va [freq td theta phase]"},
	"exp":      {2, 6, "v1 v2 [td1 tau1 td2 tau2]"},
	"pwl":      {2, -1, "t1 v1 [t2 v2 ...]"},
	"sffm":     {2, 8, "vo va [fc mdi fs ...]"},
	"am":       {2, 8, "va vo [mf fc td ...]"},
	"trnoise":  {2, 7, "na nt [nalpha namp rtsam rtscapt rtsemt]"},
	"trrandom": {2, 5, "type ts [td param1 param2]"},
}

// laterWaveforms are ngspice source functions not read yet.
var laterWaveforms = map[string]bool{"external": true}

// readSource reads the rest of a V or I line: DC value, AC magnitude and phase, and a
// waveform, in any order: 5 | DC 5 | AC [mag [phase]] | PULSE(...) | SIN ... | EXP ... |
// PWL ... | SFFM ... | AM ... | TRNOISE ... | TRRANDOM ..., with or without parentheses. A bare number first is the DC value. dc=5 and
// ac=1 are read too, as ngspice does.
func readSource(e *elab, el *Element, rest []*Item, line *ElementLine) {
	src := &Source{}
	el.more().source = src
	rest = spice2Source(rest) // (PULSE ...), (AC 1): source_forms.go
	var dcAt, acAt *Item      // where DC and AC were given
	wave := ""                // the kind of the waveform read, even if it had errors
	isNum := func(i int) bool {
		return i < len(rest) && rest[i].Value == nil && isValue(rest[i].Key)
	}
	setDC := func(it *Item, t *Term) {
		if dcAt != nil {
			e.errorf(toPos(it.Pos), "DC value of %q given twice", el.Name)
			return
		}
		dcAt = it
		if v, ok := e.number(t); ok {
			src.DC, src.HasDC = v, true
		}
	}
	setAC := func(it *Item) bool {
		if acAt != nil {
			e.errorf(toPos(it.Pos), "AC value of %q given twice", el.Name)
			return false
		}
		acAt = it
		src.HasAC, src.ACMag = true, 1
		return true
	}
	for i := 0; i < len(rest); i++ {
		it := rest[i]
		if it.Value != nil {
			switch k, _ := plainWord(it.Key); k {
			case "dc":
				setDC(it, it.Value)
			case "ac":
				if setAC(it) {
					src.ACMag, _ = e.number(it.Value)
				}
			case "portnum", "z0", "pwr", "freq":
				e.portParam(el, src, k, it, it.Value) // sp.go
			default:
				e.unexpected(it, "in source "+quote(el.Name))
			}
			continue
		}
		t := it.Key
		if isValue(t) {
			if i == 0 {
				setDC(it, t)
			} else {
				e.unexpected(it, "in source "+quote(el.Name))
			}
			continue
		}
		switch kw := strings.ToLower(t.Word); {
		case kw == "dc" && t.Args == nil:
			if !isNum(i + 1) {
				if i+1 < len(rest) && startsWaveform(rest[i+1]) {
					setDC(it, &Term{Pos: it.Key.Pos, Number: "0"}) // DC PWL(...) is DC 0 in ngspice 39
					continue
				}
				e.errorf(toPos(it.Pos), "DC of %q needs a value", el.Name)
				continue
			}
			i++
			setDC(it, rest[i].Key)
		case kw == "ac" && t.Args == nil:
			ok := setAC(it)
			for k := 0; k < 2 && isNum(i+1); k++ {
				i++
				v, good := e.number(rest[i].Key)
				switch {
				case !ok || !good:
				case k == 0:
					src.ACMag = v
				default:
					src.ACPhase = v
				}
			}
		case portWords[kw] && t.Args == nil && isNum(i+1): // sp.go
			i++
			e.portParam(el, src, kw, it, rest[i].Key)
		case kw == "distof1" || kw == "distof2":
			if t.Args != nil {
				e.unexpected(it, "in source "+quote(el.Name))
				continue
			}
			for k := 0; k < 2 && isNum(i+1); k++ {
				i++
				e.number(rest[i].Key)
			}
			e.warnf(toPos(it.Pos), "%s of %q ignored: distortion analysis is not supported", kw, el.Name)
		case waveforms[kw].min > 0 || kw == "sine":
			if kw == "sine" {
				kw = "sin"
			}
			var w waveItems
			w, i = e.waveformItems(kw, t, rest, i)
			if wave != "" {
				e.errorf(toPos(t.Pos), "%q has two waveforms (%s and %s)", el.Name, wave, kw)
				continue
			}
			wave = kw
			switch {
			case !w.ok:
			case kw == "pwl":
				src.Wave = e.pwl(toPos(t.Pos), w)
			default:
				src.Wave = e.waveform(kw, toPos(t.Pos), w.args)
			}
		case laterWaveforms[kw]:
			e.errorf(toPos(t.Pos), "source function %s is not supported yet", kw)
			return
		default:
			e.unexpected(it, "in source "+quote(el.Name))
		}
	}
	e.checkPort(el)
	if dcAt == nil && acAt == nil && wave == "" {
		e.warnf(el.Pos, "%q has no value, DC 0 assumed", el.Name)
	}
}

// waveItems are the arguments of a source function: its numbers and, for PWL, its
// options (r=, td=, file=) and the file file= names; ok is false when the file name
// has an error, reported.
type waveItems struct {
	args []*Term
	opts []*Item
	file *pwlFileRef
	ok   bool
}

// waveformItems reads the arguments of the source function kw (the term t, at rest[i]):
// the items of its parentheses, or the numbers after it; for PWL, the options after
// those too. It returns the index in rest of the last item read.
func (e *elab) waveformItems(kw string, t *Term, rest []*Item, i int) (waveItems, int) {
	w := waveItems{ok: true}
	take := func(a *Item) {
		switch {
		case w.file != nil && a.Pos.Offset < w.file.end:
			// a piece of a quoted file name with spaces
		case kw == "pwl" && isValuePair(a): // PWL((0 0) (1n 1))
			w.args = append(w.args, terms(a.Key.Group.Items)...)
		case kw == "pwl" && isPWLOption(a):
			w.opts = append(w.opts, a)
			if k, _ := plainWord(a.Key); k == "file" && w.file == nil {
				ref, good := e.fileName(a)
				w.ok = w.ok && good
				w.file = &ref
			}
		case a.Value != nil:
			e.unexpected(a, "in "+kw)
		default:
			w.args = append(w.args, a.Key)
		}
	}
	if t.Args != nil {
		for _, a := range t.Args.Items {
			take(a)
		}
	} else {
		for i+1 < len(rest) && rest[i+1].Value == nil && isValue(rest[i+1].Key) {
			i++
			w.args = append(w.args, rest[i].Key)
		}
	}
	// PWL's options follow its points, with or without parentheses.
	for kw == "pwl" && i+1 < len(rest) && (isPWLOption(rest[i+1]) || isValuePair(rest[i+1]) || w.file != nil && rest[i+1].Pos.Offset < w.file.end) {
		i++
		take(rest[i])
	}
	return w, i
}

// waveform checks and evaluates the arguments of a source function.
func (e *elab) waveform(kind string, pos Pos, args []*Term) *Waveform {
	spec := waveforms[kind]
	if n := len(args); n < spec.min || spec.max >= 0 && n > spec.max {
		count := fmt.Sprintf("%d to %d", spec.min, spec.max)
		if spec.max < 0 {
			count = fmt.Sprintf("at least %d", spec.min)
		}
		at := pos
		if spec.max >= 0 && n > spec.max {
			at = toPos(args[spec.max].Pos)
		}
		e.errorf(at, "%s takes %s arguments (%s), found %d", kind, count, spec.usage, n)
		return nil
	}
	w := &Waveform{Kind: kind, Pos: pos}
	ok := true
	for _, a := range args {
		v, good := e.number(a)
		ok = ok && good
		w.Args = append(w.Args, v)
	}
	if !ok {
		return nil
	}
	return w
}
