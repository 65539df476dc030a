package parser

import (
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// Stream is the random stream of one name in one run: every random draw of gospice comes
// from a stream made by Stream, so that a draw depends only on the seed, the run and the
// name it is drawn for, not on the order in which things are read or built, nor on the
// other elements of the circuit.
//
// It is a PCG generator seeded with seed and the 64-bit FNV-1a hash of name; for a run
// k > 1 the hash is xored with splitmix64(k) (run 1, and 0, leave it as is), so that the
// devices' streams of a single run are the same as they always were.
//
// The names the parser draws for, kept apart from the devices' own (a device's stream
// is named by its flat element name, as "y1"):
//
//	param:NAME    a parameter, by flat name: param:p at the top level, param:x1.p for the
//	              parameter p of instance x1 (.param inside a .subckt, a default of the
//	              .subckt line, or the value the X line gives)
//	elem:NAME     the expressions of an element line, by flat element name: elem:x1.r1
//	model:NAME    the expressions of a .model line, by flat model name: model:x1.dmod
//	dot:COMMAND   the other dot lines, one stream per command in the order of its lines:
//	              dot:.ic, dot:.options (.option, .opt), dot:.meas (.measure), dot:.if
//
// Each random function of an expression draws the next values of its stream, in the
// order they are written.
func Stream(seed uint64, run int, name string) *rand.Rand {
	return rand.New(StreamSource(seed, run, name))
}

// StreamSource is the generator under Stream(seed, run, name), for a device that keeps
// the stream's state as a value (a copy of it continues the same stream).
func StreamSource(seed uint64, run int, name string) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	w := h.Sum64()
	if run > 1 {
		w ^= splitmix64(uint64(run))
	}
	return rand.NewPCG(seed, w)
}

// splitmix64 is the SplitMix64 output function: it spreads the bits of consecutive run
// numbers over the whole word.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// drawCtx is the stream that the random functions being folded draw from: that of a
// parameter, an element, a model or a dot command. The generator is made on first use.
type drawCtx struct {
	key  string
	elem string // an element's name: its key is "elem:"+elem, made on first use
	rng  *rand.Rand
}

// dotDraw is the stream of a dot command, shared by its lines.
func (e *elab) dotDraw(cmd string) *drawCtx {
	switch cmd {
	case ".option", ".opt":
		cmd = ".options"
	case ".measure":
		cmd = ".meas"
	}
	d := e.dotDraws[cmd]
	if d == nil {
		d = &drawCtx{key: "dot:" + cmd}
		e.dotDraws[cmd] = d
	}
	return d
}

// stream gives the stream of the expression being folded, for its random functions.
func (e *elab) stream() (*rand.Rand, error) {
	switch {
	case e.noRandom != "":
		return nil, errors.New("random functions are not allowed in " + e.noRandom)
	case e.draw == nil: // cannot happen: every place that folds an expression names its stream
		return nil, errors.New("random functions are not allowed here")
	}
	if e.draw.rng == nil {
		if e.draw.key == "" {
			e.draw.key = "elem:" + e.draw.elem
		}
		e.draw.rng = Stream(e.seedValue(), e.variant.Run, e.draw.key)
	}
	e.c.Random = true
	return e.draw.rng, nil
}

// seedValue is the seed of the random functions: the Variant's, else the value of the
// netlist's last .options seed= (evaluated with the top level's parameters), else
// DefaultSeed. An invalid seed is reported where it is written, and DefaultSeed used.
func (e *elab) seedValue() uint64 {
	if e.seedDone {
		return e.seed
	}
	e.seedDone, e.seed = true, DefaultSeed
	it := e.deck.seed
	if e.variant.HasSeed {
		e.seed = e.variant.Seed
		return e.seed
	}
	if it == nil {
		return e.seed
	}
	// In the top level, whichever line draws first: its errors are the top level's.
	saved, savedNo := e.sc, e.noRandom
	e.sc, e.noRandom = e.topScope(e.root, true), ".options seed"
	defer func() { e.sc, e.noRandom = saved, savedNo }()
	v, ok := e.number(it.Value)
	switch {
	case !ok:
	case !(v >= 0) || v != math.Trunc(v) || v >= 1<<63:
		e.errorf(toPos(it.Pos), ".options seed must be a non-negative integer, got %g", v)
	default:
		e.seed = uint64(v)
	}
	return e.seed
}
