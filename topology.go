package gospice

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
)

// The checks a circuit gets from its topology before any analysis runs.
//
// An operating point solves the circuit at DC, where a capacitor, a current source and a
// controlling input (of E, G, S, a MOSFET's gate) conduct nothing and an inductor is a
// short circuit. A group of nodes that nothing conducting at DC joins to ground then has
// no defined voltage, and a loop of voltage sources and inductors no defined current:
// the equations are singular, and every analysis that starts from an operating point
// (.op, .dc, .ac, a .tran without uic) would stop at its first point. Both are found here,
// naming the nodes or the loop and the lines of their elements. ngspice has no such check:
// it tries gmin and source stepping, then a pseudo-transient ramp that holds the floating
// nodes with gmin and gives them a value that depends on the ramp, not on the circuit.
//
// What conducts at DC is counted generously, so that no circuit that has an operating
// point is refused: a diode, a switch and a memristor join their two nodes, a BJT its
// collector, base, emitter and substrate (junctions, with gmin across each in ngspice), a
// MOSFET its drain, source and bulk, and a current-output element (G, a B source with i=)
// whose current depends on the voltage of its own output nodes (G1 a 0 a 0 1m is a
// resistor) joins all its nodes. .options rshunt, a resistor from every node to ground,
// removes the floating nodes; it cannot break a loop.
//
// A node with a single connection is only warned about: ngspice runs such circuits (the
// node follows its element), but it is often a misspelt node name.

// topology is what the checks found: the errors for each kind of analysis and the
// warnings.
type topology struct {
	opErr    error // for an analysis that starts from an operating point without .ic nodes: .op, .dc, .ac
	tranErr  error // for a transient without uic, whose operating point holds the .ic nodes
	warnings []*parser.Error
}

// errFor is the topology's error for analysis a, if a starts from an operating point.
func (t *topology) errFor(a parser.Analysis) error {
	if t == nil {
		return nil
	}
	switch a := a.(type) {
	case *parser.OP, *parser.DC, *parser.AC, *parser.TF, *parser.Sens, *parser.Noise, *parser.PZ, *parser.SP:
		return t.opErr
	case *parser.Tran:
		if !a.UIC {
			return t.tranErr
		}
	case *parser.PSS:
		if !a.UIC {
			return t.tranErr
		}
	}
	return nil
}

// maxTopologyReports bounds the errors and warnings of one kind that a check reports;
// a last line counts the rest.
const maxTopologyReports = 5

// checkTopology checks the circuit's topology.
func checkTopology(c *parser.Circuit) *topology {
	g := newNodeGraph(c)
	t := &topology{warnings: g.singleConnections()}
	var loops parser.ErrorList
	for _, l := range g.loops {
		loops = append(loops, g.loopError(l))
	}
	loops = capReports(loops, "more loops of voltage sources and inductors")
	if rshunt(c) {
		t.opErr, t.tranErr = loops.Err(), loops.Err()
		return t
	}
	t.opErr = append(slices.Clone(loops), g.floating(nil)...).Err()
	t.tranErr = append(slices.Clone(loops), g.floating(c.ICs)...).Err()
	return t
}

// rshunt reports whether .options rshunt puts a resistor from every node to ground.
func rshunt(c *parser.Circuit) bool {
	on := false
	for _, o := range c.Options {
		if o.Name == "rshunt" {
			on = o.Value > 0 // the last one wins
		}
	}
	return on
}

// capReports cuts a list of reports to maxTopologyReports, the last saying how many
// more (what) there are.
func capReports(l parser.ErrorList, what string) parser.ErrorList {
	if len(l) <= maxTopologyReports {
		return l
	}
	rest := len(l) - maxTopologyReports
	next := l[maxTopologyReports]
	return append(l[:maxTopologyReports:maxTopologyReports], parser.Errorf(next.Pos, "and %d %s", rest, what))
}

// nodeGraph is the circuit's nodes (ground is 0, the others numbered in the order the
// elements name them), joined where something conducts at DC.
type nodeGraph struct {
	c     *parser.Circuit
	id    map[string]int
	names []string
	dc    unionFind // joined by what conducts at DC
	loops []loop    // the loops of voltage sources and inductors, in netlist order

	// For the single-connection warning: each node's connections (element terminals
	// and the v() probes of expressions) and the element of the first.
	count []int
	first []int
}

// loop is a loop of voltage branches: the elements around it, the one that closes it
// last.
type loop struct {
	elements []int // indices into c.Elements
	node     string
}

