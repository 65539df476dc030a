package control

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The scripts below run in gospice and in ngspice 39 (ngspice -b), and what their print,
// echo, setplot and meas commands write must agree: the same lines, the numbers within
// the simulators' accuracy.
var scripts = []struct {
	name, netlist string
	rel           float64 // relative tolerance of the numbers
}{
	{"csparam", `csparam values as vectors of the const plot
.param rr = 2k
.csparam start = 1k
.csparam stop = {rr/4}
.csparam step = 'rr/40'
v1 in 0 dc 1
r1 in 0 {rr}
.control
print start stop step
let n = floor((stop - start)/step) + 1
print n
op
print const.start
.endc
.end
`, 1e-12},
	{"nint", `nint rounds halves to even
v1 1 0 dc 1
r1 1 0 1k
.control
op
let a = vector(7)/2 - 1.5
print a nint(a) floor(a) ceil(a)
.endc
.end
`, 0},
	{"print", `test print
v1 in 0 dc 1
r1 in out 1k
r2 out 0 2k
.control
op
print v(out) i(v1)
print all
dc v1 0 2 0.5
print v(out)
print v(out) v(in)
let a = v(out)*2
print a[1] a[1,2]
echo $curplot $curplottitle $curplotname
set width=60
echo done
.endc
.end
`, 1e-9},
	{"negative", `test neg
v1 in 0 dc 1
r1 in out 1k
r2 out 0 2k
.control
dc v1 -1 1 0.5
print v(out)
let x = -2.5
print x
let y = vector(5)
print y
echo $&y
set s = hello
echo $s "quoted  two"
let z = 1e-20
print z
print 12345678 -1.5 2^10 7%3 (1 + 2) * 3
.endc
.end
`, 1e-9},
	{"flow", `test flow
v1 in 0 dc 1
r1 in out 1k
r2 out 0 2k
.control
foreach v 1 2.5 3
  alter v1 $v
  op
  print v(out)
end
let i = 0
while i < 5
  let i = i + 1
  if i = 2
    continue
  end
  if i eq 4
    break
  end
  echo i=$&i
end
repeat 2
  echo rep
end
dowhile i > 10
  echo once
end
if 1 > 2
  echo no
else
  echo yes
end
echo $curplot
setplot
setplot op1
print v(out)
let q = mean(v(out))
print q
alter r2 = 4k
op
print v(out)
reset
op
print v(out)
set list = ( a b c )
foreach w $list
  echo word $w
end
echo $?list $?nosuch $#list
setcs Greet = Hello
echo $Greet World
.endc
.end
`, 1e-9},
	{"functions", `test functions
v1 in 0 dc 0 ac 1
r1 in out 1k
c1 out 0 1u
.control
ac dec 5 10 10k
let h = v(out)
print mag(h) db(h)
print ph(h)
print real(h) imag(h)
let w = h[2]
print w
print length(h) mean(mag(h)) vecmax(db(h)) vecmin(db(h))
print sqrt(4) abs(-3) exp(1) ln(10) log10(100)
print sin(pi/2) cos(0) atan(1) floor(2.5) ceil(2.5)
print 3 gt 2 2 ge 3 1 eq 1 1 ne 1 (1 & 0) (1 | 0) not 1 2 lt 1 2 le 2
print 1 ? 2 : 3 -(2) 2-1
print v(in) > redirected.txt
echo hello >> redirected.txt
dc v1 0 1 0.1
let s = v(in)^2
print deriv(s)[3] integ(v(in))[10]
.endc
.end
`, 1e-6},
	{"const", `test const plot
v1 in 0 dc 1
r1 in out 1k
r2 out 0 1k
.control
let n = 3
let k = 0
compose vals values 1 2 4
dowhile k < n
  alter v1 = vals[k]
  op
  let k = k + 1
  print k v(out)
end
let k = 10
print k
setplot const
print k n
.endc
.end
`, 1e-9},
	{"wrdata", `test wrdata
v1 in 0 dc 1 ac 1
r1 in out 1k
c1 out 0 1u
.control
op
wrdata op.txt v(out) i(v1)
dc v1 0 1 0.25
wrdata dc.txt v(out) v(in)*2
ac lin 3 100 300
wrdata ac.txt v(out)
wrdata noext v(out)
setplot dc1
wrdata dc2.txt v(out)
.endc
.end
`, 1e-6},
	{"define", `test define
v1 1 0 dc 2
r1 1 0 1k
.control
define mismatch(a,b,err) abs(a-b)>err
define sq(x) x*x
define f(x) sq(x)+1
define f(x,y) x-y
define agauss(nom, avar, sig) (nom + avar/sig * 0)
op
let out = v(1)
if mismatch(out, 2, 1e-9)
  echo bad
else
  echo good
end
if mismatch(out, 3, 1e-9)
  echo mismatch found
end
print sq(3) f(2) f(5,1) sq(v(1)) agauss(1, 0.1, 3)
let vv = vector(4)
print sq(vv)
let x = 10
print sq(x) x
define limit(nom, avar) (nom + ((x >= 0) ? avar : -avar))
let isge = 3 >= 2
let lim = limit(1, 0.1)
print lim isge
let n = 1001
set nt = "n{$&n}_t"
echo $nt
set q = x{1001}y
echo $q
.endc
.end
`, 1e-9},
	// gnuplot writes NAME.plt and NAME.data as ngspice 39 does (ngspice runs gnuplot
	// afterwards; without it installed the files stay): circuits whose values are exact,
	// so that the ranges in the .plt, computed from the data, agree to the digit.
	{"gnuplot", `test gnuplot
v1 in 0 dc 0.5 ac 1
r1 in out 1k
c1 out 0 1u
r2 out 0 1k
.control
ac dec 2 10 1k
gnuplot ac1 v(out)
gnuplot ac2 vdb(out) ylimit -20 5
gnuplot ac3 mag(v(out)) loglog title 'two words' xlabel "f" ylabel a\\b
gnuplot ac4 v(out) ylog xdelta 100 ydelta 0.1
dc v1 0 1 0.5 r2 1k 2k 1k
gnuplot dc1 v(out) v(in) 0.25
gnuplot dc2 v(out) vs v(in) xlimit 0 2
op
gnuplot op1 v(out)
set gnuplot_terminal=png
gnuplot op2 v(out) v(in)
set gnuplot_terminal=eps
gnuplot op3 v(out)
echo os $oscompiled
if $oscompiled = 1 | $oscompiled = 8
echo windows
else
echo not windows
end
.endc
.end
`, 1e-6},
	// fourier prints ngspice's table of the last period, interpolated onto 200 points
	// (a diode clips a sine: harmonics well above round-off), with nfreqs, polydegree
	// and numdgt; linearize resamples a transient at its tstep; alterparam changes a
	// .param at the next reset and keeps it through later ones.
	{"fourier", `test fourier
v1 in 0 dc 0.1 sin(0 1 1k)
r1 in out 1k
c1 out 0 1u
d1 out 0 dd
.model dd d
.tran 0.01m 3m
.control
run
fourier 1k v(out)
set nfreqs=4
set polydegree=2
fourier 1k v(out) v(out)*2
set numdgt=3
set fourgridsize=50
fourier 500 out
print length(fourier11) length(fourier22) length(fourier31)
.endc
.end
`, 5e-6}, // measured: every printed digit the same
	{"linearize", `test linearize
v1 in 0 dc 0 sin(0 1 1k)
r1 in out 1k
c1 out 0 1u
.tran 0.1m 1m
.control
run
linearize
echo $curplot
print v(out)[3] v(out)[10] length(time) time[4] length(v1#branch)
setplot tran1
linearize v(out)
echo $curplot
print v(out)[7] length(time)
tran 0.25m 2m
linearize in
print in[5] time[8] length(time)
.endc
.end
`, 5e-6}, // measured: every printed digit the same
	{"cutout", `test cutout (examples/various/cutout1.cir)
v1 1 0 dc 0 sin (0 1 1k)
r1 1 2 1
r2 2 0 1
.control
tran 10u 10m
let cut-tstart = 2m
let cut-tstop = 4m
cutout
echo $curplot
print length(time) time[0] time[1] time[length(time)-1] v(1)[0] v(2)[3] length(v1#branch)
setplot tran1
let cut-tstart = 6m
let cut-tstop = 12m
cutout v(2)
print length(time) time[0] time[length(time)-1] v(2)[7]
setplot tran1
unlet cut-tstart cut-tstop
cutout
print length(time) time[0]
.endc
.end
`, 5e-6}, // measured: every printed digit the same
	{"fft-functions", `test fft() and ifft() of vectors (fft_leakage.cir)
v1 in 0 dc 0 sin(0 1 1k)
r1 in 0 1k
.control
tran 1u 5u 0 1u
linearize
let x = 1 + 2*time*1e5 + (time*1e5)^2
let f = fft(x)
print f
print fft_scale
let g = ifft(f)
print g
let h = fft(x + j(0))
print h[1] h[5] length(fft_scale) fft_scale[3]
let k = ifft(h)
print k
print ifft_scale[2] mean(k*k) sqrt(mean(k*k))
.endc
.end
`, 5e-6}, // measured: every printed digit the same
	{"alterparam", `test alterparam
.param rv=1k
v1 in 0 dc 1
r1 in out {rv}
r2 out 0 1k
.control
op
print v(out)
alterparam rv=3k
op
print v(out)
reset
op
print v(out)
alterparam rv = 2k
reset
op
print v(out)
reset
op
print v(out)
.endc
.end
`, 1e-9},
	{"meas", `test meas
v1 in 0 dc 0 pulse(0 1 1u 1n 1n 10u 20u)
r1 in out 1k
c1 out 0 1n
.control
tran 10n 5u
meas tran vmax max v(out)
meas tran tr trig v(in) val=0.5 rise=1 targ v(out) val=0.5 rise=1
meas tran vavg avg v(out) from=2u to=4u
let k = vmax*2
print k
.endc
.end
`, 1e-3},
	{"plotnumbers", `plot numbers after destroy
v1 1 0 1
r1 1 0 1k
.control
op
op
destroy op1
op
echo $curplot
destroy all
op
echo $curplot
op
destroy op2
op
echo $curplot
tran 1m 2m
echo $curplot
destroy op1 op2 tran2
dc v1 0 1 0.5
echo $curplot
set curplot = new
set curplottitle = results
echo $curplot $curplottitle
let a = vector(3)
settype impedance a
display
setplot
.endc
.end
`, 0},
	{"loopdestroy", `the loop of examples/loops: op1 made and destroyed each turn
R1 n1 0 1k
R2 n2 n1 1k
V1 n2 0 1
.control
set curplot = new
set plot_out = $curplot
let r2val = vector(4)
let vnode = vector(4)
let run = 0
let rcur = 1k
dowhile run < 4
  alter R2 $&rcur
  op
  setplot $plot_out
  let vnode[run] = op1.v(n1)
  let r2val[run] = rcur
  destroy op1
  let rcur = rcur / 3
  let run = run + 1
end
print r2val vnode
echo $&rcur
.endc
.end
`, 1e-12},
	{"noise", `noise into noise1 and noise2
v1 1 0 dc 1 ac 1
r1 1 2 10k
r2 2 0 10k
c1 2 0 1u
.control
noise v(2) v1 dec 2 1 1k
echo $curplot
print all
setplot noise1
print all
let ratio = onoise_spectrum / inoise_spectrum
print ratio[0] onoise_spectrum[6]
noise v(2,0) v1 oct 1 10 40 1
echo $curplot
print onoise_total inoise_total noise3.onoise_spectrum
.endc
.end
`, 1e-6}, // measured: every printed digit the same
	{"sqrnoise", `noise squared, of a current input
i1 0 1 dc 0 ac 1
r1 1 0 10k
c1 1 0 1n
.control
set sqrnoise
noise v(1) i1 lin 3 1k 100k
print all
setplot noise1
print all
.endc
.end
`, 1e-6},
	{"tf", `tf of a divider, to a voltage and to a current
v1 1 0 dc 1
r1 1 2 10k
r2 2 0 10k
i1 0 2 dc 1m
.control
tf v(2) v1
echo $curplot
print all
tf i(v1) i1
print all
let g = tf1.transfer_function * 2
print g
.endc
.end
`, 1e-9},
	{"sens", `sens of a divider
v1 1 0 dc 1
r1 1 2 10k
r2 2 0 10k
i1 0 2 dc 1m
.control
sens v(2)
echo $curplot
print r1 r1_m r1_scale r2 v1 i1 i1_m
sens i(v1) dc
print r1 r2 v1 i1
.endc
.end
`, 1e-5}, // ngspice's r1 and r2 are 9e-7 off the exact value (its perturbation), gospice's exact
	{"noiseone", `noise at one frequency: noise1 alone; print all in the order of names
v1 1 0 dc 2 ac 1
r1 1 2 1k
r2 2 0 1.1k
.temp 127
.control
noise v(2) v1 dec 1 1k 1k
echo $curplot
let r = 1/(1/1000 + 1/1100)
let gold = sqrt(4*boltz*(273.15+127.0)*r)
print all gold
noise v(2) v1 dec 1 1k 2k
echo $curplot
print all
print boltz echarge planck
.endc
.end
`, 1e-6},
	{"alterinstance", `alter instance params
vd d 0 1
vg g 0 1.2
m1 d g 0 0 nm w=1u l=1u
.model nm nmos level=1 vto=0.7 kp=100u
r1 d x 1k
r2 x 0 2k
c1 x 0 1p
.subckt sub a b
rs1 a b 5k
.ends
x1 d 0 sub
.control
op
print i(vd) @m1[w] @m1[l] @r1[resistance] @nm[vto] @nm[kp] @c1[capacitance] @r.x1.rs1[resistance]
alter m1 w=2u
op
print i(vd) @m1[w]
alter @m1[l]=2u
op
print i(vd) @m1[l]
alter r.x1.rs1 = 10k
op
print i(vd) @r.x1.rs1[resistance]
alter @r.x1.rs1[resistance] = 2.5k
op
print i(vd) @r.x1.rs1[resistance]
let x = @r1[resistance]
print x
altermod nm vto = 0.5
op
print i(vd) @nm[vto]
alter r1 r=3k
op
print i(vd) @r1[r] @r1[resistance]
.endc
.end
`, 1e-9},
	{"altersubckt", `alter more
vd d 0 1
vg g 0 1.2
m1 d g 0 0 nm w=1u l=1u
.model nm nmos level=1 vto=0.7 kp=100u
d1 g 0 dm
.model dm d is=1e-14
.subckt sub a b
rs1 a b 5k
.subckt inner c d
rq c d 1k
.ends
xi a b inner
.ends
x1 d 0 sub
.control
op
print i(vd) i(vg) @r.x1.r.xi.rq[resistance]
alter m1 m=2
alter d1 area=3
alter @r.x1.r.xi.rq[resistance] = 4k
op
print i(vd) i(vg) @m1[m] @d1[area] @r.x1.r.xi.rq[resistance]
alter r.x1.rs1 = 1k
op
print i(vd) @r.x1.rs1[resistance]
.endc
.end
`, 1e-9},
	{"devq", `device quantities no line gives read the last point of the last analysis
v1 1 0 dc 2
r1 1 2 1k
d1 2 0 dd
.model dd d is=1e-14
.subckt inner a
r6 a 0 4k
.ends
.subckt sub a
vm a b 0
r5 b 0 2k
xi a inner
.ends
x1 1 sub
x2 2 sub
* ngspice reports its last Newton iterate: tight tolerances bring it to the solution
.options reltol=1e-7 abstol=1e-15 vntol=1e-12
.control
op
print @r1[i] @d1[id] @r.x1.r5[i] @r.x1.xi.r6[i] i(v.x1.vm) v.x2.vm#branch
dc v1 0 1 0.5
print @r1[i] @d1[id] @d1[vd] @r.x1.r5[i]
.endc
.end
`, 1e-6},
	{"alterparamsub", `alterparam of a subcircuit's parameters overrides the instance's values too
.param vv = 1
R1 1 0 {vv + 3}
v1 1 0 1
.subckt subr in out rint1 = 6
.param rint = 5
.param rint2 = 8
R0 in out 'rint'
R1 in out 'rint1'
R2 in out 'rint2'
.ends
Xr 2 0 subr rint = 7 rint1 = 9
Xs 3 0 subr
v2 2 0 1
v3 3 0 1
.control
op
print v1#branch v2#branch v3#branch
alterparam vv = 2
alterparam subr rint = 13
alterparam subr rint1 = 15
reset
op
print v1#branch v2#branch v3#branch
.endc
.end
`, 1e-6},
	{"runsmall", `run of the netlist's .noise, .tf and .sens makes the plots of the commands
v1 1 0 dc 1 ac 1
r1 1 2 10k
r2 2 0 10k
c1 2 0 1n
.sens v(2)
.tran 1u 2u
* ngspice's order: ac, dc, op, tran, tf, noise, sens
.noise v(2) v1 dec 3 1k 100k
.tf v(2) v1
.ac dec 1 1k 10k
.control
run
setplot
print r1 r2_m v1
setplot noise2
print all
setplot noise1
print onoise_spectrum
setplot tf1
print all
quit
.endc
.end
`, 2e-6},
	{"noisesummary", `noise with pts_per_summary: each device's and each source's vectors, noise2's scale
vcc 4 0 50
vin 1 0 ac 1
ccouple 1 2 1
ibias 0 2 100uA
rload 4 3 1k
rb 2 0 100k
q1 3 2 0 0 test
.model test npn kf=1e-20 af=1 bf=100 rb=10 cjc=4e-12
.control
noise v(3) vin dec 3 1k 1meg 1
display
setplot noise1
print onoise_q1 onoise_q1_rb onoise_q1_1overf onoise_q1_rc onoise_rload_thermal onoise_rb
.endc
.end
`, 1e-5}, // measured 9.6e-7: the printed numbers' last digit
	{"altervec", `alter of a source's waveform by a list of values, and @v1[pulse] reading it
v1 1 0 pulse(0 1 0 1n 1n 5n 10n)
r1 1 0 1k
.control
let a = @v1[pulse]
print length(a) a[1] a[5]
alter @v1[pulse] = [ 0 2 1n 1n 1n 3n 10n ]
let b = @v1[pulse]
print length(b) b[1] b[5]
tran 0.1n 10n
meas tran top find v(1) at=3n
meas tran after find v(1) at=6n
.endc
.end
`, 2e-6},
	{"complex", `complex numbers written (re, im), as the sens-ac tests write s = j omega
v1 1 0 1
r1 1 0 1k
.control
let s = (0,2) * pi * 1e6
print s
let z = (1,2) + (3, -4)
print z
print real(z) imag(z) (2) mag(1/(s*100p + 1/1k))
.endc
.end
`, 2e-6},
	{"types", `the types of let's vectors, as ngspice 39 gives them
v1 in 0 1
r1 in 0 1k
.control
op
let a = v(in)*2
let b = v(in)+v(in)
let d = -v(in)
let f = v1#branch/v(in)
let g = v(in)/v1#branch
let h = v(in)*v1#branch
let k = v1#branch*v1#branch
let m = v(in) > 0
let n = -1/v1#branch
let p = v(in)^2
display
.endc
.end
`, 0},
	{"alterbsim4", `bsim4 alter
vd d 0 1
vg g 0 1
m1 d g 0 0 n4 w=1u l=0.1u
.model n4 nmos level=54 version=4.8.1
q1 d g 0 qn
.model qn npn bf=100 is=1e-16
.control
op
print i(vd) @m1[w]
alter m1 w=2u
alter m1 l=0.2u
alter q1 area=2
op
print i(vd) @m1[w] @m1[l] @q1[area]
.endc
.end
`, 1e-6},
	{"alterbin", `alter of w moves a MOSFET to another bin of its model, as ngspice
m1 d g 0 0 nch l=0.6u w=9.99u
vg g 0 3.5
vd d 0 3.5
.model nch.1 nmos (version=4.7 level=54 lmin=0.1u lmax=20u wmin=0.1u wmax=10u toxe=3n)
.model nch.2 nmos (version=4.7 level=54 lmin=0.1u lmax=20u wmin=10u wmax=100u toxe=4n)
.control
op
print i(vd)
alter @m1[w]=10.01u
op
print i(vd)
alter m1 w=9.99u
op
print i(vd)
.endc
.end
`, 1e-6},
}

