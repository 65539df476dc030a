package ngspicefull

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// Agreement "within ngspice's own accuracy", for one vector ngspice writes:
//
//	|gospice - ngspice| <= 2*A + relFloor*M + absFloor
//
// at every point (each run's points, the other interpolated linearly there; the points
// themselves where both have the same scale, as an .op, a .dc sweep, an .ac sweep do).
// A is how far ngspice at the netlist's reltol is from ngspice at a tenth of it (and, on
// its .tran lines, a quarter of the largest time step: see FinerTran), the largest
// difference over the vector, compared the same way: an estimate of ngspice's own error,
// which shrinks about tenfold in that tighter run. Interpolating between coarse points
// loses accuracy too, and A holds that as well. Where gospice is as far from the truth
// as ngspice is, the two can be 2A apart. M is
// the largest magnitude of the vector. relFloor*M covers rounding (different orderings of
// the sparse LU) where A is nearly 0, as in linear circuits; absFloor is ngspice's own
// absolute tolerances, vntol (1 uV) for voltages and abstol (1 pA) for currents, below
// which it does not tell values apart.
const relFloor = 1e-6

// absFloor is the absolute tolerance ngspice holds a vector of that type to (its
// defaults).
func absFloor(typ string) float64 {
	switch typ {
	case "voltage":
		return 1e-6
	case "current":
		return 1e-12
	case "notype":
		// a .control block's own vectors: values of order 1 computed in a different
		// order (an error relative to a gold value, 1e-16 in one and 0 in the other)
		return 1e-15
	}
	return 0
}

// VectorResult is one vector ngspice writes, against gospice's.
type VectorResult struct {
	Plot     string  // ngspice's plot name: tran1, op1
	Name     string  // as gospice names it
	Present  bool    // gospice writes it
	Diff     float64 // worst |gospice - ngspice|; +Inf where the points cannot be compared
	At       float64 // the scale value (or point index) of the worst difference
	Accuracy float64 // A: worst |ngspice - ngspice at reltol/10|; NaN where the tight run lacks it
	Tol      float64 // 2A + the floors
	Swing    float64 // max - min of ngspice's vector (its largest magnitude if constant), for reading
	Note     string  // why the points could not be compared
}

// Agrees reports whether gospice writes the vector and it is within the tolerance.
func (v VectorResult) Agrees() bool { return v.Present && v.Diff <= v.Tol }

// Ratio is Diff over Tol: above 1 the vector disagrees.
func (v VectorResult) Ratio() float64 {
	switch {
	case !v.Present || math.IsNaN(v.Diff):
		return math.Inf(1)
	case v.Diff == 0:
		return 0
	}
	return v.Diff / v.Tol
}

// PlotResult is one plot ngspice writes, against gospice's plot of the same kind and rank.
type PlotResult struct {
	Name, Kind string
	Matched    bool // gospice wrote a plot of this kind and rank
	Vectors    []VectorResult
}

