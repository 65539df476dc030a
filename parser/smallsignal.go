package parser

import "math"

// TF is .tf outvar insrc: the small-signal DC transfer function from the source insrc
// to the output, with the input resistance at insrc and the output resistance at the
// output.
type TF struct {
	Out    Vector // v(a), v(a,b) or i(vsrc)
	Source string // the input: a V or I source, lowercase
	Pos    Pos
	SrcPos Pos
}

// Sens is .sens outvar [dc | ac dec|oct|lin points fstart fstop]: the DC sensitivities of
// the output to the circuit's element values, or with AC its small-signal sensitivities
// over the frequencies.
type Sens struct {
	Out Vector // v(a), v(a,b) or i(vsrc)
	AC  *AC    // the sweep of the AC form; nil for DC
	Pos Pos
}

// Four is .four freq outvars: the Fourier components of the transient's vectors over
// its last period of 1/Freq.
type Four struct {
	Freq    float64
	Vectors []Vector
	Pos     Pos
}

func (*TF) Name() string      { return "tf" }
func (a *TF) Position() Pos   { return a.Pos }
func (*Sens) Name() string    { return "sens" }
func (a *Sens) Position() Pos { return a.Pos }
func (*Four) Name() string    { return "four" }
func (a *Four) Position() Pos { return a.Pos }

// outVector reads the output of .tf or .sens: v(a), v(a,b) or i(vsrc), in ngspice's words.
func (e *elab) outVector(it *Item, cmd string) (Vector, bool) {
	v, ok := e.vector(it)
	if !ok {
		return v, false
	}
	if v.Part != ACNone || v.Kind != VectorVoltage && v.Kind != VectorCurrent {
		e.errorf(toPos(it.Pos), "%s: expected v(node), v(node,node) or i(vsource), found %s", cmd, itemText(it))
		return v, false
	}
	return v, true
}

// tf reads .tf outvar insrc.
func (e *elab) tf(d *DotLine) {
	const usage = ".tf v(out[,ref])|i(vsrc) insrc"
	if len(d.Items) < 2 {
		e.errorf(toPos(d.EndPos), "missing %s: %s", []string{"the output", "the input source"}[len(d.Items)], usage)
		return
	}
	if len(d.Items) > 2 {
		e.errorf(toPos(d.Items[2].Pos), "too many arguments: %s", usage)
		return
	}
	out, ok := e.outVector(d.Items[0], ".tf")
	if !ok {
		return
	}
	src, ok := atom(d.Items[1])
	if !ok || src[0] != 'v' && src[0] != 'i' {
		e.errorf(toPos(d.Items[1].Pos), ".tf: expected an independent voltage or current source, found %s", itemText(d.Items[1]))
		return
	}
	e.c.Analyses = append(e.c.Analyses, &TF{Out: out, Source: src, Pos: toPos(d.Pos), SrcPos: toPos(d.Items[1].Pos)})
}

// sens reads .sens outvar [dc | ac dec|oct|lin points fstart fstop].
func (e *elab) sens(d *DotLine) {
	const usage = ".sens v(out[,ref])|i(vsrc) [dc | ac dec|oct|lin points fstart fstop]"
	if len(d.Items) == 0 {
		e.errorf(toPos(d.EndPos), "missing the output: %s", usage)
		return
	}
	a := &Sens{Pos: toPos(d.Pos)}
	if len(d.Items) > 1 {
		w, _ := atom(d.Items[1])
		switch {
		case w == "ac":
			rest := *d
			rest.Items = d.Items[2:]
			if a.AC, _ = e.acSweep(&rest, usage, 3); a.AC == nil {
				return
			}
		case w == "dc" && len(d.Items) == 2:
		default:
			e.errorf(toPos(d.Items[1].Pos), "too many arguments: %s", usage)
			return
		}
	}
	out, ok := e.outVector(d.Items[0], ".sens")
	if !ok {
		return
	}
	a.Out = out
	e.c.Analyses = append(e.c.Analyses, a)
}

// four reads .four freq outvars.
func (e *elab) four(d *DotLine) {
	const usage = ".four freq vectors..."
	if len(d.Items) == 0 {
		e.errorf(toPos(d.EndPos), "missing the fundamental frequency: %s", usage)
		return
	}
	vals, pos, ok := e.numbers(d.Items[:1], 1, usage)
	if !ok {
		return
	}
	if !(vals[0] > 0) || math.IsInf(vals[0], 0) {
		e.errorf(pos[0], "the fundamental frequency must be positive, got %g", vals[0])
		return
	}
	if len(d.Items) == 1 {
		e.errorf(toPos(d.EndPos), "missing vectors: %s", usage)
		return
	}
	a := &Four{Freq: vals[0], Pos: toPos(d.Pos)}
	for _, it := range d.Items[1:] {
		v, good := e.vector(it)
		if good && (v.Part != ACNone || v.Kind == VectorAll) {
			e.errorf(toPos(it.Pos), ".four: expected a transient vector, found %s", itemText(it))
			good = false
		}
		ok = ok && good
		a.Vectors = append(a.Vectors, v)
	}
	if ok {
		e.c.Analyses = append(e.c.Analyses, a)
	}
}

// TFColumns are the names of .tf's three results, as ngspice names them: the transfer
// function, the input impedance and the output impedance.
func (a *TF) TFColumns() [3]string {
	out := "output_impedance_at_" + a.Out.String()
	if a.Out.Kind == VectorCurrent {
		out = a.Out.Device + "#output_impedance"
	}
	return [3]string{"transfer_function", a.Source + "#input_impedance", out}
}
