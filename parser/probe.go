package parser

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// .probe as ngspice 39 reads it. Each item adds vectors to those every .op, .dc, .ac and
// .tran writes, whether a .save chose them or they are the default set (measured:
// .probe i(r1) with .save v(b) writes i(r1) and v(b)):
//
//	v(node), v(a,b)        the voltage, as written
//	i(v1)                  the current of a source or inductor
//	i(r1)                  a device's current, from its first node through it to its second
//	                       (of a switch or a controlled source, its output's): i(r1)
//	i(m1:d), i(m1,d),      the current into a device's terminal, named or numbered from 1
//	i(m1:1), i(x1,2)       (m1: d g s b_tj, q1: c b e s, j1: d g s, x1: its subcircuit's
//	                       nodes): i(m1:d)
//	vd(r1)                 the voltage across a two-terminal device: v(vd_r1)
//	vd(m1:d:s), vd(m1:1:0) between two terminals of a device (0: ground): v(vd_m1:d:s)
//	vd(m1:d, m2:s)         between terminals of two devices: v(vd_m1:d_m2:s)
//	vd(a, b)               between two nodes: v(vd_a:b)
//	p(m1), p(x1)           the power a device or subcircuit takes, the sum over its
//	                       terminals of voltage times the current into it: m1:power
//	alli                   every device's currents: i(r1) of the two-terminal ones, i(m1:d)
//	                       ... of every terminal of the others and of the subcircuits
//	                       (i(x1) of one with two ports, as a two-terminal device's)
//
// ngspice measures the currents with zero-volt sources it inserts at the terminals, and
// so does gospice: the source "probe_int:m1:d" (probeAmmeter) between the terminal's node
// and a node "probe_int_<node>_<device>_<terminal>" that takes its place on the device.
// Neither is among the default vectors (Internal). An item ngspice does not read (a
// device or terminal that does not exist, two equal terminals) is warned about and left
// out, as ngspice does.

// probeAmmeter is the prefix of the zero-volt sources and the nodes .probe inserts.
const probeAmmeter = "probe_int"

// Internal reports whether a node or source is one .probe inserted, which no default set
// of vectors includes.
func Internal(name string) bool { return strings.HasPrefix(name, probeAmmeter) }

// probeItem is one item of a .probe line, resolved once every element is known.
type probeItem struct {
	text string // lowercase, without spaces: vd(m1:d:s)
	pos  Pos
}

// probeInstance is a subcircuit instance of the top level, for i(x1:port) and p(x1).
type probeInstance struct {
	name       string
	ports      []string // the definition's node names
	nodes      []string // the nodes it connects, flat
	first, end int      // its elements: e.c.Elements[first:end]
	// the element terminals, by port, that connect a port on ground or a global node
	// through the port (not by the node's own name inside)
	groundTerms map[int][]elementTerminal
}

// elementTerminal is the k-th node of the i-th element of the flat circuit.
type elementTerminal struct{ i, k int }

// groundMark starts a marked port's node name, which no netlist token holds.
const groundMark = "\x01"

// groundPortMark marks the k-th port of a top-level instance when it connects ground or
// a global node: inside, the instance's elements then connect it as groundMark k
// groundMark node, which unmarkGroundPorts replaces by the node once the instance is
// elaborated, noting where. ngspice 39 probes the current through such a port alone,
// not through the elements that name the node itself inside (measured: i(x1:g) of a
// port on ground with an element to 0 inside leaves that element's current out).
func groundPortMark(k int, node string, globals map[string]bool) string {
	if node != "0" && !globals[node] {
		return node
	}
	return groundMark + strconv.Itoa(k) + groundMark + node
}

// unmarkGroundPort is the node a marked port name stands for (any other name as it is).
func unmarkGroundPort(n string) string {
	if !strings.HasPrefix(n, groundMark) {
		return n
	}
	return n[strings.LastIndex(n, groundMark)+len(groundMark):]
}

// unmarkGroundPorts gives the instance's elements their nodes back where they connect a
// marked port, noting each such terminal.
func (x *probeInstance) unmarkGroundPorts(elements []*Element) {
	for i := x.first; i < x.end; i++ {
		for k, n := range elements[i].Nodes {
			if !strings.HasPrefix(n, groundMark) {
				continue
			}
			port, _ := strconv.Atoi(n[len(groundMark):strings.LastIndex(n, groundMark)])
			if x.groundTerms == nil {
				x.groundTerms = map[int][]elementTerminal{}
			}
			x.groundTerms[port] = append(x.groundTerms[port], elementTerminal{i, k})
			elements[i].Nodes[k] = unmarkGroundPort(n)
		}
	}
}

