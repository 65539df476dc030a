package parser

import "testing"

// TestLTRAFlags: the flags of an ltra card are parameters of value 1; another word
// without a value is ignored with a warning, as ngspice ignores it.
func TestLTRAFlags(t *testing.T) {
	c, err := Parse("t.cir", []byte("t\no1 a 0 b 0 m\n.model m ltra rel=1.2 nocontrol r=0.3 l=1n c=1p len=6 steplimit noprint nocontrol\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, p := range c.Models["m"].Params {
		got[p.Name] = p.Value
	}
	for name, want := range map[string]float64{"rel": 1.2, "nocontrol": 1, "steplimit": 1, "len": 6} {
		if got[name] != want {
			t.Errorf("%s = %g, want %g (params %v)", name, got[name], want, got)
		}
	}
	if _, ok := got["noprint"]; ok {
		t.Errorf("noprint read as a parameter")
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Error() != `t.cir:3:65: unknown parameter "noprint" of ltra model "m" ignored, as ngspice does` {
		t.Errorf("warnings %v", c.Warnings)
	}
	if _, err := Parse("t.cir", []byte("t\nr1 a 0 1\n.model d1 d nocontrol\n.end\n")); err == nil {
		t.Errorf("a flag of another model's card was taken")
	}
}
