package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// VBIC is ngspice's VBIC 1.2 bipolar transistor (Q with a level=4 or level=9 npn or pnp
// model): the intrinsic transistor with its Early effect from the depletion charges,
// high injection and quasi-saturation of the epi collector (Kull's model), weak
// avalanche, base-emitter breakdown, the parasitic substrate transistor, the
// reach-through of the base-collector capacitance, the overlap capacitances, the VBIC
// temperature mapping and, when rth is given, self-heating through a thermal node.
// ngspice 39 has no excess phase: td is accepted and unused, as there.
//
// The equations are written once, in vdual arithmetic (vbiceval.go), so that every
// conductance and capacitance is the exact derivative of its current or charge.
//
// Nodes: C, B, E, S and T are the terminals (S is ground on a three-terminal line, T is
// ground unless a fifth node is given); CX, BX, E' and SI sit behind rcx, rbx, re and rs
// (they are the terminals when those are 0); C', B' and BP sit behind rci, rbi and rbp
// (C' and BP are CX, B' is BX, when those are 0).
type VBIC struct {
	name     string
	nodes    [5]string // c b e s t
	typ      float64   // +1 npn, -1 pnp
	scale    float64   // area times m
	mult     float64   // m
	gmin     float64   // the gmin option, which ngspice's noise counts in the junction currents
	selfHeat bool
	off      bool
	icVBE    float64
	icVCE    float64
	vcrit    float64 // of the junctions' limiting
	vt       float64 // of the junctions' limiting: at the temperature without the model's dtemp
	model    vbicModel
	tAmb     float64 // the device temperature (kelvin) without self-heating
	at       vbicAtT // the temperature-mapped values at tAmb

	slot    [vbicSlots]int // the node of each slot
	ctrl    [vbicNC][2]int // the slots whose difference is each controlling voltage
	stamps  []vbicStamp
	current [vbicNB]bool // the branch is a current (G), else a charge (C)
}

// The node slots of a VBIC.
const (
	slGND = iota
	slC
	slB
	slE
	slS
	slT
	slCX
	slCI
	slBX
	slBI
	slEI
	slBP
	slSI
	vbicSlots
)

// vbicBranches gives each branch's from and to slot and whether its current flows with
// the device type (the electrical ones) or not (the thermal one).
var vbicBranches = [vbicNB]struct {
	p, n  int
	typed bool
}{
	brIBE: {slBI, slEI, true}, brIBEX: {slBX, slEI, true}, brICE: {slCI, slEI, true},
	brIBC: {slBI, slCI, true}, brIBEP: {slBX, slBP, true}, brIRCX: {slC, slCX, true},
	brIRCI: {slCX, slCI, true}, brIRBX: {slB, slBX, true}, brIRBI: {slBX, slBI, true},
	brIRE: {slE, slEI, true}, brIRBP: {slBP, slCX, true}, brIBCP: {slSI, slBP, true},
	brICCP: {slBX, slSI, true}, brIRS: {slS, slSI, true}, brITH: {slT, slGND, false},
	brQBE: {slBI, slEI, true}, brQBEX: {slBX, slEI, true}, brQBC: {slBI, slCI, true},
	brQBCX: {slBI, slCX, true}, brQBEP: {slBX, slBP, true}, brQBCP: {slSI, slBP, true},
	brQBEO: {slB, slE, true}, brQBCO: {slB, slC, true}, brQTH: {slT, slGND, false},
}

// vbicControls gives each controlling voltage's slots.
var vbicControls = [vbicNC][2]int{
	vcBEI: {slBI, slEI}, vcBEX: {slBX, slEI}, vcBCI: {slBI, slCI}, vcBCX: {slBI, slCX},
	vcBEP: {slBX, slBP}, vcBCP: {slSI, slBP}, vcRCX: {slC, slCX}, vcRCI: {slCX, slCI},
	vcRBX: {slB, slBX}, vcRBI: {slBX, slBI}, vcRE: {slE, slEI}, vcRBP: {slBP, slCX},
	vcRS: {slS, slSI}, vcBE: {slB, slE}, vcBC: {slB, slC}, vcRTH: {slT, slGND},
}

