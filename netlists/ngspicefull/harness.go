package ngspicefull

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config is what a run of the harness needs.
type Config struct {
	Corpus  string                           // the corpus folder, holding MANIFEST.tsv
	Work    string                           // a scratch folder: the corpus is copied there and outputs go there
	Gospice string                           // the gospice command
	Stager  []string                         // a command that runs StageMain (the test binary); see StageEnv
	Timeout time.Duration                    // for each run of gospice or ngspice; the tight ngspice run gets four times this
	Jobs    int                              // netlists run at once
	Only    *regexp.Regexp                   // when set, only the netlists whose path it matches
	Log     func(format string, args ...any) // when set, told of each netlist done

	// Quick skips ngspice where gospice does not run to its end: the verdict is then
	// "gospice fails" whatever ngspice writes, so only the ngspice column changes ("-").
	Quick bool
	// NgspiceCache, when set, is a folder keeping ngspice's outputs by the text it ran
	// (see ngspiceCache): ngspice's part of a netlist is the same from run to run.
	NgspiceCache string
}

// StageEnv names the netlist that StageMain takes through Stage.
const StageEnv = "GOSPICE_CORPUS_STAGE"

// StageMain, in a program started with StageEnv set, takes that netlist through Stage,
// prints the result as JSON and reports true: the program should then exit. Otherwise
// it does nothing and reports false. The harness runs each netlist's stages in a process
// of their own so that a hang or a crash costs that netlist only.
func StageMain(w io.Writer) bool {
	path := os.Getenv(StageEnv)
	if path == "" {
		return false
	}
	stage, err := Stage(context.Background(), path)
	r := stageResult{Stage: stage}
	if err != nil {
		r.Error = clip(firstLine(err.Error()), 1000) // an error may list thousands of elements
	}
	json.NewEncoder(w).Encode(r)
	return true
}

type stageResult struct {
	Stage string `json:"stage"`
	Error string `json:"error,omitempty"`
}

// Row is what the harness found for one netlist.
type Row struct {
	Path, Set string
	Control   bool    // it has a .control block
	Reltol    float64 // its reltol; the tight ngspice run has a tenth of it

	Stage       string // StageBuilt, or the stage where gospice stopped (parse, elaborate, build)
	Gospice     string // ok (exit 0), exit N, timeout, crash
	GospiceSecs float64
	Message     string // gospice's error, on one line

	Ngspice     string // ok, no plots, exit N, timeout
	NgspiceSecs float64
	Tight       string // the tight run (reltol/10, finer .tran steps), as Ngspice; "-" when not needed

	Plots    []PlotResult
	Verdict  string
	Category string
}

// The verdicts, from the worst.
const (
	VerdictGospiceFails = "gospice fails" // gospice does not run to its end
	VerdictNoReference  = "no reference"  // ngspice writes no plot under the harness
	VerdictDisagrees    = "disagrees"     // a vector both write differs beyond ngspice's accuracy
	VerdictMissing      = "missing"       // a plot or vector ngspice writes is not in gospice's output
	VerdictAgrees       = "agrees"        // every vector ngspice writes is there and agrees
	VerdictHarness      = "harness error" // the harness could not run the netlist
)

// notRun marks a run that did not take place.
const notRun = "-"

// Counts of a row's vectors.
func (r *Row) counts() (plots, matched, vectors, compared, agree, missing, noAccuracy int) {
	for _, p := range r.Plots {
		plots++
		if p.Matched {
			matched++
		}
		for _, v := range p.Vectors {
			vectors++
			switch {
			case !v.Present:
				missing++
				continue
			case v.Agrees():
				agree++
			}
			compared++
			if math.IsNaN(v.Accuracy) && r.Tight != notRun {
				noAccuracy++
			}
		}
	}
	return
}

// worst is the present vector furthest beyond (or nearest to) its tolerance.
func (r *Row) worst() (VectorResult, bool) {
	var w VectorResult
	found := false
	for _, p := range r.Plots {
		for _, v := range p.Vectors {
			if v.Present && (!found || v.Ratio() > w.Ratio()) {
				w, found = v, true
			}
		}
	}
	return w, found
}

