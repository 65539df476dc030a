package main

import (
	"fmt"

	"github.com/gospice/gospice"
)

// printMeasures writes the results of an analysis's .meas lines on standard error, one a
// line, after the analysis: "tran: tdiff = 1.000000e-03", or "tran: tdiff = failed
// (why)". They go there, not to standard output, which carries only data (a CSV or raw
// file written to -); a program reads them from the API's Stats.Measures. They are
// results, not notes, so --quiet does not hide them.
func (r *runner) printMeasures(an gospice.Analysis, stats gospice.Stats) {
	for _, m := range stats.Measures {
		fmt.Fprintf(r.stderr, "%s: %s\n", an.Name(), m)
	}
}
