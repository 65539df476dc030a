package parser

import "math"

// SP is .sp dec|oct|lin points fstart fstop [donoise]: the S-parameters (and the Y and Z
// parameters) of the circuit's ports, the voltage sources with portnum, over the
// frequencies, as ngspice 39 defines them.
type SP struct {
	AC            // the sweep
	Noise    bool // donoise: ngspice's noise correlation matrix Cy, which gospice refuses
	NoisePos Pos
}

func (*SP) Name() string    { return "sp" }
func (a *SP) Position() Pos { return a.Pos }

// Port is what makes a voltage source an RF port of .sp: its number (1 to the number of
// ports), its reference impedance Z0 (ohms, 50 unless given), through which it drives
// its + node in every analysis, and the power (W) and frequency (Hz) of the cosine it
// makes in a transient where Pwr is given (ngspice's pwr and freq).
type Port struct {
	Num        int
	Z0         float64
	Pwr        float64
	Freq       float64
	HasPwr     bool
	Pos, Z0Pos Pos
}

// sp reads .sp dec|oct|lin points fstart fstop [donoise].
func (e *elab) sp(d *DotLine) {
	const usage = ".sp dec|oct|lin points fstart fstop [donoise]"
	a, extra := e.acSweep(d, usage, 4)
	if a == nil {
		return
	}
	sp := &SP{AC: *a}
	if len(extra) == 1 && extra[0] != 0 {
		sp.Noise, sp.NoisePos = true, toPos(d.Items[4].Pos)
	}
	e.c.Analyses = append(e.c.Analyses, sp)
}

// portParam reads one of a port source's parameters, name (portnum, z0, pwr, freq), at
// it with the value t.
func (e *elab) portParam(el *Element, src *Source, name string, it *Item, t *Term) {
	if el.Name[0] != 'v' {
		e.unexpected(it, "in source "+quote(el.Name)+" (only a voltage source can be a port)")
		return
	}
	v, ok := e.number(t)
	if !ok {
		return
	}
	if src.Port == nil {
		src.Port = &Port{Z0: 50}
	}
	p := src.Port
	switch name {
	case "portnum":
		if !(v >= 1) || v != math.Trunc(v) || v > 1e4 {
			e.errorf(toPos(it.Pos), "portnum of %q must be a positive integer, got %g", el.Name, v)
			return
		}
		p.Num, p.Pos = int(v), toPos(it.Pos)
	case "z0":
		if !(v > 0) || math.IsInf(v, 0) {
			e.errorf(toPos(it.Pos), "z0 of %q must be positive, got %g", el.Name, v)
			return
		}
		p.Z0, p.Z0Pos = v, toPos(it.Pos)
	case "pwr":
		p.Pwr, p.HasPwr = v, true
	case "freq":
		p.Freq = v
	}
}

// portWords are the parameters of a port source.
var portWords = map[string]bool{"portnum": true, "z0": true, "pwr": true, "freq": true}

// checkPort refuses a port source's parameters without its portnum.
func (e *elab) checkPort(el *Element) {
	if p := el.Source().Port; p != nil && p.Num == 0 {
		e.errorf(el.Pos, "source %q has port parameters (z0, pwr, freq) but no portnum", el.Name)
		el.Source().Port = nil
	}
}
