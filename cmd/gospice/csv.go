package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
)

// csvSink writes an analysis as CSV: a header row of vector names, then one row per point,
// every number in its shortest form that reads back to the same float64.
type csvSink struct {
	w    *bufio.Writer
	buf  []byte
	rows int // the rows written after the header: what the note of the file says
}

func newCSVSink(w io.Writer) *csvSink {
	return &csvSink{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 256)}
}

func (s *csvSink) Begin(cols []gospice.Column) error {
	s.buf = s.buf[:0]
	for i, c := range cols {
		if i > 0 {
			s.buf = append(s.buf, ',')
		}
		s.buf = appendField(s.buf, c.Name)
	}
	s.buf = append(s.buf, '\n')
	_, err := s.w.Write(s.buf)
	return err
}

func (s *csvSink) Point(row []float64) error {
	s.buf = s.buf[:0]
	for i, v := range row {
		if i > 0 {
			s.buf = append(s.buf, ',')
		}
		s.buf = strconv.AppendFloat(s.buf, v, 'g', -1, 64)
	}
	s.buf = append(s.buf, '\n')
	_, err := s.w.Write(s.buf)
	s.rows++
	return err
}

func (s *csvSink) Flush() error { return s.w.Flush() }

// appendField quotes a header name that holds a comma (as v(a,b) does) the CSV way.
func appendField(b []byte, name string) []byte {
	if !strings.ContainsAny(name, ",\"\n") {
		return append(b, name...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(name, `"`, `""`)...)
	return append(b, '"')
}
