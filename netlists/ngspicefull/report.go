package ngspicefull

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// tableColumns are the columns of the table, one row per netlist.
var tableColumns = []string{
	"path", "set", "control", "stage", "gospice", "gospice_s", "ngspice", "ngspice_s", "tight",
	"plots", "matched", "vectors", "compared", "agree", "missing", "no_accuracy",
	"worst_vector", "worst_diff", "ngspice_accuracy", "diff_over_tol", "missing_vectors",
	"verdict", "category", "message",
}

// WriteTable writes the rows as tab-separated values with a header line. worst_diff and
// ngspice_accuracy are fractions of the worst vector's swing; diff_over_tol above 1
// means it disagrees; missing_vectors names the first plots and vectors gospice lacks.
func WriteTable(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join(tableColumns, "\t"))
	for i := range rows {
		r := &rows[i]
		plots, matched, vectors, compared, agree, missing, noAcc := r.counts()
		worst, diff, acc, ratio := "-", "-", "-", "-"
		if v, ok := r.worst(); ok {
			worst = v.Plot + ":" + v.Name
			diff, acc, ratio = rel(v.Diff, v.Swing), rel(v.Accuracy, v.Swing), g3(v.Ratio())
		}
		control := "no"
		if r.Control {
			control = "yes"
		}
		fields := []string{
			r.Path, r.Set, control, r.Stage, r.Gospice, secs(r.GospiceSecs), r.Ngspice, secs(r.NgspiceSecs), r.Tight,
			strconv.Itoa(plots), strconv.Itoa(matched), strconv.Itoa(vectors), strconv.Itoa(compared),
			strconv.Itoa(agree), strconv.Itoa(missing), strconv.Itoa(noAcc),
			worst, diff, acc, ratio, dash(r.missingNames(5)), r.Verdict, dash(r.Category), dash(r.Message),
		}
		for k, f := range fields {
			fields[k] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(f)
		}
		fmt.Fprintln(bw, strings.Join(fields, "\t"))
	}
	return bw.Flush()
}

// missingNames lists the first n plots (tran2) and vectors (tran1:v(x)) of ngspice that
// gospice lacks, and how many more there are.
func (r *Row) missingNames(n int) string {
	var names []string
	for _, p := range r.Plots {
		if !p.Matched {
			names = append(names, p.Name)
			continue
		}
		for _, v := range p.Vectors {
			if !v.Present {
				names = append(names, p.Name+":"+v.Name)
			}
		}
	}
	if len(names) > n {
		return strings.Join(names[:n], " ") + fmt.Sprintf(" (+%d)", len(names)-n)
	}
	return strings.Join(names, " ")
}

func rel(x, swing float64) string {
	if swing == 0 {
		return g3(x)
	}
	return g3(x / swing)
}

func g3(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }

func secs(s float64) string { return strconv.FormatFloat(s, 'f', 2, 64) }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// TableRow is a row read back from a table: what a later run is compared with.
type TableRow struct {
	Path, Stage, Gospice, Verdict, Category string
}

// ReadTable reads a table WriteTable wrote.
func ReadTable(path string) ([]TableRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	col := map[string]int{}
	var rows []TableRow
	for n := 1; sc.Scan(); n++ {
		fields := strings.Split(sc.Text(), "\t")
		if n == 1 {
			for i, c := range fields {
				col[c] = i
			}
			for _, c := range []string{"path", "stage", "gospice", "verdict", "category"} {
				if _, ok := col[c]; !ok {
					return nil, fmt.Errorf("%s: no column %q", path, c)
				}
			}
			continue
		}
		if len(fields) != len(col) {
			return nil, fmt.Errorf("%s:%d: %d fields under %d columns", path, n, len(fields), len(col))
		}
		rows = append(rows, TableRow{
			Path: fields[col["path"]], Stage: fields[col["stage"]], Gospice: fields[col["gospice"]],
			Verdict: fields[col["verdict"]], Category: fields[col["category"]],
		})
	}
	return rows, sc.Err()
}

// TableRows are the rows as ReadTable would read them back.
func TableRows(rows []Row) []TableRow {
	out := make([]TableRow, len(rows))
	for i, r := range rows {
		out[i] = TableRow{Path: r.Path, Stage: r.Stage, Gospice: r.Gospice, Verdict: r.Verdict, Category: dash(r.Category)}
	}
	return out
}

// Counts are the numbers a run of the harness is summed up by.
type Counts struct {
	Netlists  int // netlists run (that ngspice 39 runs, by the manifest)
	Control   int // with a .control block
	Reference int // ngspice wrote at least one plot under the harness
	Parses    int // gospice parsed (and elaborated) it
	Builds    int
	RunsToEnd int            // gospice's exit code 0
	Verdicts  map[string]int // by verdict
}

