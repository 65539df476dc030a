package ngspicefull

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Plot is one plot of a raw file: an analysis's vectors.
type Plot struct {
	Name    string // ngspice's name of the plot (tran1, ac2) where known, else ""
	Title   string // the Plotname line: "Transient Analysis"
	Kind    string // op, dc, ac, tran, noise, ... (see plotKinds)
	Complex bool
	Vars    []string // variable names, lower case; the scale first unless Kind is op
	Types   []string // voltage, current, time, frequency, notype...
	Re, Im  [][]float64
}

// plotKinds names the analyses by the Plotname ngspice (and gospice) write.
var plotKinds = map[string]string{
	"operating point":               "op",
	"dc transfer characteristic":    "dc",
	"ac analysis":                   "ac",
	"transient analysis":            "tran",
	"noise spectral density curves": "noise",
	"integrated noise":              "noise-integrated",
	"pole-zero analysis":            "pz",
	"sensitivity analysis":          "sens",
	"ac sensitivity analysis":       "acsens",
	"transfer function":             "tf",
	"s-parameter analysis":          "sp",
	"distortion - 2nd harmonic":     "disto",
	"distortion - 3rd harmonic":     "disto",
}

// KindOf is the analysis kind of a Plotname; a plot of another name (one a .control
// block made, an FFT, a PSS) is its name in lower case.
func KindOf(plotname string) string {
	low := strings.ToLower(strings.TrimSpace(plotname))
	if k, ok := plotKinds[low]; ok {
		return k
	}
	return low
}

// HasScale reports whether the plot's first vector is its scale.
func (p *Plot) HasScale() bool { return !unscaled[p.Kind] && len(p.Vars) > 1 }

// unscaled are the kinds of plot without a scale, whose vectors are each a value (or a
// list of values): an operating point, a .tf, a DC .sens, a .pz's poles and zeros.
var unscaled = map[string]bool{"op": true, "tf": true, "sens": true, "pz": true}

// Len is the number of points.
func (p *Plot) Len() int {
	if len(p.Re) == 0 {
		return 0
	}
	return len(p.Re[0])
}

// Index is the position of the named variable, or -1.
func (p *Plot) Index(name string) int {
	for i, n := range p.Vars {
		if n == name {
			return i
		}
	}
	return -1
}

// ReadRawFile reads every plot of a binary raw file.
func ReadRawFile(path string) ([]*Plot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	plots, err := ReadRaw(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return plots, fmt.Errorf("%s: %w", path, err)
	}
	return plots, nil
}

// ReadRaw reads the plots of a binary raw file, as ngspice's write command and gospice
// write them: each a header of "Key: value" lines, the variables one a line (index,
// name, type), then "Binary:" and each point's values as little-endian float64, two
// (real, imaginary) per value when the plot is complex.
func ReadRaw(r *bufio.Reader) ([]*Plot, error) {
	var plots []*Plot
	for {
		p, err := readPlot(r)
		if err == io.EOF {
			return plots, nil
		}
		if err != nil {
			return plots, err
		}
		plots = append(plots, p)
	}
}

func readPlot(r *bufio.Reader) (*Plot, error) {
	p := &Plot{}
	nvars, npoints := -1, -1
	started := false
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF && !started && strings.TrimSpace(line) == "" {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("header: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		started = true
		key, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			p.Title = value
		case "plotname":
			p.Kind = KindOf(value)
		case "flags":
			p.Complex = strings.Contains(strings.ToLower(value), "complex")
		case "no. variables":
			if nvars, err = strconv.Atoi(value); err != nil || nvars < 0 {
				return nil, fmt.Errorf("no. variables %q", value)
			}
		case "no. points":
			if npoints, err = strconv.Atoi(value); err != nil || npoints < 0 {
				return nil, fmt.Errorf("no. points %q", value)
			}
		case "variables":
			if nvars < 0 {
				return nil, errors.New("variables before their number")
			}
			if err := p.readVars(r, nvars); err != nil {
				return nil, err
			}
		case "binary":
			if npoints < 0 || len(p.Vars) != nvars {
				return nil, errors.New("values before the variables or their number")
			}
			return p, p.readBinary(r, npoints)
		case "values":
			return nil, errors.New("ASCII raw files are not read: write them binary")
		}
	}
}

func (p *Plot) readVars(r *bufio.Reader, n int) error {
	for i := 0; i < n; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("variable %d: %v", i, err)
		}
		// Tab-separated: a name may hold a space (ngspice's v(m1#body diode)).
		f := strings.Split(strings.Trim(line, " \t\r\n"), "\t")
		if len(f) < 3 || len(strings.Fields(f[2])) == 0 {
			return fmt.Errorf("variable line %q", strings.TrimSpace(line))
		}
		p.Vars = append(p.Vars, strings.ToLower(strings.TrimSpace(f[1])))
		p.Types = append(p.Types, strings.ToLower(strings.Fields(f[2])[0]))
	}
	return nil
}

func (p *Plot) readBinary(r *bufio.Reader, npoints int) error {
	n := len(p.Vars)
	p.Re = make([][]float64, n)
	if p.Complex {
		p.Im = make([][]float64, n)
	}
	for i := range p.Re {
		p.Re[i] = make([]float64, npoints)
		if p.Complex {
			p.Im[i] = make([]float64, npoints)
		}
	}
	per := 8
	if p.Complex {
		per = 16
	}
	buf := make([]byte, per*n)
	for k := 0; k < npoints; k++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			return fmt.Errorf("point %d of %d: %v", k, npoints, err)
		}
		for i := 0; i < n; i++ {
			b := buf[i*per:]
			p.Re[i][k] = math.Float64frombits(binary.LittleEndian.Uint64(b))
			if p.Complex {
				p.Im[i][k] = math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
			}
		}
	}
	return nil
}