func newNodeGraph(c *parser.Circuit) *nodeGraph {
	// Sized for about one node per three elements, as an RC mesh and the ISCAS85 netlists
	// have: a large circuit is numbered without the map growing step by step, and the
	// map's tables (in powers of two) are not twice what the mesh fills.
	size := len(c.Elements)/3 + 1
	g := &nodeGraph{c: c, id: make(map[string]int, size), names: make([]string, 1, size),
		count: make([]int, 1, size), first: make([]int, 1, size)}
	g.id["0"], g.names[0], g.first[0] = 0, "0", -1
	g.dc = slices.Grow(newUnionFind(1), size) // grown a node at a time, in place
	branches := newUnionFind(1)               // joined by voltage branches, for the loops
	var tree [][]edge                         // the branches that joined two groups, by node
	for i, el := range c.Elements {
		for _, n := range el.Nodes {
			g.connect(g.node(n), i)
		}
		if el.Expr() != nil {
			for _, n := range probedNodes(el.Expr()) {
				g.connect(g.node(n), i)
			}
		}
		joined, branch := conduction(el)
		for k := 1; k < len(joined); k++ {
			g.dc.union(g.id[joined[0]], g.id[joined[k]])
		}
		if !branch {
			continue
		}
		a, b := g.id[el.Nodes[0]], g.id[el.Nodes[1]]
		for len(tree) < len(g.names) {
			tree = append(tree, nil)
		}
		branches.grow(len(g.names))
		if branches.find(a) == branches.find(b) {
			g.loops = append(g.loops, loop{elements: append(treePath(tree, a, b), i), node: el.Nodes[0]})
			continue
		}
		branches.union(a, b)
		tree[a] = append(tree[a], edge{b, i})
		tree[b] = append(tree[b], edge{a, i})
	}
	return g
}

// node is the number of the named node, numbering it if it is new.
func (g *nodeGraph) node(name string) int {
	if k, ok := g.id[name]; ok {
		return k
	}
	k := len(g.names)
	g.id[name] = k
	g.names = append(g.names, name)
	g.count = append(g.count, 0)
	g.first = append(g.first, -1)
	g.dc.grow(k + 1)
	return k
}

// connect counts a connection of element i to node k.
func (g *nodeGraph) connect(k, i int) {
	if g.count[k] == 0 {
		g.first[k] = i
	}
	g.count[k]++
}

// conduction says which of an element's nodes it joins at DC (all of joined together) and
// whether its first two nodes are the ends of a voltage branch (V, E, H, B with v=, L).
func conduction(el *parser.Element) (joined []string, branch bool) {
	n := el.Nodes
	switch el.Kind {
	case 'v', 'l', 'h':
		if el.Source() != nil && el.Source().Port != nil { // a port of .sp drives through z0
			return n[:2], false
		}
		return n[:2], true
	case 'e':
		return n[:2], true // a linear E's nodes 2 and 3 are its controlling input
	case 'b':
		if el.ExprKind() == "v" {
			return n[:2], true
		}
		return currentOutput(el)
	case 'r', 'd', 'y':
		if el.Type() == "txl" { // a TXL line joins its ports at DC
			return n, false
		}
		if el.Kind == 'd' && len(n) == 3 { // a diode's thermal node: the device holds it
			return n, false
		}
		return n[:2], false
	case 'c', 'i', 'f', 'k':
		return nil, false
	case 's':
		return n[:2], false // nodes 2 and 3 are its controlling input
	case 'q':
		return n, false
	case 'm':
		switch len(n) {
		case 4:
			return []string{n[0], n[2], n[3]}, false // the gate conducts nothing
		case 3, 5: // a VDMOS: drain and source, and the thermal nodes' network
			return append([]string{n[0]}, n[2:]...), false
		}
		return n, false
	case 'g':
		return currentOutput(el)
	}
	return n, false // a kind not known here: assume it conducts
}

// currentOutput is the conduction of a G or a B source with i=: its current joins its
// nodes when it depends on the voltage of one of its output nodes.
func currentOutput(el *parser.Element) ([]string, bool) {
	n := el.Nodes
	if len(n) < 2 {
		return nil, false
	}
	controls := n[2:] // a linear G's controlling nodes
	if el.Expr() != nil {
		controls = probedNodes(el.Expr())
	}
	for _, c := range controls {
		if c == n[0] || c == n[1] {
			return append(n[:len(n):len(n)], controls...), false
		}
	}
	return nil, false
}

// probedNodes lists the nodes whose voltages an expression reads (v(a), v(a,b)).
func probedNodes(x expr.Node) []string {
	var nodes []string
	expr.Walk(x, func(n expr.Node) bool {
		if p, ok := n.(*expr.Probe); ok && p.Kind == 'v' {
			nodes = append(nodes, p.Names...)
		}
		return true
	})
	return nodes
}

// edge is a voltage branch of the spanning forest of the loop search: the node at its
// other end and the element.
type edge struct{ to, element int }

