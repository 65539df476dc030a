package driftmem

import (
	"math"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// pem is level 4, the piecewise empirical model, as Xyce implements it:
//
//	i = x h(v),  h(v) = i1 e^(v/v1) - i2 e^(-v/v2) + g0 v - (i1 - i2)
//	dx/dt = c1 g(v) f+(x)  for v >= 0 (f+ = 0 beyond the last x of its table)
//	dx/dt = c2 g(v) f-(x)  for v < 0  (f- = 0 below the first x of its table)
//	g(v) = e^(d1 (v - vp)) - 1 for v >= vp;  e^(d2 (v - vn)) - 1 for v <= vn;  else 0
//
// f+ and f- are the tables of the files fxpdata and fxmdata, interpolated linearly (and
// extrapolated from the end segments). An operating point holds x at xo, or without xo
// at 1 if v > 0, else 0.
type pem struct {
	i1, i2, v1, v2, g0, vp, vn, d1, d2, c1, c2 float64
	plus, minus                                *table
}

func newPEM(e *parser.Element, card *parser.Model, env devices.Env) (devices.Device, error) {
	var m pem
	var level float64
	t := paramTable{what: "PEM memristor model", params: []param{
		{"level", 4, &level, nil},
		{"v1", 1, &m.v1, nil}, {"v2", 1, &m.v2, nil}, {"i1", 1, &m.i1, nil}, {"i2", 1, &m.i2, nil},
		{"g0", 1, &m.g0, nil}, {"vp", 1e-2, &m.vp, nil}, {"vn", -1e-2, &m.vn, nil},
		{"d1", 1, &m.d1, nil}, {"d2", 1, &m.d2, nil}, {"c1", 1, &m.c1, nil}, {"c2", 1, &m.c2, nil},
	}}
	if err := t.apply(card.Params, where(e, card)); err != nil {
		return nil, err
	}
	in, err := readInstance(e, card)
	if err != nil {
		return nil, err
	}
	if in.ivGiven {
		return nil, parser.Errorf(e.Pos, "%s: ivrelation is a TEAM (level=2) parameter", e.Name)
	}
	if m.v1 == 0 || m.v2 == 0 {
		return nil, parser.Errorf(card.Pos, "memristor model %s: v1 and v2 must not be 0", card.Name)
	}
	for _, f := range card.Files {
		tab, err := readTable(f)
		if err != nil {
			return nil, err
		}
		switch f.Name {
		case "fxpdata":
			m.plus = tab
		case "fxmdata":
			m.minus = tab
		}
	}
	if m.plus == nil || m.minus == nil {
		return nil, parser.Errorf(card.Pos, "memristor model %s: a PEM model (level=4) needs its window tables, fxpdata=FILE and fxmdata=FILE", card.Name)
	}
	d := newDevice(e, &m, in.xo)
	d.biasOP = !in.xoGiven
	return d, nil
}

// h is the current per unit of x and its derivative in v.
func (m *pem) h(v float64) (h, dh float64) {
	ep, en := math.Exp(v/m.v1), math.Exp(-v/m.v2)
	return m.i1*ep - m.i2*en + m.g0*v - (m.i1 - m.i2), m.i1*ep/m.v1 + m.i2*en/m.v2 + m.g0
}

func (m *pem) current(v, x float64) (i, didv, didx float64) {
	h, dh := m.h(v)
	return x * h, x * dh, h
}

func (m *pem) rate(v, x float64) (r, drdv, drdx float64) {
	var g, dg float64
	switch {
	case v >= m.vp:
		e := math.Exp(m.d1 * (v - m.vp))
		g, dg = e-1, m.d1*e
	case v <= m.vn:
		e := math.Exp(m.d2 * (v - m.vn))
		g, dg = e-1, m.d2*e
	}
	c, tab := m.c1, m.plus
	var f, df float64
	if v >= 0 {
		if x <= tab.x[len(tab.x)-1] {
			f, df = tab.at(x)
		}
	} else {
		c, tab = m.c2, m.minus
		if x >= tab.x[0] {
			f, df = tab.at(x)
		}
	}
	return c * g * f, c * dg * f, c * g * df
}

// table is a window table: x increasing, f(x) at each.
type table struct {
	x, f []float64
}

// at interpolates f linearly at x, extrapolating the end segments; it returns the
// segment's slope as the derivative.
func (t *table) at(x float64) (f, df float64) {
	// The segment [k, k+1] with t.x[k] <= x < t.x[k+1], or the end one beyond the ends.
	k, hi := 0, len(t.x)-1
	for hi > k+1 {
		mid := (k + hi) / 2
		if t.x[mid] > x {
			hi = mid
		} else {
			k = mid
		}
	}
	slope := (t.f[k+1] - t.f[k]) / (t.x[k+1] - t.x[k])
	return t.f[k] + (x-t.x[k])*slope, slope
}
