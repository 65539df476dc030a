package control

import (
	"os"
	"path/filepath"
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
}

func TestAgainstNgspice(t *testing.T) {
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) {
			dir, ours := t.TempDir(), t.TempDir()
			want := commandLines(ngspiceOutput(t, dir, s.netlist))
			out, errs, in := runScript(t, ours, s.netlist)
			if in.Errors > 0 {
				t.Errorf("errors:\n%s", errs)
			}
			sameOutput(t, commandLines(out), want, s.rel)
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
				sameOutput(t, strings.Split(strings.TrimSpace(string(g)), "\n"), strings.Split(strings.TrimSpace(string(w)), "\n"), s.rel)
			}
		})
	}
}
