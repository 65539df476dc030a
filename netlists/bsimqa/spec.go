package bsimqa

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gospice/gospice"
)

// Spec is a parsed qaSpec file: the setup shared by its tests, then the tests.
type Spec struct {
	Path string // the qaSpec file; parameter files resolve in its folder

	KeyLetter   string   // the instance's first letter: m
	Pins        []string // the device's pins in instance order: d g s b
	LinearScale []string // instance parameters a scale variant divides by the factor
	AreaScale   []string // and those it divides by its square
	// Temperatures are the default temperatures (degrees C) of the tests.
	Temperatures []float64
	// CheckPolarity asks for the pType variant: the pType model with every bias and
	// current negated must give the same outputs.
	CheckPolarity bool
	// SymmetricPins are two pins (d s) whose exchange must not change the outputs: the
	// flip variant.
	SymmetricPins []string
	// ScaleParameters names the scaling variants: m (the multiplier m must scale every
	// current), scale, shrink.
	ScaleParameters []string
	// NType and PType are the model card's type and selection arguments for the chosen
	// simulator ("nmos level=14 version=4.8.1"), from the `ifdef blocks.
	NType, PType string

	Tests []*Test

	// Options are the simulator options of the decks after temp= (ToolkitOptions
	// when empty).
	Options string
}

// Test is one test of a qaSpec.
type Test struct {
	Name string
	Line int // where its test line is in the qaSpec

	Temperatures []float64          // its own temperatures, else the spec's
	Biases       map[string]float64 // the fixed bias of each pin
	// ListPin takes each of ListValues in turn (biasList), the outer loop of the
	// results; empty when the test has no biasList.
	ListPin    string
	ListValues []float64
	// Sweep is the swept pin (biasSweep), the inner loop of a DC test or the bias points
	// of an AC test without a frequency sweep.
	Sweep *Sweep
	// Freq is the frequency sweep of an AC or noise test, nil for one point at
	// omega = 1 rad/s, the QA toolkit's default.
	Freq           *Freq
	Outputs        []Output
	InstanceParams []Param
	ModelParams    []Param // the parameter files' and lines' values, a repeated name keeping its first place and its last value
}

// Sweep is a biasSweep: the pin's voltage from Start to Stop by Step.
type Sweep struct {
	Pin               string
	Start, Stop, Step float64
}

// Values lists the swept voltages as the QA toolkit does: from Start by Step while not
// past Stop by more than a tenth of a step.
func (s *Sweep) Values() []float64 {
	step := s.Step
	if (s.Stop > s.Start) != (step > 0) {
		step = -step
	}
	var vs []float64
	for i := 0; ; i++ {
		v := s.Start + float64(i)*step
		if (step > 0 && v > s.Stop+0.1*step) || (step < 0 && v < s.Stop+0.1*step) {
			return vs
		}
		vs = append(vs, v)
	}
}

// Freq is a frequency sweep: dec, oct or lin, Points, Start and Stop in Hz.
type Freq struct {
	Kind        string
	Points      int
	Start, Stop float64
}

// Output is one output of a test: I(d), V(d) (DC), G(d,g), C(g,s) (AC), N(d) (noise).
type Output struct {
	Kind byte   // 'I', 'V', 'G', 'C', 'N'
	Pin  string // the measured pin
	From string // G and C: the pin driven
}

func (o Output) String() string {
	if o.From != "" {
		return fmt.Sprintf("%c(%s,%s)", o.Kind, o.Pin, o.From)
	}
	return fmt.Sprintf("%c(%s)", o.Kind, o.Pin)
}

// Param is a name=value parameter of the instance or the model.
type Param struct {
	Name  string
	Value float64
}

// Kind says what analysis a test needs.
type Kind int

// The kinds of test.
const (
	DC Kind = iota
	AC
	Noise
)

func (k Kind) String() string { return [...]string{"dc", "ac", "noise"}[k] }

// Kind is the test's analysis, from its outputs (ParseSpec has checked they agree).
func (t *Test) Kind() Kind {
	switch t.Outputs[0].Kind {
	case 'G', 'C':
		return AC
	case 'N':
		return Noise
	}
	return DC
}

// line is one logical line of a qaSpec: continuations joined, comments gone.
type line struct {
	text string
	num  int
}

