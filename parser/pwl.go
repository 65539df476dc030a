package parser

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/gospice/gospice/parser/expr"
)

// PWL sources, with their options as ngspice 39 and LTspice write them:
//
//	V1 a 0 PWL(t1 v1 t2 v2 ...) [r=value] [td=value]      the options inside the parentheses too
//	V1 a 0 PWL t1 v1 t2 v2 ... [r=value] [td=value]
//	V1 a 0 PWL file=name [r=value] [td=value]            LTspice's: the points from a file
//
// r= repeats, for ever, the stretch from the time point r (one of the t's) to the last
// one; td= delays the whole waveform. The file holds a time and a value per line (see
// readPWLFile); a relative name is relative to the folder of the file that names it.

// pwlOptions are the name=value options of a PWL source.
var pwlOptions = map[string]bool{"r": true, "td": true, "file": true}

// isPWLOption reports whether an item is one of pwlOptions, name=value.
func isPWLOption(it *Item) bool {
	k, ok := plainWord(it.Key)
	return ok && it.Value != nil && pwlOptions[k]
}

// pwlFileRef is the file a PWL's file= names, as written (quotes removed), where the
// name ends in the file (the offset past it: the items before it are the name's), and
// where it is.
type pwlFileRef struct {
	name string
	end  int
	pos  Pos
}

// fileName reads the name of file=name as written: the tokens lose the quotes and
// split a quoted name with spaces. ok is false (and the error reported) when the name
// is missing or its quote is not closed.
func (e *elab) fileName(it *Item) (pwlFileRef, bool) {
	v := it.Value
	ref := pwlFileRef{pos: toPos(v.Pos)}
	src := e.srcs[v.Pos.Filename]
	off := v.Pos.Offset
	if off < 0 || off >= len(src) {
		ref.name = text(trimCommas(v.Tokens)) // no source text: the tokens as they are
		return ref, ref.name != ""
	}
	rest := src[off:]
	if nl := strings.IndexAny(rest, "\r\n"); nl >= 0 {
		rest = rest[:nl]
	}
	if q := rest[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(rest[1:], q)
		if end < 0 {
			e.errorf(ref.pos, "unterminated quote in the file name")
			ref.end = off + len(rest) // the rest of the line is the name's
			return ref, false
		}
		ref.name, ref.end = rest[1:1+end], off+2+end
	} else {
		end := strings.IndexAny(rest, " \t,)")
		if end < 0 {
			end = len(rest)
		}
		ref.name, ref.end = rest[:end], off+end
	}
	if ref.name == "" {
		e.errorf(ref.pos, "missing file name after file=")
		return ref, false
	}
	return ref, true
}

// pwl reads a PWL source from its numbers and options, with the points from the file of
// file= when it is given.
func (e *elab) pwl(pos Pos, items waveItems) *Waveform {
	args, opts, file := items.args, items.opts, items.file
	w := &Waveform{Kind: "pwl", Pos: pos}
	var repeatAt Pos
	ok := true
	seen := map[string]bool{}
	for _, it := range opts {
		k, _ := plainWord(it.Key)
		if seen[k] {
			e.errorf(toPos(it.Pos), "%s= given twice in pwl", k)
			ok = false
			continue
		}
		seen[k] = true
		switch k {
		case "r":
			v, good := e.number(it.Value)
			w.Repeat, w.HasRepeat, repeatAt = v, good, toPos(it.Value.Pos)
			ok = ok && good
		case "td":
			v, good := e.number(it.Value)
			w.Delay = v
			ok = ok && good
		}
	}
	if file != nil {
		if len(args) > 0 {
			e.errorf(toPos(args[0].Pos), "pwl takes its points from file= or from the line, not both")
			return nil
		}
		points, err := e.pwlFile(file)
		if err != nil {
			e.errorf(err.Pos, "%s", err.Msg)
			return nil
		}
		w.Args, w.File = points, file.name
	} else if !e.pwlPoints(w, pos, args) {
		return nil
	}
	if !ok {
		return nil
	}
	if w.HasRepeat && !e.checkRepeat(w, repeatAt) {
		return nil
	}
	return w
}

// pwlPoints evaluates the points written on the line into w.Args.
func (e *elab) pwlPoints(w *Waveform, pos Pos, args []*Term) bool {
	if len(args) < 2 {
		e.errorf(pos, "pwl takes at least 2 arguments (t1 v1 [t2 v2 ...]), or file=name, found %d", len(args))
		return false
	}
	ok := true
	for _, a := range args {
		v, good := e.number(a)
		ok = ok && good
		w.Args = append(w.Args, v)
	}
	if !ok {
		return false
	}
	if len(args)%2 != 0 {
		e.errorf(toPos(args[len(args)-1].Pos), "pwl takes time-value pairs, found %d numbers", len(args))
		return false
	}
	for i := 2; i < len(args); i += 2 {
		if w.Args[i] < w.Args[i-2] {
			e.errorf(toPos(args[i].Pos), "pwl times must not decrease: %g after %g", w.Args[i], w.Args[i-2])
			return false
		}
	}
	return true
}

