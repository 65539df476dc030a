package devices

import (
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// The linear controlled sources, with ngspice's signs (checked against ngspice 39):
//
//	E n+ n- nc+ nc- gain  v(n+) - v(n-) = gain * v(nc+, nc-)
//	G n+ n- nc+ nc- gm    a current gm * v(nc+, nc-) flows from n+ through the source to n-
//	F n+ n- vname gain    a current gain * i(vname) flows from n+ through the source to n-
//	H n+ n- vname r       v(n+) - v(n-) = r * i(vname)
//
// E and H have a branch current named after them, positive into n+ as a voltage
// source's; i(vname) is the controlling source's branch current, positive into its +
// terminal. ngspice accepts m= on G and F (parallel copies) and refuses it on E and H.

// gain reads the gain of a linear controlled source and checks its parameters.
func gain(e *parser.Element, params ...string) (float64, error) {
	if err := checkParams(e, params...); err != nil {
		return 0, err
	}
	if !e.HasValue {
		return 0, elementError(e, "missing gain")
	}
	m, err := multiplier(e)
	return e.Value * m, err
}

// VCVS is E: a branch current i, positive into n+, with F_k = va - vb - gain (vc - vd).
type VCVS struct {
	twoTerminal
	branch
	ctl      [2]string
	c, d     int
	gain     float64
	hkc, hkd mna.Handle
}

func newVCVS(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	if e.Poly() != nil {
		return newPolySource(e) // poly.go
	}
	if e.Expr() != nil {
		return newBehaviouralSource(e, c, env)
	}
	if len(e.Nodes) != 4 {
		return nil, elementError(e, "a linear VCVS needs four nodes (n+ n- nc+ nc-)")
	}
	g, err := gain(e)
	if err != nil {
		return nil, err
	}
	return &VCVS{twoTerminal: newTwoTerminal(e), ctl: [2]string{e.Nodes[2], e.Nodes[3]}, gain: g}, nil
}

func (v *VCVS) Setup(b *mna.Builder) {
	v.a, v.b = b.Node(v.node(0)), b.Node(v.node(1))
	v.c, v.d = b.Node(v.ctl[0]), b.Node(v.ctl[1])
	v.setupBranch(b, v.Name(), v.a, v.b)
	v.hkc, v.hkd = b.Entry(v.k, v.c), b.Entry(v.k, v.d)
}

func (*VCVS) Linear() {}

func (v *VCVS) Load(ctx *Context) {
	v.loadBranch(ctx, v.a, v.b)
	ctx.F[v.k] -= v.gain * (ctx.X[v.c] - ctx.X[v.d])
	ctx.G[v.hkc] -= v.gain
	ctx.G[v.hkd] += v.gain
}

// VCCS is G: the current gm (vc - vd) leaves n+ into the source and enters n-.
type VCCS struct {
	twoTerminal
	ctl                [2]string
	c, d               int
	gm                 float64
	hac, had, hbc, hbd mna.Handle
}

func newVCCS(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	if e.Poly() != nil {
		return newPolySource(e) // poly.go
	}
	if e.Expr() != nil {
		return newBehaviouralSource(e, c, env)
	}
	if len(e.Nodes) != 4 {
		return nil, elementError(e, "a linear VCCS needs four nodes (n+ n- nc+ nc-)")
	}
	g, err := gain(e, "m")
	if err != nil {
		return nil, err
	}
	return &VCCS{twoTerminal: newTwoTerminal(e), ctl: [2]string{e.Nodes[2], e.Nodes[3]}, gm: g}, nil
}

func (g *VCCS) Setup(b *mna.Builder) {
	g.a, g.b = b.Node(g.node(0)), b.Node(g.node(1))
	g.c, g.d = b.Node(g.ctl[0]), b.Node(g.ctl[1])
	g.hac, g.had = b.Entry(g.a, g.c), b.Entry(g.a, g.d)
	g.hbc, g.hbd = b.Entry(g.b, g.c), b.Entry(g.b, g.d)
}

func (*VCCS) Linear() {}

func (g *VCCS) Load(ctx *Context) {
	i := g.gm * (ctx.X[g.c] - ctx.X[g.d])
	ctx.F[g.a] += i
	ctx.F[g.b] -= i
	ctx.G[g.hac] += g.gm
	ctx.G[g.had] -= g.gm
	ctx.G[g.hbc] -= g.gm
	ctx.G[g.hbd] += g.gm
}

// controlSource is the controlling voltage source of F and H.
func controlSource(e *parser.Element) (string, error) {
	if len(e.Controls()) != 1 {
		return "", elementError(e, "needs the name of its controlling voltage source")
	}
	return e.Controls()[0], nil
}

// CCCS is F: the current gain * i(vname) leaves n+ into the source and enters n-.
type CCCS struct {
	twoTerminal
	ctl      string
	kc       int // the controlling source's branch
	gain     float64
	hac, hbc mna.Handle
}

func newCCCS(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	if e.Poly() != nil {
		return newPolySource(e) // poly.go
	}
	ctl, err := controlSource(e)
	if err != nil {
		return nil, err
	}
	g, err := gain(e, "m")
	if err != nil {
		return nil, err
	}
	return &CCCS{twoTerminal: newTwoTerminal(e), ctl: ctl, gain: g}, nil
}

func (f *CCCS) Setup(b *mna.Builder) {
	f.a, f.b = b.Node(f.node(0)), b.Node(f.node(1))
	f.kc = b.Branch(f.ctl) // the same unknown as the source's own, whichever sets up first
	f.hac, f.hbc = b.Entry(f.a, f.kc), b.Entry(f.b, f.kc)
}

func (*CCCS) Linear() {}

func (f *CCCS) Load(ctx *Context) {
	i := f.gain * ctx.X[f.kc]
	ctx.F[f.a] += i
	ctx.F[f.b] -= i
	ctx.G[f.hac] += f.gain
	ctx.G[f.hbc] -= f.gain
}

// CCVS is H: a branch current i, positive into n+, with F_k = va - vb - r i(vname).
type CCVS struct {
	twoTerminal
	branch
	ctl string
	kc  int
	r   float64
	hkc mna.Handle
}

func newCCVS(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	if e.Poly() != nil {
		return newPolySource(e) // poly.go
	}
	ctl, err := controlSource(e)
	if err != nil {
		return nil, err
	}
	r, err := gain(e)
	if err != nil {
		return nil, err
	}
	return &CCVS{twoTerminal: newTwoTerminal(e), ctl: ctl, r: r}, nil
}

func (h *CCVS) Setup(b *mna.Builder) {
	h.a, h.b = b.Node(h.node(0)), b.Node(h.node(1))
	h.setupBranch(b, h.Name(), h.a, h.b)
	h.kc = b.Branch(h.ctl)
	h.hkc = b.Entry(h.k, h.kc)
}

func (*CCVS) Linear() {}

func (h *CCVS) Load(ctx *Context) {
	h.loadBranch(ctx, h.a, h.b)
	ctx.F[h.k] -= h.r * ctx.X[h.kc]
	ctx.G[h.hkc] -= h.r
}
