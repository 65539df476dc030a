package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
)

// table is one analysis's vectors, from a run, a CSV file or a raw file: what plots are
// drawn from.
type table struct {
	kind   string // "op", "dc", "tran", "ac"
	title  string // the netlist's title, or the file's name
	cols   []column
	values int  // values held, a complex value counting as two
	full   bool // points were left out: holding them would pass maxTableValues
}

// maxTableValues is the most values a table holds in memory, a complex value counting
// as two: 50 million, 400 MB. A plot of more is refused (the CSV and raw files of a
// run are streamed and have no such limit).
var maxTableValues = 50_000_000

// room reports whether n more values fit in the table, and marks it full when they do not.
func (t *table) room(n int) bool {
	if t.full || t.values+n > maxTableValues {
		t.full = true
		return false
	}
	t.values += n
	return true
}

// tableFullError is a plot that would hold more than maxTableValues values.
type tableFullError struct{}

func (tableFullError) Error() string {
	return fmt.Sprintf("more than %d values to hold in memory for a plot (the limit): plot a shorter run, or fewer vectors", maxTableValues)
}

// column is one vector; c is set for a complex vector of an .ac analysis.
type column struct {
	name string
	unit string // known when the column came from a run; else unitOf(name) tells
	re   []float64
	c    []complex128
}

// unit is the column's unit: the one its run gave, else the one its name tells.
func (c *column) unitOf() string {
	if c.unit != "" {
		return c.unit
	}
	return unitOf(c.name)
}

func (t *table) col(name string) *column {
	for i := range t.cols {
		if t.cols[i].name == name {
			return &t.cols[i]
		}
	}
	return nil
}

func (t *table) len() int {
	if len(t.cols) == 0 {
		return 0
	}
	if t.cols[0].c != nil {
		return len(t.cols[0].c)
	}
	return len(t.cols[0].re)
}

// scale is the x axis: the first column of every analysis but .op.
func (t *table) scale() *column {
	if t.kind == "op" || len(t.cols) == 0 {
		return nil
	}
	return &t.cols[0]
}

// realCollector is a Sink that fills a table. When the table is full, it stops the run
// with a tableFullError if strict, else it drops the points and lets the run go on.
type realCollector struct {
	t      *table
	strict bool
}

func (c realCollector) Begin(cols []gospice.Column) error {
	c.t.cols = c.t.cols[:0]
	c.t.values, c.t.full = 0, false
	for _, col := range cols {
		c.t.cols = append(c.t.cols, column{name: col.Name, unit: unitFor(col), re: []float64{}})
	}
	return nil
}

func (c realCollector) Point(row []float64) error {
	if !c.t.room(len(row)) {
		if c.strict {
			return tableFullError{}
		}
		return nil
	}
	for i, v := range row {
		c.t.cols[i].re = append(c.t.cols[i].re, v)
	}
	return nil
}

// complexCollector is a ComplexSink that fills a table: the frequency as a real column,
// the vectors as complex ones.
type complexCollector struct {
	t      *table
	strict bool
}

func (c complexCollector) Begin(cols []gospice.Column) error {
	c.t.cols = c.t.cols[:0]
	c.t.values, c.t.full = 0, false
	for i, col := range cols {
		tc := column{name: col.Name, unit: unitFor(col), re: []float64{}}
		if i > 0 {
			tc = column{name: col.Name, unit: unitFor(col), c: []complex128{}}
		}
		c.t.cols = append(c.t.cols, tc)
	}
	return nil
}

func (c complexCollector) Point(row []complex128) error {
	if !c.t.room(2*len(row) - 1) {
		if c.strict {
			return tableFullError{}
		}
		return nil
	}
	c.t.cols[0].re = append(c.t.cols[0].re, real(row[0]))
	for i := 1; i < len(row); i++ {
		c.t.cols[i].c = append(c.t.cols[i].c, row[i])
	}
	return nil
}

// teeSink hands every point to several sinks.
type teeSink []gospice.Sink

func (t teeSink) Begin(cols []gospice.Column) error {
	for _, s := range t {
		if err := s.Begin(cols); err != nil {
			return err
		}
	}
	return nil
}

func (t teeSink) Point(row []float64) error {
	for _, s := range t {
		if err := s.Point(row); err != nil {
			return err
		}
	}
	return nil
}

type teeComplex []gospice.ComplexSink

func (t teeComplex) Begin(cols []gospice.Column) error {
	for _, s := range t {
		if err := s.Begin(cols); err != nil {
			return err
		}
	}
	return nil
}

func (t teeComplex) Point(row []complex128) error {
	for _, s := range t {
		if err := s.Point(row); err != nil {
			return err
		}
	}
	return nil
}

