package bsimqa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Reference is a reference/<test>.standard file: a header, then rows of numbers, the
// temperatures' blocks one after the other.
type Reference struct {
	Header []string
	Rows   [][]float64
}

// ReadReference reads a .standard file.
func ReadReference(path string) (*Reference, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &Reference{}
	for i, l := range strings.Split(string(src), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if r.Header == nil {
			r.Header = f
			continue
		}
		if len(f) != len(r.Header) {
			return nil, fmt.Errorf("%s:%d: %d fields under %d names", path, i+1, len(f), len(r.Header))
		}
		row := make([]float64, len(f))
		for j, s := range f {
			if row[j], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
		}
		r.Rows = append(r.Rows, row)
	}
	if r.Header == nil {
		return nil, fmt.Errorf("%s: empty", path)
	}
	return r, nil
}

// Abs is the absolute part of the tolerance, per output kind: a value passes when
// |got - ref| <= rel*|ref| + Abs. Currents: 1e-13 A, ten times the worst absolute
// difference ngspice 39 shows against the references on currents too small for the
// relative part to govern (6.4e-15 A, where abstol=1e-14 bounds Newton's accuracy);
// conductances 1e-15 S (gmin); capacitances 1e-20 F, the QA toolkit's clip for AC;
// noise densities (A^2/Hz) 1e-30, below any of them.
func Abs(kind byte) float64 {
	switch kind {
	case 'I':
		return 1e-13
	case 'G':
		return 1e-15
	case 'N':
		return 1e-30 // the densities are 1e-23 to 1e-18 A^2/Hz: the relative part governs
	}
	return 1e-20
}

// MinRel is the smallest relative tolerance: ten times the 1e-6 to which the references
// are printed (7 digits).
const MinRel = 1e-5

// Errors are the worst differences of a block: the worst relative difference among the
// values large enough for the relative part of the tolerance to govern (|ref|*MinRel >=
// Abs), the worst absolute difference among the others, and the worst score
// |got-ref|/(rel*|ref|+Abs) for a given rel (pass: <= 1).
type Errors struct {
	Rel, AbsDiff, Score float64
	Where               string // the output and point of the worst score
}

// blockErrors compares a deck's rows with the reference rows of its block: the scale
// column must agree to 1e-6 (it is printed with 7 digits).
func blockErrors(t *Test, got, want [][]float64, rel float64) (Errors, error) {
	var e Errors
	if len(got) != len(want) {
		return e, fmt.Errorf("%d rows, the reference has %d", len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i][0] - want[i][0]); d > 1e-6*math.Abs(want[i][0])+1e-12 {
			return e, fmt.Errorf("row %d: scale %g, the reference has %g", i+1, got[i][0], want[i][0])
		}
		for j, o := range t.Outputs {
			g, r, abs := got[i][j+1], want[i][j+1], Abs(o.Kind)
			d := math.Abs(g - r)
			if math.Abs(r)*MinRel >= abs {
				e.Rel = worse(e.Rel, d/math.Abs(r))
			} else {
				e.AbsDiff = worse(e.AbsDiff, d)
			}
			if s := d / (rel*math.Abs(r) + abs); s > e.Score || math.IsNaN(s) {
				e.Score = s
				e.Where = fmt.Sprintf("%s at %s=%g: %.7g, reference %.7g", o, t.Header()[0], want[i][0], g, r)
			}
		}
	}
	return e, nil
}

// worse is the larger of a and b, NaN if b is.
func worse(a, b float64) float64 {
	if b > a || math.IsNaN(b) {
		return b
	}
	return a
}

// Status is the outcome of one test at one temperature.
type Status string

// The outcomes.
const (
	Pass         Status = "pass"
	Fail         Status = "FAIL"          // ran, outside the tolerance
	Error        Status = "ERROR"         // did not run, or gave the wrong number of points
	NotSupported Status = "not supported" // gospice refuses the device
	// NotApplicable is a variant that is no check of the test: ngspice's own outputs
	// in it differ from the reference by more than MaxVariantRel (a flip of a device
	// whose source and drain differ, nrs without nrd, say).
	NotApplicable Status = "n/a"
)