func TestAgainstNgspice(t *testing.T) {
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) { againstNgspice(t, s.netlist, s.rel) })
	}
}

// againstNgspice runs a netlist's blocks in gospice and in ngspice -b: what their
// commands print, and the files they write, agree within rel.
func againstNgspice(t *testing.T, netlist string, rel float64) {
	t.Helper()
	dir, ours := t.TempDir(), t.TempDir()
	want := commandLines(ngspiceOutput(t, dir, netlist))
	out, errs, in := runScript(t, ours, netlist)
	if in.Errors > 0 {
		t.Errorf("errors:\n%s", errs)
	}
	sameOutput(t, commandLines(out), want, rel)
	// The files the script wrote (wrdata, > redirections) agree too.
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		name := filepath.Base(f)
		if name == "t.cir" {
			continue
		}
		w, _ := os.ReadFile(f)
		g, err := os.ReadFile(filepath.Join(ours, name))
		if err != nil {
			t.Errorf("gospice did not write %s: %v", name, err)
			continue
		}
		t.Logf("%s:", name)
		sameOutput(t, strings.Split(strings.TrimSpace(string(g)), "\n"), strings.Split(strings.TrimSpace(string(w)), "\n"), rel)
	}
}

// monteCarlo is a Monte Carlo written as ngspice's users write it: repeat, alter with
// sgauss and sunif, op, print, reset.
const monteCarlo = `monte carlo divider
v1 in 0 dc 1
r1 in out 1k
r2 out 0 1k
.control
setseed 7
repeat 400
  alter r1 = 1k*(1+0.1*sgauss(0))
  alter r2 = 1k*(1+0.1*sunif(0))
  op
  print v(out)
  reset
end
.endc
.end
`

