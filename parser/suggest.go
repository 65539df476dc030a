package parser

// EditDistance counts the insertions, deletions, substitutions and swaps of neighbours
// that turn a into b (bytes). Names longer than 64 bytes are only compared for equality:
// a suggestion for them would not help, and the table grows with the product of lengths.
func EditDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	// Three rows of the table: i-2, i-1 and i.
	pp := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}

// Nearest is the candidate other than name itself with the fewest edits from it, if at
// most maxEdits make it; ties go to the earlier candidate. It is "" when none is that near.
func Nearest(name string, candidates []string, maxEdits int) string {
	best, bestD := "", maxEdits+1
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := EditDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
