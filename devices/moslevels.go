package devices

import "github.com/gospice/gospice/parser"

// MOSConstructor builds a MOSFET of another level than 1 from its element and model card.
type MOSConstructor func(e *parser.Element, card *parser.Model, env Env) (Device, error)

// mosLevels are the MOSFET levels that other packages implement (BSIM4: 14 and 54), and
// what lists the parameters each accepts without using them.
var (
	mosLevels = map[float64]MOSConstructor{}
	mosUnused = map[float64]func(*parser.Model) []string{}
)

// RegisterMOSLevel makes the MOSFETs of the given model levels built by ctor; unused
// lists the parameters of a card that the model accepts but does not use. Packages with
// a MOSFET model call it from init.
func RegisterMOSLevel(ctor MOSConstructor, unused func(*parser.Model) []string, levels ...float64) {
	for _, l := range levels {
		mosLevels[l] = ctor
		mosUnused[l] = unused
	}
}

// UnusedModelParams lists the parameters of a model card that its device accepts but
// does not use (a BSIM4 card's noise coefficients), for gospice check to report.
func UnusedModelParams(m *parser.Model) []string {
	if m.Type == "njf" || m.Type == "pjf" {
		return jfetUnused(m)
	}
	if m.Type != "nmos" && m.Type != "pmos" {
		return nil
	}
	if lv, ok := modelLevel(m); ok && mosUnused[lv] != nil {
		return mosUnused[lv](m)
	}
	return nil
}

// FetLim is SPICE's limiting of a gate voltage's Newton step near the threshold vto
// (DEVfetlim), for MOSFET models of other packages.
func FetLim(vnew, vold, vto float64) (float64, bool) { return mosFetLim(vnew, vold, vto) }

// LimVDS is SPICE's limiting of a drain-source voltage's Newton step (DEVlimvds).
func LimVDS(vnew, vold float64) (float64, bool) { return mosLimVDS(vnew, vold) }

// PNJLim is SPICE's limiting of a junction voltage's Newton step (DEVpnjlim).
func PNJLim(vnew, vold, vt, vcrit float64) (float64, bool) {
	return mosPNJLim(vnew, vold, vt, vcrit)
}

// FastExp is exp within two ulps of math.Exp, faster (for device models' inner loops).
func FastExp(x float64) float64 { return fastExp(x) }

// FastLog is the natural logarithm within two ulps of math.Log, faster.
func FastLog(x float64) float64 { return fastLog(x) }
