package control

import (
	"context"
	"strings"

	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// cmdPss runs pss gfreq tstab oscnob psspoints harms sciter steadycoeff [uic], as .pss.
func (in *Interp) cmdPss(ctx context.Context, c *pc.Command, args string) error {
	a, _, err := parser.NewPSS(strings.Fields(args), c.Pos)
	if err != nil {
		return err
	}
	return in.analyze(ctx, a)
}

// pssPlots runs a .pss into the two plots ngspice makes: the period in time (pss1), then
// its harmonics (pss2).
func (in *Interp) pssPlots(ctx context.Context, a *parser.PSS) error {
	res, runErr := in.collect(ctx, a)
	if res == nil || res.Len() == 0 {
		return runErr
	}
	p := in.plotOf(res)
	p.Type = "Time Domain Periodic Steady State Analysis"
	in.addPlot(p)
	if spec := res.Spectrum(); spec != nil {
		p := in.plotOf(spec)
		p.Type = "Frequency Domain Periodic Steady State Analysis"
		in.addPlot(p)
	}
	return runErr
}
