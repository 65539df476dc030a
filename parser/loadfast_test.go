package parser

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/alecthomas/participle/v2/lexer"
)

// scanBothWays scans src with the file read in one piece and in two halves at once, for
// compact lines and without, and fails when the lines, errors or position maps differ.
// It also elaborates it both ways and compares the circuits.
func scanBothWays(t *testing.T, name string, src []byte) {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	saved := parallelScanLines
	defer func() { parallelScanLines = saved }()
	for _, compact := range []bool{false, true} {
		parallelScanLines = 1 << 62
		wantLines, wantErrs, wantPM := scanFile(name, string(src), true, compact, nil, nil)
		parallelScanLines = 1
		lines, errs, pm := scanFile(name, string(src), true, compact, nil, nil)
		if stale := lines[len(lines):cap(lines)]; !reflect.DeepEqual(stale, make([]logicalLine, len(stale))) {
			t.Fatalf("%s (compact %v): lines dropped by the join are left past the end", name, compact)
		}
		if !reflect.DeepEqual(lines, wantLines) {
			t.Fatalf("%s (compact %v): %d lines read in halves, %d in one piece, or they differ", name, compact, len(lines), len(wantLines))
		}
		if !reflect.DeepEqual(errs, wantErrs) {
			t.Fatalf("%s (compact %v): errors in halves %v, in one piece %v", name, compact, errs, wantErrs)
		}
		if !reflect.DeepEqual(pm, wantPM) {
			t.Fatalf("%s (compact %v): the position maps differ", name, compact)
		}
	}
	sameCircuitBeside(t, name, src, [2]string{"in one piece", "in halves   "}, &parallelScanLines)
}

// sameCircuitBeside elaborates src with the work that *lines of a file set beside the
// elaboration done in line (*lines above any file's) and beside it (*lines 1), on two
// cores at least, and fails when the circuits or errors differ.
func sameCircuitBeside(t *testing.T, name string, src []byte, ways [2]string, lines *int) {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	saved := *lines
	defer func() { *lines = saved }()
	sameCircuit(t, name, src, ways, func(beside bool) {
		*lines = 1 << 62
		if beside {
			*lines = 1
		}
	})
}

// TestScanHalves: a file scanned in two halves at once gives the lines, errors, position
// map and circuit of the file scanned in one piece, whatever lies around the middle: a
// continued line, comments, a .control block across it (closed or not), .end before it,
// lexical errors in both halves.
func TestScanHalves(t *testing.T) {
	lines := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i) + "\n")
		}
		return b.String()
	}
	rs := func(from, n int) string {
		return lines(n, func(i int) string { return fmt.Sprintf("R%d n%d n%d 1k", from+i, from+i, from+i+1) })
	}
	cases := map[string]string{
		"mesh":       string(rcMesh(12)),
		"continued":  "t\n" + rs(0, 10) + lines(20, func(i int) string { return fmt.Sprintf("+ m=%d", i+1) }) + rs(10, 10) + ".op\n.end\n",
		"comments":   "t\n" + rs(0, 10) + lines(30, func(i int) string { return "* comment " + fmt.Sprint(i) }) + "+ m=2\n" + rs(10, 5) + ".op\n",
		"control":    "t\n" + rs(0, 5) + ".control\n" + lines(40, func(i int) string { return fmt.Sprintf("echo %d", i) }) + ".endc\n" + rs(5, 5) + ".op\n",
		"open block": "t\n" + rs(0, 5) + ".control\n" + lines(40, func(i int) string { return "run" }) + rs(5, 5),
		"endc at mid": "t\n" + rs(0, 9) + ".control\n" + lines(8, func(i int) string { return "run" }) + ".endc\n" +
			rs(9, 15) + ".op\n", // the .endc is the middle line
		"end first":  "t\n" + rs(0, 5) + ".end\n" + rs(5, 30),
		"bad":        "t\n" + rs(0, 10) + "R99 a b {1k\n+ m=1\n" + rs(10, 10) + "R98 a b 'x\nV1 n0 0 1\n+ ac 1\n" + rs(20, 10) + "+ stray\n.op\n",
		"title only": "t\n",
		"dos":        strings.ReplaceAll("t\n"+rs(0, 20)+".op\n", "\n", "\r\n"),
	}
	for name, text := range cases {
		scanBothWays(t, name+".cir", []byte(text))
	}
}

