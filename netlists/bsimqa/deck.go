package bsimqa

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Variant is a way of running a test whose outputs must equal the standard ones (the QA
// toolkit's variants): the device as specified, with its symmetric pins exchanged, as the
// other polarity with every bias and current negated, or with a multiplier m whose
// currents are divided by m.
type Variant int

// The variants.
const (
	Standard Variant = iota
	Flip             // the symmetric pins exchanged at the instance
	PType            // the pType model, biases negated, currents negated back
	MFactor          // m=MFactor on the instance, currents divided by it
)

// MFactorValue is the multiplier of the MFactor variant.
const MFactorValue = 7

func (v Variant) String() string { return [...]string{"standard", "flip", "ptype", "m"}[v] }

// Variants lists the variants the spec asks for, Standard first.
func (s *Spec) Variants() []Variant {
	vs := []Variant{Standard}
	if len(s.SymmetricPins) == 2 {
		vs = append(vs, Flip)
	}
	if s.CheckPolarity {
		vs = append(vs, PType)
	}
	if slices.Contains(s.ScaleParameters, "m") {
		vs = append(vs, MFactor)
	}
	return vs
}

// Deck is the netlist of one test at one temperature, and how to read its outputs back
// from the currents of its voltage sources.
type Deck struct {
	Test    *Test
	Temp    float64
	Variant Variant
	Text    string   // the netlist, analysis line included, no .control block
	Probes  []string // the voltage sources whose currents the outputs need, "v_d_0"
	// Points is the number of points the analysis must give: the sweep's or the
	// frequencies'.
	Points int
	// Parts are a noise test's decks, one per list value, each a .noise of its copy's
	// noise current: the deck itself is not run.
	Parts []*Deck

	spec   *Spec
	points [][]float64 // per copy of the device: the bias of each pin (spec order)
	copyOf []int       // AC: for each copy, its bias point; DC: the copy itself
	from   []string    // AC: for each copy, the pin driven
	probe  map[[2]int]int
}

// Waves are what a simulator gives back for a deck: the scale (swept voltage or
// frequency) and each probe's current, in Probes order (imaginary parts 0 for DC).
type Waves struct {
	Scale    []float64
	Currents [][]complex128
}

// NewDeck writes the netlist of test t at temperature temp.
//
// The device is instantiated once per bias point (and for AC once per driven pin), each
// copy on its own nodes d_0, g_0, ... with a voltage source per pin, v_d_0 from d_0 to
// ground (or to the swept node sw): the current into the pin is minus that source's
// current. A DC test sweeps the one source vsweep that all the copies' swept pins hang
// from, so one .dc gives every biasList value. An AC test puts ac 1 on the driven pin's
// source of its copy; the admittance Y(m,f) is the current into pin m of the copy driving
// f. The options are the QA toolkit's: gmin=1e-15 abstol=1e-14 reltol=1e-8.
// A noise test's deck is not run but its Parts, a deck per list value (RunDeck).
func (s *Spec) NewDeck(t *Test, temp float64, v Variant) (*Deck, error) {
	if t.Kind() == Noise {
		d := &Deck{Test: t, Temp: temp, Variant: v, spec: s}
		return d, d.noiseParts()
	}
	return s.newDeck(t, temp, v)
}

// newDeck writes the deck of a test, or of one list value of a noise test.
func (s *Spec) newDeck(t *Test, temp float64, v Variant) (*Deck, error) {
	d := &Deck{Test: t, Temp: temp, Variant: v, spec: s, probe: map[[2]int]int{}}
	if v == PType && s.PType == "" {
		return nil, fmt.Errorf("the ptype variant needs pTypeSelectionArguments")
	}
	if v == Flip && len(s.SymmetricPins) != 2 {
		return nil, fmt.Errorf("the flip variant needs symmetricPins")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "* qaSpec test %s at %g C (%s variant)\n", t.Name, temp, v)
	fmt.Fprintf(&b, ".options temp=%s %s\n", num(temp), s.options())
	lists := []float64{math.NaN()}
	if t.ListPin != "" {
		lists = t.ListValues
	}
	switch t.Kind() {
	case DC:
		d.dcCopies(lists)
	case AC:
		d.acCopies(lists)
	case Noise:
		// A part: its one bias point.
		d.points = [][]float64{d.biasAt(lists[0], math.NaN())}
		d.copyOf = []int{0}
		d.Probes = []string{NoiseProbe}
		d.Points = len(frequencies(t.Freq))
	}
	d.writeCopies(&b)
	d.writeModel(&b)
	d.writeAnalysis(&b)
	b.WriteString(".end\n")
	d.Text = b.String()
	return d, nil
}

// NoiseProbe is the one probe of a noise deck: the squared output noise density
// (onoise_spectrum^2) of v(noise_0) = 1 ohm times the current through the output pin's
// source, so the pin's noise current density in A^2/Hz, as the references give N(d).
const NoiseProbe = "onoise"

// isNoise reports whether the deck is a .noise (a part of a noise test), whose one probe
// is the noise density.
func (d *Deck) isNoise() bool { return len(d.Probes) == 1 && d.Probes[0] == NoiseProbe }

// noiseParts splits a noise test into a deck per list value (a .noise has one output).
func (d *Deck) noiseParts() error {
	t := d.Test
	if len(t.Outputs) != 1 || t.Freq == nil || t.Sweep != nil {
		return fmt.Errorf("a noise test needs one output, a freq line and no biasSweep")
	}
	lists := []float64{math.NaN()}
	if t.ListPin != "" {
		lists = t.ListValues
	}
	for _, l := range lists {
		one := *t
		one.ListValues = []float64{l}
		p, err := d.spec.newDeck(&one, d.Temp, d.Variant)
		if err != nil {
			return err
		}
		d.Parts = append(d.Parts, p)
	}
	d.Points = len(lists) * len(frequencies(t.Freq))
	return nil
}

// RunDeck runs a deck with sim and gives its rows (Rows); a noise test's deck, its
// parts' rows one after the other.
func RunDeck(ctx context.Context, sim Simulator, d *Deck) ([][]float64, error) {
	if d.Test.Kind() != Noise {
		w, err := sim.Run(ctx, d)
		if err != nil {
			return nil, err
		}
		return d.Rows(w)
	}
	var rows [][]float64
	for _, p := range d.Parts {
		w, err := sim.Run(ctx, p)
		if err != nil {
			return nil, err
		}
		r, err := p.Rows(w)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

// sign is -1 for the ptype variant, whose biases are negated.
func (d *Deck) sign() float64 {
	if d.Variant == PType {
		return -1
	}
	return 1
}

// biasAt is the bias of every pin at one list value and one sweep value (NaN: none).
func (d *Deck) biasAt(list, sweep float64) []float64 {
	t := d.Test
	bs := make([]float64, len(d.spec.Pins))
	for i, p := range d.spec.Pins {
		switch {
		case t.Sweep != nil && p == t.Sweep.Pin && !math.IsNaN(sweep):
			bs[i] = sweep
		case p == t.ListPin:
			bs[i] = list
		default:
			bs[i] = t.Biases[p]
		}
	}
	return bs
}

// dcCopies makes a copy per list value; the swept pin's bias is the sweep.
func (d *Deck) dcCopies(lists []float64) {
	for k, l := range lists {
		d.points = append(d.points, d.biasAt(l, math.NaN()))
		d.copyOf = append(d.copyOf, k)
		for _, o := range d.Test.Outputs {
			d.addProbe(k, o.Pin)
		}
	}
	d.Points = len(d.Test.Sweep.Values())
}

// acCopies makes a copy per bias point (list value, then sweep value) and driven pin.
func (d *Deck) acCopies(lists []float64) {
	t := d.Test
	sweeps := []float64{math.NaN()}
	if t.Sweep != nil {
		sweeps = t.Sweep.Values()
	}
	var drive []string
	for _, o := range t.Outputs {
		if !slices.Contains(drive, o.From) {
			drive = append(drive, o.From)
		}
	}
	point := 0
	for _, l := range lists {
		for _, sw := range sweeps {
			for _, f := range drive {
				c := len(d.points)
				d.points = append(d.points, d.biasAt(l, sw))
				d.copyOf = append(d.copyOf, point)
				d.from = append(d.from, f)
				for _, o := range t.Outputs {
					if o.From == f {
						d.addProbe(c, o.Pin)
					}
				}
			}
			point++
		}
	}
	d.Points = 1
	if t.Freq != nil {
		d.Points = len(frequencies(t.Freq))
	}
}

// addProbe records that the current of pin's source in copy c is an output.
func (d *Deck) addProbe(c int, pin string) {
	pi := slices.Index(d.spec.Pins, pin)
	key := [2]int{c, pi}
	if _, ok := d.probe[key]; !ok {
		d.probe[key] = len(d.Probes)
		d.Probes = append(d.Probes, source(pin, c))
	}
}

func source(pin string, c int) string { return "v_" + pin + "_" + strconv.Itoa(c) }

// writeCopies writes each copy's sources and instance.
func (d *Deck) writeCopies(b *strings.Builder) {
	s, t := d.spec, d.Test
	if t.Kind() == DC {
		fmt.Fprintf(b, "vsweep sw 0 dc %s\n", num(d.sign()*t.Sweep.Start))
	}
	for c, bias := range d.points {
		for i, p := range s.Pins {
			ref, val := "0", num(d.sign()*bias[i])
			if t.Kind() == DC && p == t.Sweep.Pin {
				ref, val = "sw", "0"
			}
			ac := ""
			if t.Kind() == AC && p == d.from[c] || t.Kind() == Noise && p == t.Outputs[0].Pin {
				ac = " ac 1" // noise: the input source, which the output noise does not depend on
			}
			fmt.Fprintf(b, "%s %s_%d %s dc %s%s\n", source(p, c), p, c, ref, val, ac)
		}
		nodes := make([]string, len(s.Pins))
		for i, p := range s.Pins {
			nodes[i] = fmt.Sprintf("%s_%d", d.instancePin(p), c)
		}
		if t.Kind() == Noise {
			fmt.Fprintf(b, "h_noise noise_%d 0 %s 1\n", c, source(t.Outputs[0].Pin, c))
		}
		fmt.Fprintf(b, "%s%d %s qamodel", s.KeyLetter, c, strings.Join(nodes, " "))
		for _, p := range t.InstanceParams {
			fmt.Fprintf(b, " %s=%s", p.Name, num(p.Value))
		}
		if d.Variant == MFactor {
			fmt.Fprintf(b, " m=%d", MFactorValue)
		}
		b.WriteByte('\n')
	}
}

// instancePin is the node the instance's pin p connects to: itself, or in the flip
// variant its symmetric partner.
func (d *Deck) instancePin(p string) string {
	if d.Variant == Flip {
		sp := d.spec.SymmetricPins
		switch p {
		case sp[0]:
			return sp[1]
		case sp[1]:
			return sp[0]
		}
	}
	return p
}

// writeModel writes the model card: the selection arguments, then the parameters.
func (d *Deck) writeModel(b *strings.Builder) {
	sel := d.spec.NType
	if d.Variant == PType {
		sel = d.spec.PType
	}
	fmt.Fprintf(b, ".model qamodel %s\n", sel)
	for _, p := range d.Test.ModelParams {
		fmt.Fprintf(b, "+ %s=%s\n", p.Name, num(p.Value))
	}
}

// writeAnalysis writes the .dc or .ac line.
func (d *Deck) writeAnalysis(b *strings.Builder) {
	t := d.Test
	if t.Kind() == DC {
		sg := d.sign()
		fmt.Fprintf(b, ".dc vsweep %s %s %s\n", num(sg*t.Sweep.Start), num(sg*t.Sweep.Stop), num(sg*t.Sweep.Step))
		return
	}
	if t.Kind() == Noise {
		fmt.Fprintf(b, ".noise v(noise_0) %s %s %d %s %s\n", source(t.Outputs[0].Pin, 0), t.Freq.Kind, t.Freq.Points, num(t.Freq.Start), num(t.Freq.Stop))
		return
	}
	if t.Freq == nil {
		f := num(DefaultFrequency)
		fmt.Fprintf(b, ".ac lin 1 %s %s\n", f, f)
		return
	}
	fmt.Fprintf(b, ".ac %s %d %s %s\n", t.Freq.Kind, t.Freq.Points, num(t.Freq.Start), num(t.Freq.Stop))
}

// DefaultFrequency is the frequency of an AC test without a freq line: omega = 1 rad/s,
// as in the QA toolkit, so that C = Im(Y).
const DefaultFrequency = 1 / (2 * math.Pi)

// num writes a float64 so that it reads back the same.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// frequencies lists the frequencies of a sweep as SPICE does, for counting.
func frequencies(f *Freq) []float64 {
	var fs []float64
	switch f.Kind {
	case "lin":
		if f.Points == 1 {
			return []float64{f.Start}
		}
		for i := 0; i < f.Points; i++ {
			fs = append(fs, f.Start+float64(i)*(f.Stop-f.Start)/float64(f.Points-1))
		}
	default:
		per := 10.0
		if f.Kind == "oct" {
			per = 2
		}
		n := int(math.Floor(math.Log(f.Stop/f.Start)/math.Log(per)*float64(f.Points)+1e-9)) + 1
		for i := 0; i < n; i++ {
			fs = append(fs, f.Start*math.Pow(per, float64(i)/float64(f.Points)))
		}
	}
	return fs
}

// Header is the reference file's header for the test: the scale column, then the
// outputs (I(d); g(d,g) c(g,s)).
func (t *Test) Header() []string {
	h := []string{"Freq"}
	if t.Freq == nil {
		h[0] = "V(" + t.Sweep.Pin + ")"
	}
	for _, o := range t.Outputs {
		if o.Kind == 'I' {
			h = append(h, o.String())
		} else {
			h = append(h, strings.ToLower(o.String()))
		}
	}
	return h
}

// Rows turns a simulator's waves into the rows of the reference file's block for this
// deck's temperature: the scale value, then the outputs. The currents into the pins are
// minus the probes' currents; the ptype variant negates them back and the m variant
// divides them by m. For AC, G(m,f) is Re Y(m,f) and C(m,f) is Im Y(m,f)/omega, with
// the sign flipped off the diagonal (a capacitance between two pins gives Y = -jwC).
func (d *Deck) Rows(w *Waves) ([][]float64, error) {
	if len(w.Currents) != len(d.Probes) {
		return nil, fmt.Errorf("%d probe currents for %d probes", len(w.Currents), len(d.Probes))
	}
	if len(w.Scale) != d.Points {
		return nil, fmt.Errorf("%d points, want %d", len(w.Scale), d.Points)
	}
	for i, c := range w.Currents {
		if len(c) != d.Points {
			return nil, fmt.Errorf("%s: %d points, want %d", d.Probes[i], len(c), d.Points)
		}
	}
	scale := 1.0
	if d.Variant == PType {
		scale = -1
	}
	if d.Variant == MFactor {
		scale = 1.0 / MFactorValue
	}
	t := d.Test
	if t.Kind() == Noise {
		// A noise density: m devices' is m times one's; the ptype's is the same.
		if d.Variant == MFactor {
			scale = 1.0 / MFactorValue
		} else {
			scale = 1
		}
		var rows [][]float64
		for k, f := range w.Scale {
			rows = append(rows, []float64{f, scale * real(w.Currents[0][k])})
		}
		return rows, nil
	}
	pins := d.spec.Pins
	into := func(c, pin, k int) complex128 {
		return -w.Currents[d.probe[[2]int{c, pin}]][k] * complex(scale, 0)
	}
	var rows [][]float64
	if t.Kind() == DC {
		sweeps := t.Sweep.Values()
		for k, v := range w.Scale {
			if want := d.sign() * sweeps[k]; math.Abs(v-want) > 1e-9*max(1, math.Abs(want)) {
				return nil, fmt.Errorf("sweep point %d is %g, want %g", k+1, v, want)
			}
		}
		for c := range d.points {
			for k := range d.Points {
				row := []float64{sweeps[k]}
				for _, o := range t.Outputs {
					row = append(row, real(into(c, slices.Index(pins, o.Pin), k)))
				}
				rows = append(rows, row)
			}
		}
		return rows, nil
	}
	// AC: the copies of a bias point are consecutive, one per driven pin.
	var sweeps []float64
	if t.Sweep != nil {
		sweeps = t.Sweep.Values()
	}
	for c0 := 0; c0 < len(d.points); {
		point := d.copyOf[c0]
		copyFor := map[string]int{}
		for c := c0; c < len(d.points) && d.copyOf[c] == point; c++ {
			copyFor[d.from[c]] = c
		}
		for k := range d.Points {
			var row []float64
			if t.Freq == nil {
				if sweeps == nil {
					return nil, fmt.Errorf("an AC test without a frequency sweep needs a biasSweep")
				}
				row = append(row, sweeps[point%len(sweeps)])
			} else {
				row = append(row, w.Scale[k])
			}
			omega := 2 * math.Pi * w.Scale[k]
			for _, o := range t.Outputs {
				y := into(copyFor[o.From], slices.Index(pins, o.Pin), k)
				if d.Variant == PType {
					// into negated the current; the toolkit negates the drive too, so
					// an admittance keeps its sign: undo it.
					y = -y
				}
				switch o.Kind {
				case 'G':
					row = append(row, real(y))
				case 'C':
					c := imag(y) / omega
					if o.Pin != o.From {
						c = -c
					}
					row = append(row, c)
				}
			}
			rows = append(rows, row)
		}
		c0 += len(copyFor)
	}
	return rows, nil
}

// ToolkitOptions are the options of the QA toolkit's decks, after temp=.
const ToolkitOptions = "gmin=1e-15 abstol=1e-14 reltol=1e-8"

// options are the spec's options, else the toolkit's.
func (s *Spec) options() string {
	if s.Options != "" {
		return s.Options
	}
	return ToolkitOptions
}
