package control

import "testing"

// multidimScript uses multi-dimensional vectors as ngspice's examples do
// (examples/various/dc_loop.sp, 3d_loop.sp, examples/vdmos/100W_wingspread.sp): reshape,
// indexing a block, let of a block and of one value, transpose of two and three
// dimensions, display's dims, and vectors of other plots read by name
// ({$dcplot}.v1#branch, deriv of dc1.out against dc1's sweep, dc1.@r1[i]).
const multidimScript = `multi-dimensional vectors
v1 in 0 dc 1
r1 in out 1k
r2 out 0 2k
.save all @r1[i]
.control
setplot new
set base = $curplot
let r = vector(6)
reshape r [2][3]
print r
print r[1]
let s = r[1]
print length(s)
let r[0] = vector(3) + 10
let r[1][2] = 99
print r
print r[1][2]
transpose r
print r
print r[2]
let u = vector(12)
reshape u [2][3][2]
print u[1]
print u[1][2]
let u[1][0] = vector(2) + 50
print u
let w = vector(12)
reshape w [2][2][3]
transpose w
print w[0] w[1]
let one = vector(4)
reshape one [1][4]
print one[0]
let one[0] = vector(4) + 7
print one
let c = vector(6)
reshape c [,2]
let d = c + 1
display
let fam = vector(15)
reshape fam [3][5]
let k = 0
foreach rv 1k 2k 3k
  alter r2 = $rv
  dc v1 0 1 0.25
  set dcplot = $curplot
  setplot $base
  let fam[k] = -{$dcplot}.v1#branch*1000
  let k = k + 1
end
print fam
print fam[2]
let g = deriv(dc1.out)
print g
let ir = dc1.@r1[i]
print ir
.endc
.end
`

// TestMultidimAgainstNgspice runs multidimScript in gospice and ngspice 39: what print
// and display write agrees (the values are exact in both, so to the digits printed).
func TestMultidimAgainstNgspice(t *testing.T) {
	againstNgspice(t, multidimScript, 1e-12)
}

// TestMultidimErrors: what ngspice refuses gospice refuses with a message: a let whose
// values do not fill the indexed block ("Data for an index vector must fit exactly"),
// dimensions whose product is not the length ("dimensions don't fit"), a vector that is
// not there; reading beyond the ends warns and takes the nearest end, as ngspice does.
func TestMultidimErrors(t *testing.T) {
	out, errs, in := runBlock(t, `let b = vector(6)
reshape b [2][3]
let b[1] = vector(2)
let b[1][1] = vector(4)
reshape b [4][2]
reshape nosuch [2][3]
let b[0][0][0] = 1
print b[5]
print b[-1][7]
`)
	// The block's lines are lines 5 to 13 of the netlist.
	mentions(t, errs,
		"7:1: error: let: data for an index vector must fit exactly: the indexed range of b needs 3 values, the expression has 2",
		"8:1: error: let: data for an index vector must fit exactly: the indexed range of b needs 1 values, the expression has 4",
		`9:1: error: reshape: dimensions don't fit "b" (total size = 6)`,
		"10:1: error: reshape: 'nosuch' vector not found",
		"11:1: error: let: 3 indices of b, which has 2 dimensions",
		"12:1: warning: upper limit 5 should be 1", "12:1: warning: lower limit 5 should be 1",
		"13:1: warning: lower limit -1 should be 0", "13:1: warning: upper limit 7 should be 2")
	if in.Errors != 5 {
		t.Errorf("%d errors, want 5:\n%s", in.Errors, errs)
	}
	mentions(t, out, "Index   b[5]", "0\t3.000000e+00\t\n1\t4.000000e+00", "b[-1][7] = 2.000000e+00")
}

// TestPlotFamily: plot of a [3][5] vector draws three curves, one per block, against
// the plot's scale, as ngspice draws a family (dc_loop.sp plots its result so).
func TestPlotFamily(t *testing.T) {
	_, errs, in := runBlock(t, `setplot new
let s = vector(5)
setscale s
let fam = vector(15)
reshape fam [3][5]
`)
	if in.Errors > 0 {
		t.Fatal(errs)
	}
	f, err := in.figure(graphWords("fam s*2"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range f.Curves {
		names = append(names, c.Name)
	}
	if len(f.Curves) != 4 || names[0] != "fam[0]" || names[2] != "fam[2]" || names[3] != "s*2" {
		t.Fatalf("curves %v, want fam[0] fam[1] fam[2] s*2", names)
	}
	if c := f.Curves[1]; len(c.Y) != 5 || c.Y[0] != 5 || c.Y[4] != 9 || c.X[4] != 4 {
		t.Errorf("fam[1]: x %v y %v, want x 0..4, y 5..9", c.X, c.Y)
	}
}

// TestMultidimOddInput: odd dimensions and indices end in a message, not a panic.
func TestMultidimOddInput(t *testing.T) {
	_, errs, in := runBlock(t, `let v = vector(12)
reshape v [3][x]
reshape v [,]
reshape v [0][12]
reshape v [-2][-6]
reshape v [3][4
reshape v [4611686018427387904][4611686018427387904]
reshape v [2][2][3]
transpose v nosuch
let v[1][1][1][1] = 1
let v[1e30] = vector(6)
let v[-1] = vector(6)
print v[1e30]
tran 1u 10u
psd 1e30 v(in)
psd 100000 v(in)
`)
	if in.Errors != 12 {
		t.Errorf("%d errors, want 12:\n%s", in.Errors, errs)
	}
}