// treePath lists the elements on the path from a to b in the forest.
func treePath(tree [][]edge, a, b int) []int {
	prev := map[int]edge{a: {-1, -1}}
	queue := []int{a}
	for len(queue) > 0 && b != a {
		k := queue[0]
		queue = queue[1:]
		if k == b {
			break
		}
		for _, e := range tree[k] {
			if _, seen := prev[e.to]; !seen {
				prev[e.to] = edge{k, e.element}
				queue = append(queue, e.to)
			}
		}
	}
	var path []int
	for k := b; k != a; {
		p, ok := prev[k]
		if !ok {
			return nil // cannot happen: a and b are in one tree
		}
		path = append(path, p.element)
		k = p.to
	}
	slices.Sort(path)
	return path
}

// floating reports the groups of nodes that nothing conducting at DC joins to ground,
// the nodes of ics held (a transient's operating point holds them).
func (g *nodeGraph) floating(ics []parser.IC) parser.ErrorList {
	dc := g.dc
	if len(ics) > 0 {
		dc = slices.Clone(dc)
		for _, ic := range ics {
			if k, ok := g.id[ic.Node]; ok {
				dc.union(k, 0)
			}
		}
	}
	ground := dc.find(0)
	groups := map[int][]int{} // by root, nodes in netlist order
	var roots []int
	for k := 1; k < len(g.names); k++ {
		r := dc.find(k)
		if r == ground {
			continue
		}
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], k)
	}
	if len(roots) == 0 {
		return nil
	}
	var errs parser.ErrorList
	for _, r := range roots[:min(len(roots), maxTopologyReports)] {
		errs = append(errs, g.floatingError(groups[r]))
	}
	rest := 0
	for _, r := range roots[len(errs):] {
		rest += len(groups[r])
	}
	if rest > 0 {
		errs = append(errs, parser.Errorf(errs[len(errs)-1].Pos, "and %d more %s without a DC path to ground", rest, plural(rest, "node", "nodes")))
	}
	return errs
}

// floatingError describes a group of nodes without a DC path to ground.
func (g *nodeGraph) floatingError(nodes []int) *parser.Error {
	in := map[string]bool{}
	for _, k := range nodes {
		in[g.names[k]] = true
	}
	var pos parser.Pos
	var conns []string
	for _, el := range g.c.Elements {
		at := -1
		for j, n := range el.Nodes {
			if in[n] {
				at = j
				break
			}
		}
		if at < 0 && el.Expr() != nil && slices.ContainsFunc(probedNodes(el.Expr()), func(n string) bool { return in[n] }) {
			at = len(el.Nodes) // it only reads a voltage
		}
		if at < 0 {
			continue
		}
		if len(conns) == 0 {
			pos = el.Pos
			if at < len(el.NodePos) {
				pos = el.NodePos[at]
			}
		}
		conns = append(conns, fmt.Sprintf("%s (%s, %s:%d)", el.Name, terminalNoun(el, at), el.Pos.File, el.Pos.Line))
	}
	names := make([]string, len(nodes))
	for i, k := range nodes {
		names[i] = g.names[k]
	}
	const hint = "add a resistor to ground, or .options rshunt"
	if len(nodes) == 1 {
		if len(conns) == 1 {
			return parser.Errorf(pos, "node %s has no DC path to ground: its one connection, %s, conducts nothing at DC (%s)", names[0], conns[0], hint)
		}
		return parser.Errorf(pos, "node %s has no DC path to ground: its connections, %s, conduct nothing at DC (%s)", names[0], listUpTo(conns, 6), hint)
	}
	return parser.Errorf(pos, "nodes %s have no DC path to ground: their connections, %s, join them to nothing that has one (%s)",
		listUpTo(names, 5), listUpTo(conns, 6), hint)
}

// terminalNoun says what an element is at its node number j: "capacitor", "VCVS
// controlling input"; j past its nodes means it reads the node's voltage.
func terminalNoun(el *parser.Element, j int) string {
	noun := kindNouns[el.Kind]
	if el.Type() == "txl" {
		noun = "TXL line"
	}
	if noun == "" {
		noun = "element"
	}
	switch {
	case j >= len(el.Nodes):
		return noun + " reading its voltage"
	case j >= 2 && (el.Kind == 'e' || el.Kind == 'g' || el.Kind == 's'):
		return noun + " controlling input"
	case j == 1 && el.Kind == 'm':
		return "MOSFET gate"
	}
	return noun
}

// kindNouns names the element kinds in messages.
var kindNouns = map[byte]string{
	'r': "resistor", 'c': "capacitor", 'l': "inductor", 'v': "voltage source", 'i': "current source",
	'd': "diode", 'q': "BJT", 'm': "MOSFET", 'j': "JFET", 's': "switch", 'y': "memristor", 'e': "VCVS", 'f': "CCCS",
	'g': "VCCS", 'h': "CCVS", 'b': "behavioural source", 'k': "coupling",
	't': "transmission line", 'u': "URC line", 'z': "MESFET", 'w': "current-controlled switch",
	'o': "lossy transmission line", 'p': "coupled transmission line",
}

