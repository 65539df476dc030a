package parser

import (
	"context"
	"reflect"
	"testing"
)

// TestControlBlocks checks that the Deck keeps the text of each .control block, with the
// place of each line, continuation lines joined and comment lines left out.
func TestControlBlocks(t *testing.T) {
	src := "title\nr1 a 0 1k\n.control\n* a comment\n  let x = 1\n+ + 2\n\necho $x ; a comment too\nlet y = 2 $ a comment\n.endc\nv1 a 0 1\n.control\nrun\n"
	d, err := ParseDeck(context.Background(), "t.cir", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := d.Control()
	want := []ControlBlock{
		{Pos: Pos{"t.cir", 3, 1}, End: Pos{"t.cir", 10, 1}, Lines: []ControlLine{
			{Pos{"t.cir", 5, 3}, "let x = 1 + 2"},
			{Pos{"t.cir", 8, 1}, "echo $x"},
			{Pos{"t.cir", 9, 1}, "let y = 2"},
		}},
		{Pos: Pos{"t.cir", 12, 1}, Lines: []ControlLine{{Pos{"t.cir", 13, 1}, "run"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	c, err := d.Elaborate(context.Background(), Variant{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Elements) != 2 {
		t.Errorf("the lines after the block were not read: %d elements", len(c.Elements))
	}
}
