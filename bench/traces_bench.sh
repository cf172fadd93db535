#!/usr/bin/env bash
# Whole-command benchmark of `kazmig traces detect`: events/s, MB/s and peak memory for a
# simulated file of about N events (default 10^7), with 1 and 2 threads, with a small memory
# bound (spilling to partition files) and with a gzip input, plus the side-by-side ratio against
# the pandas implementation (bench/traces_pandas.py, /usr/bin/python3). Every run's output is
# checked against the first (identical bytes). Generated data stay in a temporary folder (not the repo).
#
#   bash bench/traces_bench.sh build/bin/kazmig [EVENTS] [--no-pandas]
#
# Environment: REPEATS (runs per configuration, default 3; the median is printed), EVENTS_FILE
# (use this events file instead of simulating one), MEMORY_SMALL (the small bound, default 64M),
# MPI_RANKS (also run `mpiexec -n MPI_RANKS` with one thread per rank, for an MPI build).
set -euo pipefail
kazmig=${1:?usage: traces_bench.sh KAZMIG [EVENTS] [--no-pandas]}
events=${2:-10000000}
pandas=1
[ "${3:-}" = "--no-pandas" ] && pandas=0
work=${TRACES_BENCH_DIR:-$(mktemp -d /tmp/kazmig-traces-bench.XXXXXX)}
trap 'rm -rf "$work"' EXIT
repeats=${REPEATS:-3}

if [ -n "${EVENTS_FILE:-}" ]; then
  ln -s "$(realpath "$EVENTS_FILE")" "$work/ev.csv"
else
  # About 1.8 events per user-day with the default simulation: 730 days -> ~1330 events per user.
  users=$((events / 1330 + 1))
  echo "generating ~$events events ($users users x 730 days) in $work"
  "$kazmig" traces simulate --users "$users" --days 730 --seed 1 --out-events "$work/ev.csv" \
    --out-truth "$work/truth.csv"
fi
rows=$(($(wc -l <"$work/ev.csv") - 1))
bytes=$(stat -L -c %s "$work/ev.csv")
echo "file: $rows events, $((bytes / 1000000)) MB"
cat "$work/ev.csv" >/dev/null  # page cache

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

run() {  # label, command...
  local label=$1
  shift
  local times=() rss=() cpus=()
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  for ((rep = 0; rep < repeats; rep++)); do
    /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.csv"
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time.txt")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")")
    cpus+=("$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time.txt")")
    if [ -f "$work/reference.csv" ]; then
      cmp -s "$work/out.csv" "$work/reference.csv" || { echo "$label: output differs"; exit 1; }
    else
      cp "$work/out.csv" "$work/reference.csv"
    fi
  done
  local t m c
  t=$(printf '%s\n' "${times[@]}" | median)
  m=$(printf '%s\n' "${rss[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  # Wall-clock rates, then rates per CPU-second (user + system), which stay meaningful on a
  # machine shared with other work.
  awk -v label="$label" -v t="$t" -v m="$m" -v c="$c" -v rows="$rows" -v bytes="$bytes" \
    -v load="$load_before-$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "%-34s median %7.2f s  %6.2f M events/s  %6.1f MB/s  peak RSS %6.0f MB  | CPU %7.2f s: %6.2f M events/s, %6.1f MB/s per core | load %s\n",
           label, t, rows / t / 1e6, bytes / t / 1e6, m / 1024, c, rows / c / 1e6, bytes / c / 1e6, load }'
  echo "$t" >"$work/last_time"
  echo "$c" >"$work/last_cpu"
}

run "detect, 1 thread" "$kazmig" --quiet traces detect --input "$work/ev.csv" --threads 1
t1=$(cat "$work/last_time")
c1=$(cat "$work/last_cpu")
run "detect, 2 threads" "$kazmig" --quiet traces detect --input "$work/ev.csv" --threads 2
t2=$(cat "$work/last_time")
awk -v a="$t1" -v b="$t2" 'BEGIN {printf "speed-up 1 -> 2 threads: %.2f\n", a / b}'
small=${MEMORY_SMALL:-64M}
run "detect, 1 thread, --memory $small" "$kazmig" --quiet traces detect --input "$work/ev.csv" \
  --threads 1 --memory "$small" --temp-dir "$work"
run "detect, 2 threads, --memory $small" "$kazmig" --quiet traces detect --input "$work/ev.csv" \
  --threads 2 --memory "$small" --temp-dir "$work"
if [ -n "${MPI_RANKS:-}" ]; then
  run "detect, mpiexec -n $MPI_RANKS x 1 thread" mpiexec -n "$MPI_RANKS" "$kazmig" --quiet traces \
    detect --input "$work/ev.csv" --threads 1
fi
gzip -1 -c "$work/ev.csv" >"$work/ev.csv.gz"
run "detect, 1 thread, gzip input" "$kazmig" --quiet traces detect --input "$work/ev.csv.gz" --threads 1
run "detect, 2 threads, gzip input" "$kazmig" --quiet traces detect --input "$work/ev.csv.gz" --threads 2
echo "moves: $(($(wc -l <"$work/reference.csv") - 1))"

if [ "$pandas" = 1 ]; then
  if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
    repeats=${PANDAS_REPEATS:-$repeats} run "pandas (traces_pandas.py)" /usr/bin/python3 "$(dirname "$0")/traces_pandas.py" "$work/ev.csv"
    tp=$(cat "$work/last_time")
    cp=$(cat "$work/last_cpu")
    awk -v p="$cp" -v a="$c1" 'BEGIN {printf "pandas / kazmig (CPU time, 1 thread): %.0fx\n", p / a}'
    awk -v p="$tp" -v a="$t1" -v b="$t2" 'BEGIN {printf "pandas / kazmig (wall clock): %.0fx (1 thread), %.0fx (2 threads)\n", p / a, p / b}'
  else
    echo "pandas not available: side-by-side skipped"
  fi
fi
