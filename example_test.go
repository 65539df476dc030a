package gospice_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"github.com/gospice/gospice"
)

// Parse a netlist, run its operating point and read a node voltage by name.
func Example() {
	sim, err := gospice.Parse("divider.cir", `voltage divider
V1 in 0 DC 9
R1 in out 2k
R2 out 0 1k
.op
.end
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	results, err := sim.Results(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	op := results[0]
	fmt.Println(op.Names())
	vout, _ := op.Vector("v(out)")
	iv1, _ := op.Vector("i(v1)")
	fmt.Printf("v(out) = %.4g V, i(v1) = %.4g A\n", vout[0], iv1[0])
	// Output:
	// [v(in) v(out) i(v1)]
	// v(out) = 3 V, i(v1) = -0.003 A
}

// Run a transient and read its vectors, the time scale first.
func ExampleSimulation_Collect() {
	sim, err := gospice.Parse("rc.cir", `RC charging
V1 in 0 DC 1
R1 in out 1k
C1 out 0 1u IC=0
.tran 10u 5m uic
.end
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	tran := sim.Analyses()[0]
	res, err := sim.Collect(context.Background(), tran)
	if err != nil {
		fmt.Println(err)
		return
	}
	t := res.Scale()
	v, ok := res.Vector("v(out)")
	if !ok {
		fmt.Println("no v(out)")
		return
	}
	last := res.Len() - 1
	fmt.Printf("%s: v(out) = %.3f V at t = %g s\n", tran.Name(), v[last], t[last])
	fmt.Printf("after one time constant: %.2f V\n", interpolate(t, v, 1e-3))
	// Output:
	// tran: v(out) = 0.993 V at t = 0.005 s
	// after one time constant: 0.63 V
}

// interpolate reads v at time at, linearly between points.
func interpolate(t, v []float64, at float64) float64 {
	for k := 1; k < len(t); k++ {
		if t[k] >= at {
			return v[k-1] + (v[k]-v[k-1])*(at-t[k-1])/(t[k]-t[k-1])
		}
	}
	return v[len(v)-1]
}

// Stream the points of a .dc sweep to a function as they are computed, without keeping
// them.
func ExampleSinkFunc() {
	sim, err := gospice.Parse("sweep.cir", `diode-free sweep
V1 in 0 0
R1 in out 1k
R2 out 0 3k
.dc V1 0 4 1
.print dc v(out)
.end
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	sink := gospice.SinkFunc(func(names []string, row []float64) error {
		fmt.Printf("%s=%g %s=%g\n", names[0], row[0], names[1], row[1])
		return nil
	})
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], sink, nil); err != nil {
		fmt.Println(err)
	}
	// Output:
	// v1=0 v(out)=0
	// v1=1 v(out)=0.75
	// v1=2 v(out)=1.5
	// v1=3 v(out)=2.25
	// v1=4 v(out)=3
}

// Read the complex vectors of an .ac analysis: an RC low-pass is 3 dB down, at -45
// degrees, at its corner frequency 1/(2 pi R C).
func ExampleResult_Complex() {
	sim, err := gospice.Parse("lowpass.cir", `RC low-pass
V1 in 0 DC 0 AC 1
R1 in out 1k
C1 out 0 1u
.ac lin 1 159.15494309189535 159.15494309189535
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
	vout, _ := res.Complex("v(out)")
	h := vout[0]
	fmt.Printf("|H| = %.4f, phase = %.1f degrees\n", cmplx.Abs(h), cmplx.Phase(h)*180/math.Pi)
	vdb, _ := res.Vector("vdb(out)")
	fmt.Printf("vdb(out) = %.2f dB\n", vdb[0])
	// Output:
	// |H| = 0.7071, phase = -45.0 degrees
	// vdb(out) = -3.01 dB
}

// Errors in the netlist carry their file, line and column, and suggest the name that was
// probably meant.
func ExampleError() {
	_, err := gospice.Parse("typo.cir", `typo
V1 in 0 1
R1 in out 1k
R2 out 0 1k
.print op v(outt)
.op
.end
`)
	var e *gospice.Error
	if errors.As(err, &e) {
		fmt.Println(e.Pos.Line, e.Pos.Col)
		fmt.Println(e)
	}
	// Output:
	// 5 11
	// typo.cir:5:11: cannot output v(outt): no such node; did you mean "v(out)"?
}

// Run every step point of a netlist on all cores; the runs come back in step order.
func ExampleSimulation_RunSteps() {
	sim, err := gospice.Parse("divider.cir", `stepped divider
V1 in 0 1
R1 in out 1k
R2 out 0 1k
.step r2 list 1k 3k 9k
.op
.end
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = sim.RunSteps(context.Background(), nil, 0, func(r *gospice.StepRun) error {
		if r.Err != nil {
			return r.Err
		}
		v, _ := r.Results[0].Vector("v(out)")
		fmt.Printf("run %d: r2 = %g, v(out) = %.3f\n", r.Run, r.Values[0], v[0])
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// run 1: r2 = 1000, v(out) = 0.500
	// run 2: r2 = 3000, v(out) = 0.750
	// run 3: r2 = 9000, v(out) = 0.900
}

// Build a netlist again with another parameter value, without reading its text again.
func ExampleSimulation_WithParams() {
	sim, err := gospice.Parse("rc.cir", "rc\n.param r=1k\nV1 in 0 1\nR1 in out {r}\nR2 out 0 1k\n.op\n.end\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	other, err := sim.WithParams(context.Background(), map[string]float64{"r": 4e3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []*gospice.Simulation{sim, other} {
		res, err := s.Collect(context.Background(), s.Analyses()[0])
		if err != nil {
			fmt.Println(err)
			return
		}
		v, _ := res.Vector("v(out)")
		fmt.Printf("v(out) = %.2f\n", v[0])
	}
	// Output:
	// v(out) = 0.50
	// v(out) = 0.20
}
