package control

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// cmdAlterparam changes a .param for the circuits that reset makes from now on, as
// ngspice's alterparam does: alterparam name = value for the top level's, alterparam
// subckt name = value for a subcircuit's in every instance of it, where it takes the
// place of the instance's value too (the change takes effect at the next reset, and
// later resets keep it). The value is a number or a vector expression.
func (in *Interp) cmdAlterparam(ctx context.Context, c *pc.Command, args string) error {
	lhs, rhs, ok := strings.Cut(args, "=")
	if !ok {
		return errors.New("usage: alterparam [subckt] name = value")
	}
	words := strings.Fields(strings.ToLower(lhs))
	if len(words) != 1 && len(words) != 2 {
		return errors.New("usage: alterparam [subckt] name = value")
	}
	name := words[len(words)-1]
	if _, known := in.orig.Params[name]; !known && len(words) == 1 {
		return fmt.Errorf("parameter '%s' not found, command skipped", name)
	}
	e, err := pc.ParseExpr(strings.TrimSpace(rhs))
	if err != nil {
		return err
	}
	v, err := in.eval(e)
	if err != nil {
		return err
	}
	if v.Len() == 0 {
		return errors.New("no value")
	}
	if len(words) == 2 {
		sub := words[0]
		if in.subcktOverrides[sub] == nil {
			in.subcktOverrides[sub] = map[string]float64{}
		}
		in.subcktOverrides[sub][name] = v.RealAt(0)
		return nil
	}
	if in.paramOverrides == nil {
		in.paramOverrides = map[string]float64{}
	}
	in.paramOverrides[name] = v.RealAt(0)
	return nil
}

// resetCircuit is the circuit reset goes back to: the netlist as read, or made again
// with the parameters alterparam changed and the random values the last mc_source drew.
func (in *Interp) resetCircuit(ctx context.Context) (*parser.Circuit, error) {
	if (len(in.paramOverrides) == 0 && len(in.subcktOverrides) == 0 && in.mcRuns == 0) || in.orig.Deck == nil {
		return in.orig, nil
	}
	subs := map[string]map[string]float64{}
	for k, m := range in.subcktOverrides {
		subs[k] = maps.Clone(m)
	}
	c, err := in.orig.Deck.Elaborate(ctx, parser.Variant{Params: maps.Clone(in.paramOverrides), SubcktParams: subs, Run: in.mcRuns + 1})
	if err != nil {
		return nil, err
	}
	return c, nil
}