// TestScanHalvesInPlace: the second half writes its lines into the array the first
// half's are in, so that scanning the mesh in halves allocates no second array of lines
// (half its physical lines' worth of logicalLine) and the lines fill the one array.
func TestScanHalvesInPlace(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	saved := parallelScanLines
	defer func() { parallelScanLines = saved }()
	src := string(rcMesh(60))
	phys := strings.Count(src, "\n") + 1
	allocated := func(limit int) (uint64, []logicalLine) {
		parallelScanLines = limit
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		lines, errs, _ := scanFile("mesh.cir", src, true, true, nil, nil)
		runtime.ReadMemStats(&after)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return after.TotalAlloc - before.TotalAlloc, lines
	}
	whole, _ := allocated(1 << 62)
	halves, lines := allocated(1)
	if cap(lines) != phys || len(lines) != phys-1 {
		t.Fatalf("%d lines in an array of %d for %d physical lines; want %d in %d", len(lines), cap(lines), phys, phys-1, phys)
	}
	// The second half's scanner has its own chunk of tokens (for the mesh's last lines).
	chunk := uint64(tokenChunk * unsafe.Sizeof(lexer.Token{}))
	second := uint64(phys/2) * uint64(unsafe.Sizeof(logicalLine{}))
	if halves > whole+chunk+second/4 {
		t.Fatalf("scanning in halves allocated %d bytes, in one piece %d: more than a chunk of tokens (%d bytes) and a quarter of a second array of lines (%d bytes)", halves, whole, chunk, second)
	}
	t.Logf("%d physical lines: %d bytes allocated in halves, %d in one piece", phys, halves, whole)
}

// FuzzScanHalves checks on any text that scanning a file in two halves at once gives
// what scanning it in one piece gives: go test -fuzz FuzzScanHalves ./parser
func FuzzScanHalves(f *testing.F) {
	fuzzNetlists(f, "t\nR1 a b 1k\n+ m=2\n* c\n.control\nrun\n.endc\nC1 b 0 1p\n.end\nR2 x y 1\n", func(t *testing.T, src []byte) {
		scanBothWays(t, "f.cir", src)
	})
}

// TestLowerArena: lowerArena.lower is strings.ToLower, and the names it made before stay
// as they were while it fills more blocks.
func TestLowerArena(t *testing.T) {
	var a lowerArena
	inputs := []string{"", "r1", "R1", "Rh12_3", "ÄB", "xÉ", "MIXED_case.Name", strings.Repeat("AbC", lowerBlock)}
	for i := range 3 * lowerBlock / 8 {
		inputs = append(inputs, fmt.Sprintf("C%d_X", i))
	}
	var got []string
	for _, s := range inputs {
		got = append(got, a.lower(s))
	}
	for i, s := range inputs {
		if want := strings.ToLower(s); got[i] != want {
			t.Fatalf("lower(%q) = %q, want %q", s, got[i], want)
		}
	}
}

// sameOwned parses src as ParseDeck does (the caller's bytes, copied into the text) and
// as ParseDeckFile does (bytes read for the parse, which the text shares), and fails when
// the circuits or errors differ, or when the owned text is a copy.
func sameOwned(t *testing.T, name string, src []byte) {
	t.Helper()
	var c [2]*Circuit
	var errs [2]string
	for k, owned := range []bool{false, true} {
		buf := bytes.Clone(src)
		d, err := parseDeckOwned(context.Background(), name, buf, fuzzRead, owned)
		if err == nil {
			if text := d.srcs[name]; owned && len(buf) > 0 && text != "" && unsafe.StringData(text) != &buf[0] {
				t.Fatalf("%s: the text of bytes read for the parse is a copy", name)
			}
			c[k], err = d.elaborate(context.Background(), Variant{})
			if c[k] != nil {
				c[k].Deck = nil
			}
		}
		errs[k] = fmt.Sprint(err)
	}
	if errs[0] != errs[1] {
		t.Fatalf("%s: errors differ:\ncopied %v\nshared %v", name, errs[0], errs[1])
	}
	if !reflect.DeepEqual(c[0], c[1]) {
		t.Fatalf("%s: the circuits differ:\ncopied %s\nshared %s", name, render(c[0]), render(c[1]))
	}
}

// TestOwnedText: a netlist whose text shares the bytes read (ParseDeckFile) gives the
// circuit and errors of one whose text is a copy (ParseDeck), with includes, libraries,
// subcircuits, a .control block and errors; and ParseDeckFile reads the file so.
func TestOwnedText(t *testing.T) {
	cases := map[string]string{
		"mesh":    string(rcMesh(12)),
		"seeds":   strings.Join(fuzzSeeds, "\n"),
		"empty":   "",
		"title":   "t",
		"bad":     "t\nR1 a b {1k\nR2 a b 'x\n.include nothere.lib\n.op\n",
		"control": "t\nR1 a 0 1k\n.control\nrun\n.endc\n.subckt s a b\nR1 a b 1\n.ends\nX1 a b s\n.end\n",
	}
	for name, text := range cases {
		sameOwned(t, name+".cir", []byte(text))
	}
	path := filepath.Join(t.TempDir(), "m.cir")
	src := rcMesh(12)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, err := ParseDeckFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	fromBytes, err := ParseDeck(context.Background(), path, src)
	if err != nil {
		t.Fatal(err)
	}
	c1, err1 := fromFile.Elaborate(context.Background(), Variant{})
	c2, err2 := fromBytes.Elaborate(context.Background(), Variant{})
	c1.Deck, c2.Deck = nil, nil
	if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(c1, c2) {
		t.Fatalf("ParseDeckFile and ParseDeck differ: %v, %v", err1, err2)
	}
}