// judge sets the verdict and the category.
func (r *Row) judge() {
	_, _, vectors, compared, agree, missing, _ := r.counts()
	switch {
	case r.Verdict == VerdictHarness:
	case r.Gospice != "ok":
		r.Verdict = VerdictGospiceFails
		r.Category = FailureCategory(r.Stage, r.Gospice, r.Message)
		if r.Control && strings.Contains(r.Message, "no analysis to run") {
			r.Category = controlNotRun + " (its analyses are all there)"
		}
	case vectors == 0:
		r.Verdict = VerdictNoReference
		r.Category = "ngspice writes no plot under the harness (" + r.Ngspice + ")"
	case agree < compared:
		r.Verdict = VerdictDisagrees
		w, _ := r.worst()
		r.Category = "disagrees in " + strings.TrimRight(w.Plot, "0123456789")
		if math.IsNaN(w.Accuracy) {
			r.Category += ", ngspice's accuracy unknown (tight run: " + r.Tight + ")"
		}
	case missing > 0:
		r.Verdict = VerdictMissing
		r.Category = r.missingCategory()
	default:
		r.Verdict = VerdictAgrees
		r.Category = ""
	}
}

const controlNotRun = ".control block not run"

// missingCategory says what of ngspice's output gospice lacks (gospice runs .control
// blocks, so a netlist with one is judged as any other).
func (r *Row) missingCategory() string {
	for _, p := range r.Plots {
		if !p.Matched {
			return "no " + p.Kind + " plot"
		}
	}
	for _, p := range r.Plots {
		for _, v := range p.Vectors {
			if !v.Present {
				return "vector not written: " + vectorShape(v.Name)
			}
		}
	}
	return ""
}

var shapeParts = regexp.MustCompile(`^([a-z]+)\((.*)\)$`)

// vectorShape is the family of a vector's name: i(e…) for the current of an E source,
// v(…) for a node voltage, @m[…] for a device's parameter.
func vectorShape(name string) string {
	if strings.HasPrefix(name, "@") {
		dev, _, _ := strings.Cut(name[1:], "[")
		return "@" + elementLetter(dev) + "[…]"
	}
	if m := shapeParts.FindStringSubmatch(name); m != nil {
		if m[1] == "i" {
			return "i(" + elementLetter(m[2]) + "…)"
		}
		return m[1] + "(…)"
	}
	return "other"
}

// elementLetter is the letter of an element's kind, past its subcircuit path.
func elementLetter(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return ""
	}
	return name[:1]
}

