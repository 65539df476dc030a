package parser

// ngspice's coupled lossy lines: P1 n1 ... nN ref1 m1 ... mN ref2 model [length=], with
// .model name cpl r= l= g= c= (each the upper triangle of an N x N matrix, row by row,
// its numbers separated by blanks) length=.

// cplKind is the element kind of a P line; its node count is set per line (cplNodes).
var cplKind = elementKind{noun: "coupled transmission line", needsModel: true,
	read: readDevice(deviceSpec{noun: "coupled transmission line"})}

// cplNodes is how many nodes a P line has: the words before its model name, the last
// word before the first name=value (or the end).
func cplNodes(items []*Item) int {
	n := 0
	for _, it := range items {
		if it.Value != nil {
			break
		}
		n++
	}
	return max(n-1, 0)
}

// cplMatrices are the parameters of a cpl card that take a list of numbers.
var cplMatrices = map[string]bool{"r": true, "l": true, "g": true, "c": true}

// cplLists reads the matrix parameters of a cpl card, each name=number and the bare
// numbers after it, as vector parameters; it returns the other items.
func (e *elab) cplLists(params *paramList, items []*Item) []*Item {
	var rest []*Item
	items = flattenGroups(nil, items)
	for i := 0; i < len(items); i++ {
		it := items[i]
		k, ok := plainWord(it.Key)
		if !ok || it.Value == nil || !cplMatrices[k] {
			rest = append(rest, it)
			continue
		}
		j := i + 1
		for j < len(items) && items[j].Value == nil && items[j].Key.Number != "" {
			j++
		}
		e.addList(params, it, items[i+1:j])
		i = j - 1
	}
	return rest
}
