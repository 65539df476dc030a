package devices

import (
	"math"
	"slices"
	"strings"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Physical constants as ngspice 39 defines them (CODATA 2014); the thermal voltage must
// agree with ngspice's to the last digits, since a diode current is exponential in it.
const (
	dioBoltz           = 1.38064852e-23   // J/K
	dioCharge          = 1.6021766208e-19 // C
	dioCtoK            = 273.15
	dioRefTemp         = 300.15 // K: 27 degrees Celsius, ngspice's REFTEMP
	dioEpsSiO2         = 3.9 / (4e-7 * math.Pi * 299792458 * 299792458)
	dioMinSatCur       = 1e-28 // ngspice's epsmin: the smallest saturation current it allows
	dioGradingMax      = 0.9   // ngspice limits the temperature-adjusted grading coefficient to this
	dioBreakdownRelTol = 1e-3  // reltol of ngspice's breakdown-voltage iteration (CKTreltol's default)
)

// Diode is ngspice's junction diode (levels 1 and 3): an exponential junction current with
// sidewall, tunnelling, recombination and breakdown terms, high-injection knees, depletion
// and diffusion charges, and a series resistance through an internal node.
type Diode struct {
	name          string
	nodes         [2]string
	a, b          int        // anode, cathode
	p, n          int        // the junction's anode and cathode sides: a and b without rs
	sf, st        int        // rs's ends, anode side first: a and p, or n and b with rsCathode
	internal      bool       // rs > 0, through an internal node
	rsCathode     bool       // rs on the cathode side (a p-channel VDMOS's body diode, as ngspice has it)
	vdmosBody     bool       // a VDMOS's body diode: its internal node is "m1#body diode", as ngspice names and writes it
	hFF, hFT, hTF mna.Handle // rs's entries, by its ends sf (F) and st (T)
	hTT           mna.Handle
	hPP, hPN, hNP mna.Handle // the junction's
	hNN           mna.Handle

	// Everything below is at the instance temperature and includes area, pj and m.
	gs                 float64 // series conductance
	isat, isatSW       float64 // bottom and sidewall saturation currents
	sidewallOwn        bool    // the sidewall has its own emission coefficient (jsw and ns given)
	isTun, isTunSW     float64 // tunnelling saturation currents
	hasTun, hasTunSW   bool
	isRec              float64 // recombination saturation current
	hasRec             bool
	vte, vteSW, vteTun float64 // emission coefficient times the thermal voltage
	vteRec, vteBrk     float64
	hasBV              bool
	bv                 float64 // breakdown voltage, adjusted to meet ibv (ngspice's tBrkdwnV)
	ikf, ikr           float64 // knee currents; 0: none
	vcrit              float64
	dep, depSW         diodeDepletion
	tt                 float64
	cPar               float64 // level 3 metal and poly capacitances
	off                bool
	ic                 float64
	icGiven            bool
	kf, af, mult       float64       // flicker noise and the multiplier it divides out (noise.go)
	th                 *diodeThermal // self-heating (diode_thermal.go); nil without
}

// diodeRun is one run of a Diode: the junction voltage of its last evaluation, which
// the next one limits against.
type diodeRun struct {
	*Diode
	vd   float64
	rise float64 // self-heating: the last evaluation's temperature rise
	hot  *Diode  // self-heating: the diode at this load's junction temperature; nil without
}

func (d *Diode) NewRun() Loader {
	r := &diodeRun{Diode: d}
	if d.th != nil {
		r.hot = new(Diode)
	}
	return r
}

// diodeDepletion is a junction's depletion charge: cj0 (1 - v/pb)^-m below fc*pb, and its
// linear-capacitance extension above, as ngspice computes it.
type diodeDepletion struct {
	cj, pb, m  float64
	vfc        float64 // fc*pb: where the extension starts
	f1, f2, f3 float64
}

func (d *diodeDepletion) charge(v float64) (q, c float64) {
	if d.cj == 0 {
		return 0, 0
	}
	if v < d.vfc {
		arg := 1 - v/d.pb
		sarg := math.Exp(-d.m * math.Log(arg))
		return d.pb * d.cj * (1 - arg*sarg) / (1 - d.m), d.cj * sarg
	}
	czof2 := d.cj / d.f2
	q = d.cj*d.f1 + czof2*(d.f3*(v-d.vfc)+d.m/(2*d.pb)*(v*v-d.vfc*d.vfc))
	return q, czof2 * (d.f3 + d.m*v/d.pb)
}

type diodeModel struct {
	level, is, jsw, tnom, rs, trs, trs2, n, ns          float64
	tt, ttt1, ttt2, cjo, vj, mj, tm1, tm2               float64
	cjsw, php, mjsw, ikf, ikr, nbv, area, pj            float64
	tlev, tlevc, eg, xti, cta, ctp, tpb, tphp           float64
	jtun, jtunsw, ntun, xtitun, keg, fc, fcs, bv, ibv   float64
	tcv, isr, nr, lm, lp, wm, wp, xom, xoi, xm, xp      float64
	kf, af                                              float64 // flicker noise: noise.go
	rth0, cth0                                          float64 // self-heating: diode_thermal.go
	rth0Given                                           bool
	jswGiven, tnomGiven, nsGiven, ikfGiven, ikrGiven    bool
	nbvGiven, jtunGiven, jtunswGiven, bvGiven, isrGiven bool
}

func (m *diodeModel) params() paramSet {
	return paramSet{what: "diode model", params: []param{
		p("level", 1, "", "model level: 1, or 3 for geometry from w and l", &m.level),
		p("is js", 1e-14, "A", "saturation current", &m.is),
		p("jsw", 0, "A", "sidewall saturation current", &m.jsw).withGiven(&m.jswGiven),
		p("tnom tref", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		p("rs", 0, "ohm", "series resistance", &m.rs),
		p("trs trs1", 0, "1/C", "first-order temperature coefficient of rs", &m.trs),
		p("trs2", 0, "1/C^2", "second-order temperature coefficient of rs", &m.trs2),
		p("n", 1, "", "emission coefficient", &m.n),
		p("ns", 1, "", "sidewall emission coefficient", &m.ns).withGiven(&m.nsGiven),
		p("tt", 0, "s", "transit time", &m.tt),
		p("ttt1", 0, "1/C", "first-order temperature coefficient of tt", &m.ttt1),
		p("ttt2", 0, "1/C^2", "second-order temperature coefficient of tt", &m.ttt2),
		p("cjo cj0 cj", 0, "F", "zero-bias junction capacitance", &m.cjo),
		p("vj pb", 1, "V", "junction potential", &m.vj),
		p("m mj", 0.5, "", "grading coefficient", &m.mj),
		p("tm1", 0, "1/C", "first-order temperature coefficient of m", &m.tm1),
		p("tm2", 0, "1/C^2", "second-order temperature coefficient of m", &m.tm2),
		p("cjp cjsw", 0, "F", "zero-bias sidewall capacitance", &m.cjsw),
		p("php", 1, "V", "sidewall junction potential", &m.php),
		p("mjsw", 0.33, "", "sidewall grading coefficient", &m.mjsw),
		p("ikf ik", 0, "A", "forward knee current", &m.ikf).withGiven(&m.ikfGiven),
		p("ikr", 0, "A", "reverse knee current", &m.ikr).withGiven(&m.ikrGiven),
		p("nbv", 1, "", "breakdown emission coefficient (default n)", &m.nbv).withGiven(&m.nbvGiven),
		p("area", 1, "", "default area factor", &m.area),
		p("pj", 0, "", "default perimeter factor", &m.pj),
		p("tlev", 0, "", "breakdown-voltage temperature equation: 0 bv-tcv*dT, else bv*(1-tcv*dT)", &m.tlev),
		p("tlevc", 0, "", "capacitance temperature equation: 0 SPICE's, 1 cta/tpb", &m.tlevc),
		p("eg", 1.11, "eV", "activation energy", &m.eg),
		p("xti", 3, "", "saturation current temperature exponent", &m.xti),
		p("cta ctc", 0, "1/C", "temperature coefficient of cjo (tlevc=1)", &m.cta),
		p("ctp", 0, "1/C", "temperature coefficient of cjsw (tlevc=1)", &m.ctp),
		p("tpb tvj", 0, "V/C", "temperature coefficient of vj (tlevc=1)", &m.tpb),
		p("tphp", 0, "V/C", "temperature coefficient of php (tlevc=1)", &m.tphp),
		p("jtun", 0, "A", "tunnelling saturation current", &m.jtun).withGiven(&m.jtunGiven),
		p("jtunsw", 0, "A", "sidewall tunnelling saturation current", &m.jtunsw).withGiven(&m.jtunswGiven),
		p("ntun", 30, "", "tunnelling emission coefficient", &m.ntun),
		p("xtitun", 3, "", "tunnelling saturation current temperature exponent", &m.xtitun),
		p("keg", 1, "", "eg correction factor for tunnelling", &m.keg),
		p("fc", 0.5, "", "forward-bias diodeDepletion capacitance coefficient", &m.fc),
		p("fcs", 0.5, "", "forward-bias sidewall capacitance coefficient", &m.fcs),
		p("bv", 0, "V", "reverse breakdown voltage", &m.bv).withGiven(&m.bvGiven),
		p("ibv ib", 1e-3, "A", "current at the breakdown voltage", &m.ibv),
		p("tcv", 0, "V/C", "temperature coefficient of bv", &m.tcv),
		p("isr", 1e-14, "A", "recombination saturation current", &m.isr).withGiven(&m.isrGiven),
		p("nr", 2, "", "recombination emission coefficient", &m.nr),
		p("lm", 0, "m", "length of the metal capacitor (level 3)", &m.lm),
		p("lp", 0, "m", "length of the poly capacitor (level 3)", &m.lp),
		p("wm", 0, "m", "width of the metal capacitor (level 3)", &m.wm),
		p("wp", 0, "m", "width of the poly capacitor (level 3)", &m.wp),
		p("xom", 1e-6, "m", "metal to bulk oxide thickness (level 3)", &m.xom),
		p("xoi", 1e-6, "m", "poly to bulk oxide thickness (level 3)", &m.xoi),
		p("xm", 0, "m", "masking and etching offset of metal (level 3)", &m.xm),
		p("xp", 0, "m", "masking and etching offset of poly (level 3)", &m.xp),
		// Noise, safe-operating-area checks and self-heating (which needs a thermal node).
		// SKY130's cards give gap1 and gap2 (ngspice 39's diode computes the band gap
		// with its fixed coefficients, whatever these say), xw (0 in every card) and
		// minr (a floor of rs, far below the cards' rs).
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		p("rth0", 0, "K/W", "thermal resistance (self-heating only when given, with the thermal flag)", &m.rth0).withGiven(&m.rth0Given),
		p("cth0", 1e-5, "J/K", "thermal capacitance (self-heating)", &m.cth0),
		accepted("fv_max bv_max id_max te_max pd_max d gap1 gap2 xw minr"),
		accepted(ltspiceDiodeParams),
	}}
}

// ltspiceDiodeParams are the parameters of LTspice's piecewise-linear diode (on and off
// resistances, forward and reverse voltages, current limits). ngspice 39 reads them only
// in its LTspice mode (ngbehavior=lta in .spiceinit); otherwise it warns "unrecognized
// parameter (ron) - ignored" for each and simulates the diode without them (measured on
// examples/xspice/various/simple-diode.cir). gospice does the same: DiodeModelWarnings.
const ltspiceDiodeParams = "ron roff vfwd vrev ilimit revilimit epsilon revepsilon"

// DiodeModelWarnings warns of each LTspice diode parameter that a diode model card gives:
// accepted and ignored, as ngspice 39 does.
func DiodeModelWarnings(models map[string]*parser.Model) []*parser.Error {
	var warns []*parser.Error
	for _, m := range models {
		if m.Type != "d" {
			continue
		}
		for _, pr := range m.Params {
			if slices.Contains(strings.Fields(ltspiceDiodeParams), pr.Name) {
				warns = append(warns, parser.Errorf(pr.Pos, "diode model %s: %s is a parameter of LTspice's diode, "+
					"which ngspice 39 ignores (without ngbehavior=lta): ignored", m.Name, pr.Name))
			}
		}
	}
	return warns
}

type diodeInstance struct {
	area, pj, w, l, m, temp, dtemp, ic, lm, lp, wm, wp float64
	areaGiven, pjGiven, wGiven, lGiven, tempGiven      bool
	icGiven, lmGiven, lpGiven, wmGiven, wpGiven        bool
}

func (in *diodeInstance) params() paramSet {
	return paramSet{what: "diode", params: []param{
		p("area", 1, "", "area factor", &in.area).withGiven(&in.areaGiven),
		p("pj", 0, "", "perimeter factor", &in.pj).withGiven(&in.pjGiven),
		p("w", 0, "m", "width (level 3)", &in.w).withGiven(&in.wGiven),
		p("l", 0, "m", "length (level 3)", &in.l).withGiven(&in.lGiven),
		p("m", 1, "", "parallel multiplier", &in.m),
		p("temp", 27, "C", "instance temperature", &in.temp).withGiven(&in.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &in.dtemp),
		p("ic", 0, "V", "initial junction voltage for uic", &in.ic).withGiven(&in.icGiven),
		p("lm", 0, "m", "length of the metal capacitor (level 3)", &in.lm).withGiven(&in.lmGiven),
		p("lp", 0, "m", "length of the poly capacitor (level 3)", &in.lp).withGiven(&in.lpGiven),
		p("wm", 0, "m", "width of the metal capacitor (level 3)", &in.wm).withGiven(&in.wmGiven),
		p("wp", 0, "m", "width of the poly capacitor (level 3)", &in.wp).withGiven(&in.wpGiven),
	}}
}

func newDiode(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "diode", "d")
	if err != nil {
		return nil, err
	}
	var mod diodeModel
	if err := mod.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	var in diodeInstance
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	d := &Diode{name: e.Name, nodes: [2]string{e.Nodes[0], e.Nodes[1]}}
	thermal, plain := dioThermalFlag(e)
	off, err := areaAndOff(plain, &in.area, &in.areaGiven, "diode")
	if err != nil {
		return nil, err
	}
	d.off = off
	if err := mod.check(e, card); err != nil {
		return nil, err
	}
	if err := in.check(e); err != nil {
		return nil, err
	}
	if area, _ := mod.geometry(&in); !(area > 0) {
		return nil, elementError(e, "the area factor must be positive, got %g", area)
	}
	if !mod.tnomGiven {
		mod.tnom = env.TNom
	}
	temp := env.Temp + in.dtemp
	if in.tempGiven {
		temp = in.temp
	}
	if temp+dioCtoK <= 0 {
		return nil, elementError(e, "temperature %g C is below absolute zero", temp)
	}
	d.ic, d.icGiven = in.ic, in.icGiven
	d.temperature(&mod, &in, temp+dioCtoK, mod.tnom+dioCtoK)
	d.internal = d.gs > 0
	if err := d.selfHeating(e, thermal, &mod, &in, temp+dioCtoK); err != nil {
		return nil, err
	}
	return d, nil
}

// check rejects model values with which ngspice's equations divide by zero or take the
// logarithm of a negative number.
func (m *diodeModel) check(e *parser.Element, card *parser.Model) error {
	bad := func(format string, args ...any) error {
		return parser.Errorf(card.Pos, "diode model %s (used by %s at line %d): "+format,
			append([]any{card.Name, e.Name, e.Pos.Line}, args...)...)
	}
	switch {
	case m.level != 1 && m.level != 3:
		return bad("level must be 1 or 3, got %g", m.level)
	case m.tlevc != 0 && m.tlevc != 1:
		return bad("tlevc must be 0 or 1, got %g", m.tlevc)
	case !(m.n > 0):
		return bad("n must be positive, got %g", m.n)
	case m.jswGiven && m.nsGiven && !(m.ns > 0):
		return bad("ns must be positive, got %g", m.ns)
	case m.nbvGiven && !(m.nbv > 0):
		return bad("nbv must be positive, got %g", m.nbv)
	case m.isrGiven && !(m.nr > 0):
		return bad("nr must be positive, got %g", m.nr)
	case (m.jtunGiven || m.jtunswGiven) && !(m.ntun > 0):
		return bad("ntun must be positive, got %g", m.ntun)
	case !(m.vj > 0):
		return bad("vj must be positive, got %g", m.vj)
	case !(m.php > 0):
		return bad("php must be positive, got %g", m.php)
	case !(m.fc < 1):
		return bad("fc must be below 1, got %g", m.fc)
	case !(m.fcs < 1):
		return bad("fcs must be below 1, got %g", m.fcs)
	case !(m.mjsw < 1):
		return bad("mjsw must be below 1, got %g", m.mjsw)
	case m.bvGiven && !(m.bv > 0):
		return bad("bv must be positive, got %g", m.bv)
	case m.bvGiven && !(m.ibv > 0):
		return bad("ibv must be positive, got %g", m.ibv)
	case m.rs < 0:
		return bad("rs must not be negative, got %g", m.rs)
	case m.tt < 0 || m.cjo < 0 || m.cjsw < 0:
		return bad("tt, cjo and cjsw must not be negative")
	case m.area < 0 || m.pj < 0:
		return bad("area and pj must not be negative")
	case m.level == 3 && !(m.xom > 0 && m.xoi > 0):
		return bad("xom and xoi must be positive")
	}
	return nil
}

func (in *diodeInstance) check(e *parser.Element) error {
	switch {
	case !(in.m > 0):
		return elementError(e, "m must be positive, got %g", in.m)
	case in.areaGiven && !(in.area > 0):
		return elementError(e, "area must be positive, got %g", in.area)
	case in.pj < 0:
		return elementError(e, "pj must not be negative, got %g", in.pj)
	case (in.wGiven && !(in.w > 0)) || (in.lGiven && !(in.l > 0)):
		return elementError(e, "w and l must be positive")
	}
	return nil
}

// geometry is the instance's area and perimeter factors, m included. Without area= or
// pj= they come from the model, except that w or l on the line stand for area 1 and pj 0;
// at level 3, w and l together give both.
func (m *diodeModel) geometry(in *diodeInstance) (area, pj float64) {
	area, pj = m.area, m.pj
	if in.wGiven || in.lGiven {
		area, pj = 1, 0
	}
	if in.areaGiven {
		area = in.area
	}
	if in.pjGiven {
		pj = in.pj
	}
	if m.level == 3 && in.wGiven && in.lGiven {
		area, pj = in.w*in.l, 2*in.w+2*in.l
	}
	return area * in.m, pj * in.m
}

// parasitics is the level 3 metal and poly capacitance, from the instance's dimensions
// where given, else the model's.
func (m *diodeModel) parasitics(in *diodeInstance) float64 {
	pick := func(inst, model float64, given bool) float64 {
		if given {
			return inst
		}
		return model
	}
	wm, lm := pick(in.wm, m.wm, in.wmGiven), pick(in.lm, m.lm, in.lmGiven)
	wp, lp := pick(in.wp, m.wp, in.wpGiven), pick(in.lp, m.lp, in.lpGiven)
	return in.m * (dioEpsSiO2/m.xom*(wm+m.xm)*(lm+m.xm) + dioEpsSiO2/m.xoi*(wp+m.xp)*(lp+m.xp))
}

// temperature sets every value used in Load at temp (K), for a model measured at tnom (K),
// as ngspice's diosetup.c and diotemp.c do.
func (d *Diode) temperature(m *diodeModel, in *diodeInstance, temp, tnom float64) {
	area, pj := m.geometry(in)
	d.kf, d.af, d.mult = m.kf, m.af, in.m
	if m.level == 3 {
		d.cPar = m.parasitics(in)
	}

	vt := dioBoltz / dioCharge * temp
	dt := temp - tnom
	d.vte = m.n * vt
	d.vteSW = m.ns * vt
	d.vteTun = m.ntun * vt
	d.vteRec = m.nr * vt
	nbv := m.n
	if m.nbvGiven {
		nbv = m.nbv
	}
	d.vteBrk = nbv * vt

	grading := math.Min(m.mj*(1+m.tm1*dt+m.tm2*dt*dt), dioGradingMax)

	// Junction potentials and capacitances: SPICE's energy-gap scaling (tlevc=0) or linear
	// coefficients (tlevc=1).
	bottom := diodeDepletion{cj: m.cjo * area, pb: m.vj, m: grading}
	side := diodeDepletion{cj: m.cjsw * pj, pb: m.php, m: m.mjsw}
	if m.tlevc == 0 {
		pbfact := dioPotentialFactor(temp)
		pbfact1 := dioPotentialFactor(tnom)
		fact1, fact2 := tnom/dioRefTemp, temp/dioRefTemp
		scale := func(j *diodeDepletion) {
			pbo := (j.pb - pbfact1) / fact1
			gmaOld := (j.pb - pbo) / pbo
			j.cj /= 1 + j.m*(400e-6*(tnom-dioRefTemp)-gmaOld)
			j.pb = pbfact + fact2*pbo
			gmaNew := (j.pb - pbo) / pbo
			j.cj *= 1 + j.m*(400e-6*(temp-dioRefTemp)-gmaNew)
		}
		scale(&bottom)
		scale(&side)
	} else {
		bottom.pb = m.vj - m.tpb*(temp-dioRefTemp)
		bottom.cj *= 1 + m.cta*(temp-dioRefTemp)
		side.pb = m.php - m.tphp*(temp-dioRefTemp)
		side.cj *= 1 + m.ctp*(temp-dioRefTemp)
	}

	// Saturation currents: is (T/Tnom)^(xti/n) exp((T/Tnom - 1) eg / (n vt)).
	satScale := func(eg, xti, vte, n float64) float64 {
		return math.Exp((temp/tnom-1)*eg/vte + xti/n*math.Log(temp/tnom))
	}
	is := math.Max(m.is, dioMinSatCur)
	d.isat = is * area * satScale(m.eg, m.xti, d.vte, m.n)
	if m.jswGiven {
		d.isatSW = m.jsw * pj * satScale(m.eg, m.xti, d.vteSW, m.ns)
		d.sidewallOwn = m.nsGiven
	}
	d.hasTun, d.hasTunSW = m.jtunGiven, m.jtunswGiven
	d.isTun = m.jtun * area * satScale(m.keg*m.eg, m.xtitun, d.vteTun, m.ntun)
	d.isTunSW = m.jtunsw * pj * satScale(m.keg*m.eg, m.xtitun, d.vteTun, m.ntun)
	d.hasRec = m.isrGiven
	d.isRec = m.isr * area * satScale(m.eg, m.xti, d.vteRec, m.nr)

	xfc, xfcs := math.Log(1-m.fc), math.Log(1-m.fcs)
	bottom.f1 = bottom.pb * (1 - math.Exp((1-bottom.m)*xfc)) / (1 - bottom.m)
	// ngspice 39 extends the sidewall charge above fcs*php with the bottom junction's f1,
	// not the sidewall's own, so that charge jumps there unless vj = php and m = mjsw.
	// Kept, to give ngspice's charges (checked against its printed @d[charge]).
	side.f1 = bottom.f1
	bottom.vfc = m.fc * bottom.pb
	side.vfc = m.fcs * side.pb
	d.vcrit = d.vte * math.Log(d.vte/(math.Sqrt2*d.isat))
	// ngspice limits the junction potentials to 1/fc (after computing f1).
	if bottom.vfc > 1 {
		bottom.pb = 1 / m.fc
		bottom.vfc = 1
	}
	if side.vfc > 1 {
		side.pb = 1 / m.fcs
		side.vfc = 1
	}
	bottom.f2 = math.Exp((1 + bottom.m) * xfc)
	bottom.f3 = 1 - m.fc*(1+bottom.m)
	side.f2 = math.Exp((1 + side.m) * xfcs)
	side.f3 = 1 - m.fcs*(1+side.m)
	d.dep, d.depSW = bottom, side

	if m.bvGiven {
		d.hasBV = true
		d.bv = dioBreakdownVoltage(m, in.m, area, d.isat, vt, nbv, dt)
	}
	if m.ikfGiven && m.ikf >= dioMinSatCur {
		d.ikf = m.ikf * area
	}
	if m.ikrGiven && m.ikr >= dioMinSatCur {
		d.ikr = m.ikr * area
	}
	d.tt = m.tt * (1 + m.ttt1*dt + m.ttt2*dt*dt)
	if m.rs > 0 {
		d.gs = area / m.rs / (1 + m.trs*dt + m.trs2*dt*dt)
	}
}

// dioPotentialFactor is ngspice's pbfact at temp (K): the shift of a junction
// potential with the silicon band gap.
func dioPotentialFactor(temp float64) float64 {
	vt := dioBoltz / dioCharge * temp
	egfet := 1.16 - 7.02e-4*temp*temp/(temp+1108)
	arg := -egfet/(2*dioBoltz*temp) + 1.1150877/(dioBoltz*2*dioRefTemp)
	return -2 * vt * (1.5*math.Log(temp/dioRefTemp) + dioCharge*arg)
}

// dioBreakdownVoltage is ngspice's tBrkdwnV: the voltage beyond which the reverse current
// is exponential, chosen so that the current at -bv is ibv.
func dioBreakdownVoltage(m *diodeModel, mult, area, isat, vt, nbv, dt float64) float64 {
	bv := m.bv - m.tcv*dt
	if m.tlev != 0 {
		bv = m.bv * (1 - m.tcv*dt)
	}
	cbv := mult * m.ibv
	if m.level == 3 {
		cbv *= area
	}
	if cbv < isat*bv/vt {
		return bv
	}
	tol := dioBreakdownRelTol * cbv
	xbv := bv - nbv*vt*math.Log(1+cbv/isat)
	for range 25 {
		xbv = bv - nbv*vt*math.Log(cbv/isat+1-xbv/vt)
		xcbv := isat * (math.Exp((bv-xbv)/(nbv*vt)) - 1 + xbv/vt)
		if math.Abs(xcbv-cbv) <= tol {
			break
		}
	}
	return xbv
}

func (d *Diode) Name() string { return d.name }

func (d *Diode) Setup(b *mna.Builder) {
	d.a, d.b = b.Node(d.nodes[0]), b.Node(d.nodes[1])
	d.p, d.n = d.a, d.b
	if d.internal {
		in := 0
		if d.vdmosBody {
			in = b.WrittenNode(d.name, "body diode")
		} else {
			in = b.InternalNode(d.name, "internal")
		}
		if d.rsCathode {
			d.n, d.sf, d.st = in, in, d.b
		} else {
			d.p, d.sf, d.st = in, d.a, in
		}
		d.hFF, d.hFT = b.Entry(d.sf, d.sf), b.Entry(d.sf, d.st)
		d.hTF, d.hTT = b.Entry(d.st, d.sf), b.Entry(d.st, d.st)
	}
	d.hPP, d.hPN = b.Entry(d.p, d.p), b.Entry(d.p, d.n)
	d.hNP, d.hNN = b.Entry(d.n, d.p), b.Entry(d.n, d.n)
	if d.th != nil {
		d.th.setup(b, d)
	}
}

func (r *diodeRun) Load(ctx *Context) {
	if r.th != nil {
		r.loadHeated(ctx)
		return
	}
	r.load(ctx, r.Diode)
}

// load adds the diode d: the device, or a self-heating diode at this load's junction
// temperature.
func (r *diodeRun) load(ctx *Context, d *Diode) {
	x := ctx.X
	vx := x[d.p] - x[d.n] // the junction voltage at X
	vd := vx              // the junction voltage the model is evaluated at
	switch {
	case ctx.UIC:
		// A uic transient's initial charge: at IC=, else at the given node voltages.
		vd = x[d.a] - x[d.b]
		if d.icGiven {
			vd = d.ic
		}
		vx = vd
	case ctx.FirstIteration && ctx.InitJunctions:
		vd = d.vcrit
		if d.off {
			vd = 0
		}
		if vd != vx {
			ctx.Limited = true
		}
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		var limited bool
		if vd, limited = d.limit(vd, r.vd); limited {
			ctx.Limited = true
		}
	}
	r.vd = vd

	cd, gd := d.current(vd, ctx.Gmin)
	i := cd + gd*(vx-vd) // linearized at vd, evaluated at X
	ctx.F[d.p] += i
	ctx.F[d.n] -= i
	g := ctx.G
	g[d.hPP] += gd
	g[d.hPN] -= gd
	g[d.hNP] -= gd
	g[d.hNN] += gd
	if d.internal {
		ir := d.gs * (x[d.sf] - x[d.st])
		ctx.F[d.sf] += ir
		ctx.F[d.st] -= ir
		g[d.hFF] += d.gs
		g[d.hFT] -= d.gs
		g[d.hTF] -= d.gs
		g[d.hTT] += d.gs
	}
	if ctx.Mode == ModeOP {
		return
	}
	q, c := d.charge(vd, cd, gd)
	q += c * (vx - vd)
	ctx.Q[d.p] += q
	ctx.Q[d.n] -= q
	cm := ctx.C
	cm[d.hPP] += c
	cm[d.hPN] -= c
	cm[d.hNP] -= c
	cm[d.hNN] += c
}

// limit is ngspice's junction limiting: pnjlim on the junction voltage, or near and
// beyond breakdown on the voltage past -bv, so that neither exponential runs away.
func (d *Diode) limit(vnew, vold float64) (float64, bool) {
	if d.hasBV && vnew < math.Min(0, -d.bv+10*d.vteBrk) {
		v, limited := dioPnjlim(-(vnew + d.bv), -(vold + d.bv), d.vteBrk, d.vcrit)
		return -(v + d.bv), limited
	}
	return dioPnjlim(vnew, vold, d.vte, d.vcrit)
}

// dioPnjlim is SPICE's limiting of a pn junction's Newton update (devsup.c's DEVpnjlim):
// above vcrit a step of more than 2 vt follows the logarithm of the current rather than
// the voltage; a reverse step is held above 2 vold - 1 (or -vold - 1 from forward bias).
func dioPnjlim(vnew, vold, vt, vcrit float64) (float64, bool) {
	if vnew > vcrit && math.Abs(vnew-vold) > 2*vt {
		if vold > 0 {
			arg := (vnew - vold) / vt
			if arg > 0 {
				return vold + vt*(2+math.Log(arg-2)), true
			}
			return vold - vt*(2+math.Log(2-arg)), true
		}
		return vt * math.Log(vnew/vt), true
	}
	if vnew < 0 {
		floor := 2*vold - 1
		if vold > 0 {
			floor = -vold - 1
		}
		if vnew < floor {
			return floor, true
		}
	}
	return vnew, false
}

// junction is the current of a junction with saturation current is and emission voltage
// vte, and its derivative: exponential above -3 vte, then a smooth approach to -is, and
// exponential again beyond the breakdown voltage.
func (d *Diode) junction(vd, is, vte float64) (i, g float64) {
	switch {
	case vd >= -3*vte:
		e := math.Exp(vd / vte)
		return is * (e - 1), is * e / vte
	case !d.hasBV || vd >= -d.bv:
		arg := 3 * vte / (vd * math.E)
		arg = arg * arg * arg
		return -is * (1 + arg), is * 3 * arg / vd
	default:
		e := math.Exp(-(d.bv + vd) / d.vteBrk)
		return -is * e, is * e / d.vteBrk
	}
}

// current is the static junction current at vd and its derivative, gmin included.
func (d *Diode) current(vd, gmin float64) (cd, gd float64) {
	isat := d.isat
	var cdsw, gdsw float64
	if d.sidewallOwn {
		cdsw, gdsw = d.junction(vd, d.isatSW, d.vteSW)
	} else {
		isat += d.isatSW // the sidewall shares the bottom's characteristic
	}
	cdb, gdb := d.junction(vd, isat, d.vte)
	forward := vd >= -3*d.vte
	if forward && d.hasRec {
		// Recombination current, weighted by the diodeDepletion width.
		e := math.Exp(vd / d.vteRec)
		u := 1 - vd/d.dep.pb
		t1 := u*u + 0.005
		gen := math.Pow(t1, d.dep.m/2)
		dgen := -d.dep.m / d.dep.pb * u * math.Pow(t1, d.dep.m/2-1)
		rec := d.isRec * (e - 1)
		cdb += rec * gen
		gdb += d.isRec*e/d.vteRec*gen + rec*dgen
	}
	if d.hasTunSW {
		e := math.Exp(-vd / d.vteTun)
		cdsw -= d.isTunSW * (e - 1)
		gdsw += d.isTunSW * e / d.vteTun
	}
	if d.hasTun {
		e := math.Exp(-vd / d.vteTun)
		cdb -= d.isTun * (e - 1)
		gdb += d.isTun * e / d.vteTun
	}
	cd, gd = cdb+cdsw, gdb+gdsw
	// High injection: the current bends over above the knee currents.
	switch {
	case forward && d.ikf > 0 && cd > 1e-18:
		s := math.Sqrt(cd / d.ikf)
		gd = ((1+s)*gd - cd*gd/(2*s*d.ikf)) / (1 + 2*s + cd/d.ikf)
		cd /= 1 + s
	case !forward && d.ikr > 0 && cd < -1e-18:
		s := math.Sqrt(-cd / d.ikr)
		gd = ((1+s)*gd + cd*gd/(2*s*d.ikr)) / (1 + 2*s - cd/d.ikr)
		cd /= 1 + s
	}
	return cd + gmin*vd, gd + gmin
}

// charge is the junction charge at vd and its derivative: diodeDepletion charges of the bottom
// and sidewall junctions, the diffusion charge tt*cd (cd as current returns it, gmin
// included, as ngspice) and the level 3 parasitic capacitances.
func (d *Diode) charge(vd, cd, gd float64) (q, c float64) {
	qb, cb := d.dep.charge(vd)
	qs, cs := d.depSW.charge(vd)
	return qb + qs + d.tt*cd + d.cPar*vd, cb + cs + d.tt*gd + d.cPar
}

// Current is the static diode current from anode to cathode at x, i(name): the
// current through rs, or without rs the junction current at x (gmin left out).
func (d *Diode) Current(x []float64) float64 {
	d = d.heated(x)
	if d.internal {
		return d.gs * (x[d.sf] - x[d.st])
	}
	cd, _ := d.current(x[d.a]-x[d.b], 0)
	return cd
}
