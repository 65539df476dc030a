package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// MOSFET is ngspice's level-1 MOSFET (MOS1, Shichman-Hodges): a square-law channel with
// body effect and channel-length modulation, drain and source resistances through
// internal nodes, bulk junction diodes with depletion charges, and Meyer's gate
// capacitances kept, as ngspice keeps them, as charges built step by step from averaged
// capacitances (see Accept).
//
// Inside, every voltage and current is in the n-channel frame: a p-channel device's
// terminal voltages are multiplied by -1 on the way in and its currents on the way out.
// Like ngspice, the device swaps the roles of drain and source when vds < 0 (its mode).
type MOSFET struct {
	// What every load reads, first: the terminals' unknowns and matrix entries, and the
	// parameters at the device temperature.
	typ float64 // +1 n-channel, -1 p-channel
	tie mosTie  // how the terminals share nodes (Setup)
	mosNodes
	gd   float64 // drain and source series conductances (0: none)
	gs   float64
	phi  float64 // surface potential
	beta float64 // kp W/Leff (times m)
	// vbi and vto as ngspice's tVbi and tVto, the thermal voltage, sqrt(phi).
	vbi, vto, vt, lambda, gamma, sqrtPhi float64
	vcritD, vcritS                       float64
	hasMeyer                             bool    // gate capacitances: Meyer's or overlaps
	hasCharge                            bool    // any charge at all: gate or junction
	oxideCap                             float64 // Meyer's oxide capacitance (0 without tox)
	flicker, af                          float64 // flicker noise: flicker |id|^af / f (noise.go)
	meyerK                               mosMeyerConstants
	overlap                              [3]float64      // gate-source, -drain, -bulk overlap capacitances
	diodes                               [2]mosDiode     // drain, source
	junctions                            [2]mosDepletion // drain, source

	by *mosBypass // ngspice's device bypass, nil (off) unless SetBypass turns it on

	lv3 *mos3Params // level 3's constants (mos3.go); nil for levels 1 and 2
	lv2 *mos2Params // level 2's constants (mos2.go); nil for levels 1 and 3
	lv6 *mos6Params // level 6's constants (mos6.go); nil for other levels

	// Seldom read.
	name    string
	nodes   [4]string
	off     bool
	ic      [3]float64 // IC=vds,vgs,vbs as written
	icGiven [3]bool
}

// mosRun is one run of a MOSFET: what its loads keep from one to the next.
type mosRun struct {
	*MOSFET

	// von of the last evaluation (the limiting starts from it and from ev's voltages),
	// with Meyer's half capacitances there for Accept.
	vonOld float64
	half   [3]float64

	// Meyer history at the last accepted point: gate-source, -drain, -bulk voltages, half
	// capacitances and charges.
	meyerV, meyerHalf, meyerQ [3]float64
	meyerInit                 bool // the next Accept is the transient's initial point
	meyerInitUIC              bool // ... of a uic transient, whose voltages are uicVoltages

	// The last evaluation, and whether it may be reused: it was made at its X (neither
	// SPICE's initial voltages nor limited ones), in this analysis at this gmin, and no
	// Accept came since.
	ev     mosEval
	evAtX  bool
	evMode Mode
	evGmin float64
	evals  int // full evaluations made
	// Whether the last evaluation computed its charges (not in .op).
	evCharged bool

	bypassed int // loads that reused an evaluation through bypass
}

func (d *MOSFET) NewRun() Loader { return &mosRun{MOSFET: d} }

// mosTie says which terminals share a node, for the stamps that merge them.
type mosTie uint8

const (
	mosTieNone     mosTie = iota // any other arrangement: every entry written, shared ones added up
	mosTieSB                     // source and bulk on one node, drain and gate on two others
	mosTieSBGround               // the same with source and bulk on ground
)

// The terminals of MOSFET.t and MOSFET.h.
const (
	mosD = iota // the internal drain
	mosG
	mosS // the internal source
	mosB
)

// Physical constants as ngspice 39 has them (const.h), so that thermal voltages agree.
const (
	mosCharge  = 1.6021766208e-19 // C
	mosBoltz   = 1.38064852e-23   // J/K
	mosKoverQ  = mosBoltz / mosCharge
	mosRefTemp = 300.15 // K
	mosCtoK    = 273.15
	mosEps0    = 8.854214871e-12 // F/m
	mosMaxExp  = 709.0
)

// mosMeyerConstants are the oxide capacitance's fractions that Meyer's model uses, derived
// once: cox/2, cox/(2 phi), cox/(1.5 phi), cox/3.
type mosMeyerConstants struct {
	half, bulkSlope, sourceSlope, third float64
}

// mosDepletion is one bulk junction's depletion capacitance: bottom and sidewall parts,
// linearized above fc*pb by the coefficients f2, f3, f4 as ngspice's mos1temp.c does.
type mosDepletion struct {
	cz, czsw, pb, mj, mjsw, depCap, f2, f3, f4 float64
	// Derived once: 1/pb, and the charges' scales pb cz/(1 - mj), pb czsw/(1 - mjsw).
	invPb, qz, qzsw float64
}

type mosModelCard struct {
	vto, kp, gamma, phi, lambda, rd, rs, cbd, cbs, is, pb      float64
	cgso, cgdo, cgbo, rsh, cj, mj, cjsw, mjsw, js, tox, ld, u0 float64
	fc, nsub, tpg, nss, tnom, level, l, w                      float64
	kf, af                                                     float64
	lv3                                                        mos3Card // level 3's parameters
	lv2                                                        mos2Card // level 2's parameters
	lv6                                                        mos6Card // level 6's parameters

	vtoGiven, kpGiven, gammaGiven, phiGiven, rdGiven, rsGiven bool
	cbdGiven, cbsGiven, cjGiven, cjswGiven, toxGiven          bool
	nsubGiven, tnomGiven, lGiven, wGiven, mjswGiven           bool
}

