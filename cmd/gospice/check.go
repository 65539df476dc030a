package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/gospice/gospice"
)

func (a *app) checkCommand() *cobra.Command {
	var seed uint64
	cmd := &cobra.Command{
		Use:   "check NETLIST",
		Short: "Read and build a netlist without running it",
		Long: `Read a netlist, elaborate it (parameters, subcircuits, models) and build its system,
then print its nodes, devices, unknowns and analyses with the vectors each would write.
Nothing is simulated and no file is written. Any error exits with 1, showing the line it
is on; warnings are printed on standard error.`,
		Example: `  gospice check netlists/rc.cir
  gospice check circuit.cir && gospice run circuit.cir`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var s *uint64
			if cmd.Flags().Changed("seed") {
				s = &seed
			}
			ctx := a.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var bar *loadProgress
			if a.terminal { // a bar while a large netlist is read and built
				bar = newLoadProgress(a.stderr, a.progressDelay)
				ctx = gospice.WithProgress(ctx, bar.report)
			}
			// Nothing runs: a transient's blocks need not be found.
			sim, err := a.parseContext(ctx, args[0], s, gospice.WithoutPartition())
			if bar != nil {
				bar.finish()
			}
			if err != nil {
				return err
			}
			return a.describe(args[0], sim)
		},
	}
	cmd.Flags().Uint64Var(&seed, "seed", 0, seedUsage)
	return cmd
}

// kindNouns name the elements by their first letter.
var kindNouns = map[byte]string{
	'r': "resistor", 'c': "capacitor", 'l': "inductor", 'k': "coupling",
	'v': "voltage source", 'i': "current source",
	'e': "VCVS", 'f': "CCCS", 'g': "VCCS", 'h': "CCVS", 'b': "behavioural source",
	'd': "diode", 'q': "BJT", 'm': "MOSFET", 'j': "JFET", 's': "switch", 'w': "switch",
	't': "transmission line", 'y': "device", 'z': "MESFET",
}

// textWriter is where describe writes: a buffered standard output, or a strings.Builder.
type textWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// describe prints what gospice check shows. It writes through a buffer rather than
// building the text first: a large netlist's is tens of megabytes, held at the moment
// when everything else is.
func (a *app) describe(path string, sim *gospice.Simulation) error {
	b := bufio.NewWriterSize(a.stdout, 64<<10)
	fmt.Fprintf(b, "%s: %s\n", path, sim.Title())
	nodes := sim.Nodes()
	fmt.Fprintf(b, "nodes (%d): ", len(nodes))
	writeJoined(b, len(nodes), func(i int) string { return nodes[i] })
	els := sim.Elements()
	fmt.Fprintf(b, "devices (%d):\n", len(els))
	deviceTable(b, els)
	unknowns := sim.Unknowns()
	fmt.Fprintf(b, "unknowns (%d): ", len(unknowns))
	writeJoined(b, len(unknowns), func(i int) string { return unknowns[i].Label() })
	an := sim.Analyses()
	fmt.Fprintf(b, "analyses (%d):\n", len(an))
	for _, x := range an {
		fmt.Fprintf(b, "  %s -> %s\n", analysisLine(x), strings.Join(sim.Vectors(x), " "))
		for _, m := range sim.Circuit.Measures {
			if m.Analysis == x.Name() {
				fmt.Fprintf(b, "    .meas %s: %s\n", m.Name, measureReads(m))
			}
		}
	}
	if steps := sim.Steps(); len(steps) > 0 {
		fmt.Fprintf(b, "steps (%d runs, the first line fastest):\n", sim.Runs())
		for _, st := range steps {
			var values []string
			for k, v := range st.Values {
				if k == 8 && len(st.Values) > 10 {
					values = append(values, "...", engSpice(st.Values[len(st.Values)-1]))
					break
				}
				values = append(values, engSpice(v))
			}
			fmt.Fprintf(b, "  %s (%s): %d values: %s\n", st.Label, st.Kind, len(st.Values), strings.Join(values, " "))
		}
	}
	unusedParams(b, sim)
	if sim.Circuit.Random {
		fmt.Fprintf(b, "random values drawn from seed %d\n", sim.Seed())
	}
	fmt.Fprintf(b, "ok: %s\n", sim)
	return b.Flush()
}

// writeJoined writes the n words that word gives, spaces between them, and a line end.
func writeJoined(b textWriter, n int, word func(int) string) {
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(word(i))
	}
	b.WriteByte('\n')
}