// probe reads the items of a .probe line from its tokens: ngspice separates them by
// spaces outside parentheses, and reads spaces inside them as nothing (vd(m1: 2:1)).
func (e *elab) probe(d *DotLine) {
	if e.sc.inst != "" || e.sc.def.name != "" {
		e.warnf(toPos(d.Pos), ".probe inside .subckt %s ignored", e.sc.def.name)
		return
	}
	var toks []lexer.Token
	for _, it := range d.Items {
		toks = append(toks, it.Tokens...)
	}
	var cur strings.Builder
	var at Pos
	depth := 0
	flush := func() {
		if cur.Len() > 0 {
			e.probes = append(e.probes, probeItem{text: strings.ToLower(cur.String()), pos: at})
			cur.Reset()
		}
	}
	for i, t := range toks {
		spaced := i > 0 && t.Pos.Offset > toks[i-1].Pos.Offset+len(toks[i-1].Value)
		if depth == 0 && (spaced || t.Type == TokenComma) {
			flush()
		}
		if t.Type == TokenComma && depth == 0 {
			continue
		}
		if cur.Len() == 0 {
			at = toPos(t.Pos)
		}
		cur.WriteString(t.Value)
		depth = max(depth+strings.Count(t.Value, "(")-strings.Count(t.Value, ")"), 0)
		if depth == 0 && strings.Contains(t.Value, ")") {
			flush() // v(a)) is v(a) and a ")", as ngspice reads it
		}
	}
	flush()
}

// probeTerminal is a terminal of a device as a .probe item names it.
type probeTerminal struct {
	dev  string // the element or instance
	port string // ngspice's name of the terminal: d, g, s, b, c, e, or a subcircuit's node
	k    int    // its index among the device's nodes
	node string // the node it connects
}

// applyProbes resolves the .probe items once every element is known, inserting the ammeters
// they need and adding their vectors to Circuit.Probes.
func (e *elab) applyProbes() {
	if len(e.probes) == 0 {
		return
	}
	p := &prober{e: e, elements: map[string]*Element{}, ammeters: map[string]bool{}, named: map[string]bool{}}
	for _, el := range e.c.Elements {
		p.elements[el.Name] = el
	}
	for _, it := range e.probes {
		p.item(it)
	}
}

// prober inserts the ammeters of the .probe items.
type prober struct {
	e        *elab
	elements map[string]*Element
	ammeters map[string]bool // inserted, by name
	named    map[string]bool // the vectors added
}

func (p *prober) item(it probeItem) {
	warn := func(why string) { p.e.warnf(it.pos, ".probe %s ignored: %s", it.text, why) }
	if it.text == "alli" {
		p.all(it.pos)
		return
	}
	open := strings.IndexByte(it.text, '(')
	if open < 0 || !strings.HasSuffix(it.text, ")") {
		warn("expected v(), i(), vd(), p() or alli")
		return
	}
	fn, args := it.text[:open], splitProbeArgs(it.text[open+1:len(it.text)-1])
	if len(args) == 0 || slices.Contains(args, "") {
		warn("an empty name")
		return
	}
	var err error
	switch fn {
	case "v":
		err = p.voltage(it, args)
	case "i":
		err = p.current(it, args)
	case "vd":
		err = p.difference(it, args)
	case "p":
		err = p.power(it, args)
	default:
		err = fmt.Errorf("expected v(), i(), vd(), p() or alli")
	}
	if err != nil {
		warn(err.Error())
	}
}

// splitProbeArgs splits the arguments of an item at its commas.
func splitProbeArgs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// voltage reads v(node) and v(a,b).
func (p *prober) voltage(it probeItem, args []string) error {
	if len(args) > 2 || strings.ContainsAny(strings.Join(args, ""), ":()") {
		return fmt.Errorf("only v(node) and v(a,b) are read")
	}
	nodes := make([]string, len(args))
	for i, a := range args {
		nodes[i] = node(a)
	}
	p.add(Vector{Name: "v(" + strings.Join(args, ",") + ")", Kind: VectorVoltage, Nodes: nodes, Pos: it.pos})
	return nil
}

