package parser

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestUTF16IsRefusedWithOneError(t *testing.T) {
	const netlist = "t\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n"
	for _, c := range []struct {
		name string
		src  []byte
	}{
		{"little-endian with BOM", utf16Bytes(netlist, false, true)},
		{"big-endian with BOM", utf16Bytes(netlist, true, true)},
		{"little-endian", utf16Bytes(netlist, false, false)},
		{"big-endian", utf16Bytes(netlist, true, false)},
	} {
		_, err := Parse("u.cir", c.src)
		list, _ := err.(ErrorList)
		if len(list) != 1 || list[0].Error() != "u.cir:1:1: the file is encoded in UTF-16; save it as UTF-8 or ASCII text" {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, src := range []string{"", "t", "t\n", "\ufefft\nR1 a 0 1k\n", "t\nR1 a 0 1k\x00\n"} {
		if isUTF16([]byte(src)) {
			t.Errorf("%q taken for UTF-16", src)
		}
	}
}

func TestLoneCarriageReturnsEndLines(t *testing.T) {
	c, err := Parse("cr.cir", []byte("title\rV1 a 0 1\rR1 a 0 1k\r.op\r.end\r"))
	if err != nil || c.Title != "title" || len(c.Elements) != 2 || len(c.Analyses) != 1 {
		t.Fatalf("%v: title %q, %d elements", err, c.Title, len(c.Elements))
	}
	_, err = Parse("cr.cir", []byte("title\rV1 a 0 1\rR1 a 0 1k {\r"))
	if err == nil || !strings.HasPrefix(err.Error(), "cr.cir:3:11: ") {
		t.Errorf("error %v, want one at 3:11 (the {)", err)
	}
}
