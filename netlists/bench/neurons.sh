#!/usr/bin/env bash
# Runs populations of independent 1M1T1R neurons (gen_neurons.go's circuit: 300 ms, 16
# gate voltages saved) partitioned (one block per neuron, the default) and whole
# (.options partition=0), side by side in one run, and reports each one's wall time, CPU
# time (user + system) and peak memory (maximum resident set size, from /usr/bin/time
# -v), the ratio whole / partitioned, and the load average before each run: the machine
# may be shared, so compare the figures of one invocation.
#
# Usage: netlists/bench/neurons.sh [N ...]      (default: 100 400 1000)
#   WHOLE=0 skips the whole runs (1000 neurons whole takes many minutes);
#   GOMAXPROCS=1 runs the partitioned blocks on one core.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
(cd "$here/../.." && go build -o "$work/gospice" ./cmd/gospice)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 400 1000)

# measure NAME NETLIST: run it, print wall s, cpu s, peak MB; leave them in $wall $cpu $rss.
measure() {
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -v "$work/gospice" run --quiet --outdir "$work" "$2" 2>"$work/time.log" >/dev/null
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.log")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$work/time.log")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$work/time.log")
  printf "%-28s wall %8.2f s  cpu %8.2f s  peak %6d MB  (load before: %s)\n" "$1" "$wall" "$cpu" "$rss" "$load"
}

cd "$work"
for n in "${sizes[@]}"; do
  go run "$here/gen_neurons.go" -n "$n"
  go run "$here/gen_neurons.go" -n "$n" -whole
  measure "$n neurons, partitioned" "neurons$n.cir"
  pw=$wall pc=$cpu
  if [ "${WHOLE:-1}" != 0 ]; then
    measure "$n neurons, whole" "neurons$n-whole.cir"
    awk -v a="$wall" -v b="$pw" -v c="$cpu" -v d="$pc" 'BEGIN {printf "%-28s wall %8.2fx  cpu %8.2fx\n", "  whole / partitioned", a / b, c / d}'
  fi
done
