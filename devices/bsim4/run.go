package bsim4

import (
	"math"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// Setup reserves the internal nodes (drain and source behind their diffusion resistances,
// the gate behind rgatemod's resistance, the body network of rbodymod) and the entries.
func (d *Device) Setup(b *mna.Builder) {
	n := &d.n
	n[tDx] = b.Node(d.nodes[0])
	n[tGx] = b.Node(d.nodes[1])
	n[tSx] = b.Node(d.nodes[2])
	n[tBx] = b.Node(d.nodes[3])
	n[tD], n[tG], n[tS], n[tB] = n[tDx], n[tGx], n[tSx], n[tBx]
	if d.gdr != 0 {
		n[tD] = b.InternalNode(d.name, "drain")
	}
	if d.gsr != 0 {
		n[tS] = b.InternalNode(d.name, "source")
	}
	n[tGM] = n[tGx]
	// ngspice 39 writes the gate, body and charge nodes by default, not the drain and source.
	if d.rgatemod != 0 {
		n[tG] = b.WrittenNode(d.name, "gate")
	}
	if d.rgatemod == 3 {
		n[tGM] = b.WrittenNode(d.name, "midgate")
	}
	n[tDB], n[tSB] = n[tB], n[tB]
	if d.rbodymod != 0 {
		n[tB] = b.WrittenNode(d.name, "body")
		n[tDB] = b.WrittenNode(d.name, "dbody")
		n[tSB] = b.WrittenNode(d.name, "sbody")
	}
	entry := func(r, c int) { d.h[r][c] = b.Entry(n[r], n[c]) }
	pair := func(a, c int) { entry(a, a); entry(a, c); entry(c, a); entry(c, c) }
	for r := tD; r <= tB; r++ {
		for c := tD; c <= tB; c++ {
			entry(r, c)
		}
	}
	pair(tDB, tD)
	pair(tSB, tS)
	pair(tDx, tD)
	pair(tSx, tS)
	pair(tGx, tG)
	if d.mc.rdsmod != 0 {
		for _, side := range [][2]int{{tDx, tD}, {tSx, tS}} {
			for _, r := range side {
				for _, c := range []int{side[0], tG, tD, tS, tB} {
					entry(r, c)
				}
			}
		}
	}
	if d.rgatemod >= 2 {
		// The bias-dependent gate resistance from a (the external gate, or the mid node)
		// to g' depends on the intrinsic voltages.
		a := tGx
		if d.rgatemod == 3 {
			a = tGM
			pair(tGx, tGM)
		}
		for _, r := range []int{a, tG} {
			for _, c := range []int{a, tG, tD, tS, tB} {
				entry(r, c)
			}
		}
		if d.rgatemod == 3 {
			for _, k := range []int{tD, tS, tB} {
				entry(tGM, k)
				entry(k, tGM)
			}
		}
	}
	if d.trnqs {
		n[tQ] = b.WrittenNode(d.name, "charge")
		for k := tD; k <= tB; k++ {
			entry(tQ, k)
			entry(k, tQ)
		}
		entry(tQ, tQ)
	}
	pair(tB, tBx)
	pair(tDB, tBx)
	pair(tSB, tBx)
	pair(tB, tDB)
	pair(tB, tSB)
}

// bias are the device's controlling voltages in the n-channel frame, referred to the
// internal source: vgs, vds, vbs of the intrinsic device and the drain- and source-side
// body voltages vdbs, vsbs.
type bias [6]float64

const (
	bGS = iota
	bDS
	bBS
	bDBS
	bSBS
	bGMS // the gate mid node (rgatemod 3)
)

// sub is a - b, written out (a loop costs more than the subtractions).
func (a *bias) sub(b *bias) bias {
	return bias{a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3], a[4] - b[4], a[5] - b[5]}
}

// equal is a == b, inlined where an array's == calls a function.
func (a *bias) equal(b *bias) bool {
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] && a[5] == b[5]
}