func (m *mosModelCard) params() paramSet {
	return paramSet{what: "MOSFET model", params: []param{
		p("vto vt0", 0, "V", "zero-bias threshold voltage", &m.vto).withGiven(&m.vtoGiven),
		p("kp", 2e-5, "A/V^2", "transconductance parameter", &m.kp).withGiven(&m.kpGiven),
		p("gamma", 0, "V^0.5", "bulk threshold parameter", &m.gamma).withGiven(&m.gammaGiven),
		p("phi", 0.6, "V", "surface potential", &m.phi).withGiven(&m.phiGiven),
		p("lambda", 0, "1/V", "channel-length modulation", &m.lambda),
		p("rd", 0, "ohm", "drain ohmic resistance", &m.rd).withGiven(&m.rdGiven),
		p("rs", 0, "ohm", "source ohmic resistance", &m.rs).withGiven(&m.rsGiven),
		p("cbd", 0, "F", "zero-bias bulk-drain junction capacitance", &m.cbd).withGiven(&m.cbdGiven),
		p("cbs", 0, "F", "zero-bias bulk-source junction capacitance", &m.cbs).withGiven(&m.cbsGiven),
		p("is", 1e-14, "A", "bulk junction saturation current", &m.is),
		p("pb", 0.8, "V", "bulk junction potential", &m.pb),
		p("cgso", 0, "F/m", "gate-source overlap capacitance per channel width", &m.cgso),
		p("cgdo", 0, "F/m", "gate-drain overlap capacitance per channel width", &m.cgdo),
		p("cgbo", 0, "F/m", "gate-bulk overlap capacitance per channel length", &m.cgbo),
		p("rsh", 0, "ohm/sq", "drain and source diffusion sheet resistance", &m.rsh),
		p("cj", 0, "F/m^2", "zero-bias bulk junction bottom capacitance per area", &m.cj).withGiven(&m.cjGiven),
		p("mj", 0.5, "", "bulk junction bottom grading coefficient", &m.mj),
		p("cjsw", 0, "F/m", "zero-bias bulk junction sidewall capacitance per perimeter", &m.cjsw).withGiven(&m.cjswGiven),
		p("mjsw", 0.5, "", "bulk junction sidewall grading coefficient", &m.mjsw).withGiven(&m.mjswGiven),
		p("js", 0, "A/m^2", "bulk junction saturation current per area", &m.js),
		p("tox", 0, "m", "oxide thickness (no tox: no Meyer gate capacitances)", &m.tox).withGiven(&m.toxGiven),
		p("ld", 0, "m", "lateral diffusion", &m.ld),
		p("u0 uo", 600, "cm^2/Vs", "surface mobility (gives kp with tox)", &m.u0),
		p("fc", 0.5, "", "forward-bias depletion capacitance coefficient", &m.fc),
		p("nsub", 0, "1/cm^3", "substrate doping (gives vto, phi, gamma with tox)", &m.nsub).withGiven(&m.nsubGiven),
		p("tpg", 1, "", "gate type: 1 opposite to the substrate, -1 same, 0 aluminium", &m.tpg),
		p("nss", 0, "1/cm^2", "surface state density", &m.nss),
		p("tnom", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		p("level", 1, "", "model level: 1 (Shichman-Hodges), 2 (Grove-Frohman), 3 (semi-empirical) or 6 (n-th power law); 8, 49, 14, 54 are BSIM's", &m.level),
		// ngspice's front end takes l and w on a MOSFET card as the instances' defaults.
		p("l", 100e-6, "m", "default channel length", &m.l).withGiven(&m.lGiven),
		p("w", 100e-6, "m", "default channel width", &m.w).withGiven(&m.wGiven),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		accepted("nmos pmos"),
	}}
}

type mosInstanceCard struct {
	l, w, ad, as, pd, ps, nrd, nrs, m, temp, dtemp float64
	ic                                             [3]float64 // vds, vgs, vbs
	tempGiven, lGiven, wGiven                      bool
	icGiven                                        [3]bool
}

func (i *mosInstanceCard) params() paramSet {
	return paramSet{what: "MOSFET", params: []param{
		p("l", 100e-6, "m", "channel length (default: the model's l)", &i.l).withGiven(&i.lGiven),
		p("w", 100e-6, "m", "channel width (default: the model's w)", &i.w).withGiven(&i.wGiven),
		p("ad", 0, "m^2", "drain diffusion area", &i.ad),
		p("as", 0, "m^2", "source diffusion area", &i.as),
		p("pd", 0, "m", "drain junction perimeter", &i.pd),
		p("ps", 0, "m", "source junction perimeter", &i.ps),
		p("nrd", 1, "", "drain diffusion squares (times rsh)", &i.nrd),
		p("nrs", 1, "", "source diffusion squares (times rsh)", &i.nrs),
		p("m", 1, "", "parallel multiplier", &i.m),
		p("temp", 27, "C", "instance temperature", &i.temp).withGiven(&i.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &i.dtemp),
		p("icvds", 0, "V", "initial drain-source voltage", &i.ic[0]).withGiven(&i.icGiven[0]),
		p("icvgs", 0, "V", "initial gate-source voltage", &i.ic[1]).withGiven(&i.icGiven[1]),
		p("icvbs", 0, "V", "initial bulk-source voltage", &i.ic[2]).withGiven(&i.icGiven[2]),
		p("ic", 0, "V", "initial voltages: IC=vds,vgs,vbs", nil),
		accepted("sens_l sens_w"),
	}}
}

func newMOSFET(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "MOSFET", "nmos", "pmos", "vdmos")
	if err != nil {
		return nil, err
	}
	if card.Type == "vdmos" {
		return newVDMOS(e, card, env)
	}
	where := modelWhere(e, card)
	// The level first: another level's parameters are not level 1's.
	if lv, ok := modelLevel(card); ok && mosLevels[lv] != nil {
		return mosLevels[lv](e, card, env)
	} else if ok && lv != 1 && lv != 2 && lv != 3 && lv != 6 {
		return nil, elementError(e, "MOSFET level %g (%s) is not supported: levels 1 (Shichman-Hodges), 2, 3, 4 (BSIM1), 5 (BSIM2), 6, 8, 49, 14 and 54 are", lv, where)
	}
	var mod mosModelCard
	if err := mod.paramsFor(card).apply(card.Params, where); err != nil {
		return nil, err
	}
	if mod.level == 2 || mod.level == 3 {
		mod.defaults3() // level 2's are level 3's
	}
	var inst mosInstanceCard
	if err := inst.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	if !inst.lGiven && mod.lGiven {
		inst.l = mod.l
	}
	if !inst.wGiven && mod.wGiven {
		inst.w = mod.w
	}
	dev := &MOSFET{name: e.Name, ic: inst.ic, icGiven: inst.icGiven}
	copy(dev.nodes[:], e.Nodes)
	typ, off, err := mosElement(e, card, &dev.ic, &dev.icGiven)
	if err != nil {
		return nil, err
	}
	dev.typ, dev.off = typ, off
	if err := dev.derive(e, &mod, &inst, env, where); err != nil {
		return nil, err
	}
	return dev, nil
}

