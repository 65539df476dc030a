package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// This file holds ngspice's level-5 MOSFET, BSIM2 (Jeng's second Berkeley short-channel
// IGFET model): its parameters, its channel's size-dependent constants and its channel
// equations (b2temp.c, b2eval.c), on dual numbers as BSIM1's. What it shares with BSIM1
// (junctions, overlaps, the load) is in earlybsim.go.

// bsim2Scaled are the names of BSIM2's parameters that scale with the device's size.
var bsim2Scaled = []string{"vfb", "phi", "k1", "k2", "eta0", "etab", "mu0b", "mus0", "musb",
	"mu20", "mu2b", "mu2g", "mu30", "mu3b", "mu3g", "mu40", "mu4b", "mu4g", "ua0", "uab", "ub0",
	"ubb", "u10", "u1b", "u1d", "n0", "nb", "nd", "vof0", "vofb", "vofd", "ai0", "aib", "bi0",
	"bib", "vghigh", "vglow"}

var bsim2Docs = map[string]string{
	"vfb": "flat-band voltage (V)", "phi": "strong inversion surface potential (V)",
	"k1": "body effect coefficient (V^0.5)", "k2": "charge sharing coefficient",
	"eta0": "drain-induced barrier lowering at vbs = 0", "etab": "vbs dependence of eta (1/V)",
	"mu0b": "vbs dependence of mu0 (cm^2/V^2s)", "mus0": "mobility at vds = vdd, vgs = vth (cm^2/Vs)",
	"musb": "vbs dependence of mus0", "mu20": "vds dependence of the mobility in the tanh term",
	"mu2b": "vbs dependence of mu2", "mu2g": "vgs dependence of mu2",
	"mu30": "vds dependence of the mobility in the linear term", "mu3b": "vbs dependence of mu3",
	"mu3g": "vgs dependence of mu3", "mu40": "vds dependence of the mobility in the quadratic term",
	"mu4b": "vbs dependence of mu4", "mu4g": "vgs dependence of mu4",
	"ua0": "linear vgs dependence of the mobility (1/V)", "uab": "vbs dependence of ua",
	"ub0": "quadratic vgs dependence of the mobility (1/V^2)", "ubb": "vbs dependence of ub",
	"u10": "vds dependence of the mobility (velocity saturation, 1/V)", "u1b": "vbs dependence of u1",
	"u1d": "vds dependence of u1", "n0": "subthreshold slope at vds = vbs = 0",
	"nb": "vbs dependence of the subthreshold slope", "nd": "vds dependence of the subthreshold slope",
	"vof0": "subthreshold threshold offset at vds = vbs = 0 (V)", "vofb": "vbs dependence of vof",
	"vofd": "vds dependence of vof", "ai0": "hot-electron (output resistance) prefactor",
	"aib": "vbs dependence of ai", "bi0": "hot-electron exponential factor (V)", "bib": "vbs dependence of bi",
	"vghigh": "upper end of the cubic joining the subthreshold and strong inversion (V)",
	"vglow":  "lower end of the cubic joining the subthreshold and strong inversion (V)",
}

// bsim2Defaults are ngspice's nonzero defaults of the scaled parameters (their l and w
// forms default to 0).
var bsim2Defaults = map[string]float64{"vfb": -1, "phi": 0.75, "k1": 0.8, "mus0": 500, "mu20": 1.5,
	"mu30": 10, "ua0": 0.2, "u10": 0.1, "n0": 1.4, "nb": 0.5, "vof0": 1.8, "vghigh": 0.2, "vglow": -0.15}

// bsim2Card is a BSIM2 model card.
type bsim2Card struct {
	bsimCard
	scaled                   [37][3]float64 // bsim2Scaled's p, lp, wp
	mu0, temp, vdd, vgg, vbb float64
}