// MaxVariantRel is the largest relative difference from the reference that ngspice's
// own outputs may show in a variant other than the standard for the variant to be a check.
const MaxVariantRel = 1e-3

// Outcome is one row of the table: a test at a temperature in a variant.
type Outcome struct {
	Suite   string // "bsim4/nmos"
	Test    string
	Temp    float64
	Variant Variant
	Status  Status
	Rel     float64 // the relative tolerance it was held to
	Errors
	Err error
}

// Key names the test, temperature and variant: "bsim4/nmos acVd 27 standard".
func (o Outcome) Key() string {
	return fmt.Sprintf("%s %s %g %s", o.Suite, o.Test, o.Temp, o.Variant)
}

// Tolerance gives the relative tolerance of an outcome (its Suite, Test, Temp and
// Variant set), or an error that makes it NotApplicable.
type Tolerance func(Outcome) (float64, error)

// Suite is the qaSpec of one folder (bsim4/nmos) with its reference outputs.
type Suite struct {
	Name string // "bsim4/nmos"
	Dir  string
	Spec *Spec
}

// LoadSuite reads dir/qaSpec for simulator (its `ifdef blocks).
func LoadSuite(name, dir, simulator string) (*Suite, error) {
	s, err := ParseSpec(filepath.Join(dir, "qaSpec"), simulator)
	if err != nil {
		return nil, err
	}
	return &Suite{Name: name, Dir: dir, Spec: s}, nil
}

// Run runs every test of the suite at each of its temperatures in the given variants
// with sim, compares each with the reference block, and returns the outcomes; rel gives
// the relative tolerance of each. jobs decks run at once.
func (su *Suite) Run(ctx context.Context, sim Simulator, variants []Variant, rel Tolerance, jobs int) []Outcome {
	type reference struct {
		ref *Reference
		err error
	}
	refs := map[*Test]reference{}
	for _, t := range su.Spec.Tests {
		ref, err := ReadReference(filepath.Join(su.Dir, "reference", t.Name+".standard"))
		refs[t] = reference{ref, err}
	}
	return su.each(variants, jobs, func(t *Test, k int, v Variant) Outcome {
		return su.runOne(ctx, sim, t, k, v, refs[t].ref, refs[t].err, rel)
	})
}

// Against runs every deck of the suite, as Run does, with both sim and ref, and compares
// sim's rows with ref's: the two simulators held to each other rather than to the
// references, which also checks the variants where the references are no check
// (NotApplicable in Run). rel gives the relative tolerance; an error from it is ignored.
func (su *Suite) Against(ctx context.Context, sim, ref Simulator, variants []Variant, rel Tolerance, jobs int) []Outcome {
	return su.each(variants, jobs, func(t *Test, k int, v Variant) Outcome {
		o := Outcome{Suite: su.Name, Test: t.Name, Temp: t.Temperatures[k], Variant: v}
		fail := func(s Status, err error) Outcome { o.Status, o.Err = s, err; return o }
		o.Rel, _ = rel(o)
		d, err := su.Spec.NewDeck(t, t.Temperatures[k], v)
		if err != nil {
			return fail(Error, err)
		}
		want, err := RunDeck(ctx, ref, d)
		if err != nil {
			return fail(Error, fmt.Errorf("%s: %w", ref.Name(), err))
		}
		got, err := RunDeck(ctx, sim, d)
		if errors.Is(err, ErrNotSupported) {
			return fail(NotSupported, err)
		}
		if err != nil {
			return fail(Error, err)
		}
		return score(o, t, got, want)
	})
}

