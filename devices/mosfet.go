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
	name  string
	typ   float64 // +1 n-channel, -1 p-channel
	nodes [4]string

	dExt, sExt                       int    // external drain and source
	t                                [4]int // unknowns of the terminals d', g, s', b (d', s' internal when rd, rs)
	h                                [4][4]mna.Handle
	hdd, hddp, hdpd, hss, hssp, hsps mna.Handle
	gd, gs                           float64 // drain and source series conductances (0: none)

	// At the device temperature: thermal voltage, surface potential, built-in and
	// threshold voltages (vbi, vto as ngspice's tVbi, tVto), beta = kp W/Leff (times m).
	vt, phi, vbi, vto, beta, lambda, gamma float64
	oxideCap                               float64    // Meyer's oxide capacitance (0 without tox)
	overlap                                [3]float64 // gate-source, -drain, -bulk overlap capacitances
	isd, iss, vcritD, vcritS               float64
	junctions                              [2]mosDepletion // drain, source

	off     bool
	ic      [3]float64 // IC=vds,vgs,vbs as written
	icGiven [3]bool

	// Limiting: the voltages and von of the previous evaluation.
	vgsOld, vdsOld, vbsOld, vbdOld, vonOld float64

	// Meyer history at the last accepted point: gate-source, -drain, -bulk voltages, half
	// capacitances and charges.
	meyerV, meyerHalf, meyerQ [3]float64
	meyerInit                 bool // the next Accept is the transient's initial point
	meyerInitUIC              bool // ... of a uic transient, whose voltages are uicVoltages
}

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

// mosDepletion is one bulk junction's depletion capacitance: bottom and sidewall parts,
// linearized above fc*pb by the coefficients f2, f3, f4 as ngspice's mos1temp.c does.
type mosDepletion struct {
	cz, czsw, pb, mj, mjsw, depCap, f2, f3, f4 float64
}

