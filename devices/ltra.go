package devices

import (
	"math"
	"math/cmplx"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// LTRA is ngspice's lossy transmission line (O, .model name ltra): a uniform line of
// length len with series resistance r and inductance l and shunt conductance g and
// capacitance c per unit length. Port 1 is n1-n2, port 2 n3-n4; as in ngspice each port
// has its current as an unknown (o1#i1, o1#i2, the current into n1 and into n3; a
// voltage unknown, v(o1#i1), as in ngspice). The cases are ngspice's: RLC (g = 0), LC (lossless), RC (l = g = 0) and RG
// (l = c = 0, a static two-port).
//
// DC and AC use the exact two-port of the line: with x = len sqrt((r + j omega l)(g + j
// omega c)) each port obeys cosh(x) v_k - v_other - len (r + j omega l) sinh(x)/x i_k = 0
// (divided by cosh(x) when the line is long), which at DC is the series resistance
// r len (with g, the distributed RG line). A transient convolves the ports' histories
// with the line's impulse responses (ltrakernel.go): for port k,
//
//	i_k = y0 * v_k - (y0 h) * v_other - h * i_other
//
// each port signal taken as piecewise linear between the accepted points, the impulses
// at the delay read by quadratic (lininterp: linear) interpolation.
type LTRA struct {
	name  string
	nodes [4]string
	m     ltraModel
	ic    [4]float64 // v1, i1, v2, i2 of a uic transient
	ports [2]ltraPort

	kind       ltraCase
	yinf, tau  float64 // the lossless admittance sqrt(c/l) and the delay len sqrt(lc)
	sigma      float64 // (r/l + g/c)/2, the lossy line's attenuation rate
	delta      float64 // (r/l - g/c)/2, its dispersion (0: distortionless)
	y0, y0h, h ltraKernel
	tableStep  float64 // of the RLC line's tables
	txl        bool    // a TXL line (txl.go): its port currents are ngspice's y1#branch1, y1#branch2
}

// ltraCase is which of ngspice's four lines a model is.
type ltraCase uint8

const (
	ltraRLC ltraCase = iota
	ltraLC
	ltraRC
	ltraRG
)

// ltraModel is the .model card of a lossy line.
type ltraModel struct {
	r, l, g, c, length float64
	rel, abs           float64
	lenGiven           bool
	noStepLimit        float64
	linInterp          float64
}

func (m *ltraModel) params() paramSet {
	return paramSet{what: "LTRA model", params: []param{
		p("r", 0, "ohm/m", "series resistance per length", &m.r),
		p("l", 0, "H/m", "series inductance per length", &m.l),
		p("g", 0, "S/m", "shunt conductance per length", &m.g),
		p("c", 0, "F/m", "shunt capacitance per length", &m.c),
		p("len", 0, "m", "length of the line", &m.length).withGiven(&m.lenGiven),
		p("rel", 1, "", "relative slope change of a port voltage that makes a breakpoint", &m.rel),
		p("abs", 1, "V/s", "absolute slope change of a port voltage that makes a breakpoint", &m.abs),
		p("nosteplimit", 0, "", "flag: do not limit the step to the line's delay", &m.noStepLimit),
		p("lininterp", 0, "", "flag: linear instead of quadratic interpolation of the delayed values", &m.linInterp),
		accepted("steplimit"),            // the default
		accepted("quadinterp"),           // the default
		accepted("mixedinterp"),          // quadratic already takes the smoother side of a corner
		accepted("nocontrol"),            // gospice has no step control of the line's own to turn off
		accepted("truncnr truncdontcut"), // options of that control
		accepted("compactrel compactabs"),
		accepted("ltra"),
	}}
}

func newLTRA(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "lossy transmission line", "ltra")
	if err != nil {
		return nil, err
	}
	o := &LTRA{name: e.Name, nodes: [4]string{e.Nodes[0], e.Nodes[1], e.Nodes[2], e.Nodes[3]}}
	if err := o.m.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	var icFirst float64
	inst := paramSet{what: "lossy transmission line", params: []param{
		p("ic", 0, "V, A", "v1, i1, v2, i2 at t = 0 of a uic transient", &icFirst),
	}}
	if err := inst.apply(e.Params(), e.Name); err != nil {
		return nil, err
	}
	if len(e.Args()) > 0 {
		return nil, parser.Errorf(e.Args()[0].Pos, "%s: unexpected %q (a lossy line takes its model and ic=)", e.Name, argText(e.Args()[0]))
	}
	if err := lineIC(e, &o.ic); err != nil {
		return nil, err
	}
	if err := o.classify(e, card); err != nil {
		return nil, err
	}
	o.makeKernels()
	return o, nil
}

