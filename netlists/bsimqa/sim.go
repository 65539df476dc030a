package bsimqa

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
)

// Simulator runs a deck and gives back its probes' currents.
type Simulator interface {
	Name() string
	Run(ctx context.Context, d *Deck) (*Waves, error)
}

// ErrNotSupported wraps gospice's refusal of a device it does not have (a MOSFET level).
var ErrNotSupported = errors.New("not supported")

// Gospice runs decks in-process with gospice.Parse and Simulation.Collect.
type Gospice struct{}

// Name is "gospice".
func (Gospice) Name() string { return "gospice" }

// notSupported matches gospice's refusal of a model level it has not got. Only this:
// any other refusal is an ERROR, as a deck that used to run must not quietly stop
// running (the non-quasi-static modes, once refused, are all there now).
var notSupported = regexp.MustCompile(`level \d+ .*is not supported`)

// Run parses, builds and runs the deck's one analysis.
func (Gospice) Run(ctx context.Context, d *Deck) (*Waves, error) {
	sim, err := gospice.ParseContext(ctx, d.Test.Name+".cir", d.Text)
	if err != nil {
		if notSupported.MatchString(err.Error()) {
			return nil, fmt.Errorf("%w: %s", ErrNotSupported, firstLine(err.Error()))
		}
		return nil, err
	}
	as := sim.Analyses()
	if len(as) != 1 {
		return nil, fmt.Errorf("%d analyses, want 1", len(as))
	}
	res, err := sim.Collect(ctx, as[0])
	if err != nil {
		return nil, err
	}
	w := &Waves{Scale: res.Scale()}
	if d.isNoise() {
		v, ok := res.Vector("onoise_spectrum")
		if !ok {
			return nil, fmt.Errorf("gospice gave no onoise_spectrum")
		}
		n := make([]complex128, len(v))
		for i, x := range v {
			n[i] = complex(x*x, 0)
		}
		w.Currents = [][]complex128{n}
		return w, nil
	}
	for _, p := range d.Probes {
		name := "i(" + p + ")"
		if res.IsComplex() {
			c, ok := res.Complex(name)
			if !ok {
				return nil, fmt.Errorf("gospice gave no %s", name)
			}
			w.Currents = append(w.Currents, c)
			continue
		}
		v, ok := res.Vector(name)
		if !ok {
			return nil, fmt.Errorf("gospice gave no %s", name)
		}
		c := make([]complex128, len(v))
		for i, x := range v {
			c[i] = complex(x, 0)
		}
		w.Currents = append(w.Currents, c)
	}
	return w, nil
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// Ngspice runs decks with `ngspice -b`, writing the probes' currents with wrdata.
type Ngspice struct {
	Command string // the program, "ngspice" when empty
}

// Name is "ngspice".
func (Ngspice) Name() string { return "ngspice" }

// Run writes the deck with a .control block that runs it and writes the real and
// imaginary parts of every probe's current to a file, runs ngspice in batch mode on it,
// and reads the file back.
func (n Ngspice) Run(ctx context.Context, d *Deck) (*Waves, error) {
	cmdName := n.Command
	if cmdName == "" {
		cmdName = "ngspice"
	}
	work, err := os.MkdirTemp("", "bsimqa")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	out := filepath.Join(work, "out.txt")
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(d.Text, ".end\n"))
	b.WriteString(".control\nset wr_singlescale\nset wr_vecnames\nset numdgt=16\nrun\n")
	var vecs []string
	for i, p := range d.Probes {
		if d.isNoise() {
			fmt.Fprintf(&b, "setplot noise1\nlet p%dr = onoise_spectrum^2\nlet p%di = 0*p%dr\n", i, i, i)
		} else {
			fmt.Fprintf(&b, "let p%dr = real(i(%s))\nlet p%di = imag(i(%s))\n", i, p, i, p)
		}
		vecs = append(vecs, fmt.Sprintf("p%dr p%di", i, i))
	}
	fmt.Fprintf(&b, "wrdata %s %s\nquit\n.endc\n.end\n", out, strings.Join(vecs, " "))
	cir := filepath.Join(work, "deck.cir")
	if err := os.WriteFile(cir, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, cmdName, "-b", cir)
	cmd.Dir = work
	log, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ngspice: %v\n%s", err, log)
	}
	w, err := readColumns(out, len(d.Probes))
	if err != nil {
		return nil, fmt.Errorf("ngspice output: %v\n%s", err, log)
	}
	return w, nil
}

// readColumns reads a wrdata file of one scale column then, per probe, its real and
// imaginary parts; the first line holds the names.
func readColumns(path string, probes int) (*Waves, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	w := &Waves{Currents: make([][]complex128, probes)}
	header := true
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if header {
			header = false
			continue
		}
		if len(fields) != 1+2*probes {
			return nil, fmt.Errorf("a row of %d fields, want %d", len(fields), 1+2*probes)
		}
		vals := make([]float64, len(fields))
		for i, s := range fields {
			if vals[i], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, err
			}
		}
		w.Scale = append(w.Scale, vals[0])
		for p := range probes {
			w.Currents[p] = append(w.Currents[p], complex(vals[1+2*p], vals[2+2*p]))
		}
	}
	return w, sc.Err()
}
