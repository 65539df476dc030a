package parser

// PZ is .pz in+ in- out+ out- vol|cur pol|zer|pz: the poles and zeros of the transfer
// function from the input port (in+, in-) to the output voltage v(out+, out-), the input
// driven by a voltage (vol) or by a current (cur), as ngspice's pole-zero analysis.
type PZ struct {
	In, Out      [2]string // flat node names
	Current      bool      // cur: (output voltage)/(input current); vol: (output voltage)/(input voltage)
	Poles, Zeros bool
	Pos          Pos
	NodePos      [4]Pos
}

func (*PZ) Name() string    { return "pz" }
func (a *PZ) Position() Pos { return a.Pos }

// pz reads .pz in+ in- out+ out- vol|cur pol|zer|pz.
func (e *elab) pz(d *DotLine) {
	const usage = ".pz in+ in- out+ out- vol|cur pol|zer|pz"
	what := []string{"in+", "in-", "out+", "out-", "vol or cur", "pol, zer or pz"}
	if len(d.Items) < len(what) {
		e.errorf(toPos(d.EndPos), "missing %s: %s", what[len(d.Items)], usage)
		return
	}
	if len(d.Items) > len(what) {
		e.errorf(toPos(d.Items[len(what)].Pos), "too many arguments: %s", usage)
		return
	}
	a := &PZ{Pos: toPos(d.Pos)}
	for i := range 4 {
		n, ok := atom(d.Items[i])
		if !ok {
			e.errorf(toPos(d.Items[i].Pos), ".pz: expected a node (%s), found %s", what[i], itemText(d.Items[i]))
			return
		}
		a.NodePos[i] = toPos(d.Items[i].Pos)
		if i < 2 {
			a.In[i] = e.node(n)
		} else {
			a.Out[i-2] = e.node(n)
		}
	}
	kind, _ := atom(d.Items[4])
	switch kind {
	case "vol", "cur":
		a.Current = kind == "cur"
	default:
		e.errorf(toPos(d.Items[4].Pos), ".pz: expected vol or cur, found %s", itemText(d.Items[4]))
		return
	}
	which, _ := atom(d.Items[5])
	switch which {
	case "pol", "zer", "pz":
		a.Poles, a.Zeros = which != "zer", which != "pol"
	default:
		e.errorf(toPos(d.Items[5].Pos), ".pz: expected pol, zer or pz, found %s", itemText(d.Items[5]))
		return
	}
	if a.In[0] == a.In[1] {
		e.errorf(a.NodePos[1], ".pz: the input nodes are the same node %q", a.In[0])
		return
	}
	e.c.Analyses = append(e.c.Analyses, a)
}
