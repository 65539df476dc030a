package control

import "testing"

// TestParseExprs checks how expressions split and nest, through their text.
func TestParseExprs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"v(out) i(v1)", []string{"v(out)", "i(v1)"}},
		{"v(out) * 2 db(v(out))", []string{"v(out)*2", "db(v(out))"}},
		{"a[2,5] v(out)[3]", []string{"a[2,5]", "v(out)[3]"}},
		{"1k+2.5u -x", []string{"1k+2.5u-x"}},
		{"i > 2 & x le 3", []string{"i>2&x le 3"}},
		{"v1#branch tran1.time @r1[resistance]", []string{"v1#branch", "tran1.time", "@r1[resistance]"}},
		{"dc1.@rload[i] @m.x1.m1[id]", []string{"dc1.@rload[i]", "@m.x1.m1[id]"}},
		{"a > 0 ? 1 : 2", []string{"a>0?1:2"}},
		{"2^-1 -(3)", []string{"2^-1-(3)"}},
	} {
		list, err := ParseExprs(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.String())
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: got %q, want %q", c.in, got, c.want)
			}
		}
	}
	for _, bad := range []string{"v(out", "a[1", "3 +", "(", "a ? b"} {
		if _, err := ParseExprs(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestOperatorWordAsFunction: two calls of a function named like an operator (gt) are
// two expressions, not a comparison missing its right side.
func TestOperatorWordAsFunction(t *testing.T) {
	list, err := ParseExprs("gt(six, five) gt(five, six)")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Cond.Left.Left.Compares() || list[0].String() != "gt(six,five)" {
		t.Errorf("parsed %d expressions, the first %q", len(list), list[0].String())
	}
}