// deviceTable writes one line per element: name, noun, nodes and value, the first three
// in columns as wide as their widest cell and two spaces, as text/tabwriter aligns them.
// It does not use tabwriter, which keeps every cell of the table until it is flushed (a
// large netlist has hundreds of thousands of lines), unless a cell holds a character
// that tabwriter treats specially. A table of tableBesideRows rows or more is measured
// and written on two cores (see deviceRowsBeside): nothing else runs while gospice check
// describes the circuit.
func deviceTable(b textWriter, els []*gospice.Element) {
	beside := len(els) >= tableBesideRows && runtime.GOMAXPROCS(0) >= 2
	var w tableWidths
	if beside { // the second half measured on the other core meanwhile
		h := len(els) / 2
		second := make(chan tableWidths, 1)
		go func() { second <- measureRows(els[h:]) }()
		w = measureRows(els[:h])
		w.join(<-second)
	} else {
		w = measureRows(els)
	}
	if w.special {
		deviceTabwriter(b, els)
		return
	}
	if beside {
		deviceRowsBeside(b, els, w)
		return
	}
	writeRows(b, els, w, valueTexts{})
}

// tableBesideRows is the size of a device table from which deviceTable works on two
// cores; a variable for the tests.
var tableBesideRows = 16384

// tableChunk is how many rows deviceRowsBeside writes at a time on each core.
const tableChunk = 2048

// tableWidths are the widths of a device table's first three columns, in runes as
// tabwriter counts, and whether a cell holds a character tabwriter treats specially.
type tableWidths struct {
	col     [3]int
	special bool
}

// join widens w to hold the rows v was measured on too.
func (w *tableWidths) join(v tableWidths) {
	for i := range w.col {
		w.col[i] = max(w.col[i], v.col[i])
	}
	w.special = w.special || v.special
}

// measureRows measures the device table's rows of els. It stops at the first special
// character: the table then goes through tabwriter.
func measureRows(els []*gospice.Element) tableWidths {
	var w tableWidths
	for _, el := range els {
		special := strings.ContainsAny(el.Name, tabSpecial)
		nodes := max(len(el.Nodes)-1, 0) // the spaces between them
		for _, n := range el.Nodes {
			nodes += utf8.RuneCountInString(n)
			special = special || strings.ContainsAny(n, tabSpecial)
		}
		if special {
			return tableWidths{special: true}
		}
		w.col[0] = max(w.col[0], 2+utf8.RuneCountInString(el.Name))
		w.col[1] = max(w.col[1], utf8.RuneCountInString(elementNoun(el)))
		w.col[2] = max(w.col[2], nodes)
	}
	return w
}

// writeRows writes the device table's rows of els, in columns of the widths w.
func writeRows(b textWriter, els []*gospice.Element, w tableWidths, values valueTexts) {
	pad := func(k int) {
		for ; k > 0; k-- {
			b.WriteByte(' ')
		}
	}
	for _, el := range els {
		b.WriteString("  ")
		b.WriteString(el.Name)
		pad(w.col[0] - utf8.RuneCountInString(el.Name)) // 2 + name, then 2 spaces
		noun := elementNoun(el)
		b.WriteString(noun)
		pad(w.col[1] + 2 - utf8.RuneCountInString(noun))
		k := 0
		for i, n := range el.Nodes {
			if i > 0 {
				b.WriteByte(' ')
				k++
			}
			b.WriteString(n)
			k += utf8.RuneCountInString(n)
		}
		pad(w.col[2] + 2 - k)
		b.WriteString(elementValue(el, values))
		b.WriteByte('\n')
	}
}

// deviceRowsBeside writes the rows of els as writeRows does, the chunks of tableChunk
// rows in turn on this core and on another: the other core writes its chunks into one of
// two buffers, which this one copies out in order. So at most two chunks' text is held,
// not the table's (tens of megabytes in a large netlist).
func deviceRowsBeside(b textWriter, els []*gospice.Element, w tableWidths) {
	chunk := func(k int) []*gospice.Element { return els[k*tableChunk : min((k+1)*tableChunk, len(els))] }
	n := (len(els) + tableChunk - 1) / tableChunk
	free, ready := make(chan *bytes.Buffer, 2), make(chan *bytes.Buffer, 2)
	free <- new(bytes.Buffer)
	free <- new(bytes.Buffer)
	go func() { // the odd chunks
		values := valueTexts{}
		for k := 1; k < n; k += 2 {
			buf := <-free
			writeRows(buf, chunk(k), w, values)
			ready <- buf
		}
	}()
	values := valueTexts{}
	for k := 0; k < n; k++ {
		if k%2 == 0 {
			writeRows(b, chunk(k), w, values)
			continue
		}
		buf := <-ready
		b.Write(buf.Bytes())
		buf.Reset()
		free <- buf
	}
}

// tabSpecial are the characters text/tabwriter does not write as they are: cell and line
// ends, and its escape.
const tabSpecial = "\t\n\v\f\xff"

// deviceTabwriter is deviceTable through text/tabwriter.
func deviceTabwriter(b textWriter, els []*gospice.Element) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	values := valueTexts{}
	for _, el := range els {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", el.Name, elementNoun(el), strings.Join(el.Nodes, " "), elementValue(el, values))
	}
	tw.Flush()
}

// elementNoun is what an element is: its Y type, else the noun of its kind.
func elementNoun(el *gospice.Element) string {
	if el.Type() != "" {
		return el.Type()
	}
	return kindNouns[el.Kind]
}

