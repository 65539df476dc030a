package devices

import (
	"math"
	"sync"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Resistor: F = (va - vb) / R, with R from the line or from a model's sheet resistance
// and geometry, scaled by temperature as ngspice's resistor is.
type Resistor struct {
	twoTerminal
	g   float64
	acG float64 // the conductance in .ac: from ac= where given (ngspice's AC resistance), else g

	// What a .dc sweep of the resistance needs: the resistance before the temperature
	// factor, that factor times scale, the multiplier, and whether ac= fixed acG.
	r, factor, m float64
	acFixed      bool
	noiseless    bool // noisy=0: no noise in .noise, as ngspice's flag

	flicker *resistorFlicker // nil where the model has no kf
}

// resistorFlicker is a resistor's flicker noise as ngspice 39's (measured against it):
// m kf (|i|/m)^af / (leff^lf weff^wf f^ef), i the current of all m instances, leff and
// weff the lengths after dlr and dw, and leff^lf weff^wf taken as 1 where the line gives
// neither l nor w.
type resistorFlicker struct {
	coef, af, ef float64 // coef: kf / (leff^lf weff^wf)
}

// Swept returns a copy of the resistor, owned by a .dc sweep, whose resistance SetDC
// sets, as ngspice's .dc R1 start stop step does.
func (r *Resistor) Swept() SweptLoader {
	c := *r
	return &c
}

// SetDC sets the resistance (ohms at tnom, before scale and m), with the same
// temperature factor, scale and m.
func (r *Resistor) SetDC(ohms float64) {
	r.r = ohms
	r.g = r.m / (ohms * r.factor)
	if !r.acFixed {
		r.acG = r.g
	}
}

type resistorModel struct {
	rsh, narrow, short, tc1, tc2, tce, defw, defl, tnom, res float64
	kf, af, lf, wf, ef                                       float64
	tnomGiven, tceGiven, resGiven                            bool
}

func (m *resistorModel) params() paramSet {
	return paramSet{what: "resistor model", params: []param{
		p("rsh", 0, "ohm", "sheet resistance", &m.rsh),
		p("narrow dw", 0, "m", "narrowing of each side", &m.narrow),
		p("short dlr", 0, "m", "shortening of each end", &m.short),
		p("tc1 tc1r", 0, "1/C", "first-order temperature coefficient", &m.tc1),
		p("tc2 tc2r", 0, "1/C^2", "second-order temperature coefficient", &m.tc2),
		p("tce", 0, "%/C", "exponential temperature coefficient", &m.tce).withGiven(&m.tceGiven),
		p("defw w", 10e-6, "m", "default width", &m.defw),
		p("l", 10e-6, "m", "default length", &m.defl),
		p("tnom", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		// resistance: the instance's name, which ngspice 39 takes on a model card as the
		// instances' default (tests/regression/model/instance-defaults.cir).
		p("res r resistance", 0, "ohm", "default resistance", &m.res).withGiven(&m.resGiven),
		// tref: SKY130's cards give it; ngspice 39's resistor does not know it (tnom
		// stays 27 there), and ignores it.
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent of the current", &m.af),
		p("lf", 1, "", "flicker noise exponent of the length", &m.lf),
		p("wf", 1, "", "flicker noise exponent of the width", &m.wf),
		p("ef", 1, "", "flicker noise exponent of the frequency", &m.ef),
		accepted("bv_max tref"),
	}}
}

type resistorInstance struct {
	ac, temp, dtemp, l, w, m, tc1, tc2, tce, scale, noisy float64
	acGiven, tempGiven, lGiven, wGiven                    bool
	tc1Given, tc2Given, tceGiven                          bool
}

func (r *resistorInstance) params() paramSet {
	return paramSet{what: "resistor", params: []param{
		p("ac", 0, "ohm", "resistance in AC analysis", &r.ac).withGiven(&r.acGiven),
		p("temp", 27, "C", "instance temperature", &r.temp).withGiven(&r.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &r.dtemp),
		p("l", 0, "m", "length", &r.l).withGiven(&r.lGiven),
		p("w", 0, "m", "width", &r.w).withGiven(&r.wGiven),
		p("m", 1, "", "parallel multiplier", &r.m),
		p("tc1 tc", 0, "1/C", "first-order temperature coefficient", &r.tc1).withGiven(&r.tc1Given),
		p("tc2", 0, "1/C^2", "second-order temperature coefficient", &r.tc2).withGiven(&r.tc2Given),
		p("tce", 0, "%/C", "exponential temperature coefficient", &r.tce).withGiven(&r.tceGiven),
		p("scale", 1, "", "resistance scale factor", &r.scale),
		p("noisy", 1, "", "0: the resistor makes no noise in .noise", &r.noisy),
		accepted("bv_max"),
	}}
}

// resistorDefaults are a resistor's parameters when its line gives none and its model's
// when it has no model, made once: most resistors of a large netlist are so, and making
// the parameter tables costs more than the rest of a resistor.
var resistorDefaults = sync.OnceValues(func() (resistorInstance, resistorModel) {
	var inst resistorInstance
	var mod resistorModel
	inst.params().apply(nil, "")
	mod.params().apply(nil, "")
	return inst, mod
})

// resistorInstanceOf reads the parameters of a resistor's line over the defaults. It is
// apart from newResistor, whose copy of the defaults then stays off the heap: a parameter
// table holds pointers into what it fills, which the compiler cannot see end.
func resistorInstanceOf(e *parser.Element) (resistorInstance, error) {
	inst, _ := resistorDefaults()
	err := inst.params().apply(e.Params(), "on "+e.Name)
	return inst, err
}

// resistorModelOf reads a resistor's model card over the defaults (see resistorInstanceOf).
func resistorModelOf(e *parser.Element, c *parser.Circuit) (resistorModel, error) {
	_, mod := resistorDefaults()
	card, err := modelFor(e, c, "resistor", "r", "res")
	if err != nil {
		return mod, err
	}
	err = mod.params().apply(card.Params, modelWhere(e, card))
	return mod, err
}

func newResistor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	if e.Expr() != nil {
		return newBehaviouralResistor(e, c, env)
	}
	if err := noArgs(e); err != nil {
		return nil, err
	}
	inst, mod := resistorDefaults()
	if len(e.Params()) > 0 {
		var err error
		if inst, err = resistorInstanceOf(e); err != nil {
			return nil, err
		}
	}
	if !(inst.m > 0) {
		return nil, elementError(e, "m must be positive, got %g", inst.m)
	}
	if e.Model != "" {
		var err error
		if mod, err = resistorModelOf(e, c); err != nil {
			return nil, err
		}
	}
	if !mod.tnomGiven {
		mod.tnom = env.TNom
	}
	r := e.Value
	l, w := mod.defl, mod.defw
	if inst.lGiven {
		l = inst.l
	}
	if inst.wGiven {
		w = inst.w
	}
	if !e.HasValue {
		switch {
		case l*w*mod.rsh > 0:
			// ngspice 39 divides by the effective width even when it is not positive: a
			// width of 0 is an infinite resistance, an open circuit (its ac= value still
			// counts in .ac: tests/resistance/res_array.cir), which is kept; a negative
			// size would make a negative resistor, which is refused.
			lEff, wEff := l-2*mod.short, w-2*mod.narrow
			if !(lEff > 0 && wEff >= 0) {
				return nil, elementError(e, "effective size l-2*short = %g, w-2*narrow = %g (l=%g w=%g short=%g narrow=%g of model %q): the length must be positive, the width not negative",
					lEff, wEff, l, w, mod.short, mod.narrow, e.Model)
			}
			r = lEff / wEff * mod.rsh
		case mod.resGiven:
			r = mod.res
		default:
			return nil, elementError(e, "no resistance: give a value, or a model with rsh (and l, w) or r")
		}
	}
	temp := env.Temp + inst.dtemp
	if inst.tempGiven {
		temp = inst.temp
	}
	dt := temp - mod.tnom
	tc1, tc2, tce := mod.tc1, mod.tc2, mod.tce
	if inst.tc1Given {
		tc1 = inst.tc1
	}
	if inst.tc2Given {
		tc2 = inst.tc2
	}
	if inst.tceGiven {
		tce = inst.tce
	}
	factor := 1 + tc1*dt + tc2*dt*dt
	if inst.tceGiven || mod.tceGiven {
		factor = math.Pow(1.01, tce*dt)
	}
	nominal := r
	r *= factor * inst.scale
	if r == 0 || math.IsInf(r, 0) && e.HasValue || math.IsNaN(r) {
		return nil, elementError(e, "resistance must be finite and not zero, got %g", r)
	}
	// Field by field into the zero value from the block: a whole struct's copy would be
	// a bulk write barrier while the collector runs, a fifth of the construction's time.
	res := env.newResistorValue()
	res.el, res.g, res.r, res.factor, res.m = e, inst.m/r, nominal, factor*inst.scale, inst.m
	res.noiseless = inst.noisy == 0
	res.acG = res.g
	if mod.kf != 0 {
		res.flicker = &resistorFlicker{coef: mod.kf, af: mod.af, ef: mod.ef}
		if inst.lGiven || inst.wGiven {
			res.flicker.coef /= math.Pow(l-2*mod.short, mod.lf) * math.Pow(w-2*mod.narrow, mod.wf)
		}
	}
	if inst.acGiven {
		res.acFixed = true
		p, _ := e.Param("ac")
		if !(inst.ac > 0) || math.IsInf(inst.ac, 0) {
			return nil, parser.Errorf(p.Pos, "%s: ac resistance must be positive and finite, got %g", e.Name, inst.ac)
		}
		// As ngspice: the same temperature factor, scale and multiplier as the DC value.
		res.acG = inst.m / (inst.ac * factor * inst.scale)
	}
	return res, nil
}

func (r *Resistor) Setup(b *mna.Builder) { r.setupPair(b) }
func (*Resistor) Linear()                {}

func (r *Resistor) Load(ctx *Context) {
	i := r.g * (ctx.X[r.a] - ctx.X[r.b])
	ctx.F[r.a] += i
	ctx.F[r.b] -= i
	if ctx.Mode == ModeAC {
		r.stamp(ctx.G, r.acG)
		return
	}
	r.stamp(ctx.G, r.g)
}

// ACConductance is the conductance in .ac, and whether ac= fixed it (else it follows
// the resistance).
func (r *Resistor) ACConductance() (g float64, fixed bool) { return r.acG, r.acFixed }

// Current is the current from the first node to the second, i(r1) (Xyce prints it; ngspice
// needs .options savecurrents).
func (r *Resistor) Current(x []float64) float64 { return r.g * (x[r.a] - x[r.b]) }
