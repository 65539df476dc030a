package crosscheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// NgspiceOutput runs netlist text as it is with `ngspice -b` in a scratch folder and
// returns what ngspice printed, whatever its exit status: the results of analyses that only print (.tf, .four,
// sens in a .control block). dir is where relative .include paths resolve.
func NgspiceOutput(src, dir string) (string, error) {
	work, err := os.MkdirTemp("", "crosscheck")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	var b strings.Builder
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		b.WriteString(absoluteInclude(line, dir))
		b.WriteByte('\n')
	}
	cir := filepath.Join(work, "in.cir")
	if err := os.WriteFile(cir, []byte(b.String()), 0o644); err != nil {
		return "", err
	}
	cmd := exec.Command("ngspice", "-b", cir)
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return "", fmt.Errorf("ngspice: %v\n%s", err, out)
	}
	// ngspice -b exits with 1 after errors it prints and goes past (sens's "GET ERROR"
	// lines for parameters it cannot read): the results asked for say whether it ran.
	return string(out), nil
}

var printedLine = regexp.MustCompile(`(?m)^(\S+) = (\S+)\s*$`)

// Printed reads the "name = value" lines of ngspice's output (.tf's results, print's
// values), by lowercase name.
func Printed(out string) map[string]float64 {
	vals := map[string]float64{}
	for _, m := range printedLine.FindAllStringSubmatch(out, -1) {
		if v, err := strconv.ParseFloat(m[2], 64); err == nil {
			vals[strings.ToLower(m[1])] = v
		}
	}
	return vals
}

// FourierTables reads the tables ngspice prints for .four: per vector (its name as
// ngspice prints it, lowercase), the rows of harmonic, frequency, magnitude, phase,
// normalized magnitude and normalized phase, and the THD in percent.
func FourierTables(out string) (map[string][][6]float64, map[string]float64) {
	tables, thd := map[string][][6]float64{}, map[string]float64{}
	var name string
	for _, line := range strings.Split(out, "\n") {
		if n, ok := strings.CutPrefix(line, "Fourier analysis for "); ok {
			name = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(n), ":"))
			continue
		}
		if name == "" {
			continue
		}
		if _, rest, ok := strings.Cut(line, "THD: "); ok {
			if v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64); err == nil {
				thd[name] = v
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) != 6 {
			continue
		}
		var row [6]float64
		ok := true
		for i, s := range f {
			v, err := strconv.ParseFloat(s, 64)
			ok = ok && err == nil
			row[i] = v
		}
		if ok {
			tables[name] = append(tables[name], row)
		}
	}
	return tables, thd
}