// completeAC adds to an .ac table read from real columns the complex vectors they are
// parts of: re(v(x)) with im(v(x)), or vm(x) with vp(x), give v(x). The columns used are
// dropped, and so is vdb(x) where v(x) is there.
func (t *table) completeAC() {
	if t.kind != "ac" {
		return
	}
	used := map[string]bool{}
	var added []column
	at := map[string]int{} // the column whose place a complex vector takes: index into added
	have := func(name string) bool {
		if t.col(name) != nil && t.col(name).c != nil {
			return true
		}
		return slices.ContainsFunc(added, func(c column) bool { return c.name == name })
	}
	for _, c := range t.cols[1:] {
		if c.c != nil {
			continue
		}
		if inner, ok := strings.CutPrefix(c.name, "re("); ok && strings.HasSuffix(inner, ")") {
			base := inner[:len(inner)-1]
			if im := t.col("im(" + base + ")"); im != nil && !have(base) {
				v := make([]complex128, len(c.re))
				for k := range v {
					v[k] = complex(c.re[k], im.re[k])
				}
				at[c.name] = len(added)
				added = append(added, column{name: base, c: v})
				used[c.name], used[im.name] = true, true
			}
			continue
		}
		open := strings.IndexByte(c.name, '(')
		if open == 2 && c.name[1] == 'm' && (c.name[0] == 'v' || c.name[0] == 'i') {
			base := c.name[:1] + c.name[open:]
			ph := t.col(c.name[:1] + "p" + c.name[open:])
			if ph != nil && !have(base) {
				v := make([]complex128, len(c.re))
				for k := range v {
					v[k] = cmplx.Rect(c.re[k], ph.re[k]*math.Pi/180)
				}
				at[c.name] = len(added)
				added = append(added, column{name: base, c: v})
				used[c.name], used[ph.name] = true, true
			}
		}
	}
	cols := []column{t.cols[0]}
	for _, c := range t.cols[1:] {
		if k, ok := at[c.name]; ok {
			cols = append(cols, added[k])
		} else if !used[c.name] {
			cols = append(cols, c)
		}
	}
	// vdb(x) says nothing that v(x) does not.
	kept := cols[:0]
	for _, c := range cols {
		if open := strings.IndexByte(c.name, '('); c.c == nil && open == 3 && c.name[1:3] == "db" &&
			slices.ContainsFunc(cols, func(o column) bool { return o.c != nil && o.name == c.name[:1]+c.name[open:] }) {
			continue
		}
		kept = append(kept, c)
	}
	t.cols = kept
}

// readCSVTable reads a CSV file that gospice run wrote. The analysis is told by the file's
// name (rc.tran.csv) or else by its first column.
func readCSVTable(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %w", path, err)
	}
	t := &table{title: filepath.Base(path)}
	for _, h := range header {
		t.cols = append(t.cols, column{name: strings.ToLower(strings.TrimSpace(h))})
	}
	line := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !t.room(len(rec)) {
			return nil, fmt.Errorf("%s: %w", path, tableFullError{})
		}
		for i, s := range rec {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: column %s: %q is not a number", path, line, t.cols[i].name, s)
			}
			t.cols[i].re = append(t.cols[i].re, v)
		}
	}
	if len(t.cols) == 0 {
		return nil, fmt.Errorf("%s: no columns", path)
	}
	t.kind = kindFromName(path)
	if t.kind == "" {
		t.kind = guessKind(t.cols[0].name, t.len())
	}
	t.completeAC()
	return t, nil
}

// kindFromName finds the analysis in a file name written by gospice run:
// rc.tran.csv, rc.tran.partial.csv, two.dc2.csv.
func kindFromName(path string) string {
	parts := strings.Split(filepath.Base(path), ".")
	for i := len(parts) - 2; i >= 1; i-- {
		k := strings.TrimRight(parts[i], "0123456789")
		switch k {
		case "op", "dc", "tran", "ac":
			return k
		}
	}
	return ""
}

// guessKind is the analysis of a table that does not name it, from its first column (its
// name in a CSV file, its type in a raw file) and its number of points: time is a tran,
// frequency an ac, a single point an op, anything else a dc.
func guessKind(scale string, points int) string {
	switch {
	case scale == "time":
		return "tran"
	case scale == "frequency":
		return "ac"
	case points == 1:
		return "op"
	}
	return "dc"
}

// rawKinds are the analyses of ngspice's plot names.
var rawKinds = map[string]string{
	"operating point":            "op",
	"dc transfer characteristic": "dc",
	"transient analysis":         "tran",
	"ac analysis":                "ac",
}

// readRawTables reads every plot of a raw file as a table.
func readRawTables(path string) ([]*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	plots, err := readRaw(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var tables []*table
	for _, p := range plots {
		t := &table{title: p.Title, kind: rawKinds[strings.ToLower(p.Name)]}
		if t.kind == "" {
			t.kind = guessKind(p.Vars[0].Type, p.Points())
		}
		for i, v := range p.Vars {
			c := column{name: strings.ToLower(v.Name)}
			switch {
			case !p.Complex:
				c.re = p.Real[i]
			case i == 0 && t.kind != "op":
				c.re = make([]float64, len(p.Cplx[i]))
				for k, z := range p.Cplx[i] {
					c.re[k] = real(z)
				}
			default:
				c.c = p.Cplx[i]
			}
			t.cols = append(t.cols, c)
		}
		tables = append(tables, t)
	}
	return tables, nil
}