// SortPlots orders ngspice's plots by kind, then by the number of their name (tran1
// before tran2), so that the k-th of a kind meets gospice's k-th.
func SortPlots(plots []*Plot) {
	sort.SliceStable(plots, func(i, j int) bool {
		a, b := plots[i], plots[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return plotNumber(a.Name) < plotNumber(b.Name)
	})
}

var trailingDigits = regexp.MustCompile(`[0-9]+$`)

func plotNumber(name string) int {
	n, _ := strconv.Atoi(trailingDigits.FindString(name))
	return n
}

// Compare holds every plot ngspice wrote (ng, in SortPlots order, named) against
// gospice's plots (gs, in the order gospice wrote them), with the tight run (ngspice at
// reltol/10, its plots named as ng's) for the tolerance.
func Compare(ng, tight, gs []*Plot) []PlotResult {
	rank := map[string]int{}
	var out []PlotResult
	for _, p := range append(append([]*Plot(nil), ng...), tight...) {
		nameLineCurrents(p.Vars)
	}
	for _, p := range ng {
		if p.Len() == 0 {
			continue
		}
		r := rank[p.Kind]
		rank[p.Kind]++
		g := nthOfKind(gs, p.Kind, r)
		if p.Kind == "tf" {
			g = sameTF(gs, p, g)
		}
		var t *Plot
		for _, q := range tight {
			if q.Name == p.Name && q.Kind == p.Kind {
				t = q
			}
		}
		pr := PlotResult{Name: p.Name, Kind: p.Kind, Matched: g != nil}
		for i, name := range p.Vars {
			if i == 0 && p.HasScale() || probeHelper.MatchString(NgspiceName(name)) {
				continue
			}
			pr.Vectors = append(pr.Vectors, compareVector(p, i, g, t))
			pr.Vectors[len(pr.Vectors)-1].Name = NgspiceName(name)
		}
		out = append(out, pr)
	}
	return out
}

// probeHelper matches the branch currents of the voltage-controlled sources ngspice 39
// inserts for .probe's vd() (ediff4_r10#branch: no current flows in them, always 0),
// numbered in an order it does not document; gospice computes vd() without them.
var probeHelper = regexp.MustCompile(`^i\(ediff\d+_[^()]*\)$`)

// sameTF is gospice's .tf plot of the same output and source as ngspice's p (its vectors
// name them), else g: ngspice 39 writes the plots of two .tf lines last first, gospice
// in the order of the lines.
func sameTF(gs []*Plot, p, g *Plot) *Plot {
	for _, q := range gs {
		if q.Kind != "tf" {
			continue
		}
		same := true
		for _, n := range p.Vars {
			found := false
			for _, m := range q.Vars {
				found = found || NgspiceName(m) == NgspiceName(n)
			}
			same = same && found
		}
		if same {
			return q
		}
	}
	return g
}

func nthOfKind(plots []*Plot, kind string, n int) *Plot {
	for _, p := range plots {
		if p.Kind == kind {
			if n == 0 {
				return p
			}
			n--
		}
	}
	return nil
}

// compareVector compares vector i of ngspice's plot p with gospice's g and the tight t.
func compareVector(p *Plot, i int, g, t *Plot) VectorResult {
	name := NgspiceName(p.Vars[i])
	v := VectorResult{Plot: p.Name, Accuracy: math.NaN()}
	mag, swing := extent(p, i)
	v.Swing = swing
	floor := relFloor*mag + absFloor(p.Types[i])
	v.Tol = floor
	if t != nil {
		if j := t.Index(p.Vars[i]); j >= 0 {
			if a, _, note := difference(p, i, t, j); note == "" {
				v.Accuracy = a
				v.Tol = 2*a + floor
			}
		}
	}
	if g == nil {
		return v
	}
	j := -1
	for k, n := range g.Vars {
		if NgspiceName(n) == name && !(k == 0 && g.HasScale()) {
			j = k
		}
	}
	if j < 0 {
		return v
	}
	v.Present = true
	v.Diff, v.At, v.Note = difference(p, i, g, j)
	return v
}

// extent is the largest magnitude of vector i of p and its swing (max - min of the real
// part, the magnitude where it is constant or complex).
func extent(p *Plot, i int) (mag, swing float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, re := range p.Re[i] {
		m := math.Abs(re)
		if p.Complex {
			m = math.Hypot(re, p.Im[i][k])
		}
		mag = math.Max(mag, m)
		lo, hi = math.Min(lo, re), math.Max(hi, re)
	}
	swing = hi - lo
	if swing == 0 || p.Complex {
		swing = mag
	}
	return mag, swing
}

// difference is the worst distance between vector i of a and vector j of b, and where it
// is. Plots without a scale (.op) are compared point by point, as are plots whose scales
// are the same points; others over the range both cover, each interpolated linearly at
// the other's points, when b reaches a's end. A note says why they cannot be compared
// (Diff is then +Inf).
func difference(a *Plot, i int, b *Plot, j int) (diff, at float64, note string) {
	n, m := a.Len(), b.Len()
	if m == 0 {
		return math.Inf(1), 0, "no points"
	}
	if (a.Kind == pssTime || a.Kind == pssSpectrum) && b.Kind == a.Kind {
		return periodDifference(a, i, b, j) // pss.go
	}
	if !a.HasScale() || !b.HasScale() {
		if n != m {
			return math.Inf(1), 0, fmt.Sprintf("%d points against %d", m, n)
		}
		return pointwise(a, i, b, j, nil)
	}
	sa, sb := a.Re[0], b.Re[0]
	if sameScale(sa, sb) {
		return pointwise(a, i, b, j, sa)
	}
	if !increasing(sa) || !increasing(sb) {
		if pairs := commonPoints(sa, sb); pairs != nil {
			return pairwise(a, i, b, j, pairs)
		}
		return math.Inf(1), 0, fmt.Sprintf("sweep points differ (%d against %d)", m, n)
	}
	if end := sb[m-1]; !reaches(end, sa[n-1]) {
		return math.Inf(1), 0, fmt.Sprintf("ends at %g, not %g", end, sa[n-1])
	}
	d1, at1 := interpolated(a, i, b, j)
	d2, at2 := interpolated(b, j, a, i)
	if d2 > d1 || math.IsNaN(d2) {
		return d2, at2, ""
	}
	return d1, at1, ""
}

// commonPoints pairs each point of nested sweep sa with the point of sb that has the same
// scale value in the same pass of the inner sweep, or returns nil where the two do not
// make the same number of passes or a point of sa has no partner. ngspice 39 stops an inner sweep one point short of its end where
// adding up the steps overshoots it (.dc vd 0 60 0.1 ends at 59.9), gospice does not.
func commonPoints(sa, sb []float64) [][2]int {
	pa, pb := passes(sa), passes(sb)
	if len(pa) != len(pb) {
		return nil
	}
	big := 0.0
	for _, x := range append(slices.Clone(sa), sb...) {
		big = math.Max(big, math.Abs(x))
	}
	var pairs [][2]int
	for k := range pa {
		x, y := pa[k][0], pb[k][0]
		for x < pa[k][1] && y < pb[k][1] {
			switch d := sa[x] - sb[y]; {
			case math.Abs(d) <= 1e-9*big:
				pairs = append(pairs, [2]int{x, y})
				x, y = x+1, y+1
			case d < 0:
				x++
			default:
				y++
			}
		}
	}
	// every point of a (ngspice's) is met: b (gospice's) may have more, not fewer
	if len(pairs) != len(sa) {
		return nil
	}
	return pairs
}

// passes splits a nested sweep's scale into its increasing runs, [start, end) each.
func passes(s []float64) [][2]int {
	var out [][2]int
	start := 0
	for k := 1; k <= len(s); k++ {
		if k == len(s) || s[k] < s[k-1] {
			out = append(out, [2]int{start, k})
			start = k
		}
	}
	return out
}

// pairwise is the worst distance between vector i of a and vector j of b over the
// pairs of their points.
func pairwise(a *Plot, i int, b *Plot, j int, pairs [][2]int) (diff, at float64, note string) {
	for _, pr := range pairs {
		d := dist(a, i, pr[0], b.Re[j][pr[1]], imagAt(b, j, pr[1]))
		if d > diff || math.IsNaN(d) {
			diff, at = d, a.Re[0][pr[0]]
			if math.IsNaN(d) {
				break
			}
		}
	}
	return diff, at, ""
}

func pointwise(a *Plot, i int, b *Plot, j int, scale []float64) (diff, at float64, note string) {
	for k := range a.Re[i] {
		d := dist(a, i, k, b.Re[j][k], imagAt(b, j, k))
		if d > diff || math.IsNaN(d) {
			diff, at = d, float64(k)
			if scale != nil {
				at = scale[k]
			}
			if math.IsNaN(d) {
				return d, at, ""
			}
		}
	}
	return diff, at, ""
}

// interpolated is the worst distance between a's points of vector i and b's vector j
// interpolated there, within b's range.
func interpolated(a *Plot, i int, b *Plot, j int) (diff, at float64) {
	sa, sb := a.Re[0], b.Re[0]
	for k, x := range sa {
		if x < sb[0] || x > sb[len(sb)-1] {
			continue
		}
		re := crosscheck.Interpolate(sb, b.Re[j], x)
		im := 0.0
		if b.Complex {
			im = crosscheck.Interpolate(sb, b.Im[j], x)
		}
		if d := dist(a, i, k, re, im); d > diff || math.IsNaN(d) {
			diff, at = d, x
			if math.IsNaN(d) {
				return d, at
			}
		}
	}
	return diff, at
}

func imagAt(p *Plot, i, k int) float64 {
	if p.Complex {
		return p.Im[i][k]
	}
	return 0
}

func dist(p *Plot, i, k int, re, im float64) float64 {
	return math.Hypot(p.Re[i][k]-re, imagAt(p, i, k)-im)
}

// sameScale reports whether two scales are the same points, to rounding.
func sameScale(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	// Against the largest value of the scale, not each point's: ngspice 39 adds up a .dc
	// sweep's steps, so its point at 0 of dc v1 -1 1 0.1 is -1.4e-16, where gospice has 0;
	// a nested sweep (not increasing) could then not be compared at all.
	big := 0.0
	for k := range a {
		big = math.Max(big, math.Max(math.Abs(a[k]), math.Abs(b[k])))
	}
	for k := range a {
		if math.Abs(a[k]-b[k]) > 1e-9*big {
			return false
		}
	}
	return true
}

func increasing(s []float64) bool {
	for k := 1; k < len(s); k++ {
		if !(s[k] >= s[k-1]) {
			return false
		}
	}
	return len(s) > 0
}

// reaches reports whether a sweep that ends at end reaches to, to rounding. Where they
// start may differ (a .tran's first point after its tstart): both are compared where
// they overlap.
func reaches(end, to float64) bool { return end >= to-1e-9*math.Abs(to) }

var (
	subcktCurrent  = regexp.MustCompile(`^i\(([a-z])\.((?:[^.()]+\.)+)([^.()]+)\)$`)
	subcktInternal = regexp.MustCompile(`^v\(([a-z])\.((?:[^.()#]+\.)+)([^.()#]+)(#[^()]+)\)$`)
	tlineCurrent   = regexp.MustCompile(`^v\(((?:[^()#]+\.)?t[^.()#]*#i[12])\)$`)
	txlCurrent     = regexp.MustCompile(`^((?:[^()#]+\.)?[yp][^.()#]*#branch[12](?:_[0-9]+)?)$`)
	lineCurrent    = regexp.MustCompile(`^i\(((?:[^()#]+\.)?[yp][^.()#]*)\)$`)
	tfVector       = regexp.MustCompile(`^v\((transfer_function|[^()]+#input_impedance|output_impedance_at_.+)\)$`)
)

// NgspiceName is a vector's name as gospice writes it: ngspice names the branch current
// of a source in a subcircuit i(v.x1.v1) where gospice writes i(x1.v1), and a device's
// internal node there v(q.x1.q1#collci) where gospice writes v(x1.q1#collci); it writes
// the port currents of a T line as voltages, v(t1#i1), where gospice writes i(t1#i1); in
// a raw file of its batch mode, the results of a .tf as v(transfer_function) where it
// names them transfer_function in .control; an older form of branch currents is
// v1#branch; and a POLY source, which ngspice 39 makes an XSPICE code model, has its
// current as i(a$poly$e.x1.e1) where gospice writes i(x1.e1).
func NgspiceName(name string) string {
	name = strings.ToLower(name)
	if dev, ok := strings.CutPrefix(name, "i(a$poly$"); ok {
		name = "i(" + dev
	}
	if m := tfVector.FindStringSubmatch(name); m != nil {
		return m[1]
	}
	if dev, ok := strings.CutSuffix(name, "#branch"); ok && !strings.Contains(dev, "(") {
		name = "i(" + dev + ")"
	}
	if m := subcktCurrent.FindStringSubmatch(name); m != nil && strings.HasPrefix(m[3], m[1]) {
		return "i(" + m[2] + m[3] + ")"
	}
	if m := subcktInternal.FindStringSubmatch(name); m != nil && strings.HasPrefix(m[3], m[1]) {
		name = "v(" + m[2] + m[3] + m[4] + ")"
	}
	if m := tlineCurrent.FindStringSubmatch(name); m != nil {
		return "i(" + m[1] + ")"
	}
	if m := txlCurrent.FindStringSubmatch(name); m != nil { // a TXL's y1#branch1, a CPL's p1#branch1_0
		return "i(" + m[1] + ")"
	}
	return name
}

// nameLineCurrents gives the end currents of TXL and CPL lines the names gospice writes:
// ngspice's raw file names them all i(y1) (i(p1)), in the order y1#branch1, y1#branch2
// (p1#branch1_0 ... p1#branch1_<N-1>, p1#branch2_0 ...).
func nameLineCurrents(vars []string) {
	count := map[string]int{}
	for _, v := range vars {
		if m := lineCurrent.FindStringSubmatch(NgspiceName(v)); m != nil {
			count[m[1]]++
		}
	}
	seen := map[string]int{}
	for i, v := range vars {
		m := lineCurrent.FindStringSubmatch(NgspiceName(v))
		if m == nil || count[m[1]] < 2 || count[m[1]]%2 != 0 {
			continue
		}
		k, n := seen[m[1]], count[m[1]]/2
		seen[m[1]]++
		last := m[1][strings.LastIndexByte(m[1], '.')+1:]
		if last[0] == 'y' {
			vars[i] = fmt.Sprintf("i(%s#branch%d)", m[1], k+1)
		} else {
			vars[i] = fmt.Sprintf("i(%s#branch%d_%d)", m[1], k/n+1, k%n)
		}
	}
}