type mosModelCard struct {
	vto, kp, gamma, phi, lambda, rd, rs, cbd, cbs, is, pb      float64
	cgso, cgdo, cgbo, rsh, cj, mj, cjsw, mjsw, js, tox, ld, u0 float64
	fc, nsub, tpg, nss, tnom, level, l, w                      float64

	vtoGiven, kpGiven, gammaGiven, phiGiven, rdGiven, rsGiven bool
	cbdGiven, cbsGiven, cjGiven, cjswGiven, toxGiven          bool
	nsubGiven, tnomGiven, lGiven, wGiven                      bool
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
		p("mjsw", 0.5, "", "bulk junction sidewall grading coefficient", &m.mjsw),
		p("js", 0, "A/m^2", "bulk junction saturation current per area", &m.js),
		p("tox", 0, "m", "oxide thickness (no tox: no Meyer gate capacitances)", &m.tox).withGiven(&m.toxGiven),
		p("ld", 0, "m", "lateral diffusion", &m.ld),
		p("u0 uo", 600, "cm^2/Vs", "surface mobility (gives kp with tox)", &m.u0),
		p("fc", 0.5, "", "forward-bias depletion capacitance coefficient", &m.fc),
		p("nsub", 0, "1/cm^3", "substrate doping (gives vto, phi, gamma with tox)", &m.nsub).withGiven(&m.nsubGiven),
		p("tpg", 1, "", "gate type: 1 opposite to the substrate, -1 same, 0 aluminium", &m.tpg),
		p("nss", 0, "1/cm^2", "surface state density", &m.nss),
		p("tnom", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		p("level", 1, "", "model level: only 1 (Shichman-Hodges) is supported", &m.level),
		// ngspice's front end takes l and w on a MOSFET card as the instances' defaults.
		p("l", 100e-6, "m", "default channel length", &m.l).withGiven(&m.lGiven),
		p("w", 100e-6, "m", "default channel width", &m.w).withGiven(&m.wGiven),
		accepted("kf af nmos pmos"),
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
	card, err := modelFor(e, c, "MOSFET", "nmos", "pmos")
	if err != nil {
		return nil, err
	}
	where := modelWhere(e, card)
	// The level first: another level's parameters are not level 1's.
	if lv, ok := modelLevel(card); ok && lv != 1 {
		return nil, elementError(e, "MOSFET level %g (%s) is not supported: only level 1 (Shichman-Hodges) is", lv, where)
	}
	var mod mosModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var inst mosInstanceCard
	if err := inst.params().apply(e.Params, "on "+e.Name); err != nil {
		return nil, err
	}
	if !inst.lGiven && mod.lGiven {
		inst.l = mod.l
	}
	if !inst.wGiven && mod.wGiven {
		inst.w = mod.w
	}
	dev := &MOSFET{name: e.Name, typ: 1}
	copy(dev.nodes[:], e.Nodes)
	if card.Type == "pmos" {
		dev.typ = -1
	}
	for _, a := range e.Args {
		if a.IsNumber || a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q", e.Name, argText(a))
		}
		dev.off = true
	}
	dev.ic, dev.icGiven = inst.ic, inst.icGiven
	if icp, ok := e.Param("ic"); ok {
		list := icp.List
		if list == nil {
			list = []float64{icp.Value}
		}
		for k := range min(len(list), 3) {
			dev.ic[k], dev.icGiven[k] = list[k], true
		}
	}
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
	leff := inst.l - 2*mod.ld
	if !(leff > 0) {
		return elementError(e, "effective channel length l - 2*ld = %g is not positive (%s)", leff, where)
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
				phi = math.Max(0.1, 2*vtnom*math.Log(mod.nsub*1e6/1.45e16))
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
	tvbi := vto - typ*(gamma*math.Sqrt(phi)) + 0.5*(egfet1-egfet) + typ*0.5*(tphi-phi)
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
	d.beta = tkp * m * inst.w / leff
	d.oxideCap = coxFactor * leff * m * inst.w
	d.overlap = [3]float64{mod.cgso * m * inst.w, mod.cgdo * m * inst.w, mod.cgbo * m * leff}
	if tSatCurDens == 0 || inst.ad == 0 || inst.as == 0 {
		d.isd, d.iss = m*tSatCur, m*tSatCur
	} else {
		d.isd, d.iss = m*tSatCurDens*inst.ad, m*tSatCurDens*inst.as
	}
	d.vcritD = vt * math.Log(vt/(math.Sqrt2*d.isd))
	d.vcritS = vt * math.Log(vt/(math.Sqrt2*d.iss))

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
	return nil
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
	d.dExt = b.Node(d.nodes[0])
	d.t[mosG] = b.Node(d.nodes[1])
	d.sExt = b.Node(d.nodes[2])
	d.t[mosB] = b.Node(d.nodes[3])
	d.t[mosD], d.t[mosS] = d.dExt, d.sExt
	if d.gd != 0 {
		d.t[mosD] = b.InternalNode(d.name, "drain")
	}
	if d.gs != 0 {
		d.t[mosS] = b.InternalNode(d.name, "source")
	}
	for r := range d.t {
		for c := range d.t {
			d.h[r][c] = b.Entry(d.t[r], d.t[c])
		}
	}
	if d.gd != 0 {
		d.hdd, d.hddp, d.hdpd = b.Entry(d.dExt, d.dExt), b.Entry(d.dExt, d.t[mosD]), b.Entry(d.t[mosD], d.dExt)
	}
	if d.gs != 0 {
		d.hss, d.hssp, d.hsps = b.Entry(d.sExt, d.sExt), b.Entry(d.sExt, d.t[mosS]), b.Entry(d.t[mosS], d.sExt)
	}
}

// mosPoint is the device evaluated at one set of n-channel-frame voltages. Partial
// derivatives are listed by vgs, vds, vbs.
type mosPoint struct {
	vgs, vds, vbs float64
	mode          float64 // +1, or -1 when vds < 0 and drain and source swap roles
	von, dvon     float64 // threshold, and its derivative by the (local) bulk voltage
	vgst, vdsLoc  float64 // gate overdrive and drain-source voltage in the local frame
	id            float64 // channel current, drain to source
	did           [3]float64
	ibs, gbs      float64
	ibd, gbd      float64
}

// channel computes the threshold and the channel current with their derivatives.
func (d *MOSFET) channel(pt *mosPoint) {
	vgs, vds, vbs := pt.vgs, pt.vds, pt.vbs
	pt.mode = 1
	vgLoc, vbLoc := vgs, vbs
	if vds < 0 {
		pt.mode = -1
		vgLoc, vbLoc = vgs-vds, vbs-vds
	}
	var sarg, dsarg float64
	if vbLoc <= 0 {
		sarg = math.Sqrt(d.phi - vbLoc)
		dsarg = -0.5 / sarg
	} else {
		// Above zero bias the square root is continued by its tangent, down to zero.
		sphi := math.Sqrt(d.phi)
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

// mosJunctionCurrent is a bulk diode's current and conductance, with gmin across it.
func mosJunctionCurrent(v, isat, vt, gmin float64) (float64, float64) {
	if v <= -3*vt {
		return gmin*v - isat, gmin
	}
	if v == 0 { // a source tied to the bulk
		return 0, isat/vt + gmin
	}
	ev := math.Exp(math.Min(mosMaxExp, v/vt))
	return isat*(ev-1) + gmin*v, isat*ev/vt + gmin
}

// charge returns the depletion charge and capacitance of a junction at voltage v.
func (j *mosDepletion) charge(v float64) (float64, float64) {
	if j.cz == 0 && j.czsw == 0 {
		return 0, 0
	}
	if v >= j.depCap {
		return j.f4 + v*(j.f2+v*j.f3/2), j.f2 + j.f3*v
	}
	if v == 0 { // a source tied to the bulk: no logarithm needed
		return 0, j.cz + j.czsw
	}
	arg := 1 - v/j.pb
	sarg, sargsw := mosGradingPowers(arg, j.mj, j.mjsw)
	q := j.pb * (j.cz*(1-arg*sarg)/(1-j.mj) + j.czsw*(1-arg*sargsw)/(1-j.mjsw))
	return q, j.cz*sarg + j.czsw*sargsw
}

// mosGradingPowers returns arg^-m1 and arg^-m2, with one logarithm for both and a square
// root for the common grading 0.5.
func mosGradingPowers(arg, m1, m2 float64) (float64, float64) {
	if m1 == 0.5 && m2 == 0.5 {
		p := 1 / math.Sqrt(arg)
		return p, p
	}
	l := math.Log(arg)
	p1 := math.Exp(-m1 * l)
	if m2 == m1 {
		return p1, p1
	}
	return p1, math.Exp(-m2 * l)
}

// meyer returns Meyer's half capacitances gate-source, gate-drain, gate-bulk (ngspice's
// DEVqmeyer: half of the bias-dependent part, the other half comes from the previous
// accepted point) at a point, and their derivatives by vgs, vds, vbs.
func (d *MOSFET) meyer(pt *mosPoint) (c [3]float64, dc [3][3]float64) {
	if d.oxideCap == 0 {
		return
	}
	const magicVDS = 0.025
	cox, phi := d.oxideCap, d.phi
	x, y := pt.vgst, pt.vdsLoc // y >= 0 by the choice of mode
	var dx, dy [3]float64      // by x and by y, in the local frame
	switch {
	case x <= -phi:
		c[2] = cox / 2
	case x <= -phi/2:
		c[2], dx[2] = -x*cox/(2*phi), -cox/(2*phi)
	case x <= 0:
		c[2], dx[2] = -x*cox/(2*phi), -cox/(2*phi)
		c0, dc0 := x*cox/(1.5*phi)+cox/3, cox/(1.5*phi)
		ds := magicVDS
		if y >= ds {
			c[0], dx[0] = c0, dc0
		} else {
			a, b := 2*ds-y, ds-y
			a2, a3 := a*a, a*a*a
			fd, fs := 1-ds*ds/a2, 1-b*b/a2
			c[1], dx[1], dy[1] = c0*fd, dc0*fd, -2*c0*ds*ds/a3
			c[0], dx[0], dy[0] = c0*fs, dc0*fs, 2*c0*b*ds/a3
		}
	default:
		ds, dds := x, 1.0
		if x < magicVDS {
			ds, dds = magicVDS, 0
		}
		c3 := cox / 3
		if ds <= y {
			c[0] = c3
		} else {
			a, b := 2*ds-y, ds-y
			a2, a3 := a*a, a*a*a
			c[1], dy[1], dx[1] = c3*(1-ds*ds/a2), -2*c3*ds*ds/a3, dds*2*c3*ds*y/a3
			c[0], dy[0], dx[0] = c3*(1-b*b/a2), 2*c3*b*ds/a3, -dds*2*c3*b*y/a3
		}
	}
	for k := range c {
		if pt.mode > 0 {
			dc[k] = [3]float64{dx[k], dy[k], -pt.dvon * dx[k]}
		} else {
			dc[k] = [3]float64{dx[k], dx[k]*(pt.dvon-1) - dy[k], -pt.dvon * dx[k]}
		}
	}
	if pt.mode < 0 { // the local source is the drain
		c[0], c[1] = c[1], c[0]
		dc[0], dc[1] = dc[1], dc[0]
	}
	return
}

// mosGateVoltages are vgs, vgd, vgb; mosGateSlopes their derivatives by vgs, vds, vbs.
func mosGateVoltages(vgs, vds, vbs float64) [3]float64 { return [3]float64{vgs, vgs - vds, vgs - vbs} }

var mosGateSlopes = [3][3]float64{{1, 0, 0}, {1, -1, 0}, {1, 0, -1}}

// mosGateOther is the terminal across each Meyer capacitance from the gate.
var mosGateOther = [3]int{mosS, mosD, mosB}

func (d *MOSFET) hasMeyer() bool {
	return d.oxideCap != 0 || d.overlap != [3]float64{}
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
func (d *MOSFET) limit(vgs, vds, vbs float64) (float64, float64, float64, bool) {
	vgd := vgs - vds
	lgs, lds, lbs := vgs, vds, vbs
	var c1, c2, c3 bool
	if d.vdsOld >= 0 {
		lgs, c1 = mosFetLim(vgs, d.vgsOld, d.vonOld)
		if c1 {
			lds = lgs - vgd
		}
		lds, c2 = mosLimVDS(lds, d.vdsOld)
	} else {
		var lgd, l float64
		lgd, c1 = mosFetLim(vgd, d.vgsOld-d.vdsOld, d.vonOld)
		if c1 {
			lds = vgs - lgd
		}
		l, c2 = mosLimVDS(-lds, -d.vdsOld)
		lds = -l
		if c1 || c2 {
			lgs = lgd + lds
		}
	}
	if lds >= 0 {
		lbs, c3 = mosPNJLim(vbs, d.vbsOld, d.vt, d.vcritS)
	} else {
		// ngspice limits vbd here and keeps it, moving vbs with a limited vds.
		lbd, c := mosPNJLim(vbs-vds, d.vbdOld, d.vt, d.vcritD)
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
					v = math.Max(vnew, vto+2)
				}
			} else if delv >= vtsthi { // staying on
				v = vold + vtsthi
			}
		} else if delv <= 0 { // middle region, decreasing
			v = math.Max(vnew, vto-0.5)
		} else { // middle region, increasing
			v = math.Min(vnew, vto+4)
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
			v = math.Min(vnew, 3*vold+2)
		} else if vnew < 3.5 {
			v = math.Max(vnew, 2)
		}
	} else if vnew > vold {
		v = math.Min(vnew, 4)
	} else {
		v = math.Max(vnew, -0.5)
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

// Load evaluates the device at X, or at SPICE's initial or limited voltages carried to X
// along their tangents, and adds its currents and (outside .op) charges.
func (d *MOSFET) Load(ctx *Context) {
	x := ctx.X
	vgsX := d.typ * (x[d.t[mosG]] - x[d.t[mosS]])
	vdsX := d.typ * (x[d.t[mosD]] - x[d.t[mosS]])
	vbsX := d.typ * (x[d.t[mosB]] - x[d.t[mosS]])

	pt := mosPoint{vgs: vgsX, vds: vdsX, vbs: vbsX}
	linearize := true
	switch {
	case ctx.UIC:
		pt.vgs, pt.vds, pt.vbs = d.uicVoltages(x)
		linearize = false
	case ctx.FirstIteration && ctx.InitJunctions:
		pt.vgs, pt.vds, pt.vbs = d.initialVoltages()
		ctx.Limited = true
	case ctx.FirstIteration:
	default:
		var limited bool
		pt.vgs, pt.vds, pt.vbs, limited = d.limit(vgsX, vdsX, vbsX)
		if limited {
			ctx.Limited = true
		}
	}

	d.channel(&pt)
	vbd := pt.vbs - pt.vds
	pt.ibs, pt.gbs = mosJunctionCurrent(pt.vbs, d.iss, d.vt, ctx.Gmin)
	pt.ibd, pt.gbd = mosJunctionCurrent(vbd, d.isd, d.vt, ctx.Gmin)
	d.vgsOld, d.vdsOld, d.vbsOld, d.vbdOld, d.vonOld = pt.vgs, pt.vds, pt.vbs, vbd, pt.von

	// Values at the evaluated voltages are carried to X along their tangents.
	var dv [3]float64
	if linearize {
		dv = [3]float64{vgsX - pt.vgs, vdsX - pt.vds, vbsX - pt.vbs}
	}
	var st mosStamp
	st.flow(mosD, mosS, pt.id, pt.did, &dv)
	st.flow(mosB, mosS, pt.ibs, [3]float64{0, 0, pt.gbs}, &dv)
	st.flow(mosB, mosD, pt.ibd, [3]float64{0, -pt.gbd, pt.gbd}, &dv)
	F, G := ctx.F, ctx.G
	d.add(&st, F, G)
	if d.gd != 0 {
		i := d.gd * (x[d.dExt] - x[d.t[mosD]])
		F[d.dExt] += i
		F[d.t[mosD]] -= i
		G[d.hdd] += d.gd
		G[d.hddp] -= d.gd
		G[d.hdpd] -= d.gd
		G[d.h[mosD][mosD]] += d.gd
	}
	if d.gs != 0 {
		i := d.gs * (x[d.sExt] - x[d.t[mosS]])
		F[d.sExt] += i
		F[d.t[mosS]] -= i
		G[d.hss] += d.gs
		G[d.hssp] -= d.gs
		G[d.hsps] -= d.gs
		G[d.h[mosS][mosS]] += d.gs
	}
	if ctx.Mode == ModeOP {
		return
	}

	var sq mosStamp
	qbd, cbd := d.junctions[0].charge(vbd)
	qbs, cbs := d.junctions[1].charge(pt.vbs)
	sq.flow(mosB, mosS, qbs, [3]float64{0, 0, cbs}, &dv)
	sq.flow(mosB, mosD, qbd, [3]float64{0, -cbd, cbd}, &dv)
	if d.hasMeyer() {
		d.meyerCharges(ctx, &pt, &sq, &dv)
	}
	d.add(&sq, ctx.Q, ctx.C)
}

// meyerCharges adds Meyer's gate charges at the evaluated point to sq.
func (d *MOSFET) meyerCharges(ctx *Context, pt *mosPoint, sq *mosStamp, dv *[3]float64) {
	half, dhalf := d.meyer(pt)
	vg := mosGateVoltages(pt.vgs, pt.vds, pt.vbs)
	initial := ctx.Mode == ModeTranOP
	if initial {
		d.meyerInit, d.meyerInitUIC = true, ctx.UIC
	}
	for k := range vg {
		var q, ctot, step float64
		var dq [3]float64
		if ctx.Mode == ModeAC {
			// The small-signal capacitance at the operating point, as ngspice's AC load uses it.
			ctot = 2*half[k] + d.overlap[k]
			q = ctot * vg[k]
		} else if initial {
			// The initial point's charge is C v with the full capacitance at v.
			ctot = 2*half[k] + d.overlap[k]
			q = ctot * vg[k]
			step = 2 * vg[k]
		} else {
			// The charge of the last accepted point plus the averaged capacitance times the step.
			ctot = half[k] + d.meyerHalf[k] + d.overlap[k]
			step = vg[k] - d.meyerV[k]
			q = d.meyerQ[k] + ctot*step
		}
		for j := range dq {
			dq[j] = ctot*mosGateSlopes[k][j] + dhalf[k][j]*step
		}
		sq.flow(mosG, mosGateOther[k], q, dq, dv)
	}
}

// mosStamp gathers one load's currents (or charges) per terminal and their derivatives
// by the terminal voltages, so that each matrix entry is written once.
type mosStamp struct {
	f [4]float64
	j [4][4]float64
}

// flow adds a current or a charge that leaves terminal from and enters terminal to. f is
// in the n-channel frame at the evaluated voltages, df its derivatives by vgs, vds, vbs;
// dv carries it to X.
func (s *mosStamp) flow(from, to int, f float64, df [3]float64, dv *[3]float64) {
	f += df[0]*dv[0] + df[1]*dv[1] + df[2]*dv[2]
	s.f[from] += f
	s.f[to] -= f
	ds := -(df[0] + df[1] + df[2])
	jf, jt := &s.j[from], &s.j[to]
	jf[mosG] += df[0]
	jf[mosD] += df[1]
	jf[mosB] += df[2]
	jf[mosS] += ds
	jt[mosG] -= df[0]
	jt[mosD] -= df[1]
	jt[mosB] -= df[2]
	jt[mosS] -= ds
}

// add writes the gathered values into r (F or Q, with the device's polarity) and jac (G or C).
func (d *MOSFET) add(s *mosStamp, r, jac []float64) {
	for a := range s.f {
		r[d.t[a]] += d.typ * s.f[a]
		for b := range s.j[a] {
			jac[d.h[a][b]] += s.j[a][b]
		}
	}
}

// Accept records the Meyer charges at an accepted point: at the transient's initial point
// C v with the full capacitance there; after a step the previous charge plus the averaged
// capacitance (half from each point, plus the overlap) times the voltage change.
func (d *MOSFET) Accept(ctx *Context) {
	if !d.hasMeyer() {
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
	d.channel(&pt)
	half, _ := d.meyer(&pt)
	vg := mosGateVoltages(pt.vgs, pt.vds, pt.vbs)
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
