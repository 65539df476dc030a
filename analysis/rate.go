package analysis

// RateProbe is a vector that is the time derivative of a charge of the unknowns: a
// capacitor's current, ngspice's @c1[i]. A transient differentiates Charge with its own
// integration method and coefficients, as it differentiates the circuit's charges, so
// that the value is the current the circuit's equations carried at each point; at a DC
// point (an .op, a .dc sweep, a transient's initial point) Value gives it, 0.
type RateProbe interface {
	Probe
	// Charge is the charge at x; with uic, at the initial point of a transient that
	// starts from the devices' initial conditions (a capacitor's IC=).
	Charge(x []float64, uic bool) float64
}

// chargeRate is a RateProbe's value in a transient: the charge's derivative by the
// integration method, with the history it needs.
type chargeRate struct {
	probe  RateProbe
	q1, q2 float64 // the charge at the last accepted point and the one before
	rate   float64 // its derivative at the last accepted point
}

func (r *chargeRate) Value([]float64) float64 { return r.rate }

// rateOutputs gives the outputs with each RateProbe replaced by its chargeRate, and
// those chargeRates, which the transient moves on at every accepted point.
func rateOutputs(outputs []Output) ([]Output, []*chargeRate) {
	var rates []*chargeRate
	var outs []Output
	for i, o := range outputs {
		p, ok := o.Probe.(RateProbe)
		if !ok {
			continue
		}
		if outs == nil {
			outs = append([]Output(nil), outputs...)
		}
		r := &chargeRate{probe: p}
		outs[i].Probe = r
		rates = append(rates, r)
	}
	if outs == nil {
		return outputs, nil
	}
	return outs, rates
}

// startRates sets the history of the charges at the initial point x: no current flows.
func (t *transient) startRates(x []float64) {
	for _, r := range t.rates {
		q := r.probe.Charge(x, t.spec.UIC)
		r.q1, r.q2, r.rate = q, q, 0
	}
}

// acceptRates moves the charges' history on to the accepted point x, with the
// coefficients of the step that reached it: dQ/dt = alpha Q + c1 Q(n) + c2 Q(n-1) +
// cd dQ/dt(n), as setCoefficients set them for the circuit's equations.
func (t *transient) acceptRates(x []float64) {
	for _, r := range t.rates {
		q := r.probe.Charge(x, false)
		r.rate = t.alpha*q + t.histQ1*r.q1 + t.histQ2*r.q2 + t.histRate*r.rate
		r.q1, r.q2 = q, r.q1
	}
}
