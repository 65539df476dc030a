package parser

import "strings"

// SPICE2's source forms, which ngspice 39 reads (measured; see TestSPICE2Sources):
// the waveform inside the parentheses, V1 a 0 0 (PULSE 0 1 1n ...) or (SIN 0 1 1meg),
// the AC part in parentheses, (AC 1), PWL's points in pairs, PWL (0 0) (1n 1) or
// PWL((0 0) (1n 1)), and DC with no number before a waveform, DC PWL(...), which is DC 0.

// spice2Source returns the items of a V or I line with (PULSE ...) read as PULSE(...) and
// (AC 1) or (DC 1) as their items; rest is not changed.
func spice2Source(rest []*Item) []*Item {
	var out []*Item
	for i, it := range rest {
		g := it.Key.Group
		var repl []*Item
		if it.Value == nil && g != nil && len(g.Items) > 0 && g.Items[0].Value == nil {
			first := g.Items[0]
			switch w, _ := plainWord(first.Key); {
			case waveforms[w].min > 0 || w == "sine":
				t := &Term{Pos: first.Key.Pos, Word: first.Key.Word, Tokens: it.Key.Tokens,
					Args: &Args{Pos: first.Key.Pos, Items: g.Items[1:]}}
				repl = []*Item{{Pos: it.Pos, Key: t, Tokens: it.Tokens}}
			case w == "ac" || w == "dc":
				repl = g.Items
			}
		}
		if repl == nil {
			if out != nil {
				out = append(out, it)
			}
			continue
		}
		if out == nil {
			out = append([]*Item(nil), rest[:i]...)
		}
		out = append(out, repl...)
	}
	if out == nil {
		return rest
	}
	return out
}

// isValuePair reports whether it is a group of bare values, (1n 0.5), as PWL's points
// are written in pairs.
func isValuePair(it *Item) bool {
	if it.Value != nil || it.Key.Group == nil || len(it.Key.Group.Items) == 0 {
		return false
	}
	for _, a := range it.Key.Group.Items {
		if !bareValue(a) {
			return false
		}
	}
	return true
}

// startsWaveform reports whether it is a source function, PWL(...) or SIN.
func startsWaveform(it *Item) bool {
	w := strings.ToLower(it.Key.Word)
	return it.Value == nil && (waveforms[w].min > 0 || w == "sine")
}
