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
