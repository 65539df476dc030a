package ngspicefull

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gospice/gospice/parser"
)

// The harness changes a netlist as little as it can: both simulators lose its .print and
// .plot lines (ngspice's raw output holds every vector whatever they say, gospice's only
// what they name, so without them both write every vector, or those of .save lines), and
// ngspice gets a fixed seed, for the tight run a tenth of the reltol, and, when the
// netlist has .control blocks, one more that writes every plot it made (see NgspiceText).

var (
	tranLine   = regexp.MustCompile(`(?i)^\s*\.tran\s`)
	printLine  = regexp.MustCompile(`(?i)^\s*\.(print|plot)\b`)
	optionLine = regexp.MustCompile(`(?i)^\s*\.opt\w*\b`)
	reltolOpt  = regexp.MustCompile(`(?i)\breltol\s*=\s*([^\s,()]+)`)
	abstolOpt  = regexp.MustCompile(`(?i)\babstol\s*=\s*([^\s,()]+)`)
	vntolOpt   = regexp.MustCompile(`(?i)\bvntol\s*=\s*([^\s,()]+)`)
	quitLine   = regexp.MustCompile(`(?i)^\s*(quit|exit)\b`)
)

// card is one line of a netlist and where it stands.
type card struct {
	text    string
	control bool // inside a .control block, or its .control or .endc line
	cont    bool // a continuation (+) of the line before it
}

// cards splits netlist text into lines, CRLF or LF, marking .control blocks.
func cards(text string) []card {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	out := make([]card, len(lines))
	inControl := false
	for i, l := range lines {
		low := strings.ToLower(strings.TrimSpace(l))
		if i > 0 && strings.HasPrefix(low, ".control") {
			inControl = true
		}
		out[i] = card{text: l, control: inControl, cont: i > 0 && strings.HasPrefix(low, "+")}
		if strings.HasPrefix(low, ".endc") {
			inControl = false
		}
	}
	return out
}

// HasControl reports whether the netlist has a .control block.
func HasControl(text string) bool {
	for _, c := range cards(text) {
		if c.control {
			return true
		}
	}
	return false
}

// dropPrints removes the .print and .plot lines outside .control blocks, with their
// continuation lines.
func dropPrints(cs []card) []card {
	var out []card
	dropping := false
	for i, c := range cs {
		if c.cont && dropping {
			continue
		}
		dropping = i > 0 && !c.control && printLine.MatchString(c.text)
		if !dropping {
			out = append(out, c)
		}
	}
	return out
}

func join(cs []card) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.text)
		b.WriteByte('\n')
	}
	return b.String()
}

// GospiceText is the netlist gospice runs: the netlist without its .print and .plot
// lines. Its .control blocks stay: gospice decides what to do with them.
func GospiceText(text string) string { return join(dropPrints(cards(text))) }

// Reltol is the reltol the netlist's .options lines set (the last one counts), or
// ngspice's default 1e-3.
func Reltol(text string) float64 { return option(text, reltolOpt, 1e-3) }

// option is the value of the option re matches on the netlist's .options lines (the
// last one counts), or def.
func option(text string, re *regexp.Regexp, def float64) float64 {
	reltol := def
	cs := cards(text)
	for i, c := range cs {
		if c.control || c.cont || !optionLine.MatchString(c.text) {
			continue
		}
		line := c.text
		for j := i + 1; j < len(cs) && cs[j].cont; j++ {
			line += " " + strings.TrimPrefix(strings.TrimSpace(cs[j].text), "+")
		}
		for _, m := range re.FindAllStringSubmatch(line, -1) {
			if v, err := strconv.ParseFloat(m[1], 64); err == nil && v > 0 {
				reltol = v
			}
		}
	}
	return reltol
}