// each calls run for every test of the suite at each of its temperatures in the given
// variants (noise tests in the standard variant only, as the toolkit checks them), jobs
// at once, and returns the outcomes in the suite's order.
func (su *Suite) each(variants []Variant, jobs int, run func(t *Test, k int, v Variant) Outcome) []Outcome {
	type job struct {
		t       *Test
		temp    int
		variant Variant
	}
	var jobsList []job
	for _, t := range su.Spec.Tests {
		for _, v := range variants {
			if t.Kind() == Noise && v != Standard {
				continue // the toolkit checks noise in the standard variant only
			}
			for k := range t.Temperatures {
				jobsList = append(jobsList, job{t, k, v})
			}
		}
	}
	out := make([]Outcome, len(jobsList))
	sem := make(chan struct{}, max(jobs, 1))
	done := make(chan struct{})
	for i, j := range jobsList {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem; done <- struct{}{} }()
			out[i] = run(j.t, j.temp, j.variant)
		}()
	}
	for range jobsList {
		<-done
	}
	return out
}

// runOne runs one test at its k-th temperature.
func (su *Suite) runOne(ctx context.Context, sim Simulator, t *Test, k int, v Variant, ref *Reference, refErr error, rel Tolerance) Outcome {
	o := Outcome{Suite: su.Name, Test: t.Name, Temp: t.Temperatures[k], Variant: v}
	fail := func(s Status, err error) Outcome { o.Status, o.Err = s, err; return o }
	var err error
	if o.Rel, err = rel(o); err != nil {
		return fail(NotApplicable, err)
	}
	d, err := su.Spec.NewDeck(t, t.Temperatures[k], v)
	if err != nil {
		return fail(Error, err)
	}
	if refErr != nil {
		return fail(Error, refErr)
	}
	if err := sameHeader(t.Header(), ref.Header); err != nil {
		return fail(Error, err)
	}
	n := len(ref.Rows) / len(t.Temperatures)
	if n*len(t.Temperatures) != len(ref.Rows) {
		return fail(Error, fmt.Errorf("the reference's %d rows do not split into %d temperatures", len(ref.Rows), len(t.Temperatures)))
	}
	rows, err := RunDeck(ctx, sim, d)
	if errors.Is(err, ErrNotSupported) {
		return fail(NotSupported, err)
	}
	if err != nil {
		return fail(Error, err)
	}
	return score(o, t, rows, ref.Rows[k*n:(k+1)*n])
}

// score compares a deck's rows with the block it is held to and sets the outcome's
// errors and status (Pass or Fail; Error when the rows do not line up).
func score(o Outcome, t *Test, got, want [][]float64) Outcome {
	var err error
	if o.Errors, err = blockErrors(t, got, want, o.Rel); err != nil {
		o.Status, o.Err = Error, err
		return o
	}
	o.Status = Pass
	if !(o.Score <= 1) {
		o.Status = Fail
	}
	return o
}

func sameHeader(got, want []string) error {
	if !strings.EqualFold(strings.Join(got, " "), strings.Join(want, " ")) {
		return fmt.Errorf("the reference's columns are %v, the test's %v", want, got)
	}
	return nil
}

// WriteTable writes the outcomes as a Markdown table: the worst relative difference
// (values where the relative tolerance governs), the worst absolute difference (the
// others), the relative tolerance and the status.
func WriteTable(w io.Writer, sim string, outs []Outcome) {
	fmt.Fprintf(w, "| suite | test | temp (C) | variant | worst rel. diff. | worst abs. diff. (small values) | rel. tolerance | %s | worst point / why |\n|---|---|---|---|---|---|---|---|---|\n", sim)
	for _, o := range outs {
		rel, abs, where := fmt.Sprintf("%.2e", o.Errors.Rel), fmt.Sprintf("%.2e", o.AbsDiff), o.Where
		if o.Status != Pass && o.Status != Fail {
			rel, abs, where = "-", "-", firstLine(fmt.Sprint(o.Err))
		}
		fmt.Fprintf(w, "| %s | %s | %g | %s | %s | %s | %.1e | %s | %s |\n", o.Suite, o.Test, o.Temp, o.Variant, rel, abs, o.Rel, o.Status, strings.ReplaceAll(where, "|", "/"))
	}
}

// Count counts the outcomes of each status.
func Count(outs []Outcome) map[Status]int {
	c := map[Status]int{}
	for _, o := range outs {
		c[o.Status]++
	}
	return c
}