// vbicDepends lists the controlling voltages each branch depends on, electrically; the
// temperature rise vrth is added under self-heating (and the thermal branch depends on
// everything).
var vbicDepends = [vbicNB][]int{
	brIBE: {vcBEI}, brIBEX: {vcBEX}, brICE: {vcBEI, vcBCI}, brIBC: {vcBEI, vcBCI},
	brIBEP: {vcBEP}, brIRCX: {vcRCX}, brIRCI: {vcRCI, vcBCI, vcBCX}, brIRBX: {vcRBX},
	brIRBI: {vcRBI, vcBEI, vcBCI}, brIRE: {vcRE}, brIRBP: {vcRBP, vcBEP, vcBCI},
	brIBCP: {vcBCP}, brICCP: {vcBEP, vcBCI, vcBCP}, brIRS: {vcRS},
	brQBE: {vcBEI, vcBCI}, brQBEX: {vcBEX}, brQBC: {vcBCI}, brQBCX: {vcBCX},
	brQBEP: {vcBEP, vcBCI}, brQBCP: {vcBCP}, brQBEO: {vcBE}, brQBCO: {vcBC},
}

// vbicStamp holds the four matrix handles of branch br's derivative by control k: rows
// from and to, columns the control's plus and minus nodes.
type vbicStamp struct {
	br, k int
	h     [4]mna.Handle
}

// vbicRun is one run of a VBIC: the controlling voltages of its last evaluation
// (limited), which the next limits against, and its evaluation workspace.
type vbicRun struct {
	*VBIC
	last [vbicNC]float64
	out  vbicEval
}

func (d *VBIC) NewRun() Loader { return &vbicRun{VBIC: d} }

func (d *VBIC) Name() string { return d.name }

// isVBIC says whether a BJT model card is ngspice's VBIC (levels 4 and 9).
func isVBIC(card *parser.Model) bool {
	lv, ok := modelLevel(card)
	return ok && (lv == 4 || lv == 9)
}

func newVBIC(e *parser.Element, card *parser.Model, env Env) (Device, error) {
	var m vbicModel
	if err := m.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	m.raiseGivenResistances(card.Params)
	in, off, err := readBJTInstance(e)
	if err != nil {
		return nil, err
	}
	d := &VBIC{name: e.Name, typ: bjtType(card, m.npnGiven && m.npn != 0, m.pnpGiven && m.pnp != 0), off: off, model: m}
	copy(d.nodes[:], e.Nodes)
	switch len(e.Nodes) {
	case 3:
		d.nodes[3], d.nodes[4] = "0", "0"
	case 4:
		d.nodes[4] = "0"
	case 5:
	default:
		return nil, elementError(e, "a VBIC transistor has 3, 4 or 5 nodes (c b e [s [t]]), got %d", len(e.Nodes))
	}
	if !(in.area > 0) || !(in.m > 0) {
		return nil, elementError(e, "area and m must be positive, got %g and %g", in.area, in.m)
	}
	if msg := m.validate(); msg != "" {
		return nil, elementError(e, "model %s: %s", card.Name, msg)
	}
	d.scale, d.mult, d.icVBE, d.icVCE = in.area*in.m, in.m, in.icVBE, in.icVCE
	d.gmin = env.Gmin

	tnom := env.TNom
	if m.tnomGiven {
		tnom = m.tnom
	}
	temp := env.Temp
	if in.tempGiven {
		temp = in.temp
	}
	temp += in.dtemp // ngspice adds dtemp to a given temp too
	if !(temp+m.dtemp > -bjtKelvin) || !(tnom > -bjtKelvin) {
		return nil, elementError(e, "temperature %g C (tnom %g C) is not above absolute zero", temp+m.dtemp, tnom)
	}
	d.vcrit = vbicVcrit(m.is, d.scale, temp+bjtKelvin)
	d.vt = (temp + bjtKelvin) * bjtKOverQ
	d.tAmb = temp + m.dtemp + bjtKelvin
	nom := m.nominal()
	d.at = m.mapTemp(&nom, tnom+bjtKelvin, vc(d.tAmb))
	// ngspice heats the device only when rth is given (and selft, if given, is 1); with
	// no fifth node the thermal node is ground and nothing heats.
	d.selfHeat = m.rthGiven && m.rth > 0 && (!m.selftGiven || m.selft == 1)
	if m.rthGiven && m.cth < 1e-12 {
		d.model.cth = 1e-12
	}
	return d, nil
}

// vbicMinResistance is the least series resistance ngspice 39 lets a VBIC model give.
const vbicMinResistance = 0.01

// raiseGivenResistances raises each series resistance the card gives below 0.01 ohm,
// zero and negative values included, to 0.01 ohm, as ngspice 39 does: a given zero
// keeps its internal node behind 0.01 ohm; only a resistance left out (rcx, rbx, re
// and rs default to 0) merges its node with the terminal.
func (m *vbicModel) raiseGivenResistances(given []parser.Param) {
	set := m.params()
	for _, g := range given {
		pr, ok := set.lookup(g.Name)
		if !ok || pr.dst == nil || pr.unit != "ohm" || *pr.dst >= vbicMinResistance {
			continue
		}
		*pr.dst = vbicMinResistance
	}
}

