#!/usr/bin/env bash
# Under MPI (mpiexec -n 2), kazmig traces detect gives byte-identical output to one process.
# Runs only when an MPI build exists: $KAZMIG_MPI_BIN, or build-mpi/bin/kazmig in the source tree
# (cmake -B build-mpi -DKAZMIG_MPI=ON && ninja -C build-mpi kazmig).
set -euo pipefail
mpi_bin="${KAZMIG_MPI_BIN:-$KAZMIG_SOURCE_DIR/build-mpi/bin/kazmig}"
if [ ! -x "$mpi_bin" ] || ! command -v mpiexec >/dev/null; then
  echo "SKIP: no MPI build ($mpi_bin) or no mpiexec"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
echo "traces MPI: OK"