// ParseSpec reads the qaSpec at path for the named simulator ("ngspice": the `ifdef
// blocks of that name are kept, the others dropped) and the parameter files it names.
// Errors name the file and line.
func ParseSpec(path, simulator string) (*Spec, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines, err := logicalLines(path, string(src), map[string]bool{simulator: true})
	if err != nil {
		return nil, err
	}
	s := &Spec{Path: path}
	var t *Test
	for _, l := range lines {
		fields := strings.Fields(l.text)
		key, rest := strings.ToLower(fields[0]), strings.TrimSpace(l.text[len(fields[0]):])
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s: %s", path, l.num, fields[0], fmt.Sprintf(format, args...))
		}
		if key == "test" || key == "testname" {
			if len(fields) != 2 {
				return nil, fail("want one test name")
			}
			t = &Test{Name: fields[1], Line: l.num, Biases: map[string]float64{}}
			s.Tests = append(s.Tests, t)
			continue
		}
		var err error
		if t == nil {
			err = s.setup(key, rest)
		} else {
			err = s.testLine(t, key, rest)
		}
		if err != nil {
			return nil, fail("%v", err)
		}
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for _, t := range s.Tests {
		if err := s.checkTest(t); err != nil {
			return nil, fmt.Errorf("%s:%d: test %s: %v", path, t.Line, t.Name, err)
		}
	}
	return s, nil
}