// run is one run of a Device: the last evaluation, which limiting starts from.
type run struct {
	*Device
	last      bias
	von       float64
	evaluated bool

	// The last evaluation, reused by a load at exactly its bias (in the same analysis
	// mode and at the same gmin): the device is a pure function of those, so that
	// evaluating again would give the same values to the bit. A digital circuit has
	// many transistors whose terminals a time step leaves alone.
	ev     evalOut
	evAtX  bool // ev was made at its load's X (neither initial nor limited voltages)
	evMode devices.Mode
	evGmin float64
	vX     bias // the bias at the last load's X, which Stamp carries the evaluation to

	bypassed int // loads that reused an evaluation through bypass
}

// bypassTol are the tolerances of device bypass, and where it applies.
type bypassTol struct {
	rel, vn, abs float64
	all          bool // ngspice's bypass (.options bypass=1) besides the transient's
}

// SetBypass sets where the device bypasses an evaluation (devices.BypassMode): a load
// whose controlling voltages all moved by less than reltol times their size plus vntol
// since the last full evaluation, and whose currents that evaluation predicts moved by
// less than reltol times their size plus abstol, reuses it, carried along its tangents to
// X, as ngspice's .options bypass does. Carried so, a bypassed load is off the device's
// own by the second-order term of its voltages' change alone, which the tolerances bound
// (for vntol 1 uV and reltol 1e-3, about 1e-6 V at 1 V): that is why gospice bypasses
// at a transient's predicted iteration too, where ngspice never does. A digital
// circuit's transistors are idle most of the time, their voltages moving by microvolts.
func (d *Device) SetBypass(mode devices.BypassMode, relTol, vnTol, absTol float64) {
	d.by = nil
	if mode != devices.BypassOff {
		d.by = &bypassTol{rel: relTol, vn: vnTol, abs: absTol, all: mode == devices.BypassAll}
	}
}

// mayBypass reports whether a load in ctx may reuse the last evaluation when its bias is
// near enough (nearLast): one made at its own X, in the same mode and at the same gmin,
// at a transient's time point or a step of an operating point's gmin stepping (any
// iteration), or, with ngspice's bypass, at any
// iteration but a solve's first outside the transient's operating point and .ac.
func (r *run) mayBypass(ctx *devices.Context) bool {
	if r.by == nil || !r.evAtX || ctx.InitJunctions || ctx.UIC || ctx.Mode != r.evMode || ctx.Gmin != r.evGmin {
		return false
	}
	if ctx.Mode == devices.ModeTran || ctx.Continuation {
		return true
	}
	return r.by.all && !ctx.FirstIteration && ctx.Mode != devices.ModeTranOP && ctx.Mode != devices.ModeAC
}

// Bypassed is the number of loads that reused an evaluation through bypass.
func (r *run) Bypassed() int { return r.bypassed }

// nearLast reports whether the bias vX is close enough to the last evaluation's for
// bypass: every voltage, and every node and junction current it predicts.
func (r *run) nearLast(vX bias) bool {
	by := r.by
	near := func(a, b, tol float64) bool {
		// The larger magnitude by a comparison, cheaper than max's NaN and zero cases: a
		// NaN makes a-b NaN and the test false all the same.
		size := math.Abs(a)
		if sb := math.Abs(b); sb > size {
			size = sb
		}
		return math.Abs(a-b) < by.rel*size+tol
	}
	for k := range vX {
		if !near(vX[k], r.last[k], by.vn) {
			return false
		}
	}
	dv := vX.sub(&r.last)
	for k := tD; k <= tB; k++ {
		c := r.ev.i[k]
		if !near(c.v+c.g*dv[bGS]+c.d*dv[bDS]+c.b*dv[bBS], c.v, by.abs) {
			return false
		}
	}
	dvbs, dvbd := dv[bBS], dv[bBS]-dv[bDS]
	if r.rbodymod != 0 {
		dvbs, dvbd = dv[bSBS], dv[bDBS]-dv[bDS]
	}
	return near(r.ev.ibs+r.ev.gbs*dvbs, r.ev.ibs, by.abs) && near(r.ev.ibd+r.ev.gbd*dvbd, r.ev.ibd, by.abs)
}

