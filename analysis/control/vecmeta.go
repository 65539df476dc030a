package control

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	pc "github.com/gospice/gospice/parser/control"
)

// vectorTypes are the types settype gives a vector, as ngspice 39 names them (its
// sqr-voltage and the like are refused there too).
var vectorTypes = []string{"notype", "time", "frequency", "voltage", "current", "voltage-density",
	"current-density", "pole", "zero", "s-param", "temp-sweep", "temperature", "res-sweep",
	"impedance", "admittance", "power", "phase", "decibel", "capacitance", "charge"}

// cmdSettype gives vectors a type: settype decibel v1 v2. The type names the unit of
// plots and raw files; the values do not change.
func (in *Interp) cmdSettype(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) < 2 {
		return errors.New("too few args: settype type vector ...")
	}
	kind := strings.ToLower(words[0])
	if !slices.Contains(vectorTypes, kind) {
		return fmt.Errorf("no such vector type as '%s'", words[0])
	}
	var vecs []*Vector
	for _, name := range words[1:] {
		v, err := in.lookup(name)
		if err != nil {
			return err // ngspice changes none when one is missing
		}
		vecs = append(vecs, v)
	}
	for _, v := range vecs {
		v.Type = kind
	}
	return nil
}

// cmdRemzerovec removes the vectors of the current plot that have no values.
func (in *Interp) cmdRemzerovec(ctx context.Context, c *pc.Command, args string) error {
	in.cur.Vecs = slices.DeleteFunc(in.cur.Vecs, func(v *Vector) bool { return v.Len() == 0 })
	return nil
}