// loopError describes a loop of voltage sources and inductors.
func (g *nodeGraph) loopError(l loop) *parser.Error {
	var names []string
	for _, i := range l.elements {
		el := g.c.Elements[i]
		names = append(names, fmt.Sprintf("%s (%s, %s:%d)", el.Name, kindNouns[el.Kind], el.Pos.File, el.Pos.Line))
	}
	what := "a loop of voltage sources and inductors: " + listUpTo(names, 8)
	if len(l.elements) == 1 {
		what += ", both ends on node " + l.node
	}
	last := g.c.Elements[l.elements[len(l.elements)-1]]
	return parser.Errorf(last.Pos, "%s; at DC, where an inductor is a short circuit, the current around it has no single value (put a resistor in the loop)", what)
}

// singleConnections warns about the nodes with one connection. A node of a subcircuit
// that has one in every instance is one warning.
func (g *nodeGraph) singleConnections() []*parser.Error {
	type place struct {
		pos  parser.Pos
		node int // the terminal's number on its element
	}
	seen := map[place]int{} // the warning of each place, by index
	var warns []*parser.Error
	var counts []int // the instances of each warning beyond the first
	for k := 1; k < len(g.names); k++ {
		if g.count[k] != 1 {
			continue
		}
		el := g.c.Elements[g.first[k]]
		j := slices.Index(el.Nodes, g.names[k])
		if parser.Internal(el.Name) {
			continue // a .probe ammeter between the node and what it measures
		}
		if el.Kind == 'm' && len(el.Nodes) == 5 && j >= 3 {
			continue // a VDMOS's thermal nodes: their network is inside the device
		}
		if el.Kind == 'd' && j == 2 {
			continue // a diode's thermal node: the device holds it to ground through rth0
		}
		if el.Kind == 'q' && j == 4 {
			continue // a VBIC's thermal node: the device holds it to ground through rth
		}
		p := place{el.Pos, j}
		if w, ok := seen[p]; ok {
			counts[w]++
			continue
		}
		seen[p] = len(warns)
		pos := el.Pos
		if j >= 0 && j < len(el.NodePos) {
			pos = el.NodePos[j]
		}
		warns = append(warns, parser.Errorf(pos, "node %s has only one connection (%s): a misspelt node name?", g.names[k], el.Name))
		counts = append(counts, 0)
	}
	for i, n := range counts {
		if n > 0 {
			warns[i].Msg += fmt.Sprintf(" (the same in %d more %s)", n, plural(n, "instance", "instances"))
		}
	}
	return capReports(warns, "more nodes with only one connection")
}

// listUpTo joins up to max items as "a, b and c", saying how many more there are.
func listUpTo(items []string, max int) string {
	if len(items) > max {
		return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
	}
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// unionFind is a disjoint-set forest over 0..n-1: parent indices, a root its own parent.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, 0, n)
	u.grow(n)
	return u
}

// grow adds singleton sets up to n elements.
func (u *unionFind) grow(n int) {
	for k := len(*u); k < n; k++ {
		*u = append(*u, k)
	}
}

func (u unionFind) find(k int) int {
	for u[k] != k {
		u[k] = u[u[k]] // path halving
		k = u[k]
	}
	return k
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[max(ra, rb)] = min(ra, rb) // the smaller root stays: ground (0) is always a root
	}
}

// checkNotEmpty refuses a circuit without elements, unless it has .control blocks (a
// script of vectors and variables, as ngspice runs one). When its first line, always
// the title, looks like an element or a dot command, the message says so: a netlist
// whose title line was forgotten loses its first element to the title.
func checkNotEmpty(c *parser.Circuit) error {
	if len(c.Elements) > 0 || (c.Deck != nil && len(c.Deck.Control()) > 0) {
		return nil
	}
	name := ""
	if c.Deck != nil {
		name = c.Deck.Name()
	}
	if strings.TrimSpace(c.Title) == "" {
		if name == "" {
			return errors.New("the netlist is empty: nothing to simulate")
		}
		return parser.Errorf(parser.Pos{File: name, Line: 1}, "the netlist is empty: nothing to simulate")
	}
	msg := fmt.Sprintf("nothing to simulate: the netlist has no elements (its first line, %q, is its title)", c.Title)
	if what := parser.LooksLikeLine(c.Title); what != "" {
		msg = fmt.Sprintf("nothing to simulate: the netlist has no elements; its first line, %q, is its title, not %s (the first line is always the title: add one above it)", c.Title, what)
	}
	if name == "" {
		return errors.New(msg)
	}
	return parser.Errorf(parser.Pos{File: name, Line: 1, Col: 1}, "%s", msg)
}