// NewRun returns a Loader for one run.
func (d *Device) NewRun() devices.Loader { return &run{Device: d} }

func (d *Device) biasAt(x []float64) bias {
	n, typ := &d.n, d.mc.typ
	vs := x[n[tS]]
	return bias{typ * (x[n[tG]] - vs), typ * (x[n[tD]] - vs), typ * (x[n[tB]] - vs), typ * (x[n[tDB]] - vs), typ * (x[n[tSB]] - vs), typ * (x[n[tGM]] - vs)}
}

// initial is SPICE's starting bias of an operating point from zero (MODEINITJCT).
func (d *Device) initial() bias {
	if d.off {
		return bias{}
	}
	typ := d.mc.typ
	vds, vgs, vbs := typ*d.ic[0], typ*d.ic[1], typ*d.ic[2]
	if vds == 0 && vgs == 0 && vbs == 0 {
		vgs = typ*d.p.vth0 + 0.1
		return bias{vgs, 0.1, 0, 0, 0, vgs}
	}
	return bias{vgs, vds, vbs, vbs, vbs, vgs}
}

// limit applies ngspice's BSIM4 limiting to v against the last evaluation. A bias that
// no limit changed comes back as it was: the limits' exchanges between vgs, vds and vgd
// would otherwise round it, and an evaluation off X by a rounding is neither reused nor
// bypassed at the next load.
func (r *run) limit(in bias) (bias, bool) {
	v, old := in, r.last
	var c1, c2, c3, c4, c5 bool
	vgd := v[bGS] - v[bDS]
	if old[bDS] >= 0 {
		v[bGS], c1 = devices.FetLim(v[bGS], old[bGS], r.von)
		v[bDS] = v[bGS] - vgd
		v[bDS], c2 = devices.LimVDS(v[bDS], old[bDS])
	} else {
		vgd, c1 = devices.FetLim(vgd, old[bGS]-old[bDS], r.von)
		v[bDS] = v[bGS] - vgd
		var l float64
		l, c2 = devices.LimVDS(-v[bDS], -old[bDS])
		v[bDS] = -l
		v[bGS] = vgd + v[bDS]
	}
	if v[bDS] >= 0 {
		v[bBS], c3 = devices.PNJLim(v[bBS], old[bBS], vt0, r.vcrit)
		if r.rbodymod != 0 {
			v[bDBS], c4 = devices.PNJLim(v[bDBS], old[bDBS], vt0, r.vcrit)
			v[bSBS], c5 = devices.PNJLim(v[bSBS], old[bSBS], vt0, r.vcrit)
		}
	} else {
		var vbd float64
		vbd, c3 = devices.PNJLim(v[bBS]-v[bDS], old[bBS]-old[bDS], vt0, r.vcrit)
		v[bBS] = vbd + v[bDS]
		if r.rbodymod != 0 {
			var vdbd, vsbd float64
			vdbd, c4 = devices.PNJLim(v[bDBS]-v[bDS], old[bDBS]-old[bDS], vt0, r.vcrit)
			v[bDBS] = vdbd + v[bDS]
			vsbd, c5 = devices.PNJLim(v[bSBS]-v[bDS], old[bSBS]-old[bDS], vt0, r.vcrit)
			v[bSBS] = vsbd + v[bDS]
		}
	}
	if !(c1 || c2 || c3 || c4 || c5) {
		return in, false
	}
	return v, true
}

// nodeSums are the currents (or charges) leaving the four intrinsic nodes into the
// device, each with its derivatives by vgs, vds, vbs.
type nodeSums [4]dl