// Count sums up the rows.
func Count(rows []Row) Counts {
	c := Counts{Netlists: len(rows), Verdicts: map[string]int{}}
	for i := range rows {
		r := &rows[i]
		if r.Control {
			c.Control++
		}
		if strings.HasPrefix(r.Ngspice, "ok") {
			c.Reference++
		}
		switch r.Stage {
		case StageBuilt:
			c.Builds++
			c.Parses++
		case StageBuild:
			c.Parses++
		}
		if r.Gospice == "ok" {
			c.RunsToEnd++
		}
		c.Verdicts[r.Verdict]++
	}
	return c
}

// WriteSummary writes the counts and the categories of the netlists that do not agree,
// most frequent first, as Markdown.
func WriteSummary(w io.Writer, rows []Row) error {
	c := Count(rows)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "| count | netlists |\n|---|---|\n")
	fmt.Fprintf(bw, "| %d | that ngspice 39 runs (MANIFEST.tsv), %d of them with a .control block |\n", c.Netlists, c.Control)
	fmt.Fprintf(bw, "| %d | ngspice writes plots for under the harness |\n", c.Reference)
	fmt.Fprintf(bw, "| %d | gospice parses |\n", c.Parses)
	fmt.Fprintf(bw, "| %d | gospice builds |\n", c.Builds)
	fmt.Fprintf(bw, "| %d | gospice runs to the end (exit 0) |\n", c.RunsToEnd)
	fmt.Fprintf(bw, "| %d | every vector ngspice writes present and agreeing |\n", c.Verdicts[VerdictAgrees])
	fmt.Fprintf(bw, "\n| count | verdict |\n|---|---|\n")
	for _, v := range []string{VerdictAgrees, VerdictMissing, VerdictDisagrees, VerdictNoReference, VerdictGospiceFails, VerdictHarness} {
		if c.Verdicts[v] > 0 {
			fmt.Fprintf(bw, "| %d | %s |\n", c.Verdicts[v], v)
		}
	}
	fmt.Fprintf(bw, "\n| count | category (netlists that do not agree) |\n|---|---|\n")
	for _, kc := range Categories(rows) {
		fmt.Fprintf(bw, "| %d | %s |\n", kc.Count, strings.ReplaceAll(kc.Category, "|", `\|`))
	}
	return bw.Flush()
}

// CategoryCount is how many netlists fall in a category.
type CategoryCount struct {
	Category string
	Count    int
}

// Categories counts the categories of the rows that do not agree, most frequent first.
func Categories(rows []Row) []CategoryCount {
	n := map[string]int{}
	for _, r := range rows {
		if r.Verdict != VerdictAgrees {
			n[r.Category]++
		}
	}
	out := make([]CategoryCount, 0, len(n))
	for k, v := range n {
		out = append(out, CategoryCount{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// Changes compares a run with an earlier one, netlist by netlist: the lines say what
// changed, and regressions lists the netlists that agreed or ran to the end before and
// no longer do.
func Changes(before, after []TableRow) (lines, regressions []string) {
	old := map[string]TableRow{}
	for _, r := range before {
		old[r.Path] = r
	}
	for _, r := range after {
		b, ok := old[r.Path]
		if !ok {
			lines = append(lines, fmt.Sprintf("%s: new, %s", r.Path, r.Verdict))
			continue
		}
		if b.Verdict == r.Verdict && b.Gospice == r.Gospice && b.Category == r.Category {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s; %s) -> %s (%s; %s)", r.Path, b.Verdict, b.Gospice, b.Category, r.Verdict, r.Gospice, r.Category))
		if (b.Verdict == VerdictAgrees && r.Verdict != VerdictAgrees) || (b.Gospice == "ok" && r.Gospice != "ok") {
			regressions = append(regressions, r.Path)
		}
	}
	return lines, regressions
}

// CountTable counts the verdicts and the runs to the end of rows read back.
func CountTable(rows []TableRow) (runsToEnd int, verdicts map[string]int) {
	verdicts = map[string]int{}
	for _, r := range rows {
		if r.Gospice == "ok" {
			runsToEnd++
		}
		verdicts[r.Verdict]++
	}
	return runsToEnd, verdicts
}

// vectorColumns are the columns of WriteVectors's table.
var vectorColumns = []string{"path", "plot", "vector", "present", "diff", "at", "ngspice_accuracy", "tol", "swing", "note"}

// WriteVectors writes, for each netlist that gospice runs to the end but does not agree
// with ngspice, every vector of ngspice's that gospice lacks or differs in (diff over
// tol above 1), with the absolute numbers the verdict came from: what explaining a
// disagreement starts from.
func WriteVectors(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join(vectorColumns, "\t"))
	for i := range rows {
		r := &rows[i]
		if r.Verdict != VerdictDisagrees && r.Verdict != VerdictMissing {
			continue
		}
		for _, p := range r.Plots {
			for _, v := range p.Vectors {
				if v.Agrees() {
					continue
				}
				present := "no"
				if v.Present {
					present = "yes"
				}
				fmt.Fprintln(bw, strings.Join([]string{r.Path, p.Name, v.Name, present, g3(v.Diff), g3(v.At),
					g3(v.Accuracy), g3(v.Tol), g3(v.Swing), dash(v.Note)}, "\t"))
			}
		}
	}
	return bw.Flush()
}
