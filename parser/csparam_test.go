package parser

import (
	"reflect"
	"testing"
)

// TestCSParam: .csparam name=value makes one value a line for the control language,
// expressions of .param values included; the rest of a line is dropped with a warning
// (ngspice 39 drops it silently), and a line without name=value is an error at its place.
func TestCSParam(t *testing.T) {
	c := mustParse(t, ".param rr = 2k\n.csparam start = 1k\n.csparam stop = {rr/4} step = 5\nR1 a 0 1k\n.op")
	var got []Option
	for _, p := range c.CSParams {
		got = append(got, Option{Name: p.Name, Value: p.Value})
	}
	if want := []Option{{Name: "start", Value: 1000}, {Name: "stop", Value: 500}}; !reflect.DeepEqual(got, want) {
		t.Errorf("csparams %+v, want %+v", got, want)
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Error() != "t.cir:4:24: .csparam makes one vector a line: the rest ignored, as in ngspice 39" {
		t.Errorf("warnings %v", c.Warnings)
	}
	errs := parseErrors(t, ".csparam 3\nR1 a 0 1k\n.op")
	if want := []string{`t.cir:2:10: expected name=value in .csparam, found "3"`}; !reflect.DeepEqual(errs, want) {
		t.Errorf("errors %q, want %q", errs, want)
	}
}
