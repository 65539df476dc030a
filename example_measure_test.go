package gospice_test

import (
	"context"
	"fmt"

	"github.com/gospice/gospice"
)

// Measure an RC step response with .meas lines, as ngspice does after each analysis:
// the results come with the run, and one that cannot be found fails alone.
func ExampleResult_Measure() {
	sim, err := gospice.Parse("rc.cir", `rc step
V1 in 0 PULSE(0 1 0 1n 1n 1 2)
R1 in out 1k
C1 out 0 1u
.tran 10u 5m
.meas tran trise TRIG v(out) VAL=0.1 RISE=1 TARG v(out) VAL=0.9 RISE=1
.meas tran vavg AVG v(out) FROM=1m TO=2m
.meas tran late WHEN v(out)=0.5 FALL=1
.end
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		fmt.Println(err)
		return
	}
	trise, err := res.Measure("trise")
	fmt.Printf("rise time %.3g ms (RC ln 9 = 2.197 ms), %v\n", trise*1e3, err)
	for _, m := range res.Stats.Measures {
		if m.Err != nil {
			fmt.Println(m) // as ngspice prints it
			continue
		}
		fmt.Printf("%s = %.4g\n", m.Name, m.Value)
	}
	// Output:
	// rise time 2.2 ms (RC ln 9 = 2.197 ms), <nil>
	// trise = 0.002197
	// vavg = 0.7675
	// late = failed (v(out) never falls through 0.5)
}
