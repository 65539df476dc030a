package sparse

import "math"

// Approximate minimum degree ordering (Amestoy, Davis and Duff, 1996).
//
// Elimination works on a quotient graph: an eliminated pivot becomes an element standing
// for the clique of its uneliminated neighbours, so the graph never grows. A variable's
// neighbours are then its adjacent variables plus the variables of its adjacent elements.
// Exact degrees are too costly, so each step updates an upper bound from element sizes.
// Elements contained in the new one are absorbed, and variables with identical adjacency
// merge into a supervariable that is weighted by its size and eliminated as one.

type amdKind uint8

const (
	amdVariable amdKind = iota // principal variable, not yet eliminated
	amdElement                 // eliminated pivot standing for the clique of its variables
	amdAbsorbed                // element whose variables all belong to a later element
	amdMerged                  // variable eliminated with, or represented by, another
	amdDense                   // left out of the graph and ordered last
)

type amdState struct {
	kind       []amdKind
	adj        [][]int32 // variables adjacent to variable i; stale entries are dropped lazily
	elems      [][]int32 // elements adjacent to variable i
	clique     [][]int32 // variables of element e
	cliquePool []int32
	weight     []int32 // how many variables a principal variable stands for
	degree     []int32 // variable: approximate external degree; element: weight of its clique

	// Members of a supervariable, a linked list headed by the principal variable.
	nextMember, lastMember []int32

	// Principal variables bucketed by degree in doubly linked lists.
	bucketHead             []int32
	bucketNext, bucketPrev []int32
	minDegree              int32

	mark      []int32 // mark[i] == stamp: i is in the element being formed, or is being compared
	stamp     int32
	outside   []int32 // element e: weight of its variables outside the new element
	outsideAt []int32 // step at which outside[e] was computed
	step      int32

	hashOf   []int32 // bucket of a variable's adjacency hash, for supervariable detection
	hashHead []int32
	hashNext []int32

	scratch   []int32 // the variables of the element being formed
	order     []int32
	remaining int32 // weight of the variables not yet ordered
}

// amdOrder returns an elimination order (order[k] is the k-th node eliminated) of the
// symmetric graph whose adjacency lists are list[start[i]:start[i+1]], without self loops
// or repeats. Nodes of very high degree (a supply net, say) are ordered last, as AMD does.
func amdOrder(n int, start, list []int32) []int32 {
	s := newAMD(n, start, list)
	for s.remaining > 0 {
		s.eliminate(s.takeMinDegree())
	}
	for i, k := range s.kind {
		if k == amdDense {
			s.order = append(s.order, int32(i))
		}
	}
	return s.order
}

func newAMD(n int, start, list []int32) *amdState {
	s := &amdState{
		kind:       make([]amdKind, n),
		adj:        make([][]int32, n),
		elems:      make([][]int32, n),
		clique:     make([][]int32, n),
		weight:     make([]int32, n),
		degree:     make([]int32, n),
		nextMember: make([]int32, n),
		lastMember: make([]int32, n),
		bucketHead: make([]int32, n+1),
		bucketNext: make([]int32, n),
		bucketPrev: make([]int32, n),
		minDegree:  int32(n),
		mark:       make([]int32, n),
		outside:    make([]int32, n),
		outsideAt:  make([]int32, n),
		hashOf:     make([]int32, n),
		hashHead:   make([]int32, n),
		hashNext:   make([]int32, n),
		scratch:    make([]int32, 0, n),
		cliquePool: make([]int32, 0, 4*n),
		order:      make([]int32, 0, n),
	}
	for i := range s.bucketHead {
		s.bucketHead[i] = -1
	}
	for i := range s.hashHead {
		s.hashHead[i] = -1
	}
	dense := max(16, int(10*math.Sqrt(float64(n))))
	for i := range n {
		if int(start[i+1]-start[i]) > dense {
			s.kind[i] = amdDense
		}
	}
	// Each list is capped (three-index slices) so that appending never spills into the next.
	pool := make([]int32, 0, len(list))
	elemPool := make([]int32, 4*n)
	for i := range n {
		if s.kind[i] == amdDense {
			continue
		}
		begin := len(pool)
		for _, j := range list[start[i]:start[i+1]] {
			if s.kind[j] != amdDense {
				pool = append(pool, j)
			}
		}
		s.adj[i] = pool[begin:len(pool):len(pool)]
		s.elems[i] = elemPool[4*i : 4*i : 4*i+4]
		s.weight[i] = 1
		s.nextMember[i] = -1
		s.lastMember[i] = int32(i)
		s.degree[i] = int32(len(s.adj[i]))
		s.insert(int32(i))
		s.remaining++
	}
	return s
}