// TestMonteCarloAgainstNgspice runs the Monte Carlo in both simulators: the random draws
// differ, their statistics agree (measured: means 0.5009 and 0.5002, standard deviations
// 0.0301 and 0.0311; analytically 0.5 and about 0.25*sqrt(0.1^2+0.1^2/3) = 0.029) (the mean within four standard errors, the standard
// deviation within four of its standard errors, sigma/sqrt(2n)).
func TestMonteCarloAgainstNgspice(t *testing.T) {
	dir := t.TempDir()
	want := stats(t, ngspiceOutput(t, dir, monteCarlo))
	out, errs, in := runScript(t, t.TempDir(), monteCarlo)
	if in.Errors > 0 {
		t.Fatalf("errors:\n%s", errs)
	}
	sameStatistics(t, stats(t, out), want, 400)
}

// sameStatistics checks that gospice made n runs and that their mean and standard
// deviation agree with ngspice's within four standard errors.
func sameStatistics(t *testing.T, got, want sample, n int) {
	t.Helper()
	t.Logf("gospice: %d runs, mean %.5f, standard deviation %.5f; ngspice: %d runs, mean %.5f, standard deviation %.5f",
		got.n, got.mean, got.sd, want.n, want.mean, want.sd)
	if got.n != n {
		t.Errorf("%d runs, want %d", got.n, n)
	}
	se := math.Sqrt(got.sd*got.sd/float64(got.n) + want.sd*want.sd/float64(want.n))
	if d := math.Abs(got.mean - want.mean); d > 4*se {
		t.Errorf("means differ by %.3g, more than 4 standard errors (%.3g)", d, se)
	}
	sdErr := math.Hypot(got.sd/math.Sqrt(2*float64(got.n)), want.sd/math.Sqrt(2*float64(want.n)))
	if d := math.Abs(got.sd - want.sd); d > 4*sdErr || got.sd == 0 {
		t.Errorf("standard deviations differ by %.3g, more than 4 standard errors (%.3g)", d, sdErr)
	}
}

