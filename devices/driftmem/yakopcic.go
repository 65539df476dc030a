package driftmem

import (
	"math"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// yakopcic is level 3, Yakopcic's generalized memristive device, as Xyce implements it:
//
//	i = a1 x sinh(b v)  (v >= 0),  a2 x sinh(b v)  (v < 0)
//	dx/dt = eta g(v) f(v, x)
//	g(v) = ap (e^v - e^vp) for v > vp;  -an (e^-v - e^vn) for v < -vn;  else 0
//	f(v, x) = e^(-alphap (x - xp)) wp(x) for eta v > 0 and x > xp,
//	          e^(alphan (x + xn - 1)) wn(x) for eta v <= 0 and x <= 1 - xn, else 1
//	wp(x) = (xp - x)/(1 - xp) + 1,  wn(x) = x/(1 - xn)
type yakopcic struct {
	a1, a2, b, vp, vn, ap, an, xp, xn, alphaP, alphaN, eta float64
}

func newYakopcic(e *parser.Element, card *parser.Model, _ devices.Env) (devices.Device, error) {
	var y yakopcic
	var level, xscaling, resnoise, xnoise float64
	t := paramTable{what: "Yakopcic memristor model", params: []param{
		{"level", 3, &level, nil},
		{"eta", 1, &y.eta, nil}, {"vp", 1e-2, &y.vp, nil}, {"vn", -1e-2, &y.vn, nil},
		{"ap", 1, &y.ap, nil}, {"an", 1, &y.an, nil}, {"a1", 1, &y.a1, nil}, {"a2", 1, &y.a2, nil},
		{"b", 1, &y.b, nil}, {"alphap", 1, &y.alphaP, nil}, {"alphan", 1, &y.alphaN, nil},
		{"xp", 1, &y.xp, nil}, {"xn", 1, &y.xn, nil},
		{"xscaling", 1, &xscaling, nil},
		// Xyce's random telegraph noise of the resistance and of the growth: off only.
		{"resnoise", 0, &resnoise, nil}, {"resseed", 0, nil, nil}, {"reslambda", 0, nil, nil},
		{"restd", 0, nil, nil}, {"reseptd", 0, nil, nil}, {"resdelta", 0, nil, nil},
		{"resdeltagrad", 0, nil, nil},
		{"xnoise", 0, &xnoise, nil}, {"xseed", 0, nil, nil}, {"xlambda", 0, nil, nil},
		{"xtd", 0, nil, nil}, {"xeptd", 0, nil, nil}, {"xdelta", 0, nil, nil},
		{"xdeltagrad", 0, nil, nil},
	}}
	if err := t.apply(card.Params, where(e, card)); err != nil {
		return nil, err
	}
	in, err := readInstance(e, card)
	if err != nil {
		return nil, err
	}
	bad := func(msg string) error { return parser.Errorf(card.Pos, "memristor model %s: %s", card.Name, msg) }
	switch {
	case resnoise != 0 || xnoise != 0:
		return nil, bad("resnoise and xnoise (Xyce's random telegraph noise) are not supported")
	case xscaling != 1:
		return nil, bad("xscaling is not used by the Yakopcic model (x is dimensionless): leave it at 1")
	case in.ivGiven:
		return nil, parser.Errorf(e.Pos, "%s: ivrelation is a TEAM (level=2) parameter", e.Name)
	}
	return newDevice(e, &y, in.xo), nil
}

func (y *yakopcic) current(v, x float64) (i, didv, didx float64) {
	a := y.a1
	if v < 0 {
		a = y.a2
	}
	sh := math.Sinh(y.b * v)
	return a * x * sh, a * x * y.b * math.Cosh(y.b*v), a * sh
}

func (y *yakopcic) rate(v, x float64) (r, drdv, drdx float64) {
	var g, dg float64
	switch {
	case v > y.vp:
		e := math.Exp(v)
		g, dg = y.ap*(e-math.Exp(y.vp)), y.ap*e
	case v < -y.vn:
		e := math.Exp(-v)
		g, dg = -y.an*(e-math.Exp(y.vn)), y.an*e
	default:
		return 0, 0, 0
	}
	f, df := 1.0, 0.0
	if y.eta*v > 0 {
		if x > y.xp {
			e := math.Exp(-y.alphaP * (x - y.xp))
			wp := (y.xp-x)/(1-y.xp) + 1
			f, df = wp*e, -e/(1-y.xp)-y.alphaP*wp*e
		}
	} else if x <= 1-y.xn {
		e := math.Exp(y.alphaN * (x + y.xn - 1))
		wn := x / (1 - y.xn)
		f, df = wn*e, e/(1-y.xn)+y.alphaN*wn*e
	}
	return y.eta * g * f, y.eta * dg * f, y.eta * g * df
}
