#!/usr/bin/env bash
# Times the 1000 Monte Carlo runs of mc1000.cir side by side, in one invocation:
#   gospice on one core (GOMAXPROCS=1), gospice on all cores, and ngspice running the
#   same runs in batch from a .control loop (alter with sgauss per run, tran, meas), once
#   writing the same waveforms as gospice does (wrdata) and once the measurements only.
# The configurations take turns for REPEATS rounds (default 3); the median of each is
# reported, with the ratios. Then it compares the statistics of the .meas results of the
# two simulators: independent random streams, so the means and standard deviations
# should agree within a few standard errors, not the values.
# Usage: netlists/bench/compare_steps.sh [REPEATS]
# With KEEP=DIR set, the ngspice decks it writes are copied to DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
net="$here/mc1000.cir"
repeats=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v ngspice >/dev/null || { echo "ngspice is not installed" >&2; exit 1; }
(cd "$here/../.." && go build -o "$work/gospice" ./cmd/gospice)
gospice="$work/gospice"
stem=$(basename "$net" .cir)

# gospice once, untimed: its CSV header names the vectors ngspice is to write.
mkdir -p "$work/first"
"$gospice" run "$net" --quiet --outdir "$work/first" 2>/dev/null
vectors=$(head -1 "$work/first/$stem.tran.csv" | tr ',' '\n' | grep -v -x -e run -e time -e status | tr '\n' ' ')

# ngspice_deck WAVE writes the ngspice deck of mc1000.cir: each element whose value is
# {agauss(...)} (or gauss, aunif, unif) gets its nominal value in the circuit and an alter
# with the same call in every run, those functions defined on sgauss and sunif as in
# ngspice's Monte Carlo example; .options seed becomes rndseed, .step param run the loop
# count, .tran and .meas the tran and meas commands. Each run echoes its run number, its
# measurements and its number of time points to ng.meas; with WAVE=1 it also appends the
# waveforms to ng.wave with wrdata.
ngspice_deck() {
  awk -v wrwave="$1" -v meas="$work/ng.meas" -v wave="$work/ng.wave" -v vectors="$vectors" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    function fail(why) { print "compare_steps.sh: cannot convert line " NR ": " why > "/dev/stderr"; bad = 1; exit 2 }
    NR == 1 { print; next }
    /^[ \t]*(\*|$)/ { next }
    tolower($1) == ".options" {
      for (i = 2; i <= NF; i++) if (tolower($i) ~ /^seed=/) { split($i, kv, "="); seed = kv[2] }
      next
    }
    tolower($1) == ".step" {
      if (tolower($2) != "param" || tolower($3) != "run" || NF != 6) fail($0)
      runs = int(($5 - $4) / $6 + 0.5) + 1
      next
    }
    tolower($1) == ".tran" { tran = $0; sub(/^[ \t]*\.[A-Za-z]+/, "tran", tran); next }
    tolower($1) == ".meas" || tolower($1) == ".measure" {
      nmeas++; m[nmeas] = $0; sub(/^[ \t]*\.[A-Za-z]+/, "meas", m[nmeas]); names[nmeas] = tolower($3)
      next
    }
    tolower($1) == ".end" { next }
    /^[ \t]*\./ { fail($0) }
    {
      line = $0
      if (match(line, /\{ *(agauss|gauss|aunif|unif) *\([^(){}]*\) *\}/)) {
        call = trim(substr(line, RSTART + 1, RLENGTH - 2))
        split(substr(call, index(call, "(") + 1), a, ",")
        line = substr(line, 1, RSTART - 1) trim(a[1]) substr(line, RSTART + RLENGTH)
        nalter++; alters[nalter] = "  alter " tolower($1) " = " call
      }
      if (line ~ /[{}]/) fail($0)
      print line
    }
    END {
      if (bad) exit 2
      if (runs < 1 || tran == "" || nmeas == 0) { print "compare_steps.sh: no .step param run, .tran or .meas" > "/dev/stderr"; exit 2 }
      print ".control"
      if (seed != "") print "set rndseed=" seed
      print "set appendwrite"
      print "set wr_singlescale"
      print "define agauss(nom, avar, sig) (nom + avar/sig * sgauss(0))"
      print "define gauss(nom, rvar, sig) (nom + nom*rvar/sig * sgauss(0))"
      print "define aunif(nom, avar) (nom + avar * sunif(0))"
      print "define unif(nom, rvar) (nom + nom*rvar * sunif(0))"
      header = "run"
      for (i = 1; i <= nmeas; i++) header = header " " names[i]
      print "echo \"" header " npts\" > " meas
      print "let run = 1"
      print "while run <= " runs
      for (i = 1; i <= nalter; i++) print alters[i]
      print "  " tran
      out = "$&run"
      for (i = 1; i <= nmeas; i++) { print "  " m[i]; out = out " $&" names[i] }
      print "  let npts = length(time)"
      print "  echo \"" out " $&npts\" >> " meas
      if (wrwave) print "  wrdata " wave " " vectors
      print "  destroy all"
      print "  let run = run + 1"
      print "end"
      print ".endc"
      print ".end"
    }
  ' "$net"
}
ngspice_deck 1 > "$work/ng_wave.cir"
ngspice_deck 0 > "$work/ng_meas.cir"
[ -z "${KEEP:-}" ] || cp "$work/ng_wave.cir" "$work/ng_meas.cir" "$KEEP/"
runs=$(awk 'tolower($1) == ".step" && tolower($3) == "run" { print int(($5 - $4) / $6 + 0.5) + 1 }' "$net")

