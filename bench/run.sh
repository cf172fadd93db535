#!/usr/bin/env bash
# `make bench`: every module's Google Benchmark program (median of 5 repetitions), then the
# whole-command and side-by-side scripts in bench/ against the Release binary.
#   bash bench/run.sh BUILD_DIR      (BUILD_DIR configured with -DKAZMIG_BENCH=ON)
# Set BENCH_QUICK=1 to skip the long whole-command scripts.
set -euo pipefail
build=${1:?usage: bench/run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
kazmig="$build/bin/kazmig"

for program in "$build"/bin/kazmig_*_benchmark; do
  [ -x "$program" ] || continue
  echo "== $(basename "$program")"
  "$program" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_display_aggregates_only=true 2>&1 | grep -E "_median|^Benchmark|^-" || true
done

[ "${BENCH_QUICK:-0}" = 1 ] && exit 0
echo "== whole commands"
KAZMIG="$kazmig" bash "$here/estimate_bench.sh"
bash "$here/indicators_bench.sh" "$kazmig"
bash "$here/traces_bench.sh" "$kazmig"
bash "$here/risk_bench.sh" "$kazmig"
bash "$here/project_bench.sh" "$kazmig"
bash "$here/project_fit_bench.sh" "$kazmig"
KAZMIG="$kazmig" bash "$here/factors_bench.sh"
