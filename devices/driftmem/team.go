package driftmem

import (
	"math"
	"strconv"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// team is level 2, TEAM (ThrEshold Adaptive Memristor), as Xyce implements it. Lengths
// (xon, xoff, aon, aoff, wc) and the rates kon, koff are multiplied by xscaling, so that x
// is in the unit xscaling names (1e9: nanometres). The current is v/R(x):
//
//	R(x) = ron + (x - xon)(roff - ron)/(xoff - xon)           ivrelation=0 (linear)
//	R(x) = ron exp(ln(roff/ron)(x - xon)/(xoff - xon))        ivrelation=1 (exponential)
//
// and the state moves only beyond the current thresholds:
//
//	dx/dt = koff (i/ioff - 1)^alphaoff W(x, i)    i >= ioff
//	dx/dt = kon  (i/ion - 1)^alphaon   W(x, i)    i <= ion (else, where i < ioff)
//	dx/dt = 0                                     otherwise
//
// with the window W of wt: 0 none (1), 1 Joglekar 1 - (2x/D - 1)^(2p), 2 Biolek
// 1 - (x/D - stp(i))^(2p), 3 Prodromakis j (1 - ((x - 0.5)^2 - 0.75)^p), 4 Kvatinsky
// exp(-exp((x - aoff)/wc)) for i >= 0 and exp(-exp(-(x - aon)/wc)) for i < 0.
type team struct {
	kon, koff, alphaOn, alphaOff, ion, ioff float64
	ron, roff, xon, xoff                    float64
	nonlinear                               bool
	rMin                                    float64 // floor of a linear R(x) extrapolated below zero
	wt                                      int
	d, p, j, aon, aoff, wc                  float64
}

type teamModel struct {
	level, kon, koff, alphaOn, alphaOff, xon, xoff, ron, roff, ion, ioff, xscaling float64
	d, p, j, aon, aoff, wc, wt, ivrelation, resnoise                               float64
}

func (m *teamModel) table() paramTable {
	return paramTable{what: "TEAM memristor model", params: []param{
		{"level", 2, &m.level, nil},
		{"kon", -8e-13, &m.kon, nil}, {"koff", 8e-13, &m.koff, nil},
		{"alphaon", 3, &m.alphaOn, nil}, {"alphaoff", 3, &m.alphaOff, nil},
		{"xon", 0, &m.xon, nil}, {"xoff", 3e-9, &m.xoff, nil},
		{"ron", 50, &m.ron, nil}, {"roff", 1e3, &m.roff, nil},
		{"ion", 8.9e-6, &m.ion, nil}, {"ioff", 1.15e-4, &m.ioff, nil},
		{"xscaling", 1, &m.xscaling, nil},
		{"d", 1.15e-4, &m.d, nil}, {"p", 1.15e-4, &m.p, nil}, {"j", 1.15e-4, &m.j, nil},
		{"aon", 0, &m.aon, nil}, {"aoff", 3e-9, &m.aoff, nil}, {"wc", 1.07e-12, &m.wc, nil},
		{"wt", 0, &m.wt, nil},
		{"ivrelation", 0, &m.ivrelation, nil}, // an instance parameter in Xyce; here on either
		// Xyce's random telegraph noise of the resistance: only resnoise=0 is supported.
		{"resnoise", 0, &m.resnoise, nil},
		{"resseed", 0, nil, nil}, {"reslambda", 0, nil, nil}, {"restd", 0, nil, nil},
		{"reseptd", 0, nil, nil}, {"resdelta", 0, nil, nil}, {"resdeltagrad", 0, nil, nil},
	}}
}

// instance holds the instance parameters common to the levels.
type instance struct {
	xo, ivrelation   float64
	xoGiven, ivGiven bool
}

func (in *instance) table() paramTable {
	return paramTable{what: "memristor", params: []param{
		{"xo", 0, &in.xo, &in.xoGiven},
		{"ivrelation", 0, &in.ivrelation, &in.ivGiven},
	}}
}

func readInstance(e *parser.Element, card *parser.Model) (instance, error) {
	var in instance
	if err := in.table().apply(e.Params(), "on "+e.Name); err != nil {
		return in, err
	}
	if len(e.Args()) > 0 {
		a := e.Args()[0]
		text := a.Word
		if a.IsNumber {
			text = strconv.FormatFloat(a.Number, 'g', -1, 64)
		}
		return in, parser.Errorf(a.Pos, "%s: unexpected %q after the model", e.Name, text)
	}
	return in, nil
}

func where(e *parser.Element, card *parser.Model) string {
	return "model " + card.Name + ", used by " + e.Name
}

func newTEAM(e *parser.Element, card *parser.Model, _ devices.Env) (devices.Device, error) {
	var m teamModel
	if err := m.table().apply(card.Params, where(e, card)); err != nil {
		return nil, err
	}
	in, err := readInstance(e, card)
	if err != nil {
		return nil, err
	}
	if in.ivGiven {
		m.ivrelation = in.ivrelation
	}
	bad := func(msg string) error { return parser.Errorf(card.Pos, "memristor model %s: %s", card.Name, msg) }
	switch {
	case m.resnoise != 0:
		return nil, bad("resnoise (Xyce's random telegraph noise) is not supported")
	case m.ivrelation != 0 && m.ivrelation != 1:
		return nil, bad("ivrelation must be 0 (linear) or 1 (exponential)")
	case m.wt != 0 && m.wt != 1 && m.wt != 2 && m.wt != 3 && m.wt != 4:
		return nil, bad("wt must be 0, 1, 2, 3 or 4")
	case !(m.ron > 0 && m.roff > 0):
		return nil, bad("ron and roff must be positive")
	case m.xoff == m.xon:
		return nil, bad("xoff must differ from xon")
	case m.ioff == 0 || m.ion == 0:
		return nil, bad("ion and ioff must not be 0")
	case !(m.xscaling > 0):
		return nil, bad("xscaling must be positive")
	case m.wt == 4 && !(m.wc > 0):
		return nil, bad("wc must be positive with wt=4")
	case (m.wt == 1 || m.wt == 2) && m.d == 0:
		return nil, bad("d must not be 0 with wt=1 or wt=2")
	}
	s := m.xscaling
	t := &team{
		kon: m.kon * s, koff: m.koff * s, alphaOn: m.alphaOn, alphaOff: m.alphaOff,
		ion: m.ion, ioff: m.ioff,
		ron: m.ron, roff: m.roff, xon: m.xon * s, xoff: m.xoff * s,
		nonlinear: m.ivrelation == 1,
		rMin:      1e-3 * math.Min(m.ron, m.roff),
		wt:        int(m.wt),
		d:         m.d, p: m.p, j: m.j, aon: m.aon * s, aoff: m.aoff * s, wc: m.wc * s,
	}
	d := newDevice(e, t, in.xo)
	d.span = math.Abs(t.xoff - t.xon)
	return d, nil
}

// resistance is R(x) and dR/dx. A linear R(x) extrapolated below rMin (x far beyond xon)
// stays at rMin, so that the current stays finite.
func (t *team) resistance(x float64) (r, dr float64) {
	u := (x - t.xon) / (t.xoff - t.xon)
	if t.nonlinear {
		lam := math.Log(t.roff / t.ron)
		r = t.ron * math.Exp(lam*u)
		return r, r * lam / (t.xoff - t.xon)
	}
	r = t.ron + u*(t.roff-t.ron)
	if r < t.rMin {
		return t.rMin, 0
	}
	return r, (t.roff - t.ron) / (t.xoff - t.xon)
}

func (t *team) current(v, x float64) (i, didv, didx float64) {
	r, dr := t.resistance(x)
	g := 1 / r
	return v * g, g, -v * dr * g * g
}

func (t *team) rate(v, x float64) (r, drdv, drdx float64) {
	i, didv, didx := t.current(v, x)
	var f, dfdi float64
	switch {
	case i >= t.ioff:
		b := i/t.ioff - 1
		f = t.koff * pow(b, t.alphaOff)
		dfdi = t.koff * t.alphaOff * pow(b, t.alphaOff-1) / t.ioff
	case i <= t.ion:
		b := max(i/t.ion-1, 0)
		f = t.kon * pow(b, t.alphaOn)
		dfdi = t.kon * t.alphaOn * pow(b, t.alphaOn-1) / t.ion
	default:
		return 0, 0, 0
	}
	w, dw := t.window(x, i)
	return f * w, dfdi * didv * w, dfdi*didx*w + f*dw
}

// window is W(x, i) and dW/dx (W depends on i only through its sign).
func (t *team) window(x, i float64) (w, dw float64) {
	switch t.wt {
	case 1: // Joglekar
		b := 2*x/t.d - 1
		return 1 - math.Pow(b, 2*t.p), -2 * t.p * math.Pow(b, 2*t.p-1) * 2 / t.d
	case 2: // Biolek
		step := 0.0
		if i >= 0 {
			step = 1
		}
		b := x/t.d - step
		return 1 - math.Pow(b, 2*t.p), -2 * t.p * math.Pow(b, 2*t.p-1) / t.d
	case 3: // Prodromakis
		c := x - 0.5
		u := c*c - 0.75
		return t.j * (1 - math.Pow(u, t.p)), -t.j * t.p * math.Pow(u, t.p-1) * 2 * c
	case 4: // Kvatinsky
		var arg, sign float64
		if i >= 0 {
			arg, sign = (x-t.aoff)/t.wc, 1
		} else {
			arg, sign = -(x-t.aon)/t.wc, -1
		}
		if arg > 700 { // exp(-exp(arg)) is 0 to the last digit, and so is its slope
			return 0, 0
		}
		e := math.Exp(arg)
		w = math.Exp(-e)
		return w, -sign * w * e / t.wc
	}
	return 1, 0
}
