package parser

// Noise is .noise v(out[,ref]) src dec|oct|lin pts fstart fstop [ptsPerSummary]: the
// output noise at v(out[,ref]) and the noise referred to the input source src, at the
// frequencies of the sweep.
type Noise struct {
	Out         Vector // v(a) or v(a,b)
	Source      string // the input: a V or I source, lowercase
	Sweep       string // "dec", "oct", "lin"
	Points      int
	Start, Stop float64
	Summary     int // ptsPerSummary as written (ngspice's per-device tables); 0: none
	Pos, SrcPos Pos
}

func (*Noise) Name() string    { return "noise" }
func (a *Noise) Position() Pos { return a.Pos }

// noise reads .noise v(out[,ref]) src dec|oct|lin pts fstart fstop [ptsPerSummary].
func (e *elab) noise(d *DotLine) {
	const usage = ".noise v(out[,ref]) src dec|oct|lin points fstart fstop [pts_per_summary]"
	if len(d.Items) < 3 {
		e.errorf(toPos(d.EndPos), "missing %s: %s", []string{"the output", "the input source", "the sweep type"}[len(d.Items)], usage)
		return
	}
	out, ok := e.vector(d.Items[0])
	if !ok {
		return
	}
	if out.Kind != VectorVoltage || out.Part != ACNone {
		e.errorf(toPos(d.Items[0].Pos), ".noise: expected v(node) or v(node,node), found %s", itemText(d.Items[0]))
		return
	}
	src, ok := atom(d.Items[1])
	if !ok || src[0] != 'v' && src[0] != 'i' {
		e.errorf(toPos(d.Items[1].Pos), ".noise: expected an independent voltage or current source, found %s", itemText(d.Items[1]))
		return
	}
	sweep, ok := plainWord(d.Items[2].Key)
	if !ok || d.Items[2].Value != nil || sweep != "dec" && sweep != "oct" && sweep != "lin" {
		e.errorf(toPos(d.Items[2].Pos), "expected dec, oct or lin, found %s", itemText(d.Items[2]))
		return
	}
	vals, pos, ok := e.numbers(d.Items[3:], 4, usage)
	if !ok {
		return
	}
	if len(vals) < 3 {
		e.errorf(toPos(d.EndPos), "missing %s: %s", []string{"points", "fstart", "fstop"}[len(vals)], usage)
		return
	}
	a := &Noise{Out: out, Source: src, Sweep: sweep, Start: vals[1], Stop: vals[2], Pos: toPos(d.Pos), SrcPos: toPos(d.Items[1].Pos)}
	switch n := vals[0]; {
	case !(n >= 1) || n != float64(int(n)) || n > 1e9:
		e.errorf(pos[0], "the number of points must be a positive integer, got %g", n)
	case sweep != "lin" && !(a.Start > 0):
		e.errorf(pos[1], "fstart must be positive for a %s sweep, got %g", sweep, a.Start)
	case !(a.Start > 0):
		e.errorf(pos[1], "fstart must be positive, got %g", a.Start)
	case a.Stop < a.Start:
		e.errorf(pos[2], "fstop (%g) must not be less than fstart (%g)", a.Stop, a.Start)
	case len(vals) > 3 && (vals[3] < 0 || vals[3] != float64(int(vals[3]))):
		e.errorf(pos[3], "pts_per_summary must be a non-negative integer, got %g", vals[3])
	default:
		a.Points = int(n)
		if len(vals) > 3 {
			a.Summary = int(vals[3])
		}
		e.c.Analyses = append(e.c.Analyses, a)
	}
}