func (m *bsim2Card) params() paramSet {
	ps := scaledParams(bsim2Scaled, bsim2Docs, bsim2Defaults, m.scaled[:])
	ps = append(ps, m.bsimCard.params("model level: 5 (BSIM2)")...)
	ps = append(ps,
		p("mu0", 400, "cm^2/Vs", "low-field mobility at vds = 0, vgs = vth", &m.mu0),
		p("tox", 0.03, "um", "gate oxide thickness", &m.tox),
		p("temp", 27, "C", "temperature of the thermal voltage of the subthreshold current", &m.temp),
		p("vdd", 5, "V", "maximum vds (the model clips vds at 2 vdd)", &m.vdd),
		p("vgg", 5, "V", "maximum vgs (clips vgs at 2 vgg)", &m.vgg),
		p("vbb", 5, "V", "maximum |vbs| (clips vbs at 2 vbb)", &m.vbb),
		// ngspice 39's BSIM2 takes the same charges whatever xpart is (measured: 0, 1.5,
		// 2, -3, -7 give the same transients; its sources' older debugging values are gone).
		accepted("xpart"),
	)
	return paramSet{what: "BSIM2 model", params: ps}
}

// bsim2Channel is a BSIM2 device's channel: its parameters at its size.
type bsim2Channel struct {
	vfb, phi, phis3, k1, k2, eta0, etaB float64
	ua0, uaB, ub0, ubB, u10, u1B, u1D   float64
	n0, nB, nD, vof0, vofB, vofD        float64
	ai0, aiB, bi0, biB, vghigh, vglow   float64
	beta0, beta0B, betas0, betasB       float64 // times cox W/L
	beta20, beta2B, beta2G              float64
	beta30, beta3B, beta3G              float64 // times cox W/L
	beta40, beta4B, beta4G              float64 // times cox W/L
	vdd, vtm, vdd2, vgg2, vbb2, coxWL   float64
}

func init() {
	RegisterMOSLevel(newBSIM2, func(m *parser.Model) []string {
		var c bsim2Card
		return c.params().unusedGiven(m.Params)
	}, 5)
}

// newBSIM2 builds the BSIM2 MOSFET of element e with model card card, its channel as
// ngspice's b2temp.c sets it up.
func newBSIM2(e *parser.Element, card *parser.Model, env Env) (Device, error) {
	where := modelWhere(e, card)
	var mod bsim2Card
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	return newEarlyBSIM(e, card, "BSIM2", &mod.bsimCard, func(leff, weff float64) (bsimChannel, float64, float64, error) {
		lum, wum := leff*1e6, weff*1e6
		sz := sized(mod.scaled[:], lum, wum)
		s := func(name string) float64 {
			for k, n := range bsim2Scaled {
				if n == name {
					return sz[k]
				}
			}
			panic("bsim2: no scaled parameter " + name)
		}
		coxCm := 3.453e-13 / (mod.tox * 1e-4) // F/cm^2
		coxWL := coxCm * wum / lum
		c := &bsim2Channel{
			vfb: s("vfb"), phi: s("phi"), k1: s("k1"), k2: s("k2"), eta0: s("eta0"), etaB: s("etab"),
			ua0: s("ua0"), uaB: s("uab"), ub0: s("ub0"), ubB: s("ubb"), u10: s("u10"), u1B: s("u1b"), u1D: s("u1d"),
			n0: math.Max(s("n0"), 0), nB: s("nb"), nD: s("nd"), vof0: s("vof0"), vofB: s("vofb"), vofD: s("vofd"),
			ai0: s("ai0"), aiB: s("aib"), bi0: s("bi0"), biB: s("bib"), vghigh: s("vghigh"), vglow: s("vglow"),
			beta20: s("mu20"), beta2B: s("mu2b"), beta2G: s("mu2g"),
			vdd: mod.vdd, vtm: 8.625e-5 * (mod.temp + 273),
			vdd2: 2 * mod.vdd, vgg2: 2 * mod.vgg, vbb2: 2 * mod.vbb,
			coxWL: coxCm * leff * weff * 1e4,
		}
		if !(c.phi > 0) {
			return nil, 0, 0, elementError(e, "phi at this size must be positive, got %g (%s)", c.phi, where)
		}
		c.phis3 = math.Sqrt(c.phi) * c.phi
		// mus0 at least 1.01 mu0; musb no steeper than takes mus below mu0 at vbb.
		betas0 := math.Max(s("mus0"), 1.01*mod.mu0)
		betasB := s("musb")
		if tmp := betas0 - mod.mu0 - s("mu0b")*mod.vbb; -betasB*mod.vbb > tmp {
			betasB = -tmp / mod.vbb
		}
		c.beta0, c.beta0B = mod.mu0*coxWL, s("mu0b")*coxWL
		c.betas0, c.betasB = betas0*coxWL, betasB*coxWL
		c.beta30, c.beta3B, c.beta3G = s("mu30")*coxWL, s("mu3b")*coxWL, s("mu3g")*coxWL
		c.beta40, c.beta4B, c.beta4G = s("mu40")*coxWL, s("mu4b")*coxWL, s("mu4g")*coxWL
		vt0 := c.vfb + c.phi + c.k1*math.Sqrt(c.phi) - c.k2*c.phi
		return c, vt0, coxCm, nil
	})
}