// eval evaluates the device at bias v: the intrinsic node currents and charges, and the
// junction diodes' currents, charges and their slopes.
type evalOut struct {
	i, q               nodeSums
	qov                nodeSums // rgatemod 3: the overlap charges, on the gate mid node
	qint               nodeSums // the intrinsic charges alone (in q too), for trnqsmod and acnqsmod
	ids                dl       // the channel current, from the local drain to the local source
	lD, lS             int      // the local drain and source (exchanged when vds < 0)
	gcrg               dl       // rgatemod 2, 3: the bias-dependent gate conductance
	gstot, gdtot       dl       // rdsmod 1: the source and drain conductances
	ibd, gbd, ibs, gbs float64  // junction currents bulk to drain, bulk to source
	qbd, cbd, qbs, cbs float64
	charged            bool
}

func (d *Device) eval(v bias, gmin float64, charges bool, e *evalOut) float64 {
	var o dcOut
	d.dc(v[bGS], v[bDS], v[bBS], &o)
	i := &e.i
	*i = nodeSums{}
	lD, lS := tD, tS // local drain and source
	if o.mode < 0 {
		lD, lS = tS, tD
	}
	e.ids, e.lD, e.lS = o.ids, lD, lS
	i[lD] = i[lD].add(o.ids).add(o.isub)
	i[lS] = i[lS].sub(o.ids)
	i[tB] = i[tB].sub(o.isub)
	i[tD] = i[tD].add(o.igidl)
	i[tS] = i[tS].add(o.igisl)
	i[tB] = i[tB].sub(o.igidl).sub(o.igisl)
	i[tG] = i[tG].add(o.igcs).add(o.igcd).add(o.igs).add(o.igd).add(o.igb)
	i[lS] = i[lS].sub(o.igcs)
	i[lD] = i[lD].sub(o.igcd)
	i[tS] = i[tS].sub(o.igs)
	i[tD] = i[tD].sub(o.igd)
	i[tB] = i[tB].sub(o.igb)

	vbsJ, vbdJ := v[bBS], v[bBS]-v[bDS]
	if d.rbodymod != 0 {
		vbsJ, vbdJ = v[bSBS], v[bDBS]-v[bDS]
	}
	e.ibs, e.gbs = d.js.current(d.mc.diomod, vbsJ, gmin)
	e.ibd, e.gbd = d.jd.current(d.mc.diomod, vbdJ, gmin)
	e.gcrg, e.gstot, e.gdtot = o.gcrg, o.gstot, o.gdtot
	e.charged = charges
	if charges {
		d.charges(v, &o, &e.q, &e.qov, &e.qint)
		e.qbs, e.cbs = d.js.charge(vbsJ)
		e.qbd, e.cbd = d.jd.charge(vbdJ)
	}
	return o.von
}

// UpdateAccepting marks the device as keeping nothing from a load but its evaluation
// point (and the limiting and bypass that compare with it): see devices.UpdateAccepting.
func (*run) UpdateAccepting() {}

// Load evaluates the device at X (or at SPICE's initial or limited bias, carried to X
// along its tangents) and adds its currents and, outside .op, its charges.
func (r *run) Load(ctx *devices.Context) {
	if r.Evaluate(ctx) {
		ctx.Limited = true
	}
	r.Stamp(ctx)
}

// Evaluate is Load's evaluation (devices.Evaluator): it reads ctx, keeps the evaluation
// and the bias at X in the run, and reports whether it limited the bias.
func (r *run) Evaluate(ctx *devices.Context) bool {
	vX := r.biasAt(ctx.X)
	r.vX = vX
	if r.evAtX && vX.equal(&r.last) && !ctx.InitJunctions && !ctx.UIC && ctx.Mode == r.evMode && ctx.Gmin == r.evGmin {
		return false
	}
	if r.mayBypass(ctx) && r.nearLast(vX) {
		r.bypassed++
		return false
	}
	v := vX
	limited := false
	switch {
	case ctx.UIC:
		if r.icGiven {
			typ := r.mc.typ
			v = bias{typ * r.ic[1], typ * r.ic[0], typ * r.ic[2], typ * r.ic[2], typ * r.ic[2], typ * r.ic[1]}
		}
		if r.off {
			v = bias{}
		}
	case ctx.FirstIteration && ctx.InitJunctions:
		v = r.initial()
		limited = true
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		if r.evaluated {
			v, limited = r.limit(v)
		}
	}
	r.von = r.eval(v, ctx.Gmin, ctx.Mode != devices.ModeOP, &r.ev)
	r.last = v
	r.evaluated = true
	r.evAtX, r.evMode, r.evGmin = v.equal(&vX), ctx.Mode, ctx.Gmin
	return limited
}

