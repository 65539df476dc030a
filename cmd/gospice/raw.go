package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gospice/gospice"
)

// ngspice's raw file, as ngspice 39 writes it with -r: one plot per analysis, each a
// header of "Key: value" lines, the variables one per line (tab, index, tab, name, tab,
// type, and for a logarithmic .ac sweep tab grid=3), then "Binary:" and every point's
// values as little-endian float64 (two per value, real and imaginary, when the plot is
// complex), or "Values:" and each point as its index and one value per line (re,im for
// complex values).

// rawVar is one variable of a raw plot.
type rawVar struct {
	Name, Type string
	Params     string // grid=3 and the like, as written after the type
	Dims       int    // when not 0, the vector's length, shorter than the plot's (padded with zeros)
}

// Plot names ngspice writes for each analysis.
var rawPlotNames = map[string]string{
	"op":   "Operating Point",
	"dc":   "DC transfer characteristic",
	"tran": "Transient Analysis",
	"ac":   "AC Analysis",
	// .tf and .noise as ngspice names them (.noise's totals, its "Integrated Noise" plot,
	// go to <stem>.noise-total.csv only); ngspice -b writes no plot of .sens or .four.
	"tf":    "Transfer Function",
	"noise": "Noise Spectral Density Curves",
	"sens":  "Sensitivity Analysis",
	"four":  "Fourier Analysis",
	"pz":    "Pole-Zero Analysis",
	"sp":    "SP Analysis",

	// .pss's two plots: its period in time, then its harmonics (pss.go)
	"pss":          "Time Domain Periodic Steady State Analysis",
	"pss-spectrum": "Frequency Domain Periodic Steady State Analysis",
}

// rawFile is what rawWriter writes into: a file it can seek back into to fill in the
// number of points of a plot, and cut when a plot ends up with none.
type rawFile interface {
	io.WriteSeeker
	Truncate(size int64) error
}

// rawWriter streams analyses into one raw file, each as a plot.
type rawWriter struct {
	f     rawFile
	w     *bufio.Writer
	ascii bool
	title string
	date  string

	off      int64 // bytes written so far
	start    int64 // offset of the current plot's header
	countPos int64 // offset of its No. Points field
	open     bool  // a plot has begun and not ended
	nvars    int
	// dims: the dimensions of a plot's multi-dimensional vector, which ngspice 39 writes
	// as a Dimensions line, its ASCII points then each followed by an empty line
	dims   []int
	points int // of the current plot
	total  int // of every plot: what the note of the file says
	buf    []byte
}

// countWidth is the room kept for the number of points, filled in when a plot ends.
// ngspice keeps 8 characters; 10 hold any count a run can reach.
const countWidth = 10

func newRawWriter(f rawFile, ascii bool, title string, now time.Time) *rawWriter {
	return &rawWriter{
		f: f, w: bufio.NewWriterSize(f, 64<<10), ascii: ascii, title: title,
		date: now.Format("Mon Jan _2 15:04:05  2006"),
	}
}

func (r *rawWriter) write(b []byte) error {
	n, err := r.w.Write(b)
	r.off += int64(n)
	return err
}

// begin starts a plot: a complex one, whose points complexPoint writes, when cplx is set,
// else a real one, written by point.
func (r *rawWriter) begin(plotname string, cplx bool, vars []rawVar) error {
	r.start, r.nvars, r.points, r.open = r.off, len(vars), 0, true
	flags := "real"
	if cplx {
		flags = "complex"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Title: %s\nDate: %s\nPlotname: %s\nFlags: %s\nNo. Variables: %d\nNo. Points: ",
		oneLine(r.title), r.date, plotname, flags, len(vars))
	r.countPos = r.off + int64(b.Len())
	fmt.Fprintf(&b, "%-*d\n", countWidth, 0)
	if len(r.dims) > 0 {
		b.WriteString("Dimensions: ")
		for i, d := range r.dims {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		b.WriteByte('\n')
	}
	b.WriteString("Variables:\n")
	for i, v := range vars {
		fmt.Fprintf(&b, "\t%d\t%s\t%s", i, v.Name, v.Type)
		if v.Dims > 0 {
			fmt.Fprintf(&b, " dims=%d", v.Dims)
		}
		if v.Params != "" {
			b.WriteString("\t" + v.Params)
		}
		b.WriteByte('\n')
	}
	if r.ascii {
		b.WriteString("Values:\n")
	} else {
		b.WriteString("Binary:\n")
	}
	return r.write([]byte(b.String()))
}

// point writes one point of a real plot (begun with cplx false); complexPoint writes those
// of a complex one.
func (r *rawWriter) point(row []float64) error {
	b := r.buf[:0]
	if r.ascii {
		for i, v := range row {
			b = r.appendIndex(b, i)
			b = appendRawFloat(b, v)
			b = append(b, '\n')
		}
		if len(r.dims) > 0 {
			b = append(b, '\n')
		}
	} else {
		for _, v := range row {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	r.buf = b
	r.points++
	r.total++
	return r.write(b)
}

// complexPoint writes one complex point.
func (r *rawWriter) complexPoint(row []complex128) error {
	b := r.buf[:0]
	for i, v := range row {
		if r.ascii {
			b = r.appendIndex(b, i)
			b = appendRawFloat(b, real(v))
			b = append(b, ',')
			b = appendRawFloat(b, imag(v))
			b = append(b, '\n')
		} else {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(real(v)))
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(imag(v)))
		}
	}
	if r.ascii && len(r.dims) > 0 {
		b = append(b, '\n')
	}
	r.buf = b
	r.points++
	r.total++
	return r.write(b)
}

// appendIndex starts the i-th value of an ASCII point: the point's index and two tabs
// before the first, as ngspice 39 writes them (a space, the index and one tab in a plot
// of a multi-dimensional vector), a tab before the others.
func (r *rawWriter) appendIndex(b []byte, i int) []byte {
	switch {
	case i > 0:
		return append(b, '\t')
	case len(r.dims) > 0:
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(r.points), 10)
		return append(b, '\t')
	}
	b = strconv.AppendInt(b, int64(r.points), 10)
	return append(b, '\t', '\t')
}