// current reads i(dev), i(dev:port) and i(dev,port).
func (p *prober) current(it probeItem, args []string) error {
	if len(args) == 1 && !strings.Contains(args[0], ":") {
		el := p.elements[args[0]]
		if el == nil {
			if p.instance(args[0]) != nil {
				return fmt.Errorf("a subcircuit has no single current: name its terminal, i(%s:1)", args[0])
			}
			return fmt.Errorf("no device %q", args[0])
		}
		if ownBranch(el) {
			p.add(Vector{Name: "i(" + el.Name + ")", Kind: VectorCurrent, Device: el.Name, Pos: it.pos})
			return nil
		}
		if !twoTerminal(el) {
			return fmt.Errorf("%s has more than two terminals: name one, i(%s:1)", el.Name, el.Name)
		}
		p.deviceCurrent(el, it.pos, true)
		return nil
	}
	spec := strings.Join(args, ":")
	parts := strings.Split(spec, ":")
	if len(parts) != 2 {
		return fmt.Errorf("expected i(device:terminal)")
	}
	t, err := p.terminal(parts[0], parts[1])
	if err != nil {
		return err
	}
	p.portCurrent(t, it.pos, true)
	return nil
}

// difference reads vd(dev), vd(dev:p1:p2), vd(dev1:p1, dev2:p2) and vd(a, b).
func (p *prober) difference(it probeItem, args []string) error {
	var a, b, name string
	switch {
	case len(args) == 1 && !strings.Contains(args[0], ":"):
		el := p.elements[args[0]]
		if el == nil || !twoTerminal(el) && !ownBranch(el) {
			return fmt.Errorf("no two-terminal device %q", args[0])
		}
		a, b, name = el.Nodes[0], el.Nodes[1], el.Name
	case len(args) == 1:
		parts := strings.Split(args[0], ":")
		if len(parts) != 3 {
			return fmt.Errorf("expected vd(device:terminal:terminal)")
		}
		if parts[1] == parts[2] {
			return fmt.Errorf("the same terminal twice")
		}
		if parts[1] == "0" && parts[2] == "0" {
			return fmt.Errorf("both terminals are ground")
		}
		var names [2]string
		nodes := [2]*string{&a, &b}
		for i, q := range parts[1:] {
			if q == "0" {
				*nodes[i], names[i] = "0", "0"
				continue
			}
			t, err := p.terminal(parts[0], q)
			if err != nil {
				return err
			}
			*nodes[i], names[i] = t.node, t.port
		}
		name = parts[0] + ":" + names[0] + ":" + names[1]
	case len(args) == 2:
		var names [2]string
		nodes := [2]*string{&a, &b}
		for i, q := range args {
			dev, port, ok := strings.Cut(q, ":")
			if !ok {
				*nodes[i], names[i] = node(q), q
				continue
			}
			t, err := p.terminal(dev, port)
			if err != nil {
				return err
			}
			*nodes[i], names[i] = t.node, dev+":"+t.port
		}
		sep := "_"
		if !strings.Contains(args[0], ":") && !strings.Contains(args[1], ":") {
			sep = ":" // ngspice's name of the difference of two nodes: vd_a:b
		}
		name = names[0] + sep + names[1]
	default:
		return fmt.Errorf("expected vd(device), vd(device:terminal:terminal) or vd(a, b)")
	}
	p.add(Vector{Name: "v(vd_" + name + ")", Kind: VectorVoltage, Nodes: []string{a, b}, Pos: it.pos})
	return nil
}

// power reads p(dev): the sum over its terminals of the voltage times the current into
// it (a two-terminal device's, and a switch's or controlled source's output: the voltage
// across it times its current).
func (p *prober) power(it probeItem, args []string) error {
	if len(args) != 1 || strings.Contains(args[0], ":") {
		return fmt.Errorf("expected p(device)")
	}
	v := Vector{Name: args[0] + ":power", Kind: VectorPower, Pos: it.pos}
	if x := p.instance(args[0]); x != nil {
		for k := range x.ports {
			if x.nodes[k] == "0" {
				continue // no power flows in at 0 V (and its current is not the port's alone)
			}
			t := probeTerminal{dev: x.name, port: x.ports[k], k: k, node: x.nodes[k]}
			v.Nodes = append(v.Nodes, t.node)
			v.Ammeters = append(v.Ammeters, p.portCurrent(t, it.pos, false))
		}
		p.add(v)
		return nil
	}
	el := p.elements[args[0]]
	switch {
	case el == nil:
		return fmt.Errorf("no device %q", args[0])
	case twoTerminal(el):
		// The voltage across it times the current through it (Vector.Ammeters).
		am := p.deviceCurrent(el, it.pos, false)
		v.Nodes, v.Ammeters = []string{el.Nodes[0], el.Nodes[1]}, []string{am}
	case ownBranch(el):
		return fmt.Errorf("the power of a source or inductor is not read")
	default:
		ports := terminalNames(el, p.e.c.Models[el.Model])
		if m := p.e.c.Models[el.Model]; el.Kind == 'm' && m != nil && m.Type == "vdmos" {
			ports = ports[:3] // ngspice's power of a VDMOS leaves out its thermal nodes
		}
		for k, port := range ports {
			t := probeTerminal{dev: el.Name, port: port, k: k, node: el.Nodes[k]}
			v.Nodes = append(v.Nodes, t.node)
			v.Ammeters = append(v.Ammeters, p.portCurrent(t, it.pos, false))
		}
	}
	p.add(v)
	return nil
}