// NgspiceText is the netlist ngspice runs: without its .print and .plot lines, with
// .options seed=1 after the title (ngspice otherwise seeds its random values from the
// clock, and two runs would differ), and for the tight run, when reltol is not 0, with
// that reltol, a tenth of the netlist's abstol and vntol, and a quarter of the largest time step on its .tran lines (FinerTran).
//
// A netlist without a .control block is run as ngspice -b -r FILE runs it, which writes
// every plot into FILE. ngspice ignores .control blocks when it writes a raw file so, to
// a netlist with .control blocks, NgspiceText appends one that writes each plot that
// ngspice made into dir, a binary raw file named after the plot (tran1, ac1, op1...).
// Their quit and exit commands are dropped so that the appended block runs after them;
// when they made no plot, it runs the dot analyses first, as ngspice -b does after the
// .control blocks.
// (Running the analyses from an added .control block would serve both kinds, but ngspice
// 39 crashes running .sens that way.) ngspice reads .control blocks and .options lines
// after .end too, so the appended lines go last.
func NgspiceText(text, dir string, reltol float64) string {
	cs := dropPrints(cards(text))
	own := false
	var kept []card
	for i, c := range cs {
		if c.control {
			own = true
			if quitLine.MatchString(c.text) {
				continue
			}
		}
		if reltol != 0 && !c.control && tranLine.MatchString(c.text) && (i+1 == len(cs) || !cs[i+1].cont) {
			if finer, ok := FinerTran(c.text); ok {
				c.text = finer
			}
		}
		kept = append(kept, c)
		if i == 0 {
			kept = append(kept, card{text: ".options seed=1"})
		}
	}
	var b strings.Builder
	b.WriteString(join(kept))
	if reltol != 0 {
		// abstol and vntol a tenth too: a .dc sweep's Newton stops within vntol, which
		// through a conductance of 1 mS is a current error of 1 nA that reltol alone
		// does not show (nmos_out_BSIM330_plainwrite.sp: 1.7e-9 A off a converged run)
		fmt.Fprintf(&b, ".options reltol=%g abstol=%g vntol=%g\n", reltol,
			option(text, abstolOpt, 1e-12)/10, option(text, vntolOpt, 1e-6)/10)
	}
	if own {
		// The plots are const alone when the blocks ran nothing (many do nothing in
		// batch mode): ngspice -b then runs the dot analyses, as run does.
		fmt.Fprintf(&b, ".control\nset filetype=binary\nif $#plots = 1\nrun\nend\nforeach gospiceplot $plots\nsetplot $gospiceplot\nwrite %s/$gospiceplot\nend\nquit\n.endc\n", dir)
	}
	return b.String()
}

// tranTimeSteps is how much finer the tight run's largest time step is: the time-step
// error of ngspice's second-order methods then shrinks about sixteenfold where that
// step, rather than the truncation error, bounds the step (as in a slow RC circuit).
const tranTimeSteps = 4

// FinerTran is a .tran line (tstep tstop [tstart [tmax]] [uic], one line) with a
// quarter of the largest time step ngspice would take: of tmax where it is given, else
// of the smaller of tstep and (tstop-tstart)/50, ngspice's default. ok is false, and
// the line is to be left as it is, where its arguments are not all plain numbers.
func FinerTran(line string) (string, bool) {
	body, _, _ := strings.Cut(line, ";")
	fields := strings.Fields(body)[1:]
	var nums []float64
	uic := ""
	for i, f := range fields {
		if strings.EqualFold(f, "uic") && i == len(fields)-1 {
			uic = " " + f
			continue
		}
		v, ok := parser.ParseNumber(f)
		if !ok {
			return line, false
		}
		nums = append(nums, v)
	}
	if len(nums) < 2 || len(nums) > 4 {
		return line, false
	}
	tstep, tstop, tstart := nums[0], nums[1], 0.0
	tstartText := "0"
	if len(nums) > 2 {
		tstart, tstartText = nums[2], fields[2]
	}
	tmax := min(tstep, (tstop-tstart)/50)
	if len(nums) == 4 && nums[3] > 0 {
		tmax = nums[3]
	}
	if !(tmax > 0) {
		return line, false
	}
	step := strconv.FormatFloat(tmax/tranTimeSteps, 'g', -1, 64)
	return fmt.Sprintf(".tran %s %s %s %s%s", fields[0], fields[1], tstartText, step, uic), true
}