// appendRawFloat writes v as ngspice does (%e), with the 17 digits that read back to the
// same float64.
func appendRawFloat(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'e', 16, 64)
}

// end finishes the current plot: it fills in its number of points, or removes the plot
// when it has none (a reader would choke on an empty plot).
func (r *rawWriter) end() error {
	if err := r.w.Flush(); err != nil {
		return err
	}
	if !r.open {
		return nil // the analysis failed before it began
	}
	r.open = false
	if r.points == 0 {
		r.off = r.start
		if err := r.f.Truncate(r.start); err != nil {
			return err
		}
		_, err := r.f.Seek(r.start, io.SeekStart)
		return err
	}
	if _, err := r.f.Seek(r.countPos, io.SeekStart); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(r.f, "%-*d", countWidth, r.points); err != nil {
		return err
	}
	_, err := r.f.Seek(r.off, io.SeekStart)
	return err
}

// oneLine keeps a title on its header line.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// rawVars names an analysis's columns the way ngspice writes them, with their types:
// time, frequency, voltage, current, and for .dc the swept sources (a voltage, a current
// or temp-sweep).
func rawVars(kind string, cols []gospice.Column, logSweep bool) []rawVar {
	vars := make([]rawVar, len(cols))
	for i, c := range cols {
		vars[i] = rawVar{Name: c.Name, Type: c.Quantity.NgspiceType()}
	}
	switch kind {
	case "ac":
		if logSweep {
			vars[0].Params = "grid=3"
		}
	case "dc":
		// ngspice names the inner sweep v(v-sweep) or i(i-sweep) and keeps no outer
		// sweep; gospice keeps an outer sweep too, named after its source.
		switch vars[0].Type {
		case "voltage":
			vars[0].Name = "v(v-sweep)"
		case "current":
			vars[0].Name = "i(i-sweep)"
		}
	}
	return vars
}

// rawPlot is one plot read back from a raw file.
type rawPlot struct {
	Title, Date, Name, Flags string
	Vars                     []rawVar
	Complex                  bool
	Real                     [][]float64    // per variable, when not Complex
	Cplx                     [][]complex128 // per variable, when Complex
}

// Points is the number of points of the plot.
func (p *rawPlot) Points() int {
	if len(p.Real) > 0 {
		return len(p.Real[0])
	}
	if len(p.Cplx) > 0 {
		return len(p.Cplx[0])
	}
	return 0
}

// readRaw reads every plot of a raw file, binary or ASCII, as ngspice writes them.
func readRaw(r io.Reader) ([]*rawPlot, error) {
	br := bufio.NewReader(r)
	var plots []*rawPlot
	for {
		p, err := readRawPlot(br)
		if err == io.EOF {
			if len(plots) == 0 {
				return nil, errors.New("not a raw file: no plot in it")
			}
			return plots, nil
		}
		if err != nil {
			return plots, fmt.Errorf("plot %d: %w", len(plots)+1, err)
		}
		plots = append(plots, p)
	}
}

