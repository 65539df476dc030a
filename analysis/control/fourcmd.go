package control

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis/fourier"
	pc "github.com/gospice/gospice/parser/control"
)

// intVariable is a variable's value as a whole number, or def when it is not set or not
// a number (ngspice's nfreqs, polydegree, fourgridsize, numdgt).
func (in *Interp) intVariable(name string, def int) int {
	v, ok := in.variable(name)
	if !ok || len(v) == 0 {
		return def
	}
	x, err := strconv.ParseFloat(v[0], 64)
	if err != nil {
		return def
	}
	return int(x)
}

// cmdFourier prints the Fourier series of vectors over the last period of the current
// plot's scale, as ngspice 39's fourier does: fourier f0 vectors. The variables nfreqs
// (10 harmonics), polydegree (1: linear interpolation onto the grid) and fourgridsize
// (200 points) set it up, numdgt the digits printed. Each vector's harmonics are kept
// as a vector fourierNK of the plot (frequencies, magnitudes, phases), unless
// fournosave is set.
func (in *Interp) cmdFourier(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) < 2 {
		return errors.New("usage: fourier f0 vectors")
	}
	scale := in.cur.Scale()
	if scale == nil || in.cur.Kind == "const" {
		return errors.New("no vectors loaded")
	}
	if scale.IsComplex() {
		return errors.New("fourier needs real time scale")
	}
	f0, ok := gospice.ParseNumber(words[0])
	if !ok || f0 <= 0 {
		return fmt.Errorf("bad fundamental freq %s", words[0])
	}
	nfreqs := in.intVariable("nfreqs", 10)
	if nfreqs < 1 {
		nfreqs = 10
	}
	degree := in.intVariable("polydegree", 1)
	if degree < 0 {
		degree = 1
	}
	grid := in.intVariable("fourgridsize", 200)
	if grid < 1 {
		grid = 200
	}
	digits := in.intVariable("numdgt", 6)
	if digits < 1 {
		digits = 6
	}
	_, noSave := in.variable("fournosave")
	list, err := pc.ParseExprs(strings.Join(words[1:], " "))
	if err != nil {
		return err
	}
	// Every vector is evaluated before anything is printed: ngspice prints nothing when
	// one of them is not there.
	vecs := make([]*Vector, len(list))
	for k, e := range list {
		if vecs[k], err = in.eval(e); err != nil {
			return err
		}
	}
	in.fourierCalls++
	var failed error
	for k, e := range list {
		v := vecs[k]
		if v.Len() != scale.Len() {
			failed = fmt.Errorf("lengths don't match: %d, %d", v.Len(), scale.Len())
			fmt.Fprintf(in.opt.Stderr, "%s: error: fourier: %v\n", c.Pos, failed)
			continue
		}
		if v.IsComplex() {
			failed = fmt.Errorf("%s isn't real!", e.Text)
			fmt.Fprintf(in.opt.Stderr, "%s: error: fourier: %v\n", c.Pos, failed)
			continue
		}
		h, n, err := fourier.Of(v.Real, scale.Real, f0, nfreqs, degree, grid)
		if err != nil {
			return err
		}
		in.printFourier(e.Text, h, n, degree, digits)
		if !noSave {
			out := &Vector{Name: fmt.Sprintf("fourier%d%d", in.fourierCalls, k+1), Type: "notype"}
			out.Real = append(append(append(out.Real, h.Freq...), h.Mag...), h.Phase...)
			in.cur.set(out)
		}
	}
	if failed != nil {
		in.Errors++ // reported above, vector by vector; the other vectors went on
	}
	return nil
}

// printFourier prints a vector's harmonics in ngspice's table.
func (in *Interp) printFourier(name string, h fourier.Harmonics, grid, degree, digits int) {
	w := in.opt.Stdout
	fmt.Fprintf(w, "Fourier analysis for %s:\n", name)
	fmt.Fprintf(w, "  No. Harmonics: %d, THD: %s %%, Gridsize: %d, Interpolation Degree: %d\n\n",
		len(h.Freq), strconv.FormatFloat(h.THD, 'g', 6, 64), grid, degree)
	fw := digits + 5
	fmt.Fprintf(w, "Harmonic %-*s %-*s %-*s %-*s %-*s\n", fw, "Frequency", fw, "Magnitude", fw, "Phase", fw, "Norm. Mag", fw, "Norm. Phase")
	fmt.Fprintf(w, "-------- %-*s %-*s %-*s %-*s %-*s\n", fw, "---------", fw, "---------", fw, "-----", fw, "---------", fw, "-----------")
	num := func(x float64) string {
		if x < 0 {
			return strconv.FormatFloat(x, 'g', digits-1, 64)
		}
		return strconv.FormatFloat(x, 'g', digits, 64)
	}
	for i := range h.Freq {
		fmt.Fprintf(w, " %-4d    %-*s %-*s %-*s %-*s %-*s\n", i, fw, num(h.Freq[i]), fw, num(h.Mag[i]),
			fw, num(h.Phase[i]), fw, num(h.NormMag[i]), fw, num(h.NormPhase[i]))
	}
	fmt.Fprintln(w)
}

