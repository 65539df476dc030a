# Shared by the benchmark scripts of this folder (sourced, not run): measure times one
# command with /usr/bin/time -v.
#
# measure NAME DIR CMD...: runs CMD (its output in DIR/NAME.out, GNU time's report in
# DIR/NAME.time) and appends "NAME wall_s cpu_s peak_MB exit" to DIR/results, CPU being
# user + system time and peak the maximum resident set size.
measure() {
  local name=$1 dir=$2 log="$2/$1.time"
  shift 2
  /usr/bin/time -v "$@" >"$dir/$name.out" 2>"$log" || true
  awk -v name="$name" -F': ' '
    /Elapsed \(wall clock\)/ { k = split($2, t, ":"); wall = 0; for (i = 1; i <= k; i++) wall = wall * 60 + t[i] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    /Exit status/ { code = $2 }
    END { printf "%s %.2f %.2f %.0f %s\n", name, wall, cpu, rss, code }' "$log" >>"$dir/results"
}