// clip limits the local voltages as BSIM2 does: vbs to 2 vbb at least, vgs and vds to
// 2 vgg and 2 vdd at most (a clipped voltage is a constant).
func (c *bsim2Channel) clip(vg, vd, vb dual) (dual, dual, dual) {
	if vb.v < c.vbb2 {
		vb = cst(c.vbb2)
	}
	if vg.v > c.vgg2 {
		vg = cst(c.vgg2)
	}
	if vd.v > c.vdd2 {
		vd = cst(c.vdd2)
	}
	return vg, vd, vb
}

// bsim2Threshold is BSIM2's threshold at a point: phi - vbs (continued above vbs = 0 by
// phi²/(phi + vbs)), its root, the bulk-charge factor aa, the mobility's degradation
// coefficients ua, ub, u1 there, the threshold and the overdrive.
type bsim2Threshold struct{ phisb, t1s, aa, ua, ub, u1s, vth, vgst dual }

func (c *bsim2Channel) threshold(vg, vd, vb dual) (t bsim2Threshold) {
	if vb.v <= 0 {
		t.phisb = vb.scale(-1).addc(c.phi)
		t.t1s = t.phisb.sqrt()
	} else {
		t.phisb = cst(c.phi).div(vb.addc(c.phi)).scale(c.phi)
		t.t1s = cst(c.phis3).div(vb.scale(0.5).addc(c.phi))
	}
	gg := cst(1).sub(t.phisb.scale(0.8364).addc(1.744).inv())
	t.aa = gg.div(t.t1s).scale(0.5 * c.k1).addc(1)
	eta := vb.scale(c.etaB).addc(c.eta0)
	t.ua = vb.scale(c.uaB).addc(c.ua0)
	t.ub = vb.scale(c.ubB).addc(c.ub0)
	t.u1s = vb.scale(c.u1B).addc(c.u10)
	t.vth = t.t1s.scale(c.k1).sub(t.phisb.scale(c.k2)).sub(eta.mul(vd)).addc(c.vfb + c.phi)
	t.vgst = vg.sub(t.vth)
	return t
}

// saturation is the saturation voltage and the factor kk at the effective overdrive vgeff.
func (t *bsim2Threshold) saturation(vgeff dual) (vdsat, kk, uvert dual) {
	uvert = vgeff.mul(t.ua.add(vgeff.mul(t.ub))).addc(1)
	if uvert.v < 0.2 {
		uvert = cst(0.2)
	}
	vc := t.u1s.div(t.aa).div(uvert).mul(vgeff)
	kk = vc.add(vc.scale(2).addc(1).sqrt()).addc(1).scale(0.5)
	return vgeff.div(t.aa).div(kk.sqrt()), kk, uvert
}