// classify checks the model and finds which line it is, with ngspice's refusals.
func (o *LTRA) classify(e *parser.Element, card *parser.Model) error {
	m := &o.m
	switch {
	case !m.lenGiven || !(m.length > 0):
		return elementError(e, "model %s: a lossy line needs its length len= (positive)", card.Name)
	case m.r < 0 || m.l < 0 || m.g < 0 || m.c < 0:
		return elementError(e, "model %s: r, l, g and c of a lossy line cannot be negative", card.Name)
	}
	switch {
	case m.l > 0 && m.c > 0 && m.g == 0 && m.r > 0:
		o.kind = ltraRLC
	case m.l > 0 && m.c > 0 && m.g == 0:
		o.kind = ltraLC
	case m.l == 0 && m.c > 0 && m.g == 0 && m.r > 0:
		o.kind = ltraRC
	case m.l == 0 && m.c == 0 && m.r > 0 && m.g > 0:
		o.kind = ltraRG
	case m.g > 0:
		return elementError(e, "model %s: a lossy line with g > 0 is supported only without l and c (the RG line), as in ngspice", card.Name)
	default:
		return elementError(e, "model %s: this lossy line (r=%g l=%g c=%g) is not one of ngspice's: RLC, LC (r = 0), RC (l = 0) or RG (l = c = 0)", card.Name, m.r, m.l, m.c)
	}
	return nil
}

// makeKernels sets the line's impulse responses (ltrakernel.go) for its case.
func (o *LTRA) makeKernels() {
	m := &o.m
	switch o.kind {
	case ltraLC, ltraRLC:
		o.yinf = math.Sqrt(m.c / m.l)
		o.tau = m.length * math.Sqrt(m.l*m.c)
		// (r + sl)(g + sc) = lc ((s + sigma)^2 - delta^2): the lossless line's responses,
		// shifted by sigma, with Bessel functions of delta (sigma = delta = r/2l when g = 0).
		o.sigma = (m.r/m.l + m.g/m.c) / 2
		o.delta = (m.r/m.l - m.g/m.c) / 2
		d := math.Exp(-o.sigma * o.tau)
		o.y0 = ltraKernel{scale: o.yinf, delta: 1}
		o.y0h = ltraKernel{scale: o.yinf, delta: d, at: o.tau}
		o.h = ltraKernel{scale: 1, delta: d, at: o.tau}
		if o.kind == ltraLC {
			return
		}
		sg, dl, ad, tau := o.sigma, o.delta, math.Abs(o.delta), o.tau
		// At DC Y0 = sqrt(g/r) and H = exp(-len sqrt(rg)); the continuous parts' step
		// responses tend to those less the impulses.
		y0dc := math.Sqrt((sg - dl) / (sg + dl))
		hdc := math.Exp(-tau * math.Sqrt((sg-dl)*(sg+dl)))
		o.y0.kind, o.y0.tail = kernelTable, y0dc-1
		o.y0.cont = func(s float64) float64 {
			x := ad * s
			return math.Exp(-(sg-ad)*s) * (ad*x*besselI1eOverX(x) - dl*besselI0e(x))
		}
		o.y0h.kind, o.y0h.tail = kernelTable, y0dc*hdc-d
		o.y0h.cont = func(s float64) float64 {
			r := math.Sqrt((s - tau) * (s + tau))
			return math.Exp(-sg*s+ad*r) * (dl*dl*s*besselI1eOverX(ad*r) - dl*besselI0e(ad*r))
		}
		o.h.kind, o.h.tail = kernelTable, hdc-d
		o.h.cont = func(s float64) float64 {
			r := math.Sqrt((s - tau) * (s + tau))
			return dl * dl * tau * math.Exp(-sg*s+ad*r) * besselI1eOverX(ad*r)
		}
		// The responses change over 1/sigma, tau and, near tau, 1/(delta^2 tau).
		o.tableStep = math.Min(math.Min(tau, 1/sg), 1/(dl*dl*tau)) / 32
		for _, k := range []*ltraKernel{&o.y0, &o.y0h, &o.h} {
			k.table = rampTable{start: k.at, step: o.tableStep}
		}
	case ltraRC:
		yc := math.Sqrt(m.c / m.r)
		beta := m.length * math.Sqrt(m.r*m.c)
		o.y0 = ltraKernel{kind: kernelRCY0, scale: yc}
		o.y0h = ltraKernel{kind: kernelRCY0H, scale: yc, beta: beta}
		o.h = ltraKernel{kind: kernelRCH, scale: 1, beta: beta, tail: 1}
	}
}

// ltraPort is one port's unknowns and the entries of its branch equation.
type ltraPort struct {
	pos, neg, br  int
	hpb, hnb      mna.Handle // the branch current in the KCL of pos and neg
	hbp, hbn, hbb mna.Handle // the branch equation: this port's voltage and current
	hop, hon, hob mna.Handle // ... and the other port's
}

func (o *LTRA) Name() string { return o.name }