// derive computes the model's defaults and derived values and the instance's constants at
// its temperature, as ngspice's mos1set.c and mos1temp.c do.
func (d *MOSFET) derive(e *parser.Element, mod *mosModelCard, inst *mosInstanceCard, env Env, where string) error {
	typ := d.typ
	switch {
	case mod.phi <= 0:
		return elementError(e, "phi must be positive, got %g (%s)", mod.phi, where)
	case mod.tox < 0:
		return elementError(e, "tox must not be negative, got %g (%s)", mod.tox, where)
	case mod.pb <= 0:
		return elementError(e, "pb must be positive, got %g (%s)", mod.pb, where)
	case mod.fc >= 1:
		return elementError(e, "fc must be below 1, got %g (%s)", mod.fc, where)
	case mod.mj == 1 || mod.mjsw == 1:
		return elementError(e, "the grading coefficients mj and mjsw must not be 1 (%s)", where)
	case mod.rd < 0 || mod.rs < 0 || mod.rsh < 0:
		return elementError(e, "rd, rs and rsh must not be negative (%s)", where)
	case mod.is < 0 || mod.js < 0:
		return elementError(e, "is and js must not be negative (%s)", where)
	case !(inst.l > 0) || !(inst.w > 0) || !(inst.m > 0):
		return elementError(e, "l, w and m must be positive, got l=%g w=%g m=%g", inst.l, inst.w, inst.m)
	case inst.ad < 0 || inst.as < 0 || inst.pd < 0 || inst.ps < 0 || inst.nrd < 0 || inst.nrs < 0:
		return elementError(e, "ad, as, pd, ps, nrd and nrs must not be negative")
	}
	leff := inst.l - 2*mod.ld + mod.lv3.xl
	if !(leff > 0) {
		return elementError(e, "effective channel length l - 2*ld + xl = %g is not positive (%s)", leff, where)
	}
	weff := inst.w - 2*mod.lv3.wd + mod.lv3.xw // w for level 1
	if !(weff > 0) {
		return elementError(e, "effective channel width w - 2*wd + xw = %g is not positive (%s)", weff, where)
	}

	// Model: process parameters give kp, phi, gamma and vto where those are not given.
	tnom := env.TNom + mosCtoK
	if mod.tnomGiven {
		tnom = mod.tnom + mosCtoK
	}
	vtnom := tnom * mosKoverQ
	fact1 := tnom / mosRefTemp
	egfet1 := 1.16 - (7.02e-4*tnom*tnom)/(tnom+1108)
	arg1 := -egfet1/(2*mosBoltz*tnom) + 1.1150877/(mosBoltz*(2*mosRefTemp))
	pbfact1 := -2 * vtnom * (1.5*math.Log(fact1) + mosCharge*arg1)

	coxFactor := 0.0 // oxide capacitance per area
	kp, phi, gamma, vto := mod.kp, mod.phi, mod.gamma, mod.vto
	if mod.toxGiven && mod.tox != 0 {
		coxFactor = 3.9 * mosEps0 / mod.tox
		if !mod.kpGiven {
			kp = mod.u0 * coxFactor * 1e-4
		}
		if mod.nsubGiven {
			if !(mod.nsub*1e6 > 1.45e16) {
				return elementError(e, "nsub = %g is not above the intrinsic density 1.45e10 /cm^3 (%s)", mod.nsub, where)
			}
			if !mod.phiGiven {
				phi = math.Max(0.1, 2*vtnom*math.Log(mod.nsub*1e6/mosIntrinsic(mod, tnom)))
			}
			fermis := typ * 0.5 * phi
			wkfng := 3.2
			if tpg := math.Trunc(mod.tpg); tpg != 0 { // an integer parameter in ngspice
				fermig := typ * tpg * 0.5 * egfet1
				wkfng = 3.25 + 0.5*egfet1 - fermig
			}
			wkfngs := wkfng - (3.25 + 0.5*egfet1 + fermis)
			if !mod.gammaGiven {
				gamma = math.Sqrt(2*11.70*mosEps0*mosCharge*mod.nsub*1e6) / coxFactor
			}
			if !mod.vtoGiven {
				vfb := wkfngs - mod.nss*1e4*mosCharge/coxFactor
				vto = vfb + typ*(gamma*math.Sqrt(phi)+phi)
			}
		}
	}
	if mod.level == 6 {
		kp = mod.saturationFactor6(coxFactor) // kc: beta's factor at level 6
	}

	// Instance at its temperature.
	temp := env.Temp + mosCtoK + inst.dtemp
	if inst.tempGiven {
		temp = inst.temp + mosCtoK
	}
	vt := temp * mosKoverQ
	ratio := temp / tnom
	fact2 := temp / mosRefTemp
	egfet := 1.16 - (7.02e-4*temp*temp)/(temp+1108)
	arg := -egfet/(2*mosBoltz*temp) + 1.1150877/(mosBoltz*(2*mosRefTemp))
	pbfact := -2 * vt * (1.5*math.Log(fact2) + mosCharge*arg)

	tkp := kp / (ratio * math.Sqrt(ratio))
	phio := (phi - pbfact1) / fact1
	tphi := fact2*phio + pbfact
	if !(tphi > 0) {
		return elementError(e, "the surface potential at %g C is not positive (%g V)", temp-mosCtoK, tphi)
	}
	tvbi := mod.lv3.delvt0 + vto - typ*(gamma*math.Sqrt(phi)) + 0.5*(egfet1-egfet) + typ*0.5*(tphi-phi)
	d.vt, d.phi, d.vbi, d.gamma, d.lambda = vt, tphi, tvbi, gamma, mod.lambda
	d.vto = tvbi + typ*gamma*math.Sqrt(tphi)
	satFactor := math.Exp(-egfet/vt + egfet1/vtnom)
	tSatCur := mod.is * satFactor
	tSatCurDens := mod.js * satFactor

	pbo := (mod.pb - pbfact1) / fact1
	gmaold := (mod.pb - pbo) / pbo
	tBulkPot := fact2*pbo + pbfact
	gmanew := (tBulkPot - pbo) / pbo
	// Each capacitance scales by how the grading coefficient's (1 + m(4e-4 (T - Tref) - gma))
	// changes between tnom and the device temperature.
	capScale := func(grading float64) float64 {
		return (1 + grading*(4e-4*(temp-mosRefTemp)-gmanew)) / (1 + grading*(4e-4*(tnom-mosRefTemp)-gmaold))
	}
	bottom, side := capScale(mod.mj), capScale(mod.mjsw)
	if !(tBulkPot > 0) {
		return elementError(e, "the bulk junction potential at %g C is not positive (%g V)", temp-mosCtoK, tBulkPot)
	}

	m := inst.m
	d.beta = tkp * m * weff / leff
	d.oxideCap = coxFactor * leff * m * weff
	d.flicker, d.af = mosFlicker(mod, inst.w-2*mod.lv3.wd, inst.l-2*mod.ld, m), mod.af // noise.go
	d.overlap = [3]float64{mod.cgso * m * weff, mod.cgdo * m * weff, mod.cgbo * m * leff}
	isd, iss := m*tSatCur, m*tSatCur
	if tSatCurDens != 0 && inst.ad != 0 && inst.as != 0 {
		isd, iss = m*tSatCurDens*inst.ad, m*tSatCurDens*inst.as
	}
	d.diodes = [2]mosDiode{newMOSDiode(isd, vt), newMOSDiode(iss, vt)}
	if mod.level == 3 {
		d.diodes[0].cubic, d.diodes[1].cubic = true, true
	}
	d.vcritD = vt * math.Log(vt/(math.Sqrt2*isd))
	d.vcritS = vt * math.Log(vt/(math.Sqrt2*iss))

	// Zero-bias junction capacitances: cbd/cbs, else cj times the area; cjsw times the perimeter.
	junction := func(c0 float64, c0Given bool, area, perim float64) mosDepletion {
		j := mosDepletion{pb: tBulkPot, mj: mod.mj, mjsw: mod.mjsw, depCap: mod.fc * tBulkPot}
		switch {
		case c0Given:
			j.cz = c0 * bottom * m
		case mod.cjGiven:
			j.cz = mod.cj * bottom * area * m
		}
		if mod.cjswGiven {
			j.czsw = mod.cjsw * side * perim * m
		}
		a := 1 - mod.fc
		sarg := math.Exp(-mod.mj * math.Log(a))
		sargsw := math.Exp(-mod.mjsw * math.Log(a))
		j.f2 = j.cz*(1-mod.fc*(1+mod.mj))*sarg/a + j.czsw*(1-mod.fc*(1+mod.mjsw))*sargsw/a
		j.f3 = j.cz*mod.mj*sarg/a/tBulkPot + j.czsw*mod.mjsw*sargsw/a/tBulkPot
		j.f4 = j.cz*tBulkPot*(1-a*sarg)/(1-mod.mj) + j.czsw*tBulkPot*(1-a*sargsw)/(1-mod.mjsw) -
			j.f3/2*j.depCap*j.depCap - j.depCap*j.f2
		j.invPb = 1 / tBulkPot
		j.qz, j.qzsw = tBulkPot*j.cz/(1-mod.mj), tBulkPot*j.czsw/(1-mod.mjsw)
		return j
	}
	d.junctions[0] = junction(mod.cbd, mod.cbdGiven, inst.ad, inst.pd)
	d.junctions[1] = junction(mod.cbs, mod.cbsGiven, inst.as, inst.ps)

	// Series resistances: rd, rs (even when 0) win over rsh times the squares.
	series := func(r float64, rGiven bool, squares float64) float64 {
		switch {
		case rGiven && r != 0:
			return m / r
		case !rGiven && mod.rsh != 0 && squares != 0:
			return m / (mod.rsh * squares)
		}
		return 0
	}
	d.gd = series(mod.rd, mod.rdGiven, inst.nrd)
	d.gs = series(mod.rs, mod.rsGiven, inst.nrs)

	d.sqrtPhi = math.Sqrt(d.phi)
	cox := d.oxideCap
	d.meyerK = mosMeyerConstants{cox / 2, cox / (2 * d.phi), cox / (1.5 * d.phi), cox / 3}
	d.hasMeyer = d.oxideCap != 0 || d.overlap != [3]float64{}
	d.hasCharge = d.hasMeyer || d.junctions[0].hasCharge() || d.junctions[1].hasCharge()
	if mod.level == 3 {
		d.derive3(mod, coxFactor, leff, weff, m, ratio)
	}
	if mod.level == 2 {
		d.derive2(mod, coxFactor, leff, weff, m, tBulkPot)
	}
	if mod.level == 6 {
		d.derive6(mod)
	}
	return nil
}

// mosNodes are a four-terminal MOSFET's unknowns and matrix entries: the terminals d', g,
// s', b (d', s' internal behind drain and source resistances), the external drain and
// source, and the resistances' entries.
type mosNodes struct {
	t                                [4]int
	h                                [4][4]mna.Handle
	dExt, sExt                       int
	hdd, hddp, hdpd, hss, hssp, hsps mna.Handle
}

// setupNodes reserves the unknowns of nodes (d, g, s, b) of the device name, with internal
// drain and source nodes when it has those resistances, and the entries.
func (n *mosNodes) setupNodes(b *mna.Builder, name string, nodes *[4]string, rd, rs bool) {
	n.dExt = b.Node(nodes[0])
	n.t[mosG] = b.Node(nodes[1])
	n.sExt = b.Node(nodes[2])
	n.t[mosB] = b.Node(nodes[3])
	n.t[mosD], n.t[mosS] = n.dExt, n.sExt
	if rd {
		n.t[mosD] = b.InternalNode(name, "drain")
	}
	if rs {
		n.t[mosS] = b.InternalNode(name, "source")
	}
	for r := range n.t {
		for c := range n.t {
			n.h[r][c] = b.Entry(n.t[r], n.t[c])
		}
	}
	if rd {
		n.hdd, n.hddp, n.hdpd = b.Entry(n.dExt, n.dExt), b.Entry(n.dExt, n.t[mosD]), b.Entry(n.t[mosD], n.dExt)
	}
	if rs {
		n.hss, n.hssp, n.hsps = b.Entry(n.sExt, n.sExt), b.Entry(n.sExt, n.t[mosS]), b.Entry(n.t[mosS], n.sExt)
	}
}

