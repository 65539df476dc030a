package main

import (
	"strings"

	"github.com/gospice/gospice"
)

// A plot may name v(a,b), the voltage of node a over node b, as SPICE means it: when the
// input has no vector of that name (a netlist that does not .print it, the files gospice
// and ngspice write of every node), it is computed from v(a) and v(b).

// difference splits v(a,b) into its nodes; ok is false for any other name.
func difference(name string) (a, b string, ok bool) {
	inner, found := strings.CutPrefix(name, "v(")
	if !found || !strings.HasSuffix(inner, ")") {
		return "", "", false
	}
	a, b, found = strings.Cut(inner[:len(inner)-1], ",")
	if !found || a == "" || b == "" || strings.ContainsAny(a+b, "(),") {
		return "", "", false
	}
	return a, b, true
}

// isGround reports whether a node name is ground, whose voltage is 0 and no vector.
func isGround(node string) bool { return node == "0" || node == "gnd" }

// vector is the column of the named vector: t's, or v(a,b) computed from t's v(a) and
// v(b) (either may be ground); nil when t has neither.
func (t *table) vector(name string) *column {
	if c := t.col(name); c != nil {
		return c
	}
	a, b, ok := difference(name)
	if !ok || isGround(a) && isGround(b) {
		return nil
	}
	node := func(n string) (*column, bool) {
		if isGround(n) {
			return nil, true
		}
		c := t.col("v(" + n + ")")
		return c, c != nil
	}
	ca, okA := node(a)
	cb, okB := node(b)
	if !okA || !okB {
		return nil
	}
	complexOf := func(c *column) bool { return c != nil && c.c != nil }
	if ca != nil && cb != nil && complexOf(ca) != complexOf(cb) {
		return nil // one real, one complex: not columns of one analysis
	}
	d := column{name: name, unit: "V"}
	// Ground is nil; the others are real, or complex for an .ac, with t.len() points.
	switch {
	case complexOf(ca) || complexOf(cb):
		d.c = make([]complex128, t.len())
		for k := range d.c {
			if ca != nil {
				d.c[k] += ca.c[k]
			}
			if cb != nil {
				d.c[k] -= cb.c[k]
			}
		}
	default:
		d.re = make([]float64, t.len())
		for k := range d.re {
			if ca != nil {
				d.re[k] += ca.re[k]
			}
			if cb != nil {
				d.re[k] -= cb.re[k]
			}
		}
	}
	return &d
}

// lacksVectors reports whether a run whose columns are have cannot give every vector of
// names: neither the vector itself, a complex vector it is a part of (vdb(x) of v(x)), nor
// for v(a,b) both v(a) and v(b).
func lacksVectors(have, names []string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
		if v, _, ok := gospice.ACForm(h); ok {
			set[v] = true
		}
	}
	for _, n := range names {
		if v, _, ok := gospice.ACForm(n); ok {
			n = v
		}
		if set[n] {
			continue
		}
		if a, b, ok := difference(n); ok && (isGround(a) || set["v("+a+")"]) && (isGround(b) || set["v("+b+")"]) {
			continue
		}
		return true
	}
	return false
}