func (o *LTRA) Setup(b *mna.Builder) {
	for k := range o.ports {
		pt := &o.ports[k]
		pt.pos, pt.neg = b.Node(o.nodes[2*k]), b.Node(o.nodes[2*k+1])
		if o.txl {
			pt.br = b.Branch(o.name + [2]string{"#branch1", "#branch2"}[k]) // ngspice's TXL's names
			continue
		}
		// ngspice makes the port currents voltage unknowns (o1#i1, o1#i2) and writes them by default: so does gospice.
		pt.br = b.WrittenNode(o.name, [2]string{"i1", "i2"}[k])
	}
	for k := range o.ports {
		pt, q := &o.ports[k], &o.ports[1-k]
		pt.hpb, pt.hnb = b.Entry(pt.pos, pt.br), b.Entry(pt.neg, pt.br)
		pt.hbp, pt.hbn, pt.hbb = b.Entry(pt.br, pt.pos), b.Entry(pt.br, pt.neg), b.Entry(pt.br, pt.br)
		pt.hop, pt.hon, pt.hob = b.Entry(pt.br, q.pos), b.Entry(pt.br, q.neg), b.Entry(pt.br, q.br)
	}
}

// twoPort is the line's exact two-port at angular frequency w (0: DC), as the
// coefficients of each port's equation a v_k - b v_other - z i_k = 0.
func (o *LTRA) twoPort(w float64) (a, b, z complex128) {
	m := &o.m
	series := complex(m.r, w*m.l)
	x := complex(m.length, 0) * cmplx.Sqrt(series*complex(m.g, w*m.c))
	zs := complex(m.length, 0) * series // len (r + j w l) times sinh(x)/x or tanh(x)/x
	if real(x) > 0.5 {
		// A long lossy line: divided by cosh(x), which no longer overflows or vanishes.
		return 1, 1 / cmplx.Cosh(x), zs * cmplx.Tanh(x) / x
	}
	if cmplx.Abs(x) < 1e-4 {
		return cmplx.Cosh(x), 1, zs * (1 + x*x/6)
	}
	return cmplx.Cosh(x), 1, zs * cmplx.Sinh(x) / x
}

// loadKCL adds the branch currents to the ports' nodes.
func (o *LTRA) loadKCL(ctx *Context) {
	for k := range o.ports {
		pt := &o.ports[k]
		ctx.F[pt.pos] += ctx.X[pt.br]
		ctx.F[pt.neg] -= ctx.X[pt.br]
		ctx.G[pt.hpb]++
		ctx.G[pt.hnb]--
	}
}

// portVoltage is v(pos) - v(neg) of a port.
func portVoltage(x []float64, pt *ltraPort) float64 { return x[pt.pos] - x[pt.neg] }

// loadTwoPort loads the two-port's equations with real coefficients (DC).
func (o *LTRA) loadTwoPort(ctx *Context, a, b, z float64) {
	o.loadKCL(ctx)
	for k := range o.ports {
		pt, q := &o.ports[k], &o.ports[1-k]
		ctx.F[pt.br] += a*portVoltage(ctx.X, pt) - b*portVoltage(ctx.X, q) - z*ctx.X[pt.br]
		ctx.G[pt.hbp] += a
		ctx.G[pt.hbn] -= a
		ctx.G[pt.hop] -= b
		ctx.G[pt.hon] += b
		ctx.G[pt.hbb] -= z
	}
}

// loadAC writes the two-port at ctx.Hertz: real parts into G, imaginary parts over
// omega into C.
func (o *LTRA) loadAC(ctx *Context) {
	w := 2 * math.Pi * ctx.Hertz
	a, b, z := o.twoPort(w)
	o.loadTwoPort(ctx, real(a), real(b), real(z))
	if w == 0 {
		return
	}
	for k := range o.ports {
		pt := &o.ports[k]
		ctx.C[pt.hbp] += imag(a) / w
		ctx.C[pt.hbn] -= imag(a) / w
		ctx.C[pt.hop] -= imag(b) / w
		ctx.C[pt.hon] += imag(b) / w
		ctx.C[pt.hbb] -= imag(z) / w
	}
}

// loadDC loads the line at DC: with g = 0 the series resistance r len from port 1 to
// port 2 and the current that enters one port leaving by the other (whose two-port
// rows would coincide on a lossless line); with g, the distributed RG line.
func (o *LTRA) loadDC(ctx *Context) {
	if o.m.g > 0 {
		a, b, z := o.twoPort(0)
		o.loadTwoPort(ctx, real(a), real(b), real(z))
		return
	}
	o.loadKCL(ctx)
	p1, p2 := &o.ports[0], &o.ports[1]
	rl := o.m.r * o.m.length
	ctx.F[p1.br] += portVoltage(ctx.X, p1) - portVoltage(ctx.X, p2) - rl*ctx.X[p1.br]
	ctx.G[p1.hbp]++
	ctx.G[p1.hbn]--
	ctx.G[p1.hop]--
	ctx.G[p1.hon]++
	ctx.G[p1.hbb] -= rl
	ctx.F[p2.br] += ctx.X[p1.br] + ctx.X[p2.br]
	ctx.G[p2.hob]++
	ctx.G[p2.hbb]++
}