func (s *amdState) insert(i int32) {
	d := s.degree[i]
	s.bucketPrev[i] = -1
	s.bucketNext[i] = s.bucketHead[d]
	if h := s.bucketHead[d]; h >= 0 {
		s.bucketPrev[h] = i
	}
	s.bucketHead[d] = i
	s.minDegree = min(s.minDegree, d)
}

func (s *amdState) remove(i int32) {
	prev, next := s.bucketPrev[i], s.bucketNext[i]
	if prev >= 0 {
		s.bucketNext[prev] = next
	} else {
		s.bucketHead[s.degree[i]] = next
	}
	if next >= 0 {
		s.bucketPrev[next] = prev
	}
}

func (s *amdState) takeMinDegree() int32 {
	for s.bucketHead[s.minDegree] < 0 {
		s.minDegree++
	}
	p := s.bucketHead[s.minDegree]
	s.remove(p)
	return p
}

// number appends a principal variable and the variables it stands for to the order.
func (s *amdState) number(v int32) {
	for m := v; m >= 0; m = s.nextMember[m] {
		s.order = append(s.order, m)
	}
	s.remaining -= s.weight[v]
}

// eliminate makes pivot p an element and updates the quotient graph around it.
func (s *amdState) eliminate(p int32) {
	s.number(p)
	newVars := s.formElement(p)
	s.measureOutside(newVars)
	newVars = s.updateDegrees(p, newVars)
	s.mergeIndistinguishable(newVars)

	// Put the surviving variables back into the buckets with their new degree bounds.
	kept := newVars[:0]
	weight := int32(0)
	for _, i := range newVars {
		if s.kind[i] == amdVariable {
			kept = append(kept, i)
			weight += s.weight[i]
		}
	}
	for _, i := range kept {
		s.degree[i] = min(s.degree[i]+weight-s.weight[i], s.remaining-s.weight[i])
		s.insert(i)
	}
	// Cliques never change once made, so they share an append-only pool: slices into an
	// outgrown pool array stay valid.
	begin := len(s.cliquePool)
	s.cliquePool = append(s.cliquePool, kept...)
	s.clique[p] = s.cliquePool[begin:len(s.cliquePool):len(s.cliquePool)]
	s.degree[p] = weight
}

// formElement collects the variables adjacent to p, directly or through its elements, which
// it absorbs. The variables are taken out of the degree buckets while their degrees change.
func (s *amdState) formElement(p int32) []int32 {
	s.stamp++
	s.mark[p] = s.stamp
	vars := s.scratch[:0]
	add := func(j int32) {
		if s.kind[j] == amdVariable && s.mark[j] != s.stamp {
			s.mark[j] = s.stamp
			s.remove(j)
			vars = append(vars, j)
		}
	}
	for _, e := range s.elems[p] {
		if s.kind[e] != amdElement {
			continue
		}
		for _, j := range s.clique[e] {
			add(j)
		}
		s.kind[e] = amdAbsorbed
		s.clique[e] = nil
	}
	for _, j := range s.adj[p] {
		add(j)
	}
	s.kind[p] = amdElement
	s.elems[p], s.adj[p] = nil, nil
	return vars
}