// checkRepeat checks r= as ngspice does: it is one of the time points, before the last.
func (e *elab) checkRepeat(w *Waveform, at Pos) bool {
	last := w.Args[len(w.Args)-2]
	switch {
	case w.Repeat > last:
		e.errorf(at, "pwl r=%g is after the last time point (%g): r= is the time point the repetition starts from", w.Repeat, last)
	case w.Repeat == last:
		e.errorf(at, "pwl r=%g is the last time point: the stretch repeated, from r= to the last point, would be empty", w.Repeat)
	case RepeatIndex(w.Args, w.Repeat) < 0:
		e.errorf(at, "pwl r=%g is not one of its time points: r= is the time point the repetition starts from", w.Repeat)
	default:
		return true
	}
	return false
}

// RepeatIndex is the index of the first point (of args, t1 v1 t2 v2 ...) whose time is
// r, or -1.
func RepeatIndex(args []float64, r float64) int {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == r {
			return i / 2
		}
	}
	return -1
}

// maxPWLPoints bounds the points of a PWL file, so that a file cannot take more memory
// than a netlist may.
const maxPWLPoints = 10_000_000

// pwlFile is a PWL data file read: its points, or the error it has.
type pwlFile struct {
	points []float64
	err    *Error
}

// pwlFile reads the points of a PWL's file=, once per Deck (a netlist run many times,
// for .step, reads it once).
func (e *elab) pwlFile(ref *pwlFileRef) ([]float64, *Error) {
	path := ref.name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(ref.pos.File), path)
	}
	path = filepath.Clean(path)
	d := e.deck
	if d == nil || d.read == nil {
		return nil, Errorf(ref.pos, "cannot read %s: no file access", quote(ref.name))
	}
	key := fileKey(path)
	if f, ok := d.pwls.Load(key); ok {
		return f.(pwlFile).points, f.(pwlFile).err
	}
	var f pwlFile
	src, err := d.read(path)
	if err != nil {
		f.err = Errorf(ref.pos, "cannot read %s: %v", quote(ref.name), err)
	} else {
		f.points, f.err = readPWLFile(path, src)
	}
	d.pwls.Store(key, f)
	return f.points, f.err
}

// readPWLFile reads the points of a PWL data file, LTspice's format: a time and a value
// per line, separated by spaces, tabs or commas, numbers with SPICE's suffixes; blank
// lines and lines starting with *, # or ; are skipped. Times must not decrease. The error
// names the file, the line and the column.
func readPWLFile(name string, src []byte) ([]float64, *Error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	var points []float64
	line := 0
	for len(src) > 0 {
		line++
		var text []byte
		if nl := bytes.IndexByte(src, '\n'); nl >= 0 {
			text, src = src[:nl], src[nl+1:]
		} else {
			text, src = src, nil
		}
		text = bytes.TrimRight(text, "\r")
		trimmed := bytes.TrimLeft(text, " \t")
		if len(trimmed) == 0 || strings.ContainsRune("*#;", rune(trimmed[0])) {
			continue
		}
		fields, cols := splitPWLLine(text)
		at := func(k int) Pos {
			if k < 0 {
				return Pos{File: name, Line: int32(line), Col: 1}
			}
			return Pos{File: name, Line: int32(line), Col: int32(cols[k] + 1)}
		}
		if len(fields) != 2 {
			return nil, Errorf(at(min(len(fields)-1, 2)), "expected a time and a value, found %d %s", len(fields), map[bool]string{true: "field", false: "fields"}[len(fields) == 1])
		}
		var pair [2]float64
		for k, what := range []string{"time", "value"} {
			v, err := expr.ParseNumber(fields[k])
			switch {
			case err == expr.ErrRange:
				return nil, Errorf(at(k), "number out of range: %s", quote(fields[k]))
			case err != nil:
				return nil, Errorf(at(k), "expected a number (the %s), found %s", what, quote(fields[k]))
			}
			pair[k] = v
		}
		if n := len(points); n > 0 && pair[0] < points[n-2] {
			return nil, Errorf(at(0), "times must not decrease: %g after %g", pair[0], points[n-2])
		}
		if len(points)/2 >= maxPWLPoints {
			return nil, Errorf(at(0), "more than %d points, the most a PWL file may hold", maxPWLPoints)
		}
		points = append(points, pair[0], pair[1])
	}
	if len(points) == 0 {
		return nil, Errorf(Pos{File: name, Line: int32(max(line, 1))}, "no points: a PWL file holds a time and a value per line")
	}
	return points, nil
}

// splitPWLLine splits a line of a PWL file at spaces, tabs and commas, giving the fields
// and the byte offset of each.
func splitPWLLine(text []byte) (fields []string, cols []int) {
	start := -1
	for i := 0; i <= len(text); i++ {
		sep := i == len(text) || text[i] == ' ' || text[i] == '\t' || text[i] == ','
		switch {
		case sep && start >= 0:
			fields, cols = append(fields, string(text[start:i])), append(cols, start)
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	return fields, cols
}