type sample struct {
	n        int
	mean, sd float64
}

// stats reads the values of the "v(out) = x" lines of an output.
func stats(t *testing.T, out string) sample {
	t.Helper()
	var xs []float64
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, "v(out) = "); ok {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatal(err)
			}
			xs = append(xs, x)
		}
	}
	if len(xs) < 2 {
		t.Fatalf("%d values of v(out)", len(xs))
	}
	var s sample
	s.n = len(xs)
	for _, x := range xs {
		s.mean += x
	}
	s.mean /= float64(s.n)
	for _, x := range xs {
		s.sd += (x - s.mean) * (x - s.mean)
	}
	s.sd = math.Sqrt(s.sd / float64(s.n-1))
	return s
}

// seedRestarts draws before and after a reset, an op, a setseed and an mc_source in a
// circuit with .options seed=5.
const seedRestarts = `options seed restarts the draws
v1 1 0 1
r1 1 0 1k
.options seed=5
.control
let a = sgauss(0)
print a
let b = sgauss(0)
print b
reset
let c = sgauss(0)
print c
op
let d = sgauss(0)
print d
setseed 5
let e = sgauss(0)
print e
mc_source
let f = sgauss(0)
print f
.endc
.end
`

// TestOptionsSeedRestartsDraws checks the order of the draws with .options seed: ngspice
// 39 seeds its generator from the option whenever it reads the circuit (at the start,
// reset and mc_source), as setseed with that value does, so that c, e and f repeat a and
// d repeats b. The values are each simulator's own; the pattern is checked in both (in
// ngspice's output when it is installed).
func TestOptionsSeedRestartsDraws(t *testing.T) {
	pattern := func(t *testing.T, out string) {
		t.Helper()
		v := map[string]string{}
		for _, l := range strings.Split(out, "\n") {
			if name, val, ok := strings.Cut(l, " = "); ok && len(name) == 1 {
				v[name] = strings.TrimSpace(val)
			}
		}
		if len(v) != 6 {
			t.Fatalf("want the 6 draws a..f, got %v in:\n%s", v, out)
		}
		if v["a"] == v["b"] || v["c"] != v["a"] || v["d"] != v["b"] || v["e"] != v["a"] || v["f"] != v["a"] {
			t.Errorf("draws %v: want c, e, f equal to a, d equal to b, a and b apart", v)
		}
	}
	out, errs, in := runScript(t, t.TempDir(), seedRestarts)
	if in.Errors > 0 {
		t.Fatalf("errors:\n%s", errs)
	}
	pattern(t, out)
	pattern(t, ngspiceOutput(t, t.TempDir(), seedRestarts))
}