// Run runs every netlist of the manifest that ngspice 39 runs (and Only matches) and
// returns a row for each, in the manifest's order.
func Run(ctx context.Context, cfg Config) ([]Row, error) {
	entries, err := ReadManifest(filepath.Join(cfg.Corpus, "MANIFEST.tsv"))
	if err != nil {
		return nil, err
	}
	var todo []Entry
	for _, e := range entries {
		if e.Runs() && (cfg.Only == nil || cfg.Only.MatchString(e.Path)) {
			todo = append(todo, e)
		}
	}
	if strings.ContainsAny(cfg.Work, " \t\n\"'$;") {
		// ngspice's write command takes the output folder as a word of its script
		return nil, fmt.Errorf("the scratch folder %q must be a path without spaces, quotes or $", cfg.Work)
	}
	h := &harness{cfg: cfg, copy: filepath.Join(cfg.Work, "corpus")}
	if err := copyTree(cfg.Corpus, h.copy); err != nil {
		return nil, err
	}
	rows := make([]Row, len(todo))
	// The netlists of one folder run one after another: a netlist's .control block may
	// write files there that another reads. Folders run in parallel, the largest first.
	groups := map[string][]int{}
	for i, e := range todo {
		d := path.Dir(e.Path)
		groups[d] = append(groups[d], i)
	}
	dirs := make([]string, 0, len(groups))
	for d := range groups {
		dirs = append(dirs, d)
	}
	sort.Slice(dirs, func(i, j int) bool {
		a, b := groups[dirs[i]], groups[dirs[j]]
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return dirs[i] < dirs[j]
	})
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range max(cfg.Jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				for _, i := range groups[d] {
					if ctx.Err() != nil {
						break
					}
					r := h.runOne(ctx, todo[i], i)
					if ctx.Err() != nil {
						break // its runs were cut short
					}
					rows[i] = r
					mu.Lock()
					done++
					if cfg.Log != nil {
						r := &rows[i]
						cfg.Log("%d/%d %s: %s %s (gospice %s %.1fs, ngspice %s %.1fs)", done, len(todo), r.Path, r.Verdict, r.Category, r.Gospice, r.GospiceSecs, r.Ngspice, r.NgspiceSecs)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, d := range dirs {
		select {
		case work <- d:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		ran := rows[:0]
		for _, r := range rows {
			if r.Path != "" {
				ran = append(ran, r)
			}
		}
		return ran, fmt.Errorf("stopped after %d of %d netlists: %w", len(ran), len(todo), err)
	}
	return rows, nil
}

type harness struct {
	cfg  Config
	copy string // the copy of the corpus the netlists run in
}

// runOne runs one netlist through gospice and ngspice and compares their plots.
func (h *harness) runOne(ctx context.Context, e Entry, n int) (row Row) {
	row = Row{Path: e.Path, Set: e.Set, Stage: notRun, Gospice: notRun, Ngspice: notRun, Tight: notRun}
	defer row.judge()
	fail := func(err error) Row {
		row.Verdict, row.Category, row.Message = VerdictHarness, "harness error", oneLine(err.Error())
		return row
	}
	src := filepath.Join(h.copy, filepath.FromSlash(e.Path))
	raw, err := os.ReadFile(src)
	if err != nil {
		return fail(err)
	}
	text := string(raw)
	row.Control, row.Reltol = HasControl(text), Reltol(text)
	dir, base := filepath.Dir(src), filepath.Base(src)
	out := filepath.Join(h.cfg.Work, "out", strconv.Itoa(n))
	defer os.RemoveAll(out)
	for _, d := range []string{"ng", "tight"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return fail(err)
		}
	}
	gsPath := filepath.Join(dir, ".harness-gospice-"+base)
	if err := os.WriteFile(gsPath, []byte(GospiceText(text)), 0o644); err != nil {
		return fail(err)
	}
	defer os.Remove(gsPath)
	if row.Stage, err = h.stage(ctx, gsPath); err != nil {
		return fail(err)
	}
	gs, err := h.gospice(ctx, &row, gsPath, e.Path, out)
	if err != nil {
		return fail(err)
	}

	if h.cfg.Quick && row.Gospice != "ok" {
		return row
	}
	ng, status, took, err := h.ngspice(ctx, text, dir, base, filepath.Join(out, "ng"), 0, h.cfg.Timeout)
	if err != nil {
		return fail(err)
	}
	row.Ngspice, row.NgspiceSecs = status, took.Seconds()
	row.Plots = Compare(ng, nil, gs)
	if withinFloors(row.Plots) {
		return row // within the floors, whatever ngspice's accuracy: no need to measure it
	}
	tight, status, _, err := h.ngspice(ctx, text, dir, base, filepath.Join(out, "tight"), row.Reltol/10, 4*h.cfg.Timeout)
	if err != nil {
		return fail(err)
	}
	row.Tight = status
	row.Plots = Compare(ng, tight, gs)
	return row
}

// withinFloors reports whether every vector gospice writes is within the floors of the
// tolerance (as Compare without a tight run measures them), or there is none.
func withinFloors(plots []PlotResult) bool {
	for _, p := range plots {
		for _, v := range p.Vectors {
			if v.Present && !v.Agrees() {
				return false
			}
		}
	}
	return true
}

// stage runs the stager on the gospice netlist and returns the stage it reached:
// "timeout" or "crash" where the stager did not say.
func (h *harness) stage(ctx context.Context, path string) (string, error) {
	p := run(ctx, h.cfg.Timeout, filepath.Dir(path), environ(StageEnv+"="+path), h.cfg.Stager[0], h.cfg.Stager[1:]...)
	if p.StartErr != nil {
		return "", fmt.Errorf("stager: %w", p.StartErr)
	}
	lines := strings.Split(strings.TrimSpace(p.Stdout), "\n")
	var r stageResult
	switch {
	case p.TimedOut:
		return "timeout", nil
	case json.Unmarshal([]byte(lines[len(lines)-1]), &r) != nil || r.Stage == "":
		return "crash", nil
	}
	return r.Stage, nil
}

// gospice runs the gospice command on the netlist at path, writing a raw file into out,
// and returns the plots it wrote (those before it stopped, if it did).
func (h *harness) gospice(ctx context.Context, row *Row, path, name, out string) ([]*Plot, error) {
	rawPath := filepath.Join(out, "gospice.raw")
	p := run(ctx, h.cfg.Timeout, filepath.Dir(path), environ(), h.cfg.Gospice, "run", path, "--format", "raw", "-o", rawPath, "--quiet")
	if p.StartErr != nil {
		return nil, fmt.Errorf("gospice: %w", p.StartErr)
	}
	row.GospiceSecs = p.Took.Seconds()
	msg := strings.ReplaceAll(errorLine(p.Stderr), path, name)
	msg = strings.ReplaceAll(msg, h.copy+string(filepath.Separator), "")
	switch {
	case p.TimedOut:
		row.Gospice, msg = "timeout", fmt.Sprintf("no result in %v", h.cfg.Timeout)
	case strings.Contains(p.Stderr, "\ngoroutine ") || strings.HasPrefix(p.Stderr, "panic: "):
		row.Gospice = "crash"
		msg = panicLine(p.Stderr)
	case p.Died != nil:
		row.Gospice, msg = "crash", p.Died.Error()
	case p.Code == 0:
		row.Gospice, msg = "ok", ""
	default:
		row.Gospice = "exit " + strconv.Itoa(p.Code)
	}
	row.Message = oneLine(msg)
	plots, err := ReadRawFile(rawPath)
	if os.IsNotExist(err) {
		plots, err = ReadRawFile(filepath.Join(out, "gospice.partial.raw"))
	}
	if err != nil && !os.IsNotExist(err) && row.Gospice == "ok" {
		row.Gospice, row.Message = "unreadable output", oneLine(err.Error())
	}
	return plots, nil
}

// ngspice runs ngspice in batch mode on the netlist text (written beside the original, so
// that its includes resolve and its .control block finds its files), at reltol when it is
// not 0, and returns the plots it wrote into the folder out, sorted (see SortPlots), and
// how it ended.
func (h *harness) ngspice(ctx context.Context, text, dir, base, out string, reltol float64, timeout time.Duration) ([]*Plot, string, time.Duration, error) {
	kind := "ngspice"
	if reltol != 0 {
		kind = "tight"
	}
	path := filepath.Join(dir, ".harness-"+kind+"-"+base)
	rel, err := filepath.Rel(h.copy, path)
	if err != nil {
		return nil, "", 0, err
	}
	cache := ngspiceCache{dir: h.cfg.NgspiceCache, key: cacheKey(NgspiceText(text, "\x00out\x00", reltol), rel)}
	if status, took, ok := cache.restore(out); ok {
		plots, unreadable, err := readPlots(out)
		return plots, plotStatus(status, len(plots)) + unreadable, took, err
	}
	if err := os.WriteFile(path, []byte(NgspiceText(text, out, reltol)), 0o644); err != nil {
		return nil, "", 0, err
	}
	defer os.Remove(path)
	args := []string{"-b", path}
	if !HasControl(text) {
		args = []string{"-b", "-r", filepath.Join(out, "ngspice.raw"), path}
	}
	p := run(ctx, timeout, dir, environ(), "ngspice", args...)
	if p.StartErr != nil {
		return nil, "", 0, fmt.Errorf("ngspice: %w", p.StartErr)
	}
	status := "ok"
	switch {
	case p.TimedOut:
		status = "timeout"
	case p.Died != nil:
		status = "crash"
	case p.Code != 0:
		status = "exit " + strconv.Itoa(p.Code)
	}
	if status == "ok" || strings.HasPrefix(status, "exit") {
		// a run cut short by the clock or a signal may end otherwise next time
		if err := cache.save(out, status, p.Took); err != nil {
			return nil, "", 0, err
		}
	}
	plots, unreadable, err := readPlots(out)
	if err != nil {
		return nil, "", 0, err
	}
	return plots, plotStatus(status, len(plots)) + unreadable, p.Took, nil
}

// plotStatus is how an ngspice run ended (ok, exit N, timeout, crash) told with whether
// it wrote plots.
func plotStatus(status string, plots int) string {
	switch {
	case status == "ok" && plots == 0:
		return "no plots"
	case strings.HasPrefix(status, "exit") && plots > 0:
		return "ok, " + status
	}
	return status
}

// readPlots reads the raw files ngspice wrote into out: ngspice.raw, whose plots are named
// by their kind and rank (tran1, tran2), or one file per plot named after it. The plots
// come sorted (see SortPlots); a file that cannot be read is left out and named in the note.
func readPlots(out string) (plots []*Plot, note string, err error) {
	files, err := os.ReadDir(out)
	if err != nil {
		return nil, "", err
	}
	for _, f := range files {
		name := f.Name()
		if name == "const" {
			continue
		}
		ps, err := ReadRawFile(filepath.Join(out, name))
		if err != nil {
			note = fmt.Sprintf("; %s unreadable: %v", name, err)
		}
		if name == "ngspice.raw" {
			rank := map[string]int{}
			for _, p := range ps {
				rank[p.Kind]++
				p.Name = p.Kind + strconv.Itoa(rank[p.Kind])
			}
		} else if len(ps) == 1 {
			ps[0].Name = name
			if emptyPlotWrite(ps[0]) {
				continue
			}
		}
		plots = append(plots, ps...)
	}
	SortPlots(plots)
	return plots, note, nil
}

// emptyPlotWrite reports whether the plot is what ngspice 39's write makes of a plot with
// no vector but its scale (tests/regression/misc/empty-1.cir, a circuit without
// elements): the constants plot for an op plot, which has no scale, and for the others
// the scale again under the name all, dropped here. Neither is the circuit's.
func emptyPlotWrite(p *Plot) bool {
	if p.Kind == "constants" {
		return true
	}
	if len(p.Vars) == 2 && p.Vars[1] == "all" && slices.Equal(p.Re[0], p.Re[1]) {
		p.Vars, p.Types, p.Re = p.Vars[:1], p.Types[:1], p.Re[:1]
		if p.Im != nil {
			p.Im = p.Im[:1]
		}
	}
	return false
}

var contextLine = regexp.MustCompile(`^\s*\d*\s*\|`)

// errorLine is the first line of gospice's standard error that is not a warning or a
// line of the netlist shown under a message.
func errorLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || contextLine.MatchString(l) || strings.Contains(t, "warning: ") || strings.HasPrefix(t, "note: ") || strings.Contains(t, ": note: ") {
			continue
		}
		return t
	}
	return ""
}

// panicLine is the panic's message and the first frame of gospice's code it came from.
func panicLine(stderr string) string {
	i := strings.Index(stderr, "panic: ")
	if i < 0 {
		return "crash"
	}
	lines := strings.Split(stderr[i:], "\n")
	msg := lines[0]
	for k, l := range lines {
		if strings.Contains(l, "github.com/gospice/gospice/") && !strings.Contains(l, "panic") && k+1 < len(lines) {
			return msg + " at " + strings.TrimSpace(lines[k+1])
		}
	}
	return msg
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func oneLine(s string) string { return clip(strings.Join(strings.Fields(s), " "), 300) }

// clip cuts s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// copyTree copies the folder src to dst, files and folders only.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		o, err := os.Create(to)
		if err != nil {
			return err
		}
		if _, err := io.Copy(o, in); err != nil {
			o.Close()
			return err
		}
		return o.Close()
	})
}
