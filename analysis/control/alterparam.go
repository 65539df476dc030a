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

// cmdAlterparam changes a top-level .param for the circuits that reset makes from now
// on, as ngspice's alterparam does: alterparam name = value (the change takes effect at
// the next reset, and later resets keep it). The value is a number or a vector
// expression. ngspice's form for a subcircuit's parameter (alterparam subckt name =
// value) is refused.
func (in *Interp) cmdAlterparam(ctx context.Context, c *pc.Command, args string) error {
	lhs, rhs, ok := strings.Cut(args, "=")
	if !ok {
		return errors.New("usage: alterparam name = value")
	}
	words := strings.Fields(strings.ToLower(lhs))
	switch {
	case len(words) == 2:
		return fmt.Errorf("parameters of subcircuit %s are not supported, only the top level's", words[0])
	case len(words) != 1:
		return errors.New("usage: alterparam name = value")
	}
	name := words[0]
	if _, known := in.orig.Params[name]; !known {
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
	if in.paramOverrides == nil {
		in.paramOverrides = map[string]float64{}
	}
	in.paramOverrides[name] = v.RealAt(0)
	return nil
}

// resetCircuit is the circuit reset goes back to: the netlist as read, or made again
// with the parameters alterparam changed and the random values the last mc_source drew.
func (in *Interp) resetCircuit(ctx context.Context) (*parser.Circuit, error) {
	if (len(in.paramOverrides) == 0 && in.mcRuns == 0) || in.orig.Deck == nil {
		return in.orig, nil
	}
	c, err := in.orig.Deck.Elaborate(ctx, parser.Variant{Params: maps.Clone(in.paramOverrides), Run: in.mcRuns + 1})
	if err != nil {
		return nil, err
	}
	return c, nil
}
