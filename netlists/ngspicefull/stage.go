package ngspicefull

import (
	"context"
	"fmt"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
)

// The stages gospice takes a netlist through before it runs it.
const (
	StageParse     = "parse"     // reading the text, includes and libraries
	StageElaborate = "elaborate" // parameters, subcircuits: the flat circuit
	StageBuild     = "build"     // devices, the system, the vectors of each analysis
	StageBuilt     = "built"     // all of them done
)

// Stage takes the netlist at path as far as gospice can before running it, and returns
// the stage that failed with its error, or StageBuilt. A panic is an error of its stage.
func Stage(ctx context.Context, path string) (stage string, err error) {
	stage = StageParse
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	d, err := parser.ParseDeckFile(ctx, path)
	if err != nil {
		return stage, err
	}
	if errs := d.Errors(); len(errs) > 0 {
		return stage, errs // reported by Elaborate too, but found reading the lines
	}
	stage = StageElaborate
	c, err := d.Elaborate(ctx, parser.Variant{})
	if err != nil {
		return stage, err
	}
	stage = StageBuild
	if _, err := gospice.BuildContext(ctx, c); err != nil {
		return stage, err
	}
	return StageBuilt, nil
}
