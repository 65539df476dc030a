// Package xyce compares gospice with Xyce's regression data for the devices gospice takes
// from Xyce (the drift memristors): it reads Xyce's gold .prn output and the *COMP lines
// of a netlist, and measures the error as Xyce's own comparator (xyce_verify.pl) does.
package xyce

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Tol is one *COMP line's tolerances for a vector, with xyce_verify.pl's defaults.
type Tol struct {
	RelTol, AbsTol, AbsDiffTol, ZeroTol, Offset float64
}

// DefaultTol is xyce_verify.pl's tolerance of a vector without a *COMP line.
var DefaultTol = Tol{RelTol: 0.01, AbsTol: 1e-12, AbsDiffTol: 1e-12, ZeroTol: 1e-12}

// CompLines reads the *COMP lines of a netlist: *COMP vector [reltol=] [abstol=]
// [zerotol=] [absdifftol=] [offset=], keyed by the vector's lowercase name.
func CompLines(netlist []byte) (map[string]Tol, error) {
	out := map[string]Tol{}
	for n, line := range strings.Split(string(netlist), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.EqualFold(f[0], "*comp") {
			continue
		}
		tol := DefaultTol
		for _, kv := range f[2:] {
			k, v, ok := strings.Cut(strings.ToLower(kv), "=")
			x, err := strconv.ParseFloat(v, 64)
			if !ok || err != nil {
				return nil, fmt.Errorf("line %d: bad tolerance %q", n+1, kv)
			}
			switch k {
			case "reltol":
				tol.RelTol = x
			case "abstol":
				tol.AbsTol = x
			case "absdifftol":
				tol.AbsDiffTol = x
			case "zerotol":
				tol.ZeroTol = x
			case "offset":
				tol.Offset = x
			default:
				return nil, fmt.Errorf("line %d: unknown tolerance %q", n+1, k)
			}
		}
		out[strings.ToLower(f[1])] = tol
	}
	return out, nil
}

// Gold is a Xyce .prn file: its columns (lowercase; the first is time) and rows.
type Gold struct {
	Names []string
	Rows  [][]float64
}

// ReadPRN reads a transient .prn file: a header "Index TIME ...", rows of numbers, and
// Xyce's closing line. The Index column is dropped.
func ReadPRN(data []byte) (*Gold, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	g := &Gold{}
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0 || strings.HasPrefix(sc.Text(), "End of Xyce"):
			continue
		case g.Names == nil:
			if len(f) < 2 || !strings.EqualFold(f[0], "index") || !strings.EqualFold(f[1], "time") {
				return nil, fmt.Errorf("header %q: want Index TIME ...", sc.Text())
			}
			for _, n := range f[1:] {
				g.Names = append(g.Names, strings.ToLower(n))
			}
			continue
		}
		if len(f) != len(g.Names)+1 {
			return nil, fmt.Errorf("row %q: %d fields, want %d", sc.Text(), len(f), len(g.Names)+1)
		}
		row := make([]float64, len(g.Names))
		for i, s := range f[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("row %q: %v", sc.Text(), err)
			}
			row[i] = v
		}
		g.Rows = append(g.Rows, row)
	}
	if len(g.Rows) < 2 {
		return nil, fmt.Errorf("%d rows: too few to compare", len(g.Rows))
	}
	return g, sc.Err()
}

// Column returns the gold values of a column, by lowercase name.
func (g *Gold) Column(name string) ([]float64, bool) {
	for i, n := range g.Names {
		if n == name {
			col := make([]float64, len(g.Rows))
			for k, r := range g.Rows {
				col[k] = r[i]
			}
			return col, true
		}
	}
	return nil, false
}

// Error is the comparison of one vector: Norm is xyce_verify.pl's RMS relative error
// (the comparison passes when it is at most 1), Worst the largest pointwise relative
// error |good - test| / (reltol |good| + abstol) and Time where it was.
type Error struct {
	Norm, Worst, Time float64
}

// Compare measures test (at times tt) against gold (at times gt) as xyce_verify.pl does:
// both shifted by the offset and values within zerotol of 0 set to 0, gold interpolated
// linearly to the test times, the relative error e = (good - test) / (reltol |good| +
// abstol) taken as 0 where |good - test| < absdifftol, and the norm sqrt(integral of e^2
// dt / (t_end - t_start)) by the trapezoidal rule over the test times.
func Compare(gt, gold, tt, test []float64, tol Tol) Error {
	fix := func(v float64) float64 {
		v += tol.Offset
		if math.Abs(v) <= tol.ZeroTol {
			return 0
		}
		return v
	}
	var out Error
	var sum, prev float64
	for k, t := range tt {
		good := fix(interpolate(gt, gold, t))
		d := good - fix(test[k])
		e := 0.0
		if math.Abs(d) >= tol.AbsDiffTol {
			e = d / (tol.RelTol*math.Abs(good) + tol.AbsTol)
		}
		if math.Abs(e) > math.Abs(out.Worst) {
			out.Worst, out.Time = e, t
		}
		if k > 0 {
			sum += (t - tt[k-1]) * (e*e + prev*prev) / 2
		}
		prev = e
	}
	if span := tt[len(tt)-1] - tt[0]; span > 0 {
		out.Norm = math.Sqrt(sum / span)
	}
	return out
}

// interpolate is ys at x, linear between the points xs (increasing), extrapolated from
// the end segments.
func interpolate(xs, ys []float64, x float64) float64 {
	k := sort.SearchFloat64s(xs, x) - 1
	k = min(max(k, 0), len(xs)-2)
	if xs[k+1] == xs[k] {
		return ys[k+1]
	}
	return ys[k] + (x-xs[k])*(ys[k+1]-ys[k])/(xs[k+1]-xs[k])
}