// validate rejects values for which the equations divide by zero or take the power of
// a negative number.
func (m *vbicModel) validate() string {
	for _, v := range []struct {
		name  string
		value float64
	}{{"nf", m.nf}, {"nr", m.nr}, {"nei", m.nei}, {"nen", m.nen}, {"nci", m.nci},
		{"ncn", m.ncn}, {"nfp", m.nfp}, {"ncip", m.ncip}, {"ncnp", m.ncnp}, {"nkf", m.nkf},
		{"nbbe", m.nbbe}, {"pe", m.pe}, {"pc", m.pc}, {"ps", m.ps}, {"is", m.is}} {
		if !(v.value > 0) {
			return v.name + " must be positive"
		}
	}
	for _, v := range []struct {
		name  string
		value float64
	}{{"me", m.me}, {"mc", m.mc}, {"ms", m.ms}, {"fc", m.fc}} {
		if !(v.value >= 0 && v.value < 1) {
			return v.name + " must be in [0, 1)"
		}
	}
	if m.wbe < 0 || m.wbe > 1 {
		return "wbe must be in [0, 1]"
	}
	return ""
}

func (d *VBIC) Setup(b *mna.Builder) {
	s := &d.slot
	s[slC], s[slB], s[slE], s[slS] = b.Node(d.nodes[0]), b.Node(d.nodes[1]), b.Node(d.nodes[2]), b.Node(d.nodes[3])
	if d.selfHeat {
		s[slT] = b.Node(d.nodes[4])
	} else {
		s[slT] = mna.Ground
	}
	m := &d.model
	// ngspice 39 writes the substrate and collCI nodes by default, not the others.
	internal := func(resistance float64, terminal int, what string, written bool) int {
		if resistance == 0 {
			return s[terminal]
		}
		if written {
			return b.WrittenNode(d.name, what)
		}
		return b.InternalNode(d.name, what)
	}
	s[slCX] = internal(m.rcx, slC, "collector", false)
	s[slBX] = internal(m.rbx, slB, "base", false)
	s[slEI] = internal(m.re, slE, "emitter", false)
	s[slSI] = internal(m.rs, slS, "substrate", true)
	// rci, rbi and rbp default to 0.1 ohm and are at least 0.01 ohm when given
	// (raiseGivenResistances): their nodes never merge.
	s[slCI] = internal(m.rci, slCX, "collci", true)
	s[slBP] = internal(m.rbp, slCX, "basebp", false)
	s[slBI] = internal(m.rbi, slBX, "basebi", false)

	d.stamps = d.stamps[:0]
	for br := range vbicBranches {
		d.current[br] = br < brQBE
		deps := vbicDepends[br]
		if br == brITH {
			if !d.selfHeat {
				continue
			}
			deps = allControls[:]
		}
		for _, k := range deps {
			d.addStamp(b, br, k)
		}
		if d.selfHeat && br != brITH && br != brQBEO && br != brQBCO {
			d.addStamp(b, br, vcRTH)
		}
	}
}

// allControls lists every controlling voltage (the thermal branch's dependence).
var allControls = func() (a [vbicNC]int) {
	for i := range a {
		a[i] = i
	}
	return
}()

func (d *VBIC) addStamp(b *mna.Builder, br, k int) {
	p, n := d.slot[vbicBranches[br].p], d.slot[vbicBranches[br].n]
	a, c := d.slot[vbicControls[k][0]], d.slot[vbicControls[k][1]]
	d.stamps = append(d.stamps, vbicStamp{br: br, k: k,
		h: [4]mna.Handle{b.Entry(p, a), b.Entry(p, c), b.Entry(n, a), b.Entry(n, c)}})
}

// sign is the factor between a controlling voltage's node difference and its value.
func (d *VBIC) sign(k int) float64 {
	if k == vcRTH {
		return 1
	}
	return d.typ
}

