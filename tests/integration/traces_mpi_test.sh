#!/usr/bin/env bash
# Under MPI (mpiexec -n 2), kazmig traces detect gives byte-identical output to one process.
# Runs only when an MPI build exists: $KAZMIG_MPI_BIN, or build-mpi/bin/kazmig in the source tree
# (cmake -B build-mpi -DKAZMIG_MPI=ON && ninja -C build-mpi kazmig).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mpi_bin="${KAZMIG_MPI_BIN:-$KAZMIG_SOURCE_DIR/build-mpi/bin/kazmig}"
if [ ! -x "$mpi_bin" ] || ! command -v mpiexec >/dev/null; then
  skip "no MPI build ($mpi_bin) or no mpiexec"
fi
"$KAZMIG" traces simulate --users 400 --days 500 --seed 4 --trip-rate 0.003 --out-events "$tmp/ev.csv" \
  --out-truth "$tmp/truth.csv"
"$KAZMIG" traces detect --input "$tmp/ev.csv" --segments-out "$tmp/seg1.csv" >"$tmp/one.csv"
mpiexec -n 2 "$mpi_bin" traces detect --threads 1 --input "$tmp/ev.csv" \
  --segments-out "$tmp/seg2.csv" >"$tmp/two.csv"
[ "$(wc -l <"$tmp/one.csv")" -gt 50 ]
cmp "$tmp/one.csv" "$tmp/two.csv"
cmp "$tmp/seg1.csv" "$tmp/seg2.csv"
# Each rank parses its own byte range of a plain file (split inside lines, here CRLF ones) and
# sends rows to their user's rank: 3 ranks x 2 threads, and a gzip input (every rank decompresses).
sed 's/$/\r/' "$tmp/ev.csv" >"$tmp/crlf.csv"
mpiexec -n 3 "$mpi_bin" traces detect --threads 2 --input "$tmp/crlf.csv" >"$tmp/three.csv"
cmp "$tmp/one.csv" "$tmp/three.csv"
gzip -c "$tmp/ev.csv" >"$tmp/ev.csv.gz"
mpiexec -n 2 "$mpi_bin" traces detect --threads 1 --input "$tmp/ev.csv.gz" | cmp - "$tmp/one.csv"
# A bad row in the last rank's range is reported with its line in the whole file.
lines=$(wc -l <"$tmp/crlf.csv")
bad_line=$((lines - 5))
awk -v n="$bad_line" 'NR == n {print "77,2018-02-30,1\r"; next} {print}' "$tmp/crlf.csv" >"$tmp/bad.csv"
set +e
mpiexec -n 3 "$mpi_bin" traces detect --threads 1 --input "$tmp/bad.csv" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "exit $rc, expected 3"; cat "$tmp/err"; exit 1; }
grep -q "bad.csv:$bad_line:2: malformed date '2018-02-30'" "$tmp/err" || { cat "$tmp/err"; exit 1; }
# An error every rank raises alike is printed once (by rank 0), and every rank exits 3: a bad row
# (plain and gzip input), an input that cannot be opened, a bad option.
expect_once() {  # expect_once EXIT MESSAGE RANKS ARGS...: exactly one stderr line, MESSAGE in it
  local want=$1 message=$2 ranks=$3
  shift 3
  set +e
  timeout 60 mpiexec -n "$ranks" "$mpi_bin" traces detect "$@" >/dev/null 2>"$tmp/err"
  local rc=$?
  set -e
  [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat "$tmp/err"; exit 1; }
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "expected one message: $*"; cat "$tmp/err"; exit 1; }
  grep -qF "$message" "$tmp/err" || { echo "expected '$message': $*"; cat "$tmp/err"; exit 1; }
}
expect_once 3 "kazmig: error: $tmp/bad.csv:$bad_line:2: malformed date '2018-02-30'" 2 \
  --input "$tmp/bad.csv"
gzip -c "$tmp/bad.csv" >"$tmp/bad.csv.gz"
expect_once 3 "kazmig: error: $tmp/bad.csv.gz:$bad_line:2: malformed date '2018-02-30'" 3 \
  --input "$tmp/bad.csv.gz"
expect_once 3 "kazmig: error: $tmp/missing.csv: cannot open file" 2 --input "$tmp/missing.csv"
expect_once 2 "kazmig: error: --memory must be at least 16M" 2 --memory 1K --input "$tmp/ev.csv"
set +e
mpiexec -n 2 "$mpi_bin" traces detect >/dev/null 2>"$tmp/err"  # no --input: CLI11 says it
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "exit $rc, expected 2"; cat "$tmp/err"; exit 1; }
[ "$(grep -c -- '--input is required' "$tmp/err")" -eq 1 ] || { cat "$tmp/err"; exit 1; }
# With --skip-bad-rows the same count and location as one process.
"$KAZMIG" traces detect --skip-bad-rows --input "$tmp/bad.csv" >"$tmp/skip1.csv" 2>"$tmp/warn1"
mpiexec -n 3 "$mpi_bin" traces detect --skip-bad-rows --input "$tmp/bad.csv" >"$tmp/skip3.csv" \
  2>"$tmp/warn3"
cmp "$tmp/skip1.csv" "$tmp/skip3.csv"
grep -q "skipped 1 bad row(s) of $((lines - 1))" "$tmp/warn3" || { cat "$tmp/warn3"; exit 1; }
grep -q "bad.csv:$bad_line:2:" "$tmp/warn3"
cmp "$tmp/warn1" "$tmp/warn3"
# A failure met by one rank alone (a line longer than 16 MB, in the last range) stops every rank
# with exit 3 instead of leaving the others waiting.
{ head -1000 "$tmp/ev.csv"; head -c 40000000 /dev/zero | tr '\0' 'x'; echo; } >"$tmp/long.csv"
set +e
timeout 120 mpiexec -n 3 "$mpi_bin" traces detect --input "$tmp/long.csv" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "exit $rc, expected 3"; cat "$tmp/err"; exit 1; }
grep -q "long.csv: line too long" "$tmp/err"
[ "$(grep -c '^kazmig:' "$tmp/err")" -eq 1 ] || { cat "$tmp/err"; exit 1; }
# A failure of one rank alone while the others wait in a collective operation (the test hook
# KAZMIG_TEST_FAIL_RANK, src/kazmig/traces/pipeline.cc: a ComputeError just before the gather)
# is printed once with its rank and aborts every rank (MPI_Abort; mpiexec exits with the code, 1,
# and MPICH adds a line of its own); nothing is written.
ls "$tmp" >"$tmp/before"
set +e
KAZMIG_TEST_FAIL_RANK=1 timeout 60 mpiexec -n 2 "$mpi_bin" traces detect --input "$tmp/ev.csv" \
  --segments-out "$tmp/aborted_seg.csv" --output "$tmp/aborted.csv" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "exit $rc, expected 1"; cat "$tmp/err"; exit 1; }
[ "$(grep -c '^kazmig:' "$tmp/err")" -eq 1 ] || { cat "$tmp/err"; exit 1; }
grep -qF "kazmig: rank 1: error: KAZMIG_TEST_FAIL_RANK: failing on purpose" "$tmp/err" ||
  { cat "$tmp/err"; exit 1; }
ls "$tmp" | grep -vx err | cmp - <(grep -vx err "$tmp/before") || { echo "files left"; exit 1; }
echo "traces MPI: OK"