// cmdLinearize makes a new plot of the current transient plot's vectors (or those named)
// at equal steps of its tstep from tstart to tstop, by linear interpolation, as ngspice's
// linearize does: "Transient Analysis (linearized)".
func (in *Interp) cmdLinearize(ctx context.Context, c *pc.Command, args string) error {
	p := in.cur
	if p.tran == nil || p.Kind != "tran" {
		return errors.New("the current plot is not a transient analysis's")
	}
	scale := p.Scale()
	if scale == nil || scale.IsComplex() || scale.Len() < 2 {
		return errors.New("the plot's time scale cannot be linearized")
	}
	t := p.tran
	if (t.Stop-t.Start)*t.Step <= 0 || t.Stop-t.Start < t.Step {
		return fmt.Errorf("bad transient parameters: tstep %g, tstart %g, tstop %g", t.Step, t.Start, t.Stop)
	}
	n := int((t.Stop-t.Start)/t.Step + 1.5)
	newTime := &Vector{Name: scale.Name, Type: scale.Type, Real: make([]float64, n)}
	for i := range newTime.Real {
		newTime.Real[i] = t.Start + float64(i)*t.Step
	}
	vecs := in.namedVectors(c, args)
	lin := &Plot{Kind: "tran", Title: p.Title, Type: "Transient Analysis (linearized)", Date: in.date(),
		Vecs: []*Vector{newTime}, tran: t}
	for _, v := range vecs {
		if v == scale {
			continue
		}
		if v.IsComplex() || v.Len() != scale.Len() {
			return fmt.Errorf("%s cannot be linearized (complex, or not as long as the scale)", v.Name)
		}
		data, err := fourier.Interpolate(v.Real, scale.Real, newTime.Real, 1)
		if err != nil {
			return fmt.Errorf("can't interpolate %s: %v", v.Name, err)
		}
		lin.Vecs = append(lin.Vecs, &Vector{Name: v.Name, Type: v.Type, Real: data})
	}
	in.addPlot(lin)
	return nil
}

// cmdCutout makes a new plot, "Transient Analysis (cut out)", of the current transient
// plot's points from the vector cut-tstart up to, not including, the vector cut-tstop or
// the run's tstop, whichever is earlier (the run's tstart and tstop when they are not
// set; a variable of the name does nothing), of all its vectors or those named, as
// ngspice 39's cutout does (measured: no interpolation, the run's own points).
func (in *Interp) cmdCutout(ctx context.Context, c *pc.Command, args string) error {
	p := in.cur
	if p.tran == nil || p.Kind != "tran" {
		return errors.New("the current plot is not a transient analysis's")
	}
	scale := p.Scale()
	if scale == nil || scale.IsComplex() {
		return errors.New("the plot's time scale cannot be cut")
	}
	from, to := p.tran.Start, p.tran.Stop
	if v := in.cutBound("cut-tstart"); v != nil {
		from = *v
	}
	if v := in.cutBound("cut-tstop"); v != nil {
		to = min(*v, to)
	}
	lo, _ := slices.BinarySearch(scale.Real, from)
	hi, _ := slices.BinarySearch(scale.Real, to)
	if lo >= hi {
		return fmt.Errorf("no point of the run from %g up to %g (it has %g to %g)", from, to, scale.Real[0], scale.Real[scale.Len()-1])
	}
	vecs := in.namedVectors(c, args)
	cut := &Plot{Kind: "tran", Title: p.Title, Type: "Transient Analysis (cut out)", Date: in.date(), tran: p.tran,
		Vecs: []*Vector{{Name: scale.Name, Type: scale.Type, Real: slices.Clone(scale.Real[lo:hi])}}}
	for _, v := range vecs {
		if v == scale || v.Len() != scale.Len() {
			continue // a let's one value is left out, as ngspice leaves it out
		}
		cv := &Vector{Name: v.Name, Type: v.Type}
		if v.IsComplex() {
			cv.Cplx = slices.Clone(v.Cplx[lo:hi])
		} else {
			cv.Real = slices.Clone(v.Real[lo:hi])
		}
		cut.Vecs = append(cut.Vecs, cv)
	}
	in.addPlot(cut)
	return nil
}

// cutBound is the value of the vector cut-tstart or cut-tstop of the current plot (or
// the const plot), nil when there is none.
func (in *Interp) cutBound(name string) *float64 {
	for _, p := range []*Plot{in.cur, in.plots[0]} {
		if v := p.Vector(name); v != nil && v.Len() > 0 {
			x := v.RealAt(0)
			return &x
		}
	}
	return nil
}

// namedVectors is the vectors of the current plot that args names, or all of them after
// the scale. A word that names none is left out with a warning (ngspice 39 leaves it out
// silently: linearize v(n2) np=65536 in hartley_osc_pss_ctrl.cir).
func (in *Interp) namedVectors(c *pc.Command, args string) []*Vector {
	p := in.cur
	words := strings.Fields(args)
	if len(words) == 0 {
		return p.Vecs[1:]
	}
	var vecs []*Vector
	for _, w := range words {
		v := p.Vector(w)
		if v == nil {
			fmt.Fprintf(in.opt.Stderr, "%s: warning: %s: no vector %s in plot %s, left out as in ngspice\n", c.Pos, c.Name, w, p.Name)
			continue
		}
		vecs = append(vecs, v)
	}
	return vecs
}
