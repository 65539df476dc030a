// Package bsim3 is the BSIM3v3.3 MOSFET (ngspice's level 8 and 49, version 3.3.0),
// written from the BSIM3v3.3 manual's equations with ngspice's BSIM3 as the reference
// for results: threshold voltage with short-channel, DIBL and narrow-width effects,
// mobility models 1-3, velocity saturation, the output resistance of channel-length
// modulation, DIBL and substrate current induced body effect, the source-drain resistance
// rdsw inside the channel current, substrate current, bulk junction diodes with their
// depletion charges, the charge models capmod 0-3 with overlap and fringe charges, and
// the non-quasi-static models nqsmod 1 (the charge-deficit node) and acnqsmod 1 (nqs.go).
//
// The model equations are evaluated on dual numbers (dual.go), so that every current and
// charge carries its exact derivatives by the terminal voltages: the Jacobian is exact
// whatever branch the equations take.
package bsim3

import (
	"math"
	"slices"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

func init() {
	devices.RegisterMOSLevel(New, UnusedGiven, 8, 49)
}

// Terminals of Device.t and Device.h.
const (
	tD = iota // the internal drain (the drain itself without rsh*nrd)
	tG
	tS // the internal source
	tB
)

// Device is one BSIM3 MOSFET as built: its parameters at its size and the circuit
// temperature, and its unknowns and matrix entries.
type Device struct {
	s    *sized
	t    [4]int
	h    [4][4]mna.Handle
	dExt int
	sExt int
	// Series resistance entries: external-external, external-internal, internal-external.
	hdd, hddp, hdpd, hss, hssp, hsps mna.Handle
	// nqsmod 1: the charge-deficit node, its row (d, g, s, b, q) and its column in the
	// rows of d, g, s.
	q             int
	hq            [5]mna.Handle
	hdq, hgq, hsq mna.Handle

	name    string
	nodes   [4]string
	off     bool
	ic      [3]float64 // vds, vgs, vbs as given
	icGiven [3]bool
	unused  []string
}

// limiting's thermal voltage and critical voltage, ngspice's CONSTvt0 and BSIM3vcrit.
var (
	vt0   = 1.38064852e-23 * 300.15 / 1.6021766208e-19
	vcrit = vt0 * math.Log(vt0/(math.Sqrt2*1e-14))
)

// New builds the BSIM3 MOSFET of element e, whose model card is card (level 8 or 49).
func New(e *parser.Element, card *parser.Model, env devices.Env) (devices.Device, error) {
	where := "model " + card.Name + ", used by " + e.Name
	v32 := isV32(card.Version)
	if !v32 && !slices.Contains([]string{"", "3.3", "3.3.0", "3.30"}, card.Version) {
		pos := card.VersionPos
		if pos.Line == 0 {
			pos = card.Pos
		}
		return nil, parser.Errorf(pos, "%s: BSIM3 version %s is not supported: only 3.3 (3.3.0, or none) and 3.2.2, 3.2.3, 3.2.4 (%s)", e.Name, card.Version, where)
	}
	md, err := readModel(card, where)
	if err != nil {
		return nil, err
	}
	md.v32 = v32
	if v32 && md.given[mLintnoi] {
		// ngspice's BSIM3v32 has no lintnoi (it warns and ignores it).
		md.unusedUsed = append(md.unusedUsed, "lintnoi")
	}
	in, err := readInstance(e, card)
	if err != nil {
		return nil, err
	}
	s, err := derive(e, md, in, env.Temp, where)
	if err != nil {
		return nil, err
	}
	d := &Device{s: s, name: e.Name, off: in.off, ic: in.ic, icGiven: in.icGiven, unused: md.unusedUsed}
	copy(d.nodes[:], e.Nodes)
	return d, nil
}

// isV32 reports whether a BSIM3 card's version is 3.2.2, 3.2.3 or 3.2.4, which ngspice
// runs with its BSIM3v32, whose equations are 3.3's but for the capmod 3 inversion charge
// and the flicker noise's lintnoi (none). Its 3.2.2 differs from 3.2.3 only in scaling
// the junction capacitances to the temperature in place, once per temperature update:
// the same values in a run at one temperature (measured: ngspice 39's dc, op and tran of
// tcl-testbench4's cards are the same digits in 3.2.2 and 3.2.4).
func isV32(version string) bool {
	switch version {
	case "3.2.4", "3.24", "3.2.3", "3.23", "3.2.2", "3.22":
		return true
	}
	return false
}

// Name is the element's name.
func (d *Device) Name() string { return d.name }

// UnusedParams lists the parameters of the device's model card that gospice accepts but
// does not use (paramchk, ACM, limits; lintnoi in versions 3.2.x).
func (d *Device) UnusedParams() []string { return d.unused }

// Setup reserves the internal drain and source behind rsh*nrd, rsh*nrs, and the entries.
func (d *Device) Setup(b *mna.Builder) {
	d.dExt = b.Node(d.nodes[0])
	d.t[tG] = b.Node(d.nodes[1])
	d.sExt = b.Node(d.nodes[2])
	d.t[tB] = b.Node(d.nodes[3])
	d.t[tD], d.t[tS] = d.dExt, d.sExt
	if d.s.gdpr > 0 {
		d.t[tD] = b.InternalNode(d.name, "drain")
	}
	if d.s.gspr > 0 {
		d.t[tS] = b.InternalNode(d.name, "source")
	}
	for r := range d.t {
		for c := range d.t {
			d.h[r][c] = b.Entry(d.t[r], d.t[c])
		}
	}
	if d.s.gdpr > 0 {
		d.hdd, d.hddp, d.hdpd = b.Entry(d.dExt, d.dExt), b.Entry(d.dExt, d.t[tD]), b.Entry(d.t[tD], d.dExt)
	}
	if d.s.nqs {
		d.q = b.WrittenNode(d.name, "charge") // ngspice 39 writes it by default
		for k := range d.t {
			d.hq[k] = b.Entry(d.q, d.t[k])
		}
		d.hq[4] = b.Entry(d.q, d.q)
		d.hdq, d.hgq, d.hsq = b.Entry(d.t[tD], d.q), b.Entry(d.t[tG], d.q), b.Entry(d.t[tS], d.q)
	}
	if d.s.gspr > 0 {
		d.hss, d.hssp, d.hsps = b.Entry(d.sExt, d.sExt), b.Entry(d.sExt, d.t[tS]), b.Entry(d.t[tS], d.sExt)
	}
}

// run is one run's Loader: the last evaluation, which limiting starts from.
type run struct {
	*Device
	ev    eval
	evals int
	dv    [3]float64 // from the last evaluation's voltages to X's, which Stamp carries it along
}

// NewRun returns a Loader with no evaluation yet.
func (d *Device) NewRun() devices.Loader { return &run{Device: d} }

// Load evaluates the device at ctx.X (or at the limited voltages, carried to X along the
// tangents) and adds its currents and charges.
func (r *run) Load(ctx *devices.Context) {
	if r.Evaluate(ctx) {
		ctx.Limited = true
	}
	r.Stamp(ctx)
}

// Evaluate is Load's evaluation (devices.Evaluator): it reads ctx, keeps the evaluation
// in the run, and reports whether it limited the voltages.
func (r *run) Evaluate(ctx *devices.Context) bool {
	x, typ := ctx.X, r.s.typ
	vs := x[r.t[tS]]
	vX := [3]float64{typ * (x[r.t[tG]] - vs), typ * (x[r.t[tD]] - vs), typ * (x[r.t[tB]] - vs)}
	v := vX
	limited := false
	switch {
	case ctx.UIC:
		v = r.uicVoltages(x)
	case ctx.Mode == devices.ModeAC:
	case ctx.FirstIteration && ctx.InitJunctions:
		v = r.initialVoltages()
		limited = true
	case r.evals == 0 || (ctx.FirstIteration && !ctx.Predicted):
	default:
		v, limited = r.limit(vX)
	}
	withCharge := ctx.Mode != devices.ModeOP
	r.s.evaluate(&r.ev, v[0], v[1], v[2], ctx.Gmin, withCharge)
	r.evals++
	// Limited or initial voltages are carried to X along the tangents; the charges of a
	// uic start are those at the initial voltages themselves.
	r.dv = [3]float64{}
	if !ctx.UIC {
		r.dv = [3]float64{vX[0] - v[0], vX[1] - v[1], vX[2] - v[2]}
	}
	return limited
}

// Stamp adds the last evaluation, carried to X, to ctx's Values.
func (r *run) Stamp(ctx *devices.Context) { r.stamp(ctx, &r.ev, r.dv) }

// initialVoltages are ngspice's starting voltages of an operating point from zero: the
// IC= values where one is given, else vgs just above the threshold and vds = 0.1 V.
func (d *Device) initialVoltages() [3]float64 {
	if d.off {
		return [3]float64{}
	}
	typ := d.s.typ
	vds, vgs, vbs := typ*d.ic[0], typ*d.ic[1], typ*d.ic[2]
	if vds == 0 && vgs == 0 && vbs == 0 {
		return [3]float64{typ*d.s.vth0 + 0.1, 0.1, 0}
	}
	return [3]float64{vgs, vds, vbs}
}

// uicVoltages are the voltages a uic transient starts from (devices.UICVoltages).
func (d *Device) uicVoltages(x []float64) [3]float64 {
	return devices.UICVoltages(x, d.off, d.s.typ, d.dExt, d.t[tG], d.sExt, d.t[tB], d.ic, d.icGiven)
}

// limit applies ngspice's BSIM3 limiting to the new voltages vX (vgs, vds, vbs) against
// the last evaluation: fetlim on vgs (vgd in the reverse mode) about the last threshold,
// limvds on vds, pnjlim on vbs (vbd).
func (r *run) limit(vX [3]float64) ([3]float64, bool) {
	old := &r.ev
	vgs, vds, vbs := vX[0], vX[1], vX[2]
	vgd := vgs - vds
	// A voltage moves only when its limit changes it, so that an unlimited iterate is
	// evaluated exactly at X.
	if old.vds >= 0 {
		if l, _ := devices.FetLim(vgs, old.vgs, old.von); l != vgs {
			vgs, vds = l, l-vgd
		}
		vds, _ = devices.LimVDS(vds, old.vds)
	} else {
		changed := false
		if l, _ := devices.FetLim(vgd, old.vgs-old.vds, old.von); l != vgd {
			vgd, vds, changed = l, vgs-l, true
		}
		if l, _ := devices.LimVDS(-vds, -old.vds); -l != vds {
			vds, changed = -l, true
		}
		if changed {
			vgs = vgd + vds // ngspice keeps the limited vgd
		}
	}
	if vds >= 0 {
		vbs, _ = devices.PNJLim(vbs, old.vbs, vt0, vcrit)
	} else {
		vbd := vX[2] - vX[1]
		if l, _ := devices.PNJLim(vbd, old.vbs-old.vds, vt0, vcrit); l != vbd || vds != vX[1] {
			vbs = l + vds
		}
	}
	v := [3]float64{vgs, vds, vbs}
	return v, v != vX
}

// at is y carried from the evaluated point by dv (vgs, vds, vbs) along its tangent.
func at(y dual, dv [3]float64) dual {
	y.v += y.dg*dv[0] + y.dd*dv[1] + y.db*dv[2]
	return y
}

// stamp writes the evaluation into F and G (and Q and C when charged), carried to X by
// dv, times the multiplier m.
func (r *run) stamp(ctx *devices.Context, ev *eval, dv [3]float64) {
	s := r.s
	// Junction currents as duals: ibs by vbs; ibd by vbd = vbs - vds.
	ibs := dual{v: ev.ibs, db: ev.gbs}
	ibd := dual{v: ev.ibd, dd: -ev.gbd, db: ev.gbd}
	var isubD, isubS dual
	if ev.mode > 0 {
		isubD = ev.isub
	} else {
		isubS = ev.isub
	}
	r.row(ctx.F, ctx.G, tD, at(sub(add(ev.ids, isubD), ibd), dv))
	r.row(ctx.F, ctx.G, tS, at(sub(sub(isubS, ev.ids), ibs), dv))
	r.row(ctx.F, ctx.G, tB, at(sub(add(ibs, ibd), ev.isub), dv))
	if s.gdpr > 0 {
		r.resistor(ctx, r.dExt, r.t[tD], s.gdpr*s.mult, r.hdd, r.hddp, r.hdpd, r.h[tD][tD])
	}
	if s.gspr > 0 {
		r.resistor(ctx, r.sExt, r.t[tS], s.gspr*s.mult, r.hss, r.hssp, r.hsps, r.h[tS][tS])
	}
	// nqsmod's charge-deficit node takes the place of the intrinsic charges, but in an
	// .ac with acnqsmod, where ngspice leaves the node isolated.
	deficit := s.nqs && !(s.acnqs && ctx.Mode == devices.ModeAC)
	if deficit {
		r.stampDeficit(ctx, ev, dv)
	} else if s.nqs {
		ctx.G[r.hq[4]] += s.mult
	}
	if !ev.charged {
		return
	}
	qg, qd, qs, qb := ev.qg, ev.qd, ev.qs, ev.qb
	if deficit {
		qg, qd, qs, qb = sub(qg, ev.qgi), sub(qd, ev.qdi), sub(qs, ev.qsi), sub(qb, ev.qbi)
	}
	qbs := dual{v: ev.qbs, db: ev.cbs}
	qbd := dual{v: ev.qbd, dd: -ev.cbd, db: ev.cbd}
	r.row(ctx.Q, ctx.C, tG, at(qg, dv))
	r.row(ctx.Q, ctx.C, tD, at(sub(qd, qbd), dv))
	r.row(ctx.Q, ctx.C, tS, at(sub(qs, qbs), dv))
	r.row(ctx.Q, ctx.C, tB, at(add(add(qb, qbd), qbs), dv))
	if s.acnqs && ctx.Mode == devices.ModeAC {
		r.acNQS(ctx, ev)
	}
}

// row adds m typ y to the vector entry of terminal k and m times y's derivatives to its
// matrix row (the source column takes minus the sum of the others).
func (r *run) row(vec, mat []float64, k int, y dual) {
	m := r.s.mult
	h := &r.h[k]
	vec[r.t[k]] += m * r.s.typ * y.v
	mat[h[tD]] += m * y.dd
	mat[h[tG]] += m * y.dg
	mat[h[tS]] -= m * (y.dg + y.dd + y.db)
	mat[h[tB]] += m * y.db
}

// resistor stamps conductance g between the external node a and the internal node b.
func (r *run) resistor(ctx *devices.Context, a, b int, g float64, haa, hab, hba, hbb mna.Handle) {
	i := g * (ctx.X[a] - ctx.X[b])
	ctx.F[a] += i
	ctx.F[b] -= i
	ctx.G[haa] += g
	ctx.G[hab] -= g
	ctx.G[hba] -= g
	ctx.G[hbb] += g
}

// UpdateAccepting marks the device as keeping nothing from a load but its evaluation
// point (which the limiting compares with): see devices.UpdateAccepting.
func (*run) UpdateAccepting() {}
