package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// This file holds ngspice's level-4 MOSFET, BSIM1 (the Berkeley short-channel IGFET
// model of Sheu, Scharfetter, Ko and Jeng): its parameters and its channel's
// size-dependent constants. Its equations (the channel current and the charges) are in
// bsim1eval.go, what it shares with BSIM2 in earlybsim.go. BSIM1 has no temperature
// dependence: its parameters are those of the process file, at whatever temperature it
// was extracted.

// bsim1Scaled are the names of BSIM1's parameters that scale with the device's size: p =
// p0 + lp/Leff + wp/Weff (Leff and Weff in micron), written p, lp and wp on the card.
var bsim1Scaled = []string{"vfb", "phi", "k1", "k2", "eta", "x2e", "x3e", "x2mz", "mus", "x2ms", "x3ms", "u0", "x2u0", "u1", "x2u1", "x3u1", "n0", "nb", "nd"}

var bsim1Docs = map[string]string{
	"vfb":  "flat-band voltage",
	"phi":  "strong inversion surface potential",
	"k1":   "body effect coefficient",
	"k2":   "charge sharing coefficient",
	"eta":  "drain-induced barrier lowering (vds dependence of the threshold)",
	"x2e":  "vbs dependence of eta",
	"x3e":  "vds dependence of eta",
	"x2mz": "vbs dependence of muz",
	"mus":  "mobility at vds = vdd, vgs = vth (channel-length modulation)",
	"x2ms": "vbs dependence of mus",
	"x3ms": "vds dependence of mus",
	"u0":   "vgs dependence of the mobility",
	"x2u0": "vbs dependence of u0",
	"u1":   "vds dependence of the mobility (velocity saturation)",
	"x2u1": "vbs dependence of u1",
	"x3u1": "vds dependence of u1",
	"n0":   "subthreshold slope (200 and above: no subthreshold current)",
	"nb":   "vbs dependence of the subthreshold slope",
	"nd":   "vds dependence of the subthreshold slope",
}

// The indices of bsim1Scaled.
const (
	b1VFB = iota
	b1Phi
	b1K1
	b1K2
	b1Eta
	b1EtaB
	b1EtaD
	b1MuzB
	b1Mus
	b1MusB
	b1MusD
	b1U0
	b1U0B
	b1U1
	b1U1B
	b1U1D
	b1N0
	b1NB
	b1ND
	b1Scaled
)

// bsim1Card is a BSIM1 model card.
type bsim1Card struct {
	bsimCard
	scaled          [b1Scaled][3]float64 // p, lp, wp
	muz, vdd, xpart float64
	xpartGiven      bool
}

func (m *bsim1Card) params() paramSet {
	ps := scaledParams(bsim1Scaled, bsim1Docs, nil, m.scaled[:])
	ps = append(ps, m.bsimCard.params("model level: 4 (BSIM1)")...)
	ps = append(ps,
		p("muz", 0, "cm^2/Vs", "zero-field mobility at vds = 0, vgs = vth", &m.muz),
		p("tox", 0, "um", "gate oxide thickness", &m.tox),
		p("vdd", 0, "V", "supply voltage mus is measured at", &m.vdd),
		// ngspice reads xpart as a flag: given with any value, even 0, it selects 0/100.
		p("xpart", 0, "", "charge partition: absent 40/60 drain/source in saturation, given (any value) 0/100", &m.xpart).withGiven(&m.xpartGiven),
		accepted("temp"),
	)
	return paramSet{what: "BSIM1 model", params: ps}
}

// bsim1Channel is a BSIM1 device's channel: its parameters at its size.
type bsim1Channel struct {
	vfb, phi, k1, k2, eta, etaB, etaD          float64
	ugs, ugsB, uds, udsB, udsD                 float64 // u0, x2u0; u1, x2u1, x3u1 (u1s over Leff)
	beta0, beta0B, betaVdd, betaVddB, betaVddD float64 // muz, x2mz, mus, x2ms, x3ms times Cox W/L
	n0, nb, nd                                 float64
	vdd, leffUm                                float64
	wlCox                                      float64 // the gate's oxide capacitance, F
	xpart0                                     bool    // 0/100 partition of the saturated channel charge
}

func init() {
	RegisterMOSLevel(newBSIM1, func(m *parser.Model) []string {
		var c bsim1Card
		return c.params().unusedGiven(m.Params)
	}, 4)
}

// newBSIM1 builds the BSIM1 MOSFET of element e with model card card, its channel as
// ngspice's b1temp.c sets it up.
func newBSIM1(e *parser.Element, card *parser.Model, env Env) (Device, error) {
	where := modelWhere(e, card)
	var mod bsim1Card
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	return newEarlyBSIM(e, card, "BSIM1", &mod.bsimCard, func(leff, weff float64) (bsimChannel, float64, float64, error) {
		if !(mod.vdd > 0) {
			return nil, 0, 0, elementError(e, "vdd, the supply voltage mus is measured at, must be positive, got %g (%s)", mod.vdd, where)
		}
		lum, wum := leff*1e6, weff*1e6
		s := sized(mod.scaled[:], lum, wum)
		coxCm := 3.453e-13 / (mod.tox * 1e-4) // F/cm^2
		coxWL := coxCm * wum / lum
		ch := &bsim1Channel{
			vfb: s[b1VFB], phi: math.Max(s[b1Phi], 0.1), k1: math.Max(s[b1K1], 0), k2: math.Max(s[b1K2], 0),
			eta: s[b1Eta], etaB: s[b1EtaB], etaD: s[b1EtaD],
			ugs: s[b1U0], ugsB: s[b1U0B], uds: s[b1U1], udsB: s[b1U1B], udsD: s[b1U1D],
			beta0: mod.muz * coxWL, beta0B: s[b1MuzB] * coxWL,
			betaVdd: s[b1Mus] * coxWL, betaVddB: s[b1MusB] * coxWL, betaVddD: math.Max(s[b1MusD]*coxWL, 0),
			n0: s[b1N0], nb: s[b1NB], nd: s[b1ND],
			vdd: mod.vdd, leffUm: lum,
			wlCox:  coxCm * leff * weff * 1e4,
			xpart0: mod.xpartGiven,
		}
		vt0 := ch.vfb + ch.phi + ch.k1*math.Sqrt(ch.phi) - ch.k2*ch.phi
		return ch, vt0, coxCm, nil
	})
}