// mosElement reads what every MOSFET's line has besides its parameters: the channel type
// of its card (+1 n, -1 p), the off flag, and IC=vds,vgs,vbs over the values in ic.
func mosElement(e *parser.Element, card *parser.Model, ic *[3]float64, icGiven *[3]bool) (typ float64, off bool, err error) {
	typ = 1
	if card.Type == "pmos" {
		typ = -1
	}
	for _, a := range e.Args() {
		if a.IsNumber || a.Word != "off" {
			return 0, false, parser.Errorf(a.Pos, "%s: unexpected %q", e.Name, argText(a))
		}
		off = true
	}
	list, _, _ := icList(e)
	for k := range min(len(list), 3) {
		ic[k], icGiven[k] = list[k], true
	}
	return typ, off, nil
}

// modelLevel is the level= of a model card, if given.
func modelLevel(card *parser.Model) (float64, bool) {
	for _, pr := range card.Params {
		if pr.Name == "level" {
			return pr.Value, true
		}
	}
	return 0, false
}

func (d *MOSFET) Name() string { return d.name }

func (d *MOSFET) Setup(b *mna.Builder) {
	d.setupNodes(b, d.name, &d.nodes, d.gd != 0, d.gs != 0)
	// CMOS logic ties every source to its bulk: the bulk-source diode then carries no
	// current into the circuit, and the two rows and columns are one.
	d.tie = mosTieNone
	td, tg, ts := d.t[mosD], d.t[mosG], d.t[mosS]
	if ts == d.t[mosB] && td != ts && tg != ts && td != tg && td != mna.Ground && tg != mna.Ground {
		d.tie = mosTieSB
		if ts == mna.Ground {
			d.tie = mosTieSBGround
		}
	}
}

// mosPoint is the device evaluated at one set of n-channel-frame voltages. Partial
// derivatives are listed by vgs, vds, vbs.
type mosPoint struct {
	vgs, vds, vbs float64
	mode          float64 // +1, or -1 when vds < 0 and drain and source swap roles
	von, dvon     float64 // threshold, and its derivative by the (local) bulk voltage
	vgst, vdsLoc  float64 // gate overdrive and drain-source voltage in the local frame
	vdsat         float64 // level 2, 3 and 6's saturation voltage (level 1's is vgst)
	id            float64 // channel current, drain to source
	did           [3]float64
	ibs, gbs      float64
	ibd, gbd      float64
}

// channel computes the threshold and the channel current with their derivatives.
func (d *MOSFET) channel(pt *mosPoint) {
	if d.lv3 != nil {
		d.channel3(pt)
		return
	}
	if d.lv2 != nil {
		d.channel2(pt)
		return
	}
	if d.lv6 != nil {
		d.channel6(pt)
		return
	}
	vgs, vds, vbs := pt.vgs, pt.vds, pt.vbs
	pt.mode = 1
	vgLoc, vbLoc := vgs, vbs
	if vds < 0 {
		pt.mode = -1
		vgLoc, vbLoc = vgs-vds, vbs-vds
	}
	var sarg, dsarg float64
	switch {
	case vbLoc == 0: // the source tied to the bulk
		sarg = d.sqrtPhi
		dsarg = -0.5 / sarg
	case vbLoc < 0:
		sarg = math.Sqrt(d.phi - vbLoc)
		dsarg = -0.5 / sarg
	default:
		// Above zero bias the square root is continued by its tangent, down to zero.
		sphi := d.sqrtPhi
		sarg = sphi - vbLoc/(2*sphi)
		dsarg = -0.5 / sphi
		if sarg < 0 {
			sarg, dsarg = 0, 0
		}
	}
	pt.von = d.typ*d.vbi + d.gamma*sarg
	pt.dvon = d.gamma * dsarg
	pt.vgst = vgLoc - pt.von
	y := vds * pt.mode
	pt.vdsLoc = y

	var cd, gx, gy float64 // local current and its derivatives by vgst and by y
	if x := pt.vgst; x > 0 {
		betap := d.beta * (1 + d.lambda*y)
		if x <= y { // saturation
			cd = betap * x * x * 0.5
			gx = betap * x
			gy = d.lambda * d.beta * x * x * 0.5
		} else { // linear region
			cd = betap * y * (x - 0.5*y)
			gx = betap * y
			gy = betap*(x-y) + d.lambda*d.beta*y*(x-0.5*y)
		}
	}
	if pt.mode > 0 {
		pt.id = cd
		pt.did = [3]float64{gx, gy, -gx * pt.dvon}
	} else {
		pt.id = -cd
		pt.did = [3]float64{-gx, gx*(1-pt.dvon) + gy, gx * pt.dvon}
	}
}

// mosDiode is a bulk junction's diode: saturation current isat at thermal voltage vt,
// with isat/vt, 1/vt and -3 vt derived once.
type mosDiode struct {
	isat, gsat, invVt, reverse float64
	cubic                      bool // below -3 vt SPICE's cubic approach to -isat (levels 2, 3)
}

func newMOSDiode(isat, vt float64) mosDiode {
	return mosDiode{isat: isat, gsat: isat / vt, invVt: 1 / vt, reverse: -3 * vt}
}

// current is the diode's current and conductance at v, with gmin across it.
func (j *mosDiode) current(v, gmin float64) (float64, float64) {
	if v <= j.reverse {
		if j.cubic {
			a := j.reverse / (v * math.E) // 3 vt / (|v| e), negative over negative
			a = -a * a * a
			return -j.isat*(1+a) + gmin*v, j.isat*3*a/v + gmin
		}
		return gmin*v - j.isat, gmin
	}
	if v == 0 { // a source tied to the bulk
		return 0, j.gsat + gmin
	}
	ev := fastExp(min(mosMaxExp, v*j.invVt))
	return j.isat*(ev-1) + gmin*v, j.gsat*ev + gmin
}

func (j *mosDepletion) hasCharge() bool { return j.cz != 0 || j.czsw != 0 }

// charge returns the depletion charge and capacitance of a junction at voltage v.
func (j *mosDepletion) charge(v float64) (float64, float64) {
	if !j.hasCharge() {
		return 0, 0
	}
	if v >= j.depCap {
		return j.f4 + v*(j.f2+v*j.f3/2), j.f2 + j.f3*v
	}
	if v == 0 { // a source tied to the bulk: no logarithm needed
		return 0, j.cz + j.czsw
	}
	// The grading powers arg^-mj and arg^-mjsw: one logarithm for both, a square root for
	// the common grading 0.5, and none for a part that is absent.
	arg := 1 - v*j.invPb
	var sarg, sargsw float64
	switch {
	case j.mj == 0.5 && j.mjsw == 0.5:
		sarg = 1 / math.Sqrt(arg)
		sargsw = sarg
	case j.czsw == 0:
		sarg = fastExp(-j.mj * fastLog(arg))
	case j.cz == 0:
		sargsw = fastExp(-j.mjsw * fastLog(arg))
	default:
		l := fastLog(arg)
		sarg = fastExp(-j.mj * l)
		sargsw = sarg
		if j.mjsw != j.mj {
			sargsw = fastExp(-j.mjsw * l)
		}
	}
	return j.qz*(1-arg*sarg) + j.qzsw*(1-arg*sargsw), j.cz*sarg + j.czsw*sargsw
}

// mosMeyerLocal are Meyer's half capacitances in the local frame (the source the lower
// of drain and source): gate-source c0, gate-drain c1, gate-bulk c2 (ngspice's DEVqmeyer:
// half of the bias-dependent part, the other half comes from the previous accepted
// point), with their derivatives by the overdrive x and the drain-source voltage y (c2
// does not depend on y).
type mosMeyerLocal struct {
	c0, c1, c2, dx0, dx1, dx2, dy0, dy1 float64
}