// current is BSIM2's channel current in the local frame: strong inversion with the
// mobility's gate, drain and bulk dependences (beta's tanh, linear and quadratic terms
// in vds) and velocity saturation, the hot-electron output conductance (ai, bi), and
// below vglow the subthreshold current, joined to strong inversion above vghigh by a
// cubic in the overdrive.
func (c *bsim2Channel) current(vg, vd, vb dual) (dual, float64, float64) {
	vg, vd, vb = c.clip(vg, vd, vb)
	t := c.threshold(vg, vd, vb)
	vgst := t.vgst
	vgeff := vgst
	var exp0, exp1 dual
	if vgst.v < c.vghigh && c.n0 != 0 {
		vof := vb.scale(c.vofB).add(vd.scale(c.vofD)).addc(c.vof0)
		n := t.t1s.inv().scale(c.nB).add(vd.scale(c.nD)).addc(c.n0)
		k := n.scale(c.vtm).inv().scale(0.5) // 1/(2 n vtm)
		arg1 := vd.scale(-1 / c.vtm)
		if arg1.v < -30 {
			arg1 = cst(-30)
		}
		exp1 = arg1.exp()
		w := cst(1).sub(exp1)
		if w.v < 1e-18 {
			w = cst(1e-18)
		}
		// sqrt(2 aa (1 - exp(-vds/vtm))) vtm exp(vof/2 + vgst/(2 n vtm)) at vgst, or at vglow
		at := func(v dual) dual {
			arg := v.mul(k)
			if arg.v < -30 {
				arg = cst(-30)
			}
			exp0 = vof.scale(0.5).add(arg).exp()
			return w.mul(t.aa).scale(2).sqrt().mul(exp0).scale(c.vtm)
		}
		if vgst.v <= c.vglow {
			vgeff = at(vgst)
		} else {
			vgeff = c.cubic(vgst, at(cst(c.vglow)), k)
		}
	}
	if vgeff.v <= 0 {
		return cst(1e-50), t.vth.v, 0
	}
	vdsat, kk, uvert := t.saturation(vgeff)
	if vdsat.v < 1e-18 {
		vdsat = cst(1e-18)
	}
	beta := c.beta(vg, vd, vb, vdsat)
	var ids dual
	switch {
	case vgst.v > c.vglow && vd.v <= vdsat.v: // triode
		r := vd.div(vdsat).addc(-1)
		u1 := t.u1s.mul(cst(1).sub(r.mul(r).scale(c.u1D)))
		utot := uvert.add(u1.mul(vd))
		if utot.v < 0.5 {
			utot = cst(0.5)
		}
		ids = beta.div(utot).mul(vgeff.sub(t.aa.mul(vd).scale(0.5))).mul(vd)
	case vgst.v > c.vglow: // saturated
		ids = beta.div(uvert).mul(vgeff).mul(vgeff).div(t.aa.mul(kk)).scale(0.5)
		if c.ai0 != 0 {
			ids = ids.mul(c.hotElectron(vd, vb, vdsat))
		}
	default: // subthreshold
		ids = beta.mul(exp0).mul(exp0).mul(cst(1).sub(exp1)).scale(c.vtm * c.vtm)
		if vd.v > vdsat.v && c.ai0 != 0 {
			ids = ids.mul(c.hotElectron(vd, vb, vdsat))
		}
	}
	if ids.v < 1e-50 {
		ids = cst(1e-50)
	}
	return ids, t.vth.v, vdsat.v
}

// cubic is BSIM2's cubic in vgst between vglow and vghigh: at vghigh it meets vgst
// (slope 1), at vglow the subthreshold vgeff at (with slope at times k).
func (c *bsim2Channel) cubic(vgst, at, k dual) dual {
	hi, lo := c.vghigh, c.vglow
	t0, t1, t2, t3 := 2*hi, 2*lo, 3*hi*hi, 3*lo*lo
	t4, t5, t6 := hi-lo, hi*hi-lo*lo, hi*hi*hi-lo*lo*lo
	delta := 1 / ((t1-t0)*t6 + (t2-t3)*t5 + (t0*t3-t1*t2)*t4)
	slope := at.mul(k)
	gap := at.scale(-1).addc(hi) // vghigh - vgeff(vglow)
	b := slope.scale(-t0).addc(t1).scale(t6).add(slope.scale(t2).addc(-t3).scale(t5)).add(gap.scale(t0*t3 - t1*t2))
	cc := slope.addc(-1).scale(t6).add(gap.scale(t2 - t3)).add(slope.scale(-t2).addc(t3).scale(t4))
	d := gap.scale(t1 - t0).add(slope.scale(-1).addc(1).scale(t5)).add(slope.scale(t0).addc(-t1).scale(t4))
	a := cc.add(d.scale(t0)).scale(hi * hi)
	return a.add(vgst.mul(b.add(vgst.mul(cc.add(vgst.mul(d)))))).scale(delta)
}