func (d *vbicRun) Load(ctx *Context) {
	var vX, v, dv [vbicNC]float64
	d.controls(ctx.X, &vX)
	v = vX
	d.startOrLimit(ctx, &v)
	d.last = v
	if !ctx.UIC {
		for k := range dv {
			dv[k] = vX[k] - v[k]
		}
	}
	charges := ctx.Mode != ModeOP
	d.evalAt(&v, &d.out, charges, ctx.Gmin)

	f, q := ctx.F, ctx.Q
	// Every branch scales with area times m, the thermal one too, so that the
	// temperature rise does not depend on them.
	for br, b := range vbicBranches {
		if !charges && !d.current[br] {
			continue
		}
		o := &d.out[br]
		val := d.scale * (o.v + o.dot(&dv))
		if b.typed {
			val *= d.typ
		}
		dst := f
		if !d.current[br] {
			dst = q
		}
		dst[d.slot[b.p]] += val
		dst[d.slot[b.n]] -= val
	}
	for i := range d.stamps {
		st := &d.stamps[i]
		if !charges && !d.current[st.br] {
			continue
		}
		g := d.out[st.br].d[st.k] * d.scale * d.sign(st.k)
		if vbicBranches[st.br].typed {
			g *= d.typ
		}
		m := ctx.G
		if !d.current[st.br] {
			m = ctx.C
		}
		m[st.h[0]] += g
		m[st.h[1]] -= g
		m[st.h[2]] -= g
		m[st.h[3]] += g
	}
}

// controls sets v to the controlling voltages at the unknowns x.
func (d *VBIC) controls(x []float64, v *[vbicNC]float64) {
	for k, c := range vbicControls {
		v[k] = d.sign(k) * (x[d.slot[c[0]]] - x[d.slot[c[1]]])
	}
}

// evalAt evaluates the model at the controlling voltages v, at the temperature of their
// rise under self-heating, with gmin across the junctions.
func (d *VBIC) evalAt(v *[vbicNC]float64, out *vbicEval, charges bool, gmin float64) {
	var heated vbicAtT
	d.eval(v, d.atRise(v, &heated), out, charges)
	d.addGmin(out, gmin, v)
}

// atRise is the temperature-mapped values at the rise v[vcRTH] under self-heating (mapped
// into heated), else at the ambient.
func (d *VBIC) atRise(v *[vbicNC]float64, heated *vbicAtT) *vbicAtT {
	if !d.selfHeat {
		return &d.at
	}
	*heated = d.model.mapTemp(&d.at, d.tAmb, vvar(vcRTH, v[vcRTH]).plus(d.tAmb))
	return heated
}

// addGmin puts ngspice's gmin across the junctions (and three times into the epi
// current), unscaled by area and m: it is divided by the scale here, which the stamps
// multiply back.
func (d *VBIC) addGmin(out *vbicEval, gmin float64, v *[vbicNC]float64) {
	g := gmin / d.scale
	add := func(br, k int) {
		out[br].v += g * v[k]
		out[br].d[k] += g
	}
	add(brIBE, vcBEI)
	add(brIBEX, vcBEX)
	add(brIBC, vcBCI)
	add(brIBEP, vcBEP)
	add(brIRCI, vcRCI)
	add(brIRCI, vcBCI)
	add(brIRCI, vcBCX)
	add(brIBCP, vcBCP)
}

// startOrLimit sets the controlling voltages the model is evaluated at: ngspice's
// initial junction voltages on the first iteration of an operating point, the initial
// conditions of a uic start, else v limited against the last evaluation.
func (d *vbicRun) startOrLimit(ctx *Context, v *[vbicNC]float64) {
	switch {
	case ctx.UIC:
		*v = [vbicNC]float64{}
		vbe := d.typ * d.icVBE
		vbc := vbe - d.typ*d.icVCE
		v[vcBEI], v[vcBEX], v[vcBE] = vbe, vbe, vbe
		v[vcBCI], v[vcBCX], v[vcBC] = vbc, vbc, vbc
	case ctx.InitJunctions:
		*v = [vbicNC]float64{}
		if !d.off {
			// ngspice's starting point, with its factors of the type as it has them.
			vc := d.typ * d.vcrit
			v[vcBEI], v[vcBEX], v[vcBE] = vc, vc, vc
			v[vcBCI], v[vcBCP] = -vc, -vc
		}
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		vt := d.vt
		for _, k := range [...]int{vcBEI, vcBEX, vcBCI, vcBCX, vcBEP, vcBCP} {
			var lim bool
			v[k], lim = bjtPnjlim(v[k], d.last[k], vt, d.vcrit)
			ctx.Limited = ctx.Limited || lim
		}
		if d.selfHeat {
			var lim bool
			v[vcRTH], lim = vbicLimitLog(v[vcRTH], d.last[vcRTH], 100)
			ctx.Limited = ctx.Limited || lim
		}
	}
}

// vbicLimitLog limits the step of a temperature rise beyond tol kelvin to a logarithmic
// one, as ngspice's DEVlimitlog.
func vbicLimitLog(t, old, tol float64) (float64, bool) {
	switch {
	case t > old+tol:
		return old + tol + math.Log10((t-old)/tol), true
	case t < old-tol:
		return old - tol - math.Log10((old-t)/tol), true
	}
	return t, false
}