// meyer returns Meyer's half capacitances at a point, in the local frame.
func (d *MOSFET) meyer(pt *mosPoint) (l mosMeyerLocal) {
	if d.oxideCap == 0 {
		return
	}
	const magicVDS = 0.025
	k := &d.meyerK
	phi := d.phi
	x, y := pt.vgst, pt.vdsLoc // y >= 0 by the choice of mode
	switch {
	case x <= -phi:
		l.c2 = k.half
	case x <= -phi/2:
		l.c2, l.dx2 = -x*k.bulkSlope, -k.bulkSlope
	case x <= 0:
		l.c2, l.dx2 = -x*k.bulkSlope, -k.bulkSlope
		c0, dc0 := x*k.sourceSlope+k.third, k.sourceSlope
		ds := magicVDS
		if y >= ds {
			l.c0, l.dx0 = c0, dc0
		} else {
			a, b := 2*ds-y, ds-y
			ia2 := 1 / (a * a)
			t := 2 * c0 * ia2 / a
			fd, fs := 1-ds*ds*ia2, 1-b*b*ia2
			l.c1, l.dx1, l.dy1 = c0*fd, dc0*fd, -t*ds*ds
			l.c0, l.dx0, l.dy0 = c0*fs, dc0*fs, t*b*ds
		}
	default:
		ds, dds := x, 1.0
		if d.lv3 != nil || d.lv2 != nil || d.lv6 != nil {
			ds = pt.vdsat // its slope by x left out: it only moves the Newton iterates
		}
		if ds < magicVDS {
			ds, dds = magicVDS, 0
		}
		c3 := k.third
		if ds <= y {
			l.c0 = c3
		} else {
			a, b := 2*ds-y, ds-y
			ia2 := 1 / (a * a)
			t := 2 * c3 * ia2 / a
			l.c1, l.dy1, l.dx1 = c3*(1-ds*ds*ia2), -t*ds*ds, dds*t*ds*y
			l.c0, l.dy0, l.dx0 = c3*(1-b*b*ia2), t*b*ds, -dds*t*b*y
		}
	}
	return
}

// meyerHalves are Meyer's half capacitances gate-source, gate-drain, gate-bulk at a point.
func (d *MOSFET) meyerHalves(pt *mosPoint) [3]float64 {
	l := d.meyer(pt)
	if pt.mode < 0 { // the local source is the drain
		return [3]float64{l.c1, l.c0, l.c2}
	}
	return [3]float64{l.c0, l.c1, l.c2}
}

// initialVoltages are SPICE's starting voltages for an operating point from zero: IC=
// where given, else vbs = -1, vgs = vto, vds = 0; an off device starts at zero.
func (d *MOSFET) initialVoltages() (vgs, vds, vbs float64) {
	if d.off {
		return 0, 0, 0
	}
	vds, vgs, vbs = d.typ*d.ic[0], d.typ*d.ic[1], d.typ*d.ic[2]
	if vds == 0 && vgs == 0 && vbs == 0 {
		return d.typ * d.vto, 0, -1
	}
	return vgs, vds, vbs
}

// uicVoltages are the voltages a uic transient starts the device from: IC= where given,
// else those of the nodes (.ic values) across the external terminals, as ngspice's
// MOS1getic takes them; zero for an off device, as ngspice's MODEINITJCT load has it.
func (d *MOSFET) uicVoltages(x []float64) (vgs, vds, vbs float64) {
	if d.off {
		return 0, 0, 0
	}
	vs := x[d.sExt]
	v := [3]float64{x[d.dExt] - vs, x[d.t[mosG]] - vs, x[d.t[mosB]] - vs}
	for k := range v {
		if d.icGiven[k] {
			v[k] = d.ic[k]
		}
	}
	return d.typ * v[1], d.typ * v[0], d.typ * v[2]
}

// limit applies ngspice's fetlim, limvds and pnjlim to the new voltages against those of
// the previous evaluation, in ngspice's order; it reports whether any changed.
func (d *mosRun) limit(vgs, vds, vbs float64) (float64, float64, float64, bool) {
	old := mosLimitFrom{vgs: d.ev.vgs, vds: d.ev.vds, vbs: d.ev.vbs, vbd: d.ev.vbd, von: d.vonOld}
	return old.limit(vgs, vds, vbs, d.vt, d.vcritS, d.vcritD)
}

// mosLimitFrom is what a MOSFET's limiting starts from: the voltages of its last
// evaluation (n-channel frame) and its threshold there.
type mosLimitFrom struct{ vgs, vds, vbs, vbd, von float64 }

// limit is SPICE's limiting of a MOSFET's new voltages vgs, vds, vbs against o: fetlim
// on vgs (vgd with drain and source swapped) about the threshold, limvds on vds, pnjlim
// on vbs (vbd) at thermal voltage vt with the junctions' critical voltages vcritS,
// vcritD, in ngspice's order; it reports whether any changed.
func (o mosLimitFrom) limit(vgs, vds, vbs, vt, vcritS, vcritD float64) (float64, float64, float64, bool) {
	vgd := vgs - vds
	lgs, lds, lbs := vgs, vds, vbs
	var c1, c2, c3 bool
	if o.vds >= 0 {
		lgs, c1 = mosFetLim(vgs, o.vgs, o.von)
		if c1 {
			lds = lgs - vgd
		}
		lds, c2 = mosLimVDS(lds, o.vds)
	} else {
		var lgd, l float64
		lgd, c1 = mosFetLim(vgd, o.vgs-o.vds, o.von)
		if c1 {
			lds = vgs - lgd
		}
		l, c2 = mosLimVDS(-lds, -o.vds)
		lds = -l
		if c1 || c2 {
			lgs = lgd + lds
		}
	}
	if lds >= 0 {
		lbs, c3 = mosPNJLim(vbs, o.vbs, vt, vcritS)
	} else {
		// ngspice limits vbd here and keeps it, moving vbs with a limited vds.
		lbd, c := mosPNJLim(vbs-vds, o.vbd, vt, vcritD)
		c3 = c
		if c1 || c2 || c3 {
			lbs = lbd + lds
		}
	}
	return lgs, lds, lbs, c1 || c2 || c3
}

// mosFetLim is ngspice's DEVfetlim: it limits the change of a gate voltage near the threshold.
func mosFetLim(vnew, vold, vto float64) (float64, bool) {
	v := vnew
	vtsthi := math.Abs(2*(vold-vto)) + 2
	vtstlo := math.Abs(vold-vto) + 1
	vtox := vto + 3.5
	delv := vnew - vold
	if vold >= vto {
		if vold >= vtox {
			if delv <= 0 { // going off
				if vnew >= vtox {
					if -delv > vtstlo {
						v = vold - vtstlo
					}
				} else {
					v = max(vnew, vto+2)
				}
			} else if delv >= vtsthi { // staying on
				v = vold + vtsthi
			}
		} else if delv <= 0 { // middle region, decreasing
			v = max(vnew, vto-0.5)
		} else { // middle region, increasing
			v = min(vnew, vto+4)
		}
	} else if delv <= 0 { // off
		if -delv > vtsthi {
			v = vold - vtsthi
		}
	} else if vtemp := vto + 0.5; vnew <= vtemp {
		if delv > vtstlo {
			v = vold + vtstlo
		}
	} else {
		v = vtemp
	}
	return v, v != vnew
}

// mosLimVDS is ngspice's DEVlimvds: it limits the change of the drain-source voltage.
func mosLimVDS(vnew, vold float64) (float64, bool) {
	v := vnew
	if vold >= 3.5 {
		if vnew > vold {
			v = min(vnew, 3*vold+2)
		} else if vnew < 3.5 {
			v = max(vnew, 2)
		}
	} else if vnew > vold {
		v = min(vnew, 4)
	} else {
		v = max(vnew, -0.5)
	}
	return v, v != vnew
}

