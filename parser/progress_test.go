package parser

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestProgress checks that a Progress hears of each stage, in order, with done growing
// to total.
func TestProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("progress\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "r%d n%d n%d 1k\n", i, i, i+1)
	}
	for i := range 5000 {
		fmt.Fprintf(&b, "v%d n%d 0 pulse(0 1 1n)\n", i, i) // lines for the grammar
	}
	type call struct {
		stage, file string
		done, total int
	}
	var calls []call
	ctx := WithProgress(context.Background(), func(stage, file string, done, total int) {
		calls = append(calls, call{stage, file, done, total})
	})
	d, err := ParseDeck(ctx, "p.cir", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Elaborate(ctx, Variant{}); err != nil {
		t.Fatal(err)
	}
	last := map[string]call{}
	var stages []string
	for _, c := range calls {
		prev, seen := last[c.stage]
		if !seen {
			stages = append(stages, c.stage)
		}
		if c.file != "p.cir" || c.done > c.total || seen && (c.done <= prev.done || c.total != prev.total) {
			t.Fatalf("call %+v after %+v", c, prev)
		}
		last[c.stage] = c
	}
	if strings.Join(stages, " ") != "reading parsing elaborating" {
		t.Errorf("stages %q", stages)
	}
	// The title line is one more line for the grammar; the file ends with an empty line.
	for stage, total := range map[string]int{"reading": 15002, "parsing": 5001, "elaborating": 15001} {
		if c := last[stage]; c.done != total || c.total != total {
			t.Errorf("%s ends at %+v, want %d of %d", stage, c, total, total)
		}
	}
	t.Logf("%d calls", len(calls))
}
