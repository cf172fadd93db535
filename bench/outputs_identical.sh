#!/usr/bin/env bash
# Checks that two builds of kazmig write byte-identical outputs for the inputs of the gravity and
# indicators benchmarks (bench/gravity_bench.sh, bench/indicators_bench.sh: the same generators),
# each with 1 and 2 threads: the check behind "outputs unchanged" for the parallel CSV reader
# (io::CsvChunks) and the leaner gravity fit; then, when the shared data are present, the small
# estimates of bench/estimate_small_bench.sh (ipf and net on 231 x 231, stocks on the 232-place
# world period) in CSV, JSON and text, with a provenance column, and stocks by differencing.
# Exits 1 at the first difference.
#   bash bench/outputs_identical.sh OLD_KAZMIG NEW_KAZMIG [N]
# N: regions (default 3000, the benchmarks' size; 300 takes seconds). DATA=DIR keeps the tables
# in DIR (reused when present) instead of a temporary folder.
set -euo pipefail
old=${1:?usage: outputs_identical.sh OLD_KAZMIG NEW_KAZMIG [N]}
new=${2:?usage: outputs_identical.sh OLD_KAZMIG NEW_KAZMIG [N]}
n=${3:-3000}
if [ -n "${DATA:-}" ]; then
  dir=$DATA
  mkdir -p "$dir"
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
here=$(cd "$(dirname "$0")" && pwd)
# The generators, taken from the benchmark scripts (the python heredoc of each).
if [ ! -s "$dir/gflows.csv" ]; then
  sed -n '/^python3 - "\$tmp\/flows.csv"/,/^PY$/p' "$here/gravity_bench.sh" |
    sed "s#\"\$tmp/flows.csv\" \"\$n\"#\"$dir/gflows.csv\" $n#" | bash
fi
if [ ! -s "$dir/flows.csv" ]; then
  sed -n '/python3 - "\$data" "\$n"/,/^PY$/p' "$here/indicators_bench.sh" |
    sed "s#^.* || python3#python3#; s#\"\$data\" \"\$n\"#\"$dir\" $n#" | bash
fi
check() {  # check NAME ARGS...
  local name=$1
  shift
  for threads in 1 2; do
    "$old" --quiet --threads "$threads" "$@" >"$dir/old.out"
    "$new" --quiet --threads "$threads" "$@" >"$dir/new.out"
    if ! cmp -s "$dir/old.out" "$dir/new.out"; then
      echo "DIFFERENT: $name, $threads threads"
      diff "$dir/old.out" "$dir/new.out" | head -5
      exit 1
    fi
    echo "identical: $name, $threads threads ($(wc -c <"$dir/new.out") bytes)"
  done
}
check "model gravity doubly ${n}x${n}" model gravity --data "$dir/gflows.csv" --cost-var dist \
  --cost pow --constraint doubly --format json
check "model gravity doubly ${n}x${n} csv" model gravity --data "$dir/gflows.csv" --cost-var dist \
  --cost exp --constraint doubly --fixef --format csv
check "indicators ${n}x${n}" indicators --flows "$dir/flows.csv" --population "$dir/pop.csv" \
  --format json
check "indicators ${n}x${n} with distances" indicators --flows "$dir/flows.csv" \
  --population "$dir/pop.csv" --distance "$dir/dist.csv" --no-decay --format json
check "indicators regions ${n}x${n}" indicators regions --flows "$dir/flows.csv" \
  --population "$dir/pop.csv" --format csv

shared=${KAZMIG_SHARED_DATA:-$here/../../shared/data}
if [ ! -d "$shared/abel_flows_undesa_stock_x80110" ] || [ ! -d "$shared/undesa_global_stocks" ]; then
  echo "SKIP: the small estimates ($shared not present)"
  exit 0
fi
[ -s "$dir/seed.csv" ] || python3 "$here/estimate_world_inputs.py" "$shared" "$dir"
stocks=$shared/undesa_global_stocks
for format in csv json table; do
  check "estimate ipf 231x231 $format" estimate ipf --seed "$dir/seed.csv" \
    --row-totals "$dir/rows.csv" --col-totals "$dir/cols.csv" --format "$format"
  check "estimate net 231x231 $format" estimate net --prior "$dir/seed.csv" --net "$dir/net.csv" \
    --format "$format"
  check "estimate stocks 2015-2020 $format" estimate stocks \
    --stock1 "$stocks/stock_2015_2020_at2015.csv" --stock2 "$stocks/stock_2015_2020_at2020.csv" \
    --format "$format"
done
check "estimate net 231x231 entropy, provenance" estimate net --prior "$dir/seed.csv" \
  --net "$dir/net.csv" --method entropy --with-provenance
check "estimate ipf 231x231 csv, provenance" estimate ipf --seed "$dir/seed.csv" \
  --row-totals "$dir/rows.csv" --col-totals "$dir/cols.csv" --with-provenance
check "estimate stocks 2015-2020 diff" estimate stocks --method diff \
  --stock1 "$stocks/stock_2015_2020_at2015.csv" --stock2 "$stocks/stock_2015_2020_at2020.csv"