// measureOutside computes, for every element next to the new one, the weight of its
// variables that are not in the new element: its clique's weight minus those that are.
func (s *amdState) measureOutside(newVars []int32) {
	s.step++
	for _, i := range newVars {
		for _, e := range s.elems[i] {
			if s.kind[e] != amdElement {
				continue
			}
			if s.outsideAt[e] != s.step {
				s.outsideAt[e] = s.step
				s.outside[e] = s.degree[e]
			}
			s.outside[e] -= s.weight[i]
		}
	}
}

// updateDegrees prunes the lists of the new element's variables, absorbs elements that the
// new one contains, eliminates variables adjacent to nothing else right away, and bounds the
// external degree of the others. It returns the variables still to be ordered.
func (s *amdState) updateDegrees(p int32, newVars []int32) []int32 {
	n := uint32(len(s.kind))
	kept := newVars[:0]
	for _, i := range newVars {
		external := int32(0)
		var hash uint32
		elems := s.elems[i][:0]
		for _, e := range s.elems[i] {
			if s.kind[e] != amdElement {
				continue
			}
			if s.outside[e] == 0 {
				s.kind[e] = amdAbsorbed // aggressive absorption: e lies inside the new element
				s.clique[e] = nil
				continue
			}
			external += s.outside[e]
			hash += uint32(e)
			elems = append(elems, e)
		}
		s.elems[i] = append(elems, p)
		adj := s.adj[i][:0]
		for _, j := range s.adj[i] {
			// Variables of the new element are now reached through it.
			if s.kind[j] != amdVariable || s.mark[j] == s.stamp {
				continue
			}
			external += s.weight[j]
			hash += uint32(j)
			adj = append(adj, j)
		}
		s.adj[i] = adj
		if len(s.elems[i]) == 1 && len(adj) == 0 {
			// Mass elimination: i's neighbours are exactly p's, so it goes right after p.
			s.number(i)
			s.kind[i] = amdMerged
			s.weight[i] = 0
			continue
		}
		s.degree[i] = min(s.degree[i], external)
		s.hashOf[i] = int32(hash % n)
		kept = append(kept, i)
	}
	return kept
}

// mergeIndistinguishable finds variables with the same adjacent elements and variables (they
// share a hash bucket) and merges each group into one supervariable.
func (s *amdState) mergeIndistinguishable(vars []int32) {
	for _, i := range vars {
		h := s.hashOf[i]
		s.hashNext[i] = s.hashHead[h]
		s.hashHead[h] = i
	}
	for _, i := range vars {
		h := s.hashOf[i]
		first := s.hashHead[h]
		if first < 0 {
			continue // bucket already done
		}
		s.hashHead[h] = -1
		for a := first; a >= 0; a = s.hashNext[a] {
			if s.kind[a] != amdVariable || s.hashNext[a] < 0 {
				continue
			}
			s.stamp++
			for _, e := range s.elems[a] {
				s.mark[e] = s.stamp
			}
			for _, j := range s.adj[a] {
				s.mark[j] = s.stamp
			}
			for b := s.hashNext[a]; b >= 0; b = s.hashNext[b] {
				if s.kind[b] == amdVariable && s.sameAsMarked(a, b) {
					s.weight[a] += s.weight[b]
					s.weight[b] = 0
					s.kind[b] = amdMerged
					s.elems[b], s.adj[b] = nil, nil
					s.nextMember[s.lastMember[a]] = b
					s.lastMember[a] = s.lastMember[b]
				}
			}
		}
	}
}

// sameAsMarked reports whether b's lists equal a's, whose entries carry the current stamp.
func (s *amdState) sameAsMarked(a, b int32) bool {
	if len(s.elems[a]) != len(s.elems[b]) || len(s.adj[a]) != len(s.adj[b]) {
		return false
	}
	for _, e := range s.elems[b] {
		if s.mark[e] != s.stamp {
			return false
		}
	}
	for _, j := range s.adj[b] {
		if s.mark[j] != s.stamp {
			return false
		}
	}
	return true
}
