#!/usr/bin/env bash
# Times loading a SKY130 netlist: `gospice check` of one inverter (an nfet_01v8 and a
# pfet_01v8 of the tt corner) against ngspice 39 loading the same netlist and solving its
# .op (ngspice has no load-only mode; the .op of two transistors is a few milliseconds of
# it), with the .spiceinit SKY130 users have (set ngbehavior=hsa). The two run
# alternately RUNS times (default 5); it prints each run and the medians of wall time,
# CPU time (user + system) and peak memory, with the ratios ngspice / gospice.
#
# Usage: netlists/bench/sky130load.sh [path/to/sky130.lib.spice]
#   (default: the shared data beside the repository, docs/test-data.md)
#   RUNS=N alternated runs; GOSPICE=path times that gospice binary instead of
#   building this tree's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib=${1:-$here/../../../shared/pdk/sky130/combined_models/continuous/sky130.lib.spice}
runs=${RUNS:-5}
[ -f "$lib" ] || { echo "$lib: no SKY130 library (docs/test-data.md says where to get it)" >&2; exit 1; }
lib=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")
command -v ngspice >/dev/null || { echo "ngspice is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${GOSPICE:-}" ]; then
  cp "$GOSPICE" "$work/gospice"
else
  (cd "$here/../.." && go build -o "$work/gospice" ./cmd/gospice)
fi
. "$here/timing.sh"

cat >"$work/inverter.cir" <<END
* SKY130 inverter
.lib $lib tt
Vdd vdd 0 1.8
Vin in 0 0.9
XM1 out in 0 0 sky130_fd_pr__nfet_01v8 l=0.15 w=1
XM2 out in vdd vdd sky130_fd_pr__pfet_01v8 l=0.15 w=2 nf=2
.op
.end
END
printf 'set ngbehavior=hsa\nset ng_nomodcheck\n' >"$work/.spiceinit"

for k in $(seq 1 "$runs"); do
  measure "gospice-$k" "$work" "$work/gospice" check "$work/inverter.cir"
  (cd "$work" && measure "ngspice-$k" "$work" ngspice -b inverter.cir)
done
grep -q 'xm1' "$work/gospice-1.out" || { echo "gospice check failed:"; cat "$work/gospice-1.out" "$work/gospice-1.time"; exit 1; }
grep -qi 'v(out)\|out ' "$work/ngspice-1.out" || { echo "ngspice failed:"; cat "$work/ngspice-1.out"; exit 1; }

echo "$runs alternated runs each; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/results"
awk '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { split($1, p, "-"); n[p[1]]++; w[p[1], n[p[1]]] = $2; c[p[1], n[p[1]]] = $3; r[p[1], n[p[1]]] = $4 }
  END {
    for (s in n) {
      for (i = 1; i <= n[s]; i++) { ww[i] = w[s, i]; cc[i] = c[s, i]; rr[i] = r[s, i] }
      mw[s] = median(ww, n[s]); mc[s] = median(cc, n[s]); mr[s] = median(rr, n[s])
    }
    printf "medians: gospice check %.2f s wall, %.2f s CPU, %.0f MB; ngspice %.2f s wall, %.2f s CPU, %.0f MB\n", mw["gospice"], mc["gospice"], mr["gospice"], mw["ngspice"], mc["ngspice"], mr["ngspice"]
    printf "ratio ngspice / gospice: %.2fx wall, %.2fx CPU, %.2fx memory\n", mw["ngspice"] / mw["gospice"], mc["ngspice"] / mc["gospice"], mr["ngspice"] / mr["gospice"]
  }' "$work/results"