// beta is BSIM2's beta: beta0 at vds = 0 rising to betas through tanh(vds beta2 /
// vdsat), with terms linear (beta3) and quadratic (beta4) in vds.
func (c *bsim2Channel) beta(vg, vd, vb, vdsat dual) dual {
	beta0 := vb.scale(c.beta0B).addc(c.beta0)
	betas := vb.scale(c.betasB).addc(c.betas0)
	beta2 := vb.scale(c.beta2B).add(vg.scale(c.beta2G)).addc(c.beta20)
	beta3 := vb.scale(c.beta3B).add(vg.scale(c.beta3G)).addc(c.beta30)
	beta4 := vb.scale(c.beta4B).add(vg.scale(c.beta4G)).addc(c.beta40)
	beta1 := betas.sub(beta0.add(beta3.sub(beta4.scale(c.vdd)).scale(c.vdd)))
	x := vd.mul(beta2).div(vdsat)
	if x.v > 30 {
		x = cst(30)
	}
	e2 := x.scale(2).exp()
	tanh := e2.addc(-1).div(e2.addc(1))
	return beta0.add(beta1.mul(tanh)).add(vd.mul(beta3.sub(beta4.mul(vd))))
}

// hotElectron is the factor 1 + ai exp(-bi/(vds - vdsat)) of the output conductance.
func (c *bsim2Channel) hotElectron(vd, vb, vdsat dual) dual {
	ai := vb.scale(c.aiB).addc(c.ai0)
	bi := vb.scale(c.biB).addc(c.bi0)
	x := bi.div(vd.sub(vdsat))
	if x.v > 30 {
		x = cst(30)
	}
	return ai.mul(x.scale(-1).exp()).addc(1)
}

// charges are BSIM2's gate, bulk and (local) drain charges: accumulation, depletion, and
// in inversion the triode and saturated charges with the drain's 40% share.
func (c *bsim2Channel) charges(vg, vd, vb dual) (qg, qb, qd dual) {
	vg, vd, vb = c.clip(vg, vd, vb)
	t := c.threshold(vg, vd, vb)
	vgst, w := t.vgst, c.coxWL
	vbseff := vb
	if vb.v >= 0 {
		vbseff = t.phisb.scale(-1).addc(c.phi)
	}
	arg1 := vg.sub(vbseff).addc(-c.vfb)
	qbulk := arg1.sub(vgst).scale(w / 3)
	switch {
	case arg1.v <= 0: // accumulation
		qg = arg1.scale(w)
		return qg, qg.scale(-1), dual{}
	case vgst.v <= 0: // depletion
		r := arg1.div(arg1.sub(vgst))
		qg = arg1.mul(cst(1).sub(r.mul(cst(1).sub(r.scale(1.0 / 3))))).scale(w)
		return qg, qg.scale(-1), dual{}
	}
	vdsat, _, _ := t.saturation(vgst)
	if vd.v >= vdsat.v { // saturated
		qg = vgst.scale(2 * w / 3).add(qbulk)
		return qg, qbulk.scale(-1), vgst.scale(-0.4 * 2 * w / 3)
	}
	vgdt := vgst.mul(cst(1).sub(vd.div(vdsat)))
	sum := vgst.add(vgdt)
	r0, r1 := vgst.div(sum), vgdt.div(sum)
	r5 := r0.mul(r1)
	qg = vgst.add(vgdt).sub(vgdt.mul(r0)).scale(2 * w / 3).add(qbulk)
	qd = vgdt.scale(0.2).add(vgst.scale(0.8)).add(vgdt.mul(r1)).add(r5.mul(vgdt.sub(vgst)).scale(0.2)).scale(-w / 3)
	return qg, qbulk.scale(-1), qd
}