// FuzzOwnedText checks on any text that a netlist's text sharing the bytes read gives
// what a copy gives: go test -fuzz FuzzOwnedText ./parser
func FuzzOwnedText(f *testing.F) {
	fuzzNetlists(f, "t\nR1 a b 1k\n.include lib.inc\nX1 a b sub\n.end\n", func(t *testing.T, src []byte) {
		sameOwned(t, "f.cir", src)
	})
}

// TestReserveTopElements: in a large netlist the elements of the top level and their
// node lists come from the large blocks elementBlocks.reserve sizes, one after the other
// in memory (blocks of 8, 16, 32... made as they go would break the run), and the
// counts that size them are those of the lines that make them.
func TestReserveTopElements(t *testing.T) {
	var b strings.Builder
	b.WriteString("t\n.subckt s a b\nR1 a b 1k\n.ends\n")
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "R%d n%d n%d 1k\nC%d n%d 0 1p\n", i, i, i+1, i, i)
	}
	b.WriteString("X1 n1 n2 s\nM1 d g s b nmos\nYMEMRISTOR y1 a b mm\n.model nmos nmos\n.op\n")
	src := []byte(b.String())
	saved := syntaxAheadLines
	defer func() { syntaxAheadLines = saved }()
	syntaxAheadLines = 1

	d, err := ParseDeck(context.Background(), "reserve.cir", src)
	if err != nil {
		t.Fatal(err)
	}
	e := &elab{}
	root := e.structure(d.lines)
	els, nodes, insts := topElements(root.body)
	if want := 2*n + 2; els != want || nodes != 2*2*n+4+4 || !insts {
		t.Errorf("topElements = %d elements, %d nodes, instances %v; want %d, %d, true", els, nodes, insts, want, 2*2*n+8)
	}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2} { // the blocks made in line, and ahead
		runtime.GOMAXPROCS(procs)
		reservedInOrder(t, d, n)
	}
}

// reservedInOrder elaborates TestReserveTopElements's deck d and checks that its first
// 2n+2 elements and their node lists are next to each other in memory.
func reservedInOrder(t *testing.T, d *Deck, n int) {
	t.Helper()
	c, err := d.Elaborate(context.Background(), Variant{})
	if err == nil || !strings.Contains(err.Error(), "mm") {
		t.Fatalf("want the error of the missing model mm, got %v", err)
	}
	size := unsafe.Sizeof(Element{})
	// The R and C lines, x1.r1 and m1: the instance's elements take the next places
	// too, and the last element counted (y1's, whose model is missing) moves to a new
	// block.
	top := c.Elements
	if len(top) != 2*n+2 {
		t.Fatalf("%d elements, want %d", len(top), 2*n+2)
	}
	for i := 1; i < len(top); i++ {
		if uintptr(unsafe.Pointer(top[i]))-uintptr(unsafe.Pointer(top[i-1])) != size {
			t.Fatalf("elements %s and %s are not next to each other in one block", top[i-1].Name, top[i].Name)
		}
		p, q := top[i-1].Nodes, top[i].Nodes
		if len(p) > 0 && len(q) > 0 && unsafe.Pointer(unsafe.SliceData(q)) != unsafe.Add(unsafe.Pointer(unsafe.SliceData(p)), cap(p)*int(unsafe.Sizeof(""))) {
			t.Fatalf("the node lists of %s and %s are not next to each other in one block", top[i-1].Name, top[i].Name)
		}
	}
}

// TestReadFile: readFile reads what os.ReadFile reads, from files small and large
// enough for huge pages, and fails where it fails, with its error.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 4095, 5 << 20} {
		src := bytes.Repeat([]byte("R1 a b 1k\n"), n/10+1)[:n]
		path := filepath.Join(dir, fmt.Sprint(n))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(path)
		if err != nil || !bytes.Equal(got, src) {
			t.Errorf("%d bytes: read %d bytes, error %v", n, len(got), err)
		}
	}
	for _, path := range []string{filepath.Join(dir, "missing"), dir} {
		_, want := os.ReadFile(path)
		if _, err := readFile(path); fmt.Sprint(err) != fmt.Sprint(want) || want == nil {
			t.Errorf("%s: error %v, want %v", path, err, want)
		}
	}
}