// Stamp adds the last evaluation, carried from its bias to X's, to ctx's Values.
func (r *run) Stamp(ctx *devices.Context) { r.stamp(ctx, &r.ev, &r.last, &r.vX) }

// stamp writes an evaluation into F, G (and Q, C), carried from its bias v to vX.
func (d *Device) stamp(ctx *devices.Context, e *evalOut, v, vX *bias) {
	dv := vX.sub(v)
	typ, m := d.mc.typ, d.m
	tm := typ * m // typ * m * val is (typ * m) * val
	F, G := ctx.F, ctx.G
	n, h := &d.n, &d.h
	d.stampNodes(F, G, &e.i, &dv, tm, m)
	// Junctions: bulk side (b', or db and sb with rbodymod) to drain and source.
	dvbs, dvbd := dv[bBS], dv[bBS]-dv[bDS]
	if d.rbodymod != 0 {
		dvbs, dvbd = dv[bSBS], dv[bDBS]-dv[bDS]
	}
	stampPair(F, G, n, h, tSB, tS, tm*(e.ibs+e.gbs*dvbs), m*e.gbs)
	stampPair(F, G, n, h, tDB, tD, tm*(e.ibd+e.gbd*dvbd), m*e.gbd)
	x := ctx.X
	lin := func(a, b int, g float64) {
		if g != 0 {
			stampPair(F, G, n, h, a, b, g*(x[n[a]]-x[n[b]]), g)
		}
	}
	if d.mc.rdsmod == 0 {
		lin(tDx, tD, d.gdr*m)
		lin(tSx, tS, d.gsr*m)
	} else {
		d.stampVar(ctx, tDx, tD, e.gdtot, dv)
		d.stampVar(ctx, tSx, tS, e.gstot, dv)
	}
	switch d.rgatemod {
	case 1:
		lin(tGx, tG, d.grgeltd*m)
	case 2:
		d.stampVar(ctx, tGx, tG, e.gcrg, dv)
	case 3:
		lin(tGx, tGM, d.grgeltd*m)
		d.stampVar(ctx, tGM, tG, e.gcrg, dv)
	}
	if d.rbodymod != 0 {
		lin(tB, tBx, d.grbpb*m)
		lin(tDB, tBx, d.grbdb*m)
		lin(tSB, tBx, d.grbsb*m)
		lin(tB, tDB, d.grbpd*m)
		lin(tB, tSB, d.grbps*m)
	}
	// trnqsmod's charge-deficit node takes the place of the intrinsic charges, but in
	// .ac, where ngspice leaves the node isolated and the charges quasi-static.
	deficit := d.trnqs && ctx.Mode != devices.ModeAC
	if deficit {
		d.stampDeficit(ctx, e, dv)
	} else if d.trnqs {
		ctx.G[h[tQ][tQ]] += m
	}
	if !e.charged {
		return
	}
	Q, C := ctx.Q, ctx.C
	q := &e.q
	if deficit {
		ext := *q // the extrinsic charges alone: the deficit node holds the intrinsic ones
		for k := range ext {
			ext[k] = ext[k].sub(e.qint[k])
		}
		q = &ext
	}
	d.stampNodes(Q, C, q, &dv, tm, m)
	if d.rgatemod == 3 {
		// The overlap charges hang on the mid node: their "gate" is it.
		for k := tD; k <= tB; k++ {
			row := k
			if k == tG {
				row = tGM
			}
			c := e.qov[k]
			val := c.v + c.g*dv[bGMS] + c.d*dv[bDS] + c.b*dv[bBS]
			Q[n[row]] += tm * val
			C[h[row][tGM]] += m * c.g
			C[h[row][tD]] += m * c.d
			C[h[row][tB]] += m * c.b
			C[h[row][tS]] -= m * (c.g + c.d + c.b)
		}
	}
	stampPair(Q, C, n, h, tSB, tS, tm*(e.qbs+e.cbs*dvbs), m*e.cbs)
	stampPair(Q, C, n, h, tDB, tD, tm*(e.qbd+e.cbd*dvbd), m*e.cbd)
	if d.acnqs && ctx.Mode == devices.ModeAC {
		d.acNQS(ctx, e)
	}
}