func readRawPlot(br *bufio.Reader) (*rawPlot, error) {
	p := &rawPlot{}
	nvars, npoints := -1, -1
	started := false
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF && line == "" {
			if started {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		started = true
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("unexpected line %q in the header", line)
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			p.Title = value
		case "date":
			p.Date = value
		case "plotname":
			p.Name = value
		case "flags":
			p.Flags = value
			for _, f := range strings.Fields(strings.ToLower(value)) {
				if f == "complex" {
					p.Complex = true
				}
			}
		case "no. variables":
			if nvars, err = strconv.Atoi(value); err != nil || nvars < 1 {
				return nil, fmt.Errorf("bad number of variables %q", value)
			}
		case "no. points":
			if npoints, err = strconv.Atoi(value); err != nil || npoints < 0 {
				return nil, fmt.Errorf("bad number of points %q", value)
			}
		case "variables":
			if nvars < 0 {
				return nil, errors.New("variables listed before their number")
			}
			for i := range nvars {
				vl, err := br.ReadString('\n')
				if err != nil {
					return nil, fmt.Errorf("variable %d: %w", i, io.ErrUnexpectedEOF)
				}
				f := strings.Fields(vl)
				if len(f) < 3 {
					return nil, fmt.Errorf("bad variable line %q", strings.TrimSpace(vl))
				}
				v := rawVar{Name: f[1], Type: f[2]}
				var params []string
				for _, w := range f[3:] {
					if d, ok := strings.CutPrefix(w, "dims="); ok {
						if v.Dims, err = strconv.Atoi(d); err != nil || v.Dims < 0 {
							return nil, fmt.Errorf("bad dims in variable line %q", strings.TrimSpace(vl))
						}
						continue
					}
					params = append(params, w)
				}
				v.Params = strings.Join(params, " ")
				p.Vars = append(p.Vars, v)
			}
		case "binary", "values":
			if len(p.Vars) == 0 || npoints < 0 {
				return nil, errors.New("data before the variables and the number of points")
			}
			values := float64(npoints) * float64(len(p.Vars))
			if p.Complex {
				values *= 2
			}
			if values > float64(maxTableValues) {
				return nil, fmt.Errorf("%d points of %d variables: %w", npoints, len(p.Vars), tableFullError{})
			}
			p.alloc(npoints)
			if strings.EqualFold(strings.TrimSpace(key), "binary") {
				return p, p.readBinary(br, npoints)
			}
			return p, p.readASCII(br, npoints)
		}
	}
}

// alloc makes room for the plot's points; the capacity is a first guess, not trusted
// further than that (the count comes from the file).
func (p *rawPlot) alloc(n int) {
	n = min(n, 1<<16)
	if p.Complex {
		p.Cplx = make([][]complex128, len(p.Vars))
		for i := range p.Cplx {
			p.Cplx[i] = make([]complex128, 0, n)
		}
	} else {
		p.Real = make([][]float64, len(p.Vars))
		for i := range p.Real {
			p.Real[i] = make([]float64, 0, n)
		}
	}
}

func (p *rawPlot) readBinary(br *bufio.Reader, npoints int) error {
	width := 8
	if p.Complex {
		width = 16
	}
	buf := make([]byte, width*len(p.Vars))
	for k := range npoints {
		if _, err := io.ReadFull(br, buf); err != nil {
			return fmt.Errorf("point %d of %d: %w", k, npoints, io.ErrUnexpectedEOF)
		}
		for i := range p.Vars {
			if p.Complex {
				re := math.Float64frombits(binary.LittleEndian.Uint64(buf[16*i:]))
				im := math.Float64frombits(binary.LittleEndian.Uint64(buf[16*i+8:]))
				p.Cplx[i] = append(p.Cplx[i], complex(re, im))
			} else {
				p.Real[i] = append(p.Real[i], math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:])))
			}
		}
	}
	return nil
}

func (p *rawPlot) readASCII(br *bufio.Reader, npoints int) error {
	var words []string
	need := len(p.Vars) + 1 // the index, then the values
	for k := range npoints {
		for len(words) < need {
			line, err := br.ReadString('\n')
			words = append(words, strings.Fields(line)...)
			if err != nil && len(words) < need {
				return fmt.Errorf("point %d of %d: %w", k, npoints, io.ErrUnexpectedEOF)
			}
		}
		for i := range p.Vars {
			w := words[1+i]
			if p.Complex {
				re, im, _ := strings.Cut(w, ",")
				a, err1 := strconv.ParseFloat(re, 64)
				b, err2 := strconv.ParseFloat(im, 64)
				if err1 != nil || err2 != nil {
					return fmt.Errorf("point %d, %s: bad complex value %q", k, p.Vars[i].Name, w)
				}
				p.Cplx[i] = append(p.Cplx[i], complex(a, b))
			} else {
				v, err := strconv.ParseFloat(w, 64)
				if err != nil {
					return fmt.Errorf("point %d, %s: bad value %q", k, p.Vars[i].Name, w)
				}
				p.Real[i] = append(p.Real[i], v)
			}
		}
		words = words[need:]
	}
	return nil
}
