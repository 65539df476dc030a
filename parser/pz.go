package parser

import (
	"fmt"
	"strings"
)

// PZ is .pz in+ in- out+ out- vol|cur pol|zer|pz: the poles and zeros of the transfer
// function from the input port (in+, in-) to the output voltage v(out+, out-), the input
// driven by a voltage (vol) or by a current (cur), as ngspice's pole-zero analysis.
type PZ struct {
	In, Out      [2]string // flat node names
	Current      bool      // cur: (output voltage)/(input current); vol: (output voltage)/(input voltage)
	Poles, Zeros bool
	Pos          Pos
	NodePos      [4]Pos
}

func (*PZ) Name() string    { return "pz" }
func (a *PZ) Position() Pos { return a.Pos }

// PZUsage is the form of .pz and of the control language's pz command.
const PZUsage = "pz in+ in- out+ out- vol|cur pol|zer|pz"

// pzWords names the words of .pz, for messages.
var pzWords = []string{"in+", "in-", "out+", "out-", "vol or cur", "pol, zer or pz"}

// NewPZ reads the six words of .pz (or of the pz command), nodes as the top level names
// them. On an error it also returns the index of the word at fault (len(words) for a
// missing one).
func NewPZ(words []string, pos Pos) (*PZ, int, error) {
	if len(words) < len(pzWords) {
		return nil, len(words), fmt.Errorf("missing %s: %s", pzWords[len(words)], PZUsage)
	}
	if len(words) > len(pzWords) {
		return nil, len(pzWords), fmt.Errorf("too many arguments: %s", PZUsage)
	}
	a := &PZ{Pos: pos}
	for i := range 4 {
		if i < 2 {
			a.In[i] = node(words[i])
		} else {
			a.Out[i-2] = node(words[i])
		}
	}
	switch kind := strings.ToLower(words[4]); kind {
	case "vol", "cur":
		a.Current = kind == "cur"
	default:
		return nil, 4, fmt.Errorf("expected vol or cur, found %q", words[4])
	}
	switch which := strings.ToLower(words[5]); which {
	case "pol", "zer", "pz":
		a.Poles, a.Zeros = which != "zer", which != "pol"
	default:
		return nil, 5, fmt.Errorf("expected pol, zer or pz, found %q", words[5])
	}
	if a.In[0] == a.In[1] {
		return nil, 1, fmt.Errorf("the input nodes are the same node %q", a.In[0])
	}
	return a, 0, nil
}

// pz reads .pz in+ in- out+ out- vol|cur pol|zer|pz.
func (e *elab) pz(d *DotLine) {
	var words []string
	for i, it := range d.Items {
		w, ok := atom(it)
		if !ok {
			e.errorf(toPos(it.Pos), ".pz: expected %s, found %s", pzWords[min(i, len(pzWords)-1)], itemText(it))
			return
		}
		words = append(words, w)
	}
	a, bad, err := NewPZ(words, toPos(d.Pos))
	if err != nil {
		pos := toPos(d.EndPos)
		if bad < len(d.Items) {
			pos = toPos(d.Items[bad].Pos)
		}
		e.errorf(pos, ".pz: %v", err)
		return
	}
	for i := range 4 {
		a.NodePos[i] = toPos(d.Items[i].Pos)
	}
	for i := range 2 {
		a.In[i], a.Out[i] = e.node(a.In[i]), e.node(a.Out[i])
	}
	e.c.Analyses = append(e.c.Analyses, a)
}