// all is alli: every device's currents, in netlist order, then every subcircuit's.
func (p *prober) all(pos Pos) {
	for _, el := range slices.Clone(p.e.c.Elements) {
		switch {
		case strings.Contains(el.Name, ".") || Internal(el.Name):
			// a subcircuit's element, or an ammeter
		case ownBranch(el):
			p.add(Vector{Name: "i(" + el.Name + ")", Kind: VectorCurrent, Device: el.Name, Pos: pos})
		case twoTerminal(el):
			p.deviceCurrent(el, pos, true)
		default:
			for k, port := range terminalNames(el, p.e.c.Models[el.Model]) {
				p.portCurrent(probeTerminal{dev: el.Name, port: port, k: k, node: el.Nodes[k]}, pos, true)
			}
		}
	}
	for _, x := range p.e.probeInsts {
		if len(x.ports) == 2 {
			p.twoPortCurrent(&x, pos)
			continue
		}
		for k := range x.ports {
			p.portCurrent(probeTerminal{dev: x.name, port: x.ports[k], k: k, node: x.nodes[k]}, pos, true)
		}
	}
}

// ownBranch reports whether an element's current is an unknown already: a voltage
// source, an inductor, a voltage-controlled or current-controlled voltage source.
func ownBranch(el *Element) bool { return strings.IndexByte("vleh", el.Kind) >= 0 }

// twoTerminal reports whether an element's current is one current, that of its first
// two nodes (the others, if any, control it).
func twoTerminal(el *Element) bool {
	return strings.IndexByte("rcidgfswbd", el.Kind) >= 0 && len(el.Nodes) >= 2
}

// terminalNames are ngspice 39's names of a device's terminals, as many as it connects:
// a MOSFET's d g s b_tj (ngspice's name of a bulk and of a VDMOS's junction temperature
// node, measured) and a VDMOS's tc, a BJT's c b e s, a JFET's or MESFET's d g s.
func terminalNames(el *Element, m *Model) []string {
	var names []string
	switch el.Kind {
	case 'm':
		names = []string{"d", "g", "s", "b_tj", "tc"}
	case 'q':
		names = []string{"c", "b", "e", "s"}
	case 'j', 'z':
		names = []string{"d", "g", "s"}
	}
	return names[:min(len(names), len(el.Nodes))]
}

// terminal finds a device's terminal by its name or number (from 1).
func (p *prober) terminal(dev, port string) (probeTerminal, error) {
	var names, nodes []string
	if x := p.instance(dev); x != nil {
		names, nodes = x.ports, x.nodes
	} else if el := p.elements[dev]; el != nil && !twoTerminal(el) && !ownBranch(el) {
		names, nodes = terminalNames(el, p.e.c.Models[el.Model]), el.Nodes
	} else if el != nil {
		return probeTerminal{}, fmt.Errorf("%s has no terminals to name: i(%s)", dev, dev)
	} else {
		return probeTerminal{}, fmt.Errorf("no device %q", dev)
	}
	k := slices.Index(names, port)
	if n, err := strconv.Atoi(port); err == nil && k < 0 {
		k = n - 1
	}
	if k < 0 || k >= len(names) {
		return probeTerminal{}, fmt.Errorf("%s has no terminal %s (it has %s)", dev, port, strings.Join(names, ", "))
	}
	return probeTerminal{dev: dev, port: names[k], k: k, node: nodes[k]}, nil
}

// instance is the top-level subcircuit instance of that name, or nil.
func (p *prober) instance(name string) *probeInstance {
	for i := range p.e.probeInsts {
		if p.e.probeInsts[i].name == name {
			return &p.e.probeInsts[i]
		}
	}
	return nil
}