// unusedParams lists, once per model, the model parameters gospice accepts as ngspice does
// but does not use (a BSIM model's noise parameters, say).
func unusedParams(b textWriter, sim *gospice.Simulation) {
	for _, m := range sim.UnusedModelParams() {
		fmt.Fprintf(b, "model %s: accepted but not used: %s\n", m.Model, strings.Join(m.Params, " "))
	}
}

// valueTexts are the texts of the values a device table has written, by value: a large
// netlist writes a few values (10, 10f) hundreds of thousands of times.
type valueTexts map[float64]string

// text is engSpice(v). Zeros (0 and -0 are one key, not one text) and NaN (never found)
// are not kept.
func (t valueTexts) text(v float64) string {
	if v == 0 || v != v {
		return engSpice(v)
	}
	s, ok := t[v]
	if !ok {
		s = engSpice(v)
		t[v] = s
	}
	return s
}

// elementValue is what an element is besides its nodes: its model, value or source.
func elementValue(el *gospice.Element, values valueTexts) string {
	var room [4]string // most elements have fewer parts: no allocation for them
	parts := room[:0]
	if len(el.Controls()) > 0 {
		parts = append(parts, strings.Join(el.Controls(), " "))
	}
	if el.Model != "" {
		parts = append(parts, "model "+el.Model)
	}
	if el.HasValue {
		parts = append(parts, values.text(el.Value))
	}
	if el.Expr() != nil {
		parts = append(parts, el.ExprKind()+"={...}")
	}
	if s := el.Source(); s != nil {
		if s.HasDC || s.Wave == nil {
			parts = append(parts, "dc "+engSpice(s.DC))
		}
		if s.HasAC {
			parts = append(parts, fmt.Sprintf("ac %s %s", engSpice(s.ACMag), engSpice(s.ACPhase)))
		}
		if w := s.Wave; w != nil {
			parts = append(parts, waveformText(w))
		}
	}
	for _, p := range el.Params() {
		parts = append(parts, p.Name+"="+engSpice(p.Value))
	}
	return strings.Join(parts, " ")
}

// waveformText writes a source's waveform as on its line; a PWL read from a file as the
// file and its number of points.
func waveformText(w *gospice.Waveform) string {
	var args []string
	if w.File != "" {
		args = append(args, "file="+w.File, fmt.Sprintf("(%d points)", len(w.Args)/2))
	} else {
		for _, v := range w.Args {
			args = append(args, engSpice(v))
		}
	}
	if w.HasRepeat {
		args = append(args, "r="+engSpice(w.Repeat))
	}
	if w.Delay != 0 {
		args = append(args, "td="+engSpice(w.Delay))
	}
	return w.Kind + "(" + strings.Join(args, " ") + ")"
}

// analysisLine writes an analysis as its netlist line.
func analysisLine(x gospice.Analysis) string {
	switch x := x.(type) {
	case *gospice.OP:
		return ".op"
	case *gospice.Tran:
		s := ".tran " + engSpice(x.Step) + " " + engSpice(x.Stop)
		if x.Start != 0 || x.MaxStep != 0 {
			s += " " + engSpice(x.Start)
		}
		if x.MaxStep != 0 {
			s += " " + engSpice(x.MaxStep)
		}
		if x.UIC {
			s += " uic"
		}
		return s
	case *gospice.DC:
		s := ".dc"
		for _, sw := range x.Sweeps {
			s += fmt.Sprintf(" %s %s %s %s", sw.Source, engSpice(sw.Start), engSpice(sw.Stop), engSpice(sw.Step))
		}
		return s
	case *gospice.AC:
		return fmt.Sprintf(".ac %s %d %s %s", x.Sweep, x.Points, engSpice(x.Start), engSpice(x.Stop))
	case *gospice.SP:
		s := fmt.Sprintf(".sp %s %d %s %s", x.Sweep, x.Points, engSpice(x.Start), engSpice(x.Stop))
		if x.Noise {
			s += " 1"
		}
		return s
	}
	return "." + x.Name()
}

// measureReads says what a .meas line computes from: its function and the signals it reads.
func measureReads(m *gospice.MeasureLine) string {
	event := func(e gospice.MeasureEvent) string {
		if e.HasAt {
			return "at " + engSpice(e.At)
		}
		level := engSpice(e.Level)
		if e.Other != nil {
			level = e.Other.Text
		}
		count := "last"
		if e.Count > 0 {
			count = strconv.Itoa(e.Count)
		}
		return fmt.Sprintf("%s = %s %s=%s", e.Signal.Text, level, e.Edge, count)
	}
	switch m.Func {
	case "trig":
		return "trig " + event(m.Trig) + ", targ " + event(m.Targ)
	case "when":
		return "when " + event(m.When)
	case "find", "deriv":
		if m.When.HasAt {
			return m.Func + " " + m.Signal.Text + " " + event(m.When)
		}
		return m.Func + " " + m.Signal.Text + " when " + event(m.When)
	case "param":
		return "param"
	}
	return m.Func + " " + m.Signal.Text
}