// stampPair adds a branch from a to b with value i (F or Q) and slope g by v(a) - v(b).
func stampPair(F, G []float64, n *[nSlots]int, h *[nSlots][nSlots]mna.Handle, a, b int, i, g float64) {
	F[n[a]] += i
	F[n[b]] -= i
	G[h[a][a]] += g
	G[h[a][b]] -= g
	G[h[b][a]] -= g
	G[h[b][b]] += g
}

// stampVar writes the current through a conductance g that depends on the intrinsic
// voltages (rgatemod's gate resistance, rdsmod's source and drain resistances), from
// slot a to slot b.
func (d *Device) stampVar(ctx *devices.Context, a, b int, gc dl, dv bias) {
	F, G, x := ctx.F, ctx.G, ctx.X
	n, h := &d.n, &d.h
	typ, m := d.mc.typ, d.m
	g := gc.v + gc.g*dv[bGS] + gc.d*dv[bDS] + gc.b*dv[bBS]
	vd := x[n[a]] - x[n[b]]
	i := m * g * vd
	// Slopes of g by the real node voltages: typ times those by the n-frame ones.
	sg, sd, sb := typ*m*gc.g*vd, typ*m*gc.d*vd, typ*m*gc.b*vd
	for _, row := range [2]struct {
		k    int
		sign float64
	}{{a, 1}, {b, -1}} {
		F[n[row.k]] += row.sign * i
		G[h[row.k][a]] += row.sign * m * g
		G[h[row.k][b]] -= row.sign * m * g
		G[h[row.k][tG]] += row.sign * sg
		G[h[row.k][tD]] += row.sign * sd
		G[h[row.k][tB]] += row.sign * sb
		G[h[row.k][tS]] -= row.sign * (sg + sd + sb)
	}
}

// stampNodes adds the four intrinsic nodes' values s (currents or charges), carried by
// dv, times tm to vec and m times their slopes to their rows of mat: node by node, in
// slot order, so that the entries' offsets are constants.
func (d *Device) stampNodes(vec, mat []float64, s *nodeSums, dv *bias, tm, m float64) {
	n, h := &d.n, &d.h
	stampNode(vec, mat, n[tD], &h[tD], &s[tD], tm*carry(s[tD], dv), m)
	stampNode(vec, mat, n[tG], &h[tG], &s[tG], tm*carry(s[tG], dv), m)
	stampNode(vec, mat, n[tS], &h[tS], &s[tS], tm*carry(s[tS], dv), m)
	stampNode(vec, mat, n[tB], &h[tB], &s[tB], tm*carry(s[tB], dv), m)
}

// stampNode adds y to a node's entry vec[i] and m times c's slopes to its row of mat (the
// source column takes minus their sum).
func stampNode(vec, mat []float64, i int, row *[nSlots]mna.Handle, c *dl, y, m float64) {
	vec[i] += y
	mat[row[tG]] += m * c.g
	mat[row[tD]] += m * c.d
	mat[row[tB]] += m * c.b
	mat[row[tS]] -= m * (c.g + c.d + c.b)
}
