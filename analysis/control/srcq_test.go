package control

import "testing"

// sourceScript reads the values of independent sources as ngspice 39 does
// (tests/regression/misc/bugs-2.cir, convergence.cir): @i2[current] after a transient
// and an op is the source's value at the last point; after save, @v1[dc] over a .dc of
// v1 is the swept values and @i2[current] a vector of every point, in a transient the
// waveform at each time.
const sourceScript = `source quantities
I2 0 1 pulse 2u 20u 50n 50n 50n 1u 2u
R2 1 0 50k
V1 2 0 dc 0.5 sin(0 1 1meg)
R3 2 0 1k
.control
tran 10n 3u
print @i2[current] @v1[dc]
op
print @i2[current]
save @v1[dc] @i2[current]
dc v1 0 1 0.25
print @v1[dc] @i2[current]
let foo = @v1[dc]
print foo[2] @v1[dc][3]
tran 10n 3u
print @i2[current][0] vecmax(@i2[current]) vecmin(@i2[current]) length(@i2[current]) gt 100
.endc
.end
`

// TestSourceQuantitiesAgainstNgspice: what print writes agrees exactly.
func TestSourceQuantitiesAgainstNgspice(t *testing.T) {
	againstNgspice(t, sourceScript, 1e-12)
}

// behaviouralScript reads B sources' currents (tests/regression/misc/convergence.cir
// checks the current sum at a node with one): an I-type source's value, from its first
// node through it, a V-type source's branch current, after an op and at the last point
// of a transient.
const behaviouralScript = `b source currents
.param m=3
v1 in 0 dc 2
r1 in a 1k
b1 a 0 i=1m*v(a)*v(a)
b2 c 0 v=2*v(a)
r2 c 0 500
b3 d 0 i=1m*m
r3 d 0 1k
.control
op
print @b1[i] @b2[i] @b3[i]
tran 1u 10u
print @b1[i] @b2[i] @r1[i]
.endc
.end
`

// TestBehaviouralCurrentAgainstNgspice: the currents agree with ngspice 39's to the
// digits printed (measured: exact).
func TestBehaviouralCurrentAgainstNgspice(t *testing.T) {
	againstNgspice(t, behaviouralScript, 1e-12)
}

// TestBehaviouralCurrentOfTime: an I-type B source whose expression reads time has no
// report (a report has no time): @b1[i] is an error naming the quantity.
func TestBehaviouralCurrentOfTime(t *testing.T) {
	_, errs, in := runScript(t, t.TempDir(), `t
b1 a 0 i=1m*time
r1 a 0 1k
.control
tran 1u 10u
print @b1[i]
.endc
`)
	mentions(t, errs, "6:1: error: print: @b1[i]: i of b1")
	if in.Errors != 1 {
		t.Errorf("%d errors, want 1:\n%s", in.Errors, errs)
	}
}

// TestPrintNamesLowercase: print names what it prints as written, lowercase, as ngspice
// 39 does (convergence.cir prints nothing, but @I2[current] is @i2[current] there).
func TestPrintNamesLowercase(t *testing.T) {
	againstNgspice(t, `t
V1 1 0 1
R2 1 0 1k
.control
op
print V(1) @R2[i] I(V1) Mag(V(1))
let Foo = 2
print Foo
.endc
.end
`, 1e-12)
}