// mosPNJLim is ngspice's DEVpnjlim (with Alan Gillespie's limiting of negative voltages).
func mosPNJLim(vnew, vold, vt, vcrit float64) (float64, bool) {
	if vnew > vcrit && math.Abs(vnew-vold) > 2*vt {
		if vold > 0 {
			if arg := (vnew - vold) / vt; arg > 0 {
				return vold + vt*(2+math.Log(arg-2)), true
			} else {
				return vold - vt*(2+math.Log(2-arg)), true
			}
		}
		return vt * math.Log(vnew/vt), true
	}
	if vnew < 0 {
		arg := 2*vold - 1
		if vold > 0 {
			arg = -vold - 1
		}
		if vnew < arg {
			return arg, true
		}
	}
	return vnew, false
}

// mosEval is one full evaluation of the device: at the voltages it was made at (after
// limiting, in the n-channel frame), the channel and junction currents, the charges, and
// their derivatives. The device keeps its last one: a load at the same voltages stamps
// it again, and with bypass on, so does a load close to them, carried to the new X.
type mosEval struct {
	vgs, vds, vbs, vbd float64
	id, ag, ad, ab     float64 // channel current, drain to source, by vgs, vds, vbs
	ibs, gbs, ibd, gbd float64 // junction currents (ibs, gbs 0 with source and bulk tied)
	qbs, cbs, qbd, cbd float64 // depletion charges (likewise)
	mc                 mosMeyerCharges
}

// mosBypass is ngspice's bypass (CKTbypass) of one device: its tolerances.
type mosBypass struct {
	relTol, vnTol, absTol float64
}

// SetBypass turns device bypass on (BypassAll) or off, as ngspice's .options bypass does
// (ngspice's default, and gospice's for these levels, is off): a load in which no controlling voltage moved by more than
// reltol*max(|v|, |v_prev|) + vntol since the last full evaluation, and in which the
// currents that evaluation predicts moved by less than reltol*max + abstol, reuses it,
// carried along its tangents to X.
func (d *MOSFET) SetBypass(mode BypassMode, relTol, vnTol, absTol float64) {
	d.by = nil
	if mode == BypassAll {
		d.by = &mosBypass{relTol: relTol, vnTol: vnTol, absTol: absTol}
	}
}

// Bypassed is the number of loads that reused an evaluation through bypass (not counting
// the loads at exactly the evaluated voltages, which always reuse it).
func (d *mosRun) Bypassed() int { return d.bypassed }

// Load evaluates the device at X, or at SPICE's initial or limited voltages carried to X
// along their tangents, and adds its currents and (outside .op) charges.
//
// A load at exactly the voltages of the last evaluation, within one Newton solve, stamps
// that evaluation again: evaluating anew would give the same values to the bit (nothing
// to limit, the same analysis, gmin and Meyer history). Some third of the loads of a
// large digital circuit are such, at the nodes a time step leaves alone. With bypass on,
// a load close enough to the last evaluation carries it to X instead.
func (d *mosRun) Load(ctx *Context) {
	x := ctx.X
	vsX := x[d.t[mosS]]
	vX := [3]float64{ // vgs, vds, vbs at X
		d.typ * (x[d.t[mosG]] - vsX),
		d.typ * (x[d.t[mosD]] - vsX),
		d.typ * (x[d.t[mosB]] - vsX),
	}
	ev := &d.ev
	if d.evAtX && !ctx.FirstIteration && !ctx.InitJunctions && !ctx.UIC &&
		ctx.Mode == d.evMode && ctx.Gmin == d.evGmin {
		if vX[0] == ev.vgs && vX[1] == ev.vds && vX[2] == ev.vbs {
			d.stamp(ctx, ev, &vX, false)
			return
		}
		if d.by != nil && d.bypass(ctx, &vX) {
			d.bypassed++
			d.stamp(ctx, ev, &vX, true)
			return
		}
	}
	linearize := d.evaluate(ctx, &vX, ev)
	// An evaluation away from X (SPICE's initial voltages, or limited ones) is not
	// reused: the next load evaluates again.
	d.evAtX, d.evMode, d.evGmin = !linearize, ctx.Mode, ctx.Gmin
	d.stamp(ctx, ev, &vX, linearize)
}

// evaluate makes a full evaluation into ev, at X or at SPICE's initial or limited
// voltages; it reports whether those differ from X, so that the values must be carried
// to X along their tangents.
func (d *mosRun) evaluate(ctx *Context, vX *[3]float64, ev *mosEval) bool {
	d.evals++
	pt := mosPoint{vgs: vX[0], vds: vX[1], vbs: vX[2]}
	linearize := false
	switch {
	case ctx.UIC:
		pt.vgs, pt.vds, pt.vbs = d.uicVoltages(ctx.X)
	case ctx.FirstIteration && ctx.InitJunctions:
		pt.vgs, pt.vds, pt.vbs = d.initialVoltages()
		ctx.Limited = true
		linearize = true
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		var limited bool
		pt.vgs, pt.vds, pt.vbs, limited = d.limit(vX[0], vX[1], vX[2])
		if limited {
			ctx.Limited = true
			linearize = true
		}
	}

	d.channel(&pt)
	vbd := pt.vbs - pt.vds
	// A junction whose voltage did not move since the last evaluation keeps its current
	// (at the same gmin) and its charge (if that evaluation had charges): the same values
	// to the bit, without their exponentials and logarithm. The bulk-drain junction of a
	// gate whose output holds while its input moves is such.
	sameBD := d.evals > 1 && vbd == ev.vbd
	sameBS := d.evals > 1 && pt.vbs == ev.vbs
	sameGmin := ctx.Gmin == d.evGmin
	ev.vgs, ev.vds, ev.vbs, ev.vbd = pt.vgs, pt.vds, pt.vbs, vbd
	ev.id, ev.ag, ev.ad, ev.ab = pt.id, pt.did[0], pt.did[1], pt.did[2]
	// With source and bulk tied, the bulk-source diode's current and charge stay inside
	// the node: the stamps leave them out.
	if d.tie != mosTieNone {
		ev.ibs, ev.gbs = 0, 0
	} else if !sameBS || !sameGmin {
		ev.ibs, ev.gbs = d.diodes[1].current(pt.vbs, ctx.Gmin)
	}
	if !sameBD || !sameGmin {
		ev.ibd, ev.gbd = d.diodes[0].current(vbd, ctx.Gmin)
	}
	d.vonOld = pt.von

	charged := d.evCharged
	d.evCharged = ctx.Mode != ModeOP && d.hasCharge
	if !d.evCharged {
		return linearize
	}
	if !sameBD || !charged {
		ev.qbd, ev.cbd = d.junctions[0].charge(vbd)
	}
	if d.tie != mosTieNone {
		ev.qbs, ev.cbs = 0, 0
	} else if !sameBS || !charged {
		ev.qbs, ev.cbs = d.junctions[1].charge(pt.vbs)
	}
	if d.hasMeyer {
		d.meyerCharges(ctx, &pt, &ev.mc, &d.half)
	}
	return linearize
}

// bypass reports whether the last evaluation may stand for one at vX: ngspice's test on
// the voltages and on the currents it predicts. Load has checked that the evaluation was
// made at its X in this solve (so never on a first iteration: SPICE's initial voltages,
// or a new solve, at a new time point, source or gmin step; nor after an Accept);
// besides, never at the transient's initial point or in AC.
func (d *mosRun) bypass(ctx *Context, vX *[3]float64) bool {
	if ctx.Mode == ModeTranOP || ctx.Mode == ModeAC {
		return false
	}
	ev, by := &d.ev, d.by
	rel, vn := by.relTol, by.vnTol
	near := func(v, old float64) bool {
		return math.Abs(v-old) < rel*max(math.Abs(v), math.Abs(old))+vn
	}
	vbdX := vX[2] - vX[1]
	if !near(vX[0], ev.vgs) || !near(vX[1], ev.vds) || !near(vX[2], ev.vbs) || !near(vbdX, ev.vbd) {
		return false
	}
	dv0, dv1, dv2, dvbd := vX[0]-ev.vgs, vX[1]-ev.vds, vX[2]-ev.vbs, vbdX-ev.vbd
	// The drain current (channel less the bulk-drain diode) and the bulk current.
	cd := ev.id - ev.ibd
	cdhat := cd + ev.ag*dv0 + ev.ad*dv1 + ev.ab*dv2 - ev.gbd*dvbd
	cb := ev.ibs + ev.ibd
	cbhat := cb + ev.gbs*dv2 + ev.gbd*dvbd
	abs := by.absTol
	return math.Abs(cdhat-cd) < rel*max(math.Abs(cdhat), math.Abs(cd))+abs &&
		math.Abs(cbhat-cb) < rel*max(math.Abs(cbhat), math.Abs(cb))+abs
}

