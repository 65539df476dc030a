package parser

import "strings"

// Spikes is a .spikes line: the rising crossings of Level by each voltage of Vectors
// (node names may hold the wildcards * and ?), re-armed once the voltage has fallen
// below Level - Hyst.
type Spikes struct {
	Vectors []Vector
	Level   float64
	Hyst    float64
	Pos     Pos
}

const spikesUsage = ".spikes v(node) ... level=V [hyst=V]"

// spikes reads .spikes v(PATTERN) ... level=V [hyst=V].
func (e *elab) spikes(d *DotLine) {
	s := Spikes{Pos: toPos(d.Pos)}
	levelGiven, ok := false, true
	for _, it := range d.Items {
		if it.Value != nil {
			name, _ := plainWord(it.Key)
			name = strings.ToLower(name)
			v, good := e.number(it.Value)
			switch {
			case !good:
				ok = false
			case name == "level":
				s.Level, levelGiven = v, true
			case name == "hyst":
				if v < 0 {
					e.errorf(toPos(it.Value.Pos), ".spikes hyst must not be negative, got %g", v)
					ok = false
				}
				s.Hyst = v
			default:
				e.errorf(toPos(it.Pos), "unknown .spikes parameter %s (expected level= or hyst=): %s", itemText(it), spikesUsage)
				ok = false
			}
			continue
		}
		v, good := e.vector(it)
		if good && (v.Kind != VectorVoltage || len(v.Nodes) != 1) {
			e.errorf(toPos(it.Pos), ".spikes takes node voltages v(node), found %s", v.Name)
			good = false
		}
		ok = ok && good
		s.Vectors = append(s.Vectors, v)
	}
	switch {
	case len(s.Vectors) == 0 && ok:
		e.errorf(toPos(d.EndPos), "missing vectors: %s", spikesUsage)
	case !levelGiven && ok:
		e.errorf(toPos(d.EndPos), "missing level=: %s", spikesUsage)
	case ok:
		e.c.Spikes = append(e.c.Spikes, s)
	}
}
