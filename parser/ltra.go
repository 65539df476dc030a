package parser

// ngspice's lossy line (O, .model name ltra) takes flags among its parameters, words
// without a value: nocontrol, steplimit, lininterp and the like.

// ltraFlags are the words an ltra card takes as flags.
var ltraFlags = map[string]bool{
	"nocontrol": true, "steplimit": true, "nosteplimit": true,
	"lininterp": true, "quadinterp": true, "mixedinterp": true,
	"truncnr": true, "truncdontcut": true,
}

// ltraFlag reads a flag of an ltra card as the parameter of that name with the value 1,
// as vdmosString reads pchan; another word without a value is ignored with a warning, as
// ngspice ignores it. It reports whether it took the item.
func (e *elab) ltraFlag(m *Model, params *paramList, it *Item) bool {
	k, ok := plainWord(it.Key)
	if m.Type != "ltra" || !ok || it.Value != nil {
		return false
	}
	if !ltraFlags[k] {
		e.warnf(toPos(it.Pos), "unknown parameter %q of ltra model %q ignored, as ngspice does", k, m.Name)
		return true
	}
	if params.seen[k] {
		return true // a flag given twice is the flag
	}
	if params.seen == nil {
		params.seen = map[string]bool{}
	}
	params.seen[k] = true
	params.params = append(params.params, Param{Name: k, Value: 1, Pos: toPos(it.Pos)})
	return true
}