// logicalLines strips // comments and blank lines, joins continuations (a line starting
// with + continues the one before, as does a line ending in \), applies `ifdef, `else,
// `endif, `define and `undef, and keeps each line's number.
func logicalLines(path, src string, defined map[string]bool) ([]line, error) {
	var out []line
	type block struct {
		keep, parentKeep bool
		line             int
	}
	var stack []block
	keep, continued := true, false
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		num := i + 1
		text := raw
		if c := strings.Index(text, "//"); c >= 0 {
			text = text[:c]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "`") {
			f := strings.Fields(text)
			switch f[0] {
			case "`ifdef", "`ifndef":
				if len(f) != 2 {
					return nil, fmt.Errorf("%s:%d: %s needs one name", path, num, f[0])
				}
				on := defined[f[1]] == (f[0] == "`ifdef")
				stack = append(stack, block{keep: on, parentKeep: keep, line: num})
				keep = keep && on
			case "`else":
				if len(stack) == 0 {
					return nil, fmt.Errorf("%s:%d: `else without `ifdef", path, num)
				}
				b := &stack[len(stack)-1]
				b.keep = !b.keep
				keep = b.parentKeep && b.keep
			case "`endif":
				if len(stack) == 0 {
					return nil, fmt.Errorf("%s:%d: `endif without `ifdef", path, num)
				}
				keep = stack[len(stack)-1].parentKeep
				stack = stack[:len(stack)-1]
			case "`define", "`undef":
				if keep && len(f) > 1 {
					defined[f[1]] = f[0] == "`define"
				}
			default:
				return nil, fmt.Errorf("%s:%d: unknown directive %s (`include is not supported)", path, num, f[0])
			}
			continue
		}
		if !keep {
			continue
		}
		if strings.HasPrefix(text, "+") {
			if len(out) == 0 {
				return nil, fmt.Errorf("%s:%d: continuation line with nothing to continue", path, num)
			}
			out[len(out)-1].text += " " + strings.TrimSpace(text[1:])
			continue
		}
		if continued {
			out[len(out)-1].text += " " + text
		} else {
			out = append(out, line{text: text, num: num})
		}
		continued = strings.HasSuffix(text, `\`)
		if continued {
			out[len(out)-1].text = strings.TrimSpace(strings.TrimSuffix(out[len(out)-1].text, `\`))
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%s:%d: `ifdef without `endif", path, stack[len(stack)-1].line)
	}
	return out, nil
}

// number reads a number with SPICE's scale suffixes, parentheses around it allowed.
func number(s string) (float64, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "("), ")")
	v, ok := gospice.ParseNumber(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// numbers reads a list of numbers separated by commas or spaces.
func numbers(s string) ([]float64, error) {
	var vs []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		v, err := number(f)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// names splits a list of names separated by commas or spaces, lower-cased.
func names(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// setup reads a line before the first test.
func (s *Spec) setup(key, rest string) error {
	var err error
	switch key {
	case "keyletter":
		s.KeyLetter = strings.ToLower(rest)
		if len(s.KeyLetter) != 1 {
			return fmt.Errorf("want one letter, found %q", rest)
		}
	case "pins", "terminals":
		s.Pins = names(rest)
	case "linearscale":
		s.LinearScale = names(rest)
	case "areascale":
		s.AreaScale = names(rest)
	case "temperature":
		s.Temperatures, err = numbers(rest)
	case "checkpolarity":
		switch strings.ToLower(rest) {
		case "yes", "y", "1":
			s.CheckPolarity = true
		case "no", "n", "0":
		default:
			return fmt.Errorf("want yes or no, found %q", rest)
		}
	case "symmetricpins", "symmetricterminals":
		s.SymmetricPins = names(rest)
		if len(s.SymmetricPins) != 2 {
			return fmt.Errorf("want two pins, found %q", rest)
		}
	case "scaleparameters":
		s.ScaleParameters = names(rest)
	case "ntypeselectionarguments", "typeselectionarguments", "modelselectionarguments":
		s.NType = rest
	case "ptypeselectionarguments":
		s.PType = rest
	case "float", "verilogafile":
		return fmt.Errorf("not supported by this harness (no BSIM deck uses it)")
	default:
		return fmt.Errorf("unknown setup directive")
	}
	return err
}

// testLine reads a line of the test t.
func (s *Spec) testLine(t *Test, key, rest string) error {
	var err error
	switch key {
	case "temperature":
		t.Temperatures, err = numbers(rest)
	case "biases":
		for _, f := range strings.Fields(rest) {
			pin, v, err := bias(f)
			if err != nil {
				return err
			}
			t.Biases[pin] = v
		}
	case "biaslist", "listbias":
		pin, list, ok := strings.Cut(rest, "=")
		if !ok {
			return fmt.Errorf("want V(pin)=v1,v2,...")
		}
		if t.ListPin, err = voltagePin(pin); err != nil {
			return err
		}
		t.ListValues, err = numbers(list)
	case "biassweep", "sweepbias":
		pin, list, ok := strings.Cut(rest, "=")
		if !ok {
			return fmt.Errorf("want V(pin)=start,stop,step")
		}
		sw := &Sweep{}
		if sw.Pin, err = voltagePin(pin); err != nil {
			return err
		}
		vs, err := numbers(list)
		if err != nil {
			return err
		}
		if len(vs) != 3 || vs[0] == vs[1] || vs[2] == 0 {
			return fmt.Errorf("want start,stop,step with start != stop and step != 0")
		}
		sw.Start, sw.Stop, sw.Step = vs[0], vs[1], vs[2]
		t.Sweep = sw
	case "freq", "frequency":
		f := strings.Fields(rest)
		if len(f) != 4 {
			return fmt.Errorf("want dec|oct|lin N fstart fstop")
		}
		fr := &Freq{Kind: strings.ToLower(f[0])}
		if fr.Kind != "dec" && fr.Kind != "oct" && fr.Kind != "lin" {
			return fmt.Errorf("unknown sweep %q", f[0])
		}
		if _, err := fmt.Sscanf(f[1], "%d", &fr.Points); err != nil || fr.Points < 1 {
			return fmt.Errorf("bad number of points %q", f[1])
		}
		if fr.Start, err = number(f[2]); err != nil {
			return err
		}
		if fr.Stop, err = number(f[3]); err != nil {
			return err
		}
		t.Freq = fr
	case "output", "outputs":
		return s.outputs(t, rest)
	case "instanceparameters":
		for _, f := range strings.Fields(rest) {
			p, err := param(f)
			if err != nil {
				return err
			}
			t.InstanceParams = append(t.InstanceParams, p)
		}
	case "modelparameters":
		for _, f := range strings.Fields(rest) {
			if !strings.Contains(f, "=") {
				ps, err := readParameterFile(filepath.Join(filepath.Dir(s.Path), f))
				if err != nil {
					return err
				}
				for _, p := range ps {
					t.ModelParams = setParam(t.ModelParams, p)
				}
				continue
			}
			p, err := param(f)
			if err != nil {
				return err
			}
			t.ModelParams = setParam(t.ModelParams, p)
		}
	default:
		return fmt.Errorf("unknown test directive")
	}
	return err
}

// outputs reads an outputs line: I(d) V(d) G(d,g) C(g,s) N(d).
func (s *Spec) outputs(t *Test, rest string) error {
	f := strings.FieldsFunc(strings.ToLower(rest), func(r rune) bool { return strings.ContainsRune("(), \t", r) })
	for i := 0; i < len(f); {
		kind := strings.ToUpper(f[i])
		need := map[string]int{"I": 1, "V": 1, "G": 2, "C": 2, "N": 1}[kind]
		if need == 0 {
			return fmt.Errorf("unknown output %q (the harness knows I, V, G, C and N)", f[i])
		}
		if i+need >= len(f) {
			return fmt.Errorf("output %s needs %d pin(s)", kind, need)
		}
		o := Output{Kind: kind[0], Pin: f[i+1]}
		if need == 2 {
			o.From = f[i+2]
		}
		t.Outputs = append(t.Outputs, o)
		i += need + 1
	}
	return nil
}

// bias reads V(pin)=value.
func bias(f string) (string, float64, error) {
	lhs, rhs, ok := strings.Cut(f, "=")
	if !ok {
		return "", 0, fmt.Errorf("bias %q: want V(pin)=value", f)
	}
	pin, err := voltagePin(lhs)
	if err != nil {
		return "", 0, err
	}
	v, err := number(rhs)
	return pin, v, err
}

// voltagePin reads the pin of V(pin); V(a,b) (a bias between two pins) is refused.
func voltagePin(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	inner, ok := strings.CutPrefix(s, "v(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", fmt.Errorf("%q: want V(pin)", s)
	}
	inner = strings.TrimSpace(strings.TrimSuffix(inner, ")"))
	if strings.Contains(inner, ",") {
		return "", fmt.Errorf("%q: a bias between two pins is not supported by this harness", s)
	}
	return inner, nil
}

// param reads name=value.
func param(f string) (Param, error) {
	name, val, ok := strings.Cut(f, "=")
	if !ok || name == "" {
		return Param{}, fmt.Errorf("%q: want name=value", f)
	}
	v, err := number(val)
	return Param{Name: strings.ToLower(name), Value: v}, err
}

// setParam sets p in ps: a name already there keeps its place and takes the new value,
// as the QA toolkit does.
func setParam(ps []Param, p Param) []Param {
	if i := slices.IndexFunc(ps, func(q Param) bool { return q.Name == p.Name }); i >= 0 {
		ps[i].Value = p.Value
		return ps
	}
	return append(ps, p)
}

// readParameterFile reads a model parameter file: lines "+ name = (value)".
func readParameterFile(path string) ([]Param, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ps []Param
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "+"))
		if l == "" || strings.HasPrefix(l, "*") || strings.HasPrefix(l, "//") {
			continue
		}
		name, val, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want name = value", path, i+1)
		}
		v, err := number(val)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
		}
		ps = setParam(ps, Param{Name: strings.ToLower(strings.TrimSpace(name)), Value: v})
	}
	return ps, nil
}

// check checks the setup.
func (s *Spec) check() error {
	switch {
	case s.KeyLetter == "":
		return fmt.Errorf("no keyLetter")
	case len(s.Pins) < 2:
		return fmt.Errorf("want two or more pins")
	case s.NType == "":
		return fmt.Errorf("no nTypeSelectionArguments for this simulator")
	case s.CheckPolarity && s.PType == "":
		return fmt.Errorf("checkPolarity without pTypeSelectionArguments")
	}
	for _, p := range s.SymmetricPins {
		if !slices.Contains(s.Pins, p) {
			return fmt.Errorf("symmetric pin %s is not a pin", p)
		}
	}
	if len(s.Temperatures) == 0 {
		s.Temperatures = []float64{27}
	}
	return nil
}

// checkTest checks a test against the setup and fills in its defaults.
func (s *Spec) checkTest(t *Test) error {
	if len(t.Temperatures) == 0 {
		t.Temperatures = s.Temperatures
	}
	if len(t.Outputs) == 0 {
		return fmt.Errorf("no outputs")
	}
	kind := t.Kind()
	for _, o := range t.Outputs {
		k := DC
		switch o.Kind {
		case 'G', 'C':
			k = AC
		case 'N':
			k = Noise
		}
		if k != kind {
			return fmt.Errorf("outputs mix %s and %s", kind, k)
		}
		for _, p := range []string{o.Pin, o.From} {
			if p != "" && !slices.Contains(s.Pins, p) {
				return fmt.Errorf("output %s: %s is not a pin", o, p)
			}
		}
		if o.Kind == 'V' {
			return fmt.Errorf("output %s: the voltage of a floating pin is not supported by this harness", o)
		}
	}
	if kind == DC && t.Sweep == nil {
		return fmt.Errorf("a DC test needs a biasSweep")
	}
	for _, p := range s.Pins {
		_, fixed := t.Biases[p]
		if !fixed && p != t.ListPin && (t.Sweep == nil || p != t.Sweep.Pin) {
			return fmt.Errorf("pin %s has no bias", p)
		}
	}
	for p := range t.Biases {
		if !slices.Contains(s.Pins, p) {
			return fmt.Errorf("bias on %s, which is not a pin", p)
		}
	}
	return nil
}
