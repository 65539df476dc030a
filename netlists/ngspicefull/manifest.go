package ngspicefull

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Entry is one line of MANIFEST.tsv: a netlist and what ngspice 39 did with it when the
// corpus was gathered (ngspice -b -r out.raw NETLIST from the netlist's folder).
type Entry struct {
	Path     string // relative to the corpus folder, with slashes
	Set      string // first35, full or xspice-deck
	Status   string // "runs", "runs; analyses only in .control", "fails or has no analysis"
	Exit     int    // ngspice's exit code then
	Dot      string // the dot analyses, or "-"
	Controls string // the analyses in .control blocks, or "-"
}

// Runs reports whether ngspice 39 runs the netlist, by the manifest.
func (e Entry) Runs() bool { return strings.HasPrefix(e.Status, "runs") }

// ReadManifest reads MANIFEST.tsv: comment lines start with #, the first other line
// names the columns.
func ReadManifest(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []Entry
	sc := bufio.NewScanner(f)
	header := true
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 6 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 6", path, n, len(fields))
		}
		exit, err := strconv.Atoi(fields[3])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: exit code %q: %v", path, n, fields[3], err)
		}
		entries = append(entries, Entry{Path: fields[0], Set: fields[1], Status: fields[2], Exit: exit, Dot: fields[4], Controls: fields[5]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%s: no netlists", path)
	}
	return entries, nil
}
