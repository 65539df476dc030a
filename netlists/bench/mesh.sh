#!/usr/bin/env bash
# Loads and runs a large RC mesh in gospice and ngspice, side by side in one run, and
# reports each one's wall time, CPU time (user + system) and peak memory (maximum
# resident set size, from /usr/bin/time -v), with the ratios ngspice / gospice.
#
# The netlists are generated into a temporary folder:
#   load   an N x N mesh (N=300: 269,407 lines; 10 ohm between neighbours, 10 fF to
#          ground at each node, 1 V through 10 ohm at one corner, 1 kohm to ground at
#          the opposite one) with a .tran line but no output line: ngspice reads it,
#          builds the circuit and stops ("no simulations run"); gospice check reads it,
#          builds it and prints its nodes and devices;
#   op     the same number of lines as a 10-row strip (10 x 9000: 260,998 lines) with .op
#          and .print op: parse, build and solve. (ngspice's solver takes minutes on the
#          square mesh's operating point, gospice's a fraction of a second; the strip
#          keeps the comparison about loading);
#   miss   a 172 x 172 mesh (88,416 lines) that includes a file that does not exist:
#          how long each takes to say so.
#
# Usage: netlists/bench/mesh.sh [N]
#   KEEP=DIR keeps the netlists and logs in DIR; GOSPICE=path times that gospice binary
#   instead of building this tree's; CASES="miss" (a list of load, op, miss) runs only
#   those cases.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=${1:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v ngspice >/dev/null || { echo "ngspice is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
if [ -n "${GOSPICE:-}" ]; then # another build, for a before/after comparison
  cp "$GOSPICE" "$work/gospice"
else
  (cd "$here/../.." && go build -o "$work/gospice" ./cmd/gospice)
fi

# mesh ROWS COLS ANALYSIS PRINT: an RC mesh driven at one corner.
mesh() {
  awk -v r="$1" -v c="$2" -v an="$3" -v pr="$4" 'BEGIN {
    printf "RC mesh %dx%d\n", r, c
    print "V1 drv 0 DC 1 PULSE(0 1 1n 1n 1n 50n 100n)"
    print "Rdrv drv n0_0 10"
    printf "Rload n%d_%d 0 1k\n", r - 1, c - 1
    for (i = 0; i < r; i++) for (j = 0; j < c; j++) {
      if (j + 1 < c) printf "Rh%d_%d n%d_%d n%d_%d 10\n", i, j, i, j, i, j + 1
      if (i + 1 < r) printf "Rv%d_%d n%d_%d n%d_%d 10\n", i, j, i, j, i + 1, j
      printf "C%d_%d n%d_%d 0 10f\n", i, j, i, j
    }
    printf ".save v(n%d_%d)\n", r - 1, c - 1
    if (pr != "") printf ".print %s v(n%d_%d)\n", pr, r - 1, c - 1
    print an
    print ".end"
  }'
}
mesh "$n" "$n" ".tran 1n 5n" "" >"$work/load.cir"
mesh 10 $((n * n / 10)) ".op" "op" >"$work/op.cir"
mesh 172 172 ".tran 1n 5n" "" | sed '2i .include nothere/models.lib' >"$work/miss.cir"

# measure NAME DIR CMD... (timing.sh): appends "NAME wall cpu rss_mb exit" to DIR/results.
. "$here/timing.sh"

cases=${CASES:-load op miss}
for case in $cases; do
  case " load op miss " in *" $case "*) ;; *) echo "CASES: no case $case (load, op, miss)" >&2; exit 1 ;; esac
  net="$work/$case.cir"
  if [ "$case" = op ]; then
    measure "$case-gospice" "$work" "$work/gospice" run "$net" --outdir "$work"
  else
    measure "$case-gospice" "$work" "$work/gospice" check "$net"
  fi
  measure "$case-ngspice" "$work" ngspice -b "$net"
done

echo "lines: load $(wc -l <"$work/load.cir"), op $(wc -l <"$work/op.cir"), miss $(wc -l <"$work/miss.cir"); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v cases="$cases" '
  { wall[$1] = $2; cpu[$1] = $3; rss[$1] = $4; code[$1] = $5 }
  END {
    printf "%-6s %-8s %9s %9s %9s %5s\n", "case", "program", "wall s", "cpu s", "peak MB", "exit"
    m = split(cases, list, " ")
    for (k = 1; k <= m; k++) {
      c = list[k]; g = c "-gospice"; s = c "-ngspice"
      printf "%-6s %-8s %9.2f %9.2f %9.0f %5s\n", c, "gospice", wall[g], cpu[g], rss[g], code[g]
      printf "%-6s %-8s %9.2f %9.2f %9.0f %5s\n", c, "ngspice", wall[s], cpu[s], rss[s], code[s]
      printf "%-6s %-8s %8.3gx %8.3gx %8.3gx\n", c, "ratio", wall[s] / wall[g], cpu[s] / cpu[g], rss[s] / rss[g]
    }
  }' "$work/results"
echo "(ratio: ngspice / gospice; above 1 means gospice is faster or smaller)"
case " $cases " in *" op "*)
echo "op: v(n9_$((n * n / 10 - 1))): gospice $(tail -1 "$work/op.op.csv" 2>/dev/null) ngspice $(awk '/^Index/ { getline; getline; print $2 }' "$work/op-ngspice.out")" ;; esac
case " $cases " in *" miss "*)
echo "miss: gospice says: $(grep -m1 nothere "$work/miss-gospice.out" "$work/miss-gospice.time" | cut -d: -f2-)"
echo "      ngspice says: $(grep -m1 -i nothere "$work/miss-ngspice.out" "$work/miss-ngspice.time" | cut -d: -f2-)" ;; esac
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP" && cp "$work"/* "$KEEP"/
fi