// stamp writes ev into F, G and (outside .op) Q, C, carried to vX along its tangents
// when linearize is set.
//
// Each matrix entry is written once, in the order row d', g, s', b and within a row the
// same column order, with every sum formed in a fixed order: a load is then reproducible
// to the bit whatever the nodes the terminals share.
func (d *MOSFET) stamp(ctx *Context, ev *mosEval, vX *[3]float64, linearize bool) {
	var dv0, dv1, dv2 float64
	id, ag, ad, ab := ev.id, ev.ag, ev.ad, ev.ab
	ibs, gbs, ibd, gbd := ev.ibs, ev.gbs, ev.ibd, ev.gbd
	if linearize {
		dv0, dv1, dv2 = vX[0]-ev.vgs, vX[1]-ev.vds, vX[2]-ev.vbs
		id += ag*dv0 + ad*dv1 + ab*dv2
		ibs += gbs * dv2
		ibd += gbd*dv2 - gbd*dv1
	}
	switch d.tie {
	case mosTieSBGround:
		F, G := ctx.F, ctx.G
		F[d.t[mosD]] += d.typ * (id - ibd)
		G[d.h[mosD][mosD]] += ad + gbd
		G[d.h[mosD][mosG]] += ag
	case mosTieSB:
		d.stampCurrentsTied(ctx, id, ag, ad, ibd, gbd)
	default:
		d.stampCurrents(ctx, id, ag, ad, ab, ibs, gbs, ibd, gbd)
	}
	if d.gd != 0 || d.gs != 0 {
		d.stampResistors(ctx)
	}
	if ctx.Mode == ModeOP || !d.hasCharge {
		return
	}

	qbs, cbs, qbd, cbd := ev.qbs, ev.cbs, ev.qbd, ev.cbd
	mc := &ev.mc
	if linearize {
		qbs += cbs * dv2
		qbd += cbd*dv2 - cbd*dv1
		if d.hasMeyer {
			var lin mosMeyerCharges
			lin.dq = mc.dq
			for k := range mc.q {
				lin.q[k] = mc.q[k] + (mc.dq[k][0]*dv0 + mc.dq[k][1]*dv1 + mc.dq[k][2]*dv2)
			}
			mc = &lin
		}
	}
	switch {
	case d.tie == mosTieSBGround:
		d.stampChargesGrounded(ctx, qbd, cbd, mc)
	case d.tie == mosTieSB:
		d.stampChargesTied(ctx, qbd, cbd, mc)
	case d.hasMeyer:
		d.stampCharges(ctx, qbs, cbs, qbd, cbd, mc)
	default:
		d.stampJunctionCharges(ctx, qbs, cbs, qbd, cbd)
	}
}

// stampCurrents writes the channel current id (drain to source, derivatives ag, ad, ab by
// vgs, vds, vbs) and the bulk-source and bulk-drain diode currents with their
// conductances into F and G.
func (d *MOSFET) stampCurrents(ctx *Context, id, ag, ad, ab, ibs, gbs, ibd, gbd float64) {
	F, G := ctx.F, ctx.G
	h := &d.h
	typ := d.typ
	dsc := -(ag + ad + ab) // the channel's derivative by the source voltage

	F[d.t[mosD]] += typ * (id - ibd)
	G[h[mosD][mosD]] += ad + gbd
	G[h[mosD][mosG]] += ag
	G[h[mosD][mosS]] += dsc
	G[h[mosD][mosB]] += ab - gbd
	F[d.t[mosS]] += typ * (-id - ibs)
	G[h[mosS][mosD]] += -ad
	G[h[mosS][mosG]] += -ag
	G[h[mosS][mosS]] += -dsc + gbs
	G[h[mosS][mosB]] += -ab - gbs
	F[d.t[mosB]] += typ * (ibs + ibd)
	G[h[mosB][mosD]] += -gbd
	G[h[mosB][mosS]] += -gbs
	G[h[mosB][mosB]] += gbs + gbd
}

// stampCurrentsTied is stampCurrents with source and bulk on one node (mosTieSB): the
// derivatives by vs and vb add up, and what flows between the two stays inside.
func (d *MOSFET) stampCurrentsTied(ctx *Context, id, ag, ad, ibd, gbd float64) {
	F, G := ctx.F, ctx.G
	h := &d.h
	fd := d.typ * (id - ibd)
	gdg := ag + ad // the channel's derivative by vd and vg together: minus that by vs = vb
	F[d.t[mosD]] += fd
	G[h[mosD][mosD]] += ad + gbd
	G[h[mosD][mosG]] += ag
	G[h[mosD][mosS]] += -gdg - gbd
	F[d.t[mosS]] -= fd
	G[h[mosS][mosD]] += -ad - gbd
	G[h[mosS][mosG]] += -ag
	G[h[mosS][mosS]] += gdg + gbd
}

// stampResistors writes the drain and source series resistances.
func (d *MOSFET) stampResistors(ctx *Context) {
	if d.gd != 0 {
		stampSeries(ctx, d.gd, d.dExt, d.t[mosD], d.hdd, d.hddp, d.hdpd, d.h[mosD][mosD])
	}
	if d.gs != 0 {
		stampSeries(ctx, d.gs, d.sExt, d.t[mosS], d.hss, d.hssp, d.hsps, d.h[mosS][mosS])
	}
}

// stampJunctionCharges writes the bulk-source and bulk-drain depletion charges and
// capacitances into Q and C (a device without gate capacitances).
func (d *MOSFET) stampJunctionCharges(ctx *Context, qbs, cbs, qbd, cbd float64) {
	Q, C := ctx.Q, ctx.C
	h := &d.h
	typ := d.typ
	Q[d.t[mosD]] += typ * -qbd
	C[h[mosD][mosD]] += cbd
	C[h[mosD][mosB]] += -cbd
	Q[d.t[mosS]] += typ * -qbs
	C[h[mosS][mosS]] += cbs
	C[h[mosS][mosB]] += -cbs
	Q[d.t[mosB]] += typ * (qbs + qbd)
	C[h[mosB][mosD]] += -cbd
	C[h[mosB][mosS]] += -cbs
	C[h[mosB][mosB]] += cbs + cbd
}

// mosMeyerCharges are the gate-source, gate-drain and gate-bulk charges of one load, each
// flowing from the gate to the other terminal, with their derivatives by vgs, vds, vbs.
type mosMeyerCharges struct {
	q  [3]float64
	dq [3][3]float64
}

// stampCharges writes the depletion charges and Meyer's gate charges into Q and C.
func (d *MOSFET) stampCharges(ctx *Context, qbs, cbs, qbd, cbd float64, mc *mosMeyerCharges) {
	Q, C := ctx.Q, ctx.C
	h := &d.h
	typ := d.typ
	q0, q1, q2 := mc.q[0], mc.q[1], mc.q[2]
	dq0, dq1, dq2 := &mc.dq[0], &mc.dq[1], &mc.dq[2]
	// Each charge's derivative by the source voltage.
	ds0 := -(dq0[0] + dq0[1] + dq0[2])
	ds1 := -(dq1[0] + dq1[1] + dq1[2])
	ds2 := -(dq2[0] + dq2[1] + dq2[2])

	Q[d.t[mosD]] += typ * (-qbd - q1)
	C[h[mosD][mosD]] += cbd - dq1[1]
	C[h[mosD][mosG]] += -dq1[0]
	C[h[mosD][mosS]] += -ds1
	C[h[mosD][mosB]] += -cbd - dq1[2]
	Q[d.t[mosG]] += typ * (q0 + q1 + q2)
	C[h[mosG][mosD]] += dq0[1] + dq1[1] + dq2[1]
	C[h[mosG][mosG]] += dq0[0] + dq1[0] + dq2[0]
	C[h[mosG][mosS]] += ds0 + ds1 + ds2
	C[h[mosG][mosB]] += dq0[2] + dq1[2] + dq2[2]
	Q[d.t[mosS]] += typ * (-qbs - q0)
	C[h[mosS][mosD]] += -dq0[1]
	C[h[mosS][mosG]] += -dq0[0]
	C[h[mosS][mosS]] += cbs - ds0
	C[h[mosS][mosB]] += -cbs - dq0[2]
	Q[d.t[mosB]] += typ * (qbs + qbd - q2)
	C[h[mosB][mosD]] += -cbd - dq2[1]
	C[h[mosB][mosG]] += -dq2[0]
	C[h[mosB][mosS]] += -cbs - ds2
	C[h[mosB][mosB]] += cbs + cbd - dq2[2]
}

