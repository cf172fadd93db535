#!/usr/bin/env bash
# Under MPI (mpiexec -n N), kazmig project splits its draws across the ranks and gives output
# byte-identical to one process for the same seed (every rank fits the same seeded model).
# Runs only when an MPI build exists: $KAZMIG_MPI_BIN, or build-mpi/bin/kazmig in the source tree.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mpi_bin="${KAZMIG_MPI_BIN:-$KAZMIG_SOURCE_DIR/build-mpi/bin/kazmig}"
if [ ! -x "$mpi_bin" ] || ! command -v mpiexec >/dev/null; then
  skip "no MPI build ($mpi_bin) or no mpiexec"
fi
run=(project --dataset kz --from 2024 --to 2027 --draws 40 --seed 3 --iterations 600
  --burn-in 200 --scenario baseline,urban-pull --no-store)
"$KAZMIG" "${run[@]}" >"$tmp/one.csv" 2>"$tmp/one.err"
[ "$(wc -l <"$tmp/one.csv")" -gt 100 ] || fail "too few rows"
grep -q '^71,2027,urban-pull,' "$tmp/one.csv" || fail "no urban-pull row"
mpiexec -n 2 "$mpi_bin" --threads 1 "${run[@]}" >"$tmp/two.csv" 2>"$tmp/two.err"
cmp "$tmp/one.csv" "$tmp/two.csv"
cmp "$tmp/one.err" "$tmp/two.err"  # the notes once (rank 0), the same as one process
# 40 draws over 3 ranks (14, 13, 13), and the JSON document.
mpiexec -n 3 "$mpi_bin" --threads 1 "${run[@]}" >"$tmp/three.csv"
cmp "$tmp/one.csv" "$tmp/three.csv"
"$KAZMIG" "${run[@]}" --format json >"$tmp/one.json" 2>/dev/null
mpiexec -n 2 "$mpi_bin" --threads 1 "${run[@]}" --format json >"$tmp/two.json" 2>/dev/null
cmp "$tmp/one.json" "$tmp/two.json"
# Stored once (rank 0).
mpiexec -n 2 "$mpi_bin" --threads 1 project --dataset kz --to 2026 --draws 10 --iterations 400 \
  --burn-in 100 >/dev/null 2>"$tmp/store.err"
[ "$(grep -c 'stored as projection run' "$tmp/store.err")" -eq 1 ] || fail "$(cat "$tmp/store.err")"
# An error every rank meets alike is printed once, with the single-process exit code.
expect_once() {  # expect_once EXIT MESSAGE ARGS...
  local want=$1 message=$2 rc
  shift 2
  set +e
  timeout 120 mpiexec -n 2 "$mpi_bin" --threads 1 project --dataset kz --no-store "$@" \
    >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  [ "$rc" -eq "$want" ] || fail "exit $rc, expected $want: $* $(cat "$tmp/err")"
  [ "$(grep -c '^kazmig:' "$tmp/err")" -eq 1 ] || fail "expected one message: $(cat "$tmp/err")"
  grep -qF -- "$message" "$tmp/err" || fail "expected '$message': $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "output written: $*"
}
expect_once 3 "the horizon 2020 is not after the base year 2024" --to 2020
expect_once 2 "--draws 1: fewer draws than MPI ranks (2)" --draws 1 --iterations 400 --burn-in 100
expect_once 2 "unknown scenario 'no-such-scenario'" --scenario no-such-scenario --iterations 400 --burn-in 100
echo "project MPI: OK"
