package gospice

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gospice/gospice/parser"
)

// corpusDir is the shared corpus beside the repository (not part of it).
const corpusDir = "../shared/corpus"

// ngspiceRuns lists the corpus netlists that ngspice 39 runs in batch: the rows of
// ngspice-full's MANIFEST.tsv that say so (those of ../ngspice among them).
func ngspiceRuns(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "ngspice-full", "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("the shared corpus is not present (it is not part of the repository): %v", err)
	}
	defer f.Close()
	var paths []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || strings.HasPrefix(cols[0], "#") || !strings.HasPrefix(cols[2], "runs") {
			continue
		}
		paths = append(paths, filepath.Join(corpusDir, "ngspice-full", cols[0]))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return paths
}

// TestTopologyRefusesNoNetlistNgspiceRuns puts every netlist of netlists/ and every
// corpus netlist that ngspice 39 runs through the topology checks, as if each had an
// analysis that starts from an operating point (many run theirs from .control blocks,
// which gospice skips): none may be refused. A netlist gospice cannot read (an
// unsupported device or analysis) is counted apart, as are the warnings.
func TestTopologyRefusesNoNetlistNgspiceRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("reads some 500 netlists")
	}
	var paths []string
	err := filepath.WalkDir("netlists", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".cir" {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	own := len(paths)
	paths = append(paths, ngspiceRuns(t)...)
	var read, unread, slow, empty, warned, warnings int
	for i, path := range paths {
		c, err := parseWithin(path, 2*time.Second)
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			slow++ // a few netlists of thousands of transistors take minutes to elaborate
			continue
		case err != nil && i < own:
			t.Errorf("%s: %v", path, err)
			continue
		case err != nil && !onlyDotLines(err):
			unread++
			continue
		}
		if len(c.Elements) == 0 {
			empty++ // a .control script: nothing to check
			continue
		}
		read++
		topo := checkTopology(c)
		if topo.opErr != nil {
			t.Errorf("%s is refused: %v", path, topo.opErr)
		}
		if len(topo.warnings) > 0 {
			warned++
			warnings += len(topo.warnings)
			t.Logf("%s: %d warnings, the first: %s", path, len(topo.warnings), topo.warnings[0])
		}
	}
	t.Logf("%d netlists (%d of netlists/, %d the corpus's that ngspice runs): %d checked, %d without elements (.control scripts), %d whose elements gospice cannot read, %d not read within the time allowed; %d with single-connection warnings (%d warnings)",
		len(paths), own, len(paths)-own, read, empty, unread, slow, warned, warnings)
}

// parseWithin parses and elaborates a netlist, giving up after limit. On an error in the
// netlist, the circuit holds what could be read.
func parseWithin(path string, limit time.Duration) (*parser.Circuit, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	d, err := parser.ParseDeckFile(ctx, path)
	if err != nil {
		return nil, err
	}
	return d.Elaborate(ctx, parser.Variant{})
}

// onlyDotLines reports whether every error of a netlist is on a dot line (an analysis or
// an output gospice does not support): its elements were all read.
func onlyDotLines(err error) bool {
	var list parser.ErrorList
	if !errors.As(err, &list) {
		return false
	}
	for _, e := range list {
		src, rerr := os.ReadFile(e.Pos.File)
		if rerr != nil {
			return false
		}
		lines := strings.Split(string(src), "\n")
		if e.Pos.Line < 1 || int(e.Pos.Line) > len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[e.Pos.Line-1]), ".") {
			return false
		}
	}
	return true
}
