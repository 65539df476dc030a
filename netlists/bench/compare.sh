#!/usr/bin/env bash
# Times gospice and ngspice on the same netlists in one run and prints the ratio.
# Usage: netlists/bench/compare.sh [netlist ...]   (default: the RC mesh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here/../.." && go build -o "$work/gospice" ./cmd/gospice)
command -v ngspice >/dev/null || { echo "ngspice is not installed" >&2; exit 1; }
[ $# -gt 0 ] || set -- "$here/rcmesh.cir"

seconds() { # runs a command, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

printf '%-28s %10s %10s %8s\n' netlist gospice ngspice ratio
for net in "$@"; do
  g=$(seconds "$work/gospice" run "$net" --outdir "$work")
  n=$(seconds ngspice -b -r "$work/ng.raw" "$net")
  printf '%-28s %9.3fs %9.3fs %7.1fx\n' "$(basename "$net")" "$g" "$n" "$(echo "$n / $g" | bc -l)"
done

echo
echo "waveforms of the RC mesh against ngspice:"
(cd "$here" && GOSPICE_BENCH_CHECK=1 go test -count=1 -run TestRCMeshWaveform -v . | grep -E 'off by|ok|FAIL')