seconds() { # runs a command, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
ngspice_run() { # the deck $1, from a clean slate (the loop appends to its outputs)
  rm -f "$work/ng.meas" "$work/ng.wave"
  ngspice -b "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

configs=(g1 gall ngwave ngmeas)
declare -A label=(
  [g1]="gospice, GOMAXPROCS=1"
  [gall]="gospice, all $(nproc) cores"
  [ngwave]="ngspice loop, wrdata+meas"
  [ngmeas]="ngspice loop, meas only"
)
declare -A times=()
for ((r = 1; r <= repeats; r++)); do
  for c in "${configs[@]}"; do
    case $c in
      g1) t=$(seconds env GOMAXPROCS=1 "$gospice" run "$net" --quiet --outdir "$work/first") ;;
      gall) t=$(seconds "$gospice" run "$net" --quiet --outdir "$work/first") ;;
      ngwave)
        t=$(seconds ngspice_run "$work/ng_wave.cir")
        # Did it do all the runs? Count the runs and time points it reported, and the
        # rows wrdata wrote.
        n_runs=$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ && NF >= 3 { seen[$1] = 1 } END { print length(seen) }' "$work/ng.meas")
        n_rows=$(awk 'NR > 1 { s += $NF } END { print s }' "$work/ng.meas")
        n_wave=$(wc -l <"$work/ng.wave")
        ;;
      ngmeas) t=$(seconds ngspice_run "$work/ng_meas.cir") ;;
    esac
    times[$c]+="$t "
  done
done

echo "$runs Monte Carlo runs of $(basename "$net"), $repeats rounds taking turns (wall seconds):"
echo "  GOMAXPROCS=1 gospice run $(basename "$net") --quiet --outdir DIR; gospice run $(basename "$net") --quiet --outdir DIR"
echo "  ngspice -b ng_wave.cir; ngspice -b ng_meas.cir   (the .control loops; KEEP=DIR keeps them)"
declare -A med=()
for c in "${configs[@]}"; do
  med[$c]=$(tr ' ' '\n' <<<"${times[$c]}" | grep . | median)
  printf '  %-28s median %7.3fs   (%s)\n' "${label[$c]}" "${med[$c]}" "$(printf '%.3f ' ${times[$c]})"
done
ratio() { echo "${med[$1]} / ${med[$2]}" | bc -l; }
printf '  %-50s %6.2fx\n' "gospice 1 core / gospice all cores:" "$(ratio g1 gall)"
printf '  %-50s %6.2fx\n' "ngspice (wrdata+meas) / gospice all cores:" "$(ratio ngwave gall)"
printf '  %-50s %6.2fx\n' "ngspice (meas only) / gospice all cores:" "$(ratio ngmeas gall)"
printf '  %-50s %6.2fx\n' "ngspice (meas only) / gospice 1 core:" "$(ratio ngmeas g1)"

g_rows=$(($(wc -l <"$work/first/$stem.tran.csv") - 1))
g_runs=$(cut -d, -f1 "$work/first/$stem.tran.csv" | sed 1d | uniq | wc -l)
echo
echo "work done in the last round: gospice $g_runs runs, $g_rows time points written;"
echo "  ngspice $n_runs runs, $n_rows time points, $n_wave rows written by wrdata"
if [ "$g_runs" != "$runs" ] || [ "$n_runs" != "$runs" ] || [ "$n_wave" != "$n_rows" ]; then
  echo "MISMATCH: both should have done $runs runs" >&2
  exit 1
fi

# The statistics of each measurement over the runs, gospice (<stem>.meas.csv) against
# ngspice (ng.meas): z is the difference over its standard error, for the mean
# (sd_g^2/n_g + sd_n^2/n_n) and for the standard deviation (sd/sqrt(2(n-1)) each).
echo
echo "statistics over the runs (independent random streams; |z| < 4 agrees):"
printf '  %-8s %19s %14s %8s %19s %14s\n' "" gospice ngspice "" gospice ngspice
header=$(head -1 "$work/first/$stem.meas.csv")
IFS=, read -ra cols <<<"$header"
status=0
for ((k = 1; k < ${#cols[@]}; k++)); do
  name=${cols[$k]}
  [ "$name" = status ] && continue
  line=$(awk -v name="$name" -v gcol=$((k + 1)) -v scol=${#cols[@]} -v gfile="$work/first/$stem.meas.csv" '
    function acc(which, x) { n[which]++; s[which] += x; ss[which] += x * x }
    BEGIN {
      while ((getline line < gfile) > 0) {
        split(line, f, ",")
        if (f[scol] == "ok") acc("g", f[gcol] + 0)
      }
    }
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) ncol = i; next }
    ncol { acc("n", $ncol + 0) }
    END {
      if (!ncol || n["g"] < 2 || n["n"] < 2) { print "no values to compare  DISAGREE"; exit }
      for (w in n) { mean[w] = s[w] / n[w]; sd[w] = sqrt((ss[w] - n[w] * mean[w] ^ 2) / (n[w] - 1)) }
      zm = (mean["g"] - mean["n"]) / sqrt(sd["g"] ^ 2 / n["g"] + sd["n"] ^ 2 / n["n"])
      zs = (sd["g"] - sd["n"]) / sqrt(sd["g"] ^ 2 / (2 * (n["g"] - 1)) + sd["n"] ^ 2 / (2 * (n["n"] - 1)))
      ok = (zm < 4 && zm > -4 && zs < 4 && zs > -4) ? "agree" : "DISAGREE"
      printf "mean %14.6g %14.6g z=%+5.2f | sd %14.6g %14.6g z=%+5.2f  %s\n", mean["g"], mean["n"], zm, sd["g"], sd["n"], zs, ok
    }' "$work/ng.meas")
  printf '  %-8s %s\n' "$name" "$line"
  case $line in *DISAGREE*) status=1 ;; esac
done
exit $status
