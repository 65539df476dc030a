package control

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pc "github.com/gospice/gospice/parser/control"
)

// cmdCd changes the folder that relative file names (write, wrdata, source, the pictures)
// are in, and says which it is, as ngspice does; cd alone goes to the home folder. The
// process's own working folder does not change.
func (in *Interp) cmdCd(ctx context.Context, c *pc.Command, args string) error {
	dir := strings.Trim(strings.TrimSpace(args), "\"")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return err
		}
		dir = home
	}
	dir = in.resolve(dir)
	if info, err := os.Stat(dir); err != nil {
		return err
	} else if !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	in.opt.Dir, in.readDir = abs, abs
	fmt.Fprintf(in.opt.Stdout, "Current directory: %s\n", abs)
	return nil
}

// cmdMcSource reads the circuit again from the netlist, as ngspice's mc_source does for
// a Monte Carlo: the random functions of its .param and element lines (agauss, gauss,
// unif ...) draw new values, and the alter and altermod changes are undone; alterparam's
// values stay, as in reset, and a reset after it keeps its draws.
func (in *Interp) cmdMcSource(ctx context.Context, c *pc.Command, args string) error {
	if in.orig.Deck == nil {
		return fmt.Errorf("the circuit was not read from a netlist")
	}
	in.mcRuns++
	circuit, err := in.resetCircuit(ctx)
	if err != nil {
		return err
	}
	in.circuit = circuit
	in.seedFromOptions()
	fmt.Fprintf(in.opt.Stdout, "\nCircuit: %s\n\n", circuit.Title)
	return nil
}

// preCommands takes ngspice's pre_ commands (pre_set, pre_echo ...) out of the top level
// of blocks: ngspice runs them while it reads the netlist, before any block, and their
// line is lowercased like the netlist's.
func preCommands(blocks [][]*pc.Command) (pre []*pc.Command, rest [][]*pc.Command) {
	for _, cmds := range blocks {
		var kept []*pc.Command
		for _, c := range cmds {
			if name, ok := strings.CutPrefix(c.Name, "pre_"); ok && name != "" {
				p := *c
				p.Name, p.Args = name, strings.ToLower(c.Args)
				pre = append(pre, &p)
				continue
			}
			kept = append(kept, c)
		}
		rest = append(rest, kept)
	}
	return pre, rest
}