// deviceCurrent measures a two-terminal device's current, from its first node through it
// to its second, with an ammeter at its second terminal, and returns the ammeter's name;
// with visible, i(dev) becomes a vector.
func (p *prober) deviceCurrent(el *Element, pos Pos, visible bool) string {
	name := probeAmmeter + ":" + el.Name
	if !p.ammeters[name] {
		inner := fmt.Sprintf("%s_%s_%s_2", probeAmmeter, el.Nodes[1], el.Name)
		p.insert(name, inner, el.Nodes[1], pos)
		el.Nodes[1] = inner
	}
	if visible {
		p.visible("i("+el.Name+")", name, pos)
	}
	return name
}

// portCurrent measures the current into a terminal with an ammeter there and returns
// the ammeter's name; with visible, i(dev:port) becomes a vector.
func (p *prober) portCurrent(t probeTerminal, pos Pos, visible bool) string {
	name := probeAmmeter + ":" + t.dev + ":" + t.port
	if !p.ammeters[name] {
		inner := fmt.Sprintf("%s_%s_%s_%d", probeAmmeter, t.node, t.dev, t.k+1)
		if x := p.instance(t.dev); x != nil {
			if !p.rewirePort(x, t.k, inner) {
				p.e.warnf(pos, ".probe of %s:%s ignored: another of its terminals connects %s too", t.dev, t.port, t.node)
				return name
			}
		} else {
			p.elements[t.dev].Nodes[t.k] = inner
		}
		p.insert(name, t.node, inner, pos)
	}
	if visible {
		p.visible("i("+t.dev+":"+t.port+")", name, pos)
	}
	return name
}

// twoPortCurrent measures the current of a subcircuit of two ports as alli does in
// ngspice 39, as that of a two-terminal device: i(x1), out of its second port (measured).
func (p *prober) twoPortCurrent(x *probeInstance, pos Pos) {
	name := probeAmmeter + ":" + x.name
	if p.ammeters[name] {
		return
	}
	n := x.nodes[1]
	inner := fmt.Sprintf("%s_%s_%s_2", probeAmmeter, n, x.name)
	if !p.rewirePort(x, 1, inner) {
		p.e.warnf(pos, ".probe of %s ignored: its second port connects its first port", x.name)
		return
	}
	p.insert(name, inner, n, pos)
	p.visible("i("+x.name+")", name, pos)
}

// rewirePort connects the instance's elements to inner where they connect its k-th
// port: on ground or a global node, the terminals that connect it through the port (not
// those that name the node inside); else every terminal on its node, which it cannot
// when another port connects the same node.
func (p *prober) rewirePort(x *probeInstance, k int, inner string) bool {
	if n := x.nodes[k]; n != "0" && !p.e.globals[n] {
		return x.rewire(p.e.c.Elements, k, inner)
	}
	for _, et := range x.groundTerms[k] {
		p.e.c.Elements[et.i].Nodes[et.k] = inner
	}
	return true
}

// rewire connects the instance's elements to inner where they connect its k-th port; it
// cannot when another port connects the same node.
func (x *probeInstance) rewire(elements []*Element, k int, inner string) bool {
	for j, n := range x.nodes {
		if j != k && n == x.nodes[k] {
			return false
		}
	}
	for _, el := range elements[x.first:x.end] {
		for i, n := range el.Nodes {
			if n == x.nodes[k] {
				el.Nodes[i] = inner
			}
		}
	}
	return true
}

// insert adds the zero-volt source name from plus to minus.
func (p *prober) insert(name, plus, minus string, pos Pos) {
	p.ammeters[name] = true
	p.e.c.Elements = append(p.e.c.Elements, &Element{Name: name, Kind: 'v', Nodes: []string{plus, minus},
		NodePos: []Pos{pos, pos}, Pos: pos, extra: &elementExtra{source: &Source{HasDC: true}}})
}

// visible adds the current of an ammeter as the vector name.
func (p *prober) visible(name, ammeter string, pos Pos) {
	p.add(Vector{Name: name, Kind: VectorCurrent, Device: ammeter, Pos: pos})
}

// add adds a vector to Circuit.Probes, once.
func (p *prober) add(v Vector) {
	if !p.named[v.Name] {
		p.named[v.Name] = true
		p.e.c.Probes = append(p.e.c.Probes, v)
	}
}