// stampChargesGrounded is stampCharges with source and bulk on ground (mosTieSBGround).
func (d *MOSFET) stampChargesGrounded(ctx *Context, qbd, cbd float64, mc *mosMeyerCharges) {
	Q, C := ctx.Q, ctx.C
	h := &d.h
	dq0, dq1, dq2 := &mc.dq[0], &mc.dq[1], &mc.dq[2]
	Q[d.t[mosD]] += d.typ * (-qbd - mc.q[1])
	C[h[mosD][mosD]] += cbd - dq1[1]
	C[h[mosD][mosG]] += -dq1[0]
	Q[d.t[mosG]] += d.typ * (mc.q[0] + mc.q[1] + mc.q[2])
	C[h[mosG][mosD]] += dq0[1] + dq1[1] + dq2[1]
	C[h[mosG][mosG]] += dq0[0] + dq1[0] + dq2[0]
}

// stampChargesTied is stampCharges with source and bulk on one node (mosTieSB): the
// derivatives by vs and vb add up (to minus those by vg and vd), and the bulk-source
// charge stays inside the node.
func (d *MOSFET) stampChargesTied(ctx *Context, qbd, cbd float64, mc *mosMeyerCharges) {
	Q, C := ctx.Q, ctx.C
	h := &d.h
	typ := d.typ
	q0, q1, q2 := mc.q[0], mc.q[1], mc.q[2]
	dq0, dq1, dq2 := &mc.dq[0], &mc.dq[1], &mc.dq[2]
	// Each gate charge's derivative by vg and vd together: minus that by vs = vb.
	s0, s1, s2 := dq0[0]+dq0[1], dq1[0]+dq1[1], dq2[0]+dq2[1]

	Q[d.t[mosD]] += typ * (-qbd - q1)
	C[h[mosD][mosD]] += cbd - dq1[1]
	C[h[mosD][mosG]] += -dq1[0]
	C[h[mosD][mosS]] += s1 - cbd
	Q[d.t[mosG]] += typ * (q0 + q1 + q2)
	C[h[mosG][mosD]] += dq0[1] + dq1[1] + dq2[1]
	C[h[mosG][mosG]] += dq0[0] + dq1[0] + dq2[0]
	C[h[mosG][mosS]] += -(s0 + s1 + s2)
	Q[d.t[mosS]] += typ * (qbd - q0 - q2)
	C[h[mosS][mosD]] += -dq0[1] - dq2[1] - cbd
	C[h[mosS][mosG]] += -dq0[0] - dq2[0]
	C[h[mosS][mosS]] += s0 + s2 + cbd
}

// meyerCharges computes Meyer's gate charges at the evaluated point (not yet carried to
// X), and sets half to the half capacitances there.
func (d *mosRun) meyerCharges(ctx *Context, pt *mosPoint, mc *mosMeyerCharges, half *[3]float64) {
	l := d.meyer(pt)
	// The half capacitances gate-source, -drain, -bulk, and their derivatives by vgs, vds,
	// vbs: x = vgs - von(vbs) and y = vds in the normal mode; x = vgd - von(vbd) and
	// y = -vds with drain and source trading places.
	dvon := pt.dvon
	var hs, hd, hb, s0, s1, s2, d0, d1, d2, b0, b1, b2 float64
	if pt.mode > 0 {
		hs, hd, hb = l.c0, l.c1, l.c2
		s0, s1, s2 = l.dx0, l.dy0, -dvon*l.dx0
		d0, d1, d2 = l.dx1, l.dy1, -dvon*l.dx1
		b0, b1, b2 = l.dx2, 0, -dvon*l.dx2
	} else {
		hs, hd, hb = l.c1, l.c0, l.c2
		s0, s1, s2 = l.dx1, l.dx1*(dvon-1)-l.dy1, -dvon*l.dx1
		d0, d1, d2 = l.dx0, l.dx0*(dvon-1)-l.dy0, -dvon*l.dx0
		b0, b1, b2 = l.dx2, l.dx2*(dvon-1), -dvon*l.dx2
	}
	*half = [3]float64{hs, hd, hb}

	vgs, vgd, vgb := pt.vgs, pt.vgs-pt.vds, pt.vgs-pt.vbs
	ov := &d.overlap
	var cs, cd, cb, ss, sd, sb float64 // capacitances and steps
	switch ctx.Mode {
	case ModeAC:
		// The small-signal capacitance at the operating point, as ngspice's AC load uses it.
		cs, cd, cb = 2*hs+ov[0], 2*hd+ov[1], 2*hb+ov[2]
		mc.q = [3]float64{cs * vgs, cd * vgd, cb * vgb}
	case ModeTranOP:
		// The initial point's charge is C v with the full capacitance at v.
		d.meyerInit, d.meyerInitUIC = true, ctx.UIC
		cs, cd, cb = 2*hs+ov[0], 2*hd+ov[1], 2*hb+ov[2]
		mc.q = [3]float64{cs * vgs, cd * vgd, cb * vgb}
		ss, sd, sb = 2*vgs, 2*vgd, 2*vgb
	default:
		// The charge of the last accepted point plus the averaged capacitance times the step.
		h, v, q := &d.meyerHalf, &d.meyerV, &d.meyerQ
		cs, cd, cb = hs+h[0]+ov[0], hd+h[1]+ov[1], hb+h[2]+ov[2]
		ss, sd, sb = vgs-v[0], vgd-v[1], vgb-v[2]
		mc.q = [3]float64{q[0] + cs*ss, q[1] + cd*sd, q[2] + cb*sb}
	}
	// The derivatives: the capacitance times the gate voltage's slope (vgs, vgd = vgs - vds,
	// vgb = vgs - vbs), plus the half capacitance's own slope times the step.
	mc.dq[0] = [3]float64{cs + s0*ss, s1 * ss, s2 * ss}
	mc.dq[1] = [3]float64{cd + d0*sd, -cd + d1*sd, d2 * sd}
	mc.dq[2] = [3]float64{cb + b0*sb, b1 * sb, -cb + b2*sb}
}

// Accept records the Meyer charges at an accepted point: at the transient's initial point
// C v with the full capacitance there; after a step the previous charge plus the averaged
// capacitance (half from each point, plus the overlap) times the voltage change.
func (d *mosRun) Accept(ctx *Context) {
	d.evAtX = false // the next load evaluates with the new history
	if !d.hasMeyer {
		return
	}
	x := ctx.X
	pt := mosPoint{
		vgs: d.typ * (x[d.t[mosG]] - x[d.t[mosS]]),
		vds: d.typ * (x[d.t[mosD]] - x[d.t[mosS]]),
		vbs: d.typ * (x[d.t[mosB]] - x[d.t[mosS]]),
	}
	if d.meyerInit && d.meyerInitUIC {
		pt.vgs, pt.vds, pt.vbs = d.uicVoltages(x)
	}
	var half [3]float64
	if d.evCharged && d.ev.vgs == pt.vgs && d.ev.vds == pt.vds && d.ev.vbs == pt.vbs {
		half = d.half // the last evaluation was at this point: Newton's check of the residual
	} else {
		d.channel(&pt)
		half = d.meyerHalves(&pt)
	}
	vg := [3]float64{pt.vgs, pt.vgs - pt.vds, pt.vgs - pt.vbs}
	for k := range vg {
		if d.meyerInit {
			d.meyerQ[k] = (2*half[k] + d.overlap[k]) * vg[k]
		} else {
			d.meyerQ[k] += (half[k] + d.meyerHalf[k] + d.overlap[k]) * (vg[k] - d.meyerV[k])
		}
	}
	d.meyerV, d.meyerHalf = vg, half
	d.meyerInit = false
}
